"""The metrics on the demo programme give the published figures (cited as seed:line)."""

import datetime as dt

import pytest

from reports import metrics
from reports.metrics import MetricScope
from sites.models import CaseSite

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

END_OF_PROGRAMME = dt.date(2017, 12, 31)


@pytest.fixture
def fife(demo_programme):
    return MetricScope(programme=demo_programme, site=CaseSite.objects.get(name="Fife"))


def test_appendix_gives_the_fife_teams_published_members_and_meetings(fife):
    rows = {row.name: row for row in metrics.group_appendix(scope=fife, on=END_OF_PROGRAMME)}

    welfare = rows["Welfare Partnership Innovation Team"]
    assert (welfare.core, welfare.periphery) == (14, 34)  # 000:1334
    assert [figure.text for figure in welfare.published] == ["22 meetings"]  # 000:1334
    family = rows["Family Partnership Innovation Team"]
    assert (family.core, family.periphery) == (20, 4)  # 000:1337
    assert [figure.text for figure in family.published] == ["15 meetings"]  # 000:1337
    assert welfare.sites == ("Fife",)


def test_fife_backstage_tallies(fife):
    (tallies,) = metrics.backstage_tallies(scope=fife)

    # 000:1184, 000:1187; the "30 additional in-person meetings" (000:1190) are not one-to-ones.
    assert (tallies.emails, tallies.calls, tallies.one_to_ones) == (703, 68, 0)


def test_engagement_figures_hold_published_and_computed_tallies(fife):
    (engagement,) = metrics.engagement_figures(scope=fife)

    figures = {figure.label: figure.value for figure in engagement.figures}
    assert figures["practitioners engaged with"] == 87  # 000:1185
    assert engagement.tallies.emails == 703


def test_table_b_has_each_sites_proposed_projects(demo_programme):
    sites = metrics.table_b(scope=MetricScope(programme=demo_programme))

    assert [site.site_name for site in sites] == [
        "Aberdeenshire",
        "Fife",
        "Glasgow",
        "West Dunbartonshire",
    ]
    per_site = {site.site_name: site for site in sites}
    assert len(per_site["Glasgow"].proposed) == 3  # 000:371
    welfare = next(p for p in per_site["Fife"].proposed if p.title == "a welfare hub service")
    assert welfare.delivered_by == ("Welfare Partnership Innovation Team",)
    assert "Welfare Partnership Innovation Team" in per_site["Fife"].delivered_groups


@pytest.mark.parametrize(
    ("site", "researcher", "director"),
    [
        ("Aberdeenshire", "James Henderson", "Nick Bland"),  # 000:369
        ("Fife", "Hayley Bennett", "Chris Chapman"),  # 000:370
        ("Glasgow", "Richard Brunner", "Nick Watson"),  # 000:371
        ("West Dunbartonshire", "Claire Bynner", "Ken Gibb"),  # 000:373
    ],
)
def test_table_b_names_each_sites_researcher_and_director(
    demo_programme, site, researcher, director
):
    sites = {s.site_name: s for s in metrics.table_b(scope=MetricScope(programme=demo_programme))}

    assert (sites[site].researchers, sites[site].director) == ((researcher,), director)


def test_table_a_counts_the_published_rows(demo_programme):
    table = metrics.evidence_table_a(scope=MetricScope(programme=demo_programme)).by_authorship

    assert table.column("first")[table.row_keys.index("collaboration")] >= 4  # 000:342-344, 350
    assert table.column("second")[table.row_keys.index("researcher")] >= 5
    assert table.total == sum(table.column_totals)


PRACTITIONER = "Practitioner only"
RESEARCHER = "Researcher only"
COLLABORATION = "Practitioner and researcher collaboration"


