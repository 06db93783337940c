"""The site dashboard in a real browser, on the demo programme: charts drawn, nothing broken.

Debian's chromium, headless, through Playwright, against the server of the demo programme as
it is committed (see conftest.py): the test only reads it.
"""

import shutil

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from accounts.enums import RoleKind
from accounts.models import Role
from tests.browser.test_researcher_journey import WIDER_THAN_VIEWPORT

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db]

# Where the lead looks at the latest screenshot of the dashboard.
SHARED_SCREENSHOT = "/tmp/dashboard.png"


@pytest.fixture
def demo_site_lead(demo_programme):
    """The demo's strategy lead sign-in, and the site they lead."""
    role = Role.objects.select_related("user", "site__programme").get(
        user__username="lead", role=RoleKind.STRATEGY_LEAD
    )
    return role.user, role.site


def dashboard_path(site, section="overview"):
    return f"/dashboards/{site.programme.slug}/sites/{site.slug}/?section={section}"


def draws_its_charts(browser_page, lead, site, tmp_path):
    browser = browser_page(width=1280, height=900)
    browser.sign_in(lead.username, DEMO_PASSWORD)
    page = browser.page

    for section in ("overview", "participation", "activity", "evidence", "themes"):
        browser.goto(dashboard_path(site, section))
        expect(page.get_by_role("heading", level=1)).to_contain_text(site.name)
        charts = page.locator("svg.pygal-chart")
        assert charts.count() > 0, f"no chart in {section}"
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box and box["width"] > 100 and box["height"] > 100, (section, index, box)
            # A drawn chart has bars, lines or dots in its plot.
            assert charts.nth(index).locator(".plot .series > *").count() > 0, (section, index)

    browser.goto(dashboard_path(site))
    screenshot = tmp_path / "site-dashboard.png"
    page.screenshot(path=screenshot, full_page=True)
    shutil.copyfile(screenshot, SHARED_SCREENSHOT)
    print(f"site dashboard screenshot: {screenshot} (and {SHARED_SCREENSHOT})")
    assert browser.console_errors == []


def has_no_horizontal_scroll_on_a_phone(browser_page, lead, site):
    browser = browser_page(width=390, height=844)
    browser.sign_in(lead.username, DEMO_PASSWORD)
    page = browser.page

    for section in ("overview", "participation", "activity", "evidence", "themes"):
        browser.goto(dashboard_path(site, section))
        widths = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth,"
            " client: document.documentElement.clientWidth})"
        )
        assert widths["scroll"] <= widths["client"], (
            f"horizontal scroll on the {section} section at 390px: {widths}; past the edge: "
            f"{page.evaluate(WIDER_THAN_VIEWPORT)}"
        )
    assert browser.console_errors == []


def test_site_dashboard_draws_its_charts(demo_browser_page, demo_site_lead, tmp_path):
    lead, site = demo_site_lead
    draws_its_charts(demo_browser_page, lead, site, tmp_path)


def test_site_dashboard_fits_a_phone(demo_browser_page, demo_site_lead):
    lead, site = demo_site_lead
    has_no_horizontal_scroll_on_a_phone(demo_browser_page, lead, site)


# Each chart text's size as drawn on the screen: its font size in the drawing times the scale
# the page draws it at (its transform's, rotation aside), and the smallest of each chart.
SMALLEST_TEXT = """() => [...document.querySelectorAll('svg.pygal-chart')].map(svg => {
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const m = t.getScreenCTM();
    return Math.hypot(m.a, m.b) * parseFloat(getComputedStyle(t).fontSize);
  });
  return {chart: svg.id, smallest: Math.min(...sizes)};
})"""
SMALLEST_PX = 11


def test_every_chart_prints_its_text_at_11px_or_more_on_a_phone(demo_browser_page, demo_programme):
    browser = demo_browser_page(width=390, height=844)
    browser.sign_in("manager", DEMO_PASSWORD)
    site = demo_programme.sites.get(slug="fife")
    group = demo_programme.groups.order_by("pk").first()
    paths = [
        f"/dashboards/{demo_programme.slug}/",
        f"/dashboards/{demo_programme.slug}/sites/{site.slug}/",
        f"/dashboards/{demo_programme.slug}/groups/{group.pk}/",
    ]
    measured = 0
    for path in paths:
        for section in ("overview", "participation", "activity", "evidence", "themes"):
            browser.goto(f"{path}?section={section}")
            charts = browser.page.evaluate(SMALLEST_TEXT)
            small = [c for c in charts if c["smallest"] < SMALLEST_PX]
            assert small == [], f"text under {SMALLEST_PX}px at 390px on {path} {section}"
            measured += len(charts)
    assert measured > 10
    assert browser.console_errors == []
