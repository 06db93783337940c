"""Writes on evidence items, outputs and changes.

Files reach these functions already checked (``car_programme.validators.validate_upload``, run
by the forms): nothing here writes a file that has not passed the size and type checks. A file
that is replaced or whose record is deleted is removed from storage once the transaction has
committed, so a rolled-back write never loses a file.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from django.core.files import File
from django.db import transaction
from django.db.models import Model

from accounts.models import User
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme
from car_programme.records_version import records_write
from car_programme.revisions import save_with_links
from car_programme.services import authored, check_fields, delete_file_on_commit, refuse_taken
from evidence.enums import OutputStatus
from evidence.models import Change, EvidenceItem, Output
from inquiries.models import Activity, InquiryGroup, Person
from sites.models import CaseSite, Programme, Theme

# A new file, None to keep the current one, False to remove it (Django's ClearableFileInput).
FileChange = File | None | Literal[False]

EVIDENCE_FIELDS = frozenset(
    {
        "title",
        "kind",
        "order",
        "authorship",
        "use",
        "source",
        "collected_on",
        "description",
        "url",
        "sensitivity",
        "consent_basis",
    }
)
OUTPUT_FIELDS = frozenset(
    {"title", "kind", "form", "audience", "description", "url", "drafted_on", "date_precision"}
)
CHANGE_FIELDS = frozenset({"title", "description", "date", "date_precision", "type", "level"})
STATUS_DATE_FIELD = {
    OutputStatus.DRAFT: "drafted_on",
    OutputStatus.CONSULTATION: "consultation_on",
    OutputStatus.PUBLISHED: "published_on",
}
STATUS_ORDER = [OutputStatus.DRAFT, OutputStatus.CONSULTATION, OutputStatus.PUBLISHED]


def _replace_file(instance: Model, file: FileChange) -> bool:
    """Put ``file`` on ``instance.file``; True when the field changed."""
    if file is None:
        return False
    delete_file_on_commit(instance.file)
    if file is False:
        instance.file = ""
    else:
        # Saving through the field stores the content under a random name (car_programme.files).
        instance.file.save(file.name, file, save=False)
    return True


def _refuse_taken_title(model, programme, fields: dict, record: Model | None = None) -> None:
    """A programme's records of one kind each have their own title, as their forms say."""
    title = fields.get("title")
    if title is not None:
        refuse_taken(
            model.objects.filter(programme=programme, title=title),
            record=record,
            message=f"The programme already has a record titled “{title}”.",
        )


# --- Evidence ---------------------------------------------------------------------------------


@records_write(reads=("programme", "group", "activity"))
@transaction.atomic
def evidence_create(
    *,
    programme: Programme,
    sites: Iterable[CaseSite],
    group: InquiryGroup | None = None,
    activity: Activity | None = None,
    themes: Iterable[Theme] = (),
    file: File | None = None,
    by: User | None,
    **fields: Any,
) -> EvidenceItem:
    """Record an evidence item, with its file if any.

    Side effects: one EvidenceItem row and its history row; the file stored under a random name.
    """
    check_fields(fields, EVIDENCE_FIELDS)
    sites, themes = list(sites), list(themes)
    check_same_programme(programme, sites=sites, group=group, activity=activity, themes=themes)
    _refuse_taken_title(EvidenceItem, programme, fields)
    item = EvidenceItem(
        programme=programme, group=group, activity=activity, recorded_by=by, **fields
    )
    if file:
        _replace_file(item, file)
    save_with_links(item, by=by, links={"sites": sites, "themes": themes})
    return item


@records_write(reads=("group", "activity"))
@transaction.atomic
def evidence_update(
    *,
    item: EvidenceItem,
    sites: Iterable[CaseSite],
    group: InquiryGroup | None,
    activity: Activity | None,
    themes: Iterable[Theme],
    file: FileChange = None,
    by: User | None,
    **fields: Any,
) -> EvidenceItem:
    """Change an evidence item.

    Side effects: updates the row and adds a history row; a replaced or removed file is deleted
    from storage after commit.
    """
    check_fields(fields, EVIDENCE_FIELDS)
    sites, themes = list(sites), list(themes)
    check_same_programme(item.programme, sites=sites, group=group, activity=activity, themes=themes)
    _refuse_taken_title(EvidenceItem, item.programme, fields, item)
    for name, value in fields.items():
        setattr(item, name, value)
    item.group, item.activity = group, activity
    update_fields = [*fields, "group", "activity"]
    if _replace_file(item, file):
        update_fields.append("file")
    save_with_links(
        item, by=by, update_fields=update_fields, links={"sites": sites, "themes": themes}
    )
    return item


@records_write
@transaction.atomic
def evidence_delete(*, item: EvidenceItem, by: User | None) -> None:
    """Delete an evidence item.

    Side effects: the row goes (its history keeps a deletion row); changes lose the link; the
    file is deleted from storage after commit.
    """
    delete_file_on_commit(item.file)
    authored(item, by).delete()


# --- Outputs ----------------------------------------------------------------------------------


@records_write(reads=("programme",))
@transaction.atomic
def output_create(
    *,
    programme: Programme,
    sites: Iterable[CaseSite],
    groups: Iterable[InquiryGroup],
    authors: Iterable[Person] = (),
    themes: Iterable[Theme] = (),
    file: File | None = None,
    by: User | None,
    **fields: Any,
) -> Output:
    """Record an output, in draft.

    Side effects: one Output row and its history row; the file stored under a random name.
    """
    check_fields(fields, OUTPUT_FIELDS)
    links = _output_links(programme, sites, groups, authors, themes)
    _refuse_taken_title(Output, programme, fields)
    output = Output(programme=programme, status=OutputStatus.DRAFT, **fields)
    if file:
        _replace_file(output, file)
    save_with_links(output, by=by, links=links)
    return output


