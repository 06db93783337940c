"""Locks that keep writers recounting the same rollup rows from undoing each other.

A rollup row (``inquiries.rollups``, ``reports.rollups``) is recounted by deleting it and
inserting the count again. Two transactions recounting one row at once would each count from a
snapshot without the other's record, and each insert its row: the figure would stay wrong
until the next recount. So a writer first takes a lock on each key it recounts, and the second
waits for the first to commit and counts what it committed. A rebuild of all of a programme's
rows takes the programme's lock alone, which every recount in the programme holds shared.

These are PostgreSQL's advisory transaction locks: they lock no table row (writers elsewhere in
the programme do not queue) and go with the transaction. SQLite runs one writer at a time:
nothing to lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import connection


def _lock_id(*parts: object) -> int:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _take(function: str, ids: Iterable[int]) -> None:
    # In one order whoever takes them: two writers of the same keys cannot wait on each other.
    ordered = sorted(set(ids))
    if not ordered or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(id) FROM unnest(%s::bigint[]) AS id", [ordered])


def rollup_rows_lock(rollup: str, programmes: Iterable[int], keys: Iterable[tuple]) -> None:
    """Lock, until the transaction ends, the rows of ``rollup`` at ``keys`` in ``programmes``
    (each key a tuple naming its programme too), before recounting them."""
    _take("pg_advisory_xact_lock_shared", (_lock_id(rollup, p) for p in programmes))
    _take("pg_advisory_xact_lock", (_lock_id(rollup, *key) for key in keys))


def rollup_programme_lock(rollup: str, programme: int) -> None:
    """Lock, until the transaction ends, every row of ``rollup`` in ``programme``, before
    rebuilding them all."""
    _take("pg_advisory_xact_lock", [_lock_id(rollup, programme)])
