"""Metrics on small hand-built data with known answers, and their constant query counts."""

import datetime as dt

import pytest
from zeal import zeal_ignore

from evidence.enums import Authorship, EvidenceOrder, Sensitivity
from inquiries.enums import (
    ActivityKind,
    GroupFigureKind,
    GroupStatus,
    LeaveReason,
    MembershipRole,
)
from inquiries.services import membership_add, membership_change_role
from reports import metrics
from reports.metrics import HealthFlagKind, MetricScope
from reports.rollups import theme_links_rebuild
from sites.enums import Qualifier
from tests import factories
from tests.built_once import built_once, queries_of

pytestmark = pytest.mark.django_db

D = dt.date


def test_core_and_periphery_on_a_date_count_each_person_once():
    group = factories.InquiryGroupFactory(start_date=D(2015, 1, 1))
    scope = MetricScope(programme=group.programme)
    ann = factories.MembershipFactory(group=group, joined_on=D(2015, 1, 1))
    # Ann moves from core to periphery on 1 March: one person, in her new role from that day.
    ann_core = ann
    ann_core.left_on, ann_core.leave_reason = D(2015, 3, 1), LeaveReason.ROLE_CHANGE
    ann_core.save()
    factories.MembershipFactory(
        group=group, person=ann.person, role=MembershipRole.PERIPHERY, joined_on=D(2015, 3, 1)
    )
    factories.MembershipFactory(group=group, joined_on=D(2015, 2, 1), left_on=D(2015, 6, 1))
    factories.MembershipFactory(group=group, role=MembershipRole.PERIPHERY, joined_on=None)

    february = metrics.participation(scope=scope, on=D(2015, 2, 15))
    march = metrics.participation(scope=scope, on=D(2015, 3, 1))
    july = metrics.participation(scope=scope, on=D(2015, 7, 1))

    assert (february.people, february.core, february.periphery) == (3, 2, 1)
    assert (march.core, march.periphery, march.members_on) == (1, 2, 3)
    assert (july.core, july.periphery) == (0, 2)


def test_turnover_per_quarter_ignores_role_changes():
    group = factories.InquiryGroupFactory()
    first = factories.MembershipFactory(
        group=group,
        joined_on=D(2015, 1, 10),
        left_on=D(2015, 5, 1),
        leave_reason=LeaveReason.ROLE_CHANGE,
    )
    factories.MembershipFactory(
        group=group, person=first.person, role=MembershipRole.PERIPHERY, joined_on=D(2015, 5, 1)
    )
    factories.MembershipFactory(
        group=group,
        joined_on=D(2015, 2, 1),
        left_on=D(2015, 8, 1),
        leave_reason=LeaveReason.CAPACITY,
    )

    quarters = metrics.turnover_by_quarter(scope=MetricScope(programme=group.programme)).quarters

    assert [(q.label, q.joiners, q.leavers, q.core_leavers) for q in quarters] == [
        ("2015 Q1", 2, 0, 0),
        ("2015 Q2", 0, 0, 0),
        ("2015 Q3", 0, 1, 1),
    ]


def test_turnover_says_how_many_joiners_it_could_not_place_in_a_quarter():
    group = factories.InquiryGroupFactory()
    factories.MembershipFactory(group=group, joined_on=D(2015, 4, 7))
    factories.MembershipFactory.create_batch(2, group=group, joined_on=None)
    everything = MetricScope(programme=group.programme)
    a_year = MetricScope(programme=group.programme, start=D(2015, 1, 1), end=D(2015, 12, 31))

    for scope in (everything, a_year):
        turnover = metrics.turnover_by_quarter(scope=scope)
        assert [(q.label, q.joiners) for q in turnover.quarters] == [("2015 Q2", 1)]
        assert turnover.joiners_unplaced == 2


def test_a_member_added_and_moved_to_another_role_the_same_day_joined_once():
    group = factories.InquiryGroupFactory()
    person = factories.PersonFactory(programme=group.programme)
    added = membership_add(
        group=group, person=person, role=MembershipRole.PERIPHERY, joined_on=D(2015, 4, 7)
    )
    core = membership_change_role(membership=added, role=MembershipRole.CORE, as_of=D(2015, 4, 7))
    # ... and back again the same day: still one person joining, nobody leaving.
    membership_change_role(membership=core, role=MembershipRole.PERIPHERY, as_of=D(2015, 4, 7))

    quarters = metrics.turnover_by_quarter(scope=MetricScope(programme=group.programme)).quarters

    assert [(q.label, q.joiners, q.leavers) for q in quarters] == [("2015 Q2", 1, 0)]


