"""The end-of-programme report: the whole programme in figures, the working paper's tables
and the appendix of groups per site."""

from dataclasses import dataclass

from car_programme.words import undated
from reports import metrics
from reports.charts import tallies_chart
from reports.documents import Document, OnStep, Options, common
from reports.documents.common import Gathering
from sites.models import CaseSite


def _timeline(gathering: Gathering) -> dict:
    timeline = metrics.joint_activities_timeline(scope=gathering.scope)
    entries, more = common.capped(list(timeline.entries))
    return {
        "timeline": entries,
        "timeline_more": more,
        "timeline_undated": undated(timeline.unplaced, "joint activity", "joint activities"),
    }


@dataclass(frozen=True)
class SiteAppendix:
    """One site's groups in the appendix (``site`` None for the groups without a site): their
    row of the appendix table and their participation, in the same order."""

    site: CaseSite | None
    rows: list[metrics.AppendixRow]
    participation: list[metrics.GroupParticipation]

    @property
    def joiners_undated(self) -> str:
        return undated(sum(row.joiners_unplaced for row in self.participation), "joiner")


def _appendix(gathering: Gathering) -> dict:
    """The appendix split into one table per site (a group of several sites in each of them),
    then the groups without a site, so that no table runs over many pages; each with the
    participation in its groups beneath."""
    scope = gathering.scope
    rows = metrics.group_appendix(scope=scope)
    participation = {row.group_id: row for row in metrics.group_participation(scope=scope)}
    # Each site's table comes after its context, as the site holds it.
    sites = scope.sites().order_by("name")
    tables = [(site, [row for row in rows if site.name in row.sites]) for site in sites]
    tables.append((None, [row for row in rows if not row.sites]))
    return {
        "appendix_tables": [
            SiteAppendix(site, site_rows, [participation[row.group_id] for row in site_rows])
            for site, site_rows in tables
            if site_rows
        ]
    }


def _engagement(gathering: Gathering) -> dict:
    engagement = metrics.engagement_figures(scope=gathering.scope)
    gathering.charts["tallies"] = tallies_chart(
        [site.tallies for site in engagement],
        slug="tallies",
        description="Emails, calls and in-person one-to-ones recorded for each site.",
        names=("Emails", "Calls", "In person"),
    )
    return {"engagement": engagement}


def _sectors(gathering: Gathering) -> dict:
    """The sectors of the people who took part, each with its organisations and people: only
    the sectors that hold someone, then "Not recorded" for the people without an organisation,
    which has no organisations to count (None)."""
    figures = metrics.organisations_and_sectors(scope=gathering.scope)
    organisations = {c.key: c.value for c in figures.organisations_by_sector.categories}
    people = figures.people_by_sector
    return {
        "sectors": figures,
        "sector_rows": [(c.label, organisations.get(c.key), c.value) for c in people.recorded],
        "sectors_empty": people.empty_labels,
    }


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
        **_sectors(gathering),
        **common.chosen_parts(gathering, PARTS),
    }
    return common.finish(gathering, title, context)
