"""Error pages: in the product's layout, saying what happened in plain words, with a way back."""

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from accounts.enums import RoleKind
from tests.factories.accounts import UserFactory, user_with_role
from tests.factories.inquiries import InquiryGroupFactory
from tests.factories.sites import CaseSiteFactory

pytestmark = pytest.mark.django_db

LAYOUT = '<link rel="stylesheet" href="/static/css/site.css">'


def assert_in_layout(page: str, heading: str, way_back: str):
    assert LAYOUT in page
    assert f"<h1>{heading}</h1>" in page
    assert f'href="/">{way_back}</a>' in page


def test_a_strategy_lead_opening_an_edit_page_gets_the_products_403(client):
    site = CaseSiteFactory()
    group = InquiryGroupFactory(programme=site.programme)
    group.sites.set([site])
    lead = user_with_role(RoleKind.STRATEGY_LEAD, programme=site.programme, site=site)
    client.force_login(lead)

    response = client.get(reverse("inquiries:group_update", args=[group.pk]))

    assert response.status_code == 403
    page = response.content.decode()
    assert "403 Forbidden" not in page
    assert_in_layout(page, "You may not do this", "Back to My work")
    assert "ask your programme manager" in page


def test_a_missing_page_gets_the_products_404(client):
    client.force_login(UserFactory())

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert_in_layout(page, "Page not found", "Back to My work")
    assert 'aria-label="Main"' in page  # the signed-in navigation, to go anywhere else


def test_a_missing_page_signed_out_offers_the_start_page(client):
    response = client.get("/no-such-page/")

    assert_in_layout(response.content.decode(), "Page not found", "Back to the start page")


def test_a_server_error_gets_the_products_500(rf):
    # Django renders the 500 page without the request's context: it must not need it.
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert_in_layout(response.content.decode(), "Something went wrong", "Back to the start page")


def test_a_form_without_its_csrf_token_gets_the_products_403():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "x"})

    assert response.status_code == 403
    assert_in_layout(response.content.decode(), "The form has expired", "Back to the start page")


def test_a_request_for_an_unknown_host_gets_the_products_400(client):
    response = client.get("/", HTTP_HOST="elsewhere.example")

    assert response.status_code == 400
    assert_in_layout(
        response.content.decode(), "This request could not be understood", "Back to the start page"
    )
