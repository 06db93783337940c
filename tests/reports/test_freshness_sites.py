"""A write moves on the figures of the sites and groups it touched, and those of the programme.

A write in Fife leaves Glasgow's dashboards cached (read back without computing a figure),
while every section whose figures the write changed is computed again: after the write each
section shows what it shows computed from nothing. Each record that a researcher writes through
the day is written in each way its services allow: created, changed, moved to another site or
group, deleted; and the records a dashboard reaches through a many-to-many (an output of both
groups, an evidence item of a group with no site of its own, a programme-wide event) too.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from zeal import zeal_ignore

from car_programme.records_version import records_written
from events.enums import EventKind
from events.models import Event, FeedbackQuestion
from events.services import (
    HeadCount,
    event_create,
    event_delete,
    event_record_attendance,
    event_update,
    feedback_response_submit,
)
from evidence.enums import (
    Authorship,
    ChangeLevel,
    ChangeType,
    EvidenceKind,
    EvidenceOrder,
    OutputStatus,
)
from evidence.models import Change, EvidenceItem, Output
from evidence.services import (
    change_create,
    change_delete,
    change_update,
    evidence_create,
    evidence_delete,
    evidence_update,
    output_change_status,
    output_create,
    output_delete,
    output_update,
)
from inquiries.enums import (
    BACKSTAGE_KINDS,
    ActivityKind,
    ContactDirection,
    LeaveReason,
    MembershipRole,
)
from inquiries.models import Membership
from inquiries.services import (
    activity_delete,
    activity_log,
    activity_update,
    membership_add,
    membership_change_role,
    membership_end,
    tally_record,
)
from reports.dashboards import SECTION_SLUGS, dashboard_build
from reports.metrics import MetricScope
from sites.models import Programme, Theme
from sites.services import theme_create
from tests import factories
from tests.reports.versions import moved, versions

pytestmark = pytest.mark.django_db

D = dt.date(2016, 5, 1)


@pytest.fixture
def world():
    """Two sites of one programme, each with a group that has met with a member and published
    a figure, and with an evidence item, an output, a change and an event (with its feedback)
    of the site and the group, all on one theme; an output of both groups, an evidence item of
    Fife's group alone, a change of Glasgow citing those two, and two programme-wide events
    (of no site), one of Fife's group."""
    fife = factories.CaseSiteFactory(name="Fife")
    programme = fife.programme
    glasgow = factories.CaseSiteFactory(programme=programme, name="Glasgow")
    with zeal_ignore():
        theme = factories.ThemeFactory(programme=programme)
        groups = {}
        for site in (fife, glasgow):
            group = factories.InquiryGroupFactory(programme=programme)
            group.sites.set([site])
            member = factories.MembershipFactory(group=group, person__site=site).person
            activity_log(group=group, kind=ActivityKind.GROUP_MEETING, date=D, attendees=[member])
            factories.GroupFigureFactory(group=group)
            groups[site.name] = group
            placed = {"programme": programme, "sites": [site]}
            records = [
                factories.EvidenceItemFactory(**placed, group=group, title=f"{site} survey"),
                factories.OutputFactory(**placed, title=f"{site} briefing"),
                factories.ChangeFactory(**placed, group=group, title=f"{site} referral route"),
                factories.event_in(site, title=f"{site} learning day"),
            ]
            records[1].groups.set([group])
            records[3].groups.set([group])
            question = factories.FeedbackQuestionFactory(form__event=records[3], text=f"{site}?")
            factories.FeedbackAnswerFactory(response__form=question.form, question=question)
            for record in records:
                record.themes.set([theme])
        joint = factories.OutputFactory(programme=programme, title="Joint briefing")
        joint.groups.set(groups.values())
        notes = factories.EvidenceItemFactory(
            programme=programme, group=groups["Fife"], title="Fife group notes"
        )
        cited = factories.ChangeFactory(
            programme=programme, sites=[glasgow], title="Glasgow change citing Fife"
        )
        cited.evidence.set([notes])
        cited.outputs.set([joint])
        everywhere = factories.EventFactory(programme=programme, title="Programme learning day")
        visit = factories.EventFactory(programme=programme, title="Fife group visit")
        visit.groups.set([groups["Fife"]])
        for record in (joint, notes, cited, everywhere, visit):
            record.themes.set([theme])
    return programme, fife, glasgow, groups


