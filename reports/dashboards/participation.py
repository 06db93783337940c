"""The participation section: who takes part, their organisations and sectors, their levels,
occupations and research experience, and each group's organisational diversity."""

from __future__ import annotations

from car_programme.words import undated
from inquiries.enums import GroupFigureKind
from reports import metrics
from reports.charts import DataTable, Series, breakdown_chart, chart
from reports.dashboards.captions import caption
from reports.dashboards.panels import Panel, PanelFigure, format_day, published_totals_table


def participation_panel(scope, links) -> Panel:
    p = metrics.participation(scope=scope)
    turnover = metrics.turnover_by_quarter(scope=scope)
    on = format_day(p.on)
    published = published_totals_table(
        metrics.group_published_figures(scope=scope),
        kinds=(GroupFigureKind.MEMBERS, GroupFigureKind.CONSULTEES),
        slug="published-head-counts",
        title="Published head counts",
    )
    return Panel(
        slug="participation",
        title="Who takes part",
        intro=f"Members are counted on {on}; people are counted once however many groups.",
        figures=[
            PanelFigure("People taking part", p.people, links.people()),
            PanelFigure(f"Core members on {on}", p.core),
            PanelFigure(f"Periphery members on {on}", p.periphery),
            PanelFigure(f"Members on {on}", p.members_on),
        ],
        tables=[
            chart(
                slug="turnover",
                title="Joiners and leavers per quarter",
                description="Memberships opened and closed in each quarter.",
                kind="bar",
                category_header="Quarter",
                categories=[q.label for q in turnover.quarters],
                series=[
                    Series("Joiners", tuple(q.joiners for q in turnover.quarters)),
                    Series("Leavers", tuple(q.leavers for q in turnover.quarters)),
                    Series("Core leavers", tuple(q.core_leavers for q in turnover.quarters)),
                ],
                note=undated(turnover.joiners_unplaced, "joiner"),
            ),
            *filter(None, [published]),
        ],
    )


def organisations_panel(scope, links) -> Panel:
    o = metrics.organisations_and_sectors(scope=scope)
    return Panel(
        slug="organisations",
        title="Organisations and sectors",
        figures=[
            PanelFigure("Organisations represented", o.organisations, links.organisations()),
            PanelFigure("People without an organisation", o.people_without_organisation),
        ],
        tables=[
            breakdown_chart(
                o.organisations_by_sector,
                **caption("organisations-by-sector"),
                link=lambda key: links.organisations(sector=key),
            ),
            breakdown_chart(o.people_by_sector, **caption("people-by-sector")),
        ],
    )


def people_profile_panel(scope, links) -> Panel:
    return Panel(
        slug="profile",
        title="Levels, occupations and research experience",
        tables=[
            breakdown_chart(metrics.levels(scope=scope), **caption("levels")),
            breakdown_chart(metrics.occupation_categories(scope=scope), **caption("occupations")),
            breakdown_chart(
                metrics.research_experience(scope=scope), **caption("research-experience")
            ),
        ],
    )


def diversity_panel(scope, links) -> Panel:
    groups = metrics.organisational_diversity(scope=scope)
    return Panel(
        slug="diversity-panel",
        title="Organisational diversity per group",
        intro=(
            "Blau's index runs from 0 (every member from one sector) towards 1 (members "
            "spread evenly over many sectors)."
        ),
        tables=[
            DataTable(
                slug="diversity",
                title="Organisations and sectors per group",
                headers=("Group", "Members", "Organisations", "Sectors", "Blau index"),
                rows=tuple(
                    (
                        g.group_name,
                        g.members,
                        g.organisations,
                        g.sectors,
                        "" if g.blau_index is None else f"{g.blau_index:.2f}",
                    )
                    for g in groups
                ),
                links=tuple((links.group(g.group_id), None, None, None, None) for g in groups),
            )
        ],
    )
