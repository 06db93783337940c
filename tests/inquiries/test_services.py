import datetime as dt

import pytest

from car_programme.exceptions import DomainError
from inquiries import services
from inquiries.enums import GroupStatus, LeaveReason, MembershipRole
from tests import factories

pytestmark = pytest.mark.django_db

JOINED = dt.date(2015, 6, 1)
MOVED = dt.date(2016, 3, 1)


def test_role_change_keeps_the_earlier_role_as_history():
    researcher = factories.UserFactory()
    core = factories.MembershipFactory(role=MembershipRole.CORE, joined_on=JOINED)

    periphery = services.membership_change_role(
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
    core = factories.MembershipFactory(role=MembershipRole.CORE)

    with pytest.raises(DomainError, match="already Core"):
        services.membership_change_role(membership=core, role=MembershipRole.CORE, as_of=MOVED)


def test_adding_a_current_member_again_is_refused():
    membership = factories.MembershipFactory()

    with pytest.raises(DomainError, match="already a member"):
        services.membership_add(
            group=membership.group,
            person=membership.person,
            role=MembershipRole.PERIPHERY,
            joined_on=MOVED,
        )


def test_adding_a_person_of_another_programme_is_refused():
    with pytest.raises(DomainError, match="another programme"):
        services.membership_add(
            group=factories.InquiryGroupFactory(),
            person=factories.PersonFactory(),
            role=MembershipRole.CORE,
            joined_on=JOINED,
        )


def test_leaving_before_joining_is_refused():
    membership = factories.MembershipFactory(joined_on=MOVED)

    with pytest.raises(DomainError, match="before joining"):
        services.membership_end(membership=membership, left_on=JOINED, reason=LeaveReason.CAPACITY)


@pytest.mark.parametrize(
    "recorded_on", [(JOINED, MOVED), (MOVED, JOINED)], ids=["in_order", "earlier_date_late"]
)
def test_status_change_keeps_the_latest_status_current_and_the_history_by_date(recorded_on):
    group = factories.InquiryGroupFactory(status=GroupStatus.FORMING)
    status_on = {JOINED: GroupStatus.ACTIVE, MOVED: GroupStatus.DORMANT}

    for on in recorded_on:
        services.group_status_change(group=group, status=status_on[on], on=on)

    group.refresh_from_db()
    assert group.status == GroupStatus.DORMANT
    assert list(group.status_changes.values_list("status", flat=True)) == [
        GroupStatus.ACTIVE,
        GroupStatus.DORMANT,
    ]