def test_table_a_cross_tabulates_authorship_by_order():
    programme = factories.ProgrammeFactory()
    for order, authorship, n in [
        (EvidenceOrder.FIRST, Authorship.PRACTITIONER, 2),
        (EvidenceOrder.FIRST, Authorship.COLLABORATION, 3),
        (EvidenceOrder.SECOND, Authorship.RESEARCHER, 4),
    ]:
        factories.EvidenceItemFactory.create_batch(
            n, programme=programme, order=order, authorship=authorship
        )

    table = metrics.evidence_table_a(scope=MetricScope(programme=programme))

    by_authorship = table.by_authorship
    assert by_authorship.row_keys == ("practitioner", "researcher", "collaboration")
    assert by_authorship.column_keys == ("first", "second")
    assert by_authorship.cells == ((2, 0), (0, 4), (3, 0))
    assert (by_authorship.row_totals, by_authorship.column_totals) == ([2, 4, 3], [5, 4])
    assert table.by_kind.column("second/researcher")[table.by_kind.row_keys.index("interview")] == 4


def test_changes_title_only_evidence_that_is_not_restricted_or_personal():
    programme = factories.ProgrammeFactory()
    change = factories.ChangeFactory(programme=programme)
    change.evidence.set(
        [
            factories.EvidenceItemFactory(
                programme=programme, title="Survey", sensitivity=Sensitivity.PUBLIC
            ),
            factories.EvidenceItemFactory(
                programme=programme, title="Interview with Ann", sensitivity=Sensitivity.PERSONAL
            ),
            factories.EvidenceItemFactory(
                programme=programme, title="Board minutes", sensitivity=Sensitivity.RESTRICTED
            ),
        ]
    )

    (row,) = metrics.changes_with_evidence(scope=MetricScope(programme=programme))

    assert (row.evidence, row.withheld_evidence) == (("Survey",), 2)


def test_theme_grid_counts_records_per_theme_and_site():
    programme = factories.ProgrammeFactory()
    fife, glasgow = (
        factories.CaseSiteFactory(programme=programme),
        factories.CaseSiteFactory(programme=programme),
    )
    pillar = factories.ThemeFactory(programme=programme, name="Prevention", position=0)
    other = factories.ThemeFactory(programme=programme, name="Place", position=1)
    group = factories.InquiryGroupFactory(programme=programme)
    group.sites.set([fife])
    group.themes.set([pillar])
    # Evidence without sites of its own counts for its group's site.
    factories.EvidenceItemFactory(programme=programme, group=group).themes.set([pillar])
    output = factories.OutputFactory(programme=programme)
    output.sites.set([fife, glasgow])
    output.themes.set([pillar, other])
    factories.EventFactory(programme=programme).themes.set([pillar])  # programme-wide: total only
    # Linked with the ORM, not the services: the theme links are built as the loaders do.
    theme_links_rebuild(programme)

    (framework,) = metrics.theme_coverage(scope=MetricScope(programme=programme))

    assert framework.site_ids == tuple(sorted([fife.pk, glasgow.pk], key=lambda pk: pk))
    prevention, place = framework.themes
    assert (prevention.name, place.name) == ("Prevention", "Place")
    total = prevention.total
    assert (total.groups, total.evidence, total.outputs, total.changes, total.events) == (
        1,
        1,
        1,
        0,
        1,
    )
    in_fife, in_glasgow = prevention.per_site
    assert (in_fife.groups, in_fife.evidence, in_fife.outputs, in_fife.events) == (1, 1, 1, 0)
    assert (in_glasgow.groups, in_glasgow.outputs) == (0, 1)
    assert place.total.outputs == 1 and place.total.groups == 0


