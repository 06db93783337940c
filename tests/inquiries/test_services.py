import datetime as dt

import pytest

from car_programme.exceptions import DomainError
from inquiries.enums import GroupStatus, LeaveReason, MembershipRole
from inquiries.services import (
    group_status_change,
    membership_add,
    membership_change_role,
    membership_end,
)
from tests.factories.accounts import UserFactory
from tests.factories.inquiries import InquiryGroupFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

JOINED = dt.date(2015, 6, 1)
MOVED = dt.date(2016, 3, 1)


def test_role_change_keeps_the_earlier_role_as_history():
    researcher = UserFactory()
    core = MembershipFactory(role=MembershipRole.CORE, joined_on=JOINED)

    periphery = membership_change_role(
        membership=core, role=MembershipRole.PERIPHERY, as_of=MOVED, by=researcher
    )

    core.refresh_from_db()
    assert (core.left_on, core.leave_reason) == (MOVED, LeaveReason.ROLE_CHANGE)
    assert (periphery.role, periphery.joined_on, periphery.left_on) == (
        MembershipRole.PERIPHERY,
        MOVED,
        None,
    )
    assert core.history.first().history_user == researcher


def test_role_change_to_the_same_role_is_refused():
    core = MembershipFactory(role=MembershipRole.CORE)

    with pytest.raises(DomainError, match="already Core"):
        membership_change_role(membership=core, role=MembershipRole.CORE, as_of=MOVED)


def test_adding_a_current_member_again_is_refused():
    membership = MembershipFactory()

    with pytest.raises(DomainError, match="already a member"):
        membership_add(
            group=membership.group,
            person=membership.person,
            role=MembershipRole.PERIPHERY,
            joined_on=MOVED,
        )


def test_adding_a_person_of_another_programme_is_refused():
    with pytest.raises(DomainError, match="another programme"):
        membership_add(
            group=InquiryGroupFactory(),
            person=PersonFactory(),
            role=MembershipRole.CORE,
            joined_on=JOINED,
        )


def test_leaving_before_joining_is_refused():
    membership = MembershipFactory(joined_on=MOVED)

    with pytest.raises(DomainError, match="before joining"):
        membership_end(membership=membership, left_on=JOINED, reason=LeaveReason.CAPACITY)


def test_status_change_moves_the_current_status_and_keeps_the_history():
    group = InquiryGroupFactory(status=GroupStatus.FORMING)

    group_status_change(group=group, status=GroupStatus.ACTIVE, on=JOINED)
    group_status_change(group=group, status=GroupStatus.DORMANT, on=MOVED)

    group.refresh_from_db()
    assert group.status == GroupStatus.DORMANT
    assert list(group.status_changes.values_list("status", flat=True)) == [
        GroupStatus.ACTIVE,
        GroupStatus.DORMANT,
    ]


def test_status_change_recorded_late_for_an_earlier_date_keeps_the_current_status():
    group = InquiryGroupFactory(status=GroupStatus.FORMING)
    group_status_change(group=group, status=GroupStatus.DORMANT, on=MOVED)

    group_status_change(group=group, status=GroupStatus.ACTIVE, on=JOINED)

    group.refresh_from_db()
    assert group.status == GroupStatus.DORMANT
