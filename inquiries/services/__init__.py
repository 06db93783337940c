"""Writes on inquiry groups, their members, people and activities."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme
from car_programme.records_version import records_write
from car_programme.revisions import save_with_links
from car_programme.services import (
    authored,
    check_fields,
    delete_file_on_commit,
    refuse_taken,
    set_changed,
)
from car_programme.validators import checked_upload
from inquiries.enums import (
    BACKSTAGE_KINDS,
    ActivityKind,
    ContactDirection,
    GroupStatus,
    LeaveReason,
    MembershipRole,
    Phase,
    ResearcherRole,
)
from inquiries.models import (
    Activity,
    ActivityResearcherRole,
    Attachment,
    Attendance,
    Cycle,
    GroupStatusChange,
    InquiryGroup,
    Membership,
    Person,
    ResearchQuestion,
)
from sites.models import CaseSite, Organisation, Programme


@records_write
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

    Raises DomainError when the group's history already holds ``status`` on ``on``.
    """
    if GroupStatusChange.objects.filter(group=group, status=status, changed_on=on).exists():
        raise DomainError(
            f"The history already records this group as {GroupStatus(status).label.lower()} "
            "on that date."
        )
    change = GroupStatusChange.objects.create(group=group, status=status, changed_on=on, note=note)
    latest = GroupStatusChange.objects.filter(group=group).order_by("-changed_on", "-pk").first()
    if latest.pk == change.pk and group.status != status:
        group.status = status
        authored(group, by).save(update_fields=["status"])
    return change


# --- People -----------------------------------------------------------------------------------

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


# --- Activities -------------------------------------------------------------------------------


def _attachments_add(activity: Activity, files: Iterable[UploadedFile], by: User | None):
    for upload in files:
        original_name = upload.name[:255]
        try:
            # Stored under the detected type's suffix, which downloads are served by.
            checked_upload(upload)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages)) from error
        attachment = Attachment(
            activity=activity, file=upload, original_name=original_name, uploaded_by=by
        )
        authored(attachment, by).save()


def _attendance_set(activity: Activity, people: Iterable[Person], by: User | None):
    # Row by row rather than in bulk, so each arrival and removal keeps its history row.
    wanted = {person.pk: person for person in people}
    check_same_programme(activity.programme, attendees=wanted.values())
    current = {row.person_id: row for row in activity.attendance.all()}
    for person_id, row in current.items():
        if person_id not in wanted:
            authored(row, by).delete()
    for person_id, person in wanted.items():
        if person_id not in current:
            authored(Attendance(activity=activity, person=person), by).save()


def _researcher_roles_set(activity: Activity, roles: Iterable[str]):
    wanted = set(roles)
    activity.researcher_roles.exclude(role__in=wanted).delete()
    current = set(activity.researcher_roles.values_list("role", flat=True))
    ActivityResearcherRole.objects.bulk_create(
        ActivityResearcherRole(activity=activity, role=role) for role in sorted(wanted - current)
    )


def _check_cycle(group: InquiryGroup | None, cycle: Cycle | None):
    if cycle is not None and (group is None or cycle.group_id != group.pk):
        raise DomainError("The cycle belongs to another group.")


def _only_site(group: InquiryGroup) -> CaseSite | None:
    sites = list(group.sites.all()[:2])
    return sites[0] if len(sites) == 1 else None


@records_write
@transaction.atomic
def activity_log(
    *,
    group: InquiryGroup,
    kind: ActivityKind,
    date: dt.date,
    title: str = "",
    duration_minutes: int | None = None,
    cycle: Cycle | None = None,
    phase: Phase | str = "",
    attendees: Iterable[Person] = (),
    notes: str = "",
    researcher_roles: Iterable[ResearcherRole] = (),
    attachments: Iterable[UploadedFile] = (),
    by: User | None = None,
) -> Activity:
    """Record something that happened in ``group``, with who attended and what it produced.

    The activity sits in the group's site when the group has one. Side effects: an Activity,
    one Attendance per attendee, one ActivityResearcherRole per role and one Attachment per
    file (stored under a random name), with history rows.
    """
    check_same_programme(group.programme, cycle=cycle)
    _check_cycle(group, cycle)
    activity = Activity(
        programme=group.programme,
        site=_only_site(group),
        group=group,
        cycle=cycle,
        kind=kind,
        title=title,
        date=date,
        duration_minutes=duration_minutes,
        phase=phase,
        notes=notes,
        recorded_by=by,
    )
    authored(activity, by).save()
    _attendance_set(activity, attendees, by)
    _researcher_roles_set(activity, researcher_roles)
    _attachments_add(activity, attachments, by)
    return activity