def test_network_weights_pairs_of_organisations_by_shared_activities():
    programme = factories.ProgrammeFactory()
    council, nhs, charity = factories.OrganisationFactory.create_batch(3, programme=programme)
    people = {
        org: factories.PersonFactory(programme=programme, organisation=org)
        for org in (council, nhs, charity)
    }
    colleague = factories.PersonFactory(programme=programme, organisation=council)
    first, second = factories.ActivityFactory.create_batch(2, programme=programme)
    for person in (people[council], colleague, people[nhs]):
        factories.AttendanceFactory(activity=first, person=person)
    for person in (people[council], people[nhs], people[charity]):
        factories.AttendanceFactory(activity=second, person=person)

    network = metrics.co_attendance_network(scope=MetricScope(programme=programme))

    def pair(a, b):
        return (min(a.pk, b.pk), max(a.pk, b.pk))

    edges = {(edge.source, edge.target): edge.weight for edge in network.edges}
    assert edges == {pair(council, nhs): 2, pair(council, charity): 1, pair(nhs, charity): 1}
    assert network.edges[0].weight == 2
    assert {node.organisation_id: node.activities for node in network.nodes} == {
        council.pk: 2,
        nhs.pk: 2,
        charity.pk: 1,
    }
    strong = metrics.co_attendance_network(scope=MetricScope(programme=programme), min_weight=2)
    assert [(edge.source, edge.target) for edge in strong.edges] == [pair(council, nhs)]


def test_health_flags_quiet_lost_core_and_no_output():
    programme = factories.ProgrammeFactory()
    today = D(2016, 6, 30)
    quiet = factories.InquiryGroupFactory(
        programme=programme, name="Quiet", status=GroupStatus.ACTIVE
    )
    factories.ActivityFactory(programme=programme, group=quiet, date=D(2016, 4, 1))
    busy = factories.InquiryGroupFactory(
        programme=programme, name="Busy", status=GroupStatus.ACTIVE
    )
    factories.ActivityFactory(programme=programme, group=busy, date=D(2016, 6, 20))
    factories.MembershipFactory(
        group=busy, left_on=D(2016, 6, 1), leave_reason=LeaveReason.LEFT_ORGANISATION
    )
    factories.EvidenceItemFactory(programme=programme, group=busy)
    dormant = factories.InquiryGroupFactory(
        programme=programme, name="Dormant", status=GroupStatus.DORMANT
    )
    factories.EvidenceItemFactory(programme=programme, group=dormant)
    factories.OutputFactory(programme=programme).groups.set([dormant])

    health = metrics.partnership_health(scope=MetricScope(programme=programme), today=today)

    assert [(group.group_name, group.flags) for group in health] == [
        ("Busy", (HealthFlagKind.LOST_CORE, HealthFlagKind.NO_OUTPUT)),
        ("Quiet", (HealthFlagKind.QUIET,)),
    ]
    # Dates as every page writes them, and counts with their nouns agreeing.
    assert [group.details for group in health] == [
        (
            "1 core member left in the last quarter; core members 1 then, 0 now.",
            "Evidence recorded but no output yet.",
        ),
        ("No activity since 1 April 2016.",),
    ]


def test_site_scope_and_date_range_filter_the_records():
    programme = factories.ProgrammeFactory()
    fife, glasgow = (
        factories.CaseSiteFactory(programme=programme),
        factories.CaseSiteFactory(programme=programme),
    )
    fife_group = factories.InquiryGroupFactory(programme=programme)
    fife_group.sites.set([fife])
    glasgow_group = factories.InquiryGroupFactory(programme=programme)
    glasgow_group.sites.set([glasgow])
    factories.ActivityFactory(programme=programme, group=fife_group, date=D(2015, 3, 1))
    factories.ActivityFactory(programme=programme, group=fife_group, date=D(2016, 3, 1))
    factories.ActivityFactory(
        programme=programme, group=None, site=fife, kind=ActivityKind.EMAIL, count=9
    )
    factories.ActivityFactory(programme=programme, group=glasgow_group, date=D(2015, 3, 1))
    factories.EvidenceItemFactory(programme=programme, group=glasgow_group)
    factories.EvidenceItemFactory(programme=programme).sites.set([fife])
    factories.ChangeFactory(programme=programme, group=fife_group, date=D(2016, 1, 1))
    factories.EventFactory(programme=programme)  # programme-wide: concerns every site
    factories.EventFactory(programme=programme).sites.set([glasgow])

    in_fife = metrics.headline(scope=MetricScope(programme=programme, site=fife))
    fife_2015 = metrics.headline(
        scope=MetricScope(programme=programme, site=fife, start=D(2015, 1, 1), end=D(2015, 12, 31))
    )
    everywhere = metrics.headline(scope=MetricScope(programme=programme))

    assert (in_fife.groups, in_fife.activities, in_fife.evidence_items) == (1, 3, 1)
    assert (in_fife.changes, in_fife.events) == (1, 1)
    assert (fife_2015.activities, fife_2015.evidence_items, fife_2015.changes) == (1, 0, 0)
    assert (everywhere.groups, everywhere.activities, everywhere.events) == (2, 4, 2)
    per_month = metrics.activities_by_kind_per_month(scope=MetricScope(programme=programme))
    assert sum(per_month.column("email")) == 9


