"""Ids read straight from a request's parameters, where no form field cleans them.

A hand-made request can send anything ("abc", "²", a 40-digit number): what is not the id of
a row is dropped, never handed to the database to fail on.
"""

from collections.abc import Iterable

# The largest value of a bigint primary key.
MAX_ID = 2**63 - 1


def parse_id(value: str | None) -> int | None:
    """``value`` as an id (ASCII digits, within a primary key's range), else None."""
    if value and value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def parse_ids(values: Iterable[str]) -> list[int]:
    """The values that are ids, in order (see :func:`parse_id`)."""
    return [pk for pk in map(parse_id, values) if pk is not None]
