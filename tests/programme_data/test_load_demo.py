"""The demo programme reproduces the figures published in the seeds (cited as seed:line)."""

import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command

from accounts.enums import RoleKind
from accounts.models import Role
from events.enums import QuestionKind
from events.models import AttendanceCount, Event, FeedbackQuestion
from evidence.enums import Authorship, EvidenceOrder, OutputForm
from evidence.models import EvidenceItem, Output
from inquiries.enums import ActivityKind, ContactDirection
from inquiries.models import Activity, GroupFigure, InquiryGroup, ResearchQuestion
from inquiries.selectors import group_list_with_counts
from sites.enums import ProjectOutcome
from sites.models import CaseSite, EngagementFigure, ProposedProject, Theme

pytestmark = pytest.mark.django_db

END_OF_PROGRAMME = dt.date(2017, 12, 31)
DEMO_FILE = Path(__file__).resolve().parents[2] / "programme_data" / "demo" / "wws_car.yaml"

CLW_1 = "Community links worker inquiry: cycle 1 \u2013 Learning from the pilot project in Insch"
CLW_2 = "Community links worker inquiry: cycle 2 \u2013 considering inequalities"
BAL = "Beyond Action Learning report: action learning sets and improvement"
CCB = "Developing a strategic approach to community capacity-building"
BOARD = "Development work with the board and executive"
LOIP = (
    "Development work across CPP partners \u2013 including re. Local Outcomes Improvement Plan"
    " (LOIP)"
)
STRATEGY = "Fife CAR strategy group"
PARIS = "Spin-off Paris PB learning visit"
CASE_STUDY = "TP Case study development group"
DISSERTATIONS = "Collaborative dissertations in TP"
EA = "Evaluability Assessment of TP"
ACTION_PLANNING = (
    "Community-led Action Planning Development Day: cycle 1 \u2013 planning, researching and"
    " delivering a development day for practitioners across the CPP"
)
YOUR_COMMUNITY = (
    "Group based inquiry \u2013 evaluation of 'Your Community' \u2013 a place-based programme"
)


def group_counts(programme, name):
    """A group's figures on its last day, or at the programme's end if it ran on: the seeds
    give its members for its period, and undated members are members for that period."""
    group = InquiryGroup.objects.get(programme=programme, name=name)
    on = min(group.end_date or END_OF_PROGRAMME, END_OF_PROGRAMME)
    groups = group_list_with_counts(queryset=InquiryGroup.objects.filter(pk=group.pk), on=on)
    return groups.get()


def test_four_case_sites_with_researcher_and_director(demo_programme):
    sites = {
        site.name: (
            [str(user) for user in site.lead_researchers.all()],
            str(site.director),
            site.population,
        )
        for site in CaseSite.objects.filter(programme=demo_programme)
        .select_related("director")
        .prefetch_related("lead_researchers")
    }

    assert sites == {
        "Aberdeenshire": (["James Henderson"], "Nick Bland", sites["Aberdeenshire"][2]),
        "Fife": (["Hayley Bennett"], "Chris Chapman", 370000),  # 000:370, 000:1160
        "Glasgow": (["Richard Brunner"], "Nick Watson", 600000),  # 000:371, 000:1227
        "West Dunbartonshire": (["Claire Bynner"], "Ken Gibb", sites["West Dunbartonshire"][2]),
    }


def test_table_b_proposed_projects_and_their_outcomes(demo_programme):
    proposed = {
        site.name: [(project.title, project.outcome) for project in site.proposed_projects.all()]
        for site in CaseSite.objects.filter(programme=demo_programme).prefetch_related(
            "proposed_projects"
        )
    }

    assert [title for title, _ in proposed["Fife"]] == [  # 000:370
        "a welfare hub service",
        "a new family hub in a deprived locality",
        "a schools intervention programme",
    ]
    assert all(outcome == ProjectOutcome.TAKEN_FORWARD for _, outcome in proposed["Fife"])
    assert len(proposed["Aberdeenshire"]) == len(proposed["Glasgow"]) == 3  # 000:369, 000:371
    assert len(proposed["West Dunbartonshire"]) == 3  # 000:373
    assert (
        ProposedProject.objects.get(
            site__programme=demo_programme, title__icontains="road safety"
        ).outcome
        == ProjectOutcome.DROPPED
    )  # 000:1090