def test_events_summary_prefers_the_total_head_count_and_keeps_approximate():
    programme = factories.ProgrammeFactory()
    site = factories.CaseSiteFactory(programme=programme)
    with_total = factories.EventFactory(programme=programme, title="A")
    factories.AttendanceCountFactory(event=with_total, count=50, approximate=True)
    factories.AttendanceCountFactory(event=with_total, site=site, count=4)
    per_site = factories.EventFactory(programme=programme, title="B")
    factories.AttendanceCountFactory(event=per_site, site=site, count=4)
    per_site.attendees.add(factories.PersonFactory(programme=programme))

    summary = metrics.events_summary(scope=MetricScope(programme=programme))

    assert [(e.title, e.counted, e.approximate, e.named) for e in summary.events] == [
        ("A", 50, True, 0),
        ("B", 4, False, 1),
    ]
    assert (summary.count, summary.named, summary.counted, summary.approximate) == (2, 1, 54, True)


def test_appendix_shows_published_totals_beside_the_derived_counts():
    group = factories.InquiryGroupFactory(start_date=D(2016, 1, 1))
    site = factories.CaseSiteFactory(programme=group.programme)
    group.sites.set([site])
    factories.ActivityFactory(
        programme=group.programme, group=group, kind=ActivityKind.GROUP_MEETING
    )
    factories.GroupFigureFactory(group=group, value=25, label="officers (cross-service)")
    factories.GroupFigureFactory(
        group=group,
        kind=GroupFigureKind.MEETINGS,
        value=4,
        qualifier=Qualifier.EXACT,
        label="",
        period_start=D(2016, 1, 1),
        period_end=D(2016, 6, 30),
        date_precision="month",
        source="000:1367 'Four meetings'",
    )

    (row,) = metrics.group_appendix(scope=MetricScope(programme=group.programme))

    assert row.meetings == 1
    assert [(f.text, f.period, f.source) for f in row.published] == [
        ("about 25 officers (cross-service)", "", "000:1367 'Approx. 25 officers'"),
        ("4 meetings", "January 2016 to June 2016", "000:1367 'Four meetings'"),
    ]


def test_published_totals_of_the_groups_in_scope_by_group():
    first = factories.InquiryGroupFactory(name="A group")
    second = factories.InquiryGroupFactory(programme=first.programme, name="B group")
    factories.GroupFigureFactory(group=second, qualifier=Qualifier.AT_LEAST, label="people")
    factories.GroupFigureFactory(group=first, qualifier=Qualifier.EXACT, value=11, label="")
    factories.InquiryGroupFactory(programme=first.programme, name="C group")

    figures = metrics.group_published_figures(scope=MetricScope(programme=first.programme))

    assert [(name, figure.text) for name, figure in figures] == [
        ("A group", "11 members or participants"),
        ("B group", "25+ people"),
    ]


def test_feedback_shares_of_the_events_in_scope():
    question = factories.FeedbackQuestionFactory()
    for score in (5, 4, 2, 1):
        factories.FeedbackAnswerFactory(
            response=factories.FeedbackResponseFactory(form=question.form),
            question=question,
            score=score,
        )
    factories.FeedbackQuestionFactory()  # another programme's

    (share,) = metrics.feedback_shares(scope=MetricScope(programme=question.form.event.programme))

    assert (share.responses, share.agreeing, share.share) == (4, 2, 50.0)


# --- What the records do not say ------------------------------------------------------------


def test_activities_per_month_count_the_undated_apart():
    group = factories.InquiryGroupFactory()
    factories.ActivityFactory(programme=group.programme, group=group, date=D(2015, 3, 4))
    factories.ActivityFactory(programme=group.programme, group=group, date=None)
    factories.ActivityFactory(
        programme=group.programme, group=group, kind=ActivityKind.WORKSHOP, date=None, count=2
    )

    table = metrics.activities_by_kind_per_month(scope=MetricScope(programme=group.programme))

    assert table.row_keys == ("2015-03-01",)
    assert table.total == 1
    assert dict(zip(table.column_keys, table.unplaced, strict=True)) == {
        ActivityKind.GROUP_MEETING: 1,
        ActivityKind.WORKSHOP: 2,
    }
    assert table.unplaced_in([ActivityKind.WORKSHOP]) == 2
    assert table.column_totals_with_unplaced == [2, 2]


