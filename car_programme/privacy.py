"""Data protection for people: consent per use, export of a person's data, erasure in place.

Records are about real people. Erasure anonymises a person where they stand, so that counts
(members, attendance) and the history of every record survive while the name, contact details
and free text naming them do not, in the live tables and in the history tables alike.
"""

import datetime as dt
import operator
import re
from functools import reduce
from typing import Any

from django.core import serializers
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from car_programme import names
from car_programme.exceptions import DomainError
from car_programme.records_version import records_write
from car_programme.services import authored
from events.models import Event, FeedbackAnswer, FeedbackForm
from evidence.models import Change, EvidenceItem, Output
from inquiries.enums import ConsentMethod, ConsentUse
from inquiries.models import (
    Activity,
    Consent,
    Cycle,
    GroupStatusChange,
    InquiryGroup,
    Person,
    ResearchQuestion,
)
from reports.services import report_delete

# Free text in which a person may be named (reflective notes above all), with the lookup from
# each record to its programme: erasure rewrites only the erased person's own programme.
FREE_TEXT: list[tuple[type[models.Model], str, tuple[str, ...]]] = [
    (Activity, "programme", ("title", "notes")),
    (InquiryGroup, "programme", ("description", "lead_description")),
    (GroupStatusChange, "group__programme", ("note",)),
    (ResearchQuestion, "group__programme", ("text",)),
    (Cycle, "group__programme", ("title",)),
    (EvidenceItem, "programme", ("title", "description", "source", "consent_basis")),
    (Output, "programme", ("title", "description")),
    (Change, "programme", ("title", "description")),
    (Event, "programme", ("title", "purpose", "summary", "organiser")),
    (FeedbackForm, "event__programme", ("published_summary",)),
    (FeedbackAnswer, "question__form__event__programme", ("text",)),
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
    authored(consent, by)
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
        authored(consent, by)
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
    contact details and job title, unlinks any user account, rewrites every earlier history
    row of the person and every free text (live and historical) of their programme that names
    them, and deletes the stored report versions that print their name (files included).
    Memberships, attendance and consents stay, so counts and histories survive.
    """
    name = person.name.strip()
    if not name or name == _erased_label(person):
        raise DomainError(f"{person.pseudonym} has already been erased.")
    erased = {"name": _erased_label(person), "user": None, **dict.fromkeys(IDENTIFYING, "")}
    for field, value in erased.items():
        setattr(person, field, value)
    authored(person, by)
    person.save(update_fields=list(erased))
    history_fields = {k: v for k, v in erased.items() if k != "user"}
    person.history.model.objects.filter(id=person.pk).update(**history_fields, user=None)
    _scrub_free_text(person, name)
    # A stored PDF cannot be rewritten; a version that printed the name goes, and can be
    # requested again.
    for report_request in person.named_in_reports.all():
        report_delete(report_request=report_request)
    return person


def _erased_label(person: Person) -> str:
    return f"Erased ({person.pseudonym})"


def _scrub_free_text(person: Person, name: str) -> None:
    """Replace ``name`` by the person's pseudonym wherever their programme's free text names
    them, in the live rows and in the history rows alike."""
    erased = {names.folded(name)} | names.given_and_family(name)
    # Another person's full name that shares a word with the erased one ("Bob Smith" when
    # "Ann Smith" is erased) is someone else: it is matched whole, and left alone.
    others = {
        names.folded(other)
        for other in Person.objects.filter(programme=person.programme_id)
        .exclude(pk=person.pk)
        .filter(name__iregex=names.words_regex(erased))
        .values_list("name", flat=True)
    } - erased
    pattern = re.compile(rf"(?<!\w)(?:{names.alternatives(erased | others)})(?!\w)", re.IGNORECASE)

    def replace(match: re.Match) -> str:
        return person.pseudonym if names.folded(match.group()) in erased else match.group()

    candidates = names.words_regex(erased)
    for model, programme_path, fields in FREE_TEXT:
        for table in _with_history(model):
            naming = reduce(
                operator.or_, (Q(**{f"{field}__iregex": candidates}) for field in fields)
            )
            rows = table.objects.filter(naming & _in_programme(table, programme_path, person))
            for row in rows.only("pk", *fields).iterator():
                changes = {
                    field: pattern.sub(replace, getattr(row, field))
                    for field in fields
                    if getattr(row, field)
                }
                changed = {f: v for f, v in changes.items() if v != getattr(row, f)}
                if changed:
                    # update() rather than save(): the scrub itself must leave no history row
                    # carrying the text it removes.
                    table.objects.filter(pk=row.pk).update(**changed)


def _with_history(model) -> list[type[models.Model]]:
    history = getattr(model, "history", None)
    return [model] if history is None else [model, history.model]


def _in_programme(table, programme_path: str, person: Person) -> Q:
    """Rows of ``table`` (a model or its history) that belong to the person's programme.

    A row that reaches its programme through a parent (a status change through its group)
    counts when any version of the parent was in the programme, so the history of a record
    whose parent has since been deleted is scrubbed too.
    """
    now_in_programme = Q(**{programme_path: person.programme_id})
    parent_field, _, rest = programme_path.partition("__")
    if rest != "programme":
        return now_in_programme
    parent = table._meta.get_field(parent_field).related_model
    ever_in_programme = parent.history.filter(programme_id=person.programme_id).values("id")
    return now_in_programme | Q(**{f"{parent_field}_id__in": ever_in_programme})
