"""The rule set, per role: each may do what DESIGN.md says and nothing else."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.enums import RoleKind
from accounts.rules import permitted
from evidence.enums import Sensitivity
from inquiries.enums import ConsentMethod, ConsentUse
from inquiries.models import Consent
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.events import EventFactory
from tests.factories.evidence import EvidenceItemFactory, OutputFactory
from tests.factories.inquiries import ActivityFactory, InquiryGroupFactory, PersonFactory
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def role(user, programme, kind, site=None):
    RoleFactory(user=user, programme=programme, site=site, role=kind)
    return user


@pytest.fixture
def world():
    """Two sites (Fife, Glasgow) of one programme, and a second programme beside it."""
    programme, other_programme = ProgrammeFactory(), ProgrammeFactory()
    fife = CaseSiteFactory(programme=programme, name="Fife")
    glasgow = CaseSiteFactory(programme=programme, name="Glasgow")
    users = {
        "manager": role(UserFactory(), programme, RoleKind.PROGRAMME_MANAGER),
        "fife_researcher": role(UserFactory(), programme, RoleKind.RESEARCHER, fife),
        "glasgow_researcher": role(UserFactory(), programme, RoleKind.RESEARCHER, glasgow),
        "fife_lead": role(UserFactory(), programme, RoleKind.STRATEGY_LEAD, fife),
        "glasgow_lead": role(UserFactory(), programme, RoleKind.STRATEGY_LEAD, glasgow),
        "other_manager": role(UserFactory(), other_programme, RoleKind.PROGRAMME_MANAGER),
        "anonymous": AnonymousUser(),
    }
    group = InquiryGroupFactory(programme=programme)
    group.sites.set([fife])
    consenting = PersonFactory(programme=programme, site=fife)
    Consent.objects.create(
        person=consenting,
        use=ConsentUse.NAMED,
        given_on=dt.date(2015, 6, 1),
        method=ConsentMethod.WRITTEN,
    )
    records = {
        "fife_group": group,
        "fife_activity": ActivityFactory(programme=programme, group=group, notes="Reflections"),
        "fife_internal_evidence": EvidenceItemFactory(
            programme=programme, group=group, sensitivity=Sensitivity.INTERNAL
        ),
        "fife_restricted_evidence": EvidenceItemFactory(
            programme=programme, group=group, sensitivity=Sensitivity.RESTRICTED
        ),
        "fife_person": PersonFactory(programme=programme, site=fife),
        "fife_consenting_person": consenting,
        "national_event": EventFactory(programme=programme),
        "glasgow_event": EventFactory(programme=programme),
        "programme_output": OutputFactory(programme=programme),
    }
    records["glasgow_event"].sites.set([glasgow])
    return users, records


EVERYONE = {
    "manager",
    "fife_researcher",
    "glasgow_researcher",
    "fife_lead",
    "glasgow_lead",
    "other_manager",
    "anonymous",
}
STAFF_AND_RESEARCHERS = {"manager", "fife_researcher", "glasgow_researcher"}

EXPECTED = [
    ("inquiries.view_inquirygroup", "fife_group", STAFF_AND_RESEARCHERS | {"fife_lead"}),
    ("inquiries.change_inquirygroup", "fife_group", {"manager", "fife_researcher"}),
    ("inquiries.delete_inquirygroup", "fife_group", {"manager", "fife_researcher"}),
    ("inquiries.view_activity", "fife_activity", STAFF_AND_RESEARCHERS | {"fife_lead"}),
    ("inquiries.view_activity_notes", "fife_activity", STAFF_AND_RESEARCHERS),
    ("inquiries.change_activity", "fife_activity", {"manager", "fife_researcher"}),
    (
        "evidence.view_evidenceitem",
        "fife_internal_evidence",
        STAFF_AND_RESEARCHERS | {"fife_lead"},
    ),
    ("evidence.view_evidenceitem", "fife_restricted_evidence", {"manager", "fife_researcher"}),
    ("evidence.change_evidenceitem", "fife_internal_evidence", {"manager", "fife_researcher"}),
    ("inquiries.view_person", "fife_person", STAFF_AND_RESEARCHERS | {"fife_lead"}),
    ("inquiries.view_person_name", "fife_person", STAFF_AND_RESEARCHERS),
    (
        "inquiries.view_person_name",
        "fife_consenting_person",
        STAFF_AND_RESEARCHERS | {"fife_lead"},
    ),
    (
        "events.view_event",
        "national_event",
        STAFF_AND_RESEARCHERS | {"fife_lead", "glasgow_lead"},
    ),
    ("events.change_event", "national_event", {"manager"}),
    ("events.view_event", "glasgow_event", STAFF_AND_RESEARCHERS | {"glasgow_lead"}),
    ("events.change_event", "glasgow_event", {"manager", "glasgow_researcher"}),
    (
        "evidence.view_output",
        "programme_output",
        STAFF_AND_RESEARCHERS | {"fife_lead", "glasgow_lead"},
    ),
]


def _case_id(value) -> str:
    # Sorted, so that every pytest-xdist process names the cases alike.
    return str(sorted(value) if isinstance(value, set) else value)[:40]


@pytest.mark.parametrize(("perm", "record", "allowed"), EXPECTED, ids=_case_id)
def test_each_role_may_do_what_design_says_and_nothing_else(world, perm, record, allowed):
    users, records = world

    granted = {name for name, user in users.items() if user.has_perm(perm, records[record])}

    assert granted == allowed


@pytest.mark.parametrize(("perm", "record", "allowed"), EXPECTED, ids=_case_id)
def test_lists_hold_exactly_what_the_object_check_allows(world, perm, record, allowed):
    users, records = world
    obj = records[record]

    listed = {
        name
        for name, user in users.items()
        if permitted(user, perm, type(obj).objects.all()).filter(pk=obj.pk).exists()
    }

    assert listed == allowed


def test_a_list_holds_each_record_once_whatever_the_joins(world):
    users, records = world
    records["fife_group"].sites.add(CaseSiteFactory(programme=records["fife_group"].programme))

    groups = permitted(users["manager"], "inquiries.view_inquirygroup")

    assert list(groups) == [records["fife_group"]]


def test_roles_are_read_once_per_user(world, django_assert_num_queries):
    users, records = world
    researcher = users["fife_researcher"]

    # One query reads the roles; each check then asks only about its record.
    with django_assert_num_queries(1 + 3):
        for record in ("fife_group", "fife_activity", "fife_person"):
            obj = records[record]
            assert researcher.has_perm(f"inquiries.view_{obj._meta.model_name}", obj)


def test_no_role_means_no_page_at_all(world):
    users, _ = world
    nobody = UserFactory()

    assert not nobody.has_perm("inquiries.view_inquirygroup")
    assert users["fife_lead"].has_perm("inquiries.view_inquirygroup")
    assert not users["fife_lead"].has_perm("inquiries.view_activity_notes")
