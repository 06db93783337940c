"""The activity section: activities month by month, group meetings, backstage contacts,
researcher roles and the organisations that meet each other."""

from __future__ import annotations

from car_programme.words import counted, known_count, undated
from inquiries.enums import BACKSTAGE_KINDS, ActivityKind, GroupFigureKind
from reports import metrics
from reports.charts import DataTable, Series, breakdown_chart, chart, crosstab_chart, tallies_chart
from reports.dashboards.captions import caption
from reports.dashboards.panels import Panel, PanelFigure, published_totals_table

# Strongest organisation pairs shown in the co-attendance ranking; the CSV has them all.
NETWORK_PAIRS_SHOWN = 15


def activity_panel(scope, links) -> Panel:
    per_month = metrics.activities_by_kind_per_month(scope=scope)
    # Backstage tallies (hundreds of emails in a month) would flatten the meetings; they have
    # their own panel.
    shown = [key for key in per_month.column_keys if key not in BACKSTAGE_KINDS]
    return Panel(
        slug="activity-panel",
        title="Activities",
        tables=[
            crosstab_chart(
                per_month,
                **caption("activities-per-month"),
                kind="stacked_bar",
                link=lambda month, kind: links.activities(kind=kind, month=month),
                columns=shown,
                note=undated(per_month.unplaced_in(shown), "activity", "activities"),
            ),
        ],
    )


def meetings_panel(scope, links) -> Panel:
    hours = metrics.meeting_hours(scope=scope)
    attendance = metrics.attendance_per_meeting(scope=scope)
    meetings_url = links.activities(kind=ActivityKind.GROUP_MEETING)
    published = published_totals_table(
        metrics.group_published_figures(scope=scope),
        kinds=(GroupFigureKind.MEETINGS,),
        slug="published-meeting-counts",
        title="Published meeting counts",
    )
    return Panel(
        slug="meetings",
        title="Group meetings",
        figures=[
            PanelFigure(
                "Group meetings",
                known_count(hours.meetings, hours.uncounted),
                meetings_url,
                note="recorded; the published counts below are not added" if published else "",
            ),
            PanelFigure(
                "Meeting hours",
                f"{hours.hours:.1f}",
                note=(
                    f"over the {counted(hours.meetings_with_duration, 'meeting')} "
                    "with a recorded length"
                ),
            ),
            PanelFigure("Attendances recorded by name", attendance.named),
            PanelFigure("Attendances counted only", attendance.counted),
            PanelFigure(
                "Mean attendance per meeting",
                "Not recorded" if attendance.mean is None else f"{attendance.mean:.1f}",
            ),
            PanelFigure(
                "Median attendance per meeting",
                "Not recorded" if attendance.median is None else f"{attendance.median:g}",
            ),
            PanelFigure(
                "Largest meeting", "Not recorded" if attendance.max is None else attendance.max
            ),
        ],
        tables=list(filter(None, [published])),
    )


def backstage_panel(scope, links) -> Panel:
    tallies = metrics.backstage_tallies(scope=scope)
    return Panel(
        slug="backstage-panel",
        title="Backstage contacts",
        intro="Emails, calls and one-to-ones that keep the inquiries going, per site.",
        tables=[
            tallies_chart(
                tallies,
                slug="backstage",
                description="Emails, phone calls and in-person one-to-ones per site.",
                names=("Emails", "Phone calls", "One-to-ones"),
                link=lambda site, kind: links.activities(kind=kind, site=site, tally="true"),
            )
        ],
    )


def roles_panel(scope, links) -> Panel:
    return Panel(
        slug="roles",
        title="Researcher roles",
        tables=[
            breakdown_chart(metrics.researcher_roles(scope=scope), **caption("researcher-roles"))
        ],
    )


def network_panel(scope, links) -> Panel:
    network = metrics.co_attendance_network(scope=scope)
    names = {node.organisation_id: node.name for node in network.nodes}
    pairs = [
        (f"{names[edge.source]} and {names[edge.target]}", edge.weight) for edge in network.edges
    ]
    return Panel(
        slug="network",
        title="Organisations meeting each other",
        intro="Pairs of organisations whose people attended the same activities.",
        figures=[
            PanelFigure("Organisations attending activities", len(network.nodes)),
            PanelFigure("Pairs that met", len(network.edges)),
        ],
        tables=[
            chart(
                slug="co-attendance",
                title="Strongest pairs of organisations",
                description=(
                    "The pairs of organisations that attended the most activities together."
                ),
                kind="hbar",
                category_header="Organisations",
                categories=[name for name, _weight in pairs[:NETWORK_PAIRS_SHOWN]],
                series=[
                    Series(
                        "Activities together",
                        tuple(weight for _name, weight in pairs[:NETWORK_PAIRS_SHOWN]),
                    )
                ],
            ),
        ],
        downloads=[
            DataTable(
                slug="co-attendance-all",
                title="Every pair of organisations that met",
                headers=("Organisation", "Organisation", "Activities together"),
                rows=tuple(
                    (names[edge.source], names[edge.target], edge.weight) for edge in network.edges
                ),
            ),
        ],
    )