ACTIVITY_FIELDS = (
    "kind",
    "title",
    "date",
    "end_date",
    "duration_minutes",
    "cycle",
    "phase",
    "notes",
    "site",
    "count",
    "direction",
)


@records_write
@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    attendees: Iterable[Person] | None = None,
    researcher_roles: Iterable[ResearcherRole] | None = None,
    attachments: Iterable[UploadedFile] = (),
    attachments_removed: Iterable[Attachment] = (),
    by: User | None = None,
    **fields,
) -> Activity:
    """Change an activity; attendees and roles are replaced when given, files added or removed.

    Side effects: updates the row (history row), adds and removes Attendance, roles and
    Attachment rows; a removed attachment's file is deleted from storage once committed.
    """
    check_fields(fields, ACTIVITY_FIELDS)
    check_same_programme(activity.programme, site=fields.get("site"), cycle=fields.get("cycle"))
    if "cycle" in fields:
        _check_cycle(activity.group, fields["cycle"])
    for key, value in fields.items():
        setattr(activity, key, value)
    if fields:
        authored(activity, by).save(update_fields=list(fields))
    if attendees is not None:
        _attendance_set(activity, attendees, by)
    if researcher_roles is not None:
        _researcher_roles_set(activity, researcher_roles)
    for attachment in attachments_removed:
        if attachment.activity_id != activity.pk:
            raise DomainError("The attachment belongs to another activity.")
        _attachment_delete(attachment, by)
    _attachments_add(activity, attachments, by)
    return activity


def _attachment_delete(attachment: Attachment, by: User | None):
    delete_file_on_commit(attachment.file)
    authored(attachment, by).delete()


@records_write
@transaction.atomic
def activity_delete(*, activity: Activity, by: User | None = None) -> None:
    """Delete an activity with its attendance, roles and attachments.

    Side effects: history rows for the deleted rows; the attachments' files are deleted from
    storage once committed.
    """
    for attachment in activity.attachments.all():
        _attachment_delete(attachment, by)
    for row in activity.attendance.all():
        authored(row, by).delete()
    authored(activity, by).delete()


@records_write
@transaction.atomic
def tally_record(
    *,
    site: CaseSite,
    kind: ActivityKind,
    direction: ContactDirection | str,
    count: int,
    week_start: dt.date,
    title: str = "",
    by: User | None = None,
) -> Activity:
    """Record a week's backstage contacts ("12 emails this week") as one tally row.

    Side effects: one Activity with ``count`` over ``week_start`` to six days later.
    """
    if kind not in BACKSTAGE_KINDS:
        raise DomainError("A tally counts emails, phone calls or one-to-ones.")
    if count < 1:
        raise DomainError("A tally counts at least one contact.")
    activity = Activity(
        programme=site.programme,
        site=site,
        kind=kind,
        direction=direction,
        count=count,
        title=title,
        date=week_start,
        end_date=week_start + dt.timedelta(days=6),
        recorded_by=by,
    )
    authored(activity, by).save()
    return activity


GROUP_FIELDS = (
    "name",
    "short_name",
    "kind",
    "topic",
    "description",
    "start_date",
    "end_date",
    "approach",
    "lead_description",
    "parent",
)


def _check_group(*, programme: Programme, name: str, group: InquiryGroup | None = None):
    refuse_taken(
        InquiryGroup.objects.filter(programme=programme, name__iexact=name),
        record=group,
        message=f'The programme already has a group called "{name}".',
    )


