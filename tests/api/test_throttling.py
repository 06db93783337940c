"""The API answers 429 past its rate: per token, per signed-in user, and per address for
anonymous requests; counted in the embedded default's cache (its process's memory) and in
Redis, which production names with CACHE_URL."""

import os
import uuid

import pytest
import redis
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.conftest import token_of, with_token

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("CELERY_BROKER_URL", "")


def _redis_cache(prefix: str) -> dict:
    if not REDIS_URL.startswith("redis://"):
        reason = "no Redis named by CELERY_BROKER_URL"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but there is {reason}", pytrace=False)
        pytest.skip(reason)
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }


@pytest.fixture(params=["locmem", "redis"])
def rates(request, settings):
    """Three requests a minute per token or user, two per anonymous address, counted in the
    cache named by the parameter (Redis: keys of the test's own, removed after it)."""
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    if request.param == "redis":
        settings.CACHES = {"default": _redis_cache(prefix)}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/min", "anonymous": "2/min"},
    }
    yield
    if request.param == "redis":
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        assert keys, "the counts were not kept in Redis"


def statuses(client, url, times) -> list[int]:
    return [client.get(url).status_code for _ in range(times)]


def test_a_token_past_its_rate_answers_429(rates, cast):
    client = with_token(APIClient(), token_of(cast.fife_researcher))

    answers = statuses(client, reverse("api:site-list"), 4)

    assert answers == [200, 200, 200, 429]
    refused = client.get(reverse("api:site-list"))
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"]


def test_each_token_has_its_own_rate(rates, cast):
    first = with_token(APIClient(), token_of(cast.fife_researcher, name="Board"))
    second = with_token(APIClient(), token_of(cast.fife_researcher, name="Spreadsheet"))
    url = reverse("api:site-list")

    assert statuses(first, url, 4)[-1] == 429
    assert statuses(second, url, 3) == [200, 200, 200]


def test_a_session_is_counted_by_its_user(rates, cast):
    client = APIClient()
    client.force_login(cast.fife_researcher)

    assert statuses(client, reverse("api:site-list"), 4) == [200, 200, 200, 429]


def test_anonymous_requests_are_counted_by_address(rates):
    here, there = APIClient(REMOTE_ADDR="192.0.2.1"), APIClient(REMOTE_ADDR="192.0.2.2")
    url = reverse("api:schema")

    assert statuses(here, url, 3) == [200, 200, 429]
    assert statuses(there, url, 1) == [200]