def scopes(programme, fife, glasgow, groups):
    """Every dashboard of the programme: its own, each site's, each group's, one site filter."""
    programme = Programme.objects.get(pk=programme.pk)
    return {
        "programme": MetricScope(programme=programme),
        "fife": MetricScope(programme=programme, site=fife),
        "glasgow": MetricScope(programme=programme, site=glasgow),
        "fife group": MetricScope(programme=programme, group=groups["Fife"]),
        "glasgow group": MetricScope(programme=programme, group=groups["Glasgow"]),
        "programme at fife": MetricScope(programme=programme, site=fife, start=D),
    }


def build_all(scope):
    with zeal_ignore():
        return {section: dashboard_build(scope=scope, section=section) for section in SECTION_SLUGS}


def log_in_fife(programme, fife, glasgow, groups):
    member = factories.PersonFactory(programme=programme, site=fife)
    activity_log(group=groups["Fife"], kind=ActivityKind.GROUP_MEETING, date=D, attendees=[member])


def tally_in_fife(programme, fife, glasgow, groups):
    tally_record(
        site=fife,
        kind=next(iter(BACKSTAGE_KINDS)),
        direction=ContactDirection.choices[0][0],
        count=7,
        week_start=D,
    )


def move_to_glasgow(programme, fife, glasgow, groups):
    activity = factories.ActivityFactory(
        programme=programme, site=fife, group=None, kind=ActivityKind.EMAIL
    )
    with zeal_ignore():
        activity_update(activity=activity, site=glasgow)


def delete_in_fife(programme, fife, glasgow, groups):
    activity_delete(activity=groups["Fife"].activities.get())


# --- Memberships ------------------------------------------------------------------------------


def add_member_in_fife(programme, fife, glasgow, groups):
    person = factories.PersonFactory(programme=programme, site=fife)
    membership_add(group=groups["Fife"], person=person, role=MembershipRole.CORE, joined_on=D)


def member_leaves_in_fife(programme, fife, glasgow, groups):
    membership = Membership.objects.get(group=groups["Fife"])
    membership_end(membership=membership, left_on=D, reason=LeaveReason.CAPACITY)


def member_changes_role_in_fife(programme, fife, glasgow, groups):
    membership = Membership.objects.get(group=groups["Fife"])
    membership_change_role(membership=membership, role=MembershipRole.PERIPHERY, as_of=D)


# --- Evidence, outputs, changes ---------------------------------------------------------------


def theme(programme) -> list[Theme]:
    return list(Theme.objects.filter(programme=programme))


def record_evidence_in_fife(programme, fife, glasgow, groups):
    evidence_create(
        programme=programme,
        sites=[fife],
        group=groups["Fife"],
        themes=theme(programme),
        by=None,
        title="Fife interviews",
        kind=EvidenceKind.INTERVIEW,
        order=EvidenceOrder.SECOND,
        authorship=Authorship.RESEARCHER,
        collected_on=D,
    )


def record_group_evidence_in_fife(programme, fife, glasgow, groups):
    """Of Fife's group alone: it counts in Fife through its group."""
    evidence_create(
        programme=programme,
        sites=[],
        group=groups["Fife"],
        themes=theme(programme),
        by=None,
        title="Fife minutes",
        kind=EvidenceKind.SURVEY,
        order=EvidenceOrder.FIRST,
        authorship=Authorship.PRACTITIONER,
    )


def _evidence_update(item, **changes):
    fields = {"sites": item.sites.all(), "group": item.group, "activity": None}
    evidence_update(item=item, themes=item.themes.all(), by=None, **{**fields, **changes})


def change_evidence_in_fife(programme, fife, glasgow, groups):
    _evidence_update(EvidenceItem.objects.get(title="Fife survey"), kind=EvidenceKind.SURVEY)


def move_evidence_to_glasgow(programme, fife, glasgow, groups):
    item = EvidenceItem.objects.get(title="Fife survey")
    # As its edit page's model form leaves it: the new group already on the instance.
    item.group = groups["Glasgow"]
    _evidence_update(item, sites=[glasgow], group=groups["Glasgow"])


def move_group_evidence_to_glasgow(programme, fife, glasgow, groups):
    _evidence_update(EvidenceItem.objects.get(title="Fife group notes"), group=groups["Glasgow"])


def delete_evidence_in_fife(programme, fife, glasgow, groups):
    evidence_delete(item=EvidenceItem.objects.get(title="Fife survey"), by=None)


