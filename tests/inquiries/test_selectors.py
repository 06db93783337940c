import datetime as dt

import pytest

from inquiries.enums import ActivityKind, LeaveReason, MembershipRole
from inquiries.models import InquiryGroup
from inquiries.selectors import (
    group_attendee_choices,
    group_list_with_counts,
    person_list_for_user,
)
from tests.factories.inquiries import (
    ActivityFactory,
    InquiryGroupFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

JOINED = dt.date(2015, 6, 1)
ROLE_CHANGE = dt.date(2016, 3, 1)


@pytest.fixture
def group():
    """Two core members and one periphery member; one core member moves to the periphery."""
    group = InquiryGroupFactory()
    moving = MembershipFactory(group=group, role=MembershipRole.CORE, joined_on=JOINED)
    MembershipFactory(group=group, role=MembershipRole.CORE, joined_on=JOINED)
    MembershipFactory(group=group, role=MembershipRole.PERIPHERY, joined_on=None)
    moving.left_on = ROLE_CHANGE
    moving.leave_reason = LeaveReason.ROLE_CHANGE
    moving.save(update_fields=["left_on", "leave_reason"])
    MembershipFactory(
        group=group, person=moving.person, role=MembershipRole.PERIPHERY, joined_on=ROLE_CHANGE
    )
    return group


def counts(group, on):
    counted = group_list_with_counts(queryset=InquiryGroup.objects.filter(pk=group.pk), on=on)
    row = counted.get()
    return row.core_count, row.periphery_count


def test_counts_before_a_role_change(group):
    assert counts(group, ROLE_CHANGE - dt.timedelta(days=1)) == (2, 1)


def test_counts_on_the_day_of_a_role_change_count_the_new_role(group):
    assert counts(group, ROLE_CHANGE) == (1, 2)


def test_counts_before_anyone_joined_include_only_unknown_join_dates(group):
    group.start_date = JOINED - dt.timedelta(days=30)
    group.save(update_fields=["start_date"])

    assert counts(group, JOINED - dt.timedelta(days=1)) == (0, 1)


def test_an_unknown_join_date_counts_from_the_groups_start_not_before(group):
    assert counts(group, group.start_date - dt.timedelta(days=1)) == (0, 0)


GROUP_END = dt.date(2016, 12, 31)


def test_an_unknown_leaving_date_counts_until_the_groups_end(group):
    group.end_date = GROUP_END
    group.save(update_fields=["end_date"])

    assert counts(group, GROUP_END) == (1, 2)


def test_an_unknown_leaving_date_does_not_count_after_the_groups_end(group):
    group.end_date = GROUP_END
    group.save(update_fields=["end_date"])

    assert counts(group, GROUP_END + dt.timedelta(days=1)) == (0, 0)


def test_a_group_without_an_end_keeps_members_of_unknown_leaving_date():
    group = InquiryGroupFactory(end_date=None)
    MembershipFactory(group=group, joined_on=None)

    assert counts(group, dt.date(2030, 1, 1)) == (1, 0)


def test_meeting_count_adds_tallies_and_ignores_other_kinds():
    group = InquiryGroupFactory()
    ActivityFactory.create_batch(3, programme=group.programme, group=group)
    ActivityFactory(programme=group.programme, group=group, count=2)
    ActivityFactory(programme=group.programme, group=group, kind=ActivityKind.EMAIL, count=12)

    row = group_list_with_counts(queryset=InquiryGroup.objects.filter(pk=group.pk)).get()

    assert row.meeting_count == 5


def test_counts_of_many_groups_take_one_query(django_assert_num_queries):
    for group in InquiryGroupFactory.create_batch(5):
        MembershipFactory.create_batch(2, group=group)

    with django_assert_num_queries(1):
        rows = list(group_list_with_counts(on=JOINED))

    assert [row.core_count for row in rows] == [2] * 5


def test_meetings_listed_without_a_number_are_uncounted_not_one():
    group = InquiryGroupFactory()
    ActivityFactory(programme=group.programme, group=group, count=2)
    ActivityFactory(programme=group.programme, group=group, count_unknown=True)

    row = group_list_with_counts(queryset=InquiryGroup.objects.filter(pk=group.pk)).get()

    assert (row.meeting_count, row.meetings_uncounted) == (2, 1)


def test_people_are_listed_by_what_the_reader_sees_in_natural_order(cast):
    """A researcher sees names: "Member 2" before "Member 10". A strategy lead sees the
    pseudonyms of people who have not consented: ordered by those, never by the hidden names."""
    for name, pseudonym in [("Member 10", "FIF-2"), ("member 2", "FIF-10"), ("Abe", "FIF-3")]:
        PersonFactory(programme=cast.programme, site=cast.fife, name=name, pseudonym=pseudonym)

    def listed(user):
        return [person.label for person in person_list_for_user(user=user)]

    assert listed(cast.fife_researcher) == ["Abe", "member 2", "Member 10"]
    assert listed(cast.fife_lead) == ["FIF-2", "FIF-3", "FIF-10"]


def test_attendance_offers_current_members_first_each_role_in_natural_order(cast):
    group = InquiryGroupFactory(programme=cast.programme)
    group.sites.set([cast.fife])
    for name, role in [
        ("Member 10", MembershipRole.CORE),
        ("Member 9", MembershipRole.PERIPHERY),
        ("Member 2", MembershipRole.CORE),
    ]:
        person = PersonFactory(programme=cast.programme, site=cast.fife, name=name)
        MembershipFactory(group=group, person=person, role=role, joined_on=JOINED)
    outsider = PersonFactory(programme=cast.programme, site=cast.fife, name="Member 1")

    choices = group_attendee_choices(
        group=group, user=cast.fife_researcher, on=ROLE_CHANGE, include=[outsider.pk]
    )

    assert [person.label for person in choices] == ["Member 2", "Member 10", "Member 9", "Member 1"]
