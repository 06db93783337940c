"""Every figure that a dashboard or a report shows, computed by the database.

Plain functions, no HTTP and no users: the caller has already applied the rule set (who may see
which site) and hands over a :class:`MetricScope`. Each function runs a constant number of
queries whatever the data size and returns frozen dataclasses, lists and dicts of ints, strings
and dates: counts and pseudonymous aggregates only, never a person's name.

Charted figures come as a :class:`Breakdown` (one category axis) or a :class:`CrossTab` (rows by
columns), their categories in the choices' order with their display labels, zeros kept, so a
chart, its data table and its CSV agree.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Choices,
    Count,
    Exists,
    F,
    Field,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter
from django.utils import timezone
from django.utils.formats import date_format

from car_programme.dates import date_bounds, format_partial_period
from car_programme.words import counted
from events.enums import EventKind, QuestionKind
from events.headcount import head_count, head_count_approximate
from events.models import Event, FeedbackForm, FeedbackQuestion
from evidence.enums import (
    Authorship,
    ChangeLevel,
    ChangeType,
    EvidenceKind,
    EvidenceOrder,
    EvidenceUse,
    OutputForm,
    OutputKind,
    OutputStatus,
    Sensitivity,
)
from evidence.models import Change, EvidenceItem, Output
from inquiries.enums import (
    BACKSTAGE_KINDS,
    ActivityKind,
    GroupKind,
    GroupStatus,
    LeaveReason,
    Level,
    MembershipRole,
    OccupationCategory,
    Phase,
    ResearcherRole,
    ResearchExperience,
)
from inquiries.models import (
    Activity,
    ActivityResearcherRole,
    Attendance,
    Cycle,
    GroupStatusChange,
    InquiryGroup,
    Membership,
    Person,
)
from inquiries.selectors import group_list_with_counts, memberships_open_on
from sites.enums import ProjectOutcome, Sector
from sites.models import (
    CaseSite,
    EngagementFigure,
    Organisation,
    Programme,
    ProposedProject,
    Theme,
)

# "Agree" and "strongly agree" on the 1-5 scale: the share the working paper reports.
AGREEING_SCORE = 4
# Partnership health: a forming or active group with no activity for this long has gone quiet.
QUIET_AFTER = dt.timedelta(weeks=6)
# ... and one that lost core members within the last quarter has lost them recently.
LOST_CORE_WITHIN = dt.timedelta(days=91)
LIVE_STATUSES = (GroupStatus.FORMING, GroupStatus.ACTIVE, GroupStatus.RE_FORMING)
# The key of the category that holds records where a field was left blank.
NOT_RECORDED = ""
NOT_RECORDED_LABEL = "Not recorded"


def _within(scope: MetricScope, field: str) -> Q:
    """Records whose ``field`` falls in the scope's range (no condition without a range)."""
    condition = Q()
    if scope.start is not None:
        condition &= Q(**{f"{field}__gte": scope.start})
    if scope.end is not None:
        condition &= Q(**{f"{field}__lte": scope.end})
    return condition


def _span_overlaps(scope: MetricScope, start: str, end: str) -> Q:
    """Records whose span (an unknown end is open) overlaps the scope's range."""
    condition = Q()
    if scope.end is not None:
        condition &= Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": scope.end})
    if scope.start is not None:
        condition &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": scope.start})
    return condition


def _group_sites(*, groups) -> QuerySet:
    return InquiryGroup.sites.through.objects.filter(inquirygroup__in=groups)


# --- Scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricScope:
    """Which records a figure counts: a programme, optionally one site or one group, and dates.

    A site scope means the records of that site: groups through their sites, activities
    through their site or their group's sites, evidence, outputs, changes and events through
    their sites (events also through their groups; a programme-wide event, with no site,
    concerns every site). A group scope means the group's own records. ``start``/``end``
    (inclusive, either may be open) keep the records dated within the range by their own date
    field; a record without a date is left out once a range is given. Groups and memberships
    are kept when their span overlaps the range.
    """

    programme: Programme
    site: CaseSite | None = None
    group: InquiryGroup | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def has_range(self) -> bool:
        return self.start is not None or self.end is not None

    def on(self, on: dt.date | None = None) -> dt.date:
        """The day a "members on a date" figure is taken: ``on``, else the scope's end, else
        the programme's end when it is past, else today."""
        if on is not None:
            return on
        if self.end is not None:
            return self.end
        today = timezone.localdate()
        end = self.programme.end_date
        return end if end is not None and end < today else today

    def _all_groups(self) -> QuerySet[InquiryGroup]:
        """The groups of the scope whatever their dates: whose records a site scope takes in."""
        groups = InquiryGroup.objects.filter(programme=self.programme)
        if self.group is not None:
            return groups.filter(pk=self.group.pk)
        if self.site is not None:
            through = InquiryGroup.sites.through.objects.filter(casesite=self.site)
            return groups.filter(pk__in=through.values("inquirygroup_id"))
        return groups

    def groups(self) -> QuerySet[InquiryGroup]:
        """The groups in scope whose span overlaps the date range."""
        return self._all_groups().filter(_span_overlaps(self, "start_date", "end_date"))

    def sites(self) -> QuerySet[CaseSite]:
        """The sites the scope covers: its site, the group's sites, or all the programme's."""
        sites = CaseSite.objects.filter(programme=self.programme)
        if self.site is not None:
            return sites.filter(pk=self.site.pk)
        if self.group is not None:
            return sites.filter(pk__in=_group_sites(groups=[self.group.pk]).values("casesite_id"))
        return sites

    def memberships(self) -> QuerySet[Membership]:
        """Memberships of the groups in scope whose span overlaps the date range."""
        memberships = Membership.objects.filter(_span_overlaps(self, "joined_on", "left_on"))
        if self.group is not None:
            return memberships.filter(group=self.group)
        if self.site is not None:
            return memberships.filter(group__in=self._all_groups())
        return memberships.filter(group__programme=self.programme)

    def people(self) -> QuerySet[Person]:
        """The distinct people holding a membership in scope (see :meth:`memberships`)."""
        return Person.objects.filter(pk__in=self.memberships().values("person_id"))

    def organisations(self) -> QuerySet[Organisation]:
        """The organisations of the people in scope (see :meth:`people`)."""
        return Organisation.objects.filter(pk__in=self.people().values("organisation_id"))

    def activities(self) -> QuerySet[Activity]:
        """Activities in scope dated within the range (by ``date``)."""
        activities = Activity.objects.filter(programme=self.programme)
        if self.group is not None:
            activities = activities.filter(group=self.group)
        elif self.site is not None:
            activities = activities.filter(Q(site=self.site) | Q(group__in=self._all_groups()))
        return activities.filter(_within(self, "date"))

    def evidence(self) -> QuerySet[EvidenceItem]:
        """Evidence items in scope collected within the range (by ``collected_on``)."""
        items = EvidenceItem.objects.filter(programme=self.programme)
        if self.group is not None:
            items = items.filter(group=self.group)
        elif self.site is not None:
            own = EvidenceItem.sites.through.objects.filter(casesite=self.site)
            items = items.filter(
                Q(pk__in=own.values("evidenceitem_id")) | Q(group__in=self._all_groups())
            )
        return items.filter(_within(self, "collected_on"))

    def outputs(self) -> QuerySet[Output]:
        """Outputs in scope dated within the range (published, else in consultation, else
        drafted)."""
        outputs = Output.objects.filter(programme=self.programme)
        by_group = Output.groups.through.objects
        if self.group is not None:
            outputs = outputs.filter(
                pk__in=by_group.filter(inquirygroup=self.group).values("output_id")
            )
        elif self.site is not None:
            own = Output.sites.through.objects.filter(casesite=self.site)
            outputs = outputs.filter(
                Q(pk__in=own.values("output_id"))
                | Q(pk__in=by_group.filter(inquirygroup__in=self._all_groups()).values("output_id"))
            )
        if not self.has_range:
            return outputs
        return outputs.alias(
            dated_on=Coalesce("published_on", "consultation_on", "drafted_on")
        ).filter(_within(self, "dated_on"))

    def changes(self) -> QuerySet[Change]:
        """Changes in scope dated within the range (by ``date``)."""
        changes = Change.objects.filter(programme=self.programme)
        if self.group is not None:
            changes = changes.filter(group=self.group)
        elif self.site is not None:
            own = Change.sites.through.objects.filter(casesite=self.site)
            changes = changes.filter(
                Q(pk__in=own.values("change_id")) | Q(group__in=self._all_groups())
            )
        return changes.filter(_within(self, "date"))

    def events(self) -> QuerySet[Event]:
        """Events in scope starting within the range (by ``start_date``)."""
        events = Event.objects.filter(programme=self.programme)
        by_group = Event.groups.through.objects
        if self.group is not None:
            events = events.filter(
                pk__in=by_group.filter(inquirygroup=self.group).values("event_id")
            )
        elif self.site is not None:
            by_site = Event.sites.through.objects
            events = events.filter(
                Q(pk__in=by_site.filter(casesite=self.site).values("event_id"))
                | ~Q(pk__in=by_site.values("event_id"))
                | Q(pk__in=by_group.filter(inquirygroup__in=self._all_groups()).values("event_id"))
            )
        return events.filter(_within(self, "start_date"))