# seed 000:340-350, Table A's "Data" and "Source/ Authors" columns row by row (the dashes are
# the paper's en dashes).
TABLE_A = [
    (
        "Context reports - background data and descriptions of the public service reform "
        "challenges and knowledge gaps in each CPP area",
        PRACTITIONER,
    ),
    (
        "Reflective accounts from CAR groups \u2013 recordings of group discussions, "
        "contemporaneous notes and observations, reflective fieldwork notes",
        RESEARCHER,
    ),
    (
        "Formal materials produced in CAR meetings, discussions and events \u2013 flipcharts, "
        "photographs, learning materials, minutes",
        COLLABORATION,
    ),
    (
        "Communications with CAR group members between sessions (emails, telephone calls)",
        COLLABORATION,
    ),
    ("Formal outputs from the CAR groups (published reports, blogs)", COLLABORATION),
    (
        "Formal second order data collection \u2013 surveys reflective templates, interviews, "
        "consultations",
        RESEARCHER,
    ),
    ("Reflective discussions at the PLC and associated reading group", RESEARCHER),
    ("Desk research", RESEARCHER),
    (
        "Two of the What Works Scotland national events for CAR group members \u2013 including "
        "event reports and reflective notes",
        RESEARCHER,
    ),
    (
        "Other events in each case site (e.g. learning days) \u2013 including event reports "
        "and reflective notes",
        RESEARCHER,
    ),
    (
        "Data collected to answer inquiry group research questions (e.g. interviews, focus "
        "groups, statistical analysis)",
        COLLABORATION,
    ),
]


def test_table_a_lists_the_papers_eleven_data_sources_in_its_order(demo_programme):
    rows = metrics.evidence_table_a(scope=MetricScope(programme=demo_programme)).data_sources

    # The paper gives no first or second order per row (000:339), so the rows carry none.
    assert [(row.row, row.title, row.authorship) for row in rows] == [
        (n, title, authorship) for n, (title, authorship) in enumerate(TABLE_A, start=1)
    ]


def test_retreat_statements_keep_their_published_range(demo_programme):
    shares = metrics.feedback_shares(scope=MetricScope(programme=demo_programme))

    ranged = [share for share in shares if share.has_published_range]
    assert len(ranged) == 3  # 001:196-198
    assert {(share.published_min, share.published_max) for share in ranged} == {(75, 85)}
    assert all(share.share is None for share in ranged)


def test_every_metric_runs_on_the_demo(demo_programme):
    scope = MetricScope(programme=demo_programme)

    headline = metrics.headline(scope=scope)
    assert headline.groups >= 20
    assert metrics.groups_by_kind(scope=scope).total == headline.groups
    assert metrics.participation(scope=scope, on=END_OF_PROGRAMME).people == headline.people
    assert len(metrics.group_appendix(scope=scope)) == headline.groups
    assert metrics.events_summary(scope=scope).count == headline.events
    grid = metrics.theme_coverage(scope=scope)
    assert {framework.framework for framework in grid} >= {"Christie pillars", "Key messages"}
    for function in (
        metrics.groups_by_status_over_time,
        metrics.cycles,
        metrics.turnover_by_quarter,
        metrics.organisations_and_sectors,
        metrics.occupation_categories,
        metrics.levels,
        metrics.research_experience,
        metrics.organisational_diversity,
        metrics.group_participation,
        metrics.activities_by_kind_per_month,
        metrics.meeting_hours,
        metrics.attendance_per_meeting,
        metrics.researcher_roles,
        metrics.evidence_by_use,
        metrics.outputs_summary,
        metrics.outputs_list,
        metrics.changes_summary,
        metrics.changes_with_evidence,
        metrics.co_attendance_network,
        metrics.joint_activities_timeline,
        metrics.partnership_health,
    ):
        function(scope=scope)


@pytest.mark.parametrize(
    ("title_start", "place", "description"),
    [
        # 000:386-393
        (
            "National event 1",
            "Edinburgh",
            "Presentations by CPP leads on CPP contexts and potential CAR projects.",
        ),
        # 000:397-407
        (
            "National event 2",
            "Edinburgh",
            "CAR-focused contextual reports produced by a sample of inquiry group members; "
            "learning about CAR; deliberating inquiry topics.",
        ),
        # 000:411-423; the place as the reference gives it, 000:923
        (
            "National event 3",
            "Queens Hotel, Perth",
            "A sample of CAR group members presented on inquiry topics; learning about CAR in "
            "practice; developing a cross-site Community of Practice; emergent themes on public "
            "service reform.",
        ),
    ],
)
def test_the_timeline_gives_each_national_events_place_and_description(
    demo_programme, title_start, place, description
):
    timeline = metrics.joint_activities_timeline(scope=MetricScope(programme=demo_programme))

    entry = next(e for e in timeline.entries if e.title.startswith(title_start))

    assert (entry.place, entry.description) == (place, description)
