"""Writes on activities: meetings and the like, their attendance and files, and tallies."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme
from car_programme.records_version import records_write
from car_programme.services import authored, check_fields, delete_file_on_commit
from car_programme.validators import checked_upload
from inquiries.enums import BACKSTAGE_KINDS, ActivityKind, ContactDirection, Phase, ResearcherRole
from inquiries.models import (
    Activity,
    ActivityResearcherRole,
    Attachment,
    Attendance,
    Cycle,
    InquiryGroup,
    Person,
)
from inquiries.rollups import rollups_refresh, rollups_refreshed
from sites.models import CaseSite

__all__ = ["ACTIVITY_FIELDS", "activity_delete", "activity_log", "activity_update", "tally_record"]


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


@records_write(reads=("group", "cycle"))
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
    rollups_refresh([activity.pk])
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


@records_write(reads=("site", "cycle"))
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
    # Counted again where it now is, by what it now says, and no longer where it was.
    with rollups_refreshed([activity.pk]):
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
    with rollups_refreshed([activity.pk]):
        for row in activity.attendance.all():
            authored(row, by).delete()
        authored(activity, by).delete()


@records_write(reads=("site",))
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
    rollups_refresh([activity.pk])
    return activity