# --- Shapes a chart can draw -----------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Breakdown:
    """Counts per category, in the choices' order, zeros kept (and "Not recorded" last when
    some records leave the field blank)."""

    categories: tuple[Category, ...]

    @property
    def labels(self) -> list[str]:
        return [category.label for category in self.categories]

    @property
    def values(self) -> list[int]:
        return [category.value for category in self.categories]

    @property
    def total(self) -> int:
        return sum(self.values)

    def as_dict(self) -> dict[str, int]:
        """Value per key."""
        return {category.key: category.value for category in self.categories}


@dataclass(frozen=True)
class CrossTab:
    """A two-way table of counts: ``cells[i][j]`` is row i by column j.

    Time series are cross-tabs whose rows are periods (labels like "2015 Q2" or "2015-06",
    keys the ISO date of the period's first day), in date order, without empty periods between
    the first and the last left out.
    """

    row_keys: tuple[str, ...]
    row_labels: tuple[str, ...]
    column_keys: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]

    @property
    def row_totals(self) -> list[int]:
        return [sum(row) for row in self.cells]

    @property
    def column_totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.cells, strict=True)] or [
            0 for _ in self.column_keys
        ]

    @property
    def total(self) -> int:
        return sum(self.row_totals)

    def cell(self, row_key: str, column_key: str) -> int:
        return self.cells[self.row_keys.index(row_key)][self.column_keys.index(column_key)]

    def column(self, column_key: str) -> list[int]:
        """One column's values down the rows (a series to chart over time)."""
        j = self.column_keys.index(column_key)
        return [row[j] for row in self.cells]


def _breakdown(choices: type[Choices], counts: dict) -> Breakdown:
    """A Breakdown over ``choices`` from ``{value: count}``; blank values go to "Not recorded"."""
    categories = [
        Category(str(value), str(label), counts.get(value, 0)) for value, label in choices.choices
    ]
    missing = counts.get(None, 0) + counts.get("", 0)
    if missing:
        categories.append(Category(NOT_RECORDED, NOT_RECORDED_LABEL, missing))
    return Breakdown(tuple(categories))


def _crosstab(
    rows: list[tuple[str, str]], columns: list[tuple[str, str]], counts: dict
) -> CrossTab:
    """A CrossTab from ``{(row_key, column_key): count}``."""
    return CrossTab(
        row_keys=tuple(str(key) for key, _ in rows),
        row_labels=tuple(str(label) for _, label in rows),
        column_keys=tuple(str(key) for key, _ in columns),
        column_labels=tuple(str(label) for _, label in columns),
        cells=tuple(
            tuple(counts.get((row, column), 0) for column, _ in columns) for row, _ in rows
        ),
    )


