"""WCAG 2.2 AA, measured: axe-core (installed by the project's npm set-up, handed to the test
browser from node_modules, never fetched) on every main page of every role at a phone's and a
desk's width, and on the main forms in their error state: no violation.

axe is evaluated through the browser's debugging protocol, which the pages' own
Content-Security-Policy does not govern, so the pages are tested under their real policy.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from inquiries.models import InquiryGroup
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
# The forms each role fills in, posted empty: each must show its errors accessibly.
FORMS = {
    "researcher": (
        ("inquiries:group_create", None),
        ("inquiries:person_create", None),
        ("evidence:evidence_create", None),
        ("evidence:output_create", None),
        ("evidence:change_create", None),
        ("events:event_create", None),
        ("inquiries:activity_create", "group"),
        ("inquiries:membership_add", "group"),
    ),
    "manager": (
        ("sites:organisation_create", None),
        ("sites:site_create", "programme"),
        ("sites:framework_create", "programme"),
        ("accounts:invitation_create", "programme"),
        ("sites:programme_update", "programme"),
    ),
}


def form_paths(username: str, programme) -> list[str]:
    group = InquiryGroup.objects.get(programme=programme, short_name="Welfare PIT")
    records = {"group": group, "programme": programme}
    return [
        reverse(name, args=[records[record].pk] if record else None)
        for name, record in FORMS[username]
    ]


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
    # An edit form comes filled in: its name emptied, it is refused like a new one, and the
    # demo, which later tests read, is left as it was.
    browser.page.locator("main form").last.evaluate(
        """form => {
          form.noValidate = true;
          const name = form.querySelector("#id_name");
          if (name) name.value = "";
        }"""
    )
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
def test_every_main_form_in_its_error_state_is_accessible(
    demo_browser_page, demo_programme, username
):
    browser = demo_browser_page(width=390)
    browser.sign_in(username, DEMO_PASSWORD)

    found = {path: form_in_error(browser, path) for path in form_paths(username, demo_programme)}

    assert {path: problems for path, problems in found.items() if problems} == {}
