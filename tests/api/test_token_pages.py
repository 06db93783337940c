"""Making, listing and revoking one's API tokens on the sign-in security page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create
from accounts.tokens import hash_token
from car_programme.exceptions import DomainError
from tests.api.conftest import new_token, with_token
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

SECURITY = reverse("accounts:second_factor")
CREATE = reverse("accounts:api_token_create")


def shown_secret(response) -> str:
    return re.search(r'id="api-token-secret"[^>]*value="([^"]+)"', response.content.decode())[1]


def test_a_made_token_is_shown_once_and_works(client, api, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(CREATE, {"name": "Council board", "lifetime": "30"})

    assert response.status_code == 200
    secret = shown_secret(response)
    token = ApiToken.objects.get(user=cast.fife_researcher)
    assert (token.name, token.prefix, token.token_hash) == (
        "Council board",
        secret[:8],
        hash_token(secret),
    )
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    assert secret not in client.get(SECURITY).content.decode()
    site = with_token(api, secret).get(reverse("api:site-detail", args=[cast.fife.pk]))
    assert site.status_code == 200


def test_the_security_page_lists_the_user_s_tokens_only(client, cast):
    token, _ = new_token(cast.fife_researcher, name="Council board")
    new_token(cast.manager, name="Another person's")
    client.force_login(cast.fife_researcher)

    page = client.get(SECURITY).content.decode()

    assert "Council board" in page
    assert f"<code>{token.prefix}</code>" in page
    assert "Another person&#x27;s" not in page
    assert "Never" in page  # not used yet


def test_a_name_is_required(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(CREATE, {"name": " ", "lifetime": "90"})

    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_lifetime_not_offered_is_refused(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(CREATE, {"name": "Forever", "lifetime": "3650"})

    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_service_refuses_a_token_of_more_than_a_year(cast):
    with pytest.raises(DomainError, match="a year at most"):
        api_token_create(user=cast.fife_researcher, name="Forever", lifetime=dt.timedelta(days=366))


def test_revoking_a_token_stops_it_at_once(client, api, cast):
    token, secret = new_token(cast.fife_researcher)
    client.force_login(cast.fife_researcher)

    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]), follow=True)

    assert "was revoked: it no longer works" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.latest().history_user == cast.fife_researcher
    assert with_token(api, secret).get(reverse("api:site-list")).status_code == 401


def test_another_user_s_token_cannot_be_revoked(client, cast):
    token, _ = new_token(cast.manager)
    client.force_login(cast.fife_researcher)

    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_says_so(client, cast):
    token, _ = new_token(cast.fife_researcher)
    client.force_login(cast.fife_researcher)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))

    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]), follow=True)

    assert "was already revoked" in response.content.decode()


def test_revoking_asks_for_a_post(client, cast):
    token, _ = new_token(cast.fife_researcher)
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("accounts:api_token_revoke", args=[token.pk]))

    assert response.status_code == 405


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.post(CREATE, {"name": "Board", "lifetime": "90"})

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_history_keeps_no_hash(cast):
    token, _ = new_token(cast.fife_researcher)

    assert not hasattr(token.history.latest(), "token_hash")


@pytest.mark.parametrize("size", [2, 20])
def test_the_security_page_s_queries_do_not_grow_with_the_tokens(client, size):
    user = UserFactory()
    for number in range(size):
        token, _ = new_token(user, name=f"Token {number}")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    client.force_login(user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(SECURITY)

    assert response.content.decode().count("Revoke<span") == size
    assert len(queries) == 10
