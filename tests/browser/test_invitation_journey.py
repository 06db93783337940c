"""A manager invites a researcher, who accepts in another browser, by keyboard alone where it
counts: the invitation form, the email's link, the password, the researcher's first page.

Debian's chromium, headless, through Playwright, against pytest-django's live server
(transactional, run last: see conftest.py). The email is read from Django's test outbox.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-fresh-long-password-2026"


def test_an_invited_researcher_accepts_and_sees_their_site(browser_page, cast):
    manager = browser_page()
    manager.sign_in(cast.manager.username)
    manager.goto(f"/programmes/{cast.programme.pk}/")
    manager.page.get_by_role("link", name="Users and roles").click()
    manager.page.get_by_role("link", name="Invite someone").click()
    page = manager.page
    page.get_by_label("Email address").fill("ailsa@example.org")
    page.get_by_label("Researcher").check()
    page.get_by_label("Fife").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("An invitation was sent to ailsa@example.org.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("ailsa@example.org"))).to_be_visible()

    link = re.search(r"(http://\S+/accounts/invitations/accept/\S+/)", mail.outbox[0].body)[1]
    invited = browser_page(width=390)
    invited.page.goto(link)
    # The keyboard alone: the name field, both passwords, then the button.
    invited.page.get_by_label("Your full name").focus()
    invited.page.keyboard.type("Ailsa Munro")
    for label in ("Choose a password", "The same password again"):
        invited.page.keyboard.press("Tab")
        assert invited.page.evaluate("document.activeElement.id") == _id_of(invited.page, label)
        invited.page.keyboard.type(NEW_PASSWORD)
    invited.page.keyboard.press("Tab")
    assert invited.page.evaluate("document.activeElement.value") == "Create my account"
    invited.page.keyboard.press("Enter")
    invited.page.wait_for_load_state()

    expect(invited.page.get_by_text("Welcome to")).to_be_visible()
    assert Role.objects.filter(user__email="ailsa@example.org", site=cast.fife).exists()
    invited.goto(f"/sites/{cast.fife.pk}/")
    expect(invited.page.get_by_role("heading", level=1)).to_contain_text("Fife")
    assert manager.console_errors == invited.console_errors == []


def _id_of(page, label: str) -> str:
    return page.get_by_label(label).get_attribute("id")
