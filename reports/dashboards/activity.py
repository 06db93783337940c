"""Dashboards: the panels of the programme, site and group pages, assembled from ``metrics``.

Every figure comes from ``reports.metrics`` (the PDF reports read the same functions, so a
dashboard and a report cannot disagree); this module only lays figures out as charts, tables
and headline numbers, and links each to the filtered list of the records behind it.

A dashboard is read one section at a time (overview, participation, activity, evidence,
themes and events): each section calls a handful of metrics, which keeps every page within
its query budget whatever the programme's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format

from accounts.rules import permitted
from car_programme.validators import RecordDatesMixin
from car_programme.words import counted
from inquiries.enums import BACKSTAGE_KINDS, ActivityKind, GroupStatus
from inquiries.forms import DateInput
from inquiries.models import InquiryGroup
from reports import freshness, metrics
from reports.charts import Chart, Series, Table, chart
from sites.models import CaseSite, Programme

# Strongest organisation pairs shown in the co-attendance ranking; the CSV has them all.
NETWORK_PAIRS_SHOWN = 15
# Longer tables are offered as CSV only.
LONG_TABLE_ROWS = 40


@dataclass(frozen=True)
class Section:
    slug: str
    title: str


SECTIONS = (
    Section("overview", "Overview"),
    Section("participation", "Participation"),
    Section("activity", "Activity"),
    Section("evidence", "Evidence, outputs and change"),
    Section("themes", "Themes and events"),
)
SECTION_SLUGS = tuple(section.slug for section in SECTIONS)


# --- Filter ------------------------------------------------------------------------------------


class DashboardFilterForm(RecordDatesMixin, forms.Form):
    """The date range, and for programme staff on the programme dashboard a site.

    The site choices are the sites the user may read a dashboard of, so a site outside them is
    refused as an invalid choice, like any value not offered."""

    start = forms.DateField(label="From", required=False, widget=DateInput())
    end = forms.DateField(label="To", required=False, widget=DateInput())
    site = forms.ModelChoiceField(
        label="Site", required=False, queryset=CaseSite.objects.none(), empty_label="All sites"
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is None:
            del self.fields["site"]
        else:
            self.fields["site"].queryset = sites

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        return cleaned


def dashboard_sites_for_user(*, user, programme):
    """The programme's sites whose dashboard ``user`` may read: the site filter's choices."""
    return permitted(user, "reports.view_site_dashboard", programme.sites.all()).order_by("name")


# --- What a dashboard shows --------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: str
    value: object
    url: str | None = None
    note: str = ""


@dataclass
class Panel:
    slug: str
    title: str
    intro: str = ""
    figures: list[Figure] = field(default_factory=list)
    # Charts and tables, each with its CSV download.
    tables: list[Table] = field(default_factory=list)
    # Tables too long for the page, offered only as CSV.
    downloads: list[Table] = field(default_factory=list)
    empty_message: str = ""

    def __post_init__(self):
        # A national programme lists hundreds of groups or events: a page shows the charts and
        # short tables, and offers the long ones as CSV.
        long = [t for t in self.tables if not t.is_chart and len(t.rows) > LONG_TABLE_ROWS]
        self.tables = [t for t in self.tables if t not in long]
        self.downloads = [*long, *self.downloads]

    @property
    def is_empty(self) -> bool:
        return not self.figures and all(table.is_empty for table in (*self.tables, *self.downloads))


@dataclass
class Dashboard:
    section: Section
    panels: list[Panel]

    def table(self, slug: str) -> Table | None:
        """The chart or table ``slug`` of this section, for its CSV download."""
        for panel in self.panels:
            if panel.figures and slug == panel.slug:
                return _figures_table(panel)
            for table in (*panel.tables, *panel.downloads):
                if table.slug == slug:
                    return table
        return None


def dashboard_build(*, scope: metrics.MetricScope, section: str) -> Dashboard:
    """The panels of one section of the dashboard of ``scope`` (already cut to what the user
    may see by the caller)."""
    builders = _SECTION_BUILDERS[section]
    links = RecordLinks(scope)
    panels = []
    for builder in builders:
        if scope.group is not None and builder in _ABOUT_SEVERAL_GROUPS:
            continue
        # Kept until a record of the programme changes (and, for partnership health, a day).
        extra = (dt.date.today(),) if builder is _health else ()
        panels.append(
            freshness.cached(
                scope, f"dashboard:{builder.__name__}", lambda b=builder: b(scope, links), *extra
            )
        )
    return Dashboard(section=next(s for s in SECTIONS if s.slug == section), panels=panels)


# --- Links to the records behind a figure ------------------------------------------------------


class RecordLinks:
    """URLs of the record lists, filtered to the dashboard's scope as the figure counts it
    (the lists filter through the same MetricScope: ``reports.filters``), and to the
    category a figure counts."""

    def __init__(self, scope: metrics.MetricScope):
        self.scope = scope
        self.site_pk = scope.site.pk if scope.site else None
        self.group_pk = scope.group.pk if scope.group else None
        self._paths: dict[str, str] = {}

    def _url(self, name: str, **params) -> str:
        # A chart by month links each of hundreds of cells: each list's path is reversed once.
        if name not in self._paths:
            self._paths[name] = reverse(name)
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return self._paths[name] + (f"?{query}" if query else "")

    def _scoped(self, name: str, names=("site", "start", "end"), **params) -> str:
        """``name``'s list in the dashboard's scope; ``names`` are the list's own names of the
        site and dates parameters."""
        site, start, end = names
        scope = {
            "programme": self.scope.programme.pk,
            site: self.site_pk,
            "group": self.group_pk,
            start: self.scope.start,
            end: self.scope.end,
        }
        return self._url(name, **{**scope, **params})

    def groups(self, **params) -> str:
        if self.group_pk:
            return self.group(self.group_pk)
        return self._scoped("inquiries:group_list", **params)

    def group(self, pk: int) -> str:
        return reverse("inquiries:group_detail", args=[pk])

    def people(self) -> str:
        return self._scoped("inquiries:person_list", ("in_site", "start", "end"))

    def organisations(self, **params) -> str:
        return self._scoped("sites:organisation_list", ("in_site", "start", "end"), **params)

    def activities(self, *, month: str | None = None, **params) -> str:
        """Activities in scope; in ``month`` (its first day, ISO) within the scope's range."""
        if month is not None:
            first, last = dt.date.fromisoformat(month), _month_end(month)
            params["date_from"] = max(first, self.scope.start or first)
            params["date_to"] = min(last, self.scope.end or last)
        return self._scoped("inquiries:activity_list", ("site", "date_from", "date_to"), **params)

    def evidence(self, **params) -> str:
        return self._scoped("evidence:evidence_list", **params)

    def outputs(self, **params) -> str:
        return self._scoped("evidence:output_list", **params)

    def changes(self, **params) -> str:
        return self._scoped("evidence:change_list", **params)

    def events(self, **params) -> str:
        return self._scoped("events:event_list", **params)

    def event(self, pk: int) -> str:
        return reverse("events:event_detail", args=[pk])