def delete_cited_evidence(programme, fife, glasgow, groups):
    """Of Fife's group, cited by a change of Glasgow."""
    evidence_delete(item=EvidenceItem.objects.get(title="Fife group notes"), by=None)


def record_output_in_fife(programme, fife, glasgow, groups):
    output_create(
        programme=programme,
        sites=[fife],
        groups=[groups["Fife"]],
        themes=theme(programme),
        by=None,
        title="Fife report",
        drafted_on=D,
    )


def publish_output_in_fife(programme, fife, glasgow, groups):
    output = Output.objects.get(title="Fife briefing")
    output_change_status(output=output, status=OutputStatus.PUBLISHED, on=D, by=None)


def _output_update(output, **changes):
    fields = {"sites": output.sites.all(), "groups": output.groups.all(), "authors": []}
    output_update(output=output, themes=output.themes.all(), by=None, **{**fields, **changes})


def move_output_to_glasgow(programme, fife, glasgow, groups):
    output = Output.objects.get(title="Fife briefing")
    _output_update(output, sites=[glasgow], groups=[groups["Glasgow"]])


def joint_output_leaves_fife(programme, fife, glasgow, groups):
    _output_update(Output.objects.get(title="Joint briefing"), groups=[groups["Glasgow"]])


def delete_joint_output(programme, fife, glasgow, groups):
    """Of both groups, cited by a change of Glasgow."""
    output_delete(output=Output.objects.get(title="Joint briefing"), by=None)


def delete_output_in_fife(programme, fife, glasgow, groups):
    output_delete(output=Output.objects.get(title="Fife briefing"), by=None)


CHANGE = {"type": ChangeType.POLICY, "level": ChangeLevel.ORGANISATION}


def record_change_in_fife(programme, fife, glasgow, groups):
    change_create(
        programme=programme,
        sites=[fife],
        group=groups["Fife"],
        themes=theme(programme),
        by=None,
        title="Fife sanctions advice",
        date=D,
        **CHANGE,
    )


def _change_update(change, **changes):
    fields = {
        "sites": change.sites.all(),
        "group": change.group,
        "evidence": change.evidence.all(),
        "outputs": change.outputs.all(),
        "earlier_changes": [],
    }
    change_update(change=change, themes=change.themes.all(), by=None, **{**fields, **changes})


def change_change_in_fife(programme, fife, glasgow, groups):
    _change_update(Change.objects.get(title="Fife referral route"), level=ChangeLevel.NATIONAL)


def move_change_to_glasgow(programme, fife, glasgow, groups):
    change = Change.objects.get(title="Fife referral route")
    _change_update(change, sites=[glasgow], group=groups["Glasgow"])


def delete_change_in_fife(programme, fife, glasgow, groups):
    change_delete(change=Change.objects.get(title="Fife referral route"), by=None)


# --- Events -----------------------------------------------------------------------------------


def record_event_in_fife(programme, fife, glasgow, groups):
    event_create(
        programme=programme,
        title="Fife workshop",
        kind=EventKind.WORKSHOP,
        start_date=D,
        sites=[fife],
        groups=[groups["Fife"]],
        themes=theme(programme),
    )


def _event_update(event, **changes):
    links = {"sites": event.sites.all(), "groups": event.groups.all()}
    event_update(event=event, themes=event.themes.all(), **{**links, **changes})


def change_event_in_fife(programme, fife, glasgow, groups):
    _event_update(Event.objects.get(title="Fife learning day"), kind=EventKind.WORKSHOP)


def move_event_to_glasgow(programme, fife, glasgow, groups):
    event = Event.objects.get(title="Fife learning day")
    _event_update(event, sites=[glasgow], groups=[groups["Glasgow"]])


def make_event_programme_wide(programme, fife, glasgow, groups):
    _event_update(Event.objects.get(title="Fife learning day"), sites=[], groups=[])


def hold_programme_wide_event_in_fife(programme, fife, glasgow, groups):
    _event_update(Event.objects.get(title="Programme learning day"), sites=[fife])


def change_group_event(programme, fife, glasgow, groups):
    """Of Fife's group and no site: every site's dashboard shows it."""
    _event_update(Event.objects.get(title="Fife group visit"), kind=EventKind.WORKSHOP)


def count_attendance_in_fife(programme, fife, glasgow, groups):
    event = Event.objects.get(title="Fife learning day")
    event_record_attendance(event=event, attendees=[], counts=[HeadCount(count=12)])


