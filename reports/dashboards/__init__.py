"""Dashboards: the panels of the programme, site and group pages, assembled from ``metrics``.

Every figure comes from ``reports.metrics`` (the PDF reports read the same functions, and draw
them through the same adapters of ``reports.charts``, so a dashboard and a report cannot
disagree); the modules of this package only lay figures out as charts, tables and headline
numbers, one module per section (the words of every chart in ``captions``), and link each to
the filtered list of the records behind it (``links``).

A dashboard is read one section at a time: each section calls a handful of metrics, which
keeps every page within its query budget whatever the programme's size.
"""

from __future__ import annotations

import datetime as dt
import functools

from reports import freshness, metrics
from reports.dashboards import activity, evidence, overview, participation, themes
from reports.dashboards.links import RecordLinks
from reports.dashboards.panels import (
    DASHBOARD_SECTIONS,
    SECTION_SLUGS,
    Dashboard,
    DashboardSection,
    Panel,
    PanelFigure,
)

__all__ = [
    "DASHBOARD_SECTIONS",
    "SECTION_SLUGS",
    "Dashboard",
    "DashboardSection",
    "Panel",
    "PanelFigure",
    "dashboard_build",
]

SECTION_PANELS = {
    "overview": (overview.headline_panel, overview.health_panel, overview.groups_panel),
    "participation": (
        participation.participation_panel,
        participation.organisations_panel,
        participation.people_profile_panel,
        participation.diversity_panel,
    ),
    "activity": (
        activity.activity_panel,
        activity.meetings_panel,
        activity.backstage_panel,
        activity.roles_panel,
        activity.network_panel,
    ),
    "evidence": (evidence.evidence_panel, evidence.outputs_panel, evidence.changes_panel),
    "themes": (themes.themes_panel, themes.events_panel, themes.feedback_panel),
}
# Figures comparing groups say nothing on one group's dashboard.
ABOUT_SEVERAL_GROUPS = (overview.groups_panel, participation.diversity_panel)
# Figures that change with the day as well as with the records ("quiet for six weeks").
DAILY = (overview.health_panel,)


def dashboard_build(*, scope: metrics.MetricScope, section: str) -> Dashboard:
    """The panels of one section of the dashboard of ``scope`` (already cut to what the user
    may see by the caller)."""
    links = RecordLinks(scope)
    state = freshness.records_state(scope)
    panels = []
    for builder in SECTION_PANELS[section]:
        if scope.group is not None and builder in ABOUT_SEVERAL_GROUPS:
            continue
        # Kept until a record it counts changes (and, for the daily ones, a day).
        extra = (dt.date.today(),) if builder in DAILY else ()
        compute = functools.partial(builder, scope, links)
        name = f"dashboard:{builder.__name__}"
        panels.append(freshness.cached(scope, name, compute, *extra, state=state))
    section_shown = next(s for s in DASHBOARD_SECTIONS if s.slug == section)
    return Dashboard(section=section_shown, panels=panels)
