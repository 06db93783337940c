"""What each kind of report says: the data gathered for one request, ready for its template.

``build_document`` reads the database only; rendering and storage belong to reports.services.
It announces the steps it reaches through ``on_step`` so the request page can show progress.

Every figure comes from ``reports.metrics`` under a :class:`~reports.metrics.MetricScope` narrowed
by the request's date range, so a report and a dashboard cannot disagree; the lists of records
(a group's story, its members, an event's head counts) are plain reads. A person appears by
pseudonym unless they consented to be named or, when the request is not anonymised, the person
who asked may see their name; the document records whom it names, so that the version is
downloaded only by those who may see those names.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format

from accounts.rules import permitted
from events.enums import QuestionKind
from events.models import FeedbackAnswer
from events.selectors import feedback_statement_shares
from evidence.enums import Sensitivity
from inquiries.models import InquiryGroup, Person
from inquiries.rules import consents_to_be_named
from inquiries.selectors import group_list_with_counts, memberships_open_on
from reports import metrics
from reports.charts import Chart, breakdown_chart, crosstab_chart, feedback_chart, tallies_chart
from reports.enums import ProgressStep, ReportKind

OnStep = Callable[[ProgressStep], None]

# Raw lists stop here so that no table runs over more than a few pages; the exports hold them
# all and the report says so.
LIST_LIMIT = 100
# Sites side by side in one coverage table: more would not fit the width of an A4 page.
COVERAGE_COLUMNS = 6
# What a handover pack shows of a group's record: enough to start from, not an archive.
HANDOVER_EVIDENCE = 10
HANDOVER_ACTIVITIES = 5
# Evidence a report may name by title (counts include everything).
LISTED_SENSITIVITIES = (Sensitivity.PUBLIC, Sensitivity.INTERNAL)


class DocumentError(Exception):
    """The request cannot be turned into a document; the message says what to change."""


@dataclass
class Document:
    title: str
    template_name: str
    context: dict = field(default_factory=dict)
    # What the version prints that not every reader of its request may see: the people it names
    # rather than shows by pseudonym, and an event's free-text answers. Who may download the
    # version follows from them (reports.download_reportrequest).
    named_people: frozenset[int] = frozenset()
    holds_comments: bool = False


# The optional sections of each kind, in the order the report prints them.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    ReportKind.GROUP_LEARNING: [
        ("figures", "Figures"),
        ("members", "Members"),
        ("evidence", "Evidence"),
        ("outputs", "Outputs"),
        ("changes", "Changes"),
        ("themes", "Themes"),
    ],
    ReportKind.SITE: [
        ("table-b", "Proposed and delivered projects"),
        ("groups", "Groups"),
        ("engagement", "Researcher engagement"),
        ("evidence", "Evidence"),
        ("outputs", "Outputs"),
        ("changes", "Changes"),
        ("themes", "Themes"),
        ("events", "Events and feedback"),
        ("health", "Partnership health"),
    ],
    ReportKind.END_OF_PROGRAMME: [
        ("table-a", "Table A: data sources"),
        ("table-b", "Table B: proposed and delivered projects"),
        ("timeline", "Timeline of joint activities"),
        ("appendix", "Appendix: groups per site"),
        ("engagement", "Researcher engagement"),
        ("outputs", "Outputs"),
        ("changes", "Changes"),
        ("themes", "Coverage by theme"),
        ("events", "Events and feedback"),
    ],
    ReportKind.EVENT: [
        ("attendance", "Attendance"),
        ("feedback", "Feedback"),
        ("comments", "Free-text answers"),
    ],
    ReportKind.HANDOVER_PACK: [
        ("members", "Current members"),
        ("questions", "Open research questions"),
        ("evidence", "Key evidence and outputs"),
        ("activities", "Last and upcoming activities"),
        ("contacts", "Contacts"),
    ],
}


def sections_for(kind: str) -> list[tuple[str, str]]:
    return list(SECTIONS.get(kind, []))


@dataclass(frozen=True)
class Options:
    anonymise: bool
    start: dt.date | None
    end: dt.date | None
    sections: tuple[str, ...]

    @property
    def period(self) -> str:
        if not (self.start or self.end):
            return ""
        start = date_format(self.start) if self.start else "the start"
        end = date_format(self.end) if self.end else "today"
        return f"{start} to {end}"


def parse_options(kind: str, options: dict) -> Options:
    """The options of a request, checked; raises DocumentError with a message for a person."""
    known = {slug for slug, _label in sections_for(kind)}
    requested = options.get("sections")
    sections = tuple(known) if requested is None else tuple(requested)
    unknown = set(sections) - known
    if unknown:
        raise DocumentError(f"Unknown sections for this report: {', '.join(sorted(unknown))}.")
    try:
        start = dt.date.fromisoformat(options["start"]) if options.get("start") else None
        end = dt.date.fromisoformat(options["end"]) if options.get("end") else None
    except (TypeError, ValueError) as error:
        raise DocumentError("Dates must be written as YYYY-MM-DD.") from error
    if start and end and end < start:
        raise DocumentError("The end of the date range comes before its start.")
    return Options(
        anonymise=bool(options.get("anonymise", True)),
        start=start,
        end=end,
        sections=sections,
    )


def _base_context(report_request, options: Options, *, title: str) -> dict:
    return {
        "title": title,
        "kind_label": ReportKind(report_request.kind).label,
        "programme": report_request.programme,
        "version": report_request.version,
        "generated_at": timezone.localtime(),
        "period": options.period,
        "anonymised": options.anonymise,
        "sections": options.sections,
    }


def _toc(kind: str, options: Options, *always: tuple[str, str]) -> list[tuple[str, str]]:
    """The contents: the chapters every report of the kind has, then the chosen sections."""
    return [*always, *((s, label) for s, label in sections_for(kind) if s in options.sections)]


def _scope(report_request, options: Options, **target) -> metrics.MetricScope:
    return metrics.MetricScope(
        programme=report_request.programme, start=options.start, end=options.end, **target
    )


def _name_shown(report_request, options: Options, person_ref: str = "person_id") -> Exists:
    """Whether a person's name may be printed: consent to be named (the name rule's own
    condition), or (not anonymised) the requester may see it under the rule set."""
    consented = Exists(
        Person.objects.filter(consents_to_be_named.condition, pk=OuterRef(person_ref))
    )
    requester = report_request.requested_by
    if options.anonymise or requester is None:
        return consented
    readable = permitted(requester, "inquiries.view_person_name").filter(pk=OuterRef(person_ref))
    return consented | Exists(readable)


@dataclass(frozen=True)
class Grid:
    """A cross-tab laid out for a template: each row as (label, cells, total)."""

    column_labels: tuple[str, ...]
    rows: list[tuple[str, tuple[int, ...], int]]
    column_totals: list[int]
    total: int


def _grid(table: metrics.CrossTab, *, skip_empty_rows: bool = False) -> Grid:
    rows = [
        (label, cells, total)
        for label, cells, total in zip(table.row_labels, table.cells, table.row_totals, strict=True)
        if total or not skip_empty_rows
    ]
    return Grid(table.column_labels, rows, table.column_totals, table.total)


@dataclass(frozen=True)
class CoverageTable:
    """One framework's themes against a handful of sites (a wide programme takes several)."""

    framework: str
    site_names: tuple[str, ...]
    rows: list[tuple[str, tuple[int, ...], int]]  # theme, records per site, records in total


