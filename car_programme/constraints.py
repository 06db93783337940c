"""The shapes of the database constraints that every app's models declare.

Each refuses its rows with a message that a form shows next to the fields, whatever code wrote
them (a form, a loader, the administration).
"""

from django.db import models
from django.db.models import F, Q


def unique(
    name: str, fields: list[str], *, message: str, condition: Q | None = None
) -> models.UniqueConstraint:
    """``fields`` unique together (among the rows where ``condition`` holds)."""
    return models.UniqueConstraint(
        fields=fields, condition=condition, name=name, violation_error_message=message
    )


def check(name: str, condition: Q, *, message: str) -> models.CheckConstraint:
    """Every row satisfies ``condition``."""
    return models.CheckConstraint(name=name, violation_error_message=message, condition=condition)


def ends_after_starts(name: str, start: str, end: str, *, message: str) -> models.CheckConstraint:
    """``end`` is not before ``start`` where both are known."""
    return check(
        name,
        Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        message=message,
    )