def answer_feedback_in_fife(programme, fife, glasgow, groups):
    question = FeedbackQuestion.objects.get(text="Fife?")
    feedback_response_submit(form=question.form, answers={question.pk: 1})


def delete_event_in_fife(programme, fife, glasgow, groups):
    event_delete(event=Event.objects.get(title="Fife learning day"))


def record_programme_wide_evidence(programme, fife, glasgow, groups):
    evidence_create(
        programme=programme,
        sites=[],
        themes=theme(programme),
        by=None,
        title="National statistics",
        kind=EvidenceKind.STATISTICS,
        order=EvidenceOrder.SECOND,
        authorship=Authorship.RESEARCHER,
    )


# Writes in Fife alone: Glasgow's dashboards stay cached.
WRITES = [
    log_in_fife,
    tally_in_fife,
    delete_in_fife,
    add_member_in_fife,
    member_leaves_in_fife,
    member_changes_role_in_fife,
    record_evidence_in_fife,
    record_group_evidence_in_fife,
    change_evidence_in_fife,
    delete_evidence_in_fife,
    record_output_in_fife,
    publish_output_in_fife,
    delete_output_in_fife,
    record_change_in_fife,
    change_change_in_fife,
    delete_change_in_fife,
    record_event_in_fife,
    change_event_in_fife,
    count_attendance_in_fife,
    answer_feedback_in_fife,
    delete_event_in_fife,
]
# Writes that reach Glasgow too: moves, records of both sites, records Glasgow cites.
WRITES_BEYOND_FIFE = [
    move_to_glasgow,
    move_evidence_to_glasgow,
    move_group_evidence_to_glasgow,
    delete_cited_evidence,
    move_output_to_glasgow,
    joint_output_leaves_fife,
    delete_joint_output,
    move_change_to_glasgow,
    move_event_to_glasgow,
    make_event_programme_wide,
    hold_programme_wide_event_in_fife,
    change_group_event,
    record_programme_wide_evidence,
]


@pytest.mark.parametrize("write", WRITES)
def test_a_write_in_fife_leaves_glasgows_dashboards_cached(write, world, django_assert_num_queries):
    shown = scopes(*world)
    before = {name: build_all(shown[name]) for name in ("glasgow", "glasgow group")}

    write(*world)

    for name, dashboards in before.items():
        scope = scopes(*world)[name]
        for section in SECTION_SLUGS:
            # Only the versions are read: every panel comes from the cache.
            with django_assert_num_queries(1):
                assert dashboard_build(scope=scope, section=section) == dashboards[section]


@pytest.mark.parametrize("write", [*WRITES, *WRITES_BEYOND_FIFE])
def test_every_dashboard_shows_after_a_write_what_it_would_compute_from_nothing(write, world):
    for scope in scopes(*world).values():
        build_all(scope)

    write(*world)

    shown = {name: build_all(scope) for name, scope in scopes(*world).items()}
    cache.clear()
    computed = {name: build_all(scope) for name, scope in scopes(*world).items()}
    assert shown == computed


def test_the_write_changes_the_figures_the_check_compares(world):
    """The comparison above is not of figures that no write changes."""
    fife = scopes(*world)["fife"]
    before = build_all(fife)

    log_in_fife(*world)
    cache.clear()

    assert build_all(scopes(*world)["fife"]) != before


def test_an_activity_moved_between_sites_moves_both_on():
    fife = factories.CaseSiteFactory(name="Fife")
    glasgow = factories.CaseSiteFactory(programme=fife.programme, name="Glasgow")
    activity = factories.ActivityFactory(
        programme=fife.programme, site=fife, group=None, kind=ActivityKind.EMAIL
    )
    before = versions(fife.programme)

    activity_update(activity=activity, site=glasgow)

    assert moved(before, versions(fife.programme)) == {
        ("site", fife.pk): 1,
        ("site", glasgow.pk): 1,
    }


def test_a_programme_wide_write_moves_every_dashboard_on():
    fife = factories.CaseSiteFactory(name="Fife")
    before = versions(fife.programme)

    theme_create(programme=fife.programme, framework="Pillars", by=None, name="Prevention")

    assert moved(before, versions(fife.programme)) == {("programme", fife.programme.pk): 1}


