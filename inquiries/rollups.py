"""Figures kept as rows beside the records they count, so that a dashboard reads a row per
month where a group met, or per pair of organisations where they met, rather than every
activity and attendance row behind them.

Three rollups. The activity figures (activities per month and kind, meetings and their hours,
attendance per meeting, backstage tallies) read ``ActivityMonth``: a row per programme, site,
group, month, kind and head count; the researcher roles read ``ResearcherRoleMonth``, a row
per programme, site, group, month and role. With a date range they read these for the months
the range covers whole, and the activities themselves for the days of the months it cuts, so
that a range keeps exactly the activities of its days. The co-attendance network reads, with no date
range, the totals of each programme, site and group (``CoAttendanceTotal``); with a range, the
rows of each activity (``CoAttendance``).

Each write that changes an activity, its attendance or its roles (who attended, a person's
organisation, its date, kind, count, place or researcher roles, its deletion) refreshes the
activities it touched here, in its own transaction: their rows and the rows of wherever they
were and are now (:func:`rollups_refreshed`, :func:`rollups_refresh`). A write that replaces a
programme's records in bulk (the loaders, the synthetic programmes) rebuilds the programme's
rows, as ``manage.py rebuild_rollups`` rebuilds them all (``reports.rollups.rollups_rebuild``).
A site's, group's or organisation's rows go with it (the cascade).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth

from car_programme.locks import rollup_programme_lock, rollup_rows_lock
from car_programme.selectors import subquery_count
from inquiries.enums import ActivityKind
from inquiries.models import (
    Activity,
    ActivityMonth,
    ActivityResearcherRole,
    Attendance,
    CoAttendance,
    CoAttendanceTotal,
    Person,
    ResearcherRoleMonth,
)
from inquiries.scope import RecordScope
from inquiries.selectors import counted_weight
from sites.models import Programme

Placing = tuple[int, int | None, int | None]  # an activity's programme, site and group ids
MonthKey = tuple[int, int | None, int | None, dt.date | None]  # a placing and a month

# The columns of an activity month row, in the order every query of them gives them.
MONTH_KEYS = ("programme", "site", "grp", "month", "kind", "head_count")
MONTH_SUMS = ("weight", "uncounted", "timed", "minutes", "named", "counted")
MONTH_COLUMNS = (*MONTH_KEYS, "rows", *MONTH_SUMS)

# The names under which the rows of each rollup are locked while recounted (car_programme.locks).
MONTHS = "activity-months"
CO_ATTENDANCE = "co-attendance-totals"

# One group meeting, not a tally of several or a row of an unknown number: it has a head count.
SINGLE_MEETING = Q(kind=ActivityKind.GROUP_MEETING, count__isnull=True, count_unknown=False)


@dataclass(frozen=True)
class Touched:
    """Where the rollup rows of some activities are, read before a write moves or deletes
    them."""

    placings: frozenset[Placing]
    months: frozenset[MonthKey]


def rollups_touched(activities: QuerySet[Activity] | Collection[int]) -> Touched:
    return Touched(
        frozenset(co_attendance_placings(activities)), frozenset(_month_keys(activities))
    )


@contextlib.contextmanager
def rollups_refreshed(activities: Collection[int]) -> Iterator[None]:
    """Refresh the rows of ``activities`` once the block, which may change, move or delete
    them, is done."""
    before = rollups_touched(activities)
    yield
    rollups_refresh(activities, before=before)


def rollups_refresh(
    activities: QuerySet[Activity] | Collection[int], *, before: Touched | None = None
) -> None:
    """Recompute the rollup rows of ``activities`` (a query, or ids) as they stand now, and
    of wherever they were (``before``, read by :func:`rollups_touched`)."""
    if not isinstance(activities, QuerySet) and not activities:
        return
    if isinstance(activities, QuerySet):
        activities = activities.values("pk")
    before = before or Touched(frozenset(), frozenset())
    co_attendance_refresh(activities, placed=before.placings)
    activity_months_refresh(before.months | _month_keys(activities))


# --- Activity months ---------------------------------------------------------------------------


def _month_keys(activities) -> set[MonthKey]:
    return set(
        Activity.objects.filter(pk__in=activities)
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values_list("programme", "site", "group", "month")
        .distinct()
    )


def _next_month(month: dt.date) -> dt.date | None:
    """The first day of the month after ``month``'s; None after the last month a date holds."""
    if (month.year, month.month) == (dt.MAXYEAR, 12):
        return None
    return (month.replace(day=1) + dt.timedelta(days=31)).replace(day=1)


