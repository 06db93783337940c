"""Case site and proposed project pages per role, through the one rule set."""

import pytest
from django.urls import reverse

from inquiries.enums import ActivityKind, ContactDirection
from sites.enums import Geography, ProjectOutcome
from sites.models import CaseSite, ProposedProject
from tests import factories
from tests.cast import as_user, outcome, outcomes, page_as, sign_in
from tests.sites.pages import (
    FIFE_EDIT_OUTCOMES,
    FIFE_READ_OUTCOMES,
    beside_elsewhere,
)

pytestmark = pytest.mark.django_db


# --- Case sites: reading ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", ["Fife", "Glasgow"]),
        ("fife_researcher", ["Fife", "Glasgow"]),
        ("glasgow_researcher", ["Fife", "Glasgow"]),
        ("fife_lead", ["Fife"]),
        ("glasgow_lead", ["Glasgow"]),
    ],
)
def test_site_list_shows_the_sites_each_role_may_see(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.get(reverse("sites:site_list"))

    assert [site.name for site in response.context["sites"]] == expected
    assert "Elsewhere" not in response.content.decode()


def test_site_list_sends_anonymous_to_sign_in(client, cast):
    assert outcome(client.get(reverse("sites:site_list"))) == "sign in"


def test_site_list_searches_the_partnership_name(client, cast):
    sign_in(client, cast.manager)

    response = client.get(reverse("sites:site_list"), {"q": "glasgow community"})

    assert [site.name for site in response.context["sites"]] == ["Glasgow"]


@pytest.mark.parametrize(
    ("role", "fife_page", "elsewhere_page"),
    beside_elsewhere(FIFE_READ_OUTCOMES),
)
def test_site_detail_per_role(client, cast, role, fife_page, elsewhere_page):
    as_user(client, cast, role)

    got = outcomes(client, "sites:site_detail", cast.fife, cast.elsewhere)

    assert got == (fife_page, elsewhere_page)


@pytest.fixture
def story(cast):
    """Fife with its context, Table B, engagement figures, a tally, a group and a partner."""
    cast.fife.population, cast.fife.population_qualifier = 370000, "approx."
    cast.fife.geography = Geography.MIXED
    cast.fife.inequality_notes = "Pockets of deprivation in the Levenmouth area."
    cast.fife.selection_need = "Welfare reform hits hard."
    cast.fife.delivered_focus = ["Understanding welfare reforms", "Family interventions"]
    cast.fife.save()
    welfare = cast.group
    welfare.short_name = "Welfare PIT"
    welfare.save(update_fields=["short_name"])
    factories.MembershipFactory.create_batch(3, group=welfare)
    factories.MembershipFactory(group=welfare, role="periphery")
    hub = factories.ProposedProjectFactory(
        site=cast.fife,
        position=0,
        title="a welfare hub service",
        outcome=ProjectOutcome.TAKEN_FORWARD,
        reason="Taken into the Fife inquiries at the retreat.",
    )
    hub.delivered_by.set([welfare])
    factories.ProposedProjectFactory(
        site=cast.fife, position=1, title="road safety", outcome="dropped"
    )
    factories.ProposedProjectFactory(site=cast.glasgow, title="Glasgow's own project")
    factories.EngagementFigureFactory(site=cast.fife, label="practitioners engaged with", value=87)
    factories.ActivityFactory(
        programme=cast.programme,
        site=cast.fife,
        group=None,
        kind=ActivityKind.EMAIL,
        count=703,
        direction=ContactDirection.INCOMING,
        title="incoming emails",
    )
    factories.ActivityFactory(
        programme=cast.programme, group=welfare, title="A meeting, not a tally"
    )
    partner = factories.OrganisationFactory(programme=cast.programme, name="Fife Council")
    partner.sites.set([cast.fife])
    factories.OrganisationFactory(programme=cast.programme, name="Glasgow City Council").sites.set(
        [cast.glasgow]
    )
    return cast.fife


def test_site_detail_tells_the_sites_story(client, cast, story):
    sign_in(client, cast.fife_lead)

    response = client.get(reverse("sites:site_detail", args=[story.pk]))

    text = response.content.decode()
    page = response.context["page"]
    assert "approx. 370,000" in text
    assert "Pockets of deprivation" in text and "Welfare reform hits hard." in text
    assert [
        (p.title, p.get_outcome_display(), [g.name for g in p.delivered_by.all()])
        for p in page.proposed_projects
    ] == [
        ("a welfare hub service", "Taken forward", ["Welfare PIT"]),
        ("road safety", "Dropped", []),
    ]
    assert "Glasgow&#x27;s own project" not in text
    assert "Understanding welfare reforms" in text and "Family interventions" in text
    assert [(f.label, f.value) for f in page.engagement_figures] == [
        ("practitioners engaged with", 87)
    ]
    assert [(t.kind, t.direction, t.count) for t in page.tallies] == [("email", "incoming", 703)]
    assert [(g.name, g.core_count, g.periphery_count) for g in response.context["groups"]] == [
        ("Welfare PIT", 3, 1)
    ]
    assert [o.name for o in page.organisations] == ["Fife Council"]
    for name in ("events:event_list", "evidence:evidence_list", "evidence:output_list"):
        assert f"{reverse(name)}?site={story.pk}" in text


@pytest.mark.parametrize(
    ("role", "can_edit"),
    [
        ("manager", True),
        ("fife_researcher", True),
        ("glasgow_researcher", False),
        ("fife_lead", False),
    ],
)
def test_site_detail_offers_editing_only_to_editors(client, cast, role, can_edit):
    response = page_as(client, cast, role, "sites:site_detail", cast.fife)

    assert response.context["can_edit"] is can_edit
    assert (
        reverse("sites:site_update", args=[cast.fife.pk]) in response.content.decode()
    ) is can_edit


@pytest.mark.parametrize(("is_superuser", "linked"), [(False, False), (True, True)])
def test_site_detail_links_only_superusers_to_the_administration(
    client, cast, is_superuser, linked
):
    manager = cast.manager
    manager.is_staff = True
    manager.is_superuser = is_superuser
    manager.save()
    sign_in(client, manager)

    response = client.get(reverse("sites:site_detail", args=[cast.fife.pk]))

    content = response.content.decode()
    assert (reverse("admin:sites_casesite_change", args=[cast.fife.pk]) in content) is linked
    assert (reverse("admin:index") in content) is linked


# --- Case sites: writing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "fife_edit", "elsewhere_edit"),
    beside_elsewhere(FIFE_EDIT_OUTCOMES),
)
def test_site_edit_and_project_create_pages_per_role(client, cast, role, fife_edit, elsewhere_edit):
    as_user(client, cast, role)

    for name in ("sites:site_update", "sites:project_create"):
        assert outcomes(client, name, cast.fife, cast.elsewhere) == (fife_edit, elsewhere_edit)


