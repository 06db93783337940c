"""The themes and events section: theme coverage, events and their feedback."""

from __future__ import annotations

import dataclasses

from car_programme import words
from car_programme.dates import format_partial_span
from reports import metrics
from reports.charts import DataTable, breakdown_chart, feedback_chart
from reports.dashboards.captions import caption
from reports.dashboards.panels import Panel, PanelFigure, format_share

# Beyond this many sites the page shows each theme's totals and the CSV the grid per site: a
# column per site would not fit a screen, and 320 of them make a page of megabytes.
SITE_COLUMNS_SHOWN = 12


def themes_panel(scope, links) -> Panel:
    frameworks = metrics.theme_coverage(scope=scope)
    tables, downloads = [], []
    for number, framework in enumerate(frameworks, start=1):
        grid = _coverage_table(framework, slug=f"themes-{number}")
        if len(framework.site_names) <= SITE_COLUMNS_SHOWN:
            tables.append(grid)
            continue
        width = len(grid.headers) - len(framework.site_names)
        tables.append(
            DataTable(
                slug=f"themes-{number}-totals",
                title=grid.title,
                description="Groups, evidence, outputs, changes and events per theme.",
                headers=grid.headers[:width],
                rows=tuple(row[:width] for row in grid.rows),
                note=f"The records per site, for all {len(framework.site_names)} sites, are in "
                "the CSV below",
            )
        )
        downloads.append(dataclasses.replace(grid, title=f"{grid.title}, per site"))
    return Panel(
        slug="themes",
        title="Theme coverage",
        intro="How the records of each site touch the programme's themes.",
        tables=tables,
        downloads=downloads,
        empty_message="The programme has no themes.",
    )


def _coverage_table(framework, *, slug: str) -> DataTable:
    return DataTable(
        slug=slug,
        title=f"{framework.framework}: records touching each theme",
        description=(
            "Groups, evidence, outputs, changes and events per theme, then all records per site."
        ),
        headers=(
            "Theme",
            "Groups",
            "Evidence",
            "Outputs",
            "Changes",
            "Events",
            *framework.site_names,
        ),
        rows=tuple(
            (
                theme.name,
                theme.total.groups,
                theme.total.evidence,
                theme.total.outputs,
                theme.total.changes,
                theme.total.events,
                *(coverage.total for coverage in theme.per_site),
            )
            for theme in framework.themes
        ),
    )


def events_panel(scope, links) -> Panel:
    e = metrics.events_summary(scope=scope)
    about = "about " if e.approximate else ""
    # Sites of the events with no published count leave the sum short: say how many.
    unknown = f"; {words.counted(e.sites_unknown, 'site')} unknown" if e.sites_unknown else ""
    return Panel(
        slug="events",
        title="Events",
        figures=[
            PanelFigure("Events", e.count, links.events()),
            PanelFigure("Attendees recorded by name", e.named),
            PanelFigure("Attendees counted", f"{about}{e.counted}{unknown}"),
        ],
        tables=[
            breakdown_chart(
                e.by_kind, **caption("events-by-kind"), link=lambda key: links.events(kind=key)
            ),
            DataTable(
                slug="events-list",
                title="Events and their attendance",
                headers=("Event", "Kind", "Date", "Named", "Counted", "Organisations"),
                rows=tuple(
                    (
                        row.title,
                        row.kind,
                        format_partial_span(row.start_date, row.end_date, row.date_precision),
                        row.named,
                        ""
                        if row.counted is None
                        else words.head_count(
                            row.counted, row.approximate, row.sites, row.sites_unknown
                        ),
                        row.organisations,
                    )
                    for row in e.events
                ),
                links=tuple(
                    (links.event(row.event_id), None, None, None, None, None) for row in e.events
                ),
            ),
        ],
    )


def feedback_panel(scope, links) -> Panel:
    shares = metrics.feedback_shares(scope=scope)
    return Panel(
        slug="feedback",
        title="Event feedback",
        intro="The share of responses scoring each statement 4 or 5 (agree or strongly agree).",
        tables=[
            feedback_chart(
                shares,
                slug="feedback-shares",
                description="For each feedback statement, the percentage scoring 4 or 5.",
                value_name="Share scoring 4 or 5 (%)",
                y_labels=list(range(0, 101, 20)),
            ),
            DataTable(
                slug="feedback-statements",
                title="Feedback statements",
                headers=("Statement", "Responses", "Scoring 4 or 5", "Share", "Published share"),
                rows=tuple(
                    (
                        s.text,
                        s.responses,
                        s.agreeing,
                        format_share(s.share),
                        f"{s.published_min}% to {s.published_max}%"
                        if s.has_published_range
                        else "",
                    )
                    for s in shares
                ),
            ),
        ],
    )