def _in_month(month: dt.date | None) -> Q:
    if month is None:
        return Q(date__isnull=True)
    after = _next_month(month)
    return Q(date__gte=month) & (Q(date__lt=after) if after else Q())


def activity_months_refresh(keys: Collection[MonthKey]) -> None:
    """Sum again the activity month and researcher role month rows of each of ``keys``."""
    if not keys:
        return
    rollup_rows_lock(MONTHS, {programme for programme, *_ in keys}, keys)
    for model in (ActivityMonth, ResearcherRoleMonth):
        model.objects.filter(
            functools.reduce(
                Q.__or__,
                (Q(programme=p, site=s, group=g, month=m) for p, s, g, m in keys),
            )
        ).delete()
    activities = Activity.objects.filter(
        functools.reduce(
            Q.__or__,
            (Q(programme=p, site=s, group=g) & _in_month(m) for p, s, g, m in keys),
        )
    )
    _activity_months_insert(activities)
    _role_months_insert(activities)


def _activity_months_insert(activities: QuerySet[Activity]) -> None:
    sql, params = _month_rows_sql(activities)
    columns = ", ".join(
        ActivityMonth._meta.get_field(name).column
        for name in ("programme", "site", "group", *MONTH_COLUMNS[3:])
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {ActivityMonth._meta.db_table} ({columns}) {sql}", params)


def _month_rows_sql(activities: QuerySet[Activity]) -> tuple[str, tuple]:
    """``activities`` summed into activity month rows (``MONTH_COLUMNS``), as SQL."""
    per_activity, params = _per_activity(activities).query.sql_with_params()
    keys = ", ".join(f"a_{name}" for name in MONTH_KEYS)
    sums = ", ".join(f"SUM(a_{name})" for name in MONTH_SUMS)
    sql = f"SELECT {keys}, COUNT(*), {sums} FROM ({per_activity}) per_activity GROUP BY {keys}"
    return sql, params


def _per_activity(activities: QuerySet[Activity]) -> QuerySet:
    """What each of ``activities`` adds to its activity month row. Its head count is its
    attendees by name, or its recorded total where no name is recorded, as
    ``inquiries.selectors.meetings_with_head_count`` takes it."""
    timed = Q(duration_minutes__isnull=False, count_unknown=False)
    one_if = functools.partial(_case, then=Value(1))
    return (
        activities.order_by()
        .annotate(named_count=subquery_count(Attendance.objects.all(), "activity"))
        .annotate(
            a_head_count=Case(
                When(SINGLE_MEETING & Q(named_count__gt=0), then=F("named_count")),
                When(SINGLE_MEETING, then=F("attendance_total")),
                output_field=IntegerField(),
            )
        )
        .annotate(
            a_programme=F("programme_id"),
            a_site=F("site_id"),
            a_grp=F("group_id"),
            # A date, not a timestamp, as the rollup's rows hold it (UNION ALL).
            a_month=Cast(TruncMonth("date"), DateField()),
            a_kind=F("kind"),
            a_weight=counted_weight(),
            a_uncounted=one_if(Q(count_unknown=True)),
            a_timed=one_if(timed),
            a_minutes=_case(timed, then=F("duration_minutes")),
            a_named=_case(Q(a_head_count__isnull=False, named_count__gt=0), then=F("named_count")),
            a_counted=_case(
                Q(a_head_count__isnull=False, named_count=0), then=F("attendance_total")
            ),
        )
        .values(*(f"a_{name}" for name in (*MONTH_KEYS, *MONTH_SUMS)))
    )


def _case(condition: Q, *, then) -> Case:
    return Case(When(condition, then=then), default=Value(0), output_field=IntegerField())


def activity_months_sql(scope: RecordScope) -> tuple[str, list]:
    """The activity month rows of the activities in ``scope`` (``MONTH_COLUMNS``), as SQL:
    from the rollup for the months its range covers whole (all of them with no range), and
    summed from the activities themselves for the days of the months the range cuts."""
    months, cut = _whole_and_cut(ActivityMonth.objects.filter(scope.placed()), scope)
    rollup_sql, rollup_params = _rollup_rows(months)
    if cut is None:
        return rollup_sql, list(rollup_params)
    cut_sql, cut_params = _month_rows_sql(cut)
    return f"{rollup_sql} UNION ALL {cut_sql}", [*rollup_params, *cut_params]


def _whole_and_cut(rows: QuerySet, scope: RecordScope) -> tuple[QuerySet, QuerySet | None]:
    """A rollup's ``rows`` for the months the scope's range covers whole (all of them with no
    range), and the activities in scope on the days of the months it cuts (None without a
    range)."""
    rows = rows.order_by()
    if not scope.has_range:
        return rows, None
    first, after = _whole_months(scope)
    whole = Q()
    if first is not None:
        rows = rows.filter(month__gte=first)
        whole &= Q(date__gte=first)
    if after is not None:
        rows = rows.filter(month__lt=after)
        whole &= Q(date__lt=after)
    return rows, scope.activities().exclude(whole) if whole else scope.activities()


def _whole_months(scope: RecordScope) -> tuple[dt.date | None, dt.date | None]:
    """The first day of the first month the range covers whole, and the day after the last
    (None where the range is open on that side)."""
    first = after = None
    if scope.start is not None:
        # No month after the last one a date holds: none is whole.
        first = scope.start if scope.start.day == 1 else _next_month(scope.start) or dt.date.max
    if scope.end is not None:
        after = _next_month(scope.end)
        if after is None or after - scope.end != dt.timedelta(days=1):
            after = scope.end.replace(day=1)  # the end's month is cut
    if first is not None and after is not None and after < first:
        after = first  # no month whole: every activity of the range is in the cut months
    return first, after


def researcher_role_counts(scope: RecordScope) -> dict[str, int]:
    """The activities in ``scope`` in which each researcher role was exercised, by role: from
    the rollup for the months its range covers whole (all of them with no range), and counted
    from the activities themselves for the days of the months the range cuts (one query)."""
    months, cut = _whole_and_cut(ResearcherRoleMonth.objects.filter(scope.placed()), scope)
    counts = months.values_list("role").annotate(n=Sum("activities"))
    if cut is not None:
        counts = counts.union(
            ActivityResearcherRole.objects.filter(activity__in=cut.values("pk"))
            .order_by()
            .values_list("role")
            .annotate(n=Count("pk")),
            all=True,
        )
    totals: dict[str, int] = {}
    for role, n in counts:
        totals[role] = totals.get(role, 0) + n
    return totals


def _role_months_insert(activities: QuerySet[Activity]) -> None:
    rows = (
        ActivityResearcherRole.objects.filter(activity__in=activities.values("pk"))
        .order_by()
        # A date, not a timestamp, as the rollup's rows hold it.
        .annotate(month=Cast(TruncMonth("activity__date"), DateField()))
        .values_list("activity__programme", "activity__site", "activity__group", "month", "role")
        .annotate(n=Count("pk"))
    )
    sql, params = rows.query.sql_with_params()
    columns = ", ".join(
        ResearcherRoleMonth._meta.get_field(name).column
        for name in ("programme", "site", "group", "month", "role", "activities")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ResearcherRoleMonth._meta.db_table} ({columns}) {sql}", params
        )


def _rollup_rows(months: QuerySet[ActivityMonth]) -> tuple[str, tuple]:
    fields = ("programme", "site", "group", *MONTH_COLUMNS[3:])
    return months.values_list(*fields).query.sql_with_params()


# --- Co-attendance -----------------------------------------------------------------------------


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
    rollup_rows_lock(CO_ATTENDANCE, {programme for programme, *_ in placings}, placings)
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


# --- Rebuilding --------------------------------------------------------------------------------


def activity_rollups_rebuild(programme: Programme) -> None:
    """Rebuild the activity rollups of ``programme`` from its records."""
    for rollup in (MONTHS, CO_ATTENDANCE):
        rollup_programme_lock(rollup, programme.pk)
    activities = Activity.objects.filter(programme=programme)
    CoAttendanceTotal.objects.filter(programme=programme).delete()
    co_attendance_refresh(activities)
    ActivityMonth.objects.filter(programme=programme).delete()
    _activity_months_insert(activities)
    ResearcherRoleMonth.objects.filter(programme=programme).delete()
    _role_months_insert(activities)