def test_table_b_delivered_projects(demo_programme):
    glasgow = CaseSite.objects.get(programme=demo_programme, name="Glasgow")

    assert glasgow.delivered_focus == [  # 000:371
        "Evaluation of Participatory Budgeting",
        "Case study development in Thriving Places",
    ]
    welfare = ProposedProject.objects.get(site__name="Fife", title="a welfare hub service")
    assert [str(group) for group in welfare.delivered_by.all()] == ["Welfare PIT"]


@pytest.mark.parametrize(
    ("name", "core", "periphery"),
    [
        ("Welfare Partnership Innovation Team", 14, 34),  # 000:1334
        ("Family Partnership Innovation Team", 20, 4),  # 000:1337
        ("Schools Partnership Innovation Team", 9, 2),  # 000:1338
    ],
)
def test_fife_partnership_innovation_teams_match_appendix_b(demo_programme, name, core, periphery):
    group = group_counts(demo_programme, name)

    assert (group.core_count, group.periphery_count) == (core, periphery)


# Each published total of a group that the demo holds, by the seed line that gives it: the
# group, what it counts and the figure as printed with its qualifier.
PUBLISHED_GROUP_FIGURES = {
    "000:1315": [(CLW_1, "members", "9"), (CLW_1, "meetings", "12")],
    "000:1316": [(CLW_2, "members", "6"), (CLW_2, "meetings", "2")],
    "000:1317": [(BAL, "meetings", "4")],
    "000:1319": [(CCB, "members", "6+"), (CCB, "members", "5"), (CCB, "members", "13")],
    "000:1323": [("Scoping work for an inquiry group", "meetings", "2")],
    "000:1324": [("Further scoping work across the CPP", "members", "25+")],
    "000:1325": [(BOARD, "members", "about 30")],
    "000:1327": [(LOIP, "members", "about 50+")],
    "000:1328": [("Final Learning Report", "members", "23")],
    "000:450": [(STRATEGY, "members", "14")],
    "000:1333": [
        (STRATEGY, "members", "28"),
        (STRATEGY, "members", "12"),
        (STRATEGY, "meetings", "8"),
    ],
    "000:1334": [("Welfare Partnership Innovation Team", "meetings", "22")],
    "000:1337": [("Family Partnership Innovation Team", "meetings", "15")],
    "000:1338": [("Schools Partnership Innovation Team", "meetings", "about 12")],
    "000:1361": [
        ("PB evaluation group", "members", "7"),
        ("PB evaluation group", "meetings", "15"),
    ],
    "000:1362": [(PARIS, "members", "7")],
    "000:1363": [(CASE_STUDY, "members", "6"), (CASE_STUDY, "meetings", "10")],
    "000:1366": [(DISSERTATIONS, "members", "6"), (DISSERTATIONS, "members", "7")],
    "000:1367": [(EA, "members", "about 25"), (EA, "meetings", "4")],
    "000:1373": [(ACTION_PLANNING, "members", "5")],
    "000:1374": [(YOUR_COMMUNITY, "members", "7"), (YOUR_COMMUNITY, "meetings", "5")],
}


def held_figures(programme) -> dict[tuple[str, str, str], str]:
    """The demo's published group figures as (group, what it counts, as printed): source."""
    figures = GroupFigure.objects.filter(group__programme=programme).select_related("group")
    return {(figure.group.name, figure.kind, figure.shown): figure.source for figure in figures}


@pytest.mark.parametrize("seed_line", PUBLISHED_GROUP_FIGURES)
def test_each_published_group_figure_is_held_with_its_qualifier_and_source(
    demo_programme, seed_line
):
    held = held_figures(demo_programme)

    for figure in PUBLISHED_GROUP_FIGURES[seed_line]:
        assert seed_line in held[figure], figure


def test_the_demo_holds_no_other_published_group_figure(demo_programme):
    expected = [figure for figures in PUBLISHED_GROUP_FIGURES.values() for figure in figures]

    assert sorted(held_figures(demo_programme)) == sorted(expected)


def test_the_evaluability_assessment_meetings_keep_their_published_period(demo_programme):
    figure = GroupFigure.objects.get(
        group__programme=demo_programme, group__name=EA, kind="meetings"
    )

    assert figure.period == "January 2016 to June 2016"  # 000:1367 "Jan-Jun 2016"


def test_no_group_meeting_is_made_up_from_a_published_count(demo_programme):
    described = {
        activity["title"]
        for site in yaml.safe_load(DEMO_FILE.read_text())["sites"]
        for group in site["groups"]
        for activity in group.get("activities") or []
        if activity["kind"] == ActivityKind.GROUP_MEETING
    }
    meetings = Activity.objects.filter(programme=demo_programme, kind=ActivityKind.GROUP_MEETING)

    assert set(meetings.values_list("title", flat=True)) <= described