def _coverage(scope: metrics.MetricScope) -> list[CoverageTable]:
    tables = []
    for framework in metrics.theme_coverage(scope=scope):
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
    return tables


def _capped(rows: list) -> tuple[list, int]:
    """The first LIST_LIMIT rows and how many more there are."""
    return rows[:LIST_LIMIT], max(0, len(rows) - LIST_LIMIT)


# --- Charts -----------------------------------------------------------------------------------


def _activities_by_kind(scope: metrics.MetricScope) -> metrics.Breakdown:
    """The activity cross-tab summed over its months: one figure per kind that occurs."""
    table = metrics.activities_by_kind_per_month(scope=scope)
    return metrics.Breakdown(
        tuple(
            metrics.Category(key, label, total)
            for key, label, total in zip(
                table.column_keys, table.column_labels, table.column_totals, strict=True
            )
        )
    )


def _phases(scope: metrics.MetricScope) -> metrics.GroupCycles | None:
    """The group's cycles and activities per phase, or None when neither is recorded."""
    phases = next(iter(metrics.cycles(scope=scope)), None)
    if phases is None or not (phases.cycles or any(phases.activities_by_phase.values())):
        return None
    return phases


def _drawn(on_step: OnStep, charts: dict[str, Chart]) -> dict[str, Chart]:
    """Draw every chart now, so that the "drawing charts" step is the time it takes."""
    on_step(ProgressStep.CHARTS)
    for drawn in charts.values():
        _ = drawn.svg_standalone
    return charts


