"""Reads of events, their attendance and their feedback, through the rule set."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.rules import permitted
from car_programme.selectors import subquery_count
from events import models
from events.enums import QuestionKind
from events.headcount import (
    head_count,
    head_count_approximate,
    head_count_sites,
    head_count_sites_unknown,
)
from inquiries.models import Person
from inquiries.selectors import name_visible


def event_list_for_user(*, user) -> QuerySet[models.Event]:
    """The events ``user`` may see, with ``named_count`` and ``head_count`` for a list page.

    ``head_count`` is the published head count of :mod:`events.headcount` (None when none is
    recorded), ``head_count_approximate`` whether it was published as "about",
    ``head_count_sites``/``head_count_sites_unknown`` the sites it adds up and those it cannot;
    ``named_count`` counts the people recorded by name.
    """
    return (
        permitted(user, "events.view_event")
        .select_related("programme")
        .prefetch_related("sites")
        .annotate(
            named_count=subquery_count(models.Event.attendees.through.objects.all(), "event"),
            head_count=head_count(),
            head_count_approximate=head_count_approximate(),
            head_count_sites=head_count_sites(),
            head_count_sites_unknown=head_count_sites_unknown(),
        )
        .order_by(F("start_date").desc(nulls_last=True), "title")
    )


def event_get_for_user(*, user, pk: int) -> models.Event:
    """One event, or 404 whether it is missing or forbidden (so ids reveal nothing)."""
    return get_object_or_404(event_list_for_user(user=user).select_related("report"), pk=pk)


def people_with_names_for_user(*, user, queryset: QuerySet[Person]) -> QuerySet[Person]:
    """``queryset`` annotated with ``name_visible``: whether ``user`` may see each name."""
    return queryset.annotate(name_visible=name_visible(user=user))


def attendance_choices_for_user(*, user, event: models.Event) -> QuerySet[Person]:
    """The people of the event's programme ``user`` may record as attendees."""
    people = permitted(user, "inquiries.view_person").filter(programme=event.programme_id)
    return people_with_names_for_user(user=user, queryset=people).select_related("organisation")


# "Agree" and "strongly agree" on the 1-5 scale: the share the working paper reports.
AGREEING_SCORE = 4


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
    *, forms: QuerySet[models.FeedbackForm] | list[models.FeedbackForm]
) -> list[StatementShare]:
    """The share scoring 4 or 5 of each Likert statement of ``forms``, in one query.

    Statements come in their forms' order, then by position.
    """
    rows = (
        models.FeedbackQuestion.objects.filter(form__in=forms, kind=QuestionKind.LIKERT)
        .annotate(
            responses=Count("answers", filter=Q(answers__score__isnull=False)),
            agreeing=Count("answers", filter=Q(answers__score__gte=AGREEING_SCORE)),
        )
        .order_by(
            F("form__event__start_date").asc(nulls_last=True), "form__title", "position", "pk"
        )
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


@dataclass
class FormResults:
    form: models.FeedbackForm
    statements: list[StatementShare] = field(default_factory=list)
    comments: list[models.FeedbackAnswer] = field(default_factory=list)


@dataclass
class EventPage:
    """Everything the event page shows, each part one query whatever the event's size."""

    attendees: QuerySet[Person]
    counts: QuerySet[models.AttendanceCount]
    groups: QuerySet
    themes: QuerySet
    results: list[FormResults]
    report: object | None = None


def event_page(*, event: models.Event, user, can_change: bool) -> EventPage:
    """The event's attendance, groups and feedback results as ``user`` may see them.

    Free-text answers are read only when ``can_change`` (the event's editors read comments;
    readers see the scores).
    """
    attendees = people_with_names_for_user(
        user=user, queryset=permitted(user, "inquiries.view_person", event.attendees.all())
    ).select_related("organisation")
    forms = list(
        permitted(user, "events.view_feedbackform", event.feedback_forms.all())
        .annotate(response_count=subquery_count(models.FeedbackResponse.objects.all(), "form"))
        .order_by("title")
    )
    results = {form.pk: FormResults(form=form) for form in forms}
    if forms:
        for share in feedback_statement_shares(forms=forms):
            results[share.form_id].statements.append(share)
        if can_change:
            comments = (
                models.FeedbackAnswer.objects.filter(
                    question__form__in=forms, question__kind=QuestionKind.FREE_TEXT
                )
                .exclude(text="")
                .select_related("question")
                .order_by("question__position", "question_id", "response__submitted_at")
            )
            for answer in comments:
                results[answer.question.form_id].comments.append(answer)
    return EventPage(
        attendees=attendees,
        counts=event.attendance_counts.select_related("organisation", "site"),
        groups=permitted(user, "inquiries.view_inquirygroup", event.groups.all()).order_by("name"),
        themes=event.themes.order_by("framework", "position"),
        results=list(results.values()),
        report=_report_for_user(event=event, user=user),
    )


def _report_for_user(*, event: models.Event, user):
    """The event's report if ``user`` may see that output (a title can say too much)."""
    if event.report_id is None:
        return None
    return permitted(user, "evidence.view_output").filter(pk=event.report_id).first()


def feedback_form_get_for_user(*, user, pk: int) -> models.FeedbackForm:
    """One feedback form ``user`` may see, or 404."""
    return get_object_or_404(
        permitted(user, "events.view_feedbackform").select_related("event"), pk=pk
    )


def feedback_form_by_token(*, token: str) -> models.FeedbackForm:
    """The form behind a public link, with its questions; 404 for an unknown token."""
    return get_object_or_404(
        models.FeedbackForm.objects.select_related("event").prefetch_related("questions"),
        token=token,
    )


def feedback_question_list(*, form: models.FeedbackForm) -> QuerySet[models.FeedbackQuestion]:
    """The form's questions in the order they are asked, each with ``answer_count``."""
    return form.questions.annotate(
        answer_count=subquery_count(models.FeedbackAnswer.objects.all(), "question")
    ).order_by("position", "pk")


def feedback_question_get(*, form: models.FeedbackForm, pk: int) -> models.FeedbackQuestion:
    """One question of ``form`` (already fetched through the rule set), or 404."""
    return get_object_or_404(feedback_question_list(form=form).select_related("form"), pk=pk)
