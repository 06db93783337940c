"""What the builders of several kinds share: the request's gathering, its cover and contents,
names or pseudonyms, tables and charts laid out for a page, and the sections that print the
same figures in every kind that has them."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format

from accounts.rules import permitted
from inquiries.models import InquiryGroup, Person
from inquiries.rules import consents_to_be_named
from inquiries.selectors import group_list_with_counts, label_order, memberships_open_on
from reports import metrics
from reports.charts import Chart, breakdown_chart, crosstab_chart
from reports.documents import Document, OnStep, Options
from reports.enums import ProgressStep, ReportKind
from reports.kinds import KINDS
from reports.models import ReportRequest

# Raw lists stop here so that no table runs over more than a few pages; the exports hold them
# all and the report says so.
LIST_LIMIT = 100
# Sites side by side in one coverage table: more would not fit the width of an A4 page.
COVERAGE_COLUMNS = 6


@dataclass
class Gathering:
    """One request's build under way: what its sections read, and what they add besides their
    context (the charts to draw, the people printed by name)."""

    report_request: ReportRequest
    options: Options
    on_step: OnStep
    scope: metrics.MetricScope
    charts: dict[str, Chart] = field(default_factory=dict)
    named: set[int] = field(default_factory=set)
    # The day of the build, for what a report shows "as it stands today".
    today: dt.date = field(default_factory=timezone.localdate)


Part = Callable[[Gathering], dict]


def start(report_request, options: Options, on_step: OnStep, **target) -> Gathering:
    """Announce the gathering and scope the figures to the request's target and date range."""
    on_step(ProgressStep.GATHERING)
    scope = metrics.MetricScope(
        programme=report_request.programme, start=options.start, end=options.end, **target
    )
    return Gathering(report_request, options, on_step, scope)


def cover(gathering: Gathering, *, title: str, first: tuple[str, str]) -> dict:
    """The cover's facts, and the contents: the chapter every report of the kind opens with
    (its template's own), then a chapter for each chosen section in the kind's order."""
    report_request, options = gathering.report_request, gathering.options
    spec = KINDS[report_request.kind]
    chosen = [(slug, label) for slug, label in spec.sections if slug in options.sections]
    return {
        "title": title,
        "kind_label": ReportKind(report_request.kind).label,
        "programme": report_request.programme,
        "version": report_request.version,
        "generated_at": timezone.localtime(),
        "period": options.period,
        "as_of": as_of_words(gathering.scope.on(), report_request.programme),
        "anonymised": options.anonymise,
        "sections": options.sections,
        "toc": [first, *chosen],
        "chapters": [(slug, label, spec.chapter_templates(slug)) for slug, label in chosen],
        "long_chapters": LONG_CHAPTERS,
    }


# The chapters that run over pages start on a fresh one; the others follow on the same page.
LONG_CHAPTERS = frozenset({"timeline", "appendix"})


def as_of_words(day: dt.date, programme) -> str:
    """When a report's "now" figures are taken, as its tables name it: "at the end of the
    programme (December 2017)" on the programme's last day, "on 3 March 2016" otherwise."""
    if day == programme.end_date:
        return f"at the end of the programme ({date_format(day, 'YEAR_MONTH_FORMAT')})"
    return f"on {date_format(day)}"


def chosen_parts(gathering: Gathering, parts: dict[str, Part]) -> dict:
    """What the chosen sections add to the context, each gathered by its part."""
    context = {}
    for slug, part in parts.items():
        if slug in gathering.options.sections:
            context |= part(gathering)
    return context


def finish(gathering: Gathering, title: str, context: dict, **contents) -> Document:
    """The document, its charts drawn now so that the "drawing charts" step is the time it
    takes."""
    gathering.on_step(ProgressStep.CHARTS)
    for drawn in gathering.charts.values():
        _ = drawn.svg_standalone
    context["charts"] = gathering.charts
    return Document(title, context, named_people=frozenset(gathering.named), **contents)


# --- People -----------------------------------------------------------------------------------


def name_shown(gathering: Gathering, person_ref: str = "person_id") -> Exists:
    """Whether a person's name may be printed: consent to be named (the name rule's own
    condition), or (not anonymised) the requester may see it under the rule set."""
    consented = Exists(
        Person.objects.filter(consents_to_be_named.condition, pk=OuterRef(person_ref))
    )
    requester = gathering.report_request.requested_by
    if gathering.options.anonymise or requester is None:
        return consented
    readable = permitted(requester, "inquiries.view_person_name").filter(pk=OuterRef(person_ref))
    return consented | Exists(readable)


