"""The datasets a user may export, each cut by the rule set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from accounts.rules import permitted
from events.enums import QuestionKind
from events.headcount import head_count, head_count_sites_unknown
from events.models import AttendanceCount, Event, FeedbackAnswer, FeedbackQuestion
from events.rules import EVENT, IN_FORM
from evidence.models import Change, EvidenceItem, Output
from evidence.rules import CHANGE, EVIDENCE, OUTPUT
from evidence.scope import outputs_dated
from inquiries.models import Activity, Attendance, Membership, Person
from inquiries.rules import ACTIVITY, IN_ACTIVITY, IN_GROUP, PERSON
from inquiries.selectors import name_visible
from reports.exports.columns import (
    DESCRIPTION_COLUMN,
    FILE_COLUMN,
    JOIN,
    SITES,
    SITES_COLUMN,
    THEMES,
    THEMES_COLUMN,
    Column,
    Dataset,
    DateCut,
    attr,
    columns_from,
    dated_by,
    display,
    if_named,
    joined,
    label,
    names,
    text_of,
)
from reports.exports.targets import ExportTarget
from sites.models import Organisation


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
    columns=columns_from(
        ("Pseudonym", "pseudonym"),
        ("Name", if_named(attr("name"))),
        ("Email", if_named(attr("email"))),
        ("Phone", if_named(attr("phone"))),
        ("Site", text_of("site.name")),
        ("Organisation", text_of("organisation.name")),
        ("Job title", "job_title"),
        ("Level", if_named(display("level"))),
        ("Occupation (SOC 2010 major group)", if_named(attr("occupation_category"))),
        ("Prior research experience", if_named(display("research_experience"))),
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
    columns=columns_from(
        ("Group", text_of("group")),
        ("Pseudonym", "person.pseudonym"),
        ("Name", if_named(attr("person.name"))),
        ("Role", display("role")),
        ("Joined", "joined_on"),
        ("Left", "left_on"),
        ("Reason for leaving", display("leave_reason")),
    ),
    lead_note="Name is empty for people who have not consented to be named.",
    dated=DateCut(
        "Membership span: joined to left (a date not recorded is the group's start or end)",
        lambda memberships, scope: memberships.filter(scope.membership_overlaps()),
    ),
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
        .prefetch_related(Prefetch("attendance", queryset=attendance), "researcher_roles", THEMES)
        .order_by("date", "pk")
    )


def _attendees(activity) -> str:
    labels = []
    for row in activity.attendance.all():
        row.person.name_visible = row.name_visible
        labels.append(label(row.person))
    return JOIN.join(labels)


ACTIVITIES = Dataset(
    slug="activities",
    title="Activities with attendance",
    description=(
        "One row per activity (meetings, visits, tallies of contacts), with the number of "
        "people recorded as attending and their names or pseudonyms joined in one cell."
    ),
    rows=_activities,
    columns=columns_from(
        ("Date", "date"),
        ("End date", "end_date"),
        ("Kind", display("kind")),
        ("Title", "title"),
        ("Site", text_of("site.name")),
        ("Group", text_of("group")),
        ("Cycle", "cycle.number"),
        ("Phase", display("phase")),
        ("Duration (minutes)", "duration_minutes"),
        ("Count (tallies)", lambda a: "unknown" if a.count_unknown else a.count),
        ("Direction", display("direction")),
        ("Attendees recorded", lambda a: len(a.attendance.all())),
        ("Attendees", _attendees),
        ("Published attendance total", "attendance_total"),
        (
            "Researcher roles",
            lambda a: joined(r.get_role_display() for r in a.researcher_roles.all()),
        ),
        THEMES_COLUMN,
        Column("Reflective notes", attr("notes"), working_material=True),
    ),
    lead_note=(
        "Reflective notes are left out; attendees appear by pseudonym unless they consented to "
        "be named."
    ),
    dated=dated_by("Activity date", "date"),
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
    columns=columns_from(
        ("Activity date", "activity.date"),
        ("Activity kind", lambda a: a.activity.get_kind_display()),
        ("Activity title", "activity.title"),
        ("Group", text_of("activity.group")),
        ("Pseudonym", "person.pseudonym"),
        ("Name", if_named(attr("person.name"))),
        ("Organisation", text_of("person.organisation.name")),
    ),
    lead_note="Name is empty for people who have not consented to be named.",
    dated=dated_by("Activity date", "activity__date"),
)


def _evidence(user, target: ExportTarget) -> QuerySet[EvidenceItem]:
    return (
        target.readable(user, "evidence.view_evidenceitem", EvidenceItem, EVIDENCE)
        .select_related("group", "activity")
        .prefetch_related(SITES, THEMES)
        .order_by("title", "pk")
    )


EVIDENCE_INDEX = Dataset(
    slug="evidence",
    title="Evidence index",
    description="One row per evidence item: kind, order, authorship, use, source and sensitivity.",
    rows=_evidence,
    columns=columns_from(
        ("Title", "title"),
        ("Kind", display("kind")),
        ("Order", display("order")),
        ("Authorship", display("authorship")),
        ("Use", display("use")),
        ("Source", "source"),
        ("Collected on", "collected_on"),
        SITES_COLUMN,
        ("Group", text_of("group")),
        ("Activity", text_of("activity")),
        ("Sensitivity", display("sensitivity")),
        ("Consent basis", "consent_basis"),
        ("URL", "url"),
        FILE_COLUMN,
        THEMES_COLUMN,
        DESCRIPTION_COLUMN,
    ),
    lead_note="Restricted and personal-data evidence is left out.",
    dated=dated_by("Collected on", "collected_on"),
)


def _outputs(user, target: ExportTarget) -> QuerySet[Output]:
    authors = Person.objects.annotate(name_visible=name_visible(user=user)).order_by("pseudonym")
    return (
        target.readable(user, "evidence.view_output", Output, OUTPUT)
        .prefetch_related(
            SITES,
            "groups",
            Prefetch("authors", queryset=authors),
            "author_users",
            THEMES,
        )
        .order_by("title", "pk")
    )


OUTPUTS = Dataset(
    slug="outputs",
    title="Outputs",
    description="One row per output: kind, form, status with its dates, authors and audience.",
    rows=_outputs,
    columns=columns_from(
        ("Title", "title"),
        ("Kind", display("kind")),
        ("Form", display("form")),
        ("Status", display("status")),
        ("Drafted on", "drafted_on"),
        ("In consultation on", "consultation_on"),
        ("Published on", "published_on"),
        SITES_COLUMN,
        ("Groups", lambda o: joined(o.groups.all())),
        ("Authors", lambda o: joined(label(person) for person in o.authors.all())),
        ("Researcher authors", lambda o: joined(o.author_users.all())),
        ("Audience", "audience"),
        ("URL", "url"),
        FILE_COLUMN,
        THEMES_COLUMN,
        DESCRIPTION_COLUMN,
    ),
    lead_note="Authors appear by pseudonym unless they consented to be named.",
    dated=DateCut("Latest stage: published, else in consultation, else drafted", outputs_dated),
)


def _changes(user, target: ExportTarget) -> QuerySet[Change]:
    def titles(perm, model):
        return permitted(user, perm, model.objects.all()).order_by("title")

    return (
        target.readable(user, "evidence.view_change", Change, CHANGE)
        .select_related("group")
        .prefetch_related(
            SITES,
            THEMES,
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
    columns=columns_from(
        ("Title", "title"),
        ("Date", "date"),
        ("Type", display("type")),
        ("Level", display("level")),
        ("Group", text_of("group")),
        SITES_COLUMN,
        ("Supporting evidence", lambda c: joined(c.evidence.all())),
        ("Supporting outputs", lambda c: joined(c.outputs.all())),
        ("Earlier changes", lambda c: joined(c.earlier_changes.all())),
        THEMES_COLUMN,
        DESCRIPTION_COLUMN,
    ),
    lead_note="Supporting evidence that is restricted or personal data is left out.",
    dated=dated_by("Change date", "date"),
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
            SITES,
            "groups",
            Prefetch("attendance_counts", queryset=counts),
            Prefetch("organisations", queryset=Organisation.objects.order_by("name")),
            THEMES,
        )
        .annotate(
            report_title=Subquery(report.values("title")[:1]),
            named_count=Coalesce(Subquery(named, output_field=IntegerField()), 0),
            head_count=head_count(),
            head_count_sites_unknown=head_count_sites_unknown(),
        )
        .order_by(F("start_date").asc(nulls_last=True), "title", "pk")
    )


def _head_counts(event) -> str:
    parts = []
    for count in event.attendance_counts.all():
        where = count.organisation or count.site
        figure = f"about {count.count}" if count.approximate else str(count.count)
        parts.append(f"{where}: {figure}" if where else f"total: {figure}")
    return JOIN.join(parts)


EVENTS = Dataset(
    slug="events",
    title="Events with attendance counts",
    description=(
        "One row per event, with the people recorded by name, the published head count "
        "(the total, else the sites' counts added up, else the organisations') and the "
        "counts as published by organisation or site."
    ),
    rows=_events,
    columns=columns_from(
        ("Title", "title"),
        ("Kind", display("kind")),
        ("Start", "start_date"),
        ("End", "end_date"),
        ("Location", "location"),
        ("Organiser", "organiser"),
        ("Sites", lambda e: names(e.sites) or "Programme-wide"),
        ("Groups", lambda e: joined(e.groups.all())),
        ("People recorded by name", "named_count"),
        ("Published head count", "head_count"),
        ("Sites the head count leaves unknown", "head_count_sites_unknown"),
        ("Head counts", _head_counts),
        ("Organisations", lambda e: names(e.organisations)),
        ("Report", "report_title"),
        THEMES_COLUMN,
        ("Purpose", "purpose"),
        ("Summary", "summary"),
    ),
    dated=dated_by("Event start", "start_date"),
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
            F("question__form__event__start_date").asc(nulls_last=True),
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
        return attr(path)(answer) if answer.comments_visible else None

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
    columns=columns_from(
        ("Event", "question.form.event.title"),
        ("Event start", "question.form.event.start_date"),
        ("Form", "question.form.title"),
        ("Response", _if_comments_visible("response_id")),
        ("Submitted at", _if_comments_visible("response.submitted_at")),
        ("Question number", "question.position"),
        ("Question", "question.text"),
        ("Question kind", lambda a: a.question.get_kind_display()),
        ("Score", "score"),
        ("Answer", "text"),
    ),
    lead_note=(
        "Free-text answers, and the response number and time that link one person's answers, "
        "are left out, as on the event page."
    ),
    dated=dated_by("Event start", "question__form__event__start_date"),
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
