"""The page frame (base.html), its locally served assets and the favicon."""

from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

VENDOR_ASSETS = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
]


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside <script> tags."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.script_text = ""
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text += data.strip()

    def find(self, tag, **attrs):
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def page(client, url_name="home"):
    return Tags(client.get(reverse(url_name)).content.decode())


@pytest.mark.parametrize("path", VENDOR_ASSETS)
def test_vendor_asset_is_served_from_static(path):
    found = finders.find(path)

    assert found, f"{path} is missing: `make install` copies it from node_modules"


@pytest.mark.parametrize("path", VENDOR_ASSETS)
def test_vendor_asset_is_loaded_from_static_without_a_cdn(client, path):
    html = client.get(reverse("home")).content.decode()

    assert f"/static/{path}" in html
    assert "cdn" not in html.lower()


def test_base_page_declares_its_language(client):
    assert page(client).find("html", lang="en-GB")


def test_base_page_has_a_skip_link_to_the_main_landmark(client):
    tags = page(client)

    assert tags.find("a", href="#main")
    assert tags.find("main", id="main")


def test_signed_in_pages_have_a_labelled_main_navigation(client):
    client.force_login(UserFactory())

    assert page(client).find("nav", **{"aria-label": "Main"})


def test_base_page_scripts_come_from_static_and_are_deferred(client):
    tags = page(client)

    scripts = tags.find("script")
    assert scripts
    assert all(s.get("src", "").startswith("/static/") and "defer" in s for s in scripts)
    assert tags.script_text == ""


def test_base_page_has_no_inline_style(client):
    tags = page(client, "accounts:login")

    assert not tags.find("style")
    assert not [a for _, a in tags.tags if "style" in a]


def test_navbar_offers_sign_in_to_visitors(client):
    assert page(client).find("a", href=f"{reverse('accounts:login')}?next=/")


def test_navbar_offers_home_and_a_sign_out_form_to_signed_in_users(client):
    client.force_login(UserFactory())
    tags = page(client)

    assert tags.find("a", href=reverse("home"), **{"aria-current": "page"})
    assert tags.find("form", method="post", action=reverse("accounts:logout"))
    assert not tags.find("a", href=reverse("admin:index"))


def test_navbar_offers_administration_to_superusers_only(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert page(client).find("a", href=reverse("admin:index"))

    client.force_login(UserFactory(is_staff=True))
    assert not page(client).find("a", href=reverse("admin:index"))


def test_base_page_links_the_favicon(client):
    assert page(client).find("link", rel="icon", href="/static/img/favicon.svg")


def test_favicon_ico_redirects_to_the_svg(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response.url == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg")
