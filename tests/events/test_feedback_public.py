import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.enums import QuestionKind
from events.models import FeedbackAnswer, FeedbackQuestion, FeedbackResponse
from tests.factories.events import FeedbackFormFactory, FeedbackQuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def form():
    form = FeedbackFormFactory(title="Retreat feedback")
    FeedbackQuestionFactory(form=form, text="I learnt a lot", position=0)
    FeedbackQuestionFactory(
        form=form, kind=QuestionKind.FREE_TEXT, text="What would you change?", position=1
    )
    return form


def link(form):
    return reverse("events:feedback_respond", args=[form.token])


def answers(form, *, score="4", text="More time"):
    learnt, change = form.questions.order_by("position")
    return {f"q{learnt.pk}": score, f"q{change.pk}": text}


def test_public_form_renders_accessibly_without_sign_in(client, form):
    response = client.get(link(form))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<legend" in page and "I learnt a lot" in page
    assert page.count('type="radio"') == 5
    assert "5: Strongly agree" in page
    assert '<label for="id_q' in page and "<textarea" in page
    assert "csrfmiddlewaretoken" in page


def test_public_answers_are_stored_anonymously(client, form):
    response = client.post(link(form), answers(form))

    assert response["Location"] == reverse("events:feedback_thanks", args=[form.token])
    stored = FeedbackResponse.objects.get(form=form)
    assert sorted(
        (a.question.text, a.score, a.text) for a in stored.answers.select_related("question")
    ) == [("I learnt a lot", 4, ""), ("What would you change?", None, "More time")]
    field_names = {f.name for f in FeedbackResponse._meta.get_fields()}
    assert not field_names & {"user", "ip", "ip_address", "address"}
    assert "Thank you" in client.get(response["Location"]).content.decode()


def test_public_form_refuses_a_post_without_csrf_token(form):
    client = Client(enforce_csrf_checks=True)

    response = client.post(link(form), answers(form))

    assert response.status_code == 403
    assert not FeedbackResponse.objects.exists()


def test_unknown_token_answers_404(client):
    response = client.get(reverse("events:feedback_respond", args=["no-such-token"]))

    assert response.status_code == 404


def test_closed_form_answers_410(client, form):
    form.is_open = False
    form.save()

    shown = client.get(link(form))
    posted = client.post(link(form), answers(form))

    assert shown.status_code == posted.status_code == 410
    assert "This form is closed" in shown.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_form_past_its_closing_time_answers_410(client, form):
    form.closes_at = timezone.now() - dt.timedelta(minutes=1)
    form.save()

    response = client.get(link(form))

    assert response.status_code == 410


def test_invalid_score_is_refused_and_input_kept(client, form):
    response = client.post(link(form), answers(form, score="7", text="Keep this text"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page
    assert "Keep this text" in page
    assert not FeedbackResponse.objects.exists()
    assert not FeedbackAnswer.objects.exists()


def test_empty_submission_is_refused(client, form):
    response = client.post(link(form), answers(form, score="", text=""))

    assert "Answer at least one question" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_honeypot_filled_stores_nothing(client, form):
    response = client.post(link(form), {**answers(form), "website": "http://spam.example"})

    assert response.status_code == 302
    assert not FeedbackResponse.objects.exists()


def test_eleventh_submission_in_a_minute_from_one_address_answers_429(client, form, monkeypatch):
    # A fixed clock keeps all eleven posts in one rate-limit window.
    monkeypatch.setattr("django_ratelimit.core.time.time", lambda: 1_750_000_000.0)

    data = answers(form)
    statuses = [client.post(link(form), data).status_code for _ in range(11)]
    other_address = client.post(link(form), data, REMOTE_ADDR="10.0.0.2")

    assert statuses == [302] * 10 + [429]
    assert other_address.status_code == 302
    assert FeedbackResponse.objects.count() == 11
    limited = client.post(link(form), data)
    assert "Please wait a moment" in limited.content.decode()


@pytest.mark.parametrize("size", [10, 60])
def test_public_form_query_count_does_not_grow(client, django_assert_max_num_queries, size):
    form = FeedbackFormFactory()
    FeedbackQuestion.objects.bulk_create(
        FeedbackQuestion(
            form=form,
            kind=QuestionKind.LIKERT if n % 2 else QuestionKind.FREE_TEXT,
            text=f"Statement {n}",
            position=n,
        )
        for n in range(size)
    )

    # The form with its event, and its questions.
    with django_assert_max_num_queries(2):
        response = client.get(link(form))

    assert len(response.context["form"].questions) == size
    assert response.content.decode().count("Statement ") == size
