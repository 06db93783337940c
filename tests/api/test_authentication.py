"""Personal API tokens at the door of the API: how they are sent, when they are refused, and
what a use of one writes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, Role
from tests.api.conftest import expired_token_of, new_token, revoked_token_of, token_of
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(cast):
    return reverse("api:site-detail", args=[cast.fife.pk])


def get(api, url, authorization=None):
    if authorization is not None:
        api.credentials(HTTP_AUTHORIZATION=authorization)
    return api.get(url)


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_token_is_read_after_either_keyword(api, cast, url, keyword):
    response = get(api, url, f"{keyword} {token_of(cast.fife_researcher)}")

    assert (response.status_code, response.json()["name"]) == (200, "Fife")


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        (revoked_token_of, "This API token was revoked: make a new one on your account page."),
        (expired_token_of, "This API token expired on "),
        (lambda user: "not-a-token-of-anyone", "This API token is not valid"),
    ],
    ids=["revoked", "expired", "unknown"],
)
def test_a_dead_token_answers_401_with_its_reason(api, cast, url, secret, reason):
    response = get(api, url, f"Bearer {secret(cast.manager)}")

    assert response.status_code == 401
    assert response.json()["detail"].startswith(reason)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_the_token_of_a_closed_account_is_refused_as_an_unknown_one(api, cast, url):
    secret = token_of(cast.fife_researcher)
    cast.fife_researcher.is_active = False
    cast.fife_researcher.save(update_fields=["is_active"])

    response = get(api, url, f"Bearer {secret}")

    assert response.status_code == 401
    assert response.json()["detail"].startswith("This API token is not valid")


@pytest.mark.parametrize("header", ["Bearer", "Bearer two words", "Bearer caf\u00e9"])
def test_a_malformed_authorization_answers_401(api, cast, url, header):
    response = api.get(url, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


def test_without_credentials_the_api_answers_401_and_names_the_scheme(api, url):
    response = api.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_acts_with_its_user_s_roles_as_they_are_at_each_request(api, cast, url):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_of(cast.fife_researcher)}")
    assert api.get(url).status_code == 200

    Role.objects.filter(user=cast.fife_researcher).delete()

    assert api.get(url).status_code == 404


def test_a_token_s_use_is_written_at_most_once_a_minute(api, cast, url):
    token, secret = new_token(cast.fife_researcher)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def updates():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        return sum(q["sql"].startswith("UPDATE") for q in queries.captured_queries)

    first, second = updates(), updates()
    token.refresh_from_db()
    used = token.last_used_at
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=used - dt.timedelta(minutes=2))
    third = updates()

    assert (first, second, third) == (1, 0, 1)
    assert timezone.now() - used < dt.timedelta(seconds=30)


def test_a_token_request_leaves_no_session_and_is_kept_by_no_shared_cache(api, cast, url):
    response = get(api, url, f"Bearer {token_of(cast.fife_researcher)}")

    assert "sessionid" not in response.cookies
    assert {"private", "no-cache"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_a_session_without_a_role_reads_nothing(api, cast, url):
    api.force_login(UserFactory())

    assert api.get(url).status_code == 404
    assert api.get(reverse("api:site-list")).json()["count"] == 0
