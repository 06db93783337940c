"""Headers on every response: the Content-Security-Policy, Permissions-Policy, and private
caching of signed-in pages."""

import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/", "/admin/login/"])
def test_every_page_has_a_content_security_policy_without_inline_code(client, path):
    policy = directives(client.get(path))

    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert all("unsafe" not in value for value in policy.values())


def test_signed_in_pages_have_the_policy_too(client):
    client.force_login(UserFactory())

    policy = directives(client.get(reverse("inquiries:group_list")))

    assert policy["default-src"] == "'self'"


def test_every_page_has_a_permissions_policy(client):
    response = client.get("/")

    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_signed_in_pages_may_be_kept_by_no_shared_cache(client):
    client.force_login(UserFactory())

    response = client.get(reverse("inquiries:group_list"))

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= cache_control


def test_the_sign_in_answer_is_private_once_signed_in(client):
    UserFactory(username="alice")

    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": "a-long-test-password"}
    )

    assert response.status_code == 302
    assert "private" in response["Cache-Control"]


def test_pages_for_visitors_are_not_marked_private(client):
    response = client.get("/")

    assert "private" not in response.get("Cache-Control", "")
