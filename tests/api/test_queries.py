"""Every list of the API answers with the same number of queries whatever its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import RoleKind
from inquiries.enums import ResearcherRole
from inquiries.models import ResearchQuestion
from tests import factories
from tests.api.conftest import token_of, with_token

pytestmark = pytest.mark.django_db


def _programmes(cast, viewer, n):
    for _ in range(n):
        programme = factories.ProgrammeFactory()
        factories.CaseSiteFactory(programme=programme)
        factories.OrganisationFactory(programme=programme)
        factories.RoleFactory(
            user=viewer, programme=programme, site=None, role=RoleKind.PROGRAMME_MANAGER
        )


def _sites(cast, viewer, n):
    for _ in range(n):
        site = factories.CaseSiteFactory(programme=cast.programme, director=cast.manager)
        site.lead_researchers.set([cast.fife_researcher, cast.glasgow_researcher])
        factories.group_in(site)
        factories.OrganisationFactory(programme=cast.programme).sites.set([site])


def _organisations(cast, viewer, n):
    for _ in range(n):
        organisation = factories.OrganisationFactory(programme=cast.programme)
        organisation.sites.set([cast.fife, cast.glasgow])
        factories.PersonFactory(programme=cast.programme, organisation=organisation)


def _themes(cast, viewer, n):
    for _ in range(n):
        factories.ThemeFactory(programme=cast.programme)


def _people(cast, viewer, n):
    organisation = factories.OrganisationFactory(programme=cast.programme)
    for number in range(n):
        person = factories.PersonFactory(
            programme=cast.programme, site=cast.fife, organisation=organisation
        )
        if number % 2:
            factories.consented_to_be_named(person)


# The inquiries app: groups of Fife (with a theme each), and their members, questions, cycles
# and activities (each with two attendees and a researcher role).
def _groups(cast, viewer, n):
    for _ in range(n):
        group = factories.group_in(cast.fife)
        group.themes.set([factories.ThemeFactory(programme=cast.programme)])


def _memberships(cast, viewer, n):
    for _ in range(n):
        factories.MembershipFactory(group=cast.group)


def _research_questions(cast, viewer, n):
    for number in range(n):
        ResearchQuestion.objects.create(group=cast.group, text=f"Question {number}")


def _cycles(cast, viewer, n):
    for _ in range(n):
        factories.CycleFactory(group=cast.group)


def _activities(cast, viewer, n):
    for _ in range(n):
        activity = factories.ActivityFactory(programme=cast.programme, group=cast.group)
        factories.AttendanceFactory.create_batch(2, activity=activity)
        activity.researcher_roles.create(role=ResearcherRole.RESEARCH_TRAINING)
        activity.themes.set([factories.ThemeFactory(programme=cast.programme)])


GROW = {
    "programme": _programmes,
    "site": _sites,
    "organisation": _organisations,
    "theme": _themes,
    "person": _people,
    "group": _groups,
    "membership": _memberships,
    "research-question": _research_questions,
    "cycle": _cycles,
    "activity": _activities,
}
# The token and its user, the user's roles, the count of the page, its rows, and the prefetch of
# the rows' sites (a case site's lead researchers, an organisation's sites).
QUERIES = {"programme": 4, "site": 5, "organisation": 5, "theme": 4, "person": 4}
# A group's sites and themes are prefetched, and an activity's attendees, themes and roles.
QUERIES |= {
    "group": 6,
    "membership": 4,
    "research-question": 4,
    "cycle": 4,
    "activity": 7,
}
CASES = [
    *(pytest.param(resource, "manager", id=f"{resource}-manager") for resource in GROW),
    pytest.param("organisation", "fife_lead", id="organisation-fife_lead"),
    pytest.param("person", "fife_lead", id="person-fife_lead"),
    pytest.param("group", "fife_lead", id="group-fife_lead"),
    pytest.param("activity", "fife_lead", id="activity-fife_lead"),
]


def measured(client, url) -> tuple[int, int]:
    """The queries of one answer of the list at ``url``, and its number of rows."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 200})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize(("resource", "role"), CASES)
def test_a_list_s_queries_do_not_grow_with_its_records(api, cast, resource, role):
    viewer = cast.user(role)
    client = with_token(api, token_of(viewer))
    url = reverse(f"api:{resource}-list")
    GROW[resource](cast, viewer, 2)
    client.get(url)  # the token's first use is written once, outside the count

    small, small_rows = measured(client, url)
    GROW[resource](cast, viewer, 15)
    large, large_rows = measured(client, url)

    assert large_rows >= small_rows + 15
    assert (small, large) == (QUERIES[resource], QUERIES[resource])