# --- Figures shared by several kinds ----------------------------------------------------------


def _evidence_part(scope, charts: dict) -> dict:
    table_a = metrics.evidence_table_a(scope=scope)
    charts["table-a"] = crosstab_chart(
        table_a.by_authorship,
        slug="table-a",
        title="Evidence by authorship and order",
        category_header="Authorship",
    )
    return {
        "table_a_authorship": _grid(table_a.by_authorship),
        "table_a_kind": _grid(table_a.by_kind, skip_empty_rows=True),
        "evidence_by_use": metrics.evidence_by_use(scope=scope),
    }


def _outputs_part(scope, charts: dict) -> dict:
    summary = metrics.outputs_summary(scope=scope)
    charts["outputs-by-kind"] = breakdown_chart(
        summary.by_kind,
        slug="outputs-by-kind",
        title="Outputs by kind",
        category_header="Kind",
        value_name="Outputs",
    )
    listed, more = _capped(metrics.outputs_list(scope=scope))
    return {"outputs_summary": summary, "outputs": listed, "outputs_more": more}


def _changes_part(scope, charts: dict) -> dict:
    summary = metrics.changes_summary(scope=scope)
    charts["changes"] = crosstab_chart(
        summary, slug="changes", title="Changes by type and level", category_header="Type"
    )
    listed, more = _capped(metrics.changes_with_evidence(scope=scope))
    return {"changes_grid": _grid(summary), "changes": listed, "changes_more": more}


def _events_part(scope, charts: dict) -> dict:
    summary = metrics.events_summary(scope=scope)
    shares = metrics.feedback_shares(scope=scope)
    listed, more = _capped(list(summary.events))
    return {"events_summary": summary, "events": listed, "events_more": more, "shares": shares}


def _appendix_by_site(rows: list[metrics.AppendixRow], sites: list[str]) -> list[tuple]:
    """The appendix split into one table per site (a group of several sites in each of them),
    then the groups without a site, so that no table runs over many pages."""
    tables = [(site, [row for row in rows if site in row.sites]) for site in sites]
    unsited = [row for row in rows if not row.sites]
    if unsited:
        tables.append(("", unsited))
    return [(site, site_rows) for site, site_rows in tables if site_rows]


# --- Group learning report --------------------------------------------------------------------


def _group(report_request, scope) -> InquiryGroup:
    """The request's group with its figures on the scope's day."""
    return (
        group_list_with_counts(
            queryset=InquiryGroup.objects.filter(pk=report_request.group_id), on=scope.on()
        )
        .select_related("parent")
        .first()
    )


