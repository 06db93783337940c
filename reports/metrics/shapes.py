"""The shapes a chart can draw, and the periods of a time series.

A :class:`Breakdown` has one category axis and a :class:`CrossTab` rows by columns, their
categories in the choices' order with their display labels, zeros kept, so a chart, its data
table and its CSV agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Choices

from car_programme.dates import date_bounds
from reports.metrics.scope import MetricScope

# The key of the category that holds records where a field was left blank.
NOT_RECORDED = ""
NOT_RECORDED_LABEL = "Not recorded"


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Breakdown:
    """Counts per category, in the choices' order, zeros kept (and "Not recorded" last when
    some records leave the field blank)."""

    categories: tuple[Category, ...]

    @property
    def labels(self) -> list[str]:
        return [category.label for category in self.categories]

    @property
    def values(self) -> list[int]:
        return [category.value for category in self.categories]

    @property
    def total(self) -> int:
        return sum(self.values)

    @property
    def recorded(self) -> tuple[Category, ...]:
        """The categories that hold a record: a report's table prints only these."""
        return tuple(category for category in self.categories if category.value)

    @property
    def empty_labels(self) -> tuple[str, ...]:
        """The categories that hold none, which a report names in a note instead."""
        return tuple(category.label for category in self.categories if not category.value)


@dataclass(frozen=True)
class CrossTab:
    """A two-way table of counts: ``cells[i][j]`` is row i by column j.

    Time series are cross-tabs whose rows are periods (labels like "2015 Q2" or "2015-06",
    keys the ISO date of the period's first day), in date order, without empty periods between
    the first and the last left out; ``unplaced`` counts, per column, the records with no known
    date, which no period holds.
    """

    row_keys: tuple[str, ...]
    row_labels: tuple[str, ...]
    column_keys: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]
    unplaced: tuple[int, ...] = ()

    @property
    def row_totals(self) -> list[int]:
        return [sum(row) for row in self.cells]

    @property
    def column_totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.cells, strict=True)] or [
            0 for _ in self.column_keys
        ]

    @property
    def total(self) -> int:
        return sum(self.row_totals)

    def unplaced_in(self, column_keys) -> int:
        """The records of these columns that no row holds."""
        return sum(
            n for key, n in zip(self.column_keys, self.unplaced, strict=False) if key in column_keys
        )

    @property
    def column_totals_with_unplaced(self) -> list[int]:
        """Each column's records, in a row or in none."""
        unplaced = self.unplaced or [0 for _ in self.column_keys]
        return [total + n for total, n in zip(self.column_totals, unplaced, strict=True)]

    def without_empty_rows(self) -> CrossTab:
        """The rows that hold a record, for a report's chart (its table names the others)."""
        kept = [i for i, total in enumerate(self.row_totals) if total]
        return replace(
            self,
            row_keys=tuple(self.row_keys[i] for i in kept),
            row_labels=tuple(self.row_labels[i] for i in kept),
            cells=tuple(self.cells[i] for i in kept),
        )

    def column(self, column_key: str) -> list[int]:
        """One column's values down the rows (a series to chart over time)."""
        j = self.column_keys.index(column_key)
        return [row[j] for row in self.cells]


def breakdown_of(
    choices: type[Choices],
    counts: dict,
    *,
    blank: tuple[str, str] = (NOT_RECORDED, NOT_RECORDED_LABEL),
) -> Breakdown:
    """A Breakdown over ``choices`` from ``{value: count}``; blank values go to the category
    ``blank`` gives as (key, label): by default "Not recorded", which nothing links to."""
    categories = [
        Category(str(value), str(label), counts.get(value, 0)) for value, label in choices.choices
    ]
    missing = counts.get(None, 0) + counts.get("", 0)
    if missing:
        categories.append(Category(*blank, missing))
    return Breakdown(tuple(categories))


def crosstab_of(
    rows: list[tuple[str, str]], columns: list[tuple[str, str]], counts: dict
) -> CrossTab:
    """A CrossTab from ``{(row_key, column_key): count}``; a row key of None holds the records
    no row places (``unplaced``)."""
    return CrossTab(
        unplaced=tuple(counts.get((None, column), 0) for column, _ in columns),
        row_keys=tuple(str(key) for key, _ in rows),
        row_labels=tuple(str(label) for _, label in rows),
        column_keys=tuple(str(key) for key, _ in columns),
        column_labels=tuple(str(label) for _, label in columns),
        cells=tuple(
            tuple(counts.get((row, column), 0) for column, _ in columns) for row, _ in rows
        ),
    )


def quarter_label(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _period_of(day: dt.date, months: int) -> dt.date:
    """The first day of the period of ``months`` months (a month, a quarter) holding ``day``."""
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def period_window(*, months: int, scope: MetricScope) -> tuple[dt.date, dt.date]:
    """The first days of the first and the last period of ``months`` months that a time
    series of ``scope`` may show (see :func:`period_starts`)."""
    low, high = date_bounds(scope.programme)
    if scope.start is not None:
        low = max(low, scope.start)
    if scope.end is not None:
        high = min(high, scope.end)
    return _period_of(low, months), _period_of(high, months)


def period_starts(
    first: dt.date, last: dt.date, *, months: int, scope: MetricScope
) -> list[dt.date]:
    """First days of the periods of ``months`` months from ``first``'s to ``last``'s, clamped
    to the scope's range and to the dates the programme's records may carry
    (``date_bounds``): a stray date already in the database (0001-01-01, 9999-12-15) must not
    make thousands of empty periods, nor one past the calendar's end."""
    low, high = period_window(months=months, scope=scope)
    day, end = max(_period_of(first, months), low), min(_period_of(last, months), high)
    periods = [day] if day <= end else []
    while day < end:
        month = day.month - 1 + months
        day = dt.date(day.year + month // 12, month % 12 + 1, 1)
        periods.append(day)
    return periods
