"""Every figure that a dashboard or a report shows, computed by the database.

Plain functions, no HTTP and no users: the caller has already applied the rule set (who may see
which site) and hands over a :class:`MetricScope`. Each function runs a constant number of
queries whatever the data size and returns frozen dataclasses, lists and dicts of ints, strings
and dates: counts and pseudonymous aggregates only, never a person's name.

The figures live by subject in the modules of this package and callers read them from here
(``metrics.participation``). Each subject imports only the base modules, ``scope`` (which
records), ``shapes`` (what a chart draws, which imports ``scope``) and ``portability`` (what
PostgreSQL and SQLite write differently), except ``paper``, which reads the backstage tallies
of ``activity``.
"""

from reports.metrics.activity import (
    AttendanceStats,
    MeetingHours,
    Network,
    NetworkEdge,
    NetworkNode,
    SiteTallies,
    activities_by_kind_per_month,
    attendance_per_meeting,
    backstage_tallies,
    co_attendance_network,
    meeting_hours,
    researcher_roles,
)
from reports.metrics.events import (
    EventRow,
    EventsSummary,
    events_summary,
    feedback_shares,
)
from reports.metrics.evidence import (
    ChangeRow,
    DataSourceRow,
    OutputRow,
    OutputsSummary,
    TableA,
    changes_summary,
    changes_with_evidence,
    evidence_by_use,
    evidence_table_a,
    outputs_list,
    outputs_summary,
)
from reports.metrics.groups import (
    GroupCycles,
    cycles,
    groups_by_kind,
    groups_by_status_over_time,
)
from reports.metrics.health import (
    GroupHealth,
    Headline,
    HealthFlagKind,
    headline,
    partnership_health,
)
from reports.metrics.paper import (
    AppendixRow,
    GroupPublishedFigure,
    ProposedRow,
    PublishedFigure,
    SiteEngagement,
    TableBSite,
    Timeline,
    TimelineEntry,
    engagement_figures,
    group_appendix,
    group_published_figures,
    joint_activities_timeline,
    programme_figures,
    table_b,
)
from reports.metrics.participation import (
    GroupDiversity,
    GroupParticipation,
    OrganisationsAndSectors,
    Participation,
    QuarterTurnover,
    Turnover,
    group_participation,
    levels,
    occupation_categories,
    organisational_diversity,
    organisations_and_sectors,
    participation,
    research_experience,
    turnover_by_quarter,
)
from reports.metrics.scope import MetricScope
from reports.metrics.shapes import (
    NOT_RECORDED,
    Breakdown,
    Category,
    CrossTab,
)
from reports.metrics.themes import (
    Coverage,
    FrameworkCoverage,
    ThemeCoverage,
    theme_coverage,
)

__all__ = [
    "NOT_RECORDED",
    "AppendixRow",
    "AttendanceStats",
    "Breakdown",
    "Category",
    "ChangeRow",
    "Coverage",
    "CrossTab",
    "DataSourceRow",
    "EventRow",
    "EventsSummary",
    "FrameworkCoverage",
    "GroupCycles",
    "GroupDiversity",
    "GroupHealth",
    "GroupParticipation",
    "GroupPublishedFigure",
    "Headline",
    "HealthFlagKind",
    "MeetingHours",
    "MetricScope",
    "Network",
    "NetworkEdge",
    "NetworkNode",
    "OrganisationsAndSectors",
    "OutputRow",
    "OutputsSummary",
    "Participation",
    "ProposedRow",
    "PublishedFigure",
    "QuarterTurnover",
    "SiteEngagement",
    "SiteTallies",
    "TableA",
    "TableBSite",
    "ThemeCoverage",
    "Timeline",
    "TimelineEntry",
    "Turnover",
    "activities_by_kind_per_month",
    "attendance_per_meeting",
    "backstage_tallies",
    "changes_summary",
    "changes_with_evidence",
    "co_attendance_network",
    "cycles",
    "engagement_figures",
    "events_summary",
    "evidence_by_use",
    "evidence_table_a",
    "feedback_shares",
    "group_appendix",
    "group_participation",
    "group_published_figures",
    "groups_by_kind",
    "groups_by_status_over_time",
    "headline",
    "joint_activities_timeline",
    "levels",
    "meeting_hours",
    "occupation_categories",
    "organisational_diversity",
    "organisations_and_sectors",
    "outputs_list",
    "outputs_summary",
    "participation",
    "partnership_health",
    "programme_figures",
    "research_experience",
    "researcher_roles",
    "table_b",
    "theme_coverage",
    "turnover_by_quarter",
]
