"""Figures about the groups: their kinds, their statuses over time, their CAR cycles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, OuterRef, Subquery

from inquiries.enums import GroupKind, GroupStatus, Phase
from inquiries.models import NEWEST_FIRST, Activity, Cycle, GroupStatusChange
from reports.metrics.portability import as_date, count_of
from reports.metrics.scope import MetricScope
from reports.metrics.shapes import (
    Breakdown,
    CrossTab,
    breakdown_of,
    crosstab_of,
    period_starts,
    quarter_label,
)


def groups_by_kind(*, scope: MetricScope) -> Breakdown:
    """Groups in scope per kind (GroupKind order)."""
    counts = dict(scope.groups().order_by().values_list("kind").annotate(n=Count("pk")))
    return breakdown_of(GroupKind, counts)


def groups_by_status_over_time(*, scope: MetricScope) -> CrossTab:
    """How many groups were in each status at the end of each quarter (rows quarters, columns
    GroupStatus), from the status history (GroupStatusChange): a group counts in the status of
    its latest change on or before the quarter's last day, and not at all before its first.
    Quarters run from the first change to the last (clipped to the date range)."""
    group_sql, params = scope.groups().order_by().values("pk").query.sql_with_params()
    table = GroupStatusChange._meta.db_table
    # Each change enters its status and leaves the previous one, in the quarter it happens: the
    # running sum of entries and exits per quarter is then each status's head count at the
    # quarter's end, whatever the number of groups.
    if connection.vendor == "sqlite":
        # SQLite has no date type: the quarter's first day comes back as ISO text.
        quarter = (
            "DATE(changed_on, 'start of month',"
            " ((1 - STRFTIME('%%m', changed_on)) %% 3) || ' months')"
        )
    else:
        quarter = "date_trunc('quarter', changed_on)::date"
    sql = f"""
        WITH changes AS (
            SELECT {quarter} AS quarter, status,
                   LAG(status) OVER (PARTITION BY group_id ORDER BY changed_on, id) AS previous
            FROM {table} WHERE group_id IN ({group_sql})
        )
        SELECT quarter, status, COUNT(*) FROM changes GROUP BY quarter, status
        UNION ALL
        SELECT quarter, previous, -COUNT(*) FROM changes
        WHERE previous IS NOT NULL GROUP BY quarter, previous
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        moves = cursor.fetchall()
    statuses = [(value, label) for value, label in GroupStatus.choices]
    if not moves:
        return crosstab_of([], statuses, {})
    net: dict[tuple[dt.date, str], int] = {}
    moves = [(as_date(quarter), status, n) for quarter, status, n in moves]
    for quarter, status, n in moves:
        net[quarter, status] = net.get((quarter, status), 0) + n
    quarters = period_starts(
        min(q for q, _, _ in moves), max(q for q, _, _ in moves), months=3, scope=scope
    )
    counts, running = {}, dict.fromkeys(GroupStatus.values, 0)
    # Changes before the first quarter shown still set the head counts it starts from.
    for (quarter, status), n in net.items():
        if quarters and quarter < quarters[0]:
            running[status] += n
    for quarter in quarters:
        for status in running:
            running[status] += net.get((quarter, status), 0)
            counts[quarter.isoformat(), status] = running[status]
    rows = [(quarter.isoformat(), quarter_label(quarter)) for quarter in quarters]
    return crosstab_of(rows, statuses, counts)


@dataclass(frozen=True)
class GroupCycles:
    group_id: int
    group_name: str
    cycles: int
    # Activities in each phase of the CAR cycle, keyed by Phase label in Phase order.
    activities_by_phase: dict[str, int]
    # The phase of the group's latest activity that records one, or "".
    current_phase: str


def cycles(*, scope: MetricScope) -> list[GroupCycles]:
    """Per group in scope (by name): cycles run and activities per phase."""
    groups = scope.groups().order_by("name", "pk")
    latest_phase = (
        Activity.objects.filter(group=OuterRef("pk"))
        .exclude(phase="")
        .order_by(NEWEST_FIRST, "-pk")
        .values("phase")[:1]
    )
    rows = groups.annotate(
        cycle_count=count_of(Cycle.objects.filter(group=OuterRef("pk"))),
        current_phase=Subquery(latest_phase),
    ).values_list("pk", "name", "cycle_count", "current_phase")
    per_phase = dict(
        (((group, phase), n))
        for group, phase, n in scope.activities()
        .filter(group__in=groups.values("pk"))
        .exclude(phase="")
        .order_by()
        .values_list("group", "phase")
        .annotate(n=Count("pk"))
    )
    return [
        GroupCycles(
            group_id=pk,
            group_name=name,
            cycles=cycle_count,
            activities_by_phase={
                str(label): per_phase.get((pk, value), 0) for value, label in Phase.choices
            },
            current_phase=str(Phase(phase).label) if phase else "",
        )
        for pk, name, cycle_count, phase in rows
    ]
