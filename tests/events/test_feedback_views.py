"""Feedback forms of an event: built, closed and reopened, their questions edited and deleted
by the event's editors only."""

import pytest
from django.urls import reverse

from events.enums import QuestionKind
from events.models import FeedbackQuestion
from tests import factories
from tests.cast import as_user
from tests.events.pages import EDIT

pytestmark = pytest.mark.django_db


def test_researcher_builds_a_feedback_form_and_closes_it(client, cast):
    event = factories.event_in(cast.fife)
    client.force_login(cast.fife_researcher)

    created = client.post(
        reverse("events:feedbackform_create", args=[event.pk]), {"title": "Retreat feedback"}
    )
    form = event.feedback_forms.get()
    client.post(
        reverse("events:feedbackform_detail", args=[form.pk]),
        {"kind": QuestionKind.LIKERT, "text": "I learnt a lot"},
    )
    client.post(
        reverse("events:feedbackform_detail", args=[form.pk]),
        {"kind": QuestionKind.FREE_TEXT, "text": "What would you change?"},
    )
    page = client.get(reverse("events:feedbackform_detail", args=[form.pk])).content.decode()
    client.post(reverse("events:feedbackform_close", args=[form.pk]))

    assert created["Location"] == reverse("events:feedbackform_detail", args=[form.pk])
    assert [q.text for q in form.questions.all()] == ["I learnt a lot", "What would you change?"]
    assert reverse("events:feedback_respond", args=[form.token]) in page
    form.refresh_from_db()
    assert not form.is_open


@pytest.mark.parametrize("role", EDIT)
def test_feedback_form_pages_per_role(client, cast, role):
    form = factories.FeedbackFormFactory(event=factories.event_in(cast.fife))

    page = as_user(client, cast, role).get(reverse("events:feedbackform_detail", args=[form.pk]))
    close = client.post(reverse("events:feedbackform_close", args=[form.pk]))

    closed_status = 302 if EDIT[role] == 200 else EDIT[role]
    assert (page.status_code, close.status_code) == (EDIT[role], closed_status)
    form.refresh_from_db()
    assert form.is_open == (EDIT[role] != 200)


# --- Feedback forms: reopening, editing and deleting questions --------------------------------


@pytest.mark.parametrize("role", EDIT)
def test_feedback_form_reopen_per_role(client, cast, role):
    form = factories.FeedbackFormFactory(event=factories.event_in(cast.fife), is_open=False)

    response = as_user(client, cast, role).post(
        reverse("events:feedbackform_reopen", args=[form.pk])
    )

    form.refresh_from_db()
    assert response.status_code == (302 if EDIT[role] == 200 else EDIT[role])
    assert form.is_open == (EDIT[role] == 200)


def test_closed_form_page_offers_to_reopen(client, cast):
    form = factories.FeedbackFormFactory(event=factories.event_in(cast.fife), is_open=False)
    client.force_login(cast.fife_researcher)

    page = client.get(reverse("events:feedbackform_detail", args=[form.pk])).content.decode()
    client.post(reverse("events:feedbackform_reopen", args=[form.pk]))
    reopened = client.get(reverse("events:feedbackform_detail", args=[form.pk])).content.decode()

    assert reverse("events:feedbackform_reopen", args=[form.pk]) in page
    assert "Close the form" in reopened
    assert client.get(reverse("events:feedback_respond", args=[form.token])).status_code == 200


def fife_question(cast, **fields):
    """A question of a new feedback form of a new Fife event."""
    return factories.FeedbackQuestionFactory(
        form=factories.FeedbackFormFactory(event=factories.event_in(cast.fife)), **fields
    )


def question_data(**overrides):
    return {
        "kind": QuestionKind.LIKERT,
        "text": "I learnt a great deal",
        "position": 3,
        **overrides,
    }


@pytest.mark.parametrize("role", EDIT)
def test_feedback_question_update_per_role(client, cast, role):
    question = fife_question(cast, text="Old")
    url = reverse("events:feedbackquestion_update", args=[question.form_id, question.pk])

    page = as_user(client, cast, role).get(url)
    posted = client.post(url, question_data(kind=QuestionKind.FREE_TEXT))

    question.refresh_from_db()
    assert page.status_code == EDIT[role]
    assert posted.status_code == (302 if EDIT[role] == 200 else EDIT[role])
    edited = (question.text, question.kind, question.position)
    if EDIT[role] == 200:
        assert edited == ("I learnt a great deal", QuestionKind.FREE_TEXT, 3)
        assert question.history.first().history_user == cast.user(role)
    else:
        assert edited == ("Old", QuestionKind.LIKERT, 0)


def test_answered_question_keeps_its_kind_and_says_so(client, cast):
    question = fife_question(cast)
    factories.FeedbackAnswerFactory(
        response=factories.FeedbackResponseFactory(form=question.form), question=question
    )
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("events:feedbackquestion_update", args=[question.form_id, question.pk]),
        question_data(kind=QuestionKind.FREE_TEXT),
    )

    question.refresh_from_db()
    assert "its kind cannot change" in response.content.decode()
    assert 'value="I learnt a great deal"' in response.content.decode()
    assert question.kind == QuestionKind.LIKERT


def test_question_of_another_form_answers_404(client, cast):
    form = factories.FeedbackFormFactory(event=factories.event_in(cast.fife))
    stranger = fife_question(cast)
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("events:feedbackquestion_update", args=[form.pk, stranger.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", EDIT)
def test_feedback_question_delete_per_role(client, cast, role):
    question = fife_question(cast, text="Tea?")
    url = reverse("events:feedbackquestion_delete", args=[question.form_id, question.pk])

    confirm = as_user(client, cast, role).get(url)
    posted = client.post(url)

    assert confirm.status_code == EDIT[role]
    assert posted.status_code == (302 if EDIT[role] == 200 else EDIT[role])
    if EDIT[role] == 200:
        assert "Delete “Tea?”?" in confirm.content.decode()
    assert FeedbackQuestion.objects.filter(pk=question.pk).exists() == (EDIT[role] != 200)


def test_answered_question_cannot_be_deleted_and_the_page_says_so(client, cast):
    question = fife_question(cast)
    factories.FeedbackAnswerFactory(
        response=factories.FeedbackResponseFactory(form=question.form), question=question
    )
    unanswered = factories.FeedbackQuestionFactory(form=question.form)
    client.force_login(cast.fife_researcher)
    delete_url = reverse("events:feedbackquestion_delete", args=[question.form_id, question.pk])

    page = client.get(reverse("events:feedbackform_detail", args=[question.form_id]))
    confirm = client.get(delete_url)
    posted = client.post(delete_url, follow=True)

    html = page.content.decode()
    assert "Cannot be deleted: it has 1 answer." in html
    assert delete_url not in html
    assert reverse("events:feedbackquestion_delete", args=[question.form_id, unanswered.pk]) in html
    assert "cannot be deleted" in confirm.content.decode()
    assert "it cannot be deleted" in posted.content.decode()
    assert FeedbackQuestion.objects.filter(pk=question.pk).exists()
