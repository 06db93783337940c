"""Single sign-on against a real OpenID provider that the test starts on the loopback address
(django-oauth-toolkit, tests/sso_provider), through the whole authorization-code flow: the
product's redirect, the provider's sign-in and redirect back, then the product's own calls to
the provider's token, userinfo and key endpoints."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.enums import RoleKind
from accounts.models import User
from accounts.second_factor import CODE_NEEDED, DONE, SSO_BACKEND, STATE_SESSION_KEY
from accounts.sso import discovery_url, provider_configuration
from tests.factories.accounts import UserFactory
from tests.factories.sites import CaseSiteFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "car-programme"
CLIENT_SECRET = "a-test-client-secret"
CALLBACK = "http://testserver/accounts/login/sso/callback/"
PROVIDER_PASSWORD = "provider-password"
PROVIDER_USERS = [
    {"username": "alice", "email": "Alice@Example.org", "verified": True},
    {"username": "bob", "email": "bob@example.org", "verified": False},
    {"username": "carol", "email": "carol@example.org", "verified": True},
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rsa_private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The test provider stopped: {process.stderr.read().decode()}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError("The test provider did not start within 30 seconds.")


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The provider's base URL, serving on 127.0.0.1 and a free port for this module."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.sso_provider.settings",
        "PYTHONPATH": str(ROOT),
        "PROVIDER_DATABASE": str(tmp_path_factory.mktemp("provider") / "provider.sqlite3"),
        "PROVIDER_RSA_KEY": rsa_private_key(),
        "PROVIDER_CLIENT_ID": CLIENT_ID,
        "PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
        "PROVIDER_REDIRECT_URI": CALLBACK,
        "PROVIDER_USERS": json.dumps(
            [{**person, "password": PROVIDER_PASSWORD} for person in PROVIDER_USERS]
        ),
    }
    subprocess.run(
        [sys.executable, "-m", "tests.sso_provider.prepare"], env=env, cwd=ROOT, check=True
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/o/.well-known/openid-configuration", server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def sso_on(provider):
    cache.clear()
    with override_settings(
        SSO_DISCOVERY_URL=f"{provider}/o",
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        SSO_BUTTON_LABEL="Sign in with NHS Microsoft account",
        AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, SSO_BACKEND],
    ):
        yield provider
    cache.clear()


def sign_in_by_sso(client, provider: str, username: str, next_page: str = "/sites/"):
    """Follows the flow as a browser would: to the provider, its sign-in, and back."""
    start = client.get(reverse("accounts:sso_start"), {"next": next_page})
    assert start.url.startswith(f"{provider}/o/authorize/")
    browser = requests.Session()
    signed_in = browser.post(
        f"{provider}/login/", {"username": username, "password": PROVIDER_PASSWORD}
    )
    assert signed_in.status_code == 200
    back = browser.get(start.url, allow_redirects=False)
    assert back.headers["Location"].startswith(CALLBACK)
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_sso_signs_in_the_user_with_the_verified_address(client, sso_on):
    alice = UserFactory(username="a.smith", email="alice@example.org")

    response = sign_in_by_sso(client, sso_on, "alice")

    assert response.url == "/sites/"
    assert client.get("/sites/").context["user"] == alice


def test_sso_sign_in_page_offers_the_button_with_its_label(client, sso_on):
    response = client.get(reverse("accounts:login"))

    assert "Sign in with NHS Microsoft account" in response.content.decode()
    assert reverse("accounts:sso_start") in response.content.decode()


def test_sso_refuses_an_address_the_provider_has_not_verified(client, sso_on):
    UserFactory(username="bob", email="bob@example.org")

    response = sign_in_by_sso(client, sso_on, "bob")

    assert response.url == reverse("accounts:login")
    page = client.get(response.url).content.decode()
    assert "Single sign-on did not sign you in" in page
    assert not client.get(reverse("accounts:login")).context["user"].is_authenticated


def test_sso_makes_no_account_for_an_address_it_does_not_know(client, sso_on):
    response = sign_in_by_sso(client, sso_on, "carol")

    assert response.url == reverse("accounts:login")
    assert not User.objects.filter(email__iexact="carol@example.org").exists()


def test_sso_refuses_a_deactivated_user(client, sso_on):
    UserFactory(username="carol", email="carol@example.org", is_active=False)

    response = sign_in_by_sso(client, sso_on, "carol")

    assert response.url == reverse("accounts:login")
    assert not client.get(reverse("accounts:login")).context["user"].is_authenticated


def test_sso_counts_the_providers_sign_in_as_the_second_factor(client, sso_on):
    alice = UserFactory(username="a.smith", email="alice@example.org")
    TOTPDevice.objects.create(user=alice, confirmed=True)

    sign_in_by_sso(client, sso_on, "alice")

    assert client.session[STATE_SESSION_KEY] == DONE
    assert client.get("/sites/").status_code == 200


def test_sso_asks_for_our_code_too_when_the_setting_says_so(client, sso_on):
    alice = UserFactory(username="a.smith", email="alice@example.org")
    TOTPDevice.objects.create(user=alice, confirmed=True)

    with override_settings(SSO_REQUIRES_SECOND_FACTOR=True):
        sign_in_by_sso(client, sso_on, "alice")

    assert client.session[STATE_SESSION_KEY] == CODE_NEEDED
    assert client.get("/sites/").url.startswith(reverse("accounts:second_factor_verify"))


def test_sso_is_off_by_default(client):
    assert settings.SSO_DISCOVERY_URL == ""
    assert SSO_BACKEND not in settings.AUTHENTICATION_BACKENDS

    page = client.get(reverse("accounts:login"))
    start = client.get(reverse("accounts:sso_start"))

    assert reverse("accounts:sso_start") not in page.content.decode()
    assert start.status_code == 404


def test_sso_refuses_an_id_token_whose_issuer_is_not_the_configured_one(client, sso_on):
    UserFactory(username="a.smith", email="alice@example.org")
    real = provider_configuration()
    cache.set(f"sso:discovery:{discovery_url()}", {**real, "issuer": "https://elsewhere.example"})

    response = sign_in_by_sso(client, sso_on, "alice")

    assert response.url == reverse("accounts:login")
    assert not client.get(reverse("accounts:login")).context["user"].is_authenticated


def test_sso_provider_out_of_reach_is_said_and_the_password_still_signs_in(client):
    UserFactory(username="alice", email="alice@example.org")
    nobody = f"http://127.0.0.1:{free_port()}"
    cache.clear()

    with override_settings(
        SSO_DISCOVERY_URL=nobody,
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS, SSO_BACKEND],
    ):
        start = client.get(reverse("accounts:sso_start"), follow=True)
        client.post(
            reverse("accounts:login"), {"username": "alice", "password": "a-long-test-password"}
        )

    assert "cannot be reached just now" in start.content.decode()
    assert client.get(reverse("home")).context["user"].username == "alice"


def _follow_provider(client, provider: str, start, username: str):
    """From our redirect to the provider: its sign-in as ``username``, and back."""
    assert start.url.startswith(f"{provider}/o/authorize/")
    browser = requests.Session()
    browser.post(f"{provider}/login/", {"username": username, "password": PROVIDER_PASSWORD})
    back = browser.get(start.url, allow_redirects=False)
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def _invitation_link(email: str):
    """An invitation to research in a site, and the path of its link."""
    site = CaseSiteFactory()
    links = []

    def link(token: str) -> str:
        links.append(reverse("accounts:invitation_accept", args=[token]))
        return f"http://testserver{links[-1]}"

    invitation = services.invitation_create(
        programme=site.programme,
        email=email,
        role=RoleKind.RESEARCHER,
        sites=[site],
        by=None,
        link=link,
    )
    return links[-1], invitation


def test_an_invited_person_accepts_by_single_sign_on_and_gets_an_account(client, sso_on):
    link, invitation = _invitation_link("carol@example.org")

    page = client.get(link).content.decode()
    start = client.get(client.post(link, {"single_sign_on": "1"}).url)
    signed_in = _follow_provider(client, sso_on, start, "carol")

    assert "Accept: Sign in with NHS Microsoft account" in page
    assert signed_in.url == reverse("home")
    carol = User.objects.get(email="carol@example.org")
    assert not carol.has_usable_password()
    assert client.get(reverse("home")).context["user"] == carol
    assert [role.site for role in carol.roles.all()] == list(invitation.sites.all())
    invitation.refresh_from_db()
    assert invitation.accepted_by == carol


def test_single_sign_on_makes_no_account_for_an_invitation_to_another_address(client, sso_on):
    link, invitation = _invitation_link("someone.else@example.org")

    start = client.get(client.post(link, {"single_sign_on": "1"}).url)
    response = _follow_provider(client, sso_on, start, "carol")

    assert response.url == reverse("accounts:login")
    assert not User.objects.filter(email__iexact="carol@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