# --- Shaping metrics into charts ---------------------------------------------------------------


def _breakdown_chart(
    breakdown: metrics.Breakdown,
    *,
    slug: str,
    title: str,
    description: str,
    category_header: str,
    value_name: str,
    link: Callable[[str], str | None] | None = None,
    kind: str = "hbar",
) -> Chart:
    links = tuple(
        link(c.key) if link and c.key != metrics.NOT_RECORDED else None
        for c in breakdown.categories
    )
    return chart(
        slug=slug,
        title=title,
        description=description,
        kind=kind,
        category_header=category_header,
        categories=breakdown.labels,
        series=[Series(value_name, tuple(breakdown.values), links if link else ())],
    )


def _crosstab_chart(
    table: metrics.CrossTab,
    *,
    slug: str,
    title: str,
    description: str,
    category_header: str,
    kind: str,
    link: Callable[[str, str], str | None] | None = None,
) -> Chart:
    series = [
        Series(
            label,
            tuple(table.column(key)),
            tuple(link(row, key) for row in table.row_keys) if link else (),
        )
        for key, label in zip(table.column_keys, table.column_labels, strict=True)
    ]
    return chart(
        slug=slug,
        title=title,
        description=description,
        kind=kind,
        category_header=category_header,
        categories=table.row_labels,
        series=series,
    )


