"""The participation of every group at once: each row what the single-group metrics give for a
scope narrowed to that group, in a number of queries that does not grow with the groups."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries.enums import LeaveReason, MembershipRole
from reports import metrics
from reports.metrics import MetricScope
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date


def _group_with_records(programme, site, n: int):
    """A group whose members join, change role and leave across quarters, with meetings timed
    and not, attended by name or by a head count, a tally and a row of no known number."""
    group = factories.InquiryGroupFactory(
        programme=programme, name=f"Group {n:02d}", start_date=D(2015, 1, 1)
    )
    group.sites.set([site])
    members = [
        factories.MembershipFactory(group=group, joined_on=D(2015, 1 + (i + n) % 12, 1))
        for i in range(2 + n % 3)
    ]
    # A role change: one person, neither a leaver nor a joiner.
    moved = members[0]
    moved.left_on, moved.leave_reason = D(2016, 2, 1), LeaveReason.ROLE_CHANGE
    moved.save()
    factories.MembershipFactory(
        group=group, person=moved.person, role=MembershipRole.PERIPHERY, joined_on=D(2016, 2, 1)
    )
    factories.MembershipFactory(
        group=group,
        joined_on=D(2015, 3, 1),
        left_on=D(2016, 3 + n % 6, 1),
        leave_reason=LeaveReason.CAPACITY,
    )
    factories.MembershipFactory(group=group, joined_on=None)  # joined on an unknown day
    if n == 1:
        # A stray date already in the database, in no quarter the turnover table shows.
        factories.MembershipFactory(group=group, joined_on=D(1, 1, 1), left_on=D(9999, 12, 15))
    named = factories.ActivityFactory(
        programme=programme, group=group, date=D(2016, 1, 12), duration_minutes=60 + 15 * n
    )
    for membership in members:
        factories.AttendanceFactory(activity=named, person=membership.person)
    factories.ActivityFactory(
        programme=programme, group=group, date=D(2016, 9, 1), attendance_total=3 + n
    )
    factories.ActivityFactory(programme=programme, group=group, date=D(2015, 7, 1), count=4)
    factories.ActivityFactory(
        programme=programme, group=group, date=None, count_unknown=True, duration_minutes=30
    )
    return group


def _programme(n_groups: int):
    programme = factories.ProgrammeFactory()
    site = factories.CaseSiteFactory(programme=programme)
    groups = [_group_with_records(programme, site, n) for n in range(n_groups)]
    factories.InquiryGroupFactory(programme=programme, name="Group without records")
    return programme, site, groups


def _alone(scope: MetricScope, group) -> tuple:
    """The row of ``group`` as the single-group metrics give it."""
    alone = MetricScope(programme=scope.programme, group=group, start=scope.start, end=scope.end)
    turnover = metrics.turnover_by_quarter(scope=alone)
    hours = metrics.meeting_hours(scope=alone)
    return (
        metrics.participation(scope=alone).people,
        sum(q.joiners for q in turnover.quarters) + turnover.joiners_unplaced,
        turnover.joiners_unplaced,
        sum(q.leavers for q in turnover.quarters),
        hours.meetings_with_duration,
        hours.minutes,
        metrics.attendance_per_meeting(scope=alone).mean,
    )


def _row(row: metrics.GroupParticipation) -> tuple:
    return (
        row.people,
        row.joiners,
        row.joiners_unplaced,
        row.leavers,
        row.meetings_with_duration,
        row.minutes,
        row.mean_attendance,
    )


@pytest.mark.parametrize(
    "dates",
    [{}, {"start": D(2015, 3, 1), "end": D(2016, 6, 30)}, {"start": D(2016, 4, 1)}],
    ids=["whole programme", "a range", "from a date"],
)
def test_each_group_row_is_what_the_group_alone_gives(dates):
    programme, site, groups = _programme(3)

    for scope in (
        MetricScope(programme=programme, **dates),
        MetricScope(programme=programme, site=site, **dates),
    ):
        rows = metrics.group_participation(scope=scope)

        in_scope = list(scope.groups().order_by("name", "pk"))
        assert [row.group_id for row in rows] == [group.pk for group in in_scope]
        assert {group.pk for group in groups} <= {row.group_id for row in rows}
        for row in rows:
            group = next(group for group in in_scope if group.pk == row.group_id)
            assert _row(row) == _alone(scope, group), group.name


def test_the_rows_hold_the_figures_of_the_records():
    programme, _, (group, *_) = _programme(1)

    rows = metrics.group_participation(scope=MetricScope(programme=programme))

    first, empty = rows
    # Two members, the role change's person once, a leaver and one of unknown joining date.
    assert (first.group_name, first.people, first.joiners, first.joiners_unplaced) == (
        group.name,
        4,
        4,
        1,
    )
    assert first.leavers == 1
    # The timed meeting only: the tally has no duration, the row of no number is no meeting.
    assert (first.meetings_with_duration, first.hours) == (1, 1.0)
    # Two named attendees at one meeting, a head count of 3 at the other.
    assert first.mean_attendance == pytest.approx(2.5)
    assert _row(empty) == (0, 0, 0, 0, 0, 0, None)
    assert empty.group_name == "Group without records"


def _queries(n_groups: int) -> int:
    programme, site, _ = _programme(n_groups)
    scope = MetricScope(programme=programme, site=site, start=D(2015, 1, 1), end=D(2017, 1, 1))
    with CaptureQueriesContext(connection) as captured:
        metrics.group_participation(scope=scope)
    return len(captured)


def test_the_queries_do_not_grow_with_the_groups():
    assert _queries(3) == _queries(10) == 6
