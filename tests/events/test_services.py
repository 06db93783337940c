import datetime as dt

import pytest
from django.utils import timezone
from zeal import zeal_ignore

from car_programme.exceptions import DomainError
from events.enums import QuestionKind
from events.models import AttendanceCount, FeedbackAnswer, FeedbackQuestion, FeedbackResponse
from events.services import (
    HeadCount,
    event_record_attendance,
    feedback_form_close,
    feedback_form_create,
    feedback_form_reopen,
    feedback_question_add,
    feedback_question_delete,
    feedback_question_update,
    feedback_response_submit,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_response_with_one_invalid_answer_writes_nothing():
    form = factories.FeedbackFormFactory()
    good = factories.FeedbackQuestionFactory(form=form)
    bad = factories.FeedbackQuestionFactory(form=form)

    with pytest.raises(DomainError):
        feedback_response_submit(form=form, answers={good.pk: 5, bad.pk: 9})

    assert not FeedbackResponse.objects.exists()
    assert not FeedbackAnswer.objects.exists()


def test_response_to_a_closed_form_is_refused():
    form = factories.FeedbackFormFactory()
    question = factories.FeedbackQuestionFactory(form=form)
    feedback_form_close(form=form)

    with pytest.raises(DomainError, match="closed"):
        feedback_response_submit(form=form, answers={question.pk: 5})


def test_response_to_another_forms_question_is_refused():
    form = factories.FeedbackFormFactory()
    stranger = factories.FeedbackQuestionFactory()

    with pytest.raises(DomainError):
        feedback_response_submit(form=form, answers={stranger.pk: 5})

    assert not FeedbackResponse.objects.exists()


def test_questions_are_added_in_order():
    form = feedback_form_create(
        event=factories.EventFactory(),
        title="Retreat",
        closes_at=timezone.now() + dt.timedelta(days=7),
    )

    first = feedback_question_add(form=form, kind=QuestionKind.LIKERT, text="I learnt a lot")
    second = feedback_question_add(form=form, kind=QuestionKind.FREE_TEXT, text="Anything else?")

    assert list(form.questions.all()) == [first, second]
    assert (first.position, second.position) == (0, 1)
    assert form.is_open and form.token


def test_feedback_form_cannot_close_in_the_past():
    with pytest.raises(DomainError):
        feedback_form_create(
            event=factories.EventFactory(),
            title="Late",
            closes_at=timezone.now() - dt.timedelta(hours=1),
        )


def test_attendance_replaces_people_and_counts():
    event = factories.EventFactory()
    site = factories.CaseSiteFactory(programme=event.programme)
    organisation = factories.OrganisationFactory(programme=event.programme)
    people = factories.PersonFactory.create_batch(2, programme=event.programme)
    AttendanceCount.objects.create(event=event, count=3)

    event_record_attendance(
        event=event,
        attendees=people,
        counts=[
            HeadCount(count=20, organisation=organisation),
            HeadCount(count=15, site=site, approximate=True),
            HeadCount(count=42),
        ],
    )

    assert set(event.attendees.all()) == set(people)
    assert set(event.attendance_counts.values_list("organisation", "site", "count")) == {
        (organisation.pk, None, 20),
        (None, site.pk, 15),
        (None, None, 42),
    }


@pytest.mark.parametrize(
    "bad_count",
    [
        lambda event: HeadCount(count=0),
        lambda event: HeadCount(count=5, organisation=factories.OrganisationFactory()),
        lambda event: HeadCount(
            count=5,
            organisation=factories.OrganisationFactory(programme=event.programme),
            site=factories.CaseSiteFactory(programme=event.programme),
        ),
        lambda event: HeadCount(count=5),
    ],
    ids=["zero", "other-programme", "organisation-and-site", "second-total"],
)
def test_attendance_with_a_bad_row_writes_nothing(bad_count):
    event = factories.EventFactory()
    AttendanceCount.objects.create(event=event, count=3)
    person = factories.PersonFactory(programme=event.programme)

    with pytest.raises(DomainError):
        event_record_attendance(
            event=event, attendees=[person], counts=[HeadCount(count=42), bad_count(event)]
        )

    assert not event.attendees.exists()
    assert list(event.attendance_counts.values_list("count", flat=True)) == [3]


def test_attendance_refuses_people_of_another_programme():
    event = factories.EventFactory()

    with pytest.raises(DomainError):
        event_record_attendance(event=event, attendees=[factories.PersonFactory()], counts=[])


def test_reopening_clears_a_closing_time_already_passed():
    form = factories.FeedbackFormFactory(
        is_open=False, closes_at=timezone.now() - dt.timedelta(days=1)
    )

    feedback_form_reopen(form=form)

    form.refresh_from_db()
    assert form.is_open and form.closes_at is None
    assert feedback_response_submit(
        form=form, answers={factories.FeedbackQuestionFactory(form=form).pk: 4}
    )


def test_reopening_keeps_a_future_closing_time():
    closes_at = timezone.now() + dt.timedelta(days=1)
    form = factories.FeedbackFormFactory(is_open=False, closes_at=closes_at)

    feedback_form_reopen(form=form)

    form.refresh_from_db()
    assert form.is_open and form.closes_at == closes_at


def test_question_update_refuses_a_repeated_wording():
    question = factories.FeedbackQuestionFactory(text="First")
    factories.FeedbackQuestionFactory(form=question.form, text="Second")

    with pytest.raises(DomainError, match="already asks"):
        feedback_question_update(
            question=question, kind=QuestionKind.LIKERT, text="Second", position=0
        )


def test_answered_question_changes_its_wording_but_not_its_kind():
    answer = factories.FeedbackAnswerFactory()
    question = answer.question

    feedback_question_update(question=question, kind=QuestionKind.LIKERT, text="New", position=2)
    # The service is called twice on one question: two updates, not a read per row.
    with (
        zeal_ignore([{"model": "events.FeedbackQuestion", "field": "get()"}]),
        pytest.raises(DomainError, match="kind"),
    ):
        feedback_question_update(
            question=question, kind=QuestionKind.FREE_TEXT, text="New", position=2
        )

    question.refresh_from_db()
    assert (question.text, question.kind, question.position) == ("New", QuestionKind.LIKERT, 2)


def test_only_an_unanswered_question_is_deleted():
    answered = factories.FeedbackAnswerFactory().question
    unanswered = factories.FeedbackQuestionFactory(form=answered.form)

    feedback_question_delete(question=unanswered)
    with pytest.raises(DomainError, match="answers"):
        feedback_question_delete(question=answered)

    assert list(FeedbackQuestion.objects.all()) == [answered]
