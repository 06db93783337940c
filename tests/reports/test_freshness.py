"""A write to any record of a programme moves its records version on, and only its own."""

import datetime as dt

import pytest

from reports import freshness
from reports.metrics import MetricScope
from sites.models import Programme
from tests.factories.events import FeedbackQuestionFactory
from tests.factories.inquiries import (
    ActivityFactory,
    InquiryGroupFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.factories.sites import ProgrammeFactory

pytestmark = pytest.mark.django_db


def version(programme) -> int:
    return Programme.objects.values_list("records_version", flat=True).get(pk=programme.pk)


def test_writes_move_their_programme_on_and_no_other():
    programme, other = ProgrammeFactory(), ProgrammeFactory()
    group = InquiryGroupFactory(programme=programme)
    before, other_before = version(programme), version(other)

    activity = ActivityFactory(programme=programme, group=group)
    after_activity = version(programme)
    activity.attendees.add(PersonFactory(programme=programme))
    after_attendance = version(programme)
    activity.delete()

    assert before < after_activity < after_attendance < version(programme)
    assert version(other) == other_before


def test_cached_figures_are_recomputed_after_a_write():
    programme = ProgrammeFactory()
    group = InquiryGroupFactory(programme=programme)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    def read():
        scope = MetricScope(programme=Programme.objects.get(pk=programme.pk))
        return freshness.cached(scope, "figure", compute)

    assert read() == read() == 1
    ActivityFactory(programme=programme, group=group, date=dt.date(2016, 5, 1))
    assert read() == 2


def test_a_record_two_steps_from_its_programme_moves_it_on_in_one_query(
    django_assert_num_queries,
):
    programme = ProgrammeFactory()
    question = FeedbackQuestionFactory(form__event__programme=programme)
    before = version(programme)

    with django_assert_num_queries(1):
        freshness._on_write(sender=type(question), instance=question)

    assert version(programme) == before + 1


def test_deleting_a_group_with_its_records_moves_its_programme_on():
    programme = ProgrammeFactory()
    group = InquiryGroupFactory(programme=programme)
    MembershipFactory(group=group)
    ActivityFactory(programme=programme, group=group)
    before = version(programme)

    group.delete()

    assert version(programme) > before
