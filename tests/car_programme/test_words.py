"""Sentences read right whatever fills them: articles, plurals, dates, single days."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.enums import RoleKind
from car_programme import words
from car_programme.dates import DatePrecision, format_partial_date, format_partial_span
from car_programme.words import counted, known_count, undated, with_article
from tests.factories.accounts import RoleFactory
from tests.factories.events import FeedbackFormFactory, FeedbackQuestionFactory, event_in
from tests.factories.inquiries import ActivityFactory
from tests.factories.sites import CaseSiteFactory

pytestmark = pytest.mark.django_db

FEB_20 = dt.date(2025, 2, 20)


@pytest.fixture
def manager(client):
    site = CaseSiteFactory()
    user = RoleFactory(programme=site.programme, site=None, role=RoleKind.PROGRAMME_MANAGER).user
    client.force_login(user)
    return site


def test_counts_agree_with_their_nouns():
    assert [counted(n, "event") for n in (0, 1, 2)] == ["0 events", "1 event", "2 events"]
    assert counted(1, "activity", "activities") == "1 activity"
    assert counted(3, "activity", "activities") == "3 activities"


def test_articles_follow_the_sound():
    assert [with_article(p) for p in ("end-of-programme report", "site report", "event")] == [
        "an end-of-programme report",
        "a site report",
        "an event",
    ]


def test_the_end_of_programme_request_page_takes_an(client, manager):
    page = client.get(
        reverse("reports:report_request", args=["end_of_programme", manager.programme.pk])
    ).content.decode()

    assert "Request an end-of-programme report" in page
    assert "a end-of-programme" not in page


@pytest.mark.parametrize(("more", "note"), [(1, "1 more event is"), (2, "2 more events are")])
def test_one_event_is_one_event_in_a_report(more, note):
    html = render_to_string(
        "reports/pdf/sections/_events.html",
        {
            "events_summary": {"count": 1},
            "events": [],
            "events_more": more,
            "shares": [],
            "charts": {},
        },
    )

    assert "(1 event)" in html
    assert f"{note} not listed here" in html


def test_a_single_day_reads_as_one_date():
    assert format_partial_span(FEB_20, None, DatePrecision.DAY) == "20 February 2025"
    assert format_partial_span(FEB_20, dt.date(2025, 2, 21), DatePrecision.DAY) == (
        "20 February 2025 to 21 February 2025"
    )


def test_single_day_events_and_meetings_show_their_day(client, manager):
    event = event_in(manager, title="Learning day", start_date=FEB_20)
    meeting = ActivityFactory(programme=manager.programme, date=FEB_20)
    meeting.group.sites.set([manager])

    pages = [
        client.get(reverse("events:event_detail", args=[event.pk])),
        client.get(reverse("events:event_list")),
        client.get(reverse("inquiries:activity_detail", args=[meeting.pk])),
    ]

    for response in pages:
        text = response.content.decode()
        assert "20 February 2025" in text
        assert "from 20 February 2025" not in text


def test_feedback_questions_are_listed_without_their_position_number(client, manager):
    form = FeedbackFormFactory(event=event_in(manager))
    FeedbackQuestionFactory(form=form, text="I learnt a lot", position=0)

    page = client.get(reverse("events:feedbackform_detail", args=[form.pk])).content.decode()

    assert "I learnt a lot" in page
    assert "position" not in page


def test_dates_have_one_format_on_pages_and_in_python():
    assert format_partial_date(dt.date(2024, 11, 18), DatePrecision.DAY) == "18 November 2024"
    assert format_partial_date(dt.date(2024, 11, 18), DatePrecision.MONTH) == "November 2024"
    formats = set()
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        formats |= set(re.findall(r"\|date:(\S+?)[ |}]", template.read_text()))
    # Named formats only (car_programme/formats/en_GB), and ISO for machines (<time datetime>).
    assert formats <= {'"DATETIME_FORMAT"', '"YEAR_MONTH_FORMAT"', "'c'"}


def test_records_named_by_their_date_use_the_one_format():
    meeting = ActivityFactory(date=dt.date(2016, 1, 12), title="")

    assert str(meeting) == "Group meeting (12 January 2016)"


def test_a_one_minute_meeting_lasts_one_minute(client, manager):
    meeting = ActivityFactory(programme=manager.programme, duration_minutes=1)
    meeting.group.sites.set([manager])

    page = client.get(reverse("inquiries:activity_detail", args=[meeting.pk])).content.decode()

    assert "1 minute<" in page


def test_undated_says_how_many_have_no_known_date():
    assert undated(0, "activity", "activities") == ""
    assert undated(1, "activity", "activities") == "1 activity has no known date"
    assert undated(3, "activity", "activities") == "3 activities have no known date"


def test_known_count_says_at_least_or_unknown_for_uncounted_records():
    assert known_count(12, 0) == "12"
    assert known_count(12, 1) == "at least 12"
    assert known_count(0, 2) == "unknown"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(7, "7"), (1234, "1,234"), (250_000, "250,000"), ("Fife", "Fife"), ("", ""), (None, None)],
)
def test_a_count_is_printed_with_its_thousands_grouped_and_a_label_as_it_is(value, shown):
    assert words.figure(value) == shown