def site_data(**overrides):
    data = {
        "partnership_name": "Fife Partnership",
        "population": "370000",
        "population_qualifier": "approx.",
        "geography": "mixed",
        "inequality_notes": "Levenmouth",
        "selection_need": "Need",
        "selection_capacity": "Capacity",
        "selection_sustainability": "Sustainability",
        "delivered_focus": "Exploring provisions for families\n\n  Understanding welfare reforms\n",
    }
    return {**data, **overrides}


def test_researcher_edits_their_sites_context(client, cast):
    researcher = cast.fife_researcher
    sign_in(client, researcher)

    response = client.post(reverse("sites:site_update", args=[cast.fife.pk]), site_data())

    cast.fife.refresh_from_db()
    assert response["Location"] == reverse("sites:site_detail", args=[cast.fife.pk])
    assert (cast.fife.population, cast.fife.geography, cast.fife.delivered_focus) == (
        370000,
        "mixed",
        ["Exploring provisions for families", "Understanding welfare reforms"],
    )
    assert cast.fife.history.first().history_user == researcher


def test_site_edit_shows_delivered_focus_one_item_per_line(client, cast, story):
    sign_in(client, cast.manager)

    response = client.get(reverse("sites:site_update", args=[story.pk]))

    assert "Understanding welfare reforms\nFamily interventions</textarea>" in (
        response.content.decode()
    )