def _figures_table(panel: Panel) -> Table:
    return Table(
        slug=panel.slug,
        title=panel.title,
        headers=("Figure", "Value"),
        rows=tuple((figure.label, figure.value) for figure in panel.figures),
    )


def _month_end(first_day: str) -> dt.date:
    day = dt.date.fromisoformat(first_day)
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _day(day: dt.date) -> str:
    return date_format(day)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


# --- Overview ----------------------------------------------------------------------------------


def _headline(scope, links) -> Panel:
    h = metrics.headline(scope=scope)
    return Panel(
        slug="headline",
        title="At a glance",
        figures=[
            Figure("Groups", h.groups, links.groups()),
            Figure("Active groups", h.active_groups, links.groups(status=GroupStatus.ACTIVE)),
            Figure("People taking part", h.people, links.people()),
            Figure("Activities", h.activities, links.activities()),
            Figure("Evidence items", h.evidence_items, links.evidence()),
            Figure("Outputs", h.outputs, links.outputs()),
            Figure("Changes", h.changes, links.changes()),
            Figure("Events", h.events, links.events()),
        ],
    )


HEALTH_FLAGS = (
    (metrics.HealthFlagKind.QUIET, "Gone quiet"),
    (metrics.HealthFlagKind.LOST_CORE, "Lost core members"),
    (metrics.HealthFlagKind.NO_OUTPUT, "Evidence, no output"),
)


def _health(scope, links) -> Panel:
    groups = metrics.partnership_health(scope=scope)
    rows = tuple(
        (
            g.group_name,
            *("Yes" if flag in g.flags else "" for flag, _label in HEALTH_FLAGS),
            " ".join(g.details),
        )
        for g in groups
    )
    return Panel(
        slug="health-panel",
        title="Partnership health",
        intro=(
            "Groups that may need attention: no activity for six weeks, core members lost in "
            "the last quarter, or evidence recorded but no output yet."
        ),
        tables=[
            Table(
                slug="health",
                title="Groups needing attention",
                headers=("Group", *(label for _flag, label in HEALTH_FLAGS), "Details"),
                rows=rows,
                links=tuple(
                    (links.group(g.group_id), *(None for _ in HEALTH_FLAGS), None) for g in groups
                ),
            )
        ],
        empty_message="No group needs attention.",
    )


def _groups(scope, links) -> Panel:
    by_kind = metrics.groups_by_kind(scope=scope)
    by_status = metrics.groups_by_status_over_time(scope=scope)
    return Panel(
        slug="groups",
        title="Groups",
        tables=[
            _breakdown_chart(
                by_kind,
                slug="groups-by-kind",
                title="Groups by kind",
                description="The number of groups of each kind.",
                category_header="Kind",
                value_name="Groups",
                link=lambda key: links.groups(kind=key),
            ),
            chart(
                slug="groups-by-status",
                title="Groups by status, quarter by quarter",
                description="How many groups were in each status at the end of each quarter.",
                kind="line",
                category_header="Quarter",
                categories=by_status.row_labels,
                series=[
                    Series(label, tuple(by_status.column(key)))
                    for key, label in zip(
                        by_status.column_keys, by_status.column_labels, strict=True
                    )
                    if any(by_status.column(key))
                ],
            ),
        ],
    )


# --- Participation -----------------------------------------------------------------------------


def _participation(scope, links) -> Panel:
    p = metrics.participation(scope=scope)
    turnover = metrics.turnover_by_quarter(scope=scope)
    on = _day(p.on)
    return Panel(
        slug="participation",
        title="Who takes part",
        intro=f"Members are counted on {on}; people are counted once however many groups.",
        figures=[
            Figure("People taking part", p.people, links.people()),
            Figure(f"Core members on {on}", p.core),
            Figure(f"Periphery members on {on}", p.periphery),
            Figure(f"Members on {on}", p.members_on),
        ],
        tables=[
            chart(
                slug="turnover",
                title="Joiners and leavers per quarter",
                description="Memberships opened and closed in each quarter.",
                kind="bar",
                category_header="Quarter",
                categories=[q.label for q in turnover],
                series=[
                    Series("Joiners", tuple(q.joiners for q in turnover)),
                    Series("Leavers", tuple(q.leavers for q in turnover)),
                    Series("Core leavers", tuple(q.core_leavers for q in turnover)),
                ],
            )
        ],
    )


