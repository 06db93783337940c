"""Signing in and out, passwords, throttling of failed sign-ins and session lifetimes."""

import datetime as dt
import re
import time

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from car_programme.middleware import RENEWED_AT, SIGNED_IN_AT
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
WRONG = "not-the-password"
HERE = "192.0.2.10"
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def user():
    return UserFactory(username="alice", email="alice@example.org")


def sign_in(client, username, password, address=HERE, url=None):
    return client.post(
        url or reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail(client, times, address=HERE, url=None):
    for _ in range(times):
        sign_in(client, "alice", WRONG, address=address, url=url)


def signed_in_user(client):
    response = client.get(reverse("home"))
    return response.context["user"]


def age_failures(by):
    """Moves every recorded sign-in failure, and its expiry, back in time."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - by)
    for expiration in AccessAttemptExpiration.objects.all():
        expiration.expires_at -= by
        expiration.save(update_fields=["expires_at"])


# --- Signing in and out -----------------------------------------------------------------------


def test_sign_in_page_shows_labelled_fields(client):
    response = client.get(reverse("accounts:login"))

    html = response.content.decode()
    assert re.search(r'<label[^>]+for="id_username"[^>]*>\s*Username', html)
    assert re.search(r'<label[^>]+for="id_password"[^>]*>\s*Password', html)
    assert 'autocomplete="current-password"' in html


def test_sign_in_with_good_credentials_lands_on_home(client, user):
    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user(client) == user


def test_sign_in_returns_to_the_page_asked_for(client, user):
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": PASSWORD, "next": reverse("accounts:password_change")},
    )

    assert response.url == reverse("accounts:password_change")


def test_sign_in_with_bad_password_keeps_the_user_name_and_shows_an_error(client, user):
    response = sign_in(client, "alice", WRONG)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password" in html
    assert re.search(r'<input[^>]+name="username"[^>]+value="alice"', html)
    assert not signed_in_user(client).is_authenticated


def test_sign_in_page_redirects_someone_already_signed_in(client, user):
    client.force_login(user)

    response = client.get(reverse("accounts:login"))

    assert response.url == reverse("home")


def test_sign_out_by_post_ends_the_session(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "You have signed out." in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_sign_out_by_get_is_refused(client, user):
    client.force_login(user)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert signed_in_user(client) == user


# --- Passwords --------------------------------------------------------------------------------


def change_password(client, user, old, new):
    """Post the password change form as ``user``, typing ``new`` twice."""
    client.force_login(user)
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_password_change_sets_the_new_password(client, user):
    response = change_password(client, user, PASSWORD, "a-fresh-and-longer-password")

    assert response.url == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("a-fresh-and-longer-password")
    assert signed_in_user(client) == user


def test_password_change_with_wrong_old_password_shows_the_error_by_the_field(client, user):
    response = change_password(client, user, WRONG, "x-new-pass-1234")

    html = response.content.decode()
    assert re.search(r'<input[^>]+aria-invalid="true"[^>]+id="id_old_password"', html)
    assert re.search(r'id="id_old_password_error".*Your old password was entered incorrectly', html)


def test_password_reset_emails_a_link_that_sets_a_new_password(client, user, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    new = "a-fresh-and-longer-password"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Your new password is set." in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_for_an_unknown_address_sends_nothing(client, user, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "bob@example.org"})

    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


# --- Throttling -------------------------------------------------------------------------------


def test_tenth_failure_shows_the_locked_out_page(client, user):
    fail(client, 9)

    response = sign_in(client, "alice", WRONG)

    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_right_password_after_ten_failures_is_refused(client, user):
    fail(client, 10)

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert not signed_in_user(client).is_authenticated


def test_nine_failures_do_not_lock_out(client, user):
    fail(client, 9)

    sign_in(client, "alice", PASSWORD)

    assert signed_in_user(client) == user


def test_lockout_does_not_reach_another_address(client, user):
    fail(client, 10, address=HERE)

    sign_in(client, "alice", PASSWORD, address=ELSEWHERE)

    assert signed_in_user(client) == user


def test_failures_stop_counting_after_five_quiet_minutes(client, user):
    fail(client, 9)
    age_failures(dt.timedelta(minutes=6))
    fail(client, 1)

    sign_in(client, "alice", PASSWORD)

    assert signed_in_user(client) == user


def test_lockout_still_holds_after_fourteen_minutes(client, user):
    fail(client, 10)
    age_failures(dt.timedelta(minutes=14))

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429


def test_lockout_ends_after_fifteen_minutes(client, user):
    fail(client, 10)
    age_failures(dt.timedelta(minutes=16))

    sign_in(client, "alice", PASSWORD)

    assert signed_in_user(client) == user


def test_admin_sign_in_is_throttled_too(client):
    UserFactory(username="alice", is_staff=True)
    admin_login = reverse("admin:login")
    fail(client, 10, url=admin_login)

    response = sign_in(client, "alice", PASSWORD, url=admin_login)

    assert response.status_code == 429
    assert not signed_in_user(client).is_authenticated


def test_each_failure_is_logged(client, user):
    fail(client, 3)

    logged = AccessFailureLog.objects.filter(username="alice", ip_address=HERE)
    assert logged.count() == 3


# --- Session lifetime -------------------------------------------------------------------------


def test_session_is_renewed_for_thirty_minutes_on_each_request(client, user):
    client.force_login(user)

    client.get(reverse("home"))

    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def expiry_of(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_is_not_written_again_within_a_minute_of_its_renewal(client, user):
    client.force_login(user)
    client.get(reverse("home"))
    renewed = expiry_of(client)

    client.get(reverse("home"))

    assert expiry_of(client) == renewed


def test_session_is_renewed_for_thirty_minutes_once_a_minute_has_passed(client, user):
    client.force_login(user)
    client.get(reverse("home"))
    session = client.session
    session[RENEWED_AT] = time.time() - 61
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=5)
    )

    client.get(reverse("home"))

    remaining = expiry_of(client) - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def test_session_idle_for_more_than_thirty_minutes_ends(client, user):
    client.force_login(user)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    assert not signed_in_user(client).is_authenticated


def test_session_remembers_when_it_signed_in(client, user):
    sign_in(client, "alice", PASSWORD)

    assert time.time() - client.session[SIGNED_IN_AT] < 60


def test_session_older_than_twelve_hours_ends(client, user):
    sign_in(client, "alice", PASSWORD)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 60
    session.save()

    response = client.get(reverse("home"))

    assert not response.context["user"].is_authenticated
    assert "Your session has ended." in response.content.decode()


def test_active_session_younger_than_twelve_hours_continues(client, user):
    sign_in(client, "alice", PASSWORD)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 11 * 3600
    session.save()

    assert signed_in_user(client) == user


def test_signing_in_again_restarts_the_twelve_hours(client, user):
    sign_in(client, "alice", PASSWORD)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 11 * 3600
    session.save()

    client.post(reverse("accounts:logout"))
    sign_in(client, "alice", PASSWORD)

    assert time.time() - client.session[SIGNED_IN_AT] < 60


# --- Password reset throttling ----------------------------------------------------------------


def ask_reset(client, email, address=HERE):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_sends_one_address_three_links_an_hour(client, user, mailoutbox):
    for number in range(3):
        ask_reset(client, "alice@example.org", address=f"192.0.2.{number + 1}")

    response = ask_reset(client, "Alice@Example.org ", address="192.0.2.99")

    assert len(mailoutbox) == 3
    assert response.status_code == 429
    assert "Please wait before trying again" in response.content.decode()
    assert "Wait an hour" in response.content.decode()


def test_password_reset_takes_ten_requests_an_hour_from_one_client(client, user, mailoutbox):
    for number in range(10):
        ask_reset(client, f"someone{number}@example.org")

    response = ask_reset(client, "alice@example.org")

    assert response.status_code == 429
    assert mailoutbox == []


def test_password_reset_for_another_address_from_elsewhere_still_works(client, user, mailoutbox):
    for _ in range(4):
        ask_reset(client, "bob@example.org")

    response = ask_reset(client, "alice@example.org", address=ELSEWHERE)

    assert response.status_code == 302
    assert len(mailoutbox) == 1
