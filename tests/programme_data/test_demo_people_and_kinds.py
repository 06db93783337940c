"""The demo's people, organisations and kinds of record say what the seeds say (seed:line)."""

import datetime as dt

import pytest

from evidence.enums import EvidenceKind, EvidenceOrder, OutputStatus
from evidence.models import EvidenceItem, Output
from inquiries.enums import ActivityKind, GroupFigureKind, MembershipRole
from inquiries.models import Activity, InquiryGroup, Membership, Person
from inquiries.selectors import group_list_with_counts
from reports import metrics
from reports.metrics import MetricScope
from sites.models import CaseSite, EngagementFigure

pytestmark = pytest.mark.django_db

END_OF_PROGRAMME = dt.date(2017, 12, 31)
PITS = ("Welfare PIT", "Family PIT", "Schools PIT")


def group(programme, short_name):
    return InquiryGroup.objects.get(programme=programme, short_name=short_name)


def published_head_counts(group):
    """The group's published head counts, by label: totals the source gives without roles."""
    figures = group.published_figures.filter(kind=GroupFigureKind.MEMBERS)
    return {figure.label: figure.value for figure in figures}


def roles(group):
    return sorted(set(group.memberships.values_list("role", flat=True)))


def test_fife_people_are_counted_once_however_many_groups_they_sit_in(demo_programme):
    """000:1185 "Engaging with 87 practitioners"; 000:1186 "48 'core' practitioners".

    Appendix B (000:1333-1338) gives 14+34, 20+4 and 9+2 members of the three PITs. Of the
    strategy group the seeds tell apart only its "PIT leaders" (000:1333): the Welfare and
    Family PITs' leaders and the Schools PIT's two (000:1338), who sit in both groups. So the
    demo holds 87 memberships and 83 people of Fife, against the published 87 practitioners:
    the strategy group's other regular members (of 12) are a published total, not people. Its
    core practitioners of the PITs are the table's 14+20+9 = 43, against the published 48, which
    counts newcomers who replaced leavers (000:450).
    """
    fife = MetricScope(programme=demo_programme, site=CaseSite.objects.get(name="Fife"))
    memberships = fife.memberships()
    in_pits = memberships.filter(group__short_name__in=PITS, role=MembershipRole.CORE)

    assert memberships.count() == 87
    assert metrics.participation(scope=fife, on=END_OF_PROGRAMME).people == 83
    assert metrics.headline(scope=fife).people == 83
    assert in_pits.values("person").distinct().count() == 43


def test_the_pit_leaders_are_strategy_group_members(demo_programme):
    """000:1333 the strategy group: "PIT leaders, departmental managers, multi-agency
    representatives"; 000:1334, 000:1337 one leader each; 000:1338 two leaders over time."""
    strategy = group(demo_programme, "Strategy group")
    shared = Membership.objects.filter(
        person__memberships__group=strategy, group__short_name__in=PITS
    )

    assert sorted(shared.values_list("group__short_name", "role")) == [
        ("Family PIT", MembershipRole.CORE),
        ("Schools PIT", MembershipRole.CORE),
        ("Schools PIT", MembershipRole.CORE),
        ("Welfare PIT", MembershipRole.CORE),
    ]
    assert shared.values("person").distinct().count() == 4


def test_the_strategy_group_has_28_members_over_the_period_and_12_regular(demo_programme):
    """000:1333 "Membership varies over time, 28 members over total period / Regular members
    12": both are published totals; the only rows are the four PIT leaders (core, as 000:450
    calls the strategy group's members), and no periphery is made up."""
    strategy = group(demo_programme, "Strategy group")

    assert roles(strategy) == [MembershipRole.CORE]
    assert strategy.memberships.count() == 4
    assert published_head_counts(strategy) == {
        "members over total period (membership varies over time)": 28,
        "regular members": 12,
        # 000:450 "As a maximum ... 14 core strategy group members"
        "core strategy group members, as a maximum (including new staff who joined when "
        "others left)": 14,
    }


def test_organisations_are_given_only_where_the_seeds_place_members(demo_programme):
    """000:1317 "Team of three people from HSCP, NHS Grampian, What Works Scotland": one each;
    000:1338 the Schools PIT's leader became "a local authority education officer". Nobody
    else is placed: 000:1333 "multi-agency", 000:1334 seven organisations for 48 members,
    000:1338 "CLD, education, third sector, and teaching staff" say no more."""
    placed = Membership.objects.filter(
        group__programme=demo_programme,
        person__user__isnull=True,
        person__organisation__isnull=False,
    )

    assert sorted(placed.values_list("group__short_name", "person__organisation__name")) == [
        ("Beyond Action Learning", "Aberdeenshire Health and Social Care Partnership (HSCP)"),
        ("Beyond Action Learning", "NHS Grampian"),
        ("Schools PIT", "Fife Council"),
        ("Strategy group", "Fife Council"),
    ]
    pseudonymous = Person.objects.filter(programme=demo_programme, user__isnull=True)
    assert pseudonymous.filter(organisation__isnull=False).count() == 3


