"""A programme starts without a developer: a superuser sets it up in the workspace (two sites,
a theme framework, organisations), invites a researcher and a strategy lead, who accept and
sign in; the researcher then makes a group with members and logs a meeting with its attendance
by the keyboard alone. No page of the administration is opened.

Debian's chromium, headless, through Playwright, against pytest-django's live server
(transactional, run last: see conftest.py). The emails are read from Django's test outbox.
"""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from inquiries.models import Activity, InquiryGroup
from sites.models import Programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORDS = {"researcher": "a-researchers-long-password", "lead": "a-strategy-leads-password"}
MEMBERS = ("Morven Reid", "Tomasz Nowak", "Aileen Shaw")


def test_a_superuser_sets_up_a_programme_whose_people_then_work_in_it(
    browser_page, cast, record_property
):
    admin = browser_page()
    opened = _paths_opened(admin)
    admin.sign_in(cast.superuser.username)
    started = time.perf_counter()
    programme = _make_programme(admin)
    for name in ("North Shore", "South Vale"):
        _add_site(admin, programme, name)
    _add_framework(admin, programme)
    _add_organisation(admin, programme)
    for email, role in (("rhona@example.org", "Researcher"), ("kit@example.org", "Strategy lead")):
        _invite(admin, programme, email, role)
    # How long setting a programme up takes in the browser, for the record (junit's property).
    record_property("setup_seconds", round(time.perf_counter() - started, 1))

    researcher = _accept(browser_page, mail.outbox[0].body, "Rhona Gray", PASSWORDS["researcher"])
    lead = _accept(browser_page, mail.outbox[1].body, "Kit Lang", PASSWORDS["lead"])
    for page in (researcher, lead):
        expect(page.page.get_by_role("heading", level=1, name="My work")).to_be_visible()
        expect(page.page.locator("main")).to_contain_text("North Shore")
    _sign_in_again(browser_page, "kit@example.org", PASSWORDS["lead"])

    tab_stops = _keyboard_group_and_meeting(researcher)
    record_property("tab_stops_to_attendance", tab_stops["attendance"])

    group = InquiryGroup.objects.get(programme=programme, name="Harbour inquiry")
    assert sorted(group.memberships.values_list("person__name", flat=True)) == sorted(MEMBERS)
    meeting = Activity.objects.get(group=group)
    assert sorted(meeting.attendees.values_list("name", flat=True)) == sorted(MEMBERS)
    assert [path for path in opened if path.startswith("/admin")] == []
    # The attendance of the log form, reached by its skip link: far fewer than the 68 tab stops
    # it took before the skip links.
    assert tab_stops["attendance"] <= 15, tab_stops
    for page in (admin, researcher, lead):
        assert page.console_errors == []


def _paths_opened(browser) -> list[str]:
    opened = []
    prefix = len(browser.base_url)
    browser.page.context.on("request", lambda request: opened.append(request.url[prefix:]))
    return opened


def _submit(browser, name: str):
    browser.page.get_by_role("button", name=name).click()
    browser.page.wait_for_load_state()


def _make_programme(browser) -> Programme:
    page = browser.page
    browser.goto("/programmes/")
    page.get_by_role("link", name="Make a programme").click()
    page.get_by_label("Name").fill("Coastal Partnerships Inquiry")
    page.get_by_label("Funders").fill("The Coastal Trust")
    page.get_by_label("Start date").fill("2027-01-01")
    page.get_by_label("End date").fill("2028-12-31")
    page.get_by_label("Description").fill("Collaborative action research in two partnerships.")
    _submit(browser, "Save programme")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Set up")
    return Programme.objects.get(name="Coastal Partnerships Inquiry")


def _add_site(browser, programme: Programme, name: str):
    browser.goto(f"/programmes/{programme.pk}/sites/new/")
    browser.page.locator("#id_name").fill(name)
    _submit(browser, "Save site")
    expect(browser.page.get_by_role("heading", level=1)).to_contain_text(name)


def _add_framework(browser, programme: Programme):
    browser.goto(f"/programmes/{programme.pk}/frameworks/new/")
    browser.page.get_by_label("Framework name").fill("Principles")
    browser.page.get_by_label("Themes").fill("Prevention\nPartnership\nPlace")
    _submit(browser, "Save framework")
    expect(browser.page.locator("main")).to_contain_text("Partnership")


def _add_organisation(browser, programme: Programme):
    page = browser.page
    browser.goto(f"/organisations/new/?programme={programme.pk}")
    page.get_by_label("Name").fill("North Shore Council")
    page.get_by_label("Sector").select_option(label="Local authority")
    page.get_by_label("North Shore").check()
    _submit(browser, "Save organisation")
    expect(page.get_by_role("heading", level=1)).to_contain_text("North Shore Council")


def _invite(browser, programme: Programme, email: str, role: str):
    page = browser.page
    browser.goto(f"/programmes/{programme.pk}/")
    page.get_by_role("link", name="Users and roles").click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label(role, exact=True).check()
    page.get_by_label("North Shore").check()
    _submit(browser, "Send invitation")
    expect(page.get_by_text(f"An invitation was sent to {email}.")).to_be_visible()


def _accept(browser_page, body: str, name: str, password: str):
    link = re.search(r"(http://\S+/accounts/invitations/accept/\S+/)", body)[1]
    invited = browser_page(width=390)
    invited.page.goto(link)
    invited.page.get_by_label("Your full name").fill(name)
    invited.page.get_by_label("Choose a password").fill(password)
    invited.page.get_by_label("The same password again").fill(password)
    _submit(invited, "Create my account")
    invited.goto("/")
    return invited


def _sign_in_again(browser_page, email: str, password: str):
    """A second sign-in, from a fresh browser, with the password chosen on accepting."""
    later = browser_page()
    later.sign_in(email, password)
    expect(later.page.get_by_role("heading", level=1, name="My work")).to_be_visible()


# --- The keyboard alone -----------------------------------------------------------------------


def _active(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {id: el.id, text: (el.innerText || el.value || "").trim(), tag: el.tagName};
        }"""
    )


def _tab_to(page, *, text: str | None = None, id: str | None = None, limit: int = 80) -> int:
    """Presses Tab until the focus is on the element of that text or id; answers how many."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        active = _active(page)
        if (text is not None and active["text"] == text) or (id is not None and active["id"] == id):
            return presses
    raise AssertionError(f"{text or id} not reached in {limit} tab stops")


def _enter_and_load(page):
    """Enter on a link or in a form, and the page it leads to loaded."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _keyboard_group_and_meeting(browser) -> dict[str, int]:
    page = browser.page
    stops = {}
    browser.goto("/groups/")
    _tab_to(page, text="New group")
    _enter_and_load(page)
    _tab_to(page, id="id_name")
    page.keyboard.type("Harbour inquiry")
    _tab_to(page, id="id_sites_0")
    page.keyboard.press("Space")
    _enter_and_load(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harbour inquiry")

    for name in MEMBERS:
        _tab_to(page, text="Add a member")
        _enter_and_load(page)
        _tab_to(page, id="id_new_name")
        page.keyboard.type(name)
        _enter_and_load(page)
        expect(page.locator("main")).to_contain_text(name)

    _tab_to(page, text="Log an activity")
    _enter_and_load(page)
    stops["attendance"] = _tab_to(page, text="Skip to attendance")
    page.keyboard.press("Enter")
    stops["attendance"] += _tab_to(page, text="Tick everyone")
    page.keyboard.press("Enter")
    _tab_to(page, text="Save activity")
    _enter_and_load(page)
    expect(page.locator("main")).to_contain_text("saved")
    return stops
