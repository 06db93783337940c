"""Data exports: a programme's or a site's records as CSV or XLSX, cut by the rule set.

Every dataset starts from ``permitted(user, "<app>.view_<model>", ...)``, so an export never
shows a row that the user's pages would not, and blanks the same cells the pages hide:

- people, memberships, attendance, activities' attendees and outputs' authors: a person's name
  (and on ``people`` their contact details, level, occupation and research experience, as on the
  person page) only where ``inquiries.view_person_name`` allows; the pseudonym otherwise. A
  strategy lead thus gets names only of people who consented to be named.
- activities: the ``notes`` column (reflective notes) only for those who read working material
  (``reports.export_*_notes``): a strategy lead loses it.
- evidence, changes' supporting evidence, events' reports: restricted and personal-data evidence
  and outputs are cut by their own rules, never inherited from the record pointing at them.
- feedback: free-text answers, and the response and time that link one participant's answers,
  only for the events the user edits (``events.change_event``), as the event page shows them.

Every text cell passes ``neutralise`` (OWASP CSV injection advice) on its way into either
format; numbers and dates keep their type. Rows are read in chunks (``iterator``) and written
as they come, so the number of queries depends on the chunk count, not on the rows.

Activities carry their attendance aggregated (a count and the attendees joined), because the
meeting log is read one meeting per row; the separate long ``attendance`` dataset (one row per
attendee) serves pivot tables counting who came how often.
"""

from __future__ import annotations

import csv
import datetime as dt
import operator
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from openpyxl import Workbook

from accounts.rules import Scope, permitted
from events.enums import QuestionKind
from events.headcount import head_count
from events.models import AttendanceCount, Event, FeedbackAnswer, FeedbackQuestion
from events.rules import EVENT, IN_FORM
from evidence.models import Change, EvidenceItem, Output
from evidence.rules import CHANGE, EVIDENCE, OUTPUT
from inquiries.models import Activity, Attendance, Membership, Person
from inquiries.rules import ACTIVITY, IN_ACTIVITY, IN_GROUP, PERSON
from inquiries.selectors import name_visible
from reports.cells import neutralise
from sites.models import CaseSite, Organisation, Programme, Theme

CHUNK_SIZE = 1000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_JOIN = "; "


# --- Targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportTarget:
    """A whole programme, or one of its sites."""

    programme: Programme
    site: CaseSite | None = None

    @property
    def notes_permission(self) -> tuple[str, Programme | CaseSite]:
        if self.site is None:
            return "reports.export_programme_notes", self.programme
        return "reports.export_site_notes", self.site

    def within(self, queryset: QuerySet, scope: Scope) -> QuerySet:
        """``queryset`` cut to the target, following the rule set's ``scope`` of its model."""
        condition = Q(**{scope.programme: self.programme.pk})
        if self.site is not None:
            condition &= reduce(operator.or_, (Q(**{path: self.site.pk}) for path in scope.sites))
        model = queryset.model
        # A subquery keeps joins through many-to-many site paths from repeating rows.
        return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))

    def readable(self, user, perm: str, model: type[Model], scope: Scope) -> QuerySet:
        """The records of ``model`` in the target that ``perm`` lets ``user`` read."""
        return permitted(user, perm, self.within(model.objects.all(), scope))

    def filename(self, dataset: str, extension: str, today: dt.date) -> str:
        parts = [self.programme.slug]
        if self.site is not None:
            parts.append(self.site.slug)
        return f"{'-'.join(parts)}-{dataset}-{today.isoformat()}.{extension}"


# --- Datasets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    working_material: bool = False


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    rows: Callable[[Any, ExportTarget], QuerySet]
    columns: tuple[Column, ...]
    lead_note: str = ""


def _label(person) -> str:
    """Name or pseudonym, as the rules decide (``name_visible`` annotated on the row)."""
    return person.name if person.name_visible else person.pseudonym


def _joined(items: Iterable[Any]) -> str:
    return _JOIN.join(str(item) for item in items)


def _names(related) -> str:
    return _JOIN.join(item.name for item in related.all())


def _themes(record) -> str:
    return _joined(record.themes.all())


def _yes_no(value) -> str:
    return "yes" if value else "no"


