"""A dataset laid out for one user and target, and written as CSV or XLSX."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from reports.cells import neutralise
from reports.exports.columns import Dataset
from reports.exports.targets import ExportTarget

CHUNK_SIZE = 1000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class ExportTable:
    """A dataset laid out for one user and target: headers, and rows produced lazily."""

    headers: list[str]
    rows: Iterator[list[Any]]


def export_table(*, dataset: Dataset, user, target: ExportTarget) -> ExportTable:
    """The rows of ``dataset`` that ``user`` may read in ``target``, every cell neutralised."""
    working = user.has_perm(*target.notes_permission)
    columns = [column for column in dataset.columns if working or not column.working_material]
    records = dataset.rows(user, target).iterator(chunk_size=CHUNK_SIZE)

    def rows():
        for record in records:
            yield [neutralise(column.value(record)) for column in columns]

    return ExportTable(headers=[column.header for column in columns], rows=rows())


class _Echo:
    """A file-like object whose ``write`` hands back the line, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def csv_lines(table: ExportTable) -> Iterator[str]:
    """The table as CSV lines, produced one row at a time (starts with a BOM for Excel)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(table.headers)
    for row in table.rows:
        yield writer.writerow(["" if cell is None else cell for cell in row])


def xlsx_file(table: ExportTable, *, title: str):
    """The table as an XLSX workbook in a temporary file, rewound, for the caller to stream.

    openpyxl's write-only mode writes rows as they come instead of building every cell in
    memory first (tablib's XLSX export would hold the whole dataset).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append(row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response streaming it)
    workbook.save(handle)
    handle.seek(0)
    return handle
