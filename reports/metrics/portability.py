"""What PostgreSQL and SQLite (the embedded default) write differently: a median, a list of
values per row, a date read back from raw SQL."""

from __future__ import annotations

import datetime as dt
import json
import statistics

from django.db.models import (
    Aggregate,
    CharField,
    Field,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce


def as_date(value: dt.date | str) -> dt.date:
    """A date from raw SQL: SQLite returns it as ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def count_of(queryset: QuerySet) -> Subquery:
    """The number of rows of ``queryset``, as a scalar subquery (no GROUP BY needed)."""
    counted = queryset.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def _sqlite_list(value, expression, connection) -> list | None:
    return None if value is None else json.loads(value)


class Median(Aggregate):
    """The median, interpolated between the two middle values (PERCENTILE_CONT's)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite (the embedded default) has no ordered-set aggregate: the same query returns
        # the values as one JSON list and the median is taken from it.
        return self.as_sql(
            compiler,
            connection,
            function="JSON_GROUP_ARRAY",
            template="%(function)s(%(expressions)s)",
            **extra_context,
        )

    def get_db_converters(self, connection):
        converters = super().get_db_converters(connection)
        if connection.vendor == "sqlite":
            return [_sqlite_list, self._median, *converters]
        return converters

    @staticmethod
    def _median(values, expression, connection) -> float | None:
        values = [value for value in values if value is not None]
        return float(statistics.median(values)) if values else None


class _ListField(Field):
    """A list of values: a PostgreSQL array as the driver returns it, or SQLite's JSON text."""

    def get_db_converters(self, connection):
        converters = super().get_db_converters(connection)
        return [_sqlite_list, *converters] if connection.vendor == "sqlite" else converters


class _EmptyList(Value):
    """``[]`` as a list aggregate's default: an empty array, or an empty JSON list on SQLite."""

    def __init__(self):
        super().__init__([])

    def as_sqlite(self, compiler, connection, **extra_context):
        return "'[]'", []


class ListAgg(Aggregate):
    """The distinct values of ``expression`` per row as a list, empty rather than null:
    ARRAY_AGG on PostgreSQL, JSON_GROUP_ARRAY on SQLite (the embedded default)."""

    function = "ARRAY_AGG"
    allow_distinct = True
    output_field = _ListField()

    def __init__(self, expression, **extra):
        super().__init__(expression, distinct=True, default=_EmptyList(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


class JoinedText(Func):
    """The texts of ``expressions`` joined by ``separator`` into one, an empty text standing
    for a null: a flat ``||`` chain, which SQLite parses where Concat's nesting of many values
    overflows its parser."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = CharField()

    def __init__(self, *expressions, separator: str):
        texts = [Coalesce(Cast(expression, CharField()), Value("")) for expression in expressions]
        joined = [part for text in texts for part in (text, Value(separator))][:-1]
        super().__init__(*joined)
