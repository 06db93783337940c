"""The group learning report: a group's story, its figures and what it produced."""

from car_programme.words import undated
from reports import metrics
from reports.charts import breakdown_chart
from reports.documents import Document, OnStep, Options, common
from reports.documents.common import Gathering


def _activities_by_kind(scope: metrics.MetricScope) -> metrics.Breakdown:
    """The activity cross-tab summed over its months, with the undated activities: one figure
    per kind that occurs."""
    table = metrics.activities_by_kind_per_month(scope=scope)
    return metrics.Breakdown(
        tuple(
            metrics.Category(key, label, total)
            for key, label, total in zip(
                table.column_keys,
                table.column_labels,
                table.column_totals_with_unplaced,
                strict=True,
            )
        )
    )


def _figures(gathering: Gathering) -> dict:
    scope = gathering.scope
    by_kind = _activities_by_kind(scope)
    gathering.charts["activities-by-kind"] = breakdown_chart(
        by_kind,
        slug="activities-by-kind",
        title="Activities by kind",
        category_header="Kind",
        value_name="Activities",
    )
    turnover = metrics.turnover_by_quarter(scope=scope)
    return {
        "participation": metrics.participation(scope=scope),
        "meeting_hours": metrics.meeting_hours(scope=scope),
        "attendance": metrics.attendance_per_meeting(scope=scope),
        "published": [figure for _, figure in metrics.group_published_figures(scope=scope)],
        "activities_by_kind": by_kind,
        "turnover": turnover,
        "turnover_undated": undated(turnover.joiners_unplaced, "joiner"),
    }


PARTS: dict[str, common.Part] = {
    "figures": _figures,
    "members": common.memberships,
    "evidence": common.evidence,
    "outputs": common.outputs,
    "changes": common.changes,
    "themes": common.themes,
}


def build(report_request, options: Options, on_step: OnStep) -> Document:
    gathering = common.start(report_request, options, on_step, group=report_request.group)
    group = common.group_with_counts(report_request, gathering.scope)
    title = f"{group.name}: learning report"
    context = {
        **common.cover(gathering, title=title, first=("story", "The group's story")),
        "group": group,
        "status_changes": list(group.status_changes.order_by("changed_on", "pk")),
        "research_questions": list(group.research_questions.order_by("adopted_on", "pk")),
        "cycles": list(group.cycles.order_by("number")),
        "phases": common.phases(gathering.scope),
        "themes": list(group.themes.order_by("framework", "position", "name")),
        **common.chosen_parts(gathering, PARTS),
    }
    return common.finish(gathering, title, context)