def test_an_activity_noted_after_its_write_moves_the_whole_programme_on():
    """The administration notes an activity once saved, when its former site is not known."""
    activity = factories.ActivityFactory()
    before = versions(activity.programme)

    records_written(activity)

    assert moved(before, versions(activity.programme)) == {("programme", activity.programme_id): 1}


def test_an_evidence_item_moved_on_its_edit_page_moves_its_former_group_on(client, cast):
    """The page's model form writes the new group on the item before the service sees it: the
    former one is read from the database."""
    item = factories.EvidenceItemFactory(programme=cast.programme, group=cast.group)
    glasgow_group = factories.group_in(cast.glasgow)
    before = versions(cast.programme)
    client.force_login(cast.manager)

    client.post(
        reverse("evidence:evidence_update", args=[item.pk]),
        {
            "title": item.title,
            "kind": item.kind,
            "order": item.order,
            "authorship": item.authorship,
            "sensitivity": item.sensitivity,
            "group": glasgow_group.pk,
        },
    )

    assert EvidenceItem.objects.get(pk=item.pk).group == glasgow_group
    assert moved(before, versions(cast.programme)) == {
        ("group", cast.group.pk): 1,
        ("site", cast.fife.pk): 1,
        ("group", glasgow_group.pk): 1,
        ("site", cast.glasgow.pk): 1,
    }


def test_an_output_of_two_groups_moves_both_groups_and_their_sites_on():
    fife = factories.CaseSiteFactory(name="Fife")
    glasgow = factories.CaseSiteFactory(programme=fife.programme, name="Glasgow")
    groups = [factories.group_in(fife), factories.group_in(glasgow)]
    output = factories.OutputFactory(programme=fife.programme)
    output.groups.set(groups)
    before = versions(fife.programme)

    output_change_status(output=output, status=OutputStatus.PUBLISHED, on=D, by=None)

    assert moved(before, versions(fife.programme)) == {
        ("group", groups[0].pk): 1,
        ("site", fife.pk): 1,
        ("group", groups[1].pk): 1,
        ("site", glasgow.pk): 1,
    }


def test_a_membership_moves_its_group_and_its_sites_on():
    fife = factories.CaseSiteFactory(name="Fife")
    group = factories.group_in(fife)
    person = factories.PersonFactory(programme=fife.programme)
    before = versions(fife.programme)

    membership_add(group=group, person=person, role=MembershipRole.CORE, joined_on=D)

    assert moved(before, versions(fife.programme)) == {("group", group.pk): 1, ("site", fife.pk): 1}


def test_an_evidence_item_moves_on_the_places_of_the_changes_citing_it():
    """A change lists the titles of the evidence supporting it, wherever that was recorded."""
    fife = factories.CaseSiteFactory(name="Fife")
    glasgow = factories.CaseSiteFactory(programme=fife.programme, name="Glasgow")
    item = factories.EvidenceItemFactory(programme=fife.programme, sites=[fife])
    factories.ChangeFactory(programme=fife.programme, sites=[glasgow]).evidence.set([item])
    before = versions(fife.programme)

    evidence_delete(item=item, by=None)

    assert moved(before, versions(fife.programme)) == {
        ("site", fife.pk): 1,
        ("site", glasgow.pk): 1,
    }


def test_a_feedback_response_moves_its_events_places_on():
    fife = factories.CaseSiteFactory(name="Fife")
    question = factories.FeedbackQuestionFactory(form__event=factories.event_in(fife))
    before = versions(fife.programme)

    feedback_response_submit(form=question.form, answers={question.pk: 4})

    assert moved(before, versions(fife.programme)) == {("site", fife.pk): 1}


def test_an_event_of_a_group_and_no_site_moves_every_dashboard_on():
    """Every site's dashboard shows the events of no site."""
    group = factories.group_in(factories.CaseSiteFactory(name="Fife"))
    event = factories.EventFactory(programme=group.programme)
    event.groups.set([group])
    before = versions(group.programme)

    event_update(event=event, sites=[], groups=[group], themes=[], kind=EventKind.WORKSHOP)

    assert moved(before, versions(group.programme)) == {("programme", group.programme_id): 1}


def test_a_record_of_no_site_and_no_group_moves_every_dashboard_on():
    programme = factories.ProgrammeFactory()
    before = versions(programme)

    change_create(programme=programme, sites=[], by=None, title="A national route", **CHANGE)

    assert moved(before, versions(programme)) == {("programme", programme.pk): 1}
