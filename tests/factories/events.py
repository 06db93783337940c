import datetime as dt

import factory

from events import models
from events.enums import EventKind, QuestionKind
from tests.factories.sites import ProgrammeRecordFactory, numbered


class EventFactory(ProgrammeRecordFactory):
    class Meta:
        model = models.Event

    title = numbered("Event")
    kind = EventKind.LEARNING_DAY
    start_date = dt.date(2016, 2, 23)


class AttendanceCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AttendanceCount

    event = factory.SubFactory(EventFactory)
    count = 42


class FeedbackFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeedbackForm

    event = factory.SubFactory(EventFactory)
    title = numbered("Feedback")


class FeedbackQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeedbackQuestion

    form = factory.SubFactory(FeedbackFormFactory)
    kind = QuestionKind.LIKERT
    text = numbered("Statement")


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeedbackResponse

    form = factory.SubFactory(FeedbackFormFactory)


class FeedbackAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeedbackAnswer

    response = factory.SubFactory(FeedbackResponseFactory)
    question = factory.SubFactory(
        FeedbackQuestionFactory, form=factory.SelfAttribute("..response.form")
    )
    score = 4


def event_in(site, **kwargs):
    """An event of ``site`` alone."""
    event = EventFactory(programme=site.programme, **kwargs)
    event.sites.set([site])
    return event