@records_write
@transaction.atomic
def output_update(
    *,
    output: Output,
    sites: Iterable[CaseSite],
    groups: Iterable[InquiryGroup],
    authors: Iterable[Person],
    themes: Iterable[Theme],
    file: FileChange = None,
    by: User | None,
    **fields: Any,
) -> Output:
    """Change an output's description; its status changes only through
    ``output_change_status``.

    Side effects: updates the row and adds a history row; a replaced or removed file is deleted
    from storage after commit.
    """
    check_fields(fields, OUTPUT_FIELDS)
    links = _output_links(output.programme, sites, groups, authors, themes)
    _refuse_taken_title(Output, output.programme, fields, output)
    for name, value in fields.items():
        setattr(output, name, value)
    update_fields = list(fields)
    if _replace_file(output, file):
        update_fields.append("file")
    save_with_links(output, by=by, update_fields=update_fields, links=links)
    return output


def _output_links(programme, sites, groups, authors, themes) -> dict[str, list]:
    links = {"sites": sites, "groups": groups, "authors": authors, "themes": themes}
    links = {name: list(records) for name, records in links.items()}
    check_same_programme(programme, **links)
    return links


@records_write
@transaction.atomic
def output_change_status(
    *, output: Output, status: OutputStatus, on: dt.date, by: User | None
) -> Output:
    """Move ``output`` to ``status`` as of ``on``.

    The date of the new status is set to ``on``. Going back (a published output withdrawn for
    more consultation) clears the dates of the later stages, since only a published output has
    a publication date; the history rows keep the earlier dates.

    Side effects: updates status and dates and adds a history row.
    """
    status = OutputStatus(status)
    if status == output.status:
        raise DomainError(f"The output is already {status.label.lower()}.")
    position = STATUS_ORDER.index(status)
    for earlier in STATUS_ORDER[:position]:
        earlier_on = getattr(output, STATUS_DATE_FIELD[earlier])
        if earlier_on is not None and on < earlier_on:
            raise DomainError(
                f"{status.label} on {on:%d/%m/%Y} would come before "
                f"{earlier.label.lower()} on {earlier_on:%d/%m/%Y}."
            )
    output.status = status
    setattr(output, STATUS_DATE_FIELD[status], on)
    for later in STATUS_ORDER[position + 1 :]:
        setattr(output, STATUS_DATE_FIELD[later], None)
    authored(output, by).save(update_fields=["status", *STATUS_DATE_FIELD.values()])
    return output


@records_write
@transaction.atomic
def output_delete(*, output: Output, by: User | None) -> None:
    """Delete an output.

    Side effects: the row goes (its history keeps a deletion row); changes and events lose the
    link; the file is deleted from storage after commit.
    """
    delete_file_on_commit(output.file)
    authored(output, by).delete()


# --- Changes ----------------------------------------------------------------------------------


@records_write(reads=("programme", "group"))
@transaction.atomic
def change_create(
    *,
    programme: Programme,
    sites: Iterable[CaseSite],
    group: InquiryGroup | None = None,
    evidence: Iterable[EvidenceItem] = (),
    outputs: Iterable[Output] = (),
    earlier_changes: Iterable[Change] = (),
    themes: Iterable[Theme] = (),
    by: User | None,
    **fields: Any,
) -> Change:
    """Record a change, with what supports it and the earlier changes it builds on.

    Side effects: one Change row and its history row, and its links.
    """
    check_fields(fields, CHANGE_FIELDS)
    links = _change_links(programme, group, sites, evidence, outputs, earlier_changes, themes)
    _refuse_taken_title(Change, programme, fields)
    change = Change(programme=programme, group=group, **fields)
    save_with_links(change, by=by, links=links)
    return change


@records_write(reads=("group",))
@transaction.atomic
def change_update(
    *,
    change: Change,
    sites: Iterable[CaseSite],
    group: InquiryGroup | None,
    evidence: Iterable[EvidenceItem],
    outputs: Iterable[Output],
    earlier_changes: Iterable[Change],
    themes: Iterable[Theme],
    by: User | None,
    **fields: Any,
) -> Change:
    """Change a change record and its links.

    Side effects: updates the row and adds a history row; replaces its links.
    """
    check_fields(fields, CHANGE_FIELDS)
    links = _change_links(
        change.programme, group, sites, evidence, outputs, earlier_changes, themes
    )
    _refuse_taken_title(Change, change.programme, fields, change)
    if any(earlier.pk == change.pk for earlier in links["earlier_changes"]):
        raise DomainError("A change cannot build on itself.")
    for name, value in fields.items():
        setattr(change, name, value)
    change.group = group
    save_with_links(change, by=by, update_fields=[*fields, "group"], links=links)
    return change


def _change_links(
    programme, group, sites, evidence, outputs, earlier_changes, themes
) -> dict[str, list]:
    """The change's many-to-many links as lists, once all are known to be of ``programme``."""
    links = {
        "sites": sites,
        "evidence": evidence,
        "outputs": outputs,
        "earlier_changes": earlier_changes,
        "themes": themes,
    }
    links = {name: list(records) for name, records in links.items()}
    check_same_programme(programme, group=group, **links)
    return links


@records_write
@transaction.atomic
def change_delete(*, change: Change, by: User | None) -> None:
    """Delete a change.

    Side effects: the row goes (its history keeps a deletion row) with its links.
    """
    authored(change, by).delete()
