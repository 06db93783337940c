"""Facts the seeds give that the demo holds on its events, sites and tables (seed:line)."""

import datetime as dt

import pytest

from events.enums import EventKind
from events.models import Event
from inquiries.enums import ActivityKind
from inquiries.models import Activity

pytestmark = pytest.mark.django_db


def test_the_aberdeen_event_on_preventative_spend_is_an_event(demo_programme):
    """000:462 "a national event was organised in Aberdeen with Aberdeenshire CPP as part of the
    series on preventative approaches"; 000:1127-1129 one of "Two collaborative learning days
    ... including a national What Works Scotland learning event on preventative spend in
    Aberdeen"; no date is published, the row's timing is "Nov 2015 - Dec 2016" (000:1327)."""
    event = Event.objects.get(
        programme=demo_programme, title="National WWS learning event on preventative spend"
    )

    assert (event.kind, event.location) == (EventKind.LEARNING_DAY, "Aberdeen")
    assert (event.start_date, event.end_date) == (dt.date(2015, 11, 1), dt.date(2016, 12, 31))
    assert event.date_precision == "month"
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
