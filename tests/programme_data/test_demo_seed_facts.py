"""Facts the seeds give that the demo holds on its events, sites and tables (seed:line)."""

import datetime as dt

import pytest

from events.enums import EventKind
from events.models import Event, FeedbackForm
from inquiries.enums import ActivityKind
from inquiries.models import Activity
from sites.models import CaseSite

pytestmark = pytest.mark.django_db


def test_the_aberdeen_event_on_preventative_spend_is_an_event(demo_programme):
    """000:462 "a national event was organised in Aberdeen with Aberdeenshire CPP as part of the
    series on preventative approaches"; 000:1127-1129 one of "Two collaborative learning days
    ... including a national What Works Scotland learning event on preventative spend in
    Aberdeen"; no date is published: "Nov 2015 - Dec 2016" (000:1327) is the timing of the
    whole row of development work, so the event is undated and its date note says so."""
    event = Event.objects.get(
        programme=demo_programme, title="National WWS learning event on preventative spend"
    )

    assert (event.kind, event.location) == (EventKind.LEARNING_DAY, "Aberdeen")
    assert (event.start_date, event.end_date) == (None, None)
    assert "November 2015 to December 2016" in event.date_note
    assert [site.name for site in event.sites.all()] == ["Aberdeenshire"]
    assert not event.attendance_counts.exists()


def test_west_dunbartonshires_one_day_facilitation_pilot_is_held(demo_programme):
    """000:526 "A one-day workshop piloted in West Dunbartonshire was later developed into a
    national two-day training for trainers programme"."""
    pilot = Activity.objects.get(
        programme=demo_programme,
        title="One-day facilitation workshop piloted in West Dunbartonshire",
    )

    assert (pilot.site.name, pilot.group, pilot.kind) == (
        "West Dunbartonshire",
        None,
        ActivityKind.WORKSHOP,
    )
    assert (pilot.count, pilot.attendance_total) == (1, None)


def test_aberdeenshires_five_local_research_reports_are_a_published_figure(demo_programme):
    """000:1142 "five local research reports, which were 'co-produced' to varying degrees":
    a total, since the seeds do not say which of the site's outputs they are."""
    site = CaseSite.objects.get(programme=demo_programme, name="Aberdeenshire")
    figure = site.engagement_figures.get(label__startswith="local research reports")

    assert (figure.value, figure.source) == (5, "000:1142")


def test_aberdeenshire_took_part_in_the_prevention_seminar_series(demo_programme):
    """000:1148 "What Works Scotland national events, including ... the prevention seminar
    series": no date, place or head count is given, so it is a note of the site's engagement."""
    site = CaseSite.objects.get(programme=demo_programme, name="Aberdeenshire")

    assert "prevention seminar series" in site.engagement_notes


def test_the_two_ketso_focus_groups_are_dated_only_where_the_seeds_date_them(demo_programme):
    """000:1215 "facilitated two focus groups using KETSO"; 000:1339 the Partnership Research
    Session in "Sept 2016" was the one "facilitated using KETSO approach"."""
    focus_groups = Activity.objects.filter(
        programme=demo_programme, group__short_name="Schools PIT", kind=ActivityKind.FOCUS_GROUP
    )

    assert sorted((a.date, a.count) for a in focus_groups if a.date) == [(dt.date(2016, 9, 1), 1)]
    assert [(a.date, a.count) for a in focus_groups if not a.date] == [(None, 1)]


def test_reflective_interviews_count_participants_not_interviews(demo_programme):
    """000:1328 "Twenty-three participants via reflective interview": how many interviews were
    held is unknown; the 23 is the group's published total of participants."""
    interviews = Activity.objects.get(programme=demo_programme, title="Reflective interviews")

    assert (interviews.count, interviews.count_unknown) == (None, True)
    figure = interviews.group.published_figures.get()
    assert (figure.value, figure.label) == (23, "participants via reflective interview")


def test_an_activity_listed_without_a_number_is_not_counted_as_one(demo_programme):
    """000:1367 "Ex-post interviews" and 000:1177 "Relationship building meetings" give no
    number; "a meeting of the CPP board held in Gorbals" (000:1265) is one."""
    by_title = {
        activity.title: (activity.count, activity.count_unknown)
        for activity in Activity.objects.filter(programme=demo_programme)
    }

    assert by_title["Ex-post interviews"] == (None, True)
    assert by_title["Relationship building meetings with original applicants"] == (None, True)
    assert by_title["Discussion at CPP board meeting held in Gorbals"] == (1, False)


def test_the_retreats_published_comments_are_all_held(demo_programme):
    """001:199-216: what was valuable, the challenges of the next steps, the four areas for
    future learning and what people said of the event itself, as the report summarises them."""
    form = FeedbackForm.objects.get(
        event__programme=demo_programme,
        event__title="National event 2: first collaborative retreat",
    )

    summary = form.published_summary
    assert "learning more about WWS' work and its own research agenda" in summary  # 001:212
    assert "The event itself:" in summary
    assert "accessibility and inclusiveness of the event" in summary  # 001:213
    assert "was also challenging" in summary  # 001:216