def test_a_published_head_count_is_the_group_s_not_a_site_figure(demo_programme):
    assert not EngagementFigure.objects.filter(
        site__programme=demo_programme, label__startswith=f"{EA}:"
    ).exists()


def test_every_site_has_its_appendix_b_groups(demo_programme):
    per_site = {
        site.name: site.groups.count() for site in CaseSite.objects.filter(programme=demo_programme)
    }

    assert all(count >= 2 for count in per_site.values()), per_site
    assert InquiryGroup.objects.filter(programme=demo_programme).count() >= 20


def test_paris_visit_is_a_spin_off_spanning_glasgow_and_fife(demo_programme):
    paris = InquiryGroup.objects.get(programme=demo_programme, name__icontains="Paris")

    assert sorted(site.name for site in paris.sites.all()) == ["Fife", "Glasgow"]
    assert paris.parent.name == "PB evaluation group"


def test_fife_research_questions_are_quoted_verbatim(demo_programme):
    questions = set(
        ResearchQuestion.objects.filter(group__sites__name="Fife").values_list("text", flat=True)
    )

    assert {  # 000:1199, 000:1207, 000:1213
        "How can we improve our knowledge of what sanctions data is available across partner "
        "agencies in Fife? How can we use this to prevent people from being sanctioned? Or better "
        "support those who have been sanctioned?",
        "Why do families participate in Family Fun sessions?",
        "How can we improve partnership working with schools to support young people in need?",
    } <= questions


def test_fife_researcher_engagement_tallies(demo_programme):
    tallies = {
        (activity.kind, activity.direction): activity.count
        for activity in Activity.objects.filter(site__name="Fife", count__isnull=False, group=None)
    }
    figures = dict(EngagementFigure.objects.filter(site__name="Fife").values_list("label", "value"))

    assert tallies[(ActivityKind.EMAIL, ContactDirection.INCOMING)] == 703  # 000:1184
    assert tallies[(ActivityKind.PHONE_CALL, "")] == 68  # 000:1187
    assert figures["additional in-person meetings"] == 30  # 000:1190
    assert figures["weeks of engagement"] == 90  # 000:1183
    assert figures["practitioners engaged with"] == 87  # 000:1185
    assert figures["'core' practitioners worked with closely"] == 48  # 000:1186
    assert figures["occupational groups of the core practitioners"] == 12  # 000:1186
    assert figures["total PIT meetings"] == 51  # 000:1189


def test_national_events_and_their_places(demo_programme):
    national = {
        (event.start_date.year, event.start_date.month): event.location
        for event in Event.objects.filter(programme=demo_programme, sites=None)
    }

    assert national[(2014, 12)] == "Edinburgh"  # 000:391
    assert national[(2015, 6)] == "Edinburgh"  # 000:397
    assert national[(2016, 2)].endswith("Perth")  # 000:403
    training = Event.objects.get(programme=demo_programme, start_date__year=2017, kind="training")
    per_site = training.attendance_counts.filter(site__isnull=False)
    # 000:432 "Four public service workers from each site" is not who came: only the sites'
    # rows say how many attended, 000:1355 (Fife) and 000:1379 (West Dunbartonshire).
    assert dict(per_site.values_list("site__name", "count")) == {
        "Fife": 4,
        "West Dunbartonshire": 3,
    }


@pytest.mark.parametrize(
    ("title_part", "attendance"),
    [
        ("Welfare", 42),  # 000:1336
        ("Evidence to Action", 50),  # 000:1352
        ("Making the Change", 75),  # 000:1354
        ("reducing poverty (seminar)", 30),  # 000:1378
    ],
)
def test_event_attendance_as_published(demo_programme, title_part, attendance):
    event = Event.objects.get(
        programme=demo_programme, title__icontains=title_part, sites__isnull=False
    )

    total = AttendanceCount.objects.get(event=event, organisation=None, site=None)
    assert total.count == attendance


def test_fife_home_retreats_had_27_attendees_each(demo_programme):
    retreats = AttendanceCount.objects.filter(
        event__programme=demo_programme, event__kind="home_retreat", event__sites__name="Fife"
    )

    assert list(retreats.values_list("count", flat=True)) == [27, 27]  # 000:1342


def test_june_2015_retreat_evaluation_keeps_the_published_range(demo_programme):
    statements = FeedbackQuestion.objects.filter(
        form__event__programme=demo_programme, kind=QuestionKind.LIKERT
    )

    assert statements.count() == 3  # 001:196-198
    assert set(statements.values_list("published_share_min", "published_share_max")) == {(75, 85)}
    assert not statements.filter(answers__isnull=False).exists()