def _organisations(scope, links) -> Panel:
    o = metrics.organisations_and_sectors(scope=scope)
    return Panel(
        slug="organisations",
        title="Organisations and sectors",
        figures=[
            Figure("Organisations represented", o.organisations, links.organisations()),
            Figure("People without an organisation", o.people_without_organisation),
        ],
        tables=[
            _breakdown_chart(
                o.organisations_by_sector,
                slug="organisations-by-sector",
                title="Organisations by sector",
                description="The organisations of the people taking part, by sector.",
                category_header="Sector",
                value_name="Organisations",
                link=lambda key: links.organisations(sector=key),
            ),
            _breakdown_chart(
                o.people_by_sector,
                slug="people-by-sector",
                title="People by sector",
                description="The people taking part, by their organisation's sector.",
                category_header="Sector",
                value_name="People",
            ),
        ],
    )


def _people_profile(scope, links) -> Panel:
    return Panel(
        slug="profile",
        title="Levels, occupations and research experience",
        tables=[
            _breakdown_chart(
                metrics.levels(scope=scope),
                slug="levels",
                title="People by level",
                description="The people taking part, from strategic to frontline.",
                category_header="Level",
                value_name="People",
            ),
            _breakdown_chart(
                metrics.occupation_categories(scope=scope),
                slug="occupations",
                title="People by occupation (ONS SOC 2010 major group)",
                description="The people taking part, by occupation category.",
                category_header="Occupation category",
                value_name="People",
            ),
            _breakdown_chart(
                metrics.research_experience(scope=scope),
                slug="research-experience",
                title="People by prior research experience",
                description="The people taking part, by research experience before joining.",
                category_header="Research experience",
                value_name="People",
            ),
        ],
    )


def _diversity(scope, links) -> Panel:
    groups = metrics.organisational_diversity(scope=scope)
    return Panel(
        slug="diversity-panel",
        title="Organisational diversity per group",
        intro=(
            "Blau's index runs from 0 (every member from one sector) towards 1 (members "
            "spread evenly over many sectors)."
        ),
        tables=[
            Table(
                slug="diversity",
                title="Organisations and sectors per group",
                headers=("Group", "Members", "Organisations", "Sectors", "Blau index"),
                rows=tuple(
                    (
                        g.group_name,
                        g.members,
                        g.organisations,
                        g.sectors,
                        "" if g.blau_index is None else f"{g.blau_index:.2f}",
                    )
                    for g in groups
                ),
                links=tuple((links.group(g.group_id), None, None, None, None) for g in groups),
            )
        ],
    )


# --- Activity ----------------------------------------------------------------------------------


def _activity(scope, links) -> Panel:
    per_month = metrics.activities_by_kind_per_month(scope=scope)
    # Backstage tallies (hundreds of emails in a month) would flatten the meetings; they have
    # their own panel.
    kinds = [
        (key, label)
        for key, label in zip(per_month.column_keys, per_month.column_labels, strict=True)
        if key not in BACKSTAGE_KINDS
    ]
    return Panel(
        slug="activity-panel",
        title="Activities",
        tables=[
            chart(
                slug="activities-per-month",
                title="Meetings and other activities, month by month",
                description="Activities recorded each month by kind, backstage contacts aside.",
                kind="stacked_bar",
                category_header="Month",
                categories=per_month.row_labels,
                series=[
                    Series(
                        label,
                        tuple(per_month.column(key)),
                        tuple(
                            links.activities(kind=key, month=month) for month in per_month.row_keys
                        ),
                    )
                    for key, label in kinds
                ],
            ),
        ],
    )


