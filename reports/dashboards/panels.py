"""What a dashboard shows: its sections, and the panels of figures, charts and tables in each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format

from reports.charts import DataTable

# Longer tables, and charts of as many horizontal bars, are offered as CSV only.
LONG_TABLE_ROWS = 40


@dataclass(frozen=True)
class DashboardSection:
    slug: str
    title: str


DASHBOARD_SECTIONS = (
    DashboardSection("overview", "Overview"),
    DashboardSection("participation", "Participation"),
    DashboardSection("activity", "Activity"),
    DashboardSection("evidence", "Evidence, outputs and change"),
    DashboardSection("themes", "Themes and events"),
)
SECTION_SLUGS = tuple(section.slug for section in DASHBOARD_SECTIONS)


@dataclass(frozen=True)
class PanelFigure:
    """A headline number of a panel, linked to the records it counts."""

    label: str
    value: object
    url: str | None = None
    note: str = ""


@dataclass
class Panel:
    slug: str
    title: str
    intro: str = ""
    figures: list[PanelFigure] = field(default_factory=list)
    # Charts and tables, each with its CSV download.
    tables: list[DataTable] = field(default_factory=list)
    # Tables too long for the page, offered only as CSV.
    downloads: list[DataTable] = field(default_factory=list)
    empty_message: str = ""

    def __post_init__(self):
        # A national programme lists hundreds of groups, events or feedback statements: a page
        # shows the charts over time and the short tables and bar charts, and offers the long
        # ones as CSV (a chart of 300 bars is 10,000 pixels tall and 100 KB of the page).
        long = [t for t in self.tables if t.grows_downward and len(t.rows) > LONG_TABLE_ROWS]
        self.tables = [t for t in self.tables if t not in long]
        self.downloads = [*long, *self.downloads]

    @property
    def is_empty(self) -> bool:
        return not self.figures and all(table.is_empty for table in (*self.tables, *self.downloads))

    def figures_table(self) -> DataTable:
        """The panel's headline numbers as a table, for their CSV download."""
        return DataTable(
            slug=self.slug,
            title=self.title,
            headers=("Figure", "Value"),
            rows=tuple((figure.label, figure.value) for figure in self.figures),
        )


@dataclass
class Dashboard:
    section: DashboardSection
    panels: list[Panel]

    def table(self, slug: str) -> DataTable | None:
        """The chart or table ``slug`` of this section, for its CSV download."""
        for panel in self.panels:
            if panel.figures and slug == panel.slug:
                return panel.figures_table()
            for table in (*panel.tables, *panel.downloads):
                if table.slug == slug:
                    return table
        return None


def published_totals_table(figures, *, kinds, slug: str, title: str) -> DataTable | None:
    """The groups' published totals of ``kinds`` (``metrics.group_published_figures``) as a
    table of their own, beside the figures counted from rows and never added to them; None
    when no group in scope has one."""
    rows = tuple(
        (group, figure.shown, figure.label, figure.period, figure.source)
        for group, figure in figures
        if figure.kind in kinds
    )
    if not rows:
        return None
    return DataTable(
        slug=slug,
        title=title,
        headers=("Group", "Published", "Counting", "Period", "Source"),
        rows=rows,
        description=(
            "Totals as the source publishes them (about, or N+ for at least N), where no rows "
            "hold them: not included in the figures counted from the record."
        ),
    )


def format_day(day: dt.date) -> str:
    return date_format(day)


def format_share(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"
