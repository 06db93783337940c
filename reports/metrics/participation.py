"""Who takes part: people and members, joiners and leavers, organisations and sectors, levels,
occupations and research experience, and the organisational diversity of each group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncQuarter

from inquiries.enums import (
    ActivityKind,
    LeaveReason,
    Level,
    MembershipRole,
    OccupationCategory,
    ResearchExperience,
)
from inquiries.models import Membership
from inquiries.scope import within
from inquiries.selectors import meeting_figures, meetings_with_head_count, memberships_open_on
from reports.metrics.scope import MetricScope
from reports.metrics.shapes import (
    Breakdown,
    breakdown_of,
    period_starts,
    period_window,
    quarter_label,
)
from sites.enums import Sector


@dataclass(frozen=True)
class Participation:
    on: dt.date
    people: int  # distinct people with a membership in scope (overlapping the range)
    core: int  # distinct people holding a core membership on ``on``
    periphery: int  # ... a periphery membership on ``on``
    members_on: int  # distinct people holding any membership on ``on``


def participation(*, scope: MetricScope, on: dt.date | None = None) -> Participation:
    """Distinct people, and core and periphery members on ``on`` (see MetricScope.on).

    A person in two groups counts once; a person who is core in one group and periphery in
    another counts in both figures."""
    day = scope.on(on)
    holds = memberships_open_on(on=day)
    figures = scope.memberships().aggregate(
        people=Count("person", distinct=True),
        core=Count("person", distinct=True, filter=holds & Q(role=MembershipRole.CORE)),
        periphery=Count("person", distinct=True, filter=holds & Q(role=MembershipRole.PERIPHERY)),
        members_on=Count("person", distinct=True, filter=holds),
    )
    return Participation(on=day, **figures)


@dataclass(frozen=True)
class QuarterTurnover:
    key: str  # ISO date of the quarter's first day
    label: str  # "2015 Q2"
    joiners: int
    leavers: int
    core_leavers: int


@dataclass(frozen=True)
class Turnover:
    quarters: tuple[QuarterTurnover, ...]  # in date order
    # Memberships whose joining date is unknown: they joined, in no quarter one can name. A
    # leaving date is never unknown (a membership closes only with its date).
    joiners_unplaced: int


def turnover_by_quarter(*, scope: MetricScope) -> Turnover:
    """Memberships opened and closed per quarter, in date order, from the first to the last
    quarter with either. A role change (closed with reason "role change" and reopened the same
    day) is neither a leaver nor a joiner; a membership of unknown joining date is in no
    quarter, only in ``joiners_unplaced``."""
    joined = dict(_joiners(scope).values_list("quarter").annotate(n=Count("pk")))
    left = {
        quarter: (n, core)
        for quarter, n, core in _leavers(scope)
        .values_list("quarter")
        .annotate(n=Count("pk"), core=Count("pk", filter=Q(role=MembershipRole.CORE)))
    }
    unplaced = joined.pop(None, 0)
    quarters = set(joined) | set(left)
    if not quarters:
        return Turnover(quarters=(), joiners_unplaced=unplaced)
    rows = (
        QuarterTurnover(
            key=quarter.isoformat(),
            label=quarter_label(quarter),
            joiners=joined.get(quarter, 0),
            leavers=left.get(quarter, (0, 0))[0],
            core_leavers=left.get(quarter, (0, 0))[1],
        )
        for quarter in period_starts(min(quarters), max(quarters), months=3, scope=scope)
    )
    return Turnover(quarters=tuple(rows), joiners_unplaced=unplaced)


def _joiners(scope: MetricScope) -> QuerySet[Membership]:
    """The memberships in scope opened in its range or on an unknown day, with the ``quarter``
    they were opened in (none for an unknown day); a role change is no joining."""
    # The membership that a role change closed where this one opens: an earlier one, never
    # this one itself (a member added and moved to another role on one day still joined).
    role_change_before = Membership.objects.filter(
        Q(joined_on__isnull=True)
        | Q(joined_on__lt=OuterRef("joined_on"))
        | Q(joined_on=OuterRef("joined_on"), pk__lt=OuterRef("pk")),
        group=OuterRef("group"),
        person=OuterRef("person"),
        left_on=OuterRef("joined_on"),
        leave_reason=LeaveReason.ROLE_CHANGE,
    )
    # An unknown joining date is kept, to be counted apart (``within`` alone is no condition
    # without a range, and an empty Q would drop out of the "or").
    return (
        scope.memberships()
        .filter(
            Q(joined_on__isnull=True) | (within(scope, "joined_on") & Q(joined_on__isnull=False))
        )
        .exclude(Exists(role_change_before))
        .annotate(quarter=TruncQuarter("joined_on"))
        .order_by()
    )


def _leavers(scope: MetricScope) -> QuerySet[Membership]:
    """The memberships in scope closed in its range, with the ``quarter`` they were closed
    in; a role change is no leaving."""
    return (
        scope.memberships()
        .filter(within(scope, "left_on"), left_on__isnull=False)
        .exclude(leave_reason=LeaveReason.ROLE_CHANGE)
        .annotate(quarter=TruncQuarter("left_on"))
        .order_by()
    )


@dataclass(frozen=True)
class GroupParticipation:
    group_id: int
    group_name: str
    people: int  # as participation's ``people`` for the group alone
    # Joiners and leavers as turnover_by_quarter counts them for the group alone: the quarters'
    # sums, the joiners of unknown date (``joiners_unplaced``) included in ``joiners``.
    joiners: int
    joiners_unplaced: int
    leavers: int
    # As meeting_hours and attendance_per_meeting for the group alone.
    meetings_with_duration: int
    minutes: int
    mean_attendance: float | None

    @property
    def hours(self) -> float:
        return self.minutes / 60


def group_participation(*, scope: MetricScope) -> list[GroupParticipation]:
    """Per group in scope (by name): the people who took part, joiners and leavers, the hours
    of its meetings and their mean attendance, each figure what the metric of its own gives for
    a scope narrowed to the group, in a fixed number of queries for all the groups."""
    low, high = period_window(months=3, scope=scope)
    # A quarter the turnover table of the group would not show (a stray date) is not summed.
    shown = Q(quarter__isnull=True) | Q(quarter__gte=low, quarter__lte=high)
    joiners = _per_group(
        _joiners(scope).filter(shown), n=Count("pk"), unplaced=Count("pk", filter=Q(quarter=None))
    )
    leavers = _per_group(_leavers(scope).filter(shown), n=Count("pk"))
    people = _per_group(scope.memberships(), n=Count("person", distinct=True))
    figures = meeting_figures()
    timed = _per_group(
        scope.activities().filter(kind=ActivityKind.GROUP_MEETING),
        with_duration=figures["meetings_with_duration"],
        minutes=figures["minutes"],
    )
    mean = _per_group(meetings_with_head_count(scope.activities()), n=Avg("head_count"))
    return [
        GroupParticipation(
            group_id=pk,
            group_name=name,
            people=people.get(pk, (0,))[0],
            joiners=joiners.get(pk, (0, 0))[0],
            joiners_unplaced=joiners.get(pk, (0, 0))[1],
            leavers=leavers.get(pk, (0,))[0],
            meetings_with_duration=timed.get(pk, (0, 0))[0],
            minutes=timed.get(pk, (0, 0))[1],
            mean_attendance=mean.get(pk, (None,))[0],
        )
        for pk, name in scope.groups().order_by("name", "pk").values_list("pk", "name")
    ]


def _per_group(rows: QuerySet, **figures) -> dict[int, tuple]:
    """The ``figures`` of ``rows`` per group, in their order: {group id: (value, ...)}."""
    grouped = rows.order_by().values_list("group").annotate(**figures)
    return {group: tuple(values) for group, *values in grouped.values_list("group", *figures)}


@dataclass(frozen=True)
class OrganisationsAndSectors:
    organisations: int  # distinct organisations of the people in scope
    people_without_organisation: int
    organisations_by_sector: Breakdown  # Sector order
    people_by_sector: Breakdown  # Sector order; people without organisation as "Not recorded"


def organisations_and_sectors(*, scope: MetricScope) -> OrganisationsAndSectors:
    """Organisations and sectors represented among the people in scope."""
    rows = (
        scope.people()
        .order_by()
        .values_list("organisation__sector")
        .annotate(people=Count("pk"), organisations=Count("organisation", distinct=True))
    )
    people = {sector: n for sector, n, _ in rows}
    organisations = {sector: n for sector, _, n in rows if sector is not None}
    return OrganisationsAndSectors(
        organisations=sum(organisations.values()),
        people_without_organisation=people.get(None, 0),
        organisations_by_sector=breakdown_of(Sector, organisations),
        people_by_sector=breakdown_of(Sector, people),
    )


def occupation_categories(*, scope: MetricScope) -> Breakdown:
    """People in scope per ONS SOC 2010 major group 1-9 (keys "1".."9"), then not recorded."""
    counts = dict(
        scope.people().order_by().values_list("occupation_category").annotate(n=Count("pk"))
    )
    return breakdown_of(OccupationCategory, counts)


def levels(*, scope: MetricScope) -> Breakdown:
    """People in scope per level, strategic to frontline, then not recorded."""
    counts = dict(scope.people().order_by().values_list("level").annotate(n=Count("pk")))
    return breakdown_of(Level, counts)


def research_experience(*, scope: MetricScope) -> Breakdown:
    """People in scope per prior research experience, then not recorded."""
    counts = dict(
        scope.people().order_by().values_list("research_experience").annotate(n=Count("pk"))
    )
    return breakdown_of(ResearchExperience, counts)


@dataclass(frozen=True)
class GroupDiversity:
    group_id: int
    group_name: str
    members: int  # distinct people with a membership in scope
    organisations: int  # distinct organisations among them
    sectors: int  # distinct sectors among them
    # Blau's index over the members' sectors, 1 - sum(p_i^2): 0 when all share one sector,
    # approaching 1 as members spread evenly over many; None without a member with a sector.
    blau_index: float | None


def organisational_diversity(*, scope: MetricScope) -> list[GroupDiversity]:
    """Per group in scope (by name): organisations and sectors among its members, with Blau's
    index of sector diversity (members without an organisation are left out of the index)."""
    memberships = scope.memberships().order_by()
    totals = {
        group: (members, organisations, sectors)
        for group, members, organisations, sectors in memberships.values_list("group").annotate(
            members=Count("person", distinct=True),
            organisations=Count("person__organisation", distinct=True),
            sectors=Count("person__organisation__sector", distinct=True),
        )
    }
    per_sector: dict[int, list[int]] = {}
    for group, n in (
        memberships.filter(person__organisation__isnull=False)
        .values_list("group", "person__organisation__sector")
        .annotate(n=Count("person", distinct=True))
        .values_list("group", "n")
    ):
        per_sector.setdefault(group, []).append(n)
    result = []
    for pk, name in scope.groups().order_by("name", "pk").values_list("pk", "name"):
        members, organisations, sectors = totals.get(pk, (0, 0, 0))
        shares = per_sector.get(pk, [])
        placed = sum(shares)
        blau = 1 - sum((n / placed) ** 2 for n in shares) if placed else None
        result.append(GroupDiversity(pk, name, members, organisations, sectors, blau))
    return result
