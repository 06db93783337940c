"""What a dataset is (its records, its columns, the date that keeps it to a range), and how
its cells read a record."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from inquiries.scope import RecordScope, within
from reports.exports.targets import ExportTarget
from sites.models import CaseSite, Theme

JOIN = "; "


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    working_material: bool = False


@dataclass(frozen=True)
class DateCut:
    """The date that keeps a dataset's rows to a range, as the export page names it
    (``label``), and ``cut``: the condition that the dashboards' scope puts on the same
    records (``inquiries.scope``, ``evidence.scope``, ``events.scope``)."""

    label: str
    cut: Callable[[QuerySet, RecordScope], QuerySet]


def dated_by(label: str, field: str) -> DateCut:
    """Rows whose ``field`` falls in the range; an undated row is left out once one is given."""
    return DateCut(label, lambda records, scope: records.filter(within(scope, field)))


@dataclass(frozen=True)
class Dataset:
    """One export, whatever the door (a page's CSV or XLSX, a sheet of the workbook): its
    records, cut by the rule set to a target (``rows``), its columns, and the date that keeps
    it to the target's range (``dated``; None: the same rows whatever the range)."""

    slug: str
    title: str
    description: str
    rows: Callable[[Any, ExportTarget], QuerySet]
    columns: tuple[Column, ...]
    lead_note: str = ""
    dated: DateCut | None = None

    @property
    def date_label(self) -> str:
        """Which date keeps the rows to a range, as the page and the workbook say it."""
        return self.dated.label if self.dated else "Not dated: the same rows whatever the range"

    def records(self, user, target: ExportTarget) -> QuerySet:
        """The records ``user`` may export in ``target``, within its date range."""
        records = self.rows(user, target)
        return records if self.dated is None else self.dated.cut(records, target.scope)


def label(person) -> str:
    """Name or pseudonym, as the rules decide (``name_visible`` annotated on the row)."""
    return person.name if person.name_visible else person.pseudonym


def joined(items: Iterable[Any]) -> str:
    return JOIN.join(str(item) for item in items)


def names(related) -> str:
    return JOIN.join(item.name for item in related.all())


def theme_names(record) -> str:
    return joined(record.themes.all())


def yes_no(value) -> str:
    return "yes" if value else "no"


def if_named(cell: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``cell`` of a row whose person's name the user may see (``name_visible``), else empty."""

    def value(record):
        return cell(record) if record.name_visible else None

    return value


def display(field: str) -> Callable[[Any], Any]:
    def value(record):
        return getattr(record, f"get_{field}_display")()

    return value


def attr(path: str) -> Callable[[Any], Any]:
    def value(record):
        for name in path.split("."):
            record = getattr(record, name)
            if record is None:
                return None
        return record

    return value


def text_of(path: str) -> Callable[[Any], Any]:
    def value(record):
        found = attr(path)(record)
        return None if found is None else str(found)

    return value


# Columns several datasets print alike.
SITES_COLUMN = Column("Sites", lambda record: names(record.sites))
THEMES_COLUMN = Column("Themes", theme_names)
FILE_COLUMN = Column("File held", lambda record: yes_no(record.file))
DESCRIPTION_COLUMN = Column("Description", attr("description"))

THEMES = Prefetch("themes", queryset=Theme.objects.order_by("framework", "position", "name"))
SITES = Prefetch("sites", queryset=CaseSite.objects.order_by("name"))


def columns_from(*specs: Column | tuple[str, str | Callable[[Any], Any]]) -> tuple[Column, ...]:
    """A dataset's columns: ``Column``s as they are, and ``(header, cell)`` pairs, where a cell
    given as text is the path of the value to print (``attr``)."""
    return tuple(
        spec if isinstance(spec, Column) else Column(spec[0], _cell(spec[1])) for spec in specs
    )


def _cell(cell: str | Callable[[Any], Any]) -> Callable[[Any], Any]:
    return attr(cell) if isinstance(cell, str) else cell
