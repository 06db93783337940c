"""The tallies (``RecordTally``): how many of a programme's evidence items and activities have
each set of values of the fields their figures count, kept in buckets of records.

The whole programme's counts of them with no date range (the headline's activities and
evidence items, the evidence table by kind, order and authorship, the evidence by use) sum
these rows, a few thousand however many records, rather than reading every record. A record
counts in the bucket of its id (``car_programme.buckets``).

Every write of an evidence item or an activity is noted by the records version, which hands
the records to :func:`tallies_written` at the end of the write, in its transaction: the
buckets of the records written are counted again. A deleted record's id is gone with it: its
model's tallies in the programme are counted again whole, as the loaders do
(:func:`tallies_rebuild`) and ``manage.py rebuild_rollups``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from django.db import connection, models
from django.db.models import Count, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from car_programme.buckets import bucket, bucket_of, in_buckets
from car_programme.locks import rollup_programme_lock, rollup_rows_lock
from evidence.models import EvidenceItem
from inquiries.models import Activity
from inquiries.scope import RecordScope
from reports.models import RecordTally

# Each model tallied, and the fields whose values its tallies count, in their order.
TALLIED: dict[type[models.Model], tuple[str, ...]] = {
    EvidenceItem: ("kind", "order", "authorship", "use"),
    Activity: ("kind",),
}
VALUES = ("value_1", "value_2", "value_3", "value_4")
# The name under which the tallies are locked while counted again (car_programme.locks).
TALLIES = "record-tallies"

Bucket = tuple[int, int]  # a programme and one of its buckets


def tallies_written(records: Iterable[models.Model]) -> None:
    """Count again the buckets of the records a write noted."""
    buckets: dict[type[models.Model], set[Bucket]] = defaultdict(set)
    whole: set[tuple[type[models.Model], int]] = set()
    for record in records:
        model = type(record)
        if model not in TALLIED:
            continue
        if record.pk is None:
            whole.add((model, record.programme_id))
        else:
            buckets[model].add((record.programme_id, bucket_of(record.pk)))
    for model, programme in whole:
        tallies_rebuild(programme, kinds=[model])
    for model, of_model in buckets.items():
        tallies_refresh(model, {b for b in of_model if (model, b[0]) not in whole})


def tallies_refresh(model: type[models.Model], buckets: Collection[Bucket]) -> None:
    """Count again the records of ``model`` in each of ``buckets``."""
    if not buckets:
        return
    label = model._meta.label
    keys = {(programme, label, b) for programme, b in buckets}
    rollup_rows_lock(TALLIES, {programme for programme, _ in buckets}, keys)
    RecordTally.objects.filter(in_buckets(buckets, "bucket"), record=label).delete()
    records = model.objects.alias(record_bucket=bucket()).filter(
        in_buckets(buckets, "record_bucket")
    )
    _insert(model, records)


def tallies_rebuild(
    programme: int, *, kinds: Iterable[type[models.Model]] = tuple(TALLIED)
) -> None:
    """Count again every record of the models ``kinds`` in ``programme``."""
    rollup_programme_lock(TALLIES, programme)
    for model in kinds:
        RecordTally.objects.filter(programme=programme, record=model._meta.label).delete()
        _insert(model, model.objects.filter(programme=programme))


def _insert(model: type[models.Model], records: QuerySet) -> None:
    fields = TALLIED[model]
    counts = (
        records.order_by()
        .annotate(record_bucket=bucket(), label=Value(model._meta.label))
        .values_list("programme", "label", "record_bucket", *fields)
        .annotate(n=Count("pk"))
    )
    sql, params = counts.query.sql_with_params()
    columns = ", ".join(
        RecordTally._meta.get_field(name).column
        for name in ("programme", "record", "bucket", *VALUES[: len(fields)], "records")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {RecordTally._meta.db_table} ({columns}) {sql}", params)


# --- Reading ---------------------------------------------------------------------------------


def tallied(scope: RecordScope, model: type[models.Model], *fields: str) -> dict | None:
    """{values of ``fields``: records} of ``model`` in ``scope``, the values as the model holds
    them: read from the tallies when the scope is a whole programme with no date range (every
    record counts), else None."""
    if not scope.is_whole_programme:
        return None
    columns = [VALUES[TALLIED[model].index(field)] for field in fields]
    rows = (
        RecordTally.objects.filter(programme=scope.programme, record=model._meta.label)
        .order_by()
        .values_list(*columns)
        .annotate(n=Sum("records"))
    )
    to_python = [model._meta.get_field(field).to_python for field in fields]
    return {
        tuple(read(value) for read, value in zip(to_python, values, strict=True)): n
        for *values, n in rows
    }


def tallied_total(scope: RecordScope, model: type[models.Model]) -> Coalesce:
    """The number of records of ``model`` in the whole programme of ``scope``, read from the
    tallies, as a subquery."""
    total = (
        RecordTally.objects.filter(programme=scope.programme, record=model._meta.label)
        .order_by()
        .values("programme")
        .annotate(n=Sum("records"))
        .values("n")
    )
    return Coalesce(Subquery(total, output_field=models.IntegerField()), 0)
