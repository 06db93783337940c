"""Figures kept as rows beside the records they count, so that a dashboard reads a few rows
per activity rather than every attendance row behind them.

Each write that changes what an activity's attendance says about organisations (who attended,
a person's organisation, a person deleted) refreshes the activities it touched here, in its own
transaction; a write that replaces a programme's records in bulk (the loaders, the synthetic
programmes) rebuilds the programme's rows. ``manage.py rebuild_rollups`` rebuilds them all.
An activity's rows go with it, and an organisation's with the organisation (the cascade).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection
from django.db.models import QuerySet

from inquiries.models import Activity, Attendance, CoAttendance, Person
from sites.models import Programme


def co_attendance_refresh(activities: QuerySet[Activity] | Collection[int]) -> None:
    """Recompute the co-attendance rows of ``activities`` (a query, or ids) from their
    attendance: one row per pair of organisations present, one per organisation present."""
    if not isinstance(activities, QuerySet) and not activities:
        return
    if isinstance(activities, QuerySet):
        activities = activities.values("pk")
    CoAttendance.objects.filter(activity__in=activities).delete()
    present = (
        Attendance.objects.filter(activity__in=activities, person__organisation__isnull=False)
        .order_by()
        .values("activity", "person__organisation")
        .distinct()
    )
    present_sql, params = present.query.sql_with_params()
    # Each organisation once per activity, then paired on the activity with itself and with
    # every larger one: the rows the network sums.
    sql = f"""
        WITH present (activity, organisation) AS ({present_sql})
        INSERT INTO {CoAttendance._meta.db_table} (activity_id, organisation_id, other_id)
        SELECT one.activity, one.organisation, other.organisation
        FROM present one JOIN present other
          ON other.activity = one.activity AND other.organisation >= one.organisation
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def co_attendance_of_person(person: Person) -> list[int]:
    """The ids of the activities ``person`` attended, whose rows a change to the person's
    organisation, or their deletion, must refresh (read before a deletion takes them)."""
    return list(Attendance.objects.filter(person=person).values_list("activity_id", flat=True))


def rollups_rebuild(programme: Programme | None = None) -> None:
    """Rebuild every rollup of ``programme``, or of every programme, from its records."""
    activities = Activity.objects.all()
    if programme is not None:
        activities = activities.filter(programme=programme)
    co_attendance_refresh(activities)
