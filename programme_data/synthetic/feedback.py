"""Feedback forms of synthetic events, with Likert and free-text answers."""

import hashlib
from collections import defaultdict

from django.db.models import DateTimeField, OuterRef, Subquery
from django.db.models.functions import Cast

from events.enums import QuestionKind
from events.models import FeedbackAnswer, FeedbackForm, FeedbackQuestion, FeedbackResponse
from programme_data.synthetic import proportions
from sites.models import Programme

LIKERT_STATEMENTS = [
    "I learnt a lot",
    "I feel better prepared to undertake an inquiry",
    "I enjoyed the process",
]
FREE_TEXT_QUESTION = "What would you change next time?"
FREE_TEXT_ANSWERS = [
    "More time for discussion in small groups.",
    "Shorter presentations.",
    "Invite more frontline staff.",
    "Share the materials beforehand.",
]


def feedback_forms(rng, writer, events) -> None:
    """A closed feedback form with Likert and free-text answers for each of ``events``.

    Tokens are derived from the event, not drawn at random, so that generation stays
    deterministic; the forms are closed, so a guessed link accepts nothing.
    """
    forms = writer.create(
        FeedbackForm,
        [
            FeedbackForm(
                event=event,
                title=f"Feedback on {event.title}",
                token=hashlib.sha256(
                    f"{event.programme.slug}:{event.title}:{event.start_date}".encode()
                ).hexdigest(),
                is_open=False,
            )
            for event in events
        ],
    )
    questions = writer.create(
        FeedbackQuestion,
        [
            FeedbackQuestion(form=form, position=position, kind=kind, text=text)
            for form in forms
            for position, (kind, text) in enumerate(
                [(QuestionKind.LIKERT, text) for text in LIKERT_STATEMENTS]
                + [(QuestionKind.FREE_TEXT, FREE_TEXT_QUESTION)]
            )
        ],
    )
    by_form = defaultdict(list)
    for question in questions:
        by_form[question.form_id].append(question)
    responses = writer.create(
        FeedbackResponse,
        [FeedbackResponse(form=form) for form in forms for _ in range(rng.randint(8, 30))],
    )
    answers = []
    for response in responses:
        for question in by_form[response.form_id]:
            if question.kind == QuestionKind.LIKERT:
                score = rng.choices(range(1, 6), weights=proportions.LIKERT_WEIGHTS)[0]
                answers.append(FeedbackAnswer(response=response, question=question, score=score))
            elif rng.random() < 0.3:
                text = rng.choice(FREE_TEXT_ANSWERS)
                answers.append(FeedbackAnswer(response=response, question=question, text=text))
    writer.create(FeedbackAnswer, answers)


def date_feedback_responses(programme: Programme) -> None:
    # ``submitted_at`` is stamped with the current time on insert; the event's day keeps the
    # data deterministic and within the programme period.
    event_start = FeedbackForm.objects.filter(pk=OuterRef("form_id")).values("event__start_date")
    FeedbackResponse.objects.filter(form__event__programme=programme).update(
        submitted_at=Cast(Subquery(event_start[:1]), DateTimeField())
    )