def _if_named(cell: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``cell`` of a row whose person's name the user may see (``name_visible``), else empty."""

    def value(record):
        return cell(record) if record.name_visible else None

    return value


def _display(field: str) -> Callable[[Any], Any]:
    def value(record):
        return getattr(record, f"get_{field}_display")()

    return value


def _attr(path: str) -> Callable[[Any], Any]:
    def value(record):
        for name in path.split("."):
            record = getattr(record, name)
            if record is None:
                return None
        return record

    return value


def _str_of(path: str) -> Callable[[Any], Any]:
    def value(record):
        found = _attr(path)(record)
        return None if found is None else str(found)

    return value


# Columns several datasets print alike.
_SITES_COLUMN = Column("Sites", lambda record: _names(record.sites))
_THEMES_COLUMN = Column("Themes", _themes)
_FILE_COLUMN = Column("File held", lambda record: _yes_no(record.file))
_DESCRIPTION_COLUMN = Column("Description", _attr("description"))

_THEMES = Prefetch("themes", queryset=Theme.objects.order_by("framework", "position", "name"))
_SITES = Prefetch("sites", queryset=CaseSite.objects.order_by("name"))


def _people(user, target: ExportTarget) -> QuerySet[Person]:
    return (
        target.readable(user, "inquiries.view_person", Person, PERSON)
        .select_related("site", "organisation")
        .annotate(name_visible=name_visible(user=user))
        .order_by("pseudonym", "pk")
    )


PEOPLE = Dataset(
    slug="people",
    title="People",
    description="One row per person, with organisation, level and occupation.",
    rows=_people,
    columns=(
        Column("Pseudonym", _attr("pseudonym")),
        Column("Name", _if_named(_attr("name"))),
        Column("Email", _if_named(_attr("email"))),
        Column("Phone", _if_named(_attr("phone"))),
        Column("Site", _str_of("site.name")),
        Column("Organisation", _str_of("organisation.name")),
        Column("Job title", _attr("job_title")),
        Column("Level", _if_named(_display("level"))),
        Column("Occupation (SOC 2010 major group)", _if_named(_attr("occupation_category"))),
        Column("Prior research experience", _if_named(_display("research_experience"))),
    ),
    lead_note=(
        "Name, email, phone, level, occupation and research experience are empty for people "
        "who have not consented to be named."
    ),
)


def _memberships(user, target: ExportTarget) -> QuerySet[Membership]:
    return (
        target.readable(user, "inquiries.view_membership", Membership, IN_GROUP)
        .select_related("group", "person")
        .annotate(name_visible=name_visible(user=user, person="person_id"))
        .order_by("group__name", "role", "joined_on", "person__pseudonym", "pk")
    )


MEMBERSHIPS = Dataset(
    slug="memberships",
    title="Memberships",
    description="One row per membership of a group: role, joined, left and why.",
    rows=_memberships,
    columns=(
        Column("Group", _str_of("group")),
        Column("Pseudonym", _attr("person.pseudonym")),
        Column("Name", _if_named(_attr("person.name"))),
        Column("Role", _display("role")),
        Column("Joined", _attr("joined_on")),
        Column("Left", _attr("left_on")),
        Column("Reason for leaving", _display("leave_reason")),
    ),
    lead_note="Name is empty for people who have not consented to be named.",
)


def _activities(user, target: ExportTarget) -> QuerySet[Activity]:
    attendance = (
        Attendance.objects.select_related("person")
        .annotate(name_visible=name_visible(user=user, person="person_id"))
        .order_by("person__pseudonym")
    )
    return (
        target.readable(user, "inquiries.view_activity", Activity, ACTIVITY)
        .select_related("site", "group", "cycle")
        .prefetch_related(Prefetch("attendance", queryset=attendance), "researcher_roles", _THEMES)
        .order_by("date", "pk")
    )


def _attendees(activity) -> str:
    labels = []
    for row in activity.attendance.all():
        row.person.name_visible = row.name_visible
        labels.append(_label(row.person))
    return _JOIN.join(labels)


ACTIVITIES = Dataset(
    slug="activities",
    title="Activities with attendance",
    description=(
        "One row per activity (meetings, visits, tallies of contacts), with the number of "
        "people recorded as attending and their names or pseudonyms joined in one cell."
    ),
    rows=_activities,
    columns=(
        Column("Date", _attr("date")),
        Column("End date", _attr("end_date")),
        Column("Kind", _display("kind")),
        Column("Title", _attr("title")),
        Column("Site", _str_of("site.name")),
        Column("Group", _str_of("group")),
        Column("Cycle", _attr("cycle.number")),
        Column("Phase", _display("phase")),
        Column("Duration (minutes)", _attr("duration_minutes")),
        Column("Count (tallies)", _attr("count")),
        Column("Direction", _display("direction")),
        Column("Attendees recorded", lambda a: len(a.attendance.all())),
        Column("Attendees", _attendees),
        Column("Published attendance total", _attr("attendance_total")),
        Column(
            "Researcher roles",
            lambda a: _joined(r.get_role_display() for r in a.researcher_roles.all()),
        ),
        _THEMES_COLUMN,
        Column("Reflective notes", _attr("notes"), working_material=True),
    ),
    lead_note=(
        "Reflective notes are left out; attendees appear by pseudonym unless they consented to "
        "be named."
    ),
)


def _attendance(user, target: ExportTarget) -> QuerySet[Attendance]:
    return (
        target.readable(user, "inquiries.view_attendance", Attendance, IN_ACTIVITY)
        .select_related("activity__group", "person__organisation")
        .annotate(name_visible=name_visible(user=user, person="person_id"))
        .order_by("activity__date", "activity_id", "person__pseudonym")
    )


ATTENDANCE = Dataset(
    slug="attendance",
    title="Attendance",
    description="One row per person attending an activity, for counting who came how often.",
    rows=_attendance,
    columns=(
        Column("Activity date", _attr("activity.date")),
        Column("Activity kind", lambda a: a.activity.get_kind_display()),
        Column("Activity title", _attr("activity.title")),
        Column("Group", _str_of("activity.group")),
        Column("Pseudonym", _attr("person.pseudonym")),
        Column("Name", _if_named(_attr("person.name"))),
        Column("Organisation", _str_of("person.organisation.name")),
    ),
    lead_note="Name is empty for people who have not consented to be named.",
)


def _evidence(user, target: ExportTarget) -> QuerySet[EvidenceItem]:
    return (
        target.readable(user, "evidence.view_evidenceitem", EvidenceItem, EVIDENCE)
        .select_related("group", "activity")
        .prefetch_related(_SITES, _THEMES)
        .order_by("title", "pk")
    )


EVIDENCE_INDEX = Dataset(
    slug="evidence",
    title="Evidence index",
    description="One row per evidence item: kind, order, authorship, use, source and sensitivity.",
    rows=_evidence,
    columns=(
        Column("Title", _attr("title")),
        Column("Kind", _display("kind")),
        Column("Order", _display("order")),
        Column("Authorship", _display("authorship")),
        Column("Use", _display("use")),
        Column("Source", _attr("source")),
        Column("Collected on", _attr("collected_on")),
        _SITES_COLUMN,
        Column("Group", _str_of("group")),
        Column("Activity", _str_of("activity")),
        Column("Sensitivity", _display("sensitivity")),
        Column("Consent basis", _attr("consent_basis")),
        Column("URL", _attr("url")),
        _FILE_COLUMN,
        _THEMES_COLUMN,
        _DESCRIPTION_COLUMN,
    ),
    lead_note="Restricted and personal-data evidence is left out.",
)


def _outputs(user, target: ExportTarget) -> QuerySet[Output]:
    authors = Person.objects.annotate(name_visible=name_visible(user=user)).order_by("pseudonym")
    return (
        target.readable(user, "evidence.view_output", Output, OUTPUT)
        .prefetch_related(
            _SITES,
            "groups",
            Prefetch("authors", queryset=authors),
            "author_users",
            _THEMES,
        )
        .order_by("title", "pk")
    )


OUTPUTS = Dataset(
    slug="outputs",
    title="Outputs",
    description="One row per output: kind, form, status with its dates, authors and audience.",
    rows=_outputs,
    columns=(
        Column("Title", _attr("title")),
        Column("Kind", _display("kind")),
        Column("Form", _display("form")),
        Column("Status", _display("status")),
        Column("Drafted on", _attr("drafted_on")),
        Column("In consultation on", _attr("consultation_on")),
        Column("Published on", _attr("published_on")),
        _SITES_COLUMN,
        Column("Groups", lambda o: _joined(o.groups.all())),
        Column("Authors", lambda o: _joined(_label(person) for person in o.authors.all())),
        Column("Researcher authors", lambda o: _joined(o.author_users.all())),
        Column("Audience", _attr("audience")),
        Column("URL", _attr("url")),
        _FILE_COLUMN,
        _THEMES_COLUMN,
        _DESCRIPTION_COLUMN,
    ),
    lead_note="Authors appear by pseudonym unless they consented to be named.",
)


def _changes(user, target: ExportTarget) -> QuerySet[Change]:
    def titles(perm, model):
        return permitted(user, perm, model.objects.all()).order_by("title")

    return (
        target.readable(user, "evidence.view_change", Change, CHANGE)
        .select_related("group")
        .prefetch_related(
            _SITES,
            _THEMES,
            Prefetch("evidence", queryset=titles("evidence.view_evidenceitem", EvidenceItem)),
            Prefetch("outputs", queryset=titles("evidence.view_output", Output)),
            Prefetch("earlier_changes", queryset=titles("evidence.view_change", Change)),
        )
        .order_by("date", "title", "pk")
    )


CHANGES = Dataset(
    slug="changes",
    title="Changes",
    description="One row per change, with the evidence, outputs and earlier changes behind it.",
    rows=_changes,
    columns=(
        Column("Title", _attr("title")),
        Column("Date", _attr("date")),
        Column("Type", _display("type")),
        Column("Level", _display("level")),
        Column("Group", _str_of("group")),
        _SITES_COLUMN,
        Column("Supporting evidence", lambda c: _joined(c.evidence.all())),
        Column("Supporting outputs", lambda c: _joined(c.outputs.all())),
        Column("Earlier changes", lambda c: _joined(c.earlier_changes.all())),
        _THEMES_COLUMN,
        _DESCRIPTION_COLUMN,
    ),
    lead_note="Supporting evidence that is restricted or personal data is left out.",
)


def _events(user, target: ExportTarget) -> QuerySet[Event]:
    report = permitted(user, "evidence.view_output").filter(pk=OuterRef("report_id"))
    # The attendees the event page lists to the user.
    named = (
        Event.attendees.through.objects.filter(
            event=OuterRef("pk"), person__in=permitted(user, "inquiries.view_person")
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counts = AttendanceCount.objects.select_related("organisation", "site").order_by(
        "organisation__name", "site__name"
    )
    return (
        target.readable(user, "events.view_event", Event, EVENT)
        .prefetch_related(
            _SITES,
            "groups",
            Prefetch("attendance_counts", queryset=counts),
            Prefetch("organisations", queryset=Organisation.objects.order_by("name")),
            _THEMES,
        )
        .annotate(
            report_title=Subquery(report.values("title")[:1]),
            named_count=Coalesce(Subquery(named, output_field=IntegerField()), 0),
            head_count=head_count(),
        )
        .order_by("start_date", "title", "pk")
    )


def _head_counts(event) -> str:
    parts = []
    for count in event.attendance_counts.all():
        where = count.organisation or count.site
        figure = f"about {count.count}" if count.approximate else str(count.count)
        parts.append(f"{where}: {figure}" if where else f"total: {figure}")
    return _JOIN.join(parts)


EVENTS = Dataset(
    slug="events",
    title="Events with attendance counts",
    description=(
        "One row per event, with the people recorded by name, the published head count "
        "(the total, else the sites' counts added up, else the organisations') and the "
        "counts as published by organisation or site."
    ),
    rows=_events,
    columns=(
        Column("Title", _attr("title")),
        Column("Kind", _display("kind")),
        Column("Start", _attr("start_date")),
        Column("End", _attr("end_date")),
        Column("Location", _attr("location")),
        Column("Organiser", _attr("organiser")),
        Column("Sites", lambda e: _names(e.sites) or "Programme-wide"),
        Column("Groups", lambda e: _joined(e.groups.all())),
        Column("People recorded by name", _attr("named_count")),
        Column("Published head count", _attr("head_count")),
        Column("Head counts", _head_counts),
        Column("Organisations", lambda e: _names(e.organisations)),
        Column("Report", _attr("report_title")),
        _THEMES_COLUMN,
        Column("Purpose", _attr("purpose")),
        Column("Summary", _attr("summary")),
    ),
)


def _feedback(user, target: ExportTarget) -> QuerySet[FeedbackAnswer]:
    questions = target.readable(user, "events.view_feedbackquestion", FeedbackQuestion, IN_FORM)
    # As on the event page: its editors read the free-text answers, and may put one
    # participant's answers together; every other reader gets the scores alone, unlinked.
    edited = permitted(user, "events.change_event").filter(pk=OuterRef("question__form__event_id"))
    return (
        FeedbackAnswer.objects.filter(question__in=questions)
        .annotate(comments_visible=Exists(edited))
        .filter(~Q(question__kind=QuestionKind.FREE_TEXT) | Q(comments_visible=True))
        .select_related("response", "question__form__event")
        # Question by question, and by score within one: an order by response would link
        # the unlinked scores again, row for row.
        .order_by(
            "question__form__event__start_date",
            "question__form__title",
            "question__position",
            "question_id",
            "score",
            "text",
            "pk",
        )
    )


def _if_comments_visible(path: str) -> Callable[[Any], Any]:
    def value(answer):
        return _attr(path)(answer) if answer.comments_visible else None

    return value


FEEDBACK = Dataset(
    slug="feedback",
    title="Feedback",
    description=(
        "One row per answer: the event, the form, the response it belongs to, the question "
        "and the score (1 to 5) or text. Filter or pivot on the response number to read one "
        "participant's answers together."
    ),
    rows=_feedback,
    columns=(
        Column("Event", _attr("question.form.event.title")),
        Column("Event start", _attr("question.form.event.start_date")),
        Column("Form", _attr("question.form.title")),
        Column("Response", _if_comments_visible("response_id")),
        Column("Submitted at", _if_comments_visible("response.submitted_at")),
        Column("Question number", _attr("question.position")),
        Column("Question", _attr("question.text")),
        Column("Question kind", lambda a: a.question.get_kind_display()),
        Column("Score", _attr("score")),
        Column("Answer", _attr("text")),
    ),
    lead_note=(
        "Free-text answers, and the response number and time that link one person's answers, "
        "are left out, as on the event page."
    ),
)

DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (
        PEOPLE,
        MEMBERSHIPS,
        ACTIVITIES,
        ATTENDANCE,
        EVIDENCE_INDEX,
        OUTPUTS,
        CHANGES,
        EVENTS,
        FEEDBACK,
    )
}


# --- Tables and files -------------------------------------------------------------------------


@dataclass
class ExportTable:
    """A dataset laid out for one user and target: headers, and rows produced lazily."""

    headers: list[str]
    rows: Iterator[list[Any]]


def export_table(*, dataset: Dataset, user, target: ExportTarget) -> ExportTable:
    """The rows of ``dataset`` that ``user`` may read in ``target``, every cell neutralised."""
    working = user.has_perm(*target.notes_permission)
    columns = [column for column in dataset.columns if working or not column.working_material]
    records = dataset.rows(user, target).iterator(chunk_size=CHUNK_SIZE)

    def rows():
        for record in records:
            yield [neutralise(column.value(record)) for column in columns]

    return ExportTable(headers=[column.header for column in columns], rows=rows())


class _Echo:
    """A file-like object whose ``write`` hands back the line, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def csv_lines(table: ExportTable) -> Iterator[str]:
    """The table as CSV lines, produced one row at a time (starts with a BOM for Excel)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(table.headers)
    for row in table.rows:
        yield writer.writerow(["" if cell is None else cell for cell in row])


def xlsx_file(table: ExportTable, *, title: str):
    """The table as an XLSX workbook in a temporary file, rewound, for the caller to stream.

    openpyxl's write-only mode writes rows as they come instead of building every cell in
    memory first (tablib's XLSX export would hold the whole dataset).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append(row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response streaming it)
    workbook.save(handle)
    handle.seek(0)
    return handle


def export_target_get(*, user, programme_slug: str, site_slug: str | None = None) -> ExportTarget:
    """The programme or site ``user`` may export, or 404 whether it is missing or forbidden."""
    if site_slug is None:
        programme = get_object_or_404(
            permitted(user, "reports.export_programme"), slug=programme_slug
        )
        return ExportTarget(programme=programme)
    site = get_object_or_404(
        permitted(user, "reports.export_site").select_related("programme"),
        programme__slug=programme_slug,
        slug=site_slug,
    )
    return ExportTarget(programme=site.programme, site=site)


def export_targets_for_user(*, user) -> tuple[QuerySet[Programme], QuerySet[CaseSite]]:
    """The programmes and the sites whose data ``user`` may export."""
    programmes = permitted(user, "reports.export_programme").order_by("name")
    sites = (
        permitted(user, "reports.export_site")
        .select_related("programme")
        .order_by("programme__name", "name")
    )
    return programmes, sites