def _memberships(group, report_request, options, *, open_on: dt.date | None = None) -> list:
    memberships = group.memberships.select_related("person").annotate(
        name_shown=_name_shown(report_request, options)
    )
    if open_on is not None:
        memberships = memberships.filter(memberships_open_on(on=open_on))
    memberships = list(memberships.order_by("role", "joined_on", "person__pseudonym", "pk"))
    for membership in memberships:
        person = membership.person
        membership.shown_name = person.name if membership.name_shown else person.pseudonym
    return memberships


def _named(memberships) -> frozenset[int]:
    """The people of ``memberships`` printed by name."""
    return frozenset(m.person_id for m in memberships if m.name_shown)


def _group_learning(report_request, options: Options, on_step: OnStep) -> Document:
    on_step(ProgressStep.GATHERING)
    scope = _scope(report_request, options, group=report_request.group)
    group = _group(report_request, scope)
    title = f"{group.name}: learning report"
    charts: dict[str, Chart] = {}
    context = {
        **_base_context(report_request, options, title=title),
        "group": group,
        "status_changes": list(group.status_changes.order_by("changed_on", "pk")),
        "research_questions": list(group.research_questions.order_by("adopted_on", "pk")),
        "cycles": list(group.cycles.order_by("number")),
        "phases": _phases(scope),
        "themes": list(group.themes.order_by("framework", "position", "name")),
        "toc": _toc(report_request.kind, options, ("story", "The group's story")),
    }
    if "figures" in options.sections:
        by_kind = _activities_by_kind(scope)
        charts["activities-by-kind"] = breakdown_chart(
            by_kind,
            slug="activities-by-kind",
            title="Activities by kind",
            category_header="Kind",
            value_name="Activities",
        )
        context |= {
            "participation": metrics.participation(scope=scope),
            "meeting_hours": metrics.meeting_hours(scope=scope),
            "attendance": metrics.attendance_per_meeting(scope=scope),
            "activities_by_kind": by_kind,
            "turnover": metrics.turnover_by_quarter(scope=scope),
        }
    if "members" in options.sections:
        context["memberships"] = _memberships(group, report_request, options)
    if "evidence" in options.sections:
        context |= _evidence_part(scope, charts)
    if "outputs" in options.sections:
        context |= _outputs_part(scope, charts)
    if "changes" in options.sections:
        context |= _changes_part(scope, charts)
    if "themes" in options.sections:
        context["coverage"] = _coverage(scope)
    context["charts"] = _drawn(on_step, charts)
    return Document(
        title,
        "reports/pdf/group_learning.html",
        context,
        named_people=_named(context.get("memberships", ())),
    )


# --- Site report ------------------------------------------------------------------------------


def _site(report_request, options: Options, on_step: OnStep) -> Document:
    on_step(ProgressStep.GATHERING)
    site = report_request.site
    scope = _scope(report_request, options, site=site)
    title = f"{site.name}: site report"
    charts: dict[str, Chart] = {}
    groups_by_kind = metrics.groups_by_kind(scope=scope)
    charts["groups-by-kind"] = breakdown_chart(
        groups_by_kind,
        slug="groups-by-kind",
        title="Groups by kind",
        category_header="Kind",
        value_name="Groups",
    )
    context = {
        **_base_context(report_request, options, title=title),
        "subtitle": site.partnership_name,
        "site": site,
        "headline": metrics.headline(scope=scope),
        "participation": metrics.participation(scope=scope),
        "groups_by_kind": groups_by_kind,
        "toc": _toc(report_request.kind, options, ("overview", "Overview")),
    }
    if "table-b" in options.sections:
        context["table_b"] = metrics.table_b(scope=scope)
    if "groups" in options.sections:
        context["appendix"] = metrics.group_appendix(scope=scope)
    if "engagement" in options.sections:
        context["engagement"] = metrics.engagement_figures(scope=scope)
    if "evidence" in options.sections:
        context |= _evidence_part(scope, charts)
    if "outputs" in options.sections:
        context |= _outputs_part(scope, charts)
    if "changes" in options.sections:
        context |= _changes_part(scope, charts)
    if "themes" in options.sections:
        context["coverage"] = _coverage(scope)
    if "events" in options.sections:
        context |= _events_part(scope, charts)
    if "health" in options.sections:
        context["health"] = metrics.partnership_health(scope=scope)
    context["charts"] = _drawn(on_step, charts)
    return Document(title, "reports/pdf/site.html", context)


