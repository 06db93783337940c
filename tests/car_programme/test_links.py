"""Every link between two programme-scoped records is refused across programmes.

The links are found by walking the models (``_meta``), so a new foreign key or many-to-many
field between programme-scoped models fails ``test_every_link_is_walked`` until it is added
below with the service call that writes it.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

import pytest
from django.apps import apps

from accounts.rules import scope_of
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme, programme_id_of
from events.enums import QuestionKind
from events.models import Event, FeedbackForm, FeedbackQuestion
from events.services import HeadCount, event_record_attendance, event_update
from events.services import feedback_response_submit as feedback_submit
from evidence.enums import Authorship, EvidenceKind, EvidenceOrder
from evidence.models import Change, EvidenceItem, Output
from evidence.services import change_update, evidence_create, evidence_update, output_update
from inquiries.enums import ActivityKind, GroupKind, MembershipRole
from inquiries.models import Activity, Cycle, InquiryGroup, Person
from inquiries.services import (
    activity_log,
    activity_update,
    group_create,
    group_update,
    membership_add,
    person_create,
    person_update,
)
from reports.editions import edition_create
from reports.enums import ReportKind
from reports.services import request_report
from sites.enums import Sector
from sites.models import CaseSite, Organisation, Programme, Theme
from sites.services import organisation_create
from tests import factories

pytestmark = pytest.mark.django_db

APPS = {"sites", "inquiries", "evidence", "events", "reports"}


@dataclass
class World:
    """One record of each kind in one programme; both worlds use the same names."""

    programme: Programme
    site: CaseSite
    organisation: Organisation
    theme: Theme
    person: Person
    group: InquiryGroup
    cycle: Cycle
    activity: Activity
    evidence: EvidenceItem
    output: Output
    change: Change
    event: Event
    form: FeedbackForm
    question: FeedbackQuestion


def make_world(programme: Programme) -> World:
    site = factories.CaseSiteFactory(programme=programme, name="Glasgow", slug="glasgow")
    group = factories.InquiryGroupFactory(programme=programme, name="Welfare PIT")
    group.sites.set([site])
    event = factories.EventFactory(programme=programme, title="Learning day")
    form = factories.FeedbackFormFactory(event=event)
    return World(
        programme=programme,
        site=site,
        organisation=factories.OrganisationFactory(programme=programme, name="Council"),
        theme=factories.ThemeFactory(programme=programme, name="Prevention"),
        person=factories.PersonFactory(programme=programme, site=site),
        group=group,
        cycle=factories.CycleFactory(group=group, number=1),
        activity=factories.ActivityFactory(programme=programme, group=group, site=site),
        evidence=factories.EvidenceItemFactory(programme=programme, title="Notes"),
        output=factories.OutputFactory(programme=programme, title="Report"),
        change=factories.ChangeFactory(programme=programme, title="New practice"),
        event=event,
        form=form,
        question=factories.FeedbackQuestionFactory(
            form=form, kind=QuestionKind.LIKERT, text="I learnt"
        ),
    )


@pytest.fixture
def home():
    return make_world(Programme.objects.create(name="Home", slug="home"))


@pytest.fixture
def away():
    return make_world(Programme.objects.create(name="Away", slug="away"))


def _new_group(h, **links):
    return group_create(
        name="New group", kind=GroupKind.CAR_INQUIRY, **{"sites": [h.site], **links}
    )


def _group_edit(h, **links):
    return group_update(group=h.group, name=h.group.name, **{"sites": [h.site], **links})


def _evidence_edit(h, **links):
    fields = {"sites": [h.site], "group": None, "activity": None, "themes": [], **links}
    return evidence_update(item=h.evidence, by=None, **fields)


def _output_edit(h, **links):
    fields = {"sites": [h.site], "groups": [], "authors": [], "themes": [], **links}
    return output_update(output=h.output, by=None, **fields)


def _change_edit(h, **links):
    fields = {
        "sites": [h.site],
        "group": None,
        "evidence": [],
        "outputs": [],
        "earlier_changes": [],
        "themes": [],
        **links,
    }
    return change_update(change=h.change, by=None, **fields)


def _event_edit(h, **changes):
    links = {"sites": [h.site], "groups": [], "themes": []}
    return event_update(event=h.event, **{**links, **changes})


def _report(h, kind, **target):
    return request_report(requested_by=None, kind=kind, programme=h.programme, options={}, **target)


def _edition(h, kind, **target):
    return edition_create(by=None, kind=kind, programme=h.programme, title="Ours", **target)


def _attend(h, a):
    return activity_log(
        group=h.group,
        kind=ActivityKind.GROUP_MEETING,
        date=dt.date(2016, 3, 1),
        attendees=[a.person],
    )


# "app.Model.field" -> the service call that links a home record to an away one.
LINKS = {
    "sites.Organisation.sites": lambda h, a: organisation_create(
        programme=h.programme, sites=[a.site], by=None, name="New", sector=Sector.OTHER
    ),
    "inquiries.Person.site": lambda h, a: person_create(
        programme=h.programme, name="Ann", site=a.site
    ),
    "inquiries.Person.organisation": lambda h, a: person_update(
        person=h.person, organisation=a.organisation
    ),
    "inquiries.InquiryGroup.sites": lambda h, a: _new_group(h, sites=[h.site, a.site]),
    "inquiries.InquiryGroup.themes": lambda h, a: _new_group(h, themes=[a.theme]),
    "inquiries.InquiryGroup.parent": lambda h, a: _group_edit(h, parent=a.group),
    "inquiries.Membership.person": lambda h, a: membership_add(
        group=h.group, person=a.person, role=MembershipRole.CORE, joined_on=None
    ),
    "inquiries.Activity.site": lambda h, a: activity_update(activity=h.activity, site=a.site),
    "inquiries.Activity.cycle": lambda h, a: activity_update(activity=h.activity, cycle=a.cycle),
    "inquiries.Activity.attendees": _attend,
    "inquiries.Attendance.person": _attend,
    "evidence.EvidenceItem.sites": lambda h, a: evidence_create(
        programme=h.programme,
        sites=[a.site],
        by=None,
        title="New",
        kind=EvidenceKind.INTERVIEW,
        order=EvidenceOrder.FIRST,
        authorship=Authorship.COLLABORATION,
    ),
    "evidence.EvidenceItem.group": lambda h, a: _evidence_edit(h, group=a.group),
    "evidence.EvidenceItem.activity": lambda h, a: _evidence_edit(h, activity=a.activity),
    "evidence.EvidenceItem.themes": lambda h, a: _evidence_edit(h, themes=[a.theme]),
    "evidence.Output.sites": lambda h, a: _output_edit(h, sites=[a.site]),
    "evidence.Output.groups": lambda h, a: _output_edit(h, groups=[a.group]),
    "evidence.Output.authors": lambda h, a: _output_edit(h, authors=[a.person]),
    "evidence.Output.themes": lambda h, a: _output_edit(h, themes=[a.theme]),
    "evidence.Change.sites": lambda h, a: _change_edit(h, sites=[a.site]),
    "evidence.Change.group": lambda h, a: _change_edit(h, group=a.group),
    "evidence.Change.evidence": lambda h, a: _change_edit(h, evidence=[a.evidence]),
    "evidence.Change.outputs": lambda h, a: _change_edit(h, outputs=[a.output]),
    "evidence.Change.earlier_changes": lambda h, a: _change_edit(h, earlier_changes=[a.change]),
    "evidence.Change.themes": lambda h, a: _change_edit(h, themes=[a.theme]),
    "events.Event.sites": lambda h, a: _event_edit(h, sites=[a.site]),
    "events.Event.groups": lambda h, a: _event_edit(h, groups=[a.group]),
    "events.Event.themes": lambda h, a: _event_edit(h, themes=[a.theme]),
    "events.Event.report": lambda h, a: _event_edit(h, report=a.output),
    "events.Event.attendees": lambda h, a: event_record_attendance(
        event=h.event, attendees=[a.person], counts=[]
    ),
    "events.AttendanceCount.organisation": lambda h, a: event_record_attendance(
        event=h.event, attendees=[], counts=[HeadCount(count=5, organisation=a.organisation)]
    ),
    "events.AttendanceCount.site": lambda h, a: event_record_attendance(
        event=h.event, attendees=[], counts=[HeadCount(count=5, site=a.site)]
    ),
    "events.FeedbackAnswer.question": lambda h, a: feedback_submit(
        form=h.form, answers={a.question.pk: 4}
    ),
    "reports.ReportRequest.site": lambda h, a: _report(h, ReportKind.SITE, site=a.site),
    "reports.ReportRequest.group": lambda h, a: _report(
        h, ReportKind.GROUP_LEARNING, group=a.group
    ),
    "reports.ReportRequest.event": lambda h, a: _report(h, ReportKind.EVENT, event=a.event),
    "reports.ReportRequest.edition": lambda h, a: _report(
        h, ReportKind.END_OF_PROGRAMME, edition=_edition(a, ReportKind.END_OF_PROGRAMME)
    ),
    "reports.Edition.site": lambda h, a: _edition(h, ReportKind.SITE, site=a.site),
    "reports.Edition.group": lambda h, a: _edition(h, ReportKind.GROUP_LEARNING, group=a.group),
    "reports.Edition.event": lambda h, a: _edition(h, ReportKind.EVENT, event=a.event),
}

# Links whose record takes its programme from the target itself: they cannot cross.
DERIVED = {
    "inquiries.Activity.group": lambda a: activity_log(
        group=a.group, kind=ActivityKind.GROUP_MEETING, date=dt.date(2016, 3, 1)
    ),
}

# Links no service writes: only the programme loader (one programme's file) and the
# administration set them.
UNWRITTEN = {
    "inquiries.InquiryGroup.lead",
    "inquiries.InquiryGroup.proposed_projects",
    "inquiries.Activity.themes",
    "events.Event.organisations",
}


@cache
def programme_path(model) -> str | None:
    """The lookup from ``model`` to its programme, as its rules declare it, else through its
    first foreign key that leads to a programme; None for the programme itself and the rest."""
    scope = scope_of(model)
    if scope is not None:
        return None if scope.programme == "id" else scope.programme
    for field in model._meta.concrete_fields:
        if field.many_to_one and (path := programme_path(field.related_model)):
            return f"{field.name}__{path}"
    return None


def _scoped(model) -> bool:
    return (
        model._meta.app_label in APPS
        and not model.__name__.startswith("Historical")
        and programme_path(model) is not None
    )


def walked_links() -> set[str]:
    """Every forward link from a programme-scoped model to another, but the one to its owner
    (a membership's group: the record it belongs to, which gives it its programme)."""
    links = set()
    for model in filter(_scoped, apps.get_models()):
        owner = programme_path(model).split("__")[0]
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation or field.name == owner:
                continue
            if _scoped(field.related_model):
                links.add(f"{model._meta.label}.{field.name}")
    return links


# Links a service sets from what it built out of the record's own programme: the people a
# report version names are read from that programme's records, never chosen by a user.
BUILT = {
    "reports.ReportRequest.named_people",
    # The co-attendance rollups sum an activity's own attendance (inquiries.rollups).
    "inquiries.CoAttendance.organisation",
    "inquiries.CoAttendance.other",
    "inquiries.CoAttendanceTotal.organisation",
    "inquiries.CoAttendanceTotal.other",
    "inquiries.CoAttendanceTotal.group",
    # The activity month rollup sums the activities' own placing (inquiries.rollups).
    "inquiries.ActivityMonth.group",
    "inquiries.ResearcherRoleMonth.group",
    # The people counts count the members of each group (inquiries.people_counts).
    "inquiries.GroupOrganisationCount.organisation",
    # The theme links are read off each themed record's own links (reports.rollups).
    "reports.ThemeLink.site",
    "reports.ThemeLink.evidence",
    "reports.ThemeLink.output",
    "reports.ThemeLink.change",
    "reports.ThemeLink.event",
    "reports.ThemeLink.theme",
    "reports.ThemeLink.via_group",
    # The theme counts count the theme links (reports.rollups).
    "reports.ThemeCount.site",
}


def test_every_link_is_walked():
    assert walked_links() == set(LINKS) | set(DERIVED) | UNWRITTEN | BUILT


# A feedback form takes answers to its own questions only, which refuses more than the
# programme.
REFUSED_AS = {"events.FeedbackAnswer.question": "a question this form does not ask"}


@pytest.mark.parametrize("link", sorted(LINKS))
def test_service_refuses_a_link_to_another_programme(home, away, link):
    message = REFUSED_AS.get(link, "belongs to another programme: choose")
    with pytest.raises(DomainError, match=message):
        LINKS[link](home, away)


@pytest.mark.parametrize("link", sorted(DERIVED))
def test_record_takes_its_programme_from_a_derived_link(away, link):
    record = DERIVED[link](away)

    assert record.programme_id == away.programme.pk


def test_refusal_names_the_stranger_and_the_programme(home, away):
    with pytest.raises(DomainError) as refused:
        _new_group(home, themes=[home.theme, away.theme])

    assert str(refused.value) == (
        "Christie pillars: Prevention belongs to another programme: choose themes of Home."
    )
    assert not InquiryGroup.objects.filter(name="New group").exists()


def test_refusal_names_a_person_by_pseudonym(home, away):
    with pytest.raises(DomainError) as refused:
        check_same_programme(home.programme, attendees=[away.person])

    assert away.person.pseudonym in str(refused.value)
    assert away.person.name not in str(refused.value)


def test_programme_of_a_record_reached_through_its_owner(away):
    assert programme_id_of(away.question) == away.programme.pk
    assert programme_id_of(away.cycle) == away.programme.pk