def test_a_date_range_leaves_undated_activities_out_altogether():
    group = factories.InquiryGroupFactory()
    factories.ActivityFactory(programme=group.programme, group=group, date=None)
    scope = MetricScope(programme=group.programme, start=D(2015, 1, 1), end=D(2015, 12, 31))

    table = metrics.activities_by_kind_per_month(scope=scope)

    assert (table.total, sum(table.unplaced)) == (0, 0)


def test_the_joint_timeline_counts_the_undated_activities_it_leaves_out():
    programme = factories.ProgrammeFactory()
    sites = factories.CaseSiteFactory.create_batch(2, programme=programme)
    group = factories.InquiryGroupFactory(programme=programme)
    group.sites.set(sites)
    factories.ActivityFactory(programme=programme, group=group, title="Visit", date=D(2016, 5, 1))
    factories.ActivityFactory(programme=programme, group=group, title="Emails", date=None)

    timeline = metrics.joint_activities_timeline(scope=MetricScope(programme=programme))

    assert [entry.title for entry in timeline.entries] == ["Visit"]
    assert timeline.unplaced == 1


def test_meetings_of_an_unknown_number_are_not_counted_as_one():
    group = factories.InquiryGroupFactory()
    factories.ActivityFactory(programme=group.programme, group=group, count=3)
    factories.ActivityFactory(programme=group.programme, group=group, count_unknown=True)

    hours = metrics.meeting_hours(scope=MetricScope(programme=group.programme))

    assert (hours.meetings, hours.uncounted) == (3, 1)


def test_a_row_of_an_unknown_number_of_meetings_is_not_one_meeting_with_attendance_or_hours():
    group = factories.InquiryGroupFactory()
    factories.ActivityFactory(
        programme=group.programme, group=group, attendance_total=8, duration_minutes=60
    )
    factories.ActivityFactory(
        programme=group.programme,
        group=group,
        count_unknown=True,
        attendance_total=20,
        duration_minutes=120,
    )
    scope = MetricScope(programme=group.programme)

    attendance = metrics.attendance_per_meeting(scope=scope)
    hours = metrics.meeting_hours(scope=scope)

    assert (attendance.meetings, attendance.counted, attendance.max) == (1, 8, 8)
    assert (hours.meetings, hours.uncounted, hours.meetings_with_duration) == (1, 1, 1)
    assert hours.minutes == 60


def test_members_of_unknown_dates_count_only_within_their_groups_period():
    programme = factories.ProgrammeFactory()
    ended = factories.InquiryGroupFactory(
        programme=programme, start_date=D(2015, 1, 1), end_date=D(2015, 12, 31)
    )
    running = factories.InquiryGroupFactory(programme=programme, start_date=D(2016, 1, 1))
    for group in (ended, running):
        factories.MembershipFactory(group=group, joined_on=None)
    scope = MetricScope(programme=programme)

    assert metrics.participation(scope=scope, on=D(2015, 6, 1)).core == 1
    assert metrics.participation(scope=scope, on=D(2017, 12, 31)).core == 1
    in_2017 = MetricScope(programme=programme, start=D(2017, 1, 1), end=D(2017, 12, 31))
    assert metrics.participation(scope=in_2017).people == 1


def test_the_headline_counts_groups_active_on_its_day_by_their_history():
    programme = factories.ProgrammeFactory(end_date=D(2017, 12, 31))
    concluded = factories.InquiryGroupFactory(programme=programme, status=GroupStatus.CONCLUDED)
    concluded.status_changes.create(status=GroupStatus.ACTIVE, changed_on=D(2015, 6, 1))
    concluded.status_changes.create(status=GroupStatus.CONCLUDED, changed_on=D(2016, 6, 1))
    factories.InquiryGroupFactory(programme=programme, status=GroupStatus.ACTIVE)

    at_the_end = metrics.headline(scope=MetricScope(programme=programme))
    in_2016 = metrics.headline(scope=MetricScope(programme=programme, end=D(2016, 3, 3)))

    assert (at_the_end.on, at_the_end.active_on) == (D(2017, 12, 31), 1)
    assert (in_2016.on, in_2016.active_on) == (D(2016, 3, 3), 2)


