"""Every main page of every role, in a real browser, under the Content-Security-Policy.

The policy forbids inline scripts and styles. A page that needed one would lose it silently:
the browser reports each refusal as a ``securitypolicyviolation`` event and a console error,
which these tests collect on the demo programme, signed in as each demo login.
"""

from urllib.parse import urlsplit

import pytest

from accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db]

# Runs before any of the page's own scripts, in every document the page opens.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI || "inline"}`);
});
"""
# A detail page of each kind, and each dashboard, is reached from the navigation's pages.
DETAIL_LINKS = (
    "main a[href^='/sites/'], main a[href^='/groups/'], main a[href^='/activities/'], "
    "main a[href^='/people/'], main a[href^='/events/'], main a[href^='/evidence/'], "
    "main a[href^='/outputs/'], main a[href^='/changes/'], main a[href^='/dashboards/'], "
    "main a[href^='/reports/'], main a[href^='/exports/'], main a[href^='/organisations/']"
)


def visit(browser, path: str) -> list[str]:
    """Opens the page; answers the violations it reported."""
    response = browser.goto(path)
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    return browser.page.evaluate("window.__cspViolations")


def links(browser, selector: str) -> list[str]:
    hrefs = browser.page.locator(selector).evaluate_all("as => as.map(a => a.href)")
    return [urlsplit(href)._replace(scheme="", netloc="").geturl() for href in hrefs]


def violations_met_by(browser, username: str) -> dict[str, list[str]]:
    """Signs in as ``username`` and opens each section and a detail page of each kind it links
    to; answers each page's violations."""
    browser.page.add_init_script(RECORD_VIOLATIONS)
    browser.sign_in(username, DEMO_PASSWORD)
    violations = {}

    visit(browser, "/")
    sections = ["/", *links(browser, "nav[aria-label='Main'] a")]
    details = []
    for path in sections:
        violations[path] = visit(browser, path)
        # The first record of each kind the section links to (a site, a group, a dashboard).
        kinds = set()
        for link in links(browser, DETAIL_LINKS):
            kind = link.split("/")[1]
            if kind not in kinds and link not in sections + details and "download" not in link:
                kinds.add(kind)
                details.append(link)
    for path in details:
        violations[path] = visit(browser, path)

    assert len(sections) >= 12 and len(details) > 10, (username, sections, details)
    return violations


def test_no_main_page_breaks_the_content_security_policy(demo_browser_page):
    for username in ("manager", "researcher", "lead"):
        browser = demo_browser_page()
        violations = violations_met_by(browser, username)

        assert {path: found for path, found in violations.items() if found} == {}, username
        csp_errors = [e for e in browser.console_errors if "Content Security Policy" in e]
        assert csp_errors == [], username
