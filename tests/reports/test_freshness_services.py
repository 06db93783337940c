"""Every write service moves its programme's records version on by itself, signals or not.

The model signals are disconnected here, so what moves the version is the service's own
``records_write``: a write that sends no signal (``bulk_create``, ``update()``) cannot leave a
cached figure behind its records.
"""

import datetime as dt
import inspect
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from car_programme import privacy
from events import services as event_services
from events.enums import EventKind, QuestionKind
from events.services import HeadCount
from evidence import services as evidence_services
from evidence.enums import OutputStatus
from inquiries import services as inquiry_services
from inquiries.enums import (
    ActivityKind,
    ConsentMethod,
    ConsentUse,
    ContactDirection,
    GroupStatus,
    LeaveReason,
    MembershipRole,
    ResearcherRole,
)
from reports import freshness
from sites import services as site_services
from sites.models import Programme
from tests.factories.events import EventFactory, FeedbackFormFactory, FeedbackQuestionFactory
from tests.factories.evidence import ChangeFactory, EvidenceItemFactory, OutputFactory
from tests.factories.inquiries import (
    ActivityFactory,
    CycleFactory,
    InquiryGroupFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.factories.sites import (
    CaseSiteFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProposedProjectFactory,
)

pytestmark = pytest.mark.django_db

SERVICE_MODULES = (site_services, inquiry_services, evidence_services, event_services, privacy)
# Functions of those modules that write nothing.
READS = {"feedback_form_accepts", "person_export"}
D = dt.date(2016, 3, 1)


@pytest.fixture
def without_signals():
    """The freshness signals off for the test, on again after it."""
    for label in freshness.PROGRAMME_OF:
        model = apps.get_model(label)
        post_save.disconnect(sender=model, dispatch_uid=f"freshness-save-{label}")
        post_delete.disconnect(sender=model, dispatch_uid=f"freshness-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.disconnect(
                sender=field.remote_field.through,
                dispatch_uid=f"freshness-m2m-{label}-{field.name}",
            )
    yield
    freshness.connect()


@pytest.fixture
def world():
    site = CaseSiteFactory(name="Fife")
    programme = site.programme
    group = InquiryGroupFactory(programme=programme, name="Welfare PIT")
    group.sites.set([site])
    person = PersonFactory(programme=programme, site=site)
    event = EventFactory(programme=programme)
    form = FeedbackFormFactory(event=event)
    return SimpleNamespace(
        programme=programme,
        other=ProgrammeFactory(),
        site=site,
        group=group,
        person=person,
        event=event,
        form=form,
        question=FeedbackQuestionFactory(form=form, kind=QuestionKind.LIKERT, text="Useful"),
    )


def write_services():
    for module in SERVICE_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            own = function.__module__ == module.__name__
            if own and not name.startswith("_") and name not in READS:
                yield name, function


# The arguments of one call of each write service, built on ``world`` (w).
CALLS = {
    "site_update": lambda w: {"site": w.site, "by": None, "population": 5000},
    "proposed_project_create": lambda w: {"site": w.site, "by": None, "title": "Housing"},
    "proposed_project_update": lambda w: {
        "project": ProposedProjectFactory(site=w.site),
        "by": None,
        "title": "Renamed",
    },
    "proposed_project_delete": lambda w: {
        "project": ProposedProjectFactory(site=w.site),
        "by": None,
    },
    "organisation_create": lambda w: {
        "programme": w.programme,
        "sites": [w.site],
        "by": None,
        "name": "Fife Council",
    },
    "organisation_update": lambda w: {
        "organisation": OrganisationFactory(programme=w.programme),
        "sites": [w.site],
        "by": None,
        "name": "Renamed council",
    },
    "organisation_delete": lambda w: {
        "organisation": OrganisationFactory(programme=w.programme),
        "by": None,
    },
    "membership_add": lambda w: {
        "group": w.group,
        "person": w.person,
        "role": MembershipRole.CORE,
        "joined_on": D,
    },
    "membership_end": lambda w: {
        "membership": MembershipFactory(group=w.group),
        "left_on": D,
        "reason": LeaveReason.CAPACITY,
    },
    "membership_change_role": lambda w: {
        "membership": MembershipFactory(group=w.group),
        "role": MembershipRole.PERIPHERY,
        "as_of": D,
    },
    "group_status_change": lambda w: {"group": w.group, "status": GroupStatus.ACTIVE, "on": D},
    "person_create": lambda w: {"programme": w.programme, "name": "Ann Example"},
    "person_update": lambda w: {"person": w.person, "job_title": "Analyst"},
    "person_delete": lambda w: {"person": PersonFactory(programme=w.programme)},
    "membership_add_new_person": lambda w: {
        "group": w.group,
        "name": "Ann Example",
        "role": MembershipRole.CORE,
        "joined_on": D,
    },
    "activity_log": lambda w: {
        "group": w.group,
        "kind": ActivityKind.GROUP_MEETING,
        "date": D,
        "researcher_roles": [ResearcherRole.MEETING_FACILITATION],
    },
    # Only the researcher roles, written by bulk_create: the case the signals missed.
    "activity_update": lambda w: {
        "activity": ActivityFactory(programme=w.programme, group=w.group),
        "researcher_roles": [ResearcherRole.MEETING_FACILITATION],
    },
    "activity_delete": lambda w: {
        "activity": ActivityFactory(programme=w.programme, group=w.group)
    },
    "tally_record": lambda w: {
        "site": w.site,
        "kind": next(iter(inquiry_services.BACKSTAGE_KINDS)),
        "direction": ContactDirection.choices[0][0],
        "count": 3,
        "week_start": D,
    },
    "group_create": lambda w: {"sites": [w.site], "name": "New inquiry"},
    "group_update": lambda w: {
        "group": w.group,
        "sites": [w.site],
        "name": w.group.name,
        "topic": "Sanctions",
    },
    "group_delete": lambda w: {"group": InquiryGroupFactory(programme=w.programme)},
    "research_question_adopt": lambda w: {"group": w.group, "text": "Why?", "adopted_on": D},
    "cycle_create": lambda w: {"group": w.group, "number": 7},
    "cycle_update": lambda w: {"cycle": CycleFactory(group=w.group), "number": 8},
    "evidence_create": lambda w: {
        "programme": w.programme,
        "sites": [w.site],
        "by": None,
        "title": "Survey",
    },
    "evidence_update": lambda w: {
        "item": EvidenceItemFactory(programme=w.programme),
        "sites": [w.site],
        "group": None,
        "activity": None,
        "themes": [],
        "by": None,
        "title": "Renamed survey",
    },
    "evidence_delete": lambda w: {
        "item": EvidenceItemFactory(programme=w.programme),
        "by": None,
    },
    "output_create": lambda w: {
        "programme": w.programme,
        "sites": [w.site],
        "groups": [],
        "by": None,
        "title": "Briefing",
    },
    "output_update": lambda w: {
        "output": OutputFactory(programme=w.programme, sites=[w.site]),
        "sites": [w.site],
        "groups": [],
        "authors": [],
        "themes": [],
        "by": None,
        "title": "Renamed briefing",
    },
    "output_change_status": lambda w: {
        "output": OutputFactory(programme=w.programme, sites=[w.site]),
        "status": OutputStatus.CONSULTATION,
        "on": D,
        "by": None,
    },
    "output_delete": lambda w: {
        "output": OutputFactory(programme=w.programme, sites=[w.site]),
        "by": None,
    },
    "change_create": lambda w: {
        "programme": w.programme,
        "sites": [w.site],
        "by": None,
        "title": "New referral route",
    },
    "change_update": lambda w: {
        "change": ChangeFactory(programme=w.programme, sites=[w.site]),
        "sites": [w.site],
        "group": None,
        "evidence": [],
        "outputs": [],
        "earlier_changes": [],
        "themes": [],
        "by": None,
        "title": "Renamed route",
    },
    "change_delete": lambda w: {
        "change": ChangeFactory(programme=w.programme, sites=[w.site]),
        "by": None,
    },
    "event_create": lambda w: {
        "programme": w.programme,
        "title": "Learning day",
        "kind": EventKind.LEARNING_DAY,
        "start_date": D,
    },
    "event_update": lambda w: {
        "event": w.event,
        "sites": [w.site],
        "groups": [],
        "themes": [],
        "location": "Perth",
    },
    "event_delete": lambda w: {"event": EventFactory(programme=w.programme)},
    "event_record_attendance": lambda w: {
        "event": w.event,
        "attendees": [],
        "counts": [HeadCount(count=12)],
    },
    "feedback_form_create": lambda w: {"event": w.event, "title": "After the day"},
    "feedback_question_add": lambda w: {
        "form": w.form,
        "kind": QuestionKind.LIKERT,
        "text": "I learnt a lot",
    },
    "feedback_form_close": lambda w: {"form": w.form},
    "feedback_form_reopen": lambda w: {"form": FeedbackFormFactory(event=w.event, is_open=False)},
    "feedback_question_update": lambda w: {
        "question": w.question,
        "kind": QuestionKind.LIKERT,
        "text": "Very useful",
        "position": 2,
    },
    "feedback_question_delete": lambda w: {"question": w.question},
    # The answers are written by bulk_create: the other case the signals missed.
    "feedback_response_submit": lambda w: {"form": w.form, "answers": {w.question.pk: 5}},
    "consent_record": lambda w: {
        "person": w.person,
        "use": ConsentUse.NAMED,
        "given_on": D,
        "method": ConsentMethod.WRITTEN,
        "by": None,
    },
    "consent_withdraw": lambda w: {
        "person": privacy.consent_record(
            person=w.person,
            use=ConsentUse.NAMED,
            given_on=D,
            method=ConsentMethod.WRITTEN,
            by=None,
        ).person,
        "on": D,
        "by": None,
    },
    "person_erase": lambda w: {"person": PersonFactory(programme=w.programme), "by": None},
}


def version(programme) -> int:
    return Programme.objects.values_list("records_version", flat=True).get(pk=programme.pk)


def test_every_write_service_is_called_below():
    assert sorted(name for name, _ in write_services()) == sorted(CALLS)


@pytest.mark.parametrize(("name", "service"), list(write_services()))
def test_every_write_service_moves_its_programme_on_without_signals(
    name, service, world, without_signals
):
    kwargs = CALLS[name](world)
    before, other_before = version(world.programme), version(world.other)

    service(**kwargs)

    assert getattr(service, "moves_records_version", False)
    assert version(world.programme) > before
    assert version(world.other) == other_before