@pytest.mark.parametrize(
    ("short_name", "head_count"),
    [
        ("CLW inquiry cycle 1", 9),  # 000:1315 "Team of nine"
        ("CLW inquiry cycle 2", 6),  # 000:1316 "Initial team of six"
        ("Paris", 7),  # 000:1247, 000:1362 "seven officers"
        ("CS", 6),  # 000:1363 "Five officers, one activist"
        ("CD", 6),  # 000:1366 "Six officers (two services)"
        ("C-AP Development Day", 5),  # 000:1373 "Team of five"
        ("Your Community evaluation", 7),  # 000:1374 "Team of seven"
    ],
)
def test_team_sizes_are_published_totals_not_core_members(demo_programme, short_name, head_count):
    """A team size is not a count of core members where the seed does not say core."""
    team = group(demo_programme, short_name)

    assert not team.memberships.filter(role=MembershipRole.CORE).exists()
    assert head_count in published_head_counts(team).values()


def test_glasgow_pb_group_has_four_core_of_seven_and_no_made_up_periphery(demo_programme):
    """000:1361 "Seven members, four core. cross-service & third sector"."""
    pb = group(demo_programme, "PB")

    assert pb.memberships.filter(person__user__isnull=True).count() == 4
    assert MembershipRole.PERIPHERY not in roles(pb)
    assert set(published_head_counts(pb).values()) == {7}


def test_your_community_sessions_are_its_meetings(demo_programme):
    """000:1374 "Five facilitate sessions. Each session lasted approximately 2-2.5 hours"."""
    counted = group_list_with_counts(
        queryset=InquiryGroup.objects.filter(programme=demo_programme), on=END_OF_PROGRAMME
    ).get(short_name="Your Community evaluation")

    # Undated in the source: a published total, with no rows or dates made up for it.
    meetings = counted.published_figures.get(kind=GroupFigureKind.MEETINGS)
    assert (meetings.shown, meetings.label) == ("5", "facilitated sessions")
    assert counted.meeting_count == 0
    assert not Activity.objects.filter(group=counted).exclude(kind=ActivityKind.GROUP_MEETING)


def test_the_additional_in_person_meetings_are_not_one_to_ones(demo_programme):
    """000:1190 "30 additional in-person meetings": a published total, not one-to-one rows."""
    fife = CaseSite.objects.get(name="Fife")

    assert not Activity.objects.filter(site=fife, group=None, kind=ActivityKind.ONE_TO_ONE)
    assert (
        EngagementFigure.objects.get(site=fife, label="additional in-person meetings").value == 30
    )


def test_evidence_reviews_brought_by_researchers_are_second_order(demo_programme):
    """000:329-333 first order is the research the groups conducted; 000:653 the reviews were
    brought to the groups by the researchers."""
    reviews = EvidenceItem.objects.filter(
        programme=demo_programme, kind=EvidenceKind.EVIDENCE_REVIEW
    )

    assert reviews.count() == 4
    assert set(reviews.values_list("order", flat=True)) == {EvidenceOrder.SECOND}


PUBLISHED = {
    "out_retreat_report_2015": "Collaborative Action Retreat Report",  # 000:921, 000:995
    "out_perth_report_2016": "Challenge Current Practice",  # 002:23
    "out_working_paper_2018": "Collaborative Action Research and public services",  # README
    "out_supporting_car": "Supporting collaborative action research",  # 000:929, 003:74
    "out_how_to_design_car": "How to Design Collaborative Action Research",  # 003:74-76
    "out_car_approach_page": "Our approach to collaborative action research",  # 000:981
    "out_key_messages": "Key messages about public service reform",  # README
    "out_henderson_bynner_2018": "Cultivating 'sanction and sanctuary'",  # 000:953
    "out_facilitative_leadership_blog": "Facilitative Leadership",  # 000:1001
    "out_abdn_clw_report": "Learning about community capacity-building",  # 000:1026
    "out_abdn_bal_report": "Exploring collaborative learning",  # 000:971, 000:1030
    "out_abdn_prevention_report": "Inquiring into Multi-layered",  # 000:1036
    "out_fife_family_report": "Family Fun Model",  # 000:998
    "out_fife_overview": "Reflections and Learning from the Fife",  # 000:1019
    "out_paris_film": "How can Scotland learn from international evidence",  # 000:926
    "out_pb_international_blog_2018": "Continuing to learn from international",  # 000:1022
    "out_glasgow_ea_report": "Evaluability Assessment of Thriving Places",  # 000:925
    "out_modulus_2016": "Putting Christie into Practice",  # 000:927, 000:989
    "out_modulus_2018": "The Operation Modulus Approach",  # 000:937, 000:1265
    "out_wd_profiling_reflections": "What works in Community Profiling",  # 000:985
}


def test_only_outputs_the_seeds_publish_are_published(demo_programme):
    """An output is published where the seeds give its publication (a reference, an address
    among the publications, a date of publication); the others the seeds name without saying
    so have an unknown status, shown as unknown."""
    outputs = Output.objects.filter(programme=demo_programme)
    published = outputs.filter(status=OutputStatus.PUBLISHED)
    unknown = outputs.filter(status="")

    assert published.count() == len(PUBLISHED)
    for title_part in PUBLISHED.values():
        assert published.filter(title__icontains=title_part).count() == 1, title_part
    assert unknown.count() == 25
    assert unknown.get(title="Schools Partnership inquiry team report").get_status_display() == (
        "Unknown"
    )  # 000:704
    summary = metrics.outputs_summary(scope=MetricScope(programme=demo_programme))
    statuses = dict(zip(summary.by_status.labels, summary.by_status.values, strict=True))
    assert (statuses["Published"], statuses["Unknown"]) == (len(PUBLISHED), 25)
