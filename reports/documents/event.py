"""The event report: an event's head counts, attendees, feedback and free-text answers."""

from events.enums import QuestionKind
from events.models import FeedbackAnswer
from events.selectors import feedback_statement_shares
from inquiries.selectors import label_order
from reports import metrics
from reports.charts import feedback_chart
from reports.documents import Document, OnStep, Options, common
from reports.documents.common import Gathering
from reports.enums import ProgressStep


def _attendance(gathering: Gathering) -> dict:
    event = gathering.report_request.event
    attendees = list(
        event.attendees.select_related("organisation")
        .annotate(name_shown=common.name_shown(gathering, "pk"))
        .order_by(label_order(shown="name_shown"), "pk")
    )
    gathering.named |= {person.pk for person in attendees if person.name_shown}
    return {
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


def _feedback(gathering: Gathering) -> dict:
    event = gathering.report_request.event
    forms = list(event.feedback_forms.order_by("pk"))
    shares = feedback_statement_shares(forms=forms)
    scored = [share for share in shares if share.share is not None]
    if scored:
        gathering.charts["feedback"] = feedback_chart(
            shares,
            slug="feedback",
            description="For each statement, the percentage of responses scoring 4 or 5.",
            value_name="Share (%)",
        )
    # The comments a source summarised without publishing them, beside the shares.
    summaries = [form.published_summary for form in forms if form.published_summary]
    return {"shares": shares, "published_summaries": summaries}


def _comments(gathering: Gathering) -> dict:
    # Responses carry no user and no address; the answers are printed without any link
    # between them, so no two answers can be put together into a person.
    answers = (
        FeedbackAnswer.objects.filter(
            question__form__event=gathering.report_request.event,
            question__kind=QuestionKind.FREE_TEXT,
        )
        .exclude(text="")
        .select_related("question")
        .order_by("question__position", "question__pk", "text")
    )
    listed, more = common.capped(list(answers))
    return {"answers": listed, "answers_more": more}


PARTS: dict[str, common.Part] = {
    "attendance": _attendance,
    "feedback": _feedback,
    "comments": _comments,
}


def build(report_request, options: Options, on_step: OnStep) -> Document:
    on_step(ProgressStep.GATHERING)
    event = report_request.event
    title = f"{event.title}: event report"
    # The event's own row of the events summary (its head count and how it was counted): the
    # events starting on its day.
    scope = metrics.MetricScope(
        programme=report_request.programme, start=event.start_date, end=event.start_date
    )
    gathering = Gathering(report_request, options, on_step, scope)
    row = next(e for e in metrics.events_summary(scope=scope).events if e.event_id == event.pk)
    context = {
        **common.cover(gathering, title=title, first=("event", "The event")),
        "subtitle": event.get_kind_display(),
        "event": event,
        "row": row,
        **common.chosen_parts(gathering, PARTS),
    }
    return common.finish(gathering, title, context, holds_comments="comments" in options.sections)
