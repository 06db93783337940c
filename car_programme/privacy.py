"""Data protection for people: consent per use, export of a person's data, erasure in place.

Records are about real people. Erasure anonymises a person where they stand, so that counts
(members, attendance) and the history of every record survive while the name, contact details
and free text naming them do not, in the live tables and in the history tables alike.
"""

import datetime as dt
import re
from typing import Any

from django.core import serializers
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from car_programme.exceptions import DomainError
from events.models import Event
from evidence.models import Change, EvidenceItem, Output
from inquiries.enums import ConsentMethod, ConsentUse
from inquiries.models import (
    Activity,
    Consent,
    GroupStatusChange,
    InquiryGroup,
    Person,
    ResearchQuestion,
)
from reports.freshness import records_write

# Free text in which a person may be named (reflective notes above all).
FREE_TEXT: list[tuple[type[models.Model], tuple[str, ...]]] = [
    (Activity, ("title", "notes")),
    (InquiryGroup, ("description", "lead_description")),
    (GroupStatusChange, ("note",)),
    (ResearchQuestion, ("text",)),
    (EvidenceItem, ("title", "description", "source")),
    (Output, ("description",)),
    (Change, ("description",)),
    (Event, ("purpose", "summary", "organiser")),
]
# What identifies a person directly; everything else on the row (level, occupation category,
# organisation) feeds only counts and is kept.
IDENTIFYING = ("email", "phone", "job_title")


@records_write
@transaction.atomic
def consent_record(
    *,
    person: Person,
    use: ConsentUse,
    given_on: dt.date,
    method: ConsentMethod,
    by: User | None,
) -> Consent:
    """Record a person's consent to one use of their data.

    Side effects: one Consent row (and its history row, with ``by`` as author).
    """
    if person.consents.filter(use=use, withdrawn_on__isnull=True).exists():
        label = ConsentUse(use).label.lower()
        raise DomainError(f"{person.pseudonym} has already consented to {label}.")
    consent = Consent(person=person, use=use, given_on=given_on, method=method, recorded_by=by)
    consent._history_user = by
    consent.save()
    return consent


@records_write
@transaction.atomic
def consent_withdraw(*, person: Person, on: dt.date, by: User | None) -> list[Consent]:
    """Withdraw every current consent of ``person`` in one step, as of ``on``.

    Side effects: closes the open Consent rows (kept, with their history); returns them.
    """
    withdrawn = []
    for consent in person.consents.filter(withdrawn_on__isnull=True):
        if on < consent.given_on:
            raise DomainError("Consent cannot be withdrawn before it was given.")
        consent.withdrawn_on = on
        consent._history_user = by
        consent.save(update_fields=["withdrawn_on"])
        withdrawn.append(consent)
    return withdrawn


def person_export(*, person: Person) -> dict[str, Any]:
    """Everything the product holds about ``person``, as JSON-ready data.

    Every model that refers to a person is found through the model's relations, so a
    relation added later is exported without this function changing.
    """
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "person": _serialise([person])[0],
        "history": _serialise(person.history.all()),
    }
    for relation in Person._meta.related_objects:
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            related = getattr(person, accessor, None)
            rows = [related] if related is not None else []
        else:
            rows = list(getattr(person, accessor).all())
        data[relation.related_model._meta.label] = _serialise(rows)
    return data


def _serialise(rows) -> list[dict[str, Any]]:
    return serializers.serialize("python", rows, use_natural_foreign_keys=False)


@records_write
@transaction.atomic
def person_erase(*, person: Person, by: User | None) -> Person:
    """Anonymise ``person`` in place.

    Side effects: replaces the name by an "Erased" label built on the pseudonym, blanks the
    contact details and job title, unlinks any user account, and rewrites every earlier
    history row of the person and every free text (live and historical) that names them.
    Memberships, attendance and consents stay, so counts and histories survive.
    """
    name = person.name.strip()
    if not name or name == _erased_label(person):
        raise DomainError(f"{person.pseudonym} has already been erased.")
    erased = {"name": _erased_label(person), "user": None, **dict.fromkeys(IDENTIFYING, "")}
    for field, value in erased.items():
        setattr(person, field, value)
    person._history_user = by
    person.save(update_fields=list(erased))
    history_fields = {k: v for k, v in erased.items() if k != "user"}
    person.history.model.objects.filter(id=person.pk).update(**history_fields, user=None)
    _scrub_free_text(name, person.pseudonym)
    return person


def _erased_label(person: Person) -> str:
    return f"Erased ({person.pseudonym})"


def _scrub_free_text(name: str, replacement: str) -> None:
    pattern = re.compile(re.escape(name), re.IGNORECASE)
    for model, fields in FREE_TEXT:
        for table in (model, model.history.model):
            naming = models.Q()
            for field in fields:
                naming |= models.Q(**{f"{field}__icontains": name})
            for row in table.objects.filter(naming):
                changes = {
                    field: pattern.sub(replacement, getattr(row, field))
                    for field in fields
                    if getattr(row, field)
                }
                # update() rather than save(): the scrub itself must leave no history row
                # carrying the text it removes.
                table.objects.filter(pk=row.pk).update(**changes)
