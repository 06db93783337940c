"""The site report: a case site's groups, engagement, evidence and partnership health."""

from reports import metrics
from reports.charts import breakdown_chart
from reports.documents import Document, OnStep, Options, common

PARTS: dict[str, common.Part] = {
    "table-b": lambda gathering: {"table_b": metrics.table_b(scope=gathering.scope)},
    "groups": lambda gathering: {"appendix": metrics.group_appendix(scope=gathering.scope)},
    "engagement": lambda gathering: {
        "engagement": metrics.engagement_figures(scope=gathering.scope)
    },
    "evidence": common.evidence,
    "outputs": common.outputs,
    "changes": common.changes,
    "themes": common.themes,
    "events": common.events,
    "health": lambda gathering: {"health": metrics.partnership_health(scope=gathering.scope)},
}


def build(report_request, options: Options, on_step: OnStep) -> Document:
    site = report_request.site
    gathering = common.start(report_request, options, on_step, site=site)
    scope = gathering.scope
    title = f"{site.name}: site report"
    groups_by_kind = metrics.groups_by_kind(scope=scope)
    gathering.charts["groups-by-kind"] = breakdown_chart(
        groups_by_kind,
        slug="groups-by-kind",
        title="Groups by kind",
        category_header="Kind",
        value_name="Groups",
    )
    context = {
        **common.cover(gathering, title=title, first=("overview", "Overview")),
        "subtitle": site.partnership_name,
        "site": site,
        "headline": metrics.headline(scope=scope),
        "participation": metrics.participation(scope=scope),
        "groups_by_kind": groups_by_kind,
        **common.chosen_parts(gathering, PARTS),
    }
    return common.finish(gathering, title, context)
