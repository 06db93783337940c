"""The overview section: the headline counts, partnership health and the groups."""

from __future__ import annotations

from inquiries.enums import GroupStatus
from reports import metrics
from reports.charts import DataTable, breakdown_chart, crosstab_chart
from reports.dashboards.captions import caption
from reports.dashboards.panels import Panel, PanelFigure


def headline_panel(scope, links) -> Panel:
    h = metrics.headline(scope=scope)
    return Panel(
        slug="headline",
        title="At a glance",
        figures=[
            PanelFigure("Groups", h.groups, links.groups()),
            PanelFigure("Active groups", h.active_groups, links.groups(status=GroupStatus.ACTIVE)),
            PanelFigure("People taking part", h.people, links.people()),
            PanelFigure("Activities", h.activities, links.activities()),
            PanelFigure("Evidence items", h.evidence_items, links.evidence()),
            PanelFigure("Outputs", h.outputs, links.outputs()),
            PanelFigure("Changes", h.changes, links.changes()),
            PanelFigure("Events", h.events, links.events()),
        ],
    )


HEALTH_FLAGS = (
    (metrics.HealthFlagKind.QUIET, "Gone quiet"),
    (metrics.HealthFlagKind.LOST_CORE, "Lost core members"),
    (metrics.HealthFlagKind.NO_OUTPUT, "Evidence, no output"),
)


def health_panel(scope, links) -> Panel:
    groups = metrics.partnership_health(scope=scope)
    rows = tuple(
        (
            g.group_name,
            *("Yes" if flag in g.flags else "" for flag, _label in HEALTH_FLAGS),
            " ".join(g.details),
        )
        for g in groups
    )
    return Panel(
        slug="health-panel",
        title="Partnership health",
        intro=(
            "Groups that may need attention: no activity for six weeks, core members lost in "
            "the last quarter, or evidence recorded but no output yet."
        ),
        tables=[
            DataTable(
                slug="health",
                title="Groups needing attention",
                headers=("Group", *(label for _flag, label in HEALTH_FLAGS), "Details"),
                rows=rows,
                links=tuple(
                    (links.group(g.group_id), *(None for _ in HEALTH_FLAGS), None) for g in groups
                ),
            )
        ],
        empty_message="No group needs attention.",
    )


def groups_panel(scope, links) -> Panel:
    by_kind = metrics.groups_by_kind(scope=scope)
    by_status = metrics.groups_by_status_over_time(scope=scope)
    return Panel(
        slug="groups",
        title="Groups",
        tables=[
            breakdown_chart(
                by_kind, **caption("groups-by-kind"), link=lambda key: links.groups(kind=key)
            ),
            crosstab_chart(
                by_status,
                **caption("groups-by-status"),
                kind="line",
                # A status no group has been in would only lengthen the legend.
                columns=[key for key in by_status.column_keys if any(by_status.column(key))],
            ),
        ],
    )
