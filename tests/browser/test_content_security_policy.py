"""Every main page of every role, in a real browser, under the Content-Security-Policy.

The policy forbids inline scripts and styles. A page that needed one would lose it silently:
the browser reports each refusal as a ``securitypolicyviolation`` event and a console error,
which these tests collect on the demo programme, signed in as each demo login.
"""

import pytest

from accounts.demo import DEMO_PASSWORD
from tests.browser.walk import main_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db]

# Runs before any of the page's own scripts, in every document the page opens.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI || "inline"}`);
});
"""


def visit(browser, path: str) -> list[str]:
    """Opens the page; answers the violations it reported."""
    response = browser.goto(path)
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    return browser.page.evaluate("window.__cspViolations")


def violations_met_by(browser, username: str) -> dict[str, list[str]]:
    """Signs in as ``username`` and opens its main pages; answers each page's violations."""
    browser.page.add_init_script(RECORD_VIOLATIONS)
    browser.sign_in(username, DEMO_PASSWORD)
    return main_pages(browser, visit)


def test_no_main_page_breaks_the_content_security_policy(demo_browser_page):
    for username in ("manager", "researcher", "lead"):
        browser = demo_browser_page()
        violations = violations_met_by(browser, username)

        assert {path: found for path, found in violations.items() if found} == {}, username
        csp_errors = [e for e in browser.console_errors if "Content Security Policy" in e]
        assert csp_errors == [], username
