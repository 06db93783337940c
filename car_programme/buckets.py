"""Buckets of records by id, in which the rollups that count a programme's records keep them.

A rollup that counts records per value of a field (``inquiries.people_counts``,
``reports.tallies``) keeps its rows per bucket: a write counts again the bucket of the records
it touched, a few hundred of them at most however large the programme, and a record stays in
its bucket whatever the write changes (the bucket is known from the record alone, after the
write as before it). The index of each such model on its programme and bucket
(:func:`bucket_index`) lets the database read one bucket's records alone.
"""

import functools
from collections.abc import Iterable

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Mod

BUCKETS = 64


def bucket() -> Mod:
    """A record's bucket, as an expression (as its index writes it)."""
    return Mod("id", Value(BUCKETS))


def bucket_of(pk: int) -> int:
    return pk % BUCKETS


def in_buckets(buckets: Iterable[tuple[int, int]], field: str) -> Q:
    """Rows of any of ``buckets`` (programme, bucket), their bucket in ``field``."""
    return functools.reduce(
        Q.__or__, (Q(programme=programme, **{field: b}) for programme, b in buckets)
    )


def bucket_index(name: str) -> models.Index:
    """The index on a programme's records and their bucket."""
    return models.Index("programme", bucket(), name=name)