# --- End-of-programme report ------------------------------------------------------------------


def _end_of_programme(report_request, options: Options, on_step: OnStep) -> Document:
    on_step(ProgressStep.GATHERING)
    programme = report_request.programme
    scope = _scope(report_request, options)
    title = f"{programme.name}: end-of-programme learning report"
    charts: dict[str, Chart] = {}
    context = {
        **_base_context(report_request, options, title=title),
        "headline": metrics.headline(scope=scope),
        "participation": metrics.participation(scope=scope),
        "toc": _toc(report_request.kind, options, ("overview", "The programme in figures")),
    }
    if "table-a" in options.sections:
        context |= _evidence_part(scope, charts)
    if "table-b" in options.sections:
        context["table_b"] = metrics.table_b(scope=scope)
    if "timeline" in options.sections:
        timeline, more = _capped(metrics.joint_activities_timeline(scope=scope))
        context |= {"timeline": timeline, "timeline_more": more}
    if "appendix" in options.sections:
        sites = list(scope.sites().order_by("name").values_list("name", flat=True))
        context["appendix_tables"] = _appendix_by_site(metrics.group_appendix(scope=scope), sites)
    if "engagement" in options.sections:
        engagement = metrics.engagement_figures(scope=scope)
        charts["tallies"] = tallies_chart(
            [site.tallies for site in engagement],
            slug="tallies",
            description="Emails, calls and in-person one-to-ones recorded for each site.",
            names=("Emails", "Calls", "In person"),
        )
        context["engagement"] = engagement
    if "outputs" in options.sections:
        context |= _outputs_part(scope, charts)
    if "changes" in options.sections:
        context |= _changes_part(scope, charts)
    if "themes" in options.sections:
        context["coverage"] = _coverage(scope)
    if "events" in options.sections:
        context |= _events_part(scope, charts)
    context["charts"] = _drawn(on_step, charts)
    return Document(title, "reports/pdf/end_of_programme.html", context)


# --- Event report -----------------------------------------------------------------------------


def _event(report_request, options: Options, on_step: OnStep) -> Document:
    on_step(ProgressStep.GATHERING)
    event = report_request.event
    title = f"{event.title}: event report"
    # The event's own row of the events summary (its head count and how it was counted): the
    # events starting on its day.
    scope = metrics.MetricScope(
        programme=report_request.programme, start=event.start_date, end=event.start_date
    )
    row = next(e for e in metrics.events_summary(scope=scope).events if e.event_id == event.pk)
    charts: dict[str, Chart] = {}
    context = {
        **_base_context(report_request, options, title=title),
        "subtitle": event.get_kind_display(),
        "event": event,
        "row": row,
        "toc": _toc(report_request.kind, options, ("event", "The event")),
    }
    named: frozenset[int] = frozenset()
    if "attendance" in options.sections:
        attendees = list(
            event.attendees.select_related("organisation")
            .annotate(name_shown=_name_shown(report_request, options, "pk"))
            .order_by("pseudonym")
        )
        named = frozenset(person.pk for person in attendees if person.name_shown)
        context |= {
            "attendees": [
                (person.name if person.name_shown else person.pseudonym, person.organisation)
                for person in attendees
            ],
            "attendance_counts": list(
                event.attendance_counts.select_related("organisation", "site").order_by(
                    "site__name", "organisation__name", "pk"
                )
            ),
        }
    if "feedback" in options.sections:
        shares = feedback_statement_shares(forms=event.feedback_forms.all())
        scored = [share for share in shares if share.share is not None]
        if scored:
            charts["feedback"] = feedback_chart(
                shares,
                slug="feedback",
                description="For each statement, the percentage of responses scoring 4 or 5.",
                value_name="Share (%)",
            )
        context["shares"] = shares
    if "comments" in options.sections:
        # Responses carry no user and no address; the answers are printed without any link
        # between them, so no two answers can be put together into a person.
        answers, more = _capped(
            list(
                FeedbackAnswer.objects.filter(
                    question__form__event=event, question__kind=QuestionKind.FREE_TEXT
                )
                .exclude(text="")
                .select_related("question")
                .order_by("question__position", "question__pk", "text")
            )
        )
        context |= {"answers": answers, "answers_more": more}
    context["charts"] = _drawn(on_step, charts)
    return Document(
        title,
        "reports/pdf/event.html",
        context,
        named_people=named,
        holds_comments="comments" in options.sections,
    )


