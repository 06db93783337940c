"""Writes through the API with the browser's session need its CSRF token; with a personal
token they do not (a page of another site cannot make a browser send one)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from api.views.sites import ThemeViewSet
from tests import factories
from tests.api.conftest import token_of, with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme(cast):
    return factories.ThemeFactory(programme=cast.programme, name="Prevention")


@pytest.fixture
def session(cast):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.manager)
    return client


def rename(client, theme, name, **headers):
    return client.patch(reverse("api:theme-detail", args=[theme.pk]), {"name": name}, **headers)


def test_a_session_write_without_the_csrf_token_is_refused(session, theme):
    response = rename(session, theme, "Renamed")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    theme.refresh_from_db()
    assert theme.name == "Prevention"


def test_a_session_write_with_the_csrf_token_is_done(session, theme):
    session.get(reverse("accounts:second_factor"))  # a page sets the CSRF cookie
    csrf = session.cookies["csrftoken"].value

    response = rename(session, theme, "Renamed", HTTP_X_CSRFTOKEN=csrf)

    assert response.status_code == 200
    theme.refresh_from_db()
    assert theme.name == "Renamed"


def test_a_session_read_needs_no_csrf_token(session, theme):
    response = session.get(reverse("api:theme-detail", args=[theme.pk]))

    assert response.json()["name"] == "Prevention"


def test_a_token_write_needs_no_csrf_token(cast, theme):
    client = with_token(APIClient(enforce_csrf_checks=True), token_of(cast.manager))

    response = rename(client, theme, "Renamed")

    assert response.status_code == 200
    theme.refresh_from_db()
    assert theme.name == "Renamed"


def test_a_read_only_resource_refuses_writes(cast):
    client = with_token(APIClient(), token_of(cast.manager))

    response = client.patch(reverse("api:site-detail", args=[cast.fife.pk]), {"name": "Renamed"})

    assert response.status_code == 405


def test_a_write_whose_action_names_no_rule_is_refused_as_a_mistake(cast, theme):
    class Careless(ThemeViewSet):
        write_permissions = {}

    request = APIRequestFactory().patch("/", {"name": "Renamed"}, format="json")
    force_authenticate(request, user=cast.manager)

    with pytest.raises(ImproperlyConfigured, match="names no rule for 'partial_update'"):
        Careless.as_view({"patch": "partial_update"})(request, pk=theme.pk)
    theme.refresh_from_db()
    assert theme.name == "Prevention"
