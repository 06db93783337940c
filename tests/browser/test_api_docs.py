"""The API's documentation page in a real browser, under the Content-Security-Policy of every
page: Swagger UI draws the operations from the schema and, signed in, a request tried from the
page is answered with the records the user may read."""

import pytest

from tests.browser.test_content_security_policy import RECORD_VIOLATIONS
from tests.factories.sites import ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_documentation_page_works_under_the_content_security_policy(browser_page, cast):
    browser = browser_page()
    page = browser.page
    page.add_init_script(RECORD_VIOLATIONS)
    browser.sign_in(cast.fife_researcher.username)

    browser.goto("/api/v1/docs/")
    page.locator(".opblock-summary-path", has_text="/api/v1/sites/").first.wait_for()
    page.locator("#operations-sites-sites_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda response: "/api/v1/sites/" in response.url) as answer:
        page.get_by_role("button", name="Execute").click()

    assert answer.value.status == 200
    assert {site["name"] for site in answer.value.json()["results"]} == {"Fife", "Glasgow"}
    assert page.evaluate("window.__cspViolations") == []
    assert [e for e in browser.console_errors if "Content Security Policy" in e] == []


def test_a_write_tried_from_the_page_sends_the_session_s_csrf_token(browser_page, cast):
    theme = ThemeFactory(programme=cast.programme, name="Prevention")
    browser = browser_page()
    page = browser.page
    browser.sign_in(cast.manager.username)

    browser.goto("/api/v1/docs/")
    operation = page.locator("#operations-themes-themes_partial_update")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='id']").fill(str(theme.pk))
    operation.locator("textarea.body-param__text").fill('{"name": "Prevention first"}')
    with page.expect_response(lambda r: f"/api/v1/themes/{theme.pk}/" in r.url) as answer:
        operation.get_by_role("button", name="Execute").click()

    assert (answer.value.status, answer.value.json()["name"]) == (200, "Prevention first")
    theme.refresh_from_db()
    assert theme.name == "Prevention first"
