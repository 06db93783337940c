"""Figures kept as rows beside the records they count, so that a dashboard reads a row per
pair of organisations where they met rather than every attendance row behind them.

The co-attendance network reads, with no date range, the totals of each programme, site and
group (``CoAttendanceTotal``); with a range, the rows of each activity (``CoAttendance``), so
that a range keeps exactly the activities of its days. Each write that changes what an
activity's attendance says about organisations (who attended, a person's organisation, where
the activity is, its deletion) refreshes the activities it touched here, in its own
transaction, and the totals of wherever they were and are; a write that replaces a programme's
records in bulk (the loaders, the synthetic programmes) rebuilds the programme's rows.
``manage.py rebuild_rollups`` rebuilds them all. A site's, group's or organisation's rows go
with it (the cascade).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Collection, Iterator

from django.db import connection
from django.db.models import Count, Q, QuerySet

from inquiries.models import Activity, Attendance, CoAttendance, CoAttendanceTotal, Person
from sites.models import Programme

Placing = tuple[int, int | None, int | None]  # an activity's programme, site and group ids


@contextlib.contextmanager
def co_attendance_refreshed(activities: Collection[int]) -> Iterator[None]:
    """Refresh the rows of ``activities`` once the block, which may delete them, is done."""
    placed = co_attendance_placings(activities)
    yield
    co_attendance_refresh(activities, placed=placed)


def co_attendance_refresh(
    activities: QuerySet[Activity] | Collection[int], *, placed: Collection[Placing] = ()
) -> None:
    """Recompute the co-attendance rows of ``activities`` (a query, or ids) from their
    attendance: one row per pair of organisations present, one per organisation present; and
    the totals of wherever they were (and ``placed``) and now are."""
    if not isinstance(activities, QuerySet) and not activities:
        return
    if isinstance(activities, QuerySet):
        activities = activities.values("pk")
    placed = {*placed, *co_attendance_placings(activities)}
    CoAttendance.objects.filter(activity__in=activities).delete()
    present = (
        Attendance.objects.filter(activity__in=activities, person__organisation__isnull=False)
        .order_by()
        .values(
            "activity",
            "person__organisation",
            "activity__programme",
            "activity__site",
            "activity__group",
        )
        .distinct()
    )
    present_sql, params = present.query.sql_with_params()
    # Each organisation once per activity, then paired on the activity with itself and with
    # every larger one: the rows the network sums.
    sql = f"""
        WITH present (activity, organisation, programme, site, grp) AS ({present_sql})
        INSERT INTO {CoAttendance._meta.db_table}
            (activity_id, organisation_id, other_id, placed_programme, placed_site, placed_group)
        SELECT one.activity, one.organisation, other.organisation, one.programme, one.site,
               one.grp
        FROM present one JOIN present other
          ON other.activity = one.activity AND other.organisation >= one.organisation
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    co_attendance_totals_refresh(placed | co_attendance_placings(activities))


def co_attendance_placings(activities) -> set[Placing]:
    """Where the rows of ``activities`` are counted in the totals."""
    return set(
        CoAttendance.objects.filter(activity__in=activities)
        .order_by()
        .values_list("placed_programme", "placed_site", "placed_group")
        .distinct()
    )


def co_attendance_totals_refresh(placings: Collection[Placing]) -> None:
    """Sum again the co-attendance rows of the activities placed at each of ``placings``."""
    if not placings:
        return
    CoAttendanceTotal.objects.filter(
        _any(placings, programme="programme", site="site", group="group")
    ).delete()
    sums = (
        CoAttendance.objects.filter(
            _any(placings, programme="placed_programme", site="placed_site", group="placed_group")
        )
        .order_by()
        .values("placed_programme", "placed_site", "placed_group", "organisation", "other")
        .annotate(weight=Count("pk"))
    )
    sums_sql, params = sums.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {CoAttendanceTotal._meta.db_table}
                (programme_id, site_id, group_id, organisation_id, other_id, weight) {sums_sql}""",
            params,
        )


def _any(placings: Collection[Placing], **fields: str) -> Q:
    # A field compared with None is IS NULL: an activity of no site or no group is placed too.
    return functools.reduce(
        Q.__or__,
        (
            Q(**{fields["programme"]: programme, fields["site"]: site, fields["group"]: group})
            for programme, site, group in placings
        ),
    )


def co_attendance_of_person(person: Person) -> list[int]:
    """The ids of the activities ``person`` attended, whose rows a change to the person's
    organisation, or their deletion, must refresh (read before a deletion takes them)."""
    return list(Attendance.objects.filter(person=person).values_list("activity_id", flat=True))


def rollups_rebuild(programme: Programme | None = None) -> None:
    """Rebuild every rollup of ``programme``, or of every programme, from its records."""
    if programme is None:
        for each in Programme.objects.order_by("pk"):
            rollups_rebuild(each)
        return
    CoAttendanceTotal.objects.filter(programme=programme).delete()
    co_attendance_refresh(Activity.objects.filter(programme=programme))