def memberships(gathering: Gathering, *, open_on: dt.date | None = None) -> dict:
    """The group's members, each with the name or pseudonym the report prints."""
    rows = gathering.report_request.group.memberships.select_related("person").annotate(
        name_shown=name_shown(gathering)
    )
    if open_on is not None:
        rows = rows.filter(memberships_open_on(on=open_on))
    rows = list(rows.order_by("role", "joined_on", label_order("person", shown="name_shown"), "pk"))
    for membership in rows:
        person = membership.person
        membership.shown_name = person.name if membership.name_shown else person.pseudonym
    gathering.named |= {m.person_id for m in rows if m.name_shown}
    return {"memberships": rows}


# --- Groups -----------------------------------------------------------------------------------


def group_with_counts(report_request, scope: metrics.MetricScope) -> InquiryGroup:
    """The request's group with its figures on the scope's day."""
    return (
        group_list_with_counts(
            queryset=InquiryGroup.objects.filter(pk=report_request.group_id), on=scope.on()
        )
        .select_related("parent")
        .first()
    )


def phases(scope: metrics.MetricScope) -> metrics.GroupCycles | None:
    """The group's cycles and activities per phase, or None when neither is recorded."""
    found = next(iter(metrics.cycles(scope=scope)), None)
    if found is None or not (found.cycles or any(found.activities_by_phase.values())):
        return None
    return found


# --- Tables -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A cross-tab laid out for a template: each row with a record as (label, cells, total);
    the rows without one are named in ``empty`` rather than printed as zeros."""

    column_labels: tuple[str, ...]
    rows: list[tuple[str, tuple[int, ...], int]]
    column_totals: list[int]
    total: int
    empty: tuple[str, ...] = ()


def grid(table: metrics.CrossTab) -> Grid:
    rows = zip(table.row_labels, table.cells, table.row_totals, strict=True)
    return Grid(
        table.column_labels,
        [(label, cells, total) for label, cells, total in rows if total],
        table.column_totals,
        table.total,
        empty=tuple(
            label
            for label, total in zip(table.row_labels, table.row_totals, strict=True)
            if not total
        ),
    )


@dataclass(frozen=True)
class CoverageTable:
    """One framework's themes against a handful of sites (a wide programme takes several)."""

    framework: str
    site_names: tuple[str, ...]
    rows: list[tuple[str, tuple[int, ...], int]]  # theme, records per site, records in total


def capped(rows: list) -> tuple[list, int]:
    """The first LIST_LIMIT rows and how many more there are."""
    return rows[:LIST_LIMIT], max(0, len(rows) - LIST_LIMIT)


# --- Sections printed alike by several kinds --------------------------------------------------


def evidence(gathering: Gathering) -> dict:
    table_a = metrics.evidence_table_a(scope=gathering.scope)
    gathering.charts["table-a"] = crosstab_chart(
        table_a.by_authorship,
        slug="table-a",
        title="Evidence by authorship and order",
        category_header="Authorship",
    )
    return {
        "table_a_data_sources": table_a.data_sources,
        "table_a_authorship": grid(table_a.by_authorship),
        "table_a_kind": grid(table_a.by_kind),
        "evidence_by_use": metrics.evidence_by_use(scope=gathering.scope),
    }


def outputs(gathering: Gathering) -> dict:
    summary = metrics.outputs_summary(scope=gathering.scope)
    # The chart draws the kinds that hold an output; the table names the others.
    gathering.charts["outputs-by-kind"] = breakdown_chart(
        metrics.Breakdown(summary.by_kind.recorded),
        slug="outputs-by-kind",
        title="Outputs by kind",
        category_header="Kind",
        value_name="Outputs",
    )
    listed, more = capped(metrics.outputs_list(scope=gathering.scope))
    return {"outputs_summary": summary, "outputs": listed, "outputs_more": more}


def changes(gathering: Gathering) -> dict:
    summary = metrics.changes_summary(scope=gathering.scope)
    gathering.charts["changes"] = crosstab_chart(
        summary.without_empty_rows(),
        slug="changes",
        title="Changes by type and level",
        category_header="Type",
    )
    listed, more = capped(metrics.changes_with_evidence(scope=gathering.scope))
    return {"changes_grid": grid(summary), "changes": listed, "changes_more": more}


def themes(gathering: Gathering) -> dict:
    tables = []
    for framework in metrics.theme_coverage(scope=gathering.scope):
        names = framework.site_names if len(framework.site_names) > 1 else ()
        for first in range(0, max(len(names), 1), COVERAGE_COLUMNS):
            columns = slice(first, first + COVERAGE_COLUMNS)
            rows = [
                (
                    theme.name,
                    tuple(site.total for site in theme.per_site[columns]) if names else (),
                    theme.total.total,
                )
                for theme in framework.themes
            ]
            tables.append(CoverageTable(framework.framework, names[columns], rows))
    return {"coverage": tables}


def events(gathering: Gathering) -> dict:
    summary = metrics.events_summary(scope=gathering.scope)
    shares = metrics.feedback_shares(scope=gathering.scope)
    listed, more = capped(list(summary.events))
    return {"events_summary": summary, "events": listed, "events_more": more, "shares": shares}