def test_two_theme_frameworks(demo_programme):
    frameworks = {
        framework: list(
            Theme.objects.filter(programme=demo_programme, framework=framework).values_list(
                "name", flat=True
            )
        )
        for framework in ("Christie pillars", "Key messages")
    }

    assert len(frameworks["Christie pillars"]) == 4
    assert [name.split()[0] for name in frameworks["Key messages"]] == [  # 004
        "Participation",
        "Partnership",
        "Governance",
        "Workforce",
        "Leadership",
        "Prevention",
        "Place",
        "Evidence",
    ]
    assert InquiryGroup.objects.filter(programme=demo_programme, themes__isnull=False).exists()


def test_formal_and_creative_outputs_of_footnotes_8_and_9(demo_programme):
    outputs = Output.objects.filter(programme=demo_programme)

    formal = {  # 000:704
        "Schools Partnership inquiry team report",
        "Thriving Places case study (1 of 2)",
        "Thriving Places case study (2 of 2)",
    }
    creative = {  # 000:706
        "Welfare PIT blog (1 of 2)",
        "Welfare PIT blog (2 of 2)",
        "Participatory Budgeting evaluation toolkit",
        "Info-graphic on what works in community-led action planning",
    }
    assert formal <= set(outputs.filter(form=OutputForm.FORMAL).values_list("title", flat=True))
    assert creative <= set(outputs.filter(form=OutputForm.CREATIVE).values_list("title", flat=True))


def test_table_a_data_sources_by_authorship(demo_programme):
    items = EvidenceItem.objects.filter(programme=demo_programme)

    assert items.filter(authorship=Authorship.PRACTITIONER).exists()  # 000:340
    assert items.filter(authorship=Authorship.RESEARCHER, order=EvidenceOrder.SECOND).exists()
    assert items.filter(authorship=Authorship.COLLABORATION).count() >= 4  # 000:342-344, 350


def test_pseudonymous_members_carry_no_invented_names(demo_programme):
    group = InquiryGroup.objects.get(programme=demo_programme, short_name="Welfare PIT")
    names = group.memberships.values_list("person__name", "person__pseudonym")

    assert all(name.startswith("Unnamed ") for name, _ in names)
    assert len({pseudonym for _, pseudonym in names}) == 48


def test_one_demo_login_per_role(demo_programme):
    roles = set(
        Role.objects.filter(
            programme=demo_programme, user__username__in=["manager", "researcher", "lead"]
        ).values_list("user__username", "role")
    )

    assert roles == {
        ("manager", RoleKind.PROGRAMME_MANAGER),
        ("researcher", RoleKind.RESEARCHER),
        ("lead", RoleKind.STRATEGY_LEAD),
    }


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_second_load_changes_nothing(demo_programme):
    before = row_counts()
    history_before = demo_programme.history.latest().history_date

    call_command("load_demo", stdout=io.StringIO())

    assert row_counts() == before
    assert demo_programme.history.latest().history_date == history_before


def test_fife_strategy_group_counts_its_dated_meetings_and_publishes_the_full_ones(demo_programme):
    group = group_counts(demo_programme, STRATEGY)

    # 000:1333: two pre-meetings in 2014 and one catch-up in November 2017 are rows; the eight
    # full meetings from March 2015 to December 2016 are a published total, not added to them.
    assert group.meeting_count == 3
    assert [figure.shown for figure in group.published_figures.filter(kind="meetings")] == ["8"]


def test_no_demo_logins_outside_the_embedded_default(demo_programme, settings):
    settings.DEMO_LOGINS_ALLOWED = False
    User = apps.get_model("accounts", "User")
    User.objects.filter(username__in=["manager", "researcher", "lead"]).delete()

    call_command("load_demo", stdout=io.StringIO())

    assert not User.objects.filter(username__in=["manager", "researcher", "lead"]).exists()


def test_loading_moves_the_programme_records_version_on(demo_programme):
    demo_programme.refresh_from_db(fields=["records_version"])

    assert demo_programme.records_version >= 1


def test_load_demo_prints_the_demo_sign_ins_with_their_roles(demo_programme, settings):
    settings.DEMO_LOGINS_ALLOWED = True
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[1:] == [
        "Demo sign-ins, each with the password car-demo-2026:",
        f"  manager      Programme manager of {demo_programme}; superuser: may also use the"
        " administration",
        "  researcher   Researcher of Fife",
        "  lead         Strategy lead of Fife",
    ]
