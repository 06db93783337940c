"""The evidence section: evidence (Table A), outputs and changes."""

from __future__ import annotations

from reports import metrics
from reports.charts import DataTable, breakdown_chart, crosstab_chart
from reports.dashboards.captions import caption
from reports.dashboards.panels import Panel, PanelFigure


def evidence_panel(scope, links) -> Panel:
    table_a = metrics.evidence_table_a(scope=scope)
    by_kind = table_a.by_kind

    def kind_link(row: str, column: str) -> str:
        order, _, authorship = column.partition("/")
        return links.evidence(kind=row, order=order, authorship=authorship)

    return Panel(
        slug="evidence-panel",
        title="Evidence (Table A)",
        intro="Evidence by who produced it (authorship) and how (first or second order).",
        tables=[
            *_data_sources_table(table_a.data_sources, links),
            crosstab_chart(
                table_a.by_authorship,
                **caption("table-a"),
                link=lambda row, column: links.evidence(authorship=row, order=column),
            ),
            DataTable(
                slug="table-a-by-kind",
                title="Evidence by kind, order and authorship",
                headers=("Kind", *by_kind.column_labels),
                rows=tuple(
                    (label, *row)
                    for label, row in zip(by_kind.row_labels, by_kind.cells, strict=True)
                ),
                links=tuple(
                    (None, *(kind_link(row, column) for column in by_kind.column_keys))
                    for row in by_kind.row_keys
                ),
            ),
            breakdown_chart(
                metrics.evidence_by_use(scope=scope),
                **caption("evidence-by-use"),
                link=lambda key: links.evidence(use=key),
            ),
        ],
    )


def _data_sources_table(rows: list[metrics.DataSourceRow], links) -> list[DataTable]:
    """The programme's published list of data sources, as it gives them; none if it has none."""
    if not rows:
        return []
    return [
        DataTable(
            slug="table-a-data-sources",
            title="Table A: data sources",
            headers=("Data", "Source/ Authors"),
            rows=tuple((row.title, row.authorship) for row in rows),
            links=tuple((links.evidence_item(row.evidence_id), None) for row in rows),
        )
    ]


def outputs_panel(scope, links) -> Panel:
    o = metrics.outputs_summary(scope=scope)
    return Panel(
        slug="outputs",
        title="Outputs",
        figures=[PanelFigure("Outputs", o.total, links.outputs())],
        tables=[
            breakdown_chart(
                o.by_kind, **caption("outputs-by-kind"), link=lambda key: links.outputs(kind=key)
            ),
            breakdown_chart(
                o.by_form,
                **caption("outputs-by-form"),
                link=lambda key: links.outputs(form=key),
                kind="bar",
            ),
            breakdown_chart(
                o.by_status,
                **caption("outputs-by-status"),
                link=lambda key: links.outputs(status=key),
                kind="bar",
            ),
        ],
    )


def changes_panel(scope, links) -> Panel:
    return Panel(
        slug="changes",
        title="Changes",
        tables=[
            crosstab_chart(
                metrics.changes_summary(scope=scope),
                **caption("changes-by-type"),
                link=lambda row, column: links.changes(type=row, level=column),
            )
        ],
    )
