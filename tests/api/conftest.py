"""The API's tests: a client that sends a personal token, made through the account services."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke


def new_token(user, *, name="Performance board", days=90) -> tuple[ApiToken, str]:
    """A new token of ``user``, and its secret."""
    return api_token_create(user=user, name=name, lifetime=dt.timedelta(days=days))


def token_of(user, **kwargs) -> str:
    """The secret of a new token of ``user``."""
    return new_token(user, **kwargs)[1]


def revoked_token_of(user) -> str:
    token, secret = new_token(user)
    api_token_revoke(token=token, by=user)
    return secret


def expired_token_of(user) -> str:
    token, secret = new_token(user)
    past = timezone.now() - dt.timedelta(days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=past - dt.timedelta(days=90), expires_at=past
    )
    return secret


def with_token(client: APIClient, secret: str | None) -> APIClient:
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def api():
    return APIClient()