def _meetings(scope, links) -> Panel:
    hours = metrics.meeting_hours(scope=scope)
    attendance = metrics.attendance_per_meeting(scope=scope)
    meetings_url = links.activities(kind=ActivityKind.GROUP_MEETING)
    return Panel(
        slug="meetings",
        title="Group meetings",
        figures=[
            Figure("Group meetings", hours.meetings, meetings_url),
            Figure(
                "Meeting hours",
                f"{hours.hours:.1f}",
                note=(
                    f"over the {counted(hours.meetings_with_duration, 'meeting')} "
                    "with a recorded length"
                ),
            ),
            Figure("Attendances recorded by name", attendance.named),
            Figure("Attendances counted only", attendance.counted),
            Figure(
                "Mean attendance per meeting",
                "Not recorded" if attendance.mean is None else f"{attendance.mean:.1f}",
            ),
            Figure(
                "Median attendance per meeting",
                "Not recorded" if attendance.median is None else f"{attendance.median:g}",
            ),
            Figure("Largest meeting", "Not recorded" if attendance.max is None else attendance.max),
        ],
    )


def _backstage(scope, links) -> Panel:
    tallies = metrics.backstage_tallies(scope=scope)
    kinds = (
        ("Emails", "emails", ActivityKind.EMAIL),
        ("Phone calls", "calls", ActivityKind.PHONE_CALL),
        ("One-to-ones", "one_to_ones", ActivityKind.ONE_TO_ONE),
    )
    return Panel(
        slug="backstage-panel",
        title="Backstage contacts",
        intro="Emails, calls and one-to-ones that keep the inquiries going, per site.",
        tables=[
            chart(
                slug="backstage",
                title="Backstage contacts per site",
                description="Emails, phone calls and in-person one-to-ones per site.",
                kind="stacked_hbar",
                category_header="Site",
                categories=[t.site_name for t in tallies],
                series=[
                    Series(
                        label,
                        tuple(getattr(t, attribute) for t in tallies),
                        tuple(
                            links.activities(kind=kind, site=t.site_id, tally="true")
                            for t in tallies
                        ),
                    )
                    for label, attribute, kind in kinds
                ],
            )
        ],
    )


def _roles(scope, links) -> Panel:
    return Panel(
        slug="roles",
        title="Researcher roles",
        tables=[
            _breakdown_chart(
                metrics.researcher_roles(scope=scope),
                slug="researcher-roles",
                title="Activities by researcher role exercised",
                description="In how many activities each researcher role was exercised.",
                category_header="Role",
                value_name="Activities",
            )
        ],
    )


def _network(scope, links) -> Panel:
    network = metrics.co_attendance_network(scope=scope)
    names = {node.organisation_id: node.name for node in network.nodes}
    pairs = [
        (f"{names[edge.source]} and {names[edge.target]}", edge.weight) for edge in network.edges
    ]
    return Panel(
        slug="network",
        title="Organisations meeting each other",
        intro="Pairs of organisations whose people attended the same activities.",
        figures=[
            Figure("Organisations attending activities", len(network.nodes)),
            Figure("Pairs that met", len(network.edges)),
        ],
        tables=[
            chart(
                slug="co-attendance",
                title="Strongest pairs of organisations",
                description=(
                    "The pairs of organisations that attended the most activities together."
                ),
                kind="hbar",
                category_header="Organisations",
                categories=[name for name, _weight in pairs[:NETWORK_PAIRS_SHOWN]],
                series=[
                    Series(
                        "Activities together",
                        tuple(weight for _name, weight in pairs[:NETWORK_PAIRS_SHOWN]),
                    )
                ],
            ),
        ],
        downloads=[
            Table(
                slug="co-attendance-all",
                title="Every pair of organisations that met",
                headers=("Organisation", "Organisation", "Activities together"),
                rows=tuple(
                    (names[edge.source], names[edge.target], edge.weight) for edge in network.edges
                ),
            ),
        ],
    )


# --- Evidence, outputs and change --------------------------------------------------------------


