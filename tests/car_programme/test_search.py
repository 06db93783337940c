import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from car_programme.search import search
from evidence.enums import Sensitivity
from tests.factories.accounts import user_with_role
from tests.factories.evidence import EvidenceItemFactory
from tests.factories.inquiries import ActivityFactory, PersonFactory, group_in
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fife():
    return CaseSiteFactory(programme=ProgrammeFactory(), name="Fife")


def titles(sections):
    return {section.label: [result.title for result in section.results] for section in sections}


def test_search_finds_a_group_by_its_topic(fife):
    group_in(fife, name="Welfare Partnership Innovation Team", topic="welfare sanctions")
    group_in(fife, name="Family Partnership Innovation Team", topic="family hubs")

    found = titles(search(user=user_with_role(RoleKind.RESEARCHER, site=fife), text="sanctions"))

    assert found == {"Inquiry groups": ["Welfare Partnership Innovation Team"]}


def test_strategy_lead_finds_no_restricted_evidence(fife):
    group = group_in(fife)
    EvidenceItemFactory(
        programme=fife.programme,
        group=group,
        title="Sanctions interviews",
        sensitivity=Sensitivity.RESTRICTED,
    )
    EvidenceItemFactory(
        programme=fife.programme,
        group=group,
        title="Sanctions statistics",
        sensitivity=Sensitivity.PUBLIC,
    )

    lead = titles(search(user=user_with_role(RoleKind.STRATEGY_LEAD, site=fife), text="sanctions"))
    researcher = titles(
        search(user=user_with_role(RoleKind.RESEARCHER, site=fife), text="sanctions")
    )

    assert lead == {"Evidence": ["Sanctions statistics"]}
    assert sorted(researcher["Evidence"]) == ["Sanctions interviews", "Sanctions statistics"]


def test_strategy_lead_cannot_find_a_person_by_name_nor_read_notes(fife):
    person = PersonFactory(
        programme=fife.programme, site=fife, name="Morag Example", pseudonym="F-017"
    )
    ActivityFactory(programme=fife.programme, group=group_in(fife), notes="Morag challenged us")
    lead = user_with_role(RoleKind.STRATEGY_LEAD, site=fife)

    assert search(user=lead, text="Morag") == []
    assert titles(search(user=lead, text="F-017")) == {"People": [person.pseudonym]}


def test_researcher_finds_people_by_name_and_notes(fife):
    PersonFactory(programme=fife.programme, site=fife, name="Morag Example")
    ActivityFactory(programme=fife.programme, group=group_in(fife), notes="Morag challenged us")

    found = titles(search(user=user_with_role(RoleKind.RESEARCHER, site=fife), text="Morag"))

    assert found["People"] == ["Morag Example"]
    assert len(found["Reflective notes"]) == 1


def test_search_page_shows_results_to_a_signed_in_user(client, fife):
    group_in(fife, name="Welfare Partnership Innovation Team", topic="welfare sanctions")
    client.force_login(user_with_role(RoleKind.RESEARCHER, site=fife))

    page = client.get(reverse("search"), {"q": "sanctions"}).content.decode()

    assert "Welfare Partnership Innovation Team" in page


@pytest.mark.parametrize("size", [10, 60])
def test_search_query_count_does_not_grow(fife, django_assert_num_queries, size):
    for number in range(size):
        group_in(fife, name=f"Sanctions group {number}", topic="sanctions")
    researcher = user_with_role(RoleKind.RESEARCHER, site=fife)

    with django_assert_num_queries(11):
        sections = search(user=researcher, text="sanctions")

    assert len(sections[0].results) == min(size, 10)
