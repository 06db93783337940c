"""The researcher's daily journey in a real browser: sign in, open a group, log a meeting, see it.

Debian's chromium, headless, through Playwright, against pytest-django's live server. These tests
are transactional (the live server's thread reads committed data) and run last (see conftest.py).
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from accounts.models import User
from inquiries.enums import ActivityKind, MembershipRole
from inquiries.models import Activity, Attendance, InquiryGroup, Person
from tests.factories.inquiries import MembershipFactory, PersonFactory
from tests.factories.sites import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETING_DATE = dt.date(2016, 3, 8)
NOTE = (
    "Mapped the **welfare advice pathways** together.\n\n"
    "- Agreed to shadow a front-line worker\n"
    "- Next: bring the referral data"
)
CORE_NAMES = ["Ailsa Munro", "Callum Reid", "Fiona Baxter", "Hamish Doig", "Morag Lennie"]


@dataclass
class Journey:
    researcher: User
    group: InquiryGroup
    core: list[Person]


@pytest.fixture
def journey(cast) -> Journey:
    """The Fife researcher and the cast's Fife group, of five core members and one more.

    The periphery member is there to be left unticked: the meeting has exactly five attendees.
    """
    organisation = OrganisationFactory(programme=cast.programme, name="Fife Council")
    core = [
        MembershipFactory(
            group=cast.group,
            person=PersonFactory(programme=cast.programme, name=name, organisation=organisation),
            role=MembershipRole.CORE,
        ).person
        for name in CORE_NAMES
    ]
    MembershipFactory(
        group=cast.group,
        person=PersonFactory(programme=cast.programme, name="Isla Periphery"),
        role=MembershipRole.PERIPHERY,
    )
    return Journey(researcher=cast.fife_researcher, group=cast.group, core=core)


def test_researcher_logs_a_meeting_and_sees_it_on_the_group_timeline(
    browser_page, journey, tmp_path
):
    group = journey.group
    browser = browser_page()
    page = browser.page

    browser.sign_in(journey.researcher.username)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    # Open the group from "My work".
    page.get_by_role("region", name="Groups").get_by_role("link", name=group.name).click()
    expect(page).to_have_url(re.compile(rf"/groups/{group.pk}/$"))
    expect(page.get_by_role("heading", level=1, name=group.name)).to_be_visible()

    # Log the meeting.
    page.get_by_role("link", name="Log an activity").first.click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Log an activity"))).to_be_visible()
    page.get_by_label("Date").fill(MEETING_DATE.isoformat())
    page.get_by_label("Kind").select_option(label=ActivityKind.GROUP_MEETING.label)
    for person in journey.core:
        page.get_by_role(
            "checkbox", name=re.compile(rf"^({person.name}|{person.pseudonym})$")
        ).check()
    page.get_by_label("Reflective notes").fill(NOTE)
    page.get_by_role("button", name="Save activity").last.click()
    page.wait_for_load_state()
    errors = page.locator(".invalid-feedback, .alert").all_inner_texts()
    assert "/activities/" in page.url and "/new/" not in page.url, f"not saved: {errors}"
    # The activity's page renders the note's Markdown.
    notes = page.get_by_role("region", name="Reflective notes")
    expect(notes.locator("strong")).to_have_text("welfare advice pathways")
    expect(notes.locator("li")).to_have_count(2)

    # The group's timeline shows the meeting, five attendees and the note.
    browser.goto(group.get_absolute_url())
    timeline = page.locator("ol.activity-timeline > li")
    expect(timeline).to_have_count(1)
    meeting = timeline.first
    expect(meeting).to_contain_text("8 March 2016")
    expect(meeting).to_contain_text(ActivityKind.GROUP_MEETING.label)
    expect(meeting).to_contain_text("5 attended")
    expect(meeting).to_contain_text("welfare advice pathways")
    expect(meeting).to_contain_text("Agreed to shadow a front-line worker")
    meetings = page.locator("dl.figures > div").filter(has_text="Meetings").locator("dd")
    expect(meetings).to_have_text("1")

    screenshot = tmp_path / "group-page.png"
    page.screenshot(path=screenshot, full_page=True)
    print(f"group page screenshot: {screenshot}")

    activity = Activity.objects.get(group=group)
    assert activity.kind == ActivityKind.GROUP_MEETING
    assert activity.date == MEETING_DATE
    # Browsers submit a textarea's line breaks as CRLF (HTML's form encoding).
    assert activity.notes.replace("\r\n", "\n") == NOTE
    attendees = set(Attendance.objects.filter(activity=activity).values_list("person", flat=True))
    assert attendees == {person.pk for person in journey.core}
    assert browser.console_errors == []


# Elements reaching past the viewport's right edge, for the failure message.
WIDER_THAN_VIEWPORT = """() => Array.from(document.querySelectorAll("body *"))
    .filter((element) =>
        element.getBoundingClientRect().right > document.documentElement.clientWidth)
    .map((element) => `${element.tagName.toLowerCase()}.${element.className}`
        + ` right=${Math.round(element.getBoundingClientRect().right)}`)"""

# A picker's own select is hidden from assistive technology (static/js/pickers.js): its search
# box, labelled, is the field people meet.
UNLABELLED_FIELDS = """() => Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((field) => !["hidden", "submit", "button", "reset", "image"].includes(field.type))
    .filter((field) => !field.closest("[aria-hidden=true]"))
    .filter((field) => field.labels.length === 0 && !field.getAttribute("aria-label")
        && !field.getAttribute("aria-labelledby"))
    .map((field) => field.outerHTML)"""


@pytest.mark.parametrize("width", [390, 768, 1280], ids=["phone", "tablet", "desk"])
def test_group_page_has_no_horizontal_scroll(browser_page, journey, width):
    browser = browser_page(width=width, height=900)
    browser.sign_in(journey.researcher.username)

    browser.goto(journey.group.get_absolute_url())
    page = browser.page
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert widths["client"] == width
    assert widths["scroll"] <= widths["client"], (
        f"horizontal scroll on the group page at {width}px: {widths}; past the edge: "
        f"{page.evaluate(WIDER_THAN_VIEWPORT)}"
    )
    assert browser.console_errors == []


def test_every_field_of_the_log_activity_form_has_a_label(browser_page, journey):
    browser = browser_page(width=390, height=844)
    browser.sign_in(journey.researcher.username)

    browser.goto(f"/groups/{journey.group.pk}/activities/new/")
    page = browser.page
    assert page.locator("input[name=attendees]").count() == 6
    assert page.evaluate(UNLABELLED_FIELDS) == []
    assert browser.console_errors == []
