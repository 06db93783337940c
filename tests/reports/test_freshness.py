"""A write to any record of a programme moves its records versions on, and only its own."""

import datetime as dt

import pytest
from django.apps import apps
from zeal import zeal_ignore

from car_programme import records_version
from inquiries.enums import ActivityKind
from inquiries.services import activity_delete, activity_log, activity_update, group_delete
from reports import freshness
from reports.metrics import MetricScope
from sites.models import Programme
from tests import factories
from tests.reports.versions import version

pytestmark = pytest.mark.django_db

D = dt.date(2016, 5, 1)


def test_writes_move_their_programme_on_and_no_other():
    programme, other = factories.ProgrammeFactory(), factories.ProgrammeFactory()
    group = factories.InquiryGroupFactory(programme=programme)
    before, other_before = version(programme), version(other)

    activity = activity_log(group=group, kind=ActivityKind.GROUP_MEETING, date=D)
    after_activity = version(programme)
    # Both services read the activity's attendance once; two writes are not an N+1 of a page.
    with zeal_ignore():
        activity_update(activity=activity, attendees=[factories.PersonFactory(programme=programme)])
    after_attendance = version(programme)
    activity_delete(activity=activity)

    assert before < after_activity < after_attendance < version(programme)
    assert version(other) == other_before


def test_cached_figures_are_recomputed_after_a_write():
    programme = factories.ProgrammeFactory()
    group = factories.InquiryGroupFactory(programme=programme)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    def read():
        scope = MetricScope(programme=Programme.objects.get(pk=programme.pk))
        return freshness.cached(scope, "figure", compute)

    assert read() == read() == 1
    activity_log(group=group, kind=ActivityKind.GROUP_MEETING, date=D)
    assert read() == 2


def test_a_record_two_steps_from_its_programme_moves_it_on_in_one_query(
    django_assert_num_queries,
):
    programme = factories.ProgrammeFactory()
    question = factories.FeedbackQuestionFactory(form__event__programme=programme)
    before = version(programme)

    with django_assert_num_queries(1):
        records_version.records_written(question)

    assert version(programme) == before + 1


def test_writes_nested_in_one_another_move_the_programme_on_once():
    programme = factories.ProgrammeFactory()
    group = factories.InquiryGroupFactory(programme=programme)
    before = version(programme)

    with records_version.records_writing():
        activity = activity_log(group=group, kind=ActivityKind.GROUP_MEETING, date=D)
        activity_update(activity=activity, title="Renamed")

    # The activity's group (of no site), once.
    assert version(programme) == before + 1


def test_deleting_a_group_with_its_records_moves_its_programme_on():
    programme = factories.ProgrammeFactory()
    group = factories.InquiryGroupFactory(programme=programme)
    factories.MembershipFactory(group=group)
    factories.ActivityFactory(programme=programme, group=group)
    before = version(programme)

    group_delete(group=group)

    assert version(programme) > before


def test_every_model_of_the_programme_apps_has_a_way_to_its_programme():
    labels = {
        model._meta.label
        for app in ("sites", "inquiries", "evidence", "events")
        for model in apps.get_app_config(app).get_models()
        if not model._meta.label.split(".")[1].startswith("Historical")
    }
    assert labels <= set(records_version.PROGRAMME_OF)