# --- A constant number of queries whatever the data size ------------------------------------


def build(programme, site, n):
    """``n`` groups of the site with members, meetings, attendance, evidence, outputs, ..."""
    theme = factories.ThemeFactory(programme=programme)
    organisations = factories.OrganisationFactory.create_batch(2, programme=programme)
    groups = factories.InquiryGroupFactory.create_batch(n, programme=programme)
    for group in groups:
        group.sites.set([site])
        group.themes.set([theme])
        people = [
            factories.MembershipFactory(
                group=group, person__organisation=organisations[i % 2], joined_on=D(2015, i + 1, 1)
            ).person
            for i in range(3)
        ]
        meeting = factories.ActivityFactory(programme=programme, group=group, duration_minutes=90)
        # Meetings the source lists with neither a date nor a number.
        factories.ActivityFactory(programme=programme, group=group, date=None, count_unknown=True)
        for person in people:
            factories.AttendanceFactory(activity=meeting, person=person)
        factories.ActivityFactory(
            programme=programme, group=None, site=site, kind=ActivityKind.EMAIL
        )
        item = factories.EvidenceItemFactory(programme=programme, group=group)
        item.themes.set([theme])
        output = factories.OutputFactory(programme=programme)
        output.groups.set([group])
        factories.ChangeFactory(programme=programme, group=group).evidence.set([item])
        event = factories.EventFactory(programme=programme)
        event.sites.set([site])
        factories.AttendanceCountFactory(event=event)
        group.status_changes.create(status=GroupStatus.FORMING, changed_on=D(2015, 1, 1))
        group.status_changes.create(status=GroupStatus.ACTIVE, changed_on=D(2015, 5, 1))
        factories.GroupFigureFactory(group=group)
        factories.GroupFigureFactory(group=group, kind=GroupFigureKind.MEETINGS, value=4, label="")
    return groups


QUERIES = {
    "groups_by_kind": 1,
    "groups_by_status_over_time": 1,
    "cycles": 2,
    "participation": 1,
    "turnover_by_quarter": 1,
    "organisations_and_sectors": 1,
    "occupation_categories": 1,
    "levels": 1,
    "research_experience": 1,
    "organisational_diversity": 2,
    "group_participation": 6,
    "activities_by_kind_per_month": 1,
    "meeting_hours": 1,
    "attendance_per_meeting": 1,
    "backstage_tallies": 2,
    "researcher_roles": 1,
    "evidence_table_a": 2,
    "evidence_by_use": 1,
    "outputs_summary": 1,
    "outputs_list": 1,
    "changes_summary": 1,
    "changes_with_evidence": 1,
    "theme_coverage": 3,
    "events_summary": 1,
    "feedback_shares": 1,
    "co_attendance_network": 1,
    "group_appendix": 1,
    "group_published_figures": 1,
    "table_b": 2,
    "joint_activities_timeline": 2,
    "engagement_figures": 4,
    "programme_figures": 1,
    "partnership_health": 1,
    "headline": 1,
}


@pytest.fixture(scope="module")
def queries_per_metric(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, list]:
    """The queries each metric makes at one group and at five, for a programme, a site with a
    date range and a group: the data built once for all the metrics, then rolled back."""
    made = {name: [] for name in QUERIES}
    with built_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        programme = factories.ProgrammeFactory()
        site = factories.CaseSiteFactory(programme=programme)
        group = None
        for size in (1, 4):
            # Building the data row by row is setup, not an N+1 of the code under test.
            with zeal_ignore():
                groups = build(programme, site, size)
            group = group or groups[0]
            scopes = (
                MetricScope(programme=programme),
                MetricScope(programme=programme, site=site, start=D(2015, 1, 1), end=D(2017, 1, 1)),
                MetricScope(programme=programme, group=group),
            )
            for name, counts in made.items():
                function = getattr(metrics, name)
                counts.extend(queries_of(function, scope=scope)[0] for scope in scopes)
    return made


@pytest.mark.parametrize(("name", "queries"), QUERIES.items())
def test_query_count_does_not_grow_with_the_data(name, queries, queries_per_metric):
    # Three scopes at either size.
    assert queries_per_metric[name] == [queries] * 6
