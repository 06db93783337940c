"""Who takes part: people and members, joiners and leavers, organisations and sectors, levels,
occupations and research experience, and the organisational diversity of each group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from inquiries.enums import (
    ActivityKind,
    Level,
    MembershipRole,
    OccupationCategory,
    ResearchExperience,
)
from inquiries.models import (
    GroupOrganisationCount,
    GroupTurnover,
    Membership,
    PeopleCount,
    Person,
)
from inquiries.people_counts import FIELDS, people_counts
from inquiries.scope import within
from inquiries.selectors import (
    joinings,
    leavings,
    meeting_figures,
    meetings_with_head_count,
    memberships_open_on,
)
from reports.metrics.scope import MetricScope
from reports.metrics.shapes import (
    Breakdown,
    breakdown_of,
    period_starts,
    period_window,
    quarter_label,
)
from sites.enums import Sector

Attribute = PeopleCount.Attribute


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
    quarter, only in ``joiners_unplaced``.

    With no date range every membership counts: read from the counts the writes keep per
    group and quarter (``inquiries.people_counts``)."""
    joined: dict = {}
    left: dict = {}
    for quarter, joiners, leavers, core in _turnover_rows(scope):
        if joiners:
            joined[quarter] = joined.get(quarter, 0) + joiners
        if leavers:
            before = left.get(quarter, (0, 0))
            left[quarter] = (before[0] + leavers, before[1] + core)
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


def _turnover_rows(scope: MetricScope) -> QuerySet:
    """(quarter, joiners, leavers, core leavers) rows of the memberships in scope, one query:
    with no date range from the counts the writes keep, a row per quarter; with one, counted
    from the memberships, a row per quarter of joinings and another of leavings."""
    if not scope.has_range:
        rows = GroupTurnover.objects.filter(programme=scope.programme)
        if scope.site is not None or scope.group is not None:
            rows = rows.filter(group__in=scope.all_groups().values("pk"))
        return (
            rows.order_by()
            .values_list("quarter")
            .annotate(Sum("joiners"), Sum("leavers"), Sum("core_leavers"))
        )
    none = Value(0)
    core = Count("pk", filter=Q(role=MembershipRole.CORE))
    return (
        _joiners(scope)
        .values_list("quarter")
        .annotate(joiners=Count("pk"), leavers=none, core_leavers=none)
        .union(
            _leavers(scope)
            .values_list("quarter")
            .annotate(joiners=none, leavers=Count("pk"), core_leavers=core),
            all=True,
        )
    )


def _joiners(scope: MetricScope) -> QuerySet[Membership]:
    """The joinings in scope opened in its range or on an unknown day, with the ``quarter``
    they were opened in (none for an unknown day)."""
    # An unknown joining date is kept, to be counted apart (``within`` alone is no condition
    # without a range, and an empty Q would drop out of the "or").
    return joinings(
        scope.memberships().filter(
            Q(joined_on__isnull=True) | (within(scope, "joined_on") & Q(joined_on__isnull=False))
        )
    )


def _leavers(scope: MetricScope) -> QuerySet[Membership]:
    """The leavings in scope closed in its range, with the ``quarter`` they were closed in."""
    return leavings(scope.memberships().filter(within(scope, "left_on")))


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
    if scope.is_whole_programme:
        # A row per organisation (none: the people without one), from the kept counts.
        rows = [
            (sector if organisation else None, n, 1 if organisation else 0)
            for organisation, sector, n in people_counts(scope.programme.pk, Attribute.ORGANISATION)
        ]
    else:
        rows = (
            scope.people()
            .order_by()
            .values_list("organisation__sector")
            .annotate(people=Count("pk"), organisations=Count("organisation", distinct=True))
        )
    people: dict[str | None, int] = {}
    organisations: dict[str, int] = {}
    for sector, n, in_sector in rows:
        people[sector] = people.get(sector, 0) + n
        if sector is not None:
            organisations[sector] = organisations.get(sector, 0) + in_sector
    return OrganisationsAndSectors(
        organisations=sum(organisations.values()),
        people_without_organisation=people.get(None, 0),
        organisations_by_sector=breakdown_of(Sector, organisations),
        people_by_sector=breakdown_of(Sector, people),
    )


def occupation_categories(*, scope: MetricScope) -> Breakdown:
    """People in scope per ONS SOC 2010 major group 1-9 (keys "1".."9"), then not recorded."""
    counts = _people_per(scope, Attribute.OCCUPATION)
    return breakdown_of(OccupationCategory, counts)


def levels(*, scope: MetricScope) -> Breakdown:
    """People in scope per level, strategic to frontline, then not recorded."""
    return breakdown_of(Level, _people_per(scope, Attribute.LEVEL))


def research_experience(*, scope: MetricScope) -> Breakdown:
    """People in scope per prior research experience, then not recorded."""
    return breakdown_of(ResearchExperience, _people_per(scope, Attribute.RESEARCH_EXPERIENCE))


def _people_per(scope: MetricScope, attribute: str) -> dict:
    """People in scope per value of the person's field that ``attribute`` counts."""
    field = FIELDS[attribute]
    if not scope.is_whole_programme:
        return dict(scope.people().order_by().values_list(field).annotate(n=Count("pk")))
    # The kept counts hold each value as text: the field reads it back.
    to_python = Person._meta.get_field(field).to_python
    return {
        to_python(value) if value else None: n
        for value, _sector, n in people_counts(scope.programme.pk, attribute)
    }


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
    index of sector diversity (members without an organisation are left out of the index).

    With no date range every member counts: read from the counts the writes keep per group
    and organisation (``inquiries.people_counts``)."""
    if scope.has_range:
        rows = _members_per_organisation(scope)
    else:
        counts = GroupOrganisationCount.objects.filter(programme=scope.programme)
        if scope.site is not None or scope.group is not None:
            counts = counts.filter(group__in=scope.groups().values("pk"))
        rows = counts.values_list("group", "organisation", "sector", "people")
    members: dict[int, int] = {}
    organisations: dict[int, int] = {}
    per_sector: dict[int, dict[str, int]] = {}
    for group, organisation, sector, n in rows:
        members[group] = members.get(group, 0) + n
        if organisation is not None:
            organisations[group] = organisations.get(group, 0) + 1
            shares = per_sector.setdefault(group, {})
            shares[sector] = shares.get(sector, 0) + n
    result = []
    for pk, name in scope.groups().order_by("name", "pk").values_list("pk", "name"):
        shares = per_sector.get(pk, {})
        placed = sum(shares.values())
        blau = 1 - sum((n / placed) ** 2 for n in shares.values()) if placed else None
        result.append(
            GroupDiversity(
                pk, name, members.get(pk, 0), organisations.get(pk, 0), len(shares), blau
            )
        )
    return result


def _members_per_organisation(scope: MetricScope) -> QuerySet:
    """(group, organisation, sector, people) of the memberships in scope: as the kept counts
    give them for every membership."""
    # Every member is a person of the programme: saying so lets the join read the programme's
    # people alone rather than every programme's.
    return (
        scope.memberships()
        .filter(person__programme=scope.programme)
        .order_by()
        .values_list(
            "group", "person__organisation", Coalesce("person__organisation__sector", Value(""))
        )
        .annotate(n=Count("person", distinct=True))
    )
