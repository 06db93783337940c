"""WCAG 2.2 AA, measured: axe-core (installed by the project's npm set-up, handed to the test
browser from node_modules, never fetched) on every main page of every role at a phone's and a
desk's width, and on the main forms in their error state: no violation.

axe is evaluated through the browser's debugging protocol, which the pages' own
Content-Security-Policy does not govern, so the pages are tested under their real policy.
"""

from pathlib import Path

import pytest
from django.conf import settings

from accounts.demo import DEMO_PASSWORD
from tests.browser.walk import main_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map(
    (v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`
  );
}
"""
WIDTHS = (390, 1280)
# The forms a role fills in daily, posted empty: each must show its errors accessibly.
FORMS = {
    "researcher": (
        "/groups/new/",
        "/people/new/",
        "/evidence/new/",
        "/outputs/new/",
        "/changes/new/",
        "/events/new/",
    ),
    "manager": ("/organisations/new/",),
}


def axe_violations(browser, path: str) -> list[str]:
    browser.goto(path)
    browser.page.evaluate(AXE.read_text())
    return browser.page.evaluate(RUN_AXE, WCAG_22_AA)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username", ["manager", "researcher", "lead"])
def test_no_main_page_has_an_accessibility_violation(demo_browser_page, username, width):
    browser = demo_browser_page(width=width)
    browser.sign_in(username, DEMO_PASSWORD)

    violations = main_pages(browser, axe_violations)

    assert {path: found for path, found in violations.items() if found} == {}


def form_in_error(browser, path: str) -> list[str]:
    """Posts the form at ``path`` empty; answers the page's violations and checks that its
    error summary holds the focus and names the page as in error."""
    browser.goto(path)
    if browser.page.locator("form [type=submit]:visible").count() == 0:
        return ["no form to post"]
    browser.page.locator("main form").last.evaluate("form => form.noValidate = true")
    browser.page.locator("main form [type=submit]:visible").last.click()
    browser.page.wait_for_load_state()
    page = browser.page
    problems = []
    if page.evaluate("document.activeElement && document.activeElement.id") != "error-summary":
        problems.append("focus is not on the error summary")
    if not page.title().startswith("Error: "):
        problems.append(f"title {page.title()!r}")
    page.evaluate(AXE.read_text())
    return problems + page.evaluate(RUN_AXE, WCAG_22_AA)


@pytest.mark.parametrize("username", list(FORMS))
def test_every_main_form_in_its_error_state_is_accessible(demo_browser_page, username):
    browser = demo_browser_page(width=390)
    browser.sign_in(username, DEMO_PASSWORD)

    found = {path: form_in_error(browser, path) for path in FORMS[username]}

    assert {path: problems for path, problems in found.items() if problems} == {}
