"""The second factor: setting up an authenticator app, signing in with its codes or a recovery
code, throttling, and programmes that require it of their managers.

Codes are computed from the stored (or shown) secret with django-otp's TOTP, as an app would.
"""

import re
from base64 import b32decode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import RoleKind
from accounts.second_factor import recovery_code_digest, recovery_codes_regenerate
from tests.factories.accounts import UserFactory, user_with_role
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
HERE = "192.0.2.10"


@pytest.fixture
def user():
    return UserFactory(username="alice", email="alice@example.org")


def app_code(key_hex: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows now (or ``steps_ahead`` 30-second steps on)."""
    return f"{totp(bytes.fromhex(key_hex), drift=steps_ahead):06d}"


def wrong_code(key_hex: str) -> str:
    """A six-digit code that none of the accepted steps (one either side of now) shows."""
    accepted = {app_code(key_hex, steps) for steps in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def give_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(client, username="alice", password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def give_code(client, code, **extra):
    return client.post(reverse("accounts:second_factor_verify"), {"code": code}, **extra)


def shown_recovery_codes(response) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.content.decode())


# --- Setting up -------------------------------------------------------------------------------


def test_enrolment_page_shows_the_key_and_its_qr_code_without_a_script(client, user):
    client.force_login(user)

    response = client.get(reverse("accounts:second_factor_enrol"))

    html = response.content.decode()
    assert re.search(r'<div class="qr-code[^"]*" role="img"[^>]*><svg[^>]*viewBox', html)
    assert re.search(r'<code class="secret-key">[A-Z2-7 ]{32,}</code>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_enrolment_with_the_apps_code_keeps_the_app_and_shows_recovery_codes(client, user):
    client.force_login(user)
    page = client.get(reverse("accounts:second_factor_enrol")).content.decode()
    shown_key = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1)
    letters = shown_key.replace(" ", "")
    key = b32decode(letters + "=" * (-len(letters) % 8)).hex()

    response = client.post(reverse("accounts:second_factor_enrol"), {"code": app_code(key)})

    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    codes = shown_recovery_codes(response)
    assert len(codes) == 10
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == {recovery_code_digest(code) for code in codes}
    assert not stored & {code.replace("-", "") for code in codes}


def test_enrolment_with_a_wrong_code_keeps_nothing_and_says_why(client, user):
    client.force_login(user)
    client.get(reverse("accounts:second_factor_enrol"))
    key = client.session["second_factor_new_key"]

    response = client.post(reverse("accounts:second_factor_enrol"), {"code": wrong_code(key)})

    html = response.content.decode()
    assert "That code does not match" in html
    assert re.search(r'<input[^>]+aria-invalid="true"[^>]+id="id_code"', html)
    assert "<title>Error:" in html
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.exists()


def test_enrolment_page_sends_someone_with_an_app_back_to_the_overview(client, user):
    give_device(user)
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    sign_in(client)
    give_code(client, app_code(TOTPDevice.objects.get(user=user).key))

    response = client.get(reverse("accounts:second_factor_enrol"))

    assert response.url == reverse("accounts:second_factor")


# --- Signing in -------------------------------------------------------------------------------


def test_sign_in_with_an_app_asks_for_its_code_before_any_page(client, user):
    give_device(user)

    response = sign_in(client)
    home = client.get(reverse("sites:site_list"))

    assert response.url == reverse("home")
    verify = reverse("accounts:second_factor_verify")
    assert home.url == f"{verify}?next={reverse('sites:site_list').replace('/', '%2F')}"
    assert "Your sign-in code" in client.get(home.url).content.decode()


def test_sign_in_code_from_the_app_opens_the_page_asked_for(client, user):
    device = give_device(user)
    sign_in(client)

    response = client.post(
        reverse("accounts:second_factor_verify"), {"code": app_code(device.key), "next": "/sites/"}
    )

    assert response.url == "/sites/"
    assert client.get(reverse("home")).context["user"] == user


def test_sign_in_without_an_app_asks_for_the_password_only(client, user):
    sign_in(client)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["user"] == user


def test_the_same_app_code_does_not_work_twice(client, user):
    device = give_device(user)
    code = app_code(device.key)
    sign_in(client)
    give_code(client, code)
    client.post(reverse("accounts:logout"))
    sign_in(client)

    response = give_code(client, code)

    assert "That code is not right, or has already been used." in response.content.decode()


def test_a_recovery_code_signs_in_once(client, user):
    give_device(user)
    code = recovery_codes_regenerate(user=user)[0]
    sign_in(client)

    first = give_code(client, code.upper().replace("-", " "))
    client.post(reverse("accounts:logout"))
    sign_in(client)
    second = give_code(client, code)

    assert first.url == reverse("home")
    assert "That code is not right, or has already been used." in second.content.decode()
    assert client.get(reverse("home")).url.startswith(reverse("accounts:second_factor_verify"))
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_administration_sign_in_asks_for_the_code_too(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    give_device(admin)

    client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    response = client.get(reverse("admin:index"))

    assert response.url.startswith(reverse("accounts:second_factor_verify"))


# --- Throttling -------------------------------------------------------------------------------


def test_a_right_code_straight_after_a_wrong_one_waits(client, user):
    device = give_device(user)
    sign_in(client)
    give_code(client, wrong_code(device.key))

    response = give_code(client, app_code(device.key))

    assert "Too many wrong codes in a row" in response.content.decode()


def test_ten_wrong_codes_lock_the_user_name_and_address_out(client, user):
    device = give_device(user)
    sign_in(client, REMOTE_ADDR=HERE)
    for _ in range(9):
        give_code(client, wrong_code(device.key), REMOTE_ADDR=HERE)

    tenth = give_code(client, wrong_code(device.key), REMOTE_ADDR=HERE)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = give_code(client, app_code(device.key), REMOTE_ADDR=HERE)

    assert tenth.status_code == 429
    assert "Sign-in paused" in tenth.content.decode()
    assert right.status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_wrong_codes_and_wrong_passwords_count_together(client, user):
    device = give_device(user)
    for _ in range(5):
        sign_in(client, password="not-the-password", REMOTE_ADDR=HERE)
    sign_in(client, REMOTE_ADDR=HERE)
    for _ in range(10):
        response = give_code(client, wrong_code(device.key), REMOTE_ADDR=HERE)

    assert response.status_code == 429


# --- Programmes that require it ---------------------------------------------------------------


@pytest.fixture
def strict_programme():
    return ProgrammeFactory(managers_need_second_factor=True)


def test_manager_of_a_programme_that_requires_it_is_sent_to_set_up_an_app(client, strict_programme):
    user_with_role(RoleKind.PROGRAMME_MANAGER, programme=strict_programme, username="alice")

    sign_in(client)
    response = client.get(reverse("sites:site_list"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second_factor_enrol"))
    assert "Your programme asks its managers" in response.content.decode()


def test_manager_who_sets_up_the_app_reaches_the_page_asked_for(client, strict_programme):
    manager = user_with_role(
        RoleKind.PROGRAMME_MANAGER, programme=strict_programme, username="alice"
    )
    sign_in(client)
    enrol = client.get(reverse("home")).url
    client.get(enrol)
    key = client.session["second_factor_new_key"]

    response = client.post(enrol, {"code": app_code(key), "next": reverse("sites:site_list")})

    assert len(shown_recovery_codes(response)) == 10
    assert f'href="{reverse("sites:site_list")}"' in response.content.decode()
    assert client.get(reverse("sites:site_list")).context["user"] == manager


def test_researcher_of_a_programme_that_requires_it_of_managers_is_not_sent(
    client, strict_programme
):
    site = CaseSiteFactory(programme=strict_programme)
    user_with_role(RoleKind.RESEARCHER, site=site, username="alice")

    sign_in(client)

    assert client.get(reverse("home")).status_code == 200


def test_manager_of_a_programme_that_does_not_require_it_is_not_sent(client):
    user_with_role(RoleKind.PROGRAMME_MANAGER, programme=ProgrammeFactory(), username="alice")

    sign_in(client)

    assert client.get(reverse("home")).status_code == 200


def test_manager_who_removes_the_app_is_sent_to_set_up_another(client, strict_programme):
    manager = user_with_role(
        RoleKind.PROGRAMME_MANAGER, programme=strict_programme, username="alice"
    )
    device = give_device(manager)
    sign_in(client)
    give_code(client, app_code(device.key))

    client.post(reverse("accounts:second_factor_remove"), {"password": PASSWORD})

    assert client.get(reverse("home")).url.startswith(reverse("accounts:second_factor_enrol"))


# --- Changing the app and the codes -----------------------------------------------------------


def signed_in_with_app(client, user) -> TOTPDevice:
    device = give_device(user)
    sign_in(client)
    give_code(client, app_code(device.key))
    return device


def test_overview_says_how_many_recovery_codes_are_left(client, user):
    signed_in_with_app(client, user)
    recovery_codes_regenerate(user=user)

    response = client.get(reverse("accounts:second_factor"))

    assert "You have 10 unused recovery codes." in response.content.decode()


def test_new_recovery_codes_need_the_password(client, user):
    signed_in_with_app(client, user)
    old = recovery_codes_regenerate(user=user)

    response = client.post(
        reverse("accounts:recovery_codes_regenerate"), {"password": "not-the-password"}
    )

    assert "That is not your password." in response.content.decode()
    assert StaticToken.objects.filter(token=recovery_code_digest(old[0])).exists()


def test_new_recovery_codes_replace_the_old_ones(client, user):
    signed_in_with_app(client, user)
    old = recovery_codes_regenerate(user=user)

    response = client.post(reverse("accounts:recovery_codes_regenerate"), {"password": PASSWORD})

    new = shown_recovery_codes(response)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == {recovery_code_digest(code) for code in new}
    assert recovery_code_digest(old[0]) not in stored


def test_removing_the_app_needs_the_password(client, user):
    signed_in_with_app(client, user)

    response = client.post(reverse("accounts:second_factor_remove"), {"password": "wrong"})

    assert "That is not your password." in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()


def test_after_removing_the_app_sign_in_asks_for_the_password_only(client, user):
    signed_in_with_app(client, user)
    recovery_codes_regenerate(user=user)

    client.post(reverse("accounts:second_factor_remove"), {"password": PASSWORD})
    client.post(reverse("accounts:logout"))
    sign_in(client)

    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()
    assert client.get(reverse("home")).context["user"] == user


def test_ten_wrong_passwords_on_the_confirmation_lock_the_user_name_and_address_out(client, user):
    signed_in_with_app(client, user)
    remove = reverse("accounts:second_factor_remove")
    for _ in range(9):
        client.post(remove, {"password": "not-the-password"}, REMOTE_ADDR=HERE)

    tenth = client.post(remove, {"password": "not-the-password"}, REMOTE_ADDR=HERE)
    right = client.post(remove, {"password": PASSWORD}, REMOTE_ADDR=HERE)

    assert tenth.status_code == 429 and right.status_code == 429
    assert TOTPDevice.objects.filter(user=user).exists()


# --- Cost ---------------------------------------------------------------------------------------


def test_a_page_costs_no_query_more_after_the_code(client, user):
    sign_in(client)
    with CaptureQueriesContext(connection) as password_only:
        client.get(reverse("sites:site_list"))
    client.post(reverse("accounts:logout"))
    signed_in_with_app(client, user)
    with CaptureQueriesContext(connection) as with_code:
        client.get(reverse("sites:site_list"))

    assert len(with_code) == len(password_only)


def test_an_account_without_a_password_confirms_with_a_code_from_the_app(client):
    sso_only = UserFactory(username="sso", password=None)
    device = give_device(sso_only)
    client.force_login(sso_only)
    give_code(client, app_code(device.key))

    form = client.get(reverse("accounts:second_factor_remove")).content.decode()
    response = client.post(
        reverse("accounts:second_factor_remove"), {"code": app_code(device.key, steps_ahead=1)}
    )

    assert 'name="code"' in form and 'name="password"' not in form
    assert response.url == reverse("accounts:second_factor")
    assert not TOTPDevice.objects.filter(user=sso_only).exists()
