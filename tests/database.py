"""What the database said when it refused a row: the name of the constraint that fired."""

import re
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

# SQLite names a check constraint in its message, a unique one only by its columns.
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\w+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (\w+)\.(\w+(?:, \w+\.\w+)*)")


def constraint_name(error: IntegrityError) -> str | None:
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL
        return diag.constraint_name
    message = str(error)
    if match := _SQLITE_CHECK.search(message):
        return match.group(1)
    if match := _SQLITE_UNIQUE.search(message):
        table = match.group(1)
        columns = [column.split(".")[-1] for column in match.group(2).split(", ")]
        return _unique_constraint_on(table, columns)
    return None


def _unique_constraint_on(table: str, columns: list[str]) -> str | None:
    for model in apps.get_models():
        if model._meta.db_table != table:
            continue
        for constraint in model._meta.constraints:
            if (
                isinstance(constraint, models.UniqueConstraint)
                and [model._meta.get_field(name).column for name in constraint.fields] == columns
            ):
                return constraint.name
    return None


@contextmanager
def refused_by(name: str):
    """Expect the database to refuse the block's write, by the constraint called ``name``."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    assert constraint_name(excinfo.value) == name
