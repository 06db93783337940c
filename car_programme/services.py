"""Helpers that every app's services share: who wrote a change, which fields a write may set,
and when a replaced or deleted file leaves storage."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.fields.files import FieldFile


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
