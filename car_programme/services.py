"""Helpers that every app's services share: who wrote a change, which fields a write may set,
which values are taken, what an edit changes, and when a replaced or deleted file leaves
storage."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile

from car_programme.exceptions import DomainError


def authored(instance, by):
    """``instance``, with ``by`` as the author of its next history row (saved or deleted)."""
    # django-simple-history reads the author of a change from this attribute.
    instance._history_user = by
    return instance


def check_fields(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    """Refuse a write that names a field the service does not let its callers set."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")


def delete_file_on_commit(file: FieldFile) -> None:
    """Remove ``file`` from storage once the transaction commits, so a rolled-back write never
    loses a file; nothing when the field holds none."""
    if file:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


def refuse_taken(others: QuerySet, *, record: Model | None = None, message: str) -> None:
    """Refuse a value (a name, a title, a number) that a row of ``others`` holds already;
    ``record``, the one being edited, does not count."""
    if record is not None:
        others = others.exclude(pk=record.pk)
    if others.exists():
        raise DomainError(message)


def set_changed(instance: Model, fields: dict[str, Any]) -> list[str]:
    """Set on ``instance`` those of ``fields`` whose values differ, and return their names: what
    to save (``update_fields``), so an edit that changes nothing writes nothing."""
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, fields[name])
    return changed