def _evidence(scope, links) -> Panel:
    table_a = metrics.evidence_table_a(scope=scope)
    by_kind = table_a.by_kind

    def kind_link(row: str, column: str) -> str:
        order, _, authorship = column.partition("/")
        return links.evidence(kind=row, order=order, authorship=authorship)

    return Panel(
        slug="evidence-panel",
        title="Evidence (Table A)",
        intro="Evidence by who produced it (authorship) and how (first or second order).",
        tables=[
            _crosstab_chart(
                table_a.by_authorship,
                slug="table-a",
                title="Evidence by authorship and order",
                description="Evidence items by authorship, split into first and second order.",
                category_header="Authorship",
                kind="stacked_hbar",
                link=lambda row, column: links.evidence(authorship=row, order=column),
            ),
            Table(
                slug="table-a-by-kind",
                title="Evidence by kind, order and authorship",
                headers=("Kind", *by_kind.column_labels),
                rows=tuple(
                    (label, *row)
                    for label, row in zip(by_kind.row_labels, by_kind.cells, strict=True)
                ),
                links=tuple(
                    (None, *(kind_link(row, column) for column in by_kind.column_keys))
                    for row in by_kind.row_keys
                ),
            ),
            _breakdown_chart(
                metrics.evidence_by_use(scope=scope),
                slug="evidence-by-use",
                title="Evidence by use",
                description="Evidence items used instrumentally, conceptually or both.",
                category_header="Use",
                value_name="Evidence items",
                link=lambda key: links.evidence(use=key),
            ),
        ],
    )


def _outputs(scope, links) -> Panel:
    o = metrics.outputs_summary(scope=scope)
    return Panel(
        slug="outputs",
        title="Outputs",
        figures=[Figure("Outputs", o.total, links.outputs())],
        tables=[
            _breakdown_chart(
                o.by_kind,
                slug="outputs-by-kind",
                title="Outputs by kind",
                description="Outputs of each kind.",
                category_header="Kind",
                value_name="Outputs",
                link=lambda key: links.outputs(kind=key),
            ),
            _breakdown_chart(
                o.by_form,
                slug="outputs-by-form",
                title="Outputs by form",
                description="Formal and creative outputs.",
                category_header="Form",
                value_name="Outputs",
                link=lambda key: links.outputs(form=key),
                kind="bar",
            ),
            _breakdown_chart(
                o.by_status,
                slug="outputs-by-status",
                title="Outputs by status",
                description="Outputs in draft, in consultation and published.",
                category_header="Status",
                value_name="Outputs",
                link=lambda key: links.outputs(status=key),
                kind="bar",
            ),
        ],
    )


def _changes(scope, links) -> Panel:
    return Panel(
        slug="changes",
        title="Changes",
        tables=[
            _crosstab_chart(
                metrics.changes_summary(scope=scope),
                slug="changes-by-type",
                title="Changes by type and level",
                description="What changed because of the work, by type and by level.",
                category_header="Type",
                kind="stacked_hbar",
                link=lambda row, column: links.changes(type=row, level=column),
            )
        ],
    )


# --- Themes and events -------------------------------------------------------------------------


def _themes(scope, links) -> Panel:
    frameworks = metrics.theme_coverage(scope=scope)
    tables = []
    for number, framework in enumerate(frameworks, start=1):
        tables.append(
            Table(
                slug=f"themes-{number}",
                title=f"{framework.framework}: records touching each theme",
                description=(
                    "Groups, evidence, outputs, changes and events per theme, then all records "
                    "per site."
                ),
                headers=(
                    "Theme",
                    "Groups",
                    "Evidence",
                    "Outputs",
                    "Changes",
                    "Events",
                    *framework.site_names,
                ),
                rows=tuple(
                    (
                        theme.name,
                        theme.total.groups,
                        theme.total.evidence,
                        theme.total.outputs,
                        theme.total.changes,
                        theme.total.events,
                        *(coverage.total for coverage in theme.per_site),
                    )
                    for theme in framework.themes
                ),
            )
        )
    return Panel(
        slug="themes",
        title="Theme coverage",
        intro="How the records of each site touch the programme's themes.",
        tables=tables,
        empty_message="The programme has no themes.",
    )