def test_site_edit_keeps_input_and_says_what_is_wrong(client, cast):
    sign_in(client, cast.fife_researcher)

    response = client.post(
        reverse("sites:site_update", args=[cast.fife.pk]), site_data(population="many")
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter a whole number." in text
    assert "Levenmouth" in text and "Understanding welfare reforms" in text
    cast.fife.refresh_from_db()
    assert cast.fife.population is None


def test_other_sites_researcher_cannot_post_an_edit(client, cast):
    sign_in(client, cast.glasgow_researcher)

    response = client.post(reverse("sites:site_update", args=[cast.fife.pk]), site_data())

    cast.fife.refresh_from_db()
    assert (outcome(response), cast.fife.partnership_name) == (
        "refused",
        "Fife Community Planning Partnership",
    )


# --- Proposed projects ------------------------------------------------------------------------


def test_researcher_adds_a_proposed_project_after_the_others(client, cast, story):
    researcher = cast.fife_researcher
    sign_in(client, researcher)

    response = client.post(
        reverse("sites:project_create", args=[story.pk]),
        {"title": "a schools programme", "outcome": "merged", "reason": "Joined the family PIT"},
    )

    assert response.status_code == 302
    assert list(story.proposed_projects.values_list("title", "position")) == [
        ("a welfare hub service", 0),
        ("road safety", 1),
        ("a schools programme", 2),
    ]
    assert story.proposed_projects.get(position=2).history.first().history_user == researcher


def test_proposed_project_title_taken_keeps_input(client, cast, story):
    sign_in(client, cast.fife_researcher)

    response = client.post(
        reverse("sites:project_create", args=[story.pk]),
        {"title": "road safety", "outcome": "merged", "reason": "Typed reason"},
    )

    text = response.content.decode()
    assert "already has a proposed project so titled" in text
    assert "Typed reason" in text
    assert story.proposed_projects.count() == 2


@pytest.mark.parametrize(
    ("role", "expected"),
    FIFE_EDIT_OUTCOMES,
)
def test_proposed_project_edit_and_delete_pages_per_role(client, cast, role, expected):
    project = factories.ProposedProjectFactory(site=cast.fife)
    as_user(client, cast, role)

    for name in ("sites:project_update", "sites:project_delete"):
        assert outcome(client.get(reverse(name, args=[project.pk]))) == expected


def test_proposed_project_of_another_programme_is_not_found(client, cast):
    project = factories.ProposedProjectFactory(site=cast.elsewhere)
    sign_in(client, cast.manager)

    for name in ("sites:project_update", "sites:project_delete"):
        assert outcome(client.get(reverse(name, args=[project.pk]))) == "not found"


def test_researcher_edits_a_proposed_project(client, cast, story):
    project = story.proposed_projects.get(title="road safety")
    sign_in(client, cast.fife_researcher)

    client.post(
        reverse("sites:project_update", args=[project.pk]),
        {"title": "road safety", "outcome": "dropped", "reason": "Not taken forward"},
    )

    project.refresh_from_db()
    assert (project.position, project.reason) == (1, "Not taken forward")


def test_researcher_deletes_a_proposed_project(client, cast, story):
    project = story.proposed_projects.get(title="road safety")
    sign_in(client, cast.fife_researcher)

    response = client.post(reverse("sites:project_delete", args=[project.pk]))

    assert response["Location"].endswith("#table-b")
    assert not ProposedProject.objects.filter(pk=project.pk).exists()


def test_lead_cannot_delete_a_proposed_project(client, cast, story):
    project = story.proposed_projects.get(title="road safety")
    sign_in(client, cast.fife_lead)

    response = client.post(reverse("sites:project_delete", args=[project.pk]))

    assert outcome(response) == "refused"
    assert ProposedProject.objects.filter(pk=project.pk).exists()


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 60])
def test_pages_query_count_does_not_grow(client, cast, django_assert_max_num_queries, size):
    programme = cast.programme
    group = factories.group_in(cast.fife)
    for number in range(size):
        site = CaseSite.objects.create(
            programme=programme, name=f"Site {number}", slug=f"s-{number}"
        )
        site.lead_researchers.set([cast.fife_researcher])
        project = factories.ProposedProjectFactory(site=cast.fife)
        project.delivered_by.set([group, factories.group_in(cast.fife)])
        factories.EngagementFigureFactory(site=cast.fife)
        factories.ActivityFactory(
            programme=programme, site=cast.fife, group=None, kind="email", count=3
        )
        factories.MembershipFactory(group=group)
        organisation = factories.OrganisationFactory(programme=programme)
        organisation.sites.set([cast.fife, site])
        factories.PersonFactory(programme=programme, organisation=organisation)
    sign_in(client, cast.fife_researcher)

    with django_assert_max_num_queries(10):
        sites = client.get(reverse("sites:site_list"))
    with django_assert_max_num_queries(17):
        detail = client.get(reverse("sites:site_detail", args=[cast.fife.pk]))
    with django_assert_max_num_queries(12):
        organisations = client.get(reverse("sites:organisation_list"))

    assert sites.context["paginator"].count == size + 2
    assert len(detail.context["page"].proposed_projects) == size
    assert organisations.context["paginator"].count == size
