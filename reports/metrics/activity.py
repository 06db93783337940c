"""What the groups and researchers do: activities per month, meetings and their attendance,
backstage contacts, researcher roles, and the organisations that meet in the same activities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, QuerySet, Sum

from inquiries.enums import BACKSTAGE_KINDS, ActivityKind, ResearcherRole
from inquiries.models import CoAttendance, CoAttendanceTotal
from inquiries.rollups import MONTH_COLUMNS, activity_months_sql, researcher_role_counts
from reports.metrics.portability import as_date
from reports.metrics.scope import MetricScope
from reports.metrics.shapes import Breakdown, CrossTab, breakdown_of, crosstab_of, period_starts
from sites.enums import Sector
from sites.models import Organisation


def activities_by_kind_per_month(*, scope: MetricScope) -> CrossTab:
    """Activities per month (rows) and kind (columns, ActivityKind order, only kinds that
    occur). A tally row counts as its ``count`` and is placed in the month of its ``date``, a
    row of no known number counts none; activities with no known date are in no month, only
    in ``unplaced``."""
    counts = {
        (month and as_date(month).isoformat(), kind): n
        for month, kind, n in _monthly(scope, "month, kind, SUM(weight)", group_by="month, kind")
    }
    kinds = {kind for _, kind in counts}
    columns = [(value, label) for value, label in ActivityKind.choices if value in kinds]
    months = sorted({dt.date.fromisoformat(month) for month, _ in counts if month})
    if not months:
        return crosstab_of([], columns, counts)
    periods = period_starts(months[0], months[-1], months=1, scope=scope)
    rows = [(m.isoformat(), f"{m:%Y-%m}") for m in periods]
    return crosstab_of(rows, columns, counts)


@dataclass(frozen=True)
class MeetingHours:
    meetings: int  # group meetings (tally rows count as their count)
    uncounted: int  # rows of meetings the source lists without a number, not in ``meetings``
    meetings_with_duration: int
    minutes: int  # total over the meetings with a recorded duration

    @property
    def hours(self) -> float:
        return self.minutes / 60


def meeting_hours(*, scope: MetricScope) -> MeetingHours:
    """Group meetings in scope and the hours they took, where a duration is recorded. A row of
    an unknown number of meetings is in ``uncounted`` only: its duration is of no meeting one
    can count."""
    [figures] = _monthly(
        scope,
        "COALESCE(SUM(weight), 0), COALESCE(SUM(uncounted), 0), "
        "COALESCE(SUM(timed), 0), COALESCE(SUM(minutes), 0)",
        where="kind = %s",
        params=[ActivityKind.GROUP_MEETING],
    )
    return MeetingHours(*figures)


@dataclass(frozen=True)
class AttendanceStats:
    meetings: int  # group meeting rows with an attendance figure
    named: int  # attendances recorded by name
    counted: int  # head counts from attendance_total, where no names are recorded
    mean: float | None
    median: float | None
    max: int | None

    @property
    def total(self) -> int:
        return self.named + self.counted


def attendance_per_meeting(*, scope: MetricScope) -> AttendanceStats:
    """Attendance per group meeting: its named attendees, or its ``attendance_total`` where no
    name is recorded. Meetings with neither are left out of mean, median and max, and so is a
    row of an unknown number of meetings (``count_unknown``): it is not one meeting."""
    # How many meetings had each head count: enough for the mean, the median and the largest.
    counts = _monthly(
        scope,
        "head_count, SUM(rows), SUM(named), SUM(counted)",
        where="head_count IS NOT NULL",
        group_by="head_count",
    )
    meetings = sum(n for _, n, _, _ in counts)
    return AttendanceStats(
        meetings=meetings,
        named=sum(named for _, _, named, _ in counts),
        counted=sum(counted for _, _, _, counted in counts),
        mean=sum(h * n for h, n, _, _ in counts) / meetings if meetings else None,
        median=_median_of_counts({h: n for h, n, _, _ in counts}),
        max=max((h for h, _, _, _ in counts), default=None),
    )


def _median_of_counts(counts: dict[int, int]) -> float | None:
    """The median of values each occurring ``counts[value]`` times, interpolated between the
    two middle ones (as PERCENTILE_CONT(0.5) takes it)."""
    total = sum(counts.values())
    if not total:
        return None

    def nth(index: int) -> int:  # the value at ``index`` of the values in order
        seen = 0
        for value in sorted(counts):
            seen += counts[value]
            if index < seen:
                return value
        raise IndexError(index)

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


@dataclass(frozen=True)
class SiteTallies:
    site_id: int
    site_name: str
    emails: int
    calls: int
    one_to_ones: int  # in-person one-to-ones

    @property
    def total(self) -> int:
        return self.emails + self.calls + self.one_to_ones


def backstage_tallies(*, scope: MetricScope) -> list[SiteTallies]:
    """Per site in scope (by name, zeros kept): the researchers' backstage contacts with the
    site's partnership, each activity row counting as its ``count`` (1 for a single contact).

    These are the contacts recorded for the site as a whole (no group), as the working paper
    tallies them; a one-to-one within a group's work is one of that group's activities."""
    sites = list(scope.sites().order_by("name", "pk").values_list("pk", "name"))
    counts = {
        (site, kind): n
        for site, kind, n in _monthly(
            scope,
            "site, kind, SUM(weight)",
            where=f"kind IN ({', '.join(['%s'] * len(BACKSTAGE_KINDS))}) "
            "AND grp IS NULL AND site IS NOT NULL",
            group_by="site, kind",
            params=list(BACKSTAGE_KINDS),
        )
    }
    return [
        SiteTallies(
            site_id=pk,
            site_name=name,
            emails=counts.get((pk, ActivityKind.EMAIL), 0),
            calls=counts.get((pk, ActivityKind.PHONE_CALL), 0),
            one_to_ones=counts.get((pk, ActivityKind.ONE_TO_ONE), 0),
        )
        for pk, name in sites
    ]


def researcher_roles(*, scope: MetricScope) -> Breakdown:
    """Activities in scope in which each researcher role was exercised (ResearcherRole order),
    read from the rollup that the writes keep (``inquiries.rollups``)."""
    return breakdown_of(ResearcherRole, researcher_role_counts(scope))


@dataclass(frozen=True)
class NetworkNode:
    organisation_id: int
    name: str
    sector: str  # label
    activities: int  # activities in scope attended by someone of the organisation


@dataclass(frozen=True)
class NetworkEdge:
    source: int  # organisation id, the smaller of the two
    target: int
    weight: int  # activities in scope both organisations attended


@dataclass(frozen=True)
class Network:
    nodes: tuple[NetworkNode, ...]  # by name
    edges: tuple[NetworkEdge, ...]  # heaviest first, then by ids


def co_attendance_network(*, scope: MetricScope, min_weight: int = 1) -> Network:
    """Organisations that met in the same activities: an edge per pair of organisations whose
    people attended at least ``min_weight`` activities in scope together.

    Read from the rollups that the writes keep (``inquiries.rollups``): with no date range,
    a row per pair for each site and group; with one, a row per pair for each activity."""
    weights_sql, params = _pair_weights(scope).query.sql_with_params()
    organisation = Organisation._meta.db_table
    # An organisation paired with itself is a node, its weight the activities it attended.
    sql = f"""
        WITH weights (organisation, other, weight) AS ({weights_sql})
        SELECT * FROM (
            SELECT organisation, other, weight, CAST(NULL AS text), CAST(NULL AS text)
            FROM weights
            WHERE other <> organisation AND weight >= %s
            ORDER BY weight DESC, organisation, other
        ) edges
        UNION ALL
        SELECT * FROM (
            SELECT w.organisation, CAST(NULL AS bigint), w.weight, CAST(o.name AS text),
                   CAST(o.sector AS text)
            FROM weights w JOIN {organisation} o ON o.id = w.organisation
            WHERE w.other = w.organisation
            ORDER BY o.name, w.organisation
        ) nodes
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, min_weight))
        rows = cursor.fetchall()
    return Network(
        nodes=tuple(
            NetworkNode(pk, name, str(Sector(sector).label), n)
            for pk, target, n, name, sector in rows
            if target is None
        ),
        edges=tuple(
            NetworkEdge(source, target, weight)
            for source, target, weight, _, _ in rows
            if target is not None
        ),
    )