@records_write
@transaction.atomic
def group_create(
    *,
    sites: Iterable[CaseSite],
    themes: Iterable = (),
    status: str = GroupStatus.FORMING,
    by: User | None = None,
    **fields,
) -> InquiryGroup:
    """Create a group in ``sites`` (all of one programme), in ``status`` from its start date.

    Side effects: the group, its first status change, its history row.
    """
    sites, themes = list(sites), list(themes)
    if not sites:
        raise DomainError("Choose at least one site.")
    programme = sites[0].programme
    _check_group(programme=programme, name=fields["name"])
    check_same_programme(programme, sites=sites, themes=themes, parent=fields.get("parent"))
    group = InquiryGroup(programme=programme, status=status, **fields)
    save_with_links(group, by=by, links={"sites": sites, "themes": themes})
    GroupStatusChange.objects.create(
        group=group, status=status, changed_on=group.start_date or timezone.localdate()
    )
    return group


@records_write
@transaction.atomic
def group_update(
    *,
    group: InquiryGroup,
    sites: Iterable[CaseSite],
    themes: Iterable = (),
    by: User | None = None,
    **fields,
) -> InquiryGroup:
    """Change a group's description, sites and themes (``sites`` and ``themes`` replace the
    group's: a form keeps the sites its user may not change).

    Side effects: saves the changed fields and links only, with one history row when any
    changed.
    """
    sites, themes = list(sites), list(themes)
    if not sites:
        raise DomainError("Choose at least one site.")
    _check_group(programme=group.programme, name=fields["name"], group=group)
    if fields.get("parent") == group:
        raise DomainError("A group cannot be a spin-off of itself.")
    check_same_programme(group.programme, sites=sites, themes=themes, parent=fields.get("parent"))
    changed = set_changed(group, fields)
    save_with_links(group, by=by, update_fields=changed, links={"sites": sites, "themes": themes})
    return group


@records_write
@transaction.atomic
def group_delete(*, group: InquiryGroup, by: User | None = None) -> None:
    """Delete a group with its memberships, meetings and questions (the history keeps them)."""
    authored(group, by).delete()


@records_write
@transaction.atomic
def research_question_adopt(
    *, group: InquiryGroup, text: str, adopted_on: dt.date, by: User | None = None
) -> ResearchQuestion:
    """Adopt a new research question; the current ones are replaced as of the same day.

    Side effects: sets ``replaced_on`` on the open questions and adds the new one.
    """
    for question in group.research_questions.filter(replaced_on__isnull=True):
        if question.adopted_on and adopted_on < question.adopted_on:
            raise DomainError("A question cannot replace one adopted later.")
        question.replaced_on = adopted_on
        authored(question, by).save(update_fields=["replaced_on"])
    question = ResearchQuestion(group=group, text=text, adopted_on=adopted_on)
    authored(question, by).save()
    return question


# --- Cycles -----------------------------------------------------------------------------------


def _check_cycle_number(*, group: InquiryGroup, number: int, cycle: Cycle | None = None):
    refuse_taken(
        group.cycles.filter(number=number),
        record=cycle,
        message=f"{group} already has a cycle {number}.",
    )


def _check_cycle_dates(start_date: dt.date | None, end_date: dt.date | None):
    if start_date and end_date and end_date < start_date:
        raise DomainError("A cycle cannot end before it starts.")


@records_write
@transaction.atomic
def cycle_create(
    *,
    group: InquiryGroup,
    number: int,
    title: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    by: User | None = None,
) -> Cycle:
    """Add cycle ``number`` to ``group``.

    Side effects: one Cycle row and its history row.
    """
    _check_cycle_number(group=group, number=number)
    _check_cycle_dates(start_date, end_date)
    cycle = Cycle(group=group, number=number, title=title, start_date=start_date, end_date=end_date)
    authored(cycle, by).save()
    return cycle


@records_write
@transaction.atomic
def cycle_update(
    *,
    cycle: Cycle,
    number: int,
    title: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    by: User | None = None,
) -> Cycle:
    """Change a cycle's number, title or dates.

    Side effects: saves the changed fields only (and a history row when any changed).
    """
    _check_cycle_number(group=cycle.group, number=number, cycle=cycle)
    _check_cycle_dates(start_date, end_date)
    fields = {"number": number, "title": title, "start_date": start_date, "end_date": end_date}
    changed = set_changed(cycle, fields)
    if changed:
        authored(cycle, by).save(update_fields=changed)
    return cycle