# --- Handover pack ----------------------------------------------------------------------------


def _handover_pack(report_request, options: Options, on_step: OnStep) -> Document:
    on_step(ProgressStep.GATHERING)
    today = timezone.localdate()
    # A newcomer needs the group as it stands today, whatever range the request names.
    scope = _scope(report_request, options, group=report_request.group)
    group = _group(
        report_request, metrics.MetricScope(programme=scope.programme, group=scope.group, end=today)
    )
    title = f"{group.name}: handover pack"
    context = {
        **_base_context(report_request, options, title=title),
        "group": group,
        "today": today,
        "status_changes": list(group.status_changes.order_by("changed_on", "pk")),
        "phases": _phases(scope),
        "toc": _toc(report_request.kind, options, ("story", "The group so far")),
    }
    if "members" in options.sections:
        context["memberships"] = _memberships(group, report_request, options, open_on=today)
    if "questions" in options.sections:
        context["open_questions"] = list(
            group.research_questions.filter(
                Q(replaced_on__isnull=True) | Q(replaced_on__gt=today)
            ).order_by("adopted_on", "pk")
        )
    if "evidence" in options.sections:
        context |= {
            "key_evidence": list(
                scope.evidence()
                .filter(sensitivity__in=LISTED_SENSITIVITIES)
                .order_by("-collected_on", "title")[:HANDOVER_EVIDENCE]
            ),
            "outputs": metrics.outputs_list(scope=scope),
        }
    if "activities" in options.sections:
        activities = group.activities.all()
        context |= {
            "last_activities": list(
                activities.filter(date__lte=today).order_by("-date", "-pk")[:HANDOVER_ACTIVITIES]
            ),
            "upcoming_activities": list(
                activities.filter(date__gt=today).order_by("date", "pk")[:HANDOVER_ACTIVITIES]
            ),
        }
    if "contacts" in options.sections:
        context |= {
            "facilitations": list(
                group.facilitations.select_related("researcher").order_by("role", "pk")
            ),
            "lead": Person.objects.filter(pk=group.lead_id)
            .annotate(name_shown=_name_shown(report_request, options, "pk"))
            .first(),
        }
    context["charts"] = _drawn(on_step, {})
    named = _named(context.get("memberships", ()))
    lead = context.get("lead")
    if lead is not None and lead.name_shown:
        named |= {lead.pk}
    return Document(title, "reports/pdf/handover_pack.html", context, named_people=named)


BUILDERS: dict[str, Callable[..., Document]] = {
    ReportKind.GROUP_LEARNING: _group_learning,
    ReportKind.SITE: _site,
    ReportKind.END_OF_PROGRAMME: _end_of_programme,
    ReportKind.EVENT: _event,
    ReportKind.HANDOVER_PACK: _handover_pack,
}


def build_document(report_request, *, on_step: OnStep) -> Document:
    builder = BUILDERS.get(report_request.kind)
    if builder is None:
        raise DocumentError(
            f"{ReportKind(report_request.kind).label}s cannot be produced yet by this version."
        )
    options = parse_options(report_request.kind, report_request.options or {})
    return builder(report_request, options, on_step)