def _pair_weights(scope: MetricScope) -> QuerySet:
    """Each pair of organisations in scope and the activities both attended."""
    if scope.has_range:
        rows = CoAttendance.objects.filter(activity__in=scope.activities().values("pk"))
        weight = Count("pk")
    else:
        rows = CoAttendanceTotal.objects.filter(scope.placed())
        weight = Sum("weight")
    return rows.order_by().values("organisation", "other").annotate(weight=weight)


def _monthly(
    scope: MetricScope, select: str, *, where: str = "", group_by: str = "", params=()
) -> list[tuple]:
    """``select`` over the activity month rows of ``scope`` (``inquiries.rollups``), whose
    columns are ``MONTH_COLUMNS``: a row per place, month, kind and head count, not per
    activity."""
    source, source_params = activity_months_sql(scope)
    sql = f"WITH monthly ({', '.join(MONTH_COLUMNS)}) AS ({source}) SELECT {select} FROM monthly"
    if where:
        sql += f" WHERE {where}"
    if group_by:
        sql += f" GROUP BY {group_by}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*source_params, *params])
        # PostgreSQL sums big integers as numerics: every figure here is a whole number.
        return [
            tuple(int(value) if isinstance(value, Decimal) else value for value in row)
            for row in cursor.fetchall()
        ]
