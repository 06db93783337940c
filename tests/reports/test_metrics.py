import pytest

from events.enums import QuestionKind
from events.models import FeedbackForm
from events.selectors import feedback_statement_shares
from tests import factories

pytestmark = pytest.mark.django_db


def answer(question, score):
    factories.FeedbackAnswerFactory(
        response=factories.FeedbackResponseFactory(form=question.form),
        question=question,
        score=score,
    )


def test_feedback_statement_shares_counts_scores_of_4_or_5(django_assert_num_queries):
    form = factories.FeedbackFormFactory()
    learnt = factories.FeedbackQuestionFactory(form=form, text="I learnt a lot", position=0)
    enjoyed = factories.FeedbackQuestionFactory(form=form, text="I enjoyed the process", position=1)
    for score in (5, 4, 4, 2):
        answer(learnt, score)
    for score in (3, 5):
        answer(enjoyed, score)

    with django_assert_num_queries(1):
        shares = feedback_statement_shares(forms=FeedbackForm.objects.filter(pk=form.pk))

    assert [(s.text, s.responses, s.agreeing, s.share) for s in shares] == [
        ("I learnt a lot", 4, 3, 75.0),
        ("I enjoyed the process", 2, 1, 50.0),
    ]


def test_feedback_statement_shares_skip_free_text_and_other_forms():
    form = factories.FeedbackFormFactory()
    factories.FeedbackQuestionFactory(form=form, kind=QuestionKind.FREE_TEXT, text="What else?")
    statement = factories.FeedbackQuestionFactory(form=form)
    answer(statement, 1)
    other = factories.FeedbackQuestionFactory()
    answer(other, 5)

    shares = feedback_statement_shares(forms=[form])

    assert [(s.question_id, s.share) for s in shares] == [(statement.pk, 0.0)]


def test_feedback_statement_without_responses_keeps_its_published_range():
    question = factories.FeedbackQuestionFactory(published_share_min=75, published_share_max=85)

    (share,) = feedback_statement_shares(forms=[question.form])

    assert share.share is None
    assert share.has_published_range
    assert (share.published_min, share.published_max) == (75, 85)
