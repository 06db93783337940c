"""The figures of a dashboard as one flat table: a row per cell of every chart and table.

Each chart or table of a dashboard (``reports.charts.DataTable``, the same one the page draws
and offers as CSV) has a category per row, in its first column, and a series per other column;
a panel's headline numbers are a table of their own (``Panel.figures_table``: "Figure",
"Value"). Laid out long, a row per category and series, every table of every section reads as
one table of the same columns, which Excel's and Power BI's web connectors load as it is:
filter by ``table``, pivot ``series`` into columns if wanted.
"""

import dataclasses
from dataclasses import dataclass

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.charts import DataTable
from reports.dashboards import Dashboard

COLUMNS = ("section", "panel", "table", "title", "category", "series", "value", "records_url")


@dataclass(frozen=True)
class FigureRow:
    section: str
    panel: str
    table: str
    title: str
    category: str
    series: str
    value: object
    records_url: str | None


def figure_rows(dashboard: Dashboard) -> list[FigureRow]:
    """Every figure of the section ``dashboard``: a panel's headline numbers (as its CSV
    download), then each of its charts and tables (the page's and the downloads'), cell by
    cell, with the page's link to the records a cell counts."""
    rows = []
    section = dashboard.section.slug
    for panel in dashboard.panels:
        if panel.figures:
            table = panel.figures_table()
            links = tuple((None, figure.url) for figure in panel.figures)
            rows += _cells(section, panel.slug, dataclasses.replace(table, links=links))
        for table in (*panel.tables, *panel.downloads):
            rows += _cells(section, panel.slug, table)
    return rows


def _cells(section: str, panel: str, table: DataTable) -> list[FigureRow]:
    cells = table.cells
    return [
        FigureRow(
            section=section,
            panel=panel,
            table=table.slug,
            title=table.title,
            category=str(row[0][0]),
            series=header,
            value=value,
            records_url=url,
        )
        for row in cells
        for header, (value, url) in zip(table.headers[1:], row[1:], strict=True)
    ]


def figures_table(rows: list[FigureRow], *, absolute) -> DataTable:
    """The rows as one table, for its CSV: written by the dashboards' own ``to_csv``."""
    return DataTable(
        slug="figures",
        title="Figures",
        headers=COLUMNS,
        rows=tuple(
            (*(getattr(row, name) for name in COLUMNS[:-1]), absolute(row.records_url))
            for row in rows
        ),
    )


@extend_schema_field({"anyOf": [{"type": "number"}, {"type": "string"}], "nullable": True})
class FigureValueField(serializers.Field):
    """A count, a share, or words ("Yes", "Not recorded", a published "about 40")."""

    def to_representation(self, value):
        return value


class FigureSerializer(serializers.Serializer):
    """One figure: the cell of ``table`` at the row ``category`` and the column ``series``.

    ``section`` is the dashboard's section (``?section=`` of its page), ``panel`` and
    ``table`` the slugs of its panel and chart (``table`` is ``?chart=`` of the page's CSV
    download, whose cells these are), ``title`` the chart's. ``records_url`` is the page listing
    the records the figure counts, where the dashboard links it (else null)."""

    section = serializers.CharField()
    panel = serializers.CharField()
    table = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    series = serializers.CharField()
    value = FigureValueField()
    records_url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_records_url(self, row) -> str | None:
        return self.context["absolute"](row.records_url)
