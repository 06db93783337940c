"""Every list of the API answers with the same number of queries whatever its size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import RoleKind
from car_programme import records_version
from inquiries.enums import ResearcherRole
from inquiries.models import ResearchQuestion
from reports.enums import ReportKind
from reports.models import ReportRequest
from tests import factories
from tests.api.conftest import token_of, with_token
from tests.reports.test_exports import populate

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


# Evidence, events and reports: each record linked the way its list reads (sites, groups,
# themes, supporting records, head counts, statements).
def _evidence(cast, viewer, n):
    theme = factories.ThemeFactory(programme=cast.programme)
    for _ in range(n):
        item = factories.EvidenceItemFactory(
            programme=cast.programme, group=cast.group, sites=[cast.fife, cast.glasgow]
        )
        item.themes.set([theme])


def _outputs(cast, viewer, n):
    author = factories.PersonFactory(programme=cast.programme)
    for _ in range(n):
        output = factories.OutputFactory(programme=cast.programme, sites=[cast.fife])
        output.groups.set([cast.group])
        output.authors.set([author])


def _changes(cast, viewer, n):
    for _ in range(n):
        evidence = factories.EvidenceItemFactory(programme=cast.programme, sites=[cast.fife])
        output = factories.OutputFactory(programme=cast.programme, sites=[cast.fife])
        earlier = factories.ChangeFactory(programme=cast.programme, sites=[cast.fife])
        change = factories.ChangeFactory(programme=cast.programme, sites=[cast.fife])
        change.evidence.set([evidence])
        change.outputs.set([output])
        change.earlier_changes.set([earlier])


def _events(cast, viewer, n):
    for _ in range(n):
        event = factories.event_in(cast.fife)
        event.groups.set([cast.group])
        event.attendees.set([factories.PersonFactory(programme=cast.programme, site=cast.fife)])
        factories.AttendanceCountFactory(event=event, site=cast.fife)
        event.report = factories.OutputFactory(programme=cast.programme, sites=[cast.fife])
        event.save(update_fields=["report"])


def _feedback_forms(cast, viewer, n):
    for _ in range(n):
        question = factories.FeedbackQuestionFactory(form__event=factories.event_in(cast.fife))
        factories.FeedbackAnswerFactory(
            response=factories.FeedbackResponseFactory(form=question.form),
            question=question,
            score=5,
        )


def _report_requests(cast, viewer, n):
    for _ in range(n):
        site = factories.CaseSiteFactory(programme=cast.programme)
        ReportRequest.objects.create(
            programme=cast.programme, kind=ReportKind.SITE, site=site, requested_by=cast.manager
        )


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
    "evidence-item": _evidence,
    "output": _outputs,
    "change": _changes,
    "event": _events,
    "feedback-form": _feedback_forms,
    "report-request": _report_requests,
    "group": _groups,
    "membership": _memberships,
    "research-question": _research_questions,
    "cycle": _cycles,
    "activity": _activities,
}
# The token and its user, the user's roles, the count of the page, its rows, and the prefetch of
# the rows' sites (a case site's lead researchers, an organisation's sites).
QUERIES = {"programme": 4, "site": 5, "organisation": 5, "theme": 4, "person": 4}
# Evidence, events and reports: the same four, and one for each list of links the rows carry:
# evidence's sites and themes; an output's sites, groups, authors and themes; a change's
# sites, evidence, outputs, earlier changes and themes;
# an event's sites, groups, attendees, head counts, organisations and themes; the statements'
# results of a page of feedback forms, counted together.
QUERIES |= {
    "evidence-item": 6,
    "output": 8,
    "change": 9,
    "event": 10,
    "feedback-form": 5,
    "report-request": 4,
}
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
    *(
        pytest.param(resource, "fife_lead", id=f"{resource}-fife_lead")
        for resource in ("evidence-item", "output", "change", "event", "feedback-form")
    ),
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


# --- Figures and exports (h4): their queries do not grow with the records they count ----------


def _answered_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        # A streamed export reads its rows as it is sent.
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


# Every section of the dashboard built afresh, with the token, its user and the target (and a
# programme's sites for its filter); a group's dashboard leaves out the panels comparing groups.
FIGURE_QUERIES = {"programme": 39, "site": 39, "group": 35}
FIGURE_TARGETS = {
    "programme": lambda cast: cast.programme,
    "site": lambda cast: cast.fife,
    "group": lambda cast: cast.group,
}


@pytest.mark.parametrize("level", list(FIGURE_TARGETS))
def test_figures_queries_do_not_grow_with_the_records(api, cast, level):
    client = with_token(api, token_of(cast.manager))
    url = reverse(f"api:{level}-figures", args=[FIGURE_TARGETS[level](cast).pk])
    populate(cast, n=1)
    client.get(reverse("api:api-root"))  # the token's first use is written once, outside

    # The panels are cached until the programme's records change: each count builds afresh.
    records_version.touch(cast.programme.pk)
    small = _answered_queries(client, url)
    populate(cast, n=8)
    records_version.touch(cast.programme.pk)
    large = _answered_queries(client, url)

    assert (small, large) == (FIGURE_QUERIES[level], FIGURE_QUERIES[level])


@pytest.mark.parametrize("dataset", ["people", "activities", "attendance", "outputs", "feedback"])
@pytest.mark.parametrize("extension", ["csv", "json"])
def test_an_export_s_queries_do_not_grow_with_its_rows(api, cast, dataset, extension):
    client = with_token(api, token_of(cast.manager))
    url = reverse(f"api:site-export-{extension}", args=[cast.fife.pk, dataset])
    populate(cast, n=1)
    client.get(reverse("api:api-root"))

    small = _answered_queries(client, url)
    populate(cast, n=8)
    large = _answered_queries(client, url)

    assert small == large


# --- end of figures and exports (h4)
