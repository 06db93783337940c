"""Writes on the people taking part in a programme, and their memberships of groups."""

import datetime as dt
import uuid

from django.db import transaction

from accounts.models import User
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme
from car_programme.records_version import records_write
from car_programme.services import authored, check_fields, refuse_taken
from inquiries.enums import LeaveReason, MembershipRole
from inquiries.models import InquiryGroup, Membership, Person
from inquiries.rollups import co_attendance_of_person, rollups_refresh
from sites.models import CaseSite, Organisation, Programme

__all__ = [
    "PERSON_FIELDS",
    "membership_add",
    "membership_add_new_person",
    "membership_change_role",
    "membership_end",
    "person_create",
    "person_delete",
    "person_update",
]

PERSON_FIELDS = (
    "site",
    "name",
    "pseudonym",
    "email",
    "phone",
    "organisation",
    "job_title",
    "level",
    "occupation_category",
    "research_experience",
)


def _new_pseudonym(programme: Programme) -> str:
    while True:
        pseudonym = f"P-{uuid.uuid4().hex[:6].upper()}"
        if not programme.people.filter(pseudonym=pseudonym).exists():
            return pseudonym


def _check_person_fields(programme: Programme, fields: dict, *, person: Person | None = None):
    check_same_programme(
        programme, site=fields.get("site"), organisation=fields.get("organisation")
    )
    pseudonym = fields.get("pseudonym")
    if pseudonym:
        refuse_taken(
            programme.people.filter(pseudonym=pseudonym),
            record=person,
            message=f"The pseudonym {pseudonym} is already used in this programme.",
        )


@records_write
@transaction.atomic
def person_create(
    *,
    programme: Programme,
    name: str,
    pseudonym: str = "",
    site: CaseSite | None = None,
    organisation: Organisation | None = None,
    by: User | None = None,
    **details,
) -> Person:
    """Record a participant; a pseudonym is made up when none is given.

    Side effects: one Person row and its history row.
    """
    check_fields(details, PERSON_FIELDS)
    fields = {"site": site, "organisation": organisation, "pseudonym": pseudonym, **details}
    _check_person_fields(programme, fields)
    person = Person(
        programme=programme,
        name=name,
        **{**fields, "pseudonym": pseudonym or _new_pseudonym(programme)},
    )
    authored(person, by).save()
    return person


@records_write
@transaction.atomic
def person_update(*, person: Person, by: User | None = None, **fields) -> Person:
    """Change a person's details; only the fields given are written.

    Side effects: updates the row and adds a history row.
    """
    check_fields(fields, PERSON_FIELDS)
    _check_person_fields(person.programme, fields, person=person)
    if "pseudonym" in fields and not fields["pseudonym"]:
        raise DomainError("A person needs a pseudonym.")
    for key, value in fields.items():
        setattr(person, key, value)
    authored(person, by).save(update_fields=list(fields))
    if "organisation" in fields:
        rollups_refresh(co_attendance_of_person(person))
    return person


@records_write
@transaction.atomic
def person_delete(*, person: Person, by: User | None = None) -> None:
    """Delete a person who never took part in anything.

    A person with memberships or attendance is part of the programme's figures: erase them
    (anonymise in place) instead. Side effects: deletes the row, adds a history row.
    """
    if person.memberships.exists() or person.attendance.exists():
        raise DomainError(
            f"{person.pseudonym} is a member of a group or attended an activity; "
            "deleting them would change the programme's figures."
        )
    authored(person, by).delete()


@records_write(reads=("group", "person"))
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
    check_same_programme(group.programme, person=person)
    if group.memberships.filter(person=person, left_on__isnull=True).exists():
        raise DomainError(f"{person} is already a member of {group}.")
    membership = Membership(group=group, person=person, role=role, joined_on=joined_on)
    authored(membership, by).save()
    return membership


@records_write
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
    authored(membership, by).save(update_fields=["left_on", "leave_reason"])
    return membership


@records_write
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


@records_write
@transaction.atomic
def membership_add_new_person(
    *,
    group: InquiryGroup,
    name: str,
    pseudonym: str = "",
    organisation: Organisation | None = None,
    role: MembershipRole,
    joined_on: dt.date | None,
    by: User | None = None,
) -> Membership:
    """Record a new person and add them to ``group`` in one step.

    The person's site is the group's when the group has one site. Side effects: a Person and a
    Membership row, each with its history row.
    """
    sites = list(group.sites.all()[:2])
    person = person_create(
        programme=group.programme,
        name=name,
        pseudonym=pseudonym,
        organisation=organisation,
        site=sites[0] if len(sites) == 1 else None,
        by=by,
    )
    return membership_add(group=group, person=person, role=role, joined_on=joined_on, by=by)