def _quarter_label(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _period_of(day: dt.date, months: int) -> dt.date:
    """The first day of the period of ``months`` months (a month, a quarter) holding ``day``."""
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def _periods(first: dt.date, last: dt.date, *, months: int, scope: MetricScope) -> list[dt.date]:
    """First days of the periods of ``months`` months from ``first``'s to ``last``'s, clamped
    to the scope's range and to the dates the programme's records may carry
    (``date_bounds``): a stray date already in the database (0001-01-01, 9999-12-15) must not
    make thousands of empty periods, nor one past the calendar's end."""
    low, high = date_bounds(scope.programme)
    if scope.start is not None:
        low = max(low, scope.start)
    if scope.end is not None:
        high = min(high, scope.end)
    day, end = _period_of(max(first, low), months), _period_of(min(last, high), months)
    periods = [day] if day <= end else []
    while day < end:
        month = day.month - 1 + months
        day = dt.date(day.year + month // 12, month % 12 + 1, 1)
        periods.append(day)
    return periods


def _as_date(value: dt.date | str) -> dt.date:
    """A date from raw SQL: SQLite returns it as ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _counted() -> Coalesce:
    """An activity row's weight: its tally count, or one."""
    return Coalesce("count", 1)


def _count_of(queryset: QuerySet) -> Subquery:
    """The number of rows of ``queryset``, as a scalar subquery (no GROUP BY needed)."""
    counted = queryset.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def _sqlite_list(value, expression, connection) -> list | None:
    return None if value is None else json.loads(value)


class _Median(Aggregate):
    """The median, interpolated between the two middle values (PERCENTILE_CONT's)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite (the embedded default) has no ordered-set aggregate: the same query returns
        # the values as one JSON list and the median is taken from it.
        return self.as_sql(
            compiler,
            connection,
            function="JSON_GROUP_ARRAY",
            template="%(function)s(%(expressions)s)",
            **extra_context,
        )

    def get_db_converters(self, connection):
        converters = super().get_db_converters(connection)
        if connection.vendor == "sqlite":
            return [_sqlite_list, self._median, *converters]
        return converters

    @staticmethod
    def _median(values, expression, connection) -> float | None:
        values = [value for value in values if value is not None]
        return float(statistics.median(values)) if values else None


class _ListField(Field):
    """A list of values: a PostgreSQL array as the driver returns it, or SQLite's JSON text."""

    def get_db_converters(self, connection):
        converters = super().get_db_converters(connection)
        return [_sqlite_list, *converters] if connection.vendor == "sqlite" else converters


class _EmptyList(Value):
    """``[]`` as a list aggregate's default: an empty array, or an empty JSON list on SQLite."""

    def __init__(self):
        super().__init__([])

    def as_sqlite(self, compiler, connection, **extra_context):
        return "'[]'", []


class _ListAgg(Aggregate):
    """The distinct values of ``expression`` per row as a list, empty rather than null:
    ARRAY_AGG on PostgreSQL, JSON_GROUP_ARRAY on SQLite (the embedded default)."""

    function = "ARRAY_AGG"
    allow_distinct = True
    output_field = _ListField()

    def __init__(self, expression, **extra):
        super().__init__(expression, distinct=True, default=_EmptyList(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


# --- Groups ----------------------------------------------------------------------------------


def groups_by_kind(*, scope: MetricScope) -> Breakdown:
    """Groups in scope per kind (GroupKind order)."""
    counts = dict(scope.groups().order_by().values_list("kind").annotate(n=Count("pk")))
    return _breakdown(GroupKind, counts)


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
        return _crosstab([], statuses, {})
    net: dict[tuple[dt.date, str], int] = {}
    moves = [(_as_date(quarter), status, n) for quarter, status, n in moves]
    for quarter, status, n in moves:
        net[quarter, status] = net.get((quarter, status), 0) + n
    quarters = _periods(
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
    rows = [(quarter.isoformat(), _quarter_label(quarter)) for quarter in quarters]
    return _crosstab(rows, statuses, counts)


@dataclass(frozen=True)
class GroupQuestions:
    group_id: int
    group_name: str
    questions: int
    replaced: int
    current: int


def research_question_changes(*, scope: MetricScope) -> list[GroupQuestions]:
    """Per group in scope (by name): research questions recorded, replaced, still current."""
    rows = (
        scope.groups()
        .annotate(
            questions=Count("research_questions"),
            replaced=Count(
                "research_questions", filter=Q(research_questions__replaced_on__isnull=False)
            ),
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "questions", "replaced")
    )
    return [GroupQuestions(pk, name, n, replaced, n - replaced) for pk, name, n, replaced in rows]


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
        .order_by("-date", "-pk")
        .values("phase")[:1]
    )
    rows = groups.annotate(
        cycle_count=_count_of(Cycle.objects.filter(group=OuterRef("pk"))),
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


# --- Participation ---------------------------------------------------------------------------


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


def turnover_by_quarter(*, scope: MetricScope) -> list[QuarterTurnover]:
    """Memberships opened and closed per quarter, in date order, from the first to the last
    quarter with either. A role change (closed with reason "role change" and reopened the same
    day) is neither a leaver nor a joiner; unknown dates are not counted."""
    memberships = scope.memberships()
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
    joined = dict(
        memberships.filter(_within(scope, "joined_on"), joined_on__isnull=False)
        .exclude(Exists(role_change_before))
        .annotate(quarter=TruncQuarter("joined_on"))
        .order_by()
        .values_list("quarter")
        .annotate(n=Count("pk"))
    )
    left = {
        quarter: (n, core)
        for quarter, n, core in memberships.filter(_within(scope, "left_on"), left_on__isnull=False)
        .exclude(leave_reason=LeaveReason.ROLE_CHANGE)
        .annotate(quarter=TruncQuarter("left_on"))
        .order_by()
        .values_list("quarter")
        .annotate(n=Count("pk"), core=Count("pk", filter=Q(role=MembershipRole.CORE)))
    }
    quarters = set(joined) | set(left)
    if not quarters:
        return []
    return [
        QuarterTurnover(
            key=quarter.isoformat(),
            label=_quarter_label(quarter),
            joiners=joined.get(quarter, 0),
            leavers=left.get(quarter, (0, 0))[0],
            core_leavers=left.get(quarter, (0, 0))[1],
        )
        for quarter in _periods(min(quarters), max(quarters), months=3, scope=scope)
    ]


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
        organisations_by_sector=_breakdown(Sector, organisations),
        people_by_sector=_breakdown(Sector, people),
    )


def occupation_categories(*, scope: MetricScope) -> Breakdown:
    """People in scope per ONS SOC 2010 major group 1-9 (keys "1".."9"), then not recorded."""
    counts = dict(
        scope.people().order_by().values_list("occupation_category").annotate(n=Count("pk"))
    )
    return _breakdown(OccupationCategory, counts)


def levels(*, scope: MetricScope) -> Breakdown:
    """People in scope per level, strategic to frontline, then not recorded."""
    counts = dict(scope.people().order_by().values_list("level").annotate(n=Count("pk")))
    return _breakdown(Level, counts)


def research_experience(*, scope: MetricScope) -> Breakdown:
    """People in scope per prior research experience, then not recorded."""
    counts = dict(
        scope.people().order_by().values_list("research_experience").annotate(n=Count("pk"))
    )
    return _breakdown(ResearchExperience, counts)


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


# --- Activity --------------------------------------------------------------------------------


def activities_by_kind_per_month(*, scope: MetricScope) -> CrossTab:
    """Activities per month (rows) and kind (columns, ActivityKind order, only kinds that
    occur). A tally row counts as its ``count`` and is placed in the month of its ``date``."""
    counts = {
        (month.isoformat(), kind): n
        for month, kind, n in scope.activities()
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values_list("month", "kind")
        .annotate(n=Sum(_counted()))
    }
    kinds = {kind for _, kind in counts}
    columns = [(value, label) for value, label in ActivityKind.choices if value in kinds]
    if not counts:
        return _crosstab([], columns, {})
    months = sorted({dt.date.fromisoformat(month) for month, _ in counts})
    periods = _periods(months[0], months[-1], months=1, scope=scope)
    rows = [(m.isoformat(), f"{m:%Y-%m}") for m in periods]
    return _crosstab(rows, columns, counts)


@dataclass(frozen=True)
class MeetingHours:
    meetings: int  # group meetings (tally rows count as their count)
    meetings_with_duration: int
    minutes: int  # total over the meetings with a recorded duration

    @property
    def hours(self) -> float:
        return self.minutes / 60


def meeting_hours(*, scope: MetricScope) -> MeetingHours:
    """Group meetings in scope and the hours they took, where a duration is recorded."""
    figures = (
        scope.activities()
        .filter(kind=ActivityKind.GROUP_MEETING)
        .aggregate(
            meetings=Coalesce(Sum(_counted()), 0),
            meetings_with_duration=Count("pk", filter=Q(duration_minutes__isnull=False)),
            minutes=Coalesce(Sum("duration_minutes"), 0),
        )
    )
    return MeetingHours(**figures)


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
    name is recorded. Meetings with neither are left out of mean, median and max."""
    meetings = (
        scope.activities()
        .filter(kind=ActivityKind.GROUP_MEETING, count__isnull=True)
        .order_by()
        .annotate(named=Count("attendance"))
        .annotate(
            head_count=Case(
                When(named__gt=0, then=F("named")),
                default=F("attendance_total"),
                output_field=IntegerField(),
            ),
            counted=Case(
                When(named=0, then=F("attendance_total")), default=0, output_field=IntegerField()
            ),
        )
        .filter(head_count__isnull=False)
    )
    figures = meetings.aggregate(
        meetings=Count("pk"),
        named_total=Coalesce(Sum("named"), 0),
        counted_total=Coalesce(Sum("counted"), 0),
        mean=Avg("head_count"),
        median=_Median("head_count"),
        max=Max("head_count"),
    )
    return AttendanceStats(
        meetings=figures["meetings"],
        named=figures["named_total"],
        counted=figures["counted_total"],
        mean=figures["mean"],
        median=figures["median"],
        max=figures["max"],
    )


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
        for site, kind, n in scope.activities()
        .filter(kind__in=BACKSTAGE_KINDS, group__isnull=True, site__isnull=False)
        .order_by()
        .values_list("site", "kind")
        .annotate(n=Sum(_counted()))
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
    """Activities in scope in which each researcher role was exercised (ResearcherRole order)."""
    counts = dict(
        ActivityResearcherRole.objects.filter(activity__in=scope.activities())
        .order_by()
        .values_list("role")
        .annotate(n=Count("pk"))
    )
    return _breakdown(ResearcherRole, counts)


# --- Evidence, outputs, changes --------------------------------------------------------------


@dataclass(frozen=True)
class TableA:
    """The working paper's Table A: evidence by authorship (rows) and order (columns), and the
    same split by kind (rows kinds, columns "order/authorship" pairs)."""

    by_authorship: CrossTab
    by_kind: CrossTab


def evidence_table_a(*, scope: MetricScope) -> TableA:
    """Evidence items in scope cross-tabulated by kind, order and authorship."""
    rows = list(
        scope.evidence()
        .order_by()
        .values_list("kind", "order", "authorship")
        .annotate(n=Count("pk"))
    )
    by_authorship: dict = {}
    by_kind: dict = {}
    for kind, order, authorship, n in rows:
        by_authorship[authorship, order] = by_authorship.get((authorship, order), 0) + n
        by_kind[kind, f"{order}/{authorship}"] = n
    pairs = [
        (f"{order}/{authorship}", f"{order_label}, {authorship_label}")
        for order, order_label in EvidenceOrder.choices
        for authorship, authorship_label in Authorship.choices
    ]
    return TableA(
        by_authorship=_crosstab(Authorship.choices, EvidenceOrder.choices, by_authorship),
        by_kind=_crosstab(EvidenceKind.choices, pairs, by_kind),
    )


def evidence_by_use(*, scope: MetricScope) -> Breakdown:
    """Evidence items in scope by use (instrumental, conceptual, both), then not recorded."""
    counts = dict(scope.evidence().order_by().values_list("use").annotate(n=Count("pk")))
    return _breakdown(EvidenceUse, counts)


@dataclass(frozen=True)
class OutputsSummary:
    total: int
    by_kind: Breakdown
    by_form: Breakdown
    by_status: Breakdown


def outputs_summary(*, scope: MetricScope) -> OutputsSummary:
    """Outputs in scope by kind, by form (formal/creative) and by status."""
    rows = list(
        scope.outputs().order_by().values_list("kind", "form", "status").annotate(n=Count("pk"))
    )
    by: tuple[dict, dict, dict] = ({}, {}, {})
    for *values, n in rows:
        for counts, value in zip(by, values, strict=True):
            counts[value] = counts.get(value, 0) + n
    return OutputsSummary(
        total=sum(n for *_, n in rows),
        by_kind=_breakdown(OutputKind, by[0]),
        by_form=_breakdown(OutputForm, by[1]),
        by_status=_breakdown(OutputStatus, by[2]),
    )


@dataclass(frozen=True)
class OutputRow:
    output_id: int
    title: str
    kind: str  # label
    form: str  # label
    status: str  # label
    date: dt.date | None  # published, else consultation, else drafted
    date_precision: str
    groups: tuple[str, ...]  # group names, alphabetical


def outputs_list(*, scope: MetricScope) -> list[OutputRow]:
    """Outputs in scope, formal then creative, each by date then title."""
    form_rank = Case(*(When(form=v, then=i) for i, v in enumerate(OutputForm.values)), default=99)
    rows = (
        scope.outputs()
        .annotate(
            dated=Coalesce("published_on", "consultation_on", "drafted_on"),
            group_names=_ListAgg("groups__name", filter=Q(groups__isnull=False)),
            form_rank=form_rank,
        )
        .order_by("form_rank", F("dated").asc(nulls_last=True), "title", "pk")
        .values_list(
            "pk", "title", "kind", "form", "status", "dated", "date_precision", "group_names"
        )
    )
    return [
        OutputRow(
            output_id=pk,
            title=title,
            kind=str(OutputKind(kind).label),
            form=str(OutputForm(form).label),
            status=str(OutputStatus(status).label),
            date=dated,
            date_precision=precision,
            groups=tuple(sorted(groups)),
        )
        for pk, title, kind, form, status, dated, precision, groups in rows
    ]


def changes_summary(*, scope: MetricScope) -> CrossTab:
    """Changes in scope by type (rows, ChangeType order) and level (columns, ChangeLevel)."""
    counts = {
        (type_, level): n
        for type_, level, n in scope.changes()
        .order_by()
        .values_list("type", "level")
        .annotate(n=Count("pk"))
    }
    return _crosstab(ChangeType.choices, ChangeLevel.choices, counts)


@dataclass(frozen=True)
class ChangeRow:
    change_id: int
    title: str
    type: str  # label
    level: str  # label
    date: dt.date | None
    date_precision: str
    group: str  # the group's name, or ""
    evidence: tuple[str, ...]  # titles of the supporting evidence, alphabetical
    outputs: tuple[str, ...]  # titles of the supporting outputs, alphabetical
    withheld_evidence: int = 0  # restricted or personal items: counted, never titled


# A report is read beyond the researchers (strategy leads, the public once published): the
# title of a restricted or personal-data item can itself disclose what it holds.
_TITLED_SENSITIVITIES = (Sensitivity.PUBLIC, Sensitivity.INTERNAL)


def changes_with_evidence(*, scope: MetricScope) -> list[ChangeRow]:
    """Changes in scope, by type order then date then title, each with what supports it."""
    type_rank = Case(*(When(type=v, then=i) for i, v in enumerate(ChangeType.values)), default=99)
    rows = (
        scope.changes()
        .annotate(
            type_rank=type_rank,
            evidence_titles=_ListAgg(
                "evidence__title", filter=Q(evidence__sensitivity__in=_TITLED_SENSITIVITIES)
            ),
            withheld=Count(
                "evidence",
                distinct=True,
                filter=Q(evidence__isnull=False)
                & ~Q(evidence__sensitivity__in=_TITLED_SENSITIVITIES),
            ),
            output_titles=_ListAgg("outputs__title", filter=Q(outputs__isnull=False)),
        )
        .order_by("type_rank", F("date").asc(nulls_last=True), "title", "pk")
        .values_list(
            "pk",
            "title",
            "type",
            "level",
            "date",
            "date_precision",
            "group__name",
            "evidence_titles",
            "output_titles",
            "withheld",
        )
    )
    return [
        ChangeRow(
            change_id=pk,
            title=title,
            type=str(ChangeType(type_).label),
            level=str(ChangeLevel(level).label),
            date=date,
            date_precision=precision,
            group=group or "",
            evidence=tuple(sorted(evidence)),
            outputs=tuple(sorted(outputs)),
            withheld_evidence=withheld,
        )
        for pk, title, type_, level, date, precision, group, evidence, outputs, withheld in rows
    ]


# --- Themes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    groups: int
    evidence: int
    outputs: int
    changes: int
    events: int

    @property
    def total(self) -> int:
        return self.groups + self.evidence + self.outputs + self.changes + self.events


@dataclass(frozen=True)
class ThemeCoverage:
    theme_id: int
    name: str
    total: Coverage  # distinct records in scope touching the theme
    # Per site in scope, in the order of FrameworkCoverage.site_names; a programme-wide record
    # (no site) counts only in ``total``.
    per_site: tuple[Coverage, ...]


@dataclass(frozen=True)
class FrameworkCoverage:
    framework: str
    site_ids: tuple[int, ...]
    site_names: tuple[str, ...]
    themes: tuple[ThemeCoverage, ...]  # in the framework's order


def _m2m(model, name: str) -> tuple[str, str, str]:
    """The table of ``model``'s many-to-many field ``name``, its column naming the ``model``
    row and its column naming the other side."""
    field = model._meta.get_field(name)
    return field.m2m_db_table(), field.m2m_column_name(), field.m2m_reverse_name()


def _coverage_sql(kind: str, records: QuerySet, group: str | None) -> tuple[str, str, list]:
    """For the records of ``kind`` in ``records``: a CTE ``<kind>_themes`` of their (record,
    theme) links, and a query counting per theme and site the records that count for the
    site: by their own sites, else by those of their group (``group`` a foreign key) or of
    their groups (``group`` a many-to-many)."""
    model = records.model
    scoped_sql, params = records.order_by().values("pk").query.sql_with_params()
    themes, theme_record, theme = _m2m(model, "themes")
    own, own_record, own_site = _m2m(model, "sites")
    group_sites, group_sites_group, group_sites_site = _m2m(InquiryGroup, "sites")
    cte = f"""
        {kind}_themes (record, theme) AS MATERIALIZED (
            SELECT {theme_record}, {theme} FROM {themes} WHERE {theme_record} IN ({scoped_sql})
        )"""
    own_join = f"LEFT JOIN {own} o ON o.{own_record} = t.record"
    if group is None:
        joins, site, counted = own_join, f"o.{own_site}", "COUNT(*)"
    elif model._meta.get_field(group).many_to_many:
        # A record's groups may share a site: only these (few) records need DISTINCT.
        table, record, group_column = _m2m(model, group)
        joins = f"""{own_join}
            LEFT JOIN {table} g ON o.{own_record} IS NULL AND g.{record} = t.record
            LEFT JOIN {group_sites} gs ON gs.{group_sites_group} = g.{group_column}"""
        site = f"COALESCE(o.{own_site}, gs.{group_sites_site})"
        counted = "COUNT(DISTINCT t.record)"
    else:
        # The group's sites are joined only for a record without sites of its own, so each
        # record meets each site once and a plain count is distinct.
        joins = f"""{own_join}
            LEFT JOIN {model._meta.db_table} r ON o.{own_record} IS NULL AND r.id = t.record
            LEFT JOIN {group_sites} gs
              ON gs.{group_sites_group} = r.{model._meta.get_field(group).column}"""
        site = f"COALESCE(o.{own_site}, gs.{group_sites_site})"
        counted = "COUNT(*)"
    per_site = f"""
        SELECT '{kind}', t.theme, {site}, {counted} FROM {kind}_themes t {joins}
        WHERE {site} IS NOT NULL GROUP BY 1, 2, 3"""
    return cte, per_site, list(params)


def theme_coverage(*, scope: MetricScope) -> list[FrameworkCoverage]:
    """For each framework of the programme (by name), each theme: the groups, evidence items,
    outputs, changes and events in scope touching it, in total and per site."""
    themes = list(
        Theme.objects.filter(programme=scope.programme)
        .order_by("framework", "position", "name", "pk")
        .values_list("pk", "framework", "name")
    )
    sites = list(scope.sites().order_by("name", "pk").values_list("pk", "name"))
    # A record counts for its own sites, else for its group's (or groups') sites.
    kinds = {
        "groups": (scope.groups(), None),
        "evidence": (scope.evidence(), "group"),
        "outputs": (scope.outputs(), "groups"),
        "changes": (scope.changes(), "group"),
        "events": (scope.events(), "groups"),
    }
    # One pass for every kind, starting from the theme links (records without a theme never
    # reach a join). A record has each theme and each site once, so plain counts are distinct.
    ctes, counts, params = [], [], []
    for kind, (records, group) in kinds.items():
        cte, per_site_sql, cte_params = _coverage_sql(kind, records, group)
        ctes.append(cte)
        params += cte_params
        counts.append(f"SELECT '{kind}', theme, NULL, COUNT(*) FROM {kind}_themes GROUP BY 2")
        counts.append(per_site_sql)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} {' UNION ALL '.join(counts)}", params)
        rows = cursor.fetchall()
    totals: dict[str, dict[int, int]] = {kind: {} for kind in kinds}
    per_site: dict[str, dict[tuple[int, int], int]] = {kind: {} for kind in kinds}
    for kind, theme, site, n in rows:
        if site is None:
            totals[kind][theme] = n
        else:
            per_site[kind][theme, site] = n
    frameworks: dict[str, list[ThemeCoverage]] = {}
    for pk, framework, name in themes:
        frameworks.setdefault(framework, []).append(
            ThemeCoverage(
                theme_id=pk,
                name=name,
                total=Coverage(**{kind: totals[kind].get(pk, 0) for kind in kinds}),
                per_site=tuple(
                    Coverage(**{kind: per_site[kind].get((pk, site), 0) for kind in kinds})
                    for site, _ in sites
                ),
            )
        )
    return [
        FrameworkCoverage(
            framework=framework,
            site_ids=tuple(pk for pk, _ in sites),
            site_names=tuple(name for _, name in sites),
            themes=tuple(covered),
        )
        for framework, covered in frameworks.items()
    ]


# --- Events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    event_id: int
    title: str
    kind: str  # label
    start_date: dt.date
    end_date: dt.date | None
    date_precision: str
    programme_wide: bool
    named: int  # attendees recorded by name
    # The published head count (events.headcount); None when none is recorded.
    counted: int | None
    approximate: bool  # some row of that head count was published as "about"
    organisations: int  # organisations named as taking part


@dataclass(frozen=True)
class EventsSummary:
    count: int
    named: int
    counted: int
    approximate: bool
    by_kind: Breakdown
    events: tuple[EventRow, ...]  # by start date, then title


def events_summary(*, scope: MetricScope) -> EventsSummary:
    """Events in scope with their attendance, named and counted (the head count of
    :mod:`events.headcount`)."""
    rows = (
        scope.events()
        .annotate(
            named=Coalesce(
                _count_of(Event.attendees.through.objects.filter(event=OuterRef("pk"))), 0
            ),
            organisation_count=Coalesce(
                _count_of(Event.organisations.through.objects.filter(event=OuterRef("pk"))), 0
            ),
            programme_wide=~Exists(Event.sites.through.objects.filter(event=OuterRef("pk"))),
            counted=head_count(),
            counted_approximate=head_count_approximate(),
        )
        .order_by("start_date", "title", "pk")
        .values_list(
            "pk",
            "title",
            "kind",
            "start_date",
            "end_date",
            "date_precision",
            "programme_wide",
            "named",
            "counted",
            "counted_approximate",
            "organisation_count",
        )
    )
    # The columns are EventRow's fields in order; only the kind turns into its label.
    events = [
        EventRow(pk, title, str(EventKind(kind).label), *rest) for pk, title, kind, *rest in rows
    ]
    by_kind: dict[str, int] = {}
    for event in rows:
        by_kind[event[2]] = by_kind.get(event[2], 0) + 1
    return EventsSummary(
        count=len(events),
        named=sum(event.named for event in events),
        counted=sum(event.counted or 0 for event in events),
        approximate=any(event.approximate for event in events),
        by_kind=_breakdown(EventKind, by_kind),
        events=tuple(events),
    )


def feedback_shares(*, scope: MetricScope) -> list[StatementShare]:
    """Per Likert statement of the feedback forms of the events in scope, the share scoring
    4 or 5 (see :func:`feedback_statement_shares`)."""
    return feedback_statement_shares(
        forms=FeedbackForm.objects.filter(event__in=scope.events().values("pk"))
    )


# --- Network ---------------------------------------------------------------------------------


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
    people attended at least ``min_weight`` activities in scope together."""
    present = (
        Attendance.objects.filter(
            activity__in=scope.activities().values("pk"), person__organisation__isnull=False
        )
        .order_by()
        .values("activity", "person__organisation")
        .distinct()
    )
    present_sql, params = present.query.sql_with_params()
    organisation = Organisation._meta.db_table
    # Each organisation once per activity first, then one self-join on the activity: the join
    # pairs organisations rather than people (a tenth of the rows), each pair's weight is a
    # plain count with no DISTINCT over the join, and the nodes come from the same pass,
    # counted before meeting the organisations' names.
    sql = f"""
        WITH present (activity, organisation) AS ({present_sql})
        SELECT * FROM (
            SELECT one.organisation, other.organisation, COUNT(*) AS weight,
                   CAST(NULL AS text), CAST(NULL AS text)
            FROM present one JOIN present other
              ON other.activity = one.activity AND other.organisation > one.organisation
            GROUP BY one.organisation, other.organisation
            HAVING COUNT(*) >= %s
            ORDER BY weight DESC, one.organisation, other.organisation
        ) edges
        UNION ALL
        SELECT * FROM (
            SELECT nodes.organisation, CAST(NULL AS bigint), nodes.n, CAST(o.name AS text),
                   CAST(o.sector AS text)
            FROM (SELECT organisation, COUNT(*) AS n FROM present GROUP BY organisation) nodes
            JOIN {organisation} o ON o.id = nodes.organisation
            ORDER BY o.name, nodes.organisation
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


# --- The working paper's tables --------------------------------------------------------------


@dataclass(frozen=True)
class AppendixRow:
    group_id: int
    name: str
    short_name: str
    kind: str  # label
    sites: tuple[str, ...]
    start_date: dt.date | None
    end_date: dt.date | None
    date_precision: str
    period: str  # as the group page shows it, as format_partial_period writes it
    core: int  # on the scope's day (MetricScope.on)
    periphery: int
    meetings: int  # every recorded group meeting, a tally row counting as its count
    activities: int  # every activity row of the group in scope
    outputs: int


def group_appendix(*, scope: MetricScope, on: dt.date | None = None) -> list[AppendixRow]:
    """The working paper's appendix table: per group in scope, by first site then start date
    then name, its timings, members core and periphery on ``on``, meetings, activities and
    outputs."""
    day = scope.on(on)
    activities = scope.activities().filter(group=OuterRef("pk"))
    outputs = scope.outputs().filter(groups=OuterRef("pk"))
    rows = (
        group_list_with_counts(queryset=scope.groups(), on=day)
        .annotate(
            activity_count=Coalesce(_count_of(activities), 0),
            output_count=Coalesce(_count_of(outputs), 0),
            site_names=_ListAgg("sites__name", filter=Q(sites__isnull=False)),
            first_site=Min("sites__name"),
        )
        .order_by(
            F("first_site").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "name", "pk"
        )
        .values_list(
            "pk",
            "name",
            "short_name",
            "kind",
            "site_names",
            "start_date",
            "end_date",
            "date_precision",
            "core_count",
            "periphery_count",
            "meeting_count",
            "activity_count",
            "output_count",
        )
    )
    return [
        AppendixRow(
            group_id=pk,
            name=name,
            short_name=short_name,
            kind=str(GroupKind(kind).label),
            sites=tuple(sorted(sites)),
            start_date=start,
            end_date=end,
            date_precision=precision,
            period=format_partial_period(start, end, precision),
            core=core,
            periphery=periphery,
            meetings=meetings,
            activities=activity_count,
            outputs=output_count,
        )
        for (
            pk,
            name,
            short_name,
            kind,
            sites,
            start,
            end,
            precision,
            core,
            periphery,
            meetings,
            activity_count,
            output_count,
        ) in rows
    ]


@dataclass(frozen=True)
class ProposedRow:
    title: str
    outcome: str  # label, or ""
    reason: str
    delivered_by: tuple[str, ...]  # names of the groups that delivered it


@dataclass(frozen=True)
class TableBSite:
    site_id: int
    site_name: str
    proposed: tuple[ProposedRow, ...]  # in the site's order
    delivered_focus: tuple[str, ...]  # what was delivered, as the partnership put it
    delivered_groups: tuple[str, ...]  # the site's groups that delivered a proposed project


def table_b(*, scope: MetricScope) -> list[TableBSite]:
    """The working paper's Table B: per site in scope, proposed projects against delivery."""
    sites = list(scope.sites().order_by("name", "pk").values_list("pk", "name", "delivered_focus"))
    projects = (
        ProposedProject.objects.filter(site__in=[pk for pk, _, _ in sites])
        .annotate(groups=_ListAgg("delivered_by__name", filter=Q(delivered_by__isnull=False)))
        .order_by("site", "position", "title", "pk")
        .values_list("site", "title", "outcome", "reason", "groups")
    )
    proposed: dict[int, list[ProposedRow]] = {}
    for site, title, outcome, reason, groups in projects:
        label = str(ProjectOutcome(outcome).label) if outcome else ""
        proposed.setdefault(site, []).append(
            ProposedRow(title, label, reason, tuple(sorted(groups)))
        )
    return [
        TableBSite(
            site_id=pk,
            site_name=name,
            proposed=tuple(proposed.get(pk, [])),
            delivered_focus=tuple(focus or ()),
            delivered_groups=tuple(
                sorted({group for row in proposed.get(pk, []) for group in row.delivered_by})
            ),
        )
        for pk, name, focus in sites
    ]


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    end_date: dt.date | None
    date_precision: str
    source: str  # "event" or "activity"
    record_id: int
    title: str
    kind: str  # label
    sites: tuple[str, ...]  # empty for a programme-wide event


def joint_activities_timeline(*, scope: MetricScope) -> list[TimelineEntry]:
    """Programme-wide events, events of several sites and activities of groups spanning
    several sites, in date order (then title)."""
    site_count = Count("sites", distinct=True)
    events = (
        scope.events()
        .annotate(
            site_count=site_count,
            site_names=_ListAgg("sites__name", filter=Q(sites__isnull=False)),
        )
        .filter(Q(site_count=0) | Q(site_count__gte=2))
        .values_list(
            "pk", "title", "kind", "start_date", "end_date", "date_precision", "site_names"
        )
    )
    shared_groups = (
        InquiryGroup.objects.filter(programme=scope.programme)
        .annotate(site_count=site_count)
        .filter(site_count__gte=2)
    )
    activities = (
        scope.activities()
        .filter(group__in=shared_groups.values("pk"))
        .annotate(site_names=_ListAgg("group__sites__name"))
        .values_list("pk", "title", "kind", "date", "end_date", "date_precision", "site_names")
    )
    entries = [
        TimelineEntry(
            date,
            end,
            precision,
            "event",
            pk,
            title,
            str(EventKind(kind).label),
            tuple(sorted(sites)),
        )
        for pk, title, kind, date, end, precision, sites in events
    ] + [
        TimelineEntry(
            date,
            end,
            precision,
            "activity",
            pk,
            title or str(ActivityKind(kind).label),
            str(ActivityKind(kind).label),
            tuple(sorted(sites)),
        )
        for pk, title, kind, date, end, precision, sites in activities
    ]
    return sorted(
        entries, key=lambda entry: (entry.date, entry.title, entry.source, entry.record_id)
    )


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    qualifier: str
    period_start: dt.date | None
    period_end: dt.date | None


@dataclass(frozen=True)
class SiteEngagement:
    site_id: int
    site_name: str
    figures: tuple[Figure, ...]  # published totals (EngagementFigure), in the site's order
    tallies: SiteTallies  # computed from the activity rows


def engagement_figures(*, scope: MetricScope) -> list[SiteEngagement]:
    """Per site in scope (by name): researcher engagement figures, published and computed."""
    tallies = backstage_tallies(scope=scope)
    figures: dict[int, list[Figure]] = {}
    for site, *figure in (
        EngagementFigure.objects.filter(site__in=[tally.site_id for tally in tallies])
        .order_by("site", "position", "label")
        .values_list("site", "label", "value", "qualifier", "period_start", "period_end")
    ):
        figures.setdefault(site, []).append(Figure(*figure))
    return [
        SiteEngagement(tally.site_id, tally.site_name, tuple(figures.get(tally.site_id, [])), tally)
        for tally in tallies
    ]


# --- Partnership health ----------------------------------------------------------------------


class HealthFlagKind:
    QUIET = "quiet"
    LOST_CORE = "lost_core"
    NO_OUTPUT = "no_output"


@dataclass(frozen=True)
class GroupHealth:
    group_id: int
    group_name: str
    flags: tuple[str, ...]  # HealthFlagKind values, in that order
    details: tuple[str, ...]  # one sentence per flag


def partnership_health(*, scope: MetricScope, today: dt.date | None = None) -> list[GroupHealth]:
    """Groups in scope that need attention on ``today``, by name, each with its flags:

    - quiet: forming, active or re-forming, and no activity in the last six weeks (or none);
    - lost_core: a core member left in the last quarter (91 days) other than by a role change,
      or fewer core members now than a quarter ago;
    - no_output: evidence recorded but no output.
    Groups without a flag are left out."""
    today = today or timezone.localdate()
    quarter_ago = today - LOST_CORE_WITHIN
    core = Membership.objects.filter(group=OuterRef("pk"), role=MembershipRole.CORE)
    rows = (
        scope.groups()
        .annotate(
            last_activity=Subquery(
                Activity.objects.filter(group=OuterRef("pk"), date__lte=today)
                .order_by("-date")
                .values("date")[:1]
            ),
            core_left=Coalesce(
                _count_of(
                    core.filter(left_on__gt=quarter_ago, left_on__lte=today).exclude(
                        leave_reason=LeaveReason.ROLE_CHANGE
                    )
                ),
                0,
            ),
            core_now=Coalesce(_count_of(core.filter(memberships_open_on(on=today))), 0),
            core_then=Coalesce(_count_of(core.filter(memberships_open_on(on=quarter_ago))), 0),
            has_evidence=Exists(EvidenceItem.objects.filter(group=OuterRef("pk"))),
            has_output=Exists(Output.groups.through.objects.filter(inquirygroup=OuterRef("pk"))),
        )
        .order_by("name", "pk")
        .values_list(
            "pk",
            "name",
            "status",
            "last_activity",
            "core_left",
            "core_now",
            "core_then",
            "has_evidence",
            "has_output",
        )
    )
    result = []
    for pk, name, status, last, left, now, then, has_evidence, has_output in rows:
        flags, details = [], []
        if status in LIVE_STATUSES and (last is None or today - last > QUIET_AFTER):
            flags.append(HealthFlagKind.QUIET)
            details.append(
                f"No activity since {date_format(last)}." if last else "No activity recorded."
            )
        if left or now < then:
            flags.append(HealthFlagKind.LOST_CORE)
            details.append(
                f"{counted(left, 'core member')} left in the last quarter; "
                f"core members {then} then, {now} now."
            )
        if has_evidence and not has_output:
            flags.append(HealthFlagKind.NO_OUTPUT)
            details.append("Evidence recorded but no output yet.")
        if flags:
            result.append(GroupHealth(pk, name, tuple(flags), tuple(details)))
    return result


@dataclass(frozen=True)
class Headline:
    groups: int
    active_groups: int
    people: int
    activities: int
    evidence_items: int
    outputs: int
    changes: int
    events: int


def headline(*, scope: MetricScope) -> Headline:
    """The key counts for a dashboard's top row, each under the scope's filters (active
    groups: status active now)."""
    figures = (
        Programme.objects.filter(pk=scope.programme.pk)
        .annotate(
            group_count=_count_of(scope.groups()),
            active_count=_count_of(scope.groups().filter(status=GroupStatus.ACTIVE)),
            people_count=_count_of(scope.people()),
            activity_count=_count_of(scope.activities()),
            evidence_count=_count_of(scope.evidence()),
            output_count=_count_of(scope.outputs()),
            change_count=_count_of(scope.changes()),
            event_count=_count_of(scope.events()),
        )
        .values_list(
            "group_count",
            "active_count",
            "people_count",
            "activity_count",
            "evidence_count",
            "output_count",
            "change_count",
            "event_count",
        )
        .get()
    )
    return Headline(*figures)


# --- Feedback --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementShare:
    """How one Likert statement was scored: the share of responses scoring 4 or 5.

    ``share`` is a percentage, or None where the statement has no scored response; a source
    that published only a range keeps it in ``published_min``/``published_max``.
    """

    question_id: int
    form_id: int
    text: str
    responses: int
    agreeing: int
    published_min: int | None
    published_max: int | None

    @property
    def share(self) -> float | None:
        return 100 * self.agreeing / self.responses if self.responses else None

    @property
    def has_published_range(self) -> bool:
        return self.published_min is not None and self.published_max is not None


def feedback_statement_shares(
    *, forms: QuerySet[FeedbackForm] | list[FeedbackForm]
) -> list[StatementShare]:
    """The share scoring 4 or 5 of each Likert statement of ``forms``, in one query.

    Statements come in their forms' order, then by position.
    """
    rows = (
        FeedbackQuestion.objects.filter(form__in=forms, kind=QuestionKind.LIKERT)
        .annotate(
            responses=Count("answers", filter=Q(answers__score__isnull=False)),
            agreeing=Count("answers", filter=Q(answers__score__gte=AGREEING_SCORE)),
        )
        .order_by("form__event__start_date", "form__title", "position", "pk")
        .values_list(
            "pk",
            "form_id",
            "text",
            "responses",
            "agreeing",
            "published_share_min",
            "published_share_max",
        )
    )
    return [StatementShare(*row) for row in rows]
