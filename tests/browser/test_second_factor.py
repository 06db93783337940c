"""A manager of a programme that requires a second factor sets up an authenticator app in a
real browser, with the keyboard only, under the Content-Security-Policy, then signs in again
with a code from it."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp

from accounts.enums import RoleKind
from tests.browser.conftest import PASSWORD
from tests.browser.test_content_security_policy import RECORD_VIOLATIONS
from tests.factories.accounts import user_with_role
from tests.factories.sites import ProgrammeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(shown_key: str, steps_ahead: int = 0) -> str:
    letters = shown_key.replace(" ", "")
    key = b32decode(letters + "=" * (-len(letters) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_manager_sets_up_an_app_and_signs_in_with_its_code(browser_page):
    programme = ProgrammeFactory(managers_need_second_factor=True)
    user_with_role(RoleKind.PROGRAMME_MANAGER, programme=programme, username="manager")
    browser = browser_page(width=390, height=900)
    page = browser.page
    page.add_init_script(RECORD_VIOLATIONS)

    browser.sign_in("manager")
    assert "/accounts/security/app/" in page.url
    assert page.get_by_role("img", name="QR code holding the key written below").is_visible()
    shown_key = page.locator("code.secret-key").inner_text()
    page.get_by_label("Code from the app").focus()
    page.keyboard.type(code_for(shown_key))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){2}", c) for c in codes)
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept them: continue").click()
    assert page.url.endswith("/")

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    browser.goto("/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/accounts/login/code/" in page.url
    page.get_by_label("Code").fill(code_for(shown_key, steps_ahead=1))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()

    assert page.get_by_text("Signed in as").is_visible()
    assert "/accounts/" not in page.url
    assert page.evaluate("window.__cspViolations") == []
    assert browser.console_errors == []
