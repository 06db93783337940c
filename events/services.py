"""Writes on events, their attendance and their feedback forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from car_programme.dates import DatePrecision
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme
from car_programme.records_version import records_write
from car_programme.revisions import save_with_links
from car_programme.services import authored, check_fields, refuse_taken
from events import models
from events.enums import QuestionKind
from inquiries.models import Person
from sites.models import CaseSite, Organisation, Programme

# The fields of an event that a form edits directly; sites, groups and themes are set apart.
EVENT_FIELDS = (
    "title",
    "kind",
    "start_date",
    "end_date",
    "location",
    "organiser",
    "purpose",
    "summary",
    "date_precision",
    "report",
)


def _links(programme, *, sites, groups, themes) -> dict[str, list]:
    links = {"sites": list(sites), "groups": list(groups), "themes": list(themes)}
    check_same_programme(programme, **links)
    return links


def _check_dates(start_date: dt.date | None, end_date: dt.date | None) -> None:
    if end_date is not None and (start_date is None or end_date < start_date):
        raise DomainError("An event cannot end before it starts.")


def _already_recorded(title: str, start_date: dt.date | None) -> str:
    # Events loaded from a source may have no date; a person always gives one.
    when = "with no date" if start_date is None else f"on {date_format(start_date)}"
    return f"{title} {when} is already recorded."


@records_write(reads=("programme", "report"))
@transaction.atomic
def event_create(
    *,
    programme: Programme,
    title: str,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    location: str = "",
    organiser: str = "",
    purpose: str = "",
    summary: str = "",
    date_precision: str = DatePrecision.DAY,
    # An evidence output, reached through the event's foreign key: evidence sits beside events.
    report: Model | None = None,
    sites: Iterable[CaseSite] = (),
    groups: Iterable = (),
    themes: Iterable = (),
    by: User | None = None,
) -> models.Event:
    """Create an event; no site makes it programme-wide.

    Side effects: one Event row, its site, group and theme links, and a history row.
    """
    _check_dates(start_date, end_date)
    links = _links(programme, sites=sites, groups=groups, themes=themes)
    check_same_programme(programme, report=report)
    if models.Event.objects.filter(
        programme=programme, title=title, start_date=start_date
    ).exists():
        raise DomainError(_already_recorded(title, start_date))
    event = models.Event(
        programme=programme,
        title=title,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        location=location,
        organiser=organiser,
        purpose=purpose,
        summary=summary,
        date_precision=date_precision,
        report=report,
    )
    save_with_links(event, by=by, links=links)
    return event


@records_write
@transaction.atomic
def event_update(
    *,
    event: models.Event,
    sites: Iterable[CaseSite],
    groups: Iterable,
    themes: Iterable,
    by: User | None = None,
    **fields,
) -> models.Event:
    """Change an event's details (``fields`` among EVENT_FIELDS) and its links.

    Side effects: updates the event and its links, adds a history row.
    """
    check_fields(fields, EVENT_FIELDS)
    links = _links(event.programme, sites=sites, groups=groups, themes=themes)
    for name, value in fields.items():
        setattr(event, name, value)
    _check_dates(event.start_date, event.end_date)
    check_same_programme(event.programme, report=event.report)
    refuse_taken(
        models.Event.objects.filter(
            programme=event.programme_id, title=event.title, start_date=event.start_date
        ),
        record=event,
        message=_already_recorded(event.title, event.start_date),
    )
    save_with_links(event, by=by, update_fields=list(fields), links=links)
    return event


@records_write
@transaction.atomic
def event_delete(*, event: models.Event, by: User | None = None) -> None:
    """Delete an event with its head counts and feedback forms (and their responses).

    Side effects: deletes those rows; their history keeps a deletion row each.
    """
    authored(event, by).delete()


@dataclass(frozen=True)
class HeadCount:
    """One published head count: for an organisation, a site, or in total when neither."""

    count: int
    organisation: Organisation | None = None
    site: CaseSite | None = None
    approximate: bool = False


@records_write
@transaction.atomic
def event_record_attendance(
    *,
    event: models.Event,
    attendees: Iterable[Person],
    counts: Iterable[HeadCount],
    by: User | None = None,
) -> models.Event:
    """Replace who attended ``event``: the named ``attendees`` and the head ``counts``.

    All or nothing: a bad row (a person or organisation of another programme, a count below
    one, a count for both an organisation and a site, two counts for one organisation, site
    or total) raises DomainError and nothing is written.
    Side effects: sets the event's attendees; replaces its AttendanceCount rows (history rows
    record the removal and the additions).
    """
    attendees = list(attendees)
    counts = list(counts)
    check_same_programme(event.programme, attendees=attendees)
    seen = set()
    for number, head_count in enumerate(counts, start=1):
        if head_count.count is None or head_count.count < 1:
            raise DomainError(f"Head count {number}: a count must be at least 1.")
        if head_count.organisation is not None and head_count.site is not None:
            raise DomainError(f"Head count {number}: give an organisation or a site, not both.")
        try:
            check_same_programme(
                event.programme, organisation=head_count.organisation, site=head_count.site
            )
        except DomainError as error:
            raise DomainError(f"Head count {number}: {error}") from error
        if head_count.organisation is not None:
            key = ("organisation", head_count.organisation.pk)
        elif head_count.site is not None:
            key = ("site", head_count.site.pk)
        else:
            key = ("total", None)
        if key in seen:
            raise DomainError(f"Head count {number} repeats an earlier one.")
        seen.add(key)

    save_with_links(event, by=by, links={"attendees": attendees})
    for old in event.attendance_counts.all():
        authored(old, by).delete()
    for head_count in counts:
        authored(
            models.AttendanceCount(
                event=event,
                organisation=head_count.organisation,
                site=head_count.site,
                count=head_count.count,
                approximate=head_count.approximate,
            ),
            by,
        ).save()
    return event


@records_write
@transaction.atomic
def feedback_form_create(
    *,
    event: models.Event,
    title: str,
    closes_at: dt.datetime | None = None,
    by: User | None = None,
) -> models.FeedbackForm:
    """Create an open feedback form for ``event``, with a fresh public token.

    Side effects: one FeedbackForm row and its history row.
    """
    if event.feedback_forms.filter(title=title).exists():
        raise DomainError(f"{event} already has a form called {title}.")
    if closes_at is not None and closes_at <= timezone.now():
        raise DomainError("The closing time must be in the future.")
    form = models.FeedbackForm(event=event, title=title, closes_at=closes_at, is_open=True)
    authored(form, by).save()
    return form


@records_write
@transaction.atomic
def feedback_question_add(
    *,
    form: models.FeedbackForm,
    kind: QuestionKind,
    text: str,
    position: int | None = None,
    by: User | None = None,
) -> models.FeedbackQuestion:
    """Add a Likert statement or a free-text question; by default after the last one.

    Side effects: one FeedbackQuestion row and its history row.
    """
    if form.questions.filter(text=text).exists():
        raise DomainError("This form already asks that.")
    if position is None:
        last = form.questions.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    question = models.FeedbackQuestion(form=form, kind=kind, text=text, position=position)
    authored(question, by).save()
    return question


@records_write
@transaction.atomic
def feedback_form_close(
    *, form: models.FeedbackForm, by: User | None = None
) -> models.FeedbackForm:
    """Stop taking responses on ``form``; its link then answers "closed".

    Side effects: updates the form and adds a history row.
    """
    form.is_open = False
    authored(form, by).save(update_fields=["is_open"])
    return form


@records_write
@transaction.atomic
def feedback_form_reopen(
    *, form: models.FeedbackForm, by: User | None = None
) -> models.FeedbackForm:
    """Take responses on ``form`` again, through the same public link.

    A closing time already passed would keep the form shut, so it is cleared; a future one
    stays.
    Side effects: updates the form and adds a history row.
    """
    form.is_open = True
    fields = ["is_open"]
    if form.closes_at is not None and form.closes_at <= timezone.now():
        form.closes_at = None
        fields.append("closes_at")
    authored(form, by).save(update_fields=fields)
    return form


@records_write
@transaction.atomic
def feedback_question_update(
    *,
    question: models.FeedbackQuestion,
    kind: QuestionKind,
    text: str,
    position: int,
    by: User | None = None,
) -> models.FeedbackQuestion:
    """Change a question's wording, kind or position.

    A question already answered keeps its kind: scores read as text (or text as scores)
    would make its results meaningless.
    Side effects: updates the question and adds a history row.
    """
    refuse_taken(
        question.form.questions.filter(text=text),
        record=question,
        message="This form already asks that.",
    )
    # Read from the database: a model form has already written the new kind on ``question``.
    stored_kind = models.FeedbackQuestion.objects.values_list("kind", flat=True).get(pk=question.pk)
    if kind != stored_kind and question.answers.exists():
        raise DomainError("This question has answers: its kind cannot change.")
    question.kind, question.text, question.position = kind, text, position
    authored(question, by).save(update_fields=["kind", "text", "position"])
    return question


@records_write
@transaction.atomic
def feedback_question_delete(*, question: models.FeedbackQuestion, by: User | None = None) -> None:
    """Delete a question nobody has answered; one with answers raises DomainError.

    Side effects: deletes the question; its history keeps a deletion row.
    """
    if question.answers.exists():
        raise DomainError("This question has answers: it cannot be deleted.")
    authored(question, by).delete()


def feedback_form_accepts(form: models.FeedbackForm, *, now: dt.datetime | None = None) -> bool:
    """Whether ``form`` takes responses: open, and its closing time (if any) not yet passed."""
    now = now or timezone.now()
    return form.is_open and (form.closes_at is None or form.closes_at > now)


@records_write
@transaction.atomic
def feedback_response_submit(
    *, form: models.FeedbackForm, answers: Mapping[int, int | str | None]
) -> models.FeedbackResponse:
    """Store one anonymous response: ``answers`` maps question ids to a score or a text.

    Unanswered questions (None or blank) are skipped. All or nothing: an unknown question, a
    score outside 1-5 or a closed form raises DomainError and nothing is written. Nothing
    identifies the respondent: no user, no address.
    Side effects: one FeedbackResponse row and one FeedbackAnswer row per answer.
    """
    if not feedback_form_accepts(form):
        raise DomainError("This form is closed.")
    questions = {question.pk: question for question in form.questions.all()}
    rows = []
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise DomainError("An answer is for a question this form does not ask.")
        if value is None or value == "":
            continue
        if question.kind == QuestionKind.LIKERT:
            try:
                score = int(value)
            except (TypeError, ValueError):
                score = None
            if score is None or not models.LIKERT_MIN <= score <= models.LIKERT_MAX:
                raise DomainError(
                    f"{question}: choose a score from {models.LIKERT_MIN} to {models.LIKERT_MAX}."
                )
            rows.append(models.FeedbackAnswer(question=question, score=score))
        else:
            rows.append(models.FeedbackAnswer(question=question, text=str(value).strip()))
    rows = [row for row in rows if row.score is not None or row.text]
    if not rows:
        raise DomainError("Answer at least one question.")
    response = models.FeedbackResponse.objects.create(form=form)
    for row in rows:
        row.response = response
    models.FeedbackAnswer.objects.bulk_create(rows)
    return response
