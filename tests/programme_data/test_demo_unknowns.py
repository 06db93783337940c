"""What the seeds do not say stays unknown in the demo: no date, no leaving, no meeting count
is made up (cited as seed:line)."""

import datetime as dt

import pytest
from django.db.models import DateField, ExpressionWrapper, F

from inquiries.enums import ActivityKind, MembershipRole
from inquiries.models import Activity, InquiryGroup, Membership
from inquiries.selectors import group_list_with_counts, memberships_open_on
from reports import metrics
from reports.metrics import MetricScope

pytestmark = pytest.mark.django_db

END_OF_PROGRAMME = dt.date(2017, 12, 31)


def test_no_membership_counts_as_present_after_its_group_ended(demo_programme):
    day_after_end = ExpressionWrapper(
        F("group__end_date") + dt.timedelta(days=1), output_field=DateField()
    )
    ended = Membership.objects.filter(
        group__programme=demo_programme, group__end_date__isnull=False
    )

    assert ended.exists()
    assert not ended.filter(memberships_open_on(on=day_after_end)).exists()


def test_core_members_at_the_programmes_end_are_those_of_groups_still_running(demo_programme):
    running = Membership.objects.filter(
        group__programme=demo_programme, role=MembershipRole.CORE
    ).exclude(group__end_date__lt=END_OF_PROGRAMME)

    core = metrics.participation(scope=MetricScope(programme=demo_programme), on=END_OF_PROGRAMME)

    assert core.core == running.values("person").distinct().count()


def test_activities_the_seeds_do_not_date_stay_undated(demo_programme):
    # 000:1319: discussions with the Community Health in Partnership Team, neither dated nor
    # counted (its "(5)" is the team's members).
    discussions = Activity.objects.get(
        programme=demo_programme, title="Discussions with Community Health in Partnership Team"
    )

    assert discussions.date is None and discussions.count_unknown
    per_month = metrics.activities_by_kind_per_month(scope=MetricScope(programme=demo_programme))
    assert per_month.unplaced_in([ActivityKind.DATA_ANALYSIS]) >= 1  # 000:1315, undated


def test_meetings_the_seeds_list_without_a_number_have_no_count(demo_programme):
    # 000:1177: "relationship building meetings with most of the original applicants".
    group = group_list_with_counts(
        queryset=InquiryGroup.objects.filter(
            programme=demo_programme, activities__title__startswith="Relationship building"
        )
    ).get()

    assert (group.meeting_count, group.meetings_uncounted) == (0, 1)
