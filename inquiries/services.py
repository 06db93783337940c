"""Writes on inquiry groups and their members."""

import datetime as dt

from django.db import transaction

from accounts.models import User
from car_programme.exceptions import DomainError
from inquiries.enums import GroupStatus, LeaveReason, MembershipRole
from inquiries.models import GroupStatusChange, InquiryGroup, Membership, Person


def _by(instance, by: User | None):
    # django-simple-history reads the author of a change from this attribute.
    instance._history_user = by
    return instance


@transaction.atomic
def membership_add(
    *,
    group: InquiryGroup,
    person: Person,
    role: MembershipRole,
    joined_on: dt.date | None,
    by: User | None = None,
) -> Membership:
    """Add ``person`` to ``group`` in ``role``.

    Side effects: one Membership row and its history row.
    """
    if person.programme_id != group.programme_id:
        raise DomainError("The person belongs to another programme.")
    if group.memberships.filter(person=person, left_on__isnull=True).exists():
        raise DomainError(f"{person} is already a member of {group}.")
    membership = Membership(group=group, person=person, role=role, joined_on=joined_on)
    _by(membership, by).save()
    return membership


@transaction.atomic
def membership_end(
    *,
    membership: Membership,
    left_on: dt.date,
    reason: LeaveReason,
    by: User | None = None,
) -> Membership:
    """Record that a member left; the membership stays, closed, in the group's history.

    Side effects: updates the membership and adds a history row.
    """
    if membership.left_on is not None:
        raise DomainError(f"{membership.person} already left on {membership.left_on}.")
    if membership.joined_on and left_on < membership.joined_on:
        raise DomainError("A member cannot leave before joining.")
    membership.left_on = left_on
    membership.leave_reason = reason
    _by(membership, by).save(update_fields=["left_on", "leave_reason"])
    return membership


@transaction.atomic
def membership_change_role(
    *,
    membership: Membership,
    role: MembershipRole,
    as_of: dt.date,
    by: User | None = None,
) -> Membership:
    """Move a member to ``role`` from ``as_of``, keeping the earlier role as history.

    Side effects: closes ``membership`` on ``as_of`` (reason: role change) and opens a new
    membership in ``role`` from the same day; both get history rows. Returns the new one.
    """
    if membership.role == role:
        raise DomainError(f"{membership.person} is already {membership.get_role_display()}.")
    membership_end(membership=membership, left_on=as_of, reason=LeaveReason.ROLE_CHANGE, by=by)
    return membership_add(
        group=membership.group, person=membership.person, role=role, joined_on=as_of, by=by
    )


@transaction.atomic
def group_status_change(
    *,
    group: InquiryGroup,
    status: GroupStatus,
    on: dt.date,
    note: str = "",
    by: User | None = None,
) -> GroupStatusChange:
    """Record that ``group`` moved to ``status`` on ``on``.

    Side effects: adds a GroupStatusChange row; sets the group's current status when this is
    its latest change (a change recorded late for an earlier date leaves it as it is).
    """
    change = GroupStatusChange.objects.create(group=group, status=status, changed_on=on, note=note)
    latest = group.status_changes.order_by("-changed_on", "-pk").first()
    if latest.pk == change.pk and group.status != status:
        group.status = status
        _by(group, by).save(update_fields=["status"])
    return change
