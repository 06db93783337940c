"""The end-of-programme report: the whole programme in figures, the working paper's tables
and the appendix of groups per site."""

from car_programme.words import undated
from reports import metrics
from reports.charts import tallies_chart
from reports.documents import Document, OnStep, Options, common
from reports.documents.common import Gathering


def _timeline(gathering: Gathering) -> dict:
    timeline = metrics.joint_activities_timeline(scope=gathering.scope)
    entries, more = common.capped(list(timeline.entries))
    return {
        "timeline": entries,
        "timeline_more": more,
        "timeline_undated": undated(timeline.unplaced, "joint activity", "joint activities"),
    }


def _appendix(gathering: Gathering) -> dict:
    """The appendix split into one table per site (a group of several sites in each of them),
    then the groups without a site, so that no table runs over many pages."""
    scope = gathering.scope
    rows = metrics.group_appendix(scope=scope)
    # Each site's table comes after its context, as the site holds it.
    sites = scope.sites().order_by("name")
    tables = [(site, [row for row in rows if site.name in row.sites]) for site in sites]
    tables.append((None, [row for row in rows if not row.sites]))
    return {"appendix_tables": [(site, site_rows) for site, site_rows in tables if site_rows]}


def _engagement(gathering: Gathering) -> dict:
    engagement = metrics.engagement_figures(scope=gathering.scope)
    gathering.charts["tallies"] = tallies_chart(
        [site.tallies for site in engagement],
        slug="tallies",
        description="Emails, calls and in-person one-to-ones recorded for each site.",
        names=("Emails", "Calls", "In person"),
    )
    return {"engagement": engagement}


PARTS: dict[str, common.Part] = {
    "table-a": common.evidence,
    "table-b": lambda gathering: {"table_b": metrics.table_b(scope=gathering.scope)},
    "timeline": _timeline,
    "appendix": _appendix,
    "engagement": _engagement,
    "outputs": common.outputs,
    "changes": common.changes,
    "themes": common.themes,
    "events": common.events,
}


def build(report_request, options: Options, on_step: OnStep) -> Document:
    gathering = common.start(report_request, options, on_step)
    title = f"{report_request.programme.name}: end-of-programme learning report"
    context = {
        **common.cover(gathering, title=title, first=("overview", "The programme in figures")),
        "headline": metrics.headline(scope=gathering.scope),
        "programme_figures": metrics.programme_figures(scope=gathering.scope),
        "participation": metrics.participation(scope=gathering.scope),
        **common.chosen_parts(gathering, PARTS),
    }
    return common.finish(gathering, title, context)