def _events(scope, links) -> Panel:
    e = metrics.events_summary(scope=scope)
    about = "about " if e.approximate else ""
    return Panel(
        slug="events",
        title="Events",
        figures=[
            Figure("Events", e.count, links.events()),
            Figure("Attendees recorded by name", e.named),
            Figure("Attendees counted", f"{about}{e.counted}"),
        ],
        tables=[
            _breakdown_chart(
                e.by_kind,
                slug="events-by-kind",
                title="Events by kind",
                description="Events of each kind.",
                category_header="Kind",
                value_name="Events",
                link=lambda key: links.events(kind=key),
            ),
            Table(
                slug="events-list",
                title="Events and their attendance",
                headers=("Event", "Kind", "Date", "Named", "Counted", "Organisations"),
                rows=tuple(
                    (
                        row.title,
                        row.kind,
                        _day(row.start_date),
                        row.named,
                        ""
                        if row.counted is None
                        else f"{'about ' if row.approximate else ''}{row.counted}",
                        row.organisations,
                    )
                    for row in e.events
                ),
                links=tuple(
                    (links.event(row.event_id), None, None, None, None, None) for row in e.events
                ),
            ),
        ],
    )


def _feedback(scope, links) -> Panel:
    shares = metrics.feedback_shares(scope=scope)
    scored = [s for s in shares if s.share is not None]
    return Panel(
        slug="feedback",
        title="Event feedback",
        intro="The share of responses scoring each statement 4 or 5 (agree or strongly agree).",
        tables=[
            chart(
                slug="feedback-shares",
                title="Share scoring 4 or 5",
                description="For each feedback statement, the percentage scoring 4 or 5.",
                kind="hbar",
                category_header="Statement",
                categories=[s.text for s in scored],
                series=[Series("Share scoring 4 or 5 (%)", tuple(round(s.share) for s in scored))],
                range=(0, 100),
                y_labels=list(range(0, 101, 20)),
            ),
            Table(
                slug="feedback-statements",
                title="Feedback statements",
                headers=("Statement", "Responses", "Scoring 4 or 5", "Share", "Published share"),
                rows=tuple(
                    (
                        s.text,
                        s.responses,
                        s.agreeing,
                        _share(s.share),
                        f"{s.published_min}% to {s.published_max}%"
                        if s.has_published_range
                        else "",
                    )
                    for s in shares
                ),
            ),
        ],
    )


_SECTION_BUILDERS = {
    "overview": (_headline, _health, _groups),
    "participation": (_participation, _organisations, _people_profile, _diversity),
    "activity": (_activity, _meetings, _backstage, _roles, _network),
    "evidence": (_evidence, _outputs, _changes),
    "themes": (_themes, _events, _feedback),
}
# Figures comparing groups say nothing on one group's dashboard.
_ABOUT_SEVERAL_GROUPS = (_groups, _diversity)


# --- Fetching what a dashboard is about --------------------------------------------------------


@dataclass(frozen=True)
class DashboardEntry:
    programme: Programme
    programme_dashboard: bool
    sites: list[CaseSite]


def dashboard_index(*, user) -> list[DashboardEntry]:
    """The dashboards ``user`` may read, by programme: two queries whatever their number."""
    programmes = set(
        permitted(user, "reports.view_programme_dashboard").values_list("pk", flat=True)
    )
    sites = permitted(user, "reports.view_site_dashboard").select_related("programme")
    by_programme: dict[Programme, list[CaseSite]] = {}
    for site in sites.order_by("programme__name", "name"):
        by_programme.setdefault(site.programme, []).append(site)
    return [
        DashboardEntry(programme=programme, programme_dashboard=programme.pk in programmes, sites=s)
        for programme, s in by_programme.items()
    ]


def dashboard_programme_get(*, user, slug: str) -> Programme:
    """The programme whose dashboard ``user`` may read (404 otherwise)."""
    return get_object_or_404(
        permitted(user, "reports.view_programme_dashboard", Programme.objects.filter(slug=slug))
    )


def dashboard_site_get(*, user, programme_slug: str, slug: str) -> CaseSite:
    """The site whose dashboard ``user`` may read (404 otherwise: another site is missing)."""
    sites = CaseSite.objects.select_related("programme").filter(
        programme__slug=programme_slug, slug=slug
    )
    return get_object_or_404(permitted(user, "reports.view_site_dashboard", sites))


def dashboard_group_get(*, user, programme_slug: str, pk: int) -> InquiryGroup:
    """The group whose dashboard ``user`` may read (404 otherwise)."""
    groups = InquiryGroup.objects.select_related("programme").filter(
        programme__slug=programme_slug, pk=pk
    )
    return get_object_or_404(permitted(user, "reports.view_group_dashboard", groups))
