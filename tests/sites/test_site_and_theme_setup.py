"""Setting up a programme's case sites, theme frameworks and Table B order in the workspace, per
role, and the "Set up your programme" checklist."""

import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from sites.models import CaseSite, Theme
from sites.setup import STEPS, SetupStep, add_step
from tests import factories
from tests.cast import as_user, outcome, sign_in

pytestmark = pytest.mark.django_db

# Who gets a page that sets the programme up: its managers (and superusers) the page, its other
# roles a refusal, another programme's manager nothing at all.
SETUP_PAGE = [
    ("superuser", "shown"),
    ("manager", "shown"),
    ("other_manager", "not found"),
    ("fife_researcher", "refused"),
    ("fife_lead", "refused"),
    ("anonymous", "sign in"),
]


def site_data(**fields) -> dict:
    return {
        "name": "Perth",
        "partnership_name": "Perth and Kinross CPP",
        "geography": "mixed",
        **fields,
    }


# --- Case sites -------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), SETUP_PAGE)
def test_site_create_per_role(client, cast, role, expected):
    as_user(client, cast, role)
    url = reverse("sites:site_create", args=[cast.programme.pk])

    got = client.get(url)
    posted = client.post(url, site_data())

    made = CaseSite.objects.filter(name="Perth").exists()
    assert (outcome(got), made) == (expected, expected == "shown")
    assert outcome(posted) == ("done" if expected == "shown" else expected)


def test_a_manager_adds_a_site_with_its_lead_researcher_and_director(client, cast):
    sign_in(client, cast.manager)

    response = client.post(
        reverse("sites:site_create", args=[cast.programme.pk]),
        site_data(
            lead_researchers=[cast.fife_researcher.pk],
            director=cast.fife_lead.pk,
            population="150000",
        ),
    )

    site = CaseSite.objects.get(name="Perth")
    assert response["Location"] == reverse("sites:site_detail", args=[site.pk])
    assert (site.programme, site.slug, site.population) == (cast.programme, "perth", 150000)
    assert list(site.lead_researchers.all()) == [cast.fife_researcher]
    assert site.director == cast.fife_lead
    (row,) = site.history.all()
    assert row.history_user == cast.manager
    assert [link.user_id for link in row.lead_researchers.all()] == [cast.fife_researcher.pk]


def test_a_site_offers_as_leads_only_people_of_its_programme(client, cast):
    sign_in(client, cast.manager)

    response = client.post(
        reverse("sites:site_create", args=[cast.programme.pk]),
        site_data(lead_researchers=[cast.outsider.pk]),
    )

    assert "lead_researchers" in response.context["form"].errors
    assert cast.outsider not in response.context["form"].fields["director"].queryset
    assert 'value="Perth and Kinross CPP"' in response.content.decode()
    assert not CaseSite.objects.filter(name="Perth").exists()


def test_a_site_name_taken_in_the_programme_is_said_next_to_the_name(client, cast):
    sign_in(client, cast.manager)

    response = client.post(
        reverse("sites:site_create", args=[cast.programme.pk]), site_data(name="Fife")
    )

    assert response.context["form"].errors["name"] == [
        f"{cast.programme} already has a site of this name."
    ]
    assert CaseSite.objects.filter(programme=cast.programme).count() == 2


def test_a_site_researcher_edits_the_context_but_not_the_name_or_leads(client, cast):
    sign_in(client, cast.fife_researcher)
    url = reverse("sites:site_update", args=[cast.fife.pk])

    fields = client.get(url).context["form"].fields
    client.post(url, {"name": "Renamed", "partnership_name": "Fife Partnership"})

    cast.fife.refresh_from_db()
    assert {"name", "lead_researchers", "director"}.isdisjoint(fields)
    assert (cast.fife.name, cast.fife.partnership_name) == ("Fife", "Fife Partnership")


def test_a_manager_renames_a_site_and_names_its_leads(client, cast):
    sign_in(client, cast.manager)

    client.post(
        reverse("sites:site_update", args=[cast.fife.pk]),
        {"name": "Fife and Kinross", "lead_researchers": [cast.fife_researcher.pk]},
    )

    site = CaseSite.objects.get(pk=cast.fife.pk)
    assert (site.name, site.slug) == ("Fife and Kinross", cast.fife.slug)
    assert list(site.lead_researchers.all()) == [cast.fife_researcher]
    assert site.history.first().history_user == cast.manager


# --- Proposed projects (Table B) --------------------------------------------------------------


def test_an_editor_of_the_site_reorders_table_b(client, cast):
    first, second, third = (
        factories.ProposedProjectFactory(site=cast.fife, title=title, position=0)
        for title in ("Alpha", "Beta", "Gamma")
    )
    sign_in(client, cast.fife_researcher)

    client.post(reverse("sites:project_move", args=[third.pk]), {"direction": "up"})
    client.post(reverse("sites:project_move", args=[first.pk]), {"direction": "down"})

    order = cast.fife.proposed_projects.order_by("position").values_list("title", flat=True)
    assert list(order) == ["Gamma", "Alpha", "Beta"]
    assert second.history.count() == 2


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("fife_researcher", "done"),
        ("glasgow_researcher", "refused"),
        ("fife_lead", "refused"),
        ("outsider", "not found"),
        ("anonymous", "sign in"),
    ],
)
def test_table_b_order_per_role(client, cast, role, expected):
    project = factories.ProposedProjectFactory(site=cast.fife, title="Beta", position=1)
    factories.ProposedProjectFactory(site=cast.fife, title="Alpha", position=0)
    as_user(client, cast, role)

    response = client.post(reverse("sites:project_move", args=[project.pk]), {"direction": "up"})

    project.refresh_from_db()
    assert (outcome(response), project.position) == (expected, 0 if expected == "done" else 1)


# --- Theme frameworks -------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), SETUP_PAGE)
def test_framework_create_per_role(client, cast, role, expected):
    as_user(client, cast, role)
    url = reverse("sites:framework_create", args=[cast.programme.pk])

    got = client.get(url)
    client.post(url, {"framework": "Principles", "themes": "Partnership\nPrevention"})

    made = list(Theme.objects.filter(framework="Principles").values_list("name", flat=True))
    assert outcome(got) == expected
    assert made == (["Partnership", "Prevention"] if expected == "shown" else [])


def test_a_framework_keeps_its_themes_in_the_order_typed(client, cast):
    sign_in(client, cast.manager)

    response = client.post(
        reverse("sites:framework_create", args=[cast.programme.pk]),
        {"framework": "Principles", "themes": "Prevention\n\nPartnership\n People \n"},
    )

    themes = cast.programme.themes.order_by("position")
    assert response["Location"] == reverse("sites:theme_list", args=[cast.programme.pk])
    assert [(t.name, t.position) for t in themes] == [
        ("Prevention", 0),
        ("Partnership", 1),
        ("People", 2),
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"framework": "Principles", "themes": "People\nPeople"},
            "themes",
            "Each theme of a framework needs a name of its own.",
        ),
        ({"framework": "Principles", "themes": ""}, "themes", "This field is required."),
        (
            {"framework": "Key messages", "themes": "Trust"},
            "framework",
            "{programme} already has a framework so named.",
        ),
    ],
    ids=["same theme twice", "no theme", "framework taken"],
)
def test_bad_framework_input_is_said_next_to_its_field(client, cast, data, field, message):
    factories.ThemeFactory(programme=cast.programme, framework="Key messages", name="Trust")
    sign_in(client, cast.manager)

    response = client.post(reverse("sites:framework_create", args=[cast.programme.pk]), data)

    assert response.context["form"].errors[field] == [message.format(programme=cast.programme)]
    assert cast.programme.themes.count() == 1


def test_a_theme_goes_to_the_end_of_its_framework(client, cast):
    factories.ThemeFactory(programme=cast.programme, framework="Principles", position=4)
    sign_in(client, cast.manager)

    client.post(
        reverse("sites:theme_create", args=[cast.programme.pk]),
        {"framework": "Principles", "name": "Performance", "description": "Outcomes"},
    )

    theme = Theme.objects.get(name="Performance")
    assert (theme.framework, theme.position, theme.description) == ("Principles", 5, "Outcomes")


def test_a_theme_name_taken_in_its_framework_is_said_next_to_the_name(client, cast):
    factories.ThemeFactory(programme=cast.programme, framework="Principles", name="People")
    sign_in(client, cast.manager)

    response = client.post(
        reverse("sites:theme_create", args=[cast.programme.pk]),
        {"framework": "Principles", "name": "People"},
    )

    assert response.context["form"].errors["name"] == [
        "The framework “Principles” already has a theme so named."
    ]
    assert cast.programme.themes.count() == 1


def test_a_manager_renames_a_framework_on_each_theme(client, cast):
    for name in ("People", "Place"):
        factories.ThemeFactory(programme=cast.programme, framework="Pillars", name=name)
    sign_in(client, cast.manager)

    client.post(
        reverse("sites:framework_update", args=[cast.programme.pk]) + "?framework=Pillars",
        {"framework": "Christie pillars"},
    )

    themes = cast.programme.themes.all()
    assert {t.framework for t in themes} == {"Christie pillars"}
    assert all(t.history.first().history_user == cast.manager for t in themes)


def test_renaming_a_framework_the_programme_lacks_answers_not_found(client, cast):
    factories.ThemeFactory(programme=cast.elsewhere.programme, framework="Pillars")
    sign_in(client, cast.manager)

    response = client.get(
        reverse("sites:framework_update", args=[cast.programme.pk]) + "?framework=Pillars"
    )

    assert outcome(response) == "not found"


def test_a_manager_reorders_edits_and_removes_an_unused_theme(client, cast):
    people, place, prevention = (
        factories.ThemeFactory(programme=cast.programme, framework="Pillars", name=name, position=i)
        for i, name in enumerate(("People", "Place", "Prevention"))
    )
    sign_in(client, cast.manager)

    client.post(reverse("sites:theme_move", args=[prevention.pk]), {"direction": "up"})
    client.post(
        reverse("sites:theme_update", args=[place.pk]),
        {"name": "Place-based", "description": "Where"},
    )
    client.post(reverse("sites:theme_delete", args=[people.pk]))

    themes = cast.programme.themes.order_by("position")
    assert [t.name for t in themes] == ["Prevention", "Place-based"]
    assert not Theme.objects.filter(pk=people.pk).exists()
    assert people.history.first().history_type == "-"


def test_a_theme_that_tags_records_cannot_be_removed(client, cast):
    theme = factories.ThemeFactory(programme=cast.programme, name="Prevention")
    cast.group.themes.add(theme)
    sign_in(client, cast.manager)

    page = client.get(reverse("sites:theme_delete", args=[theme.pk]))
    client.post(reverse("sites:theme_delete", args=[theme.pk]))

    assert "“Prevention” tags 1 record: it cannot be deleted." in page.content.decode()
    assert Theme.objects.filter(pk=theme.pk).exists()


@pytest.mark.parametrize(
    ("role", "list_page", "edit_page"),
    [
        ("manager", "shown", "shown"),
        ("fife_researcher", "shown", "refused"),
        ("fife_lead", "shown", "refused"),
        ("other_manager", "not found", "not found"),
        ("anonymous", "sign in", "sign in"),
    ],
)
def test_theme_pages_per_role(client, cast, role, list_page, edit_page):
    theme = factories.ThemeFactory(programme=cast.programme)
    as_user(client, cast, role)

    got = (
        outcome(client.get(reverse("sites:theme_list", args=[cast.programme.pk]))),
        outcome(client.get(reverse("sites:theme_update", args=[theme.pk]))),
    )
    client.post(reverse("sites:theme_delete", args=[theme.pk]))

    assert got == (list_page, edit_page)
    assert Theme.objects.filter(pk=theme.pk).exists() == (edit_page != "shown")


@pytest.mark.parametrize("size", [3, 30])
def test_theme_list_query_count_does_not_grow(client, cast, django_assert_num_queries, size):
    for number in range(size):
        theme = factories.ThemeFactory(programme=cast.programme, framework=f"F{number % 3}")
        cast.group.themes.add(theme)
    sign_in(client, cast.manager)

    with django_assert_num_queries(9):
        response = client.get(reverse("sites:theme_list", args=[cast.programme.pk]))

    assert [t.use_count for t in response.context["themes"]] == [1] * size


# --- Set up your programme --------------------------------------------------------------------


def test_a_new_programme_shows_every_step_missing(client, cast):
    programme = factories.ProgrammeFactory(name="New programme")
    manager = factories.user_with_role(RoleKind.PROGRAMME_MANAGER, programme=programme)
    sign_in(client, manager)

    response = client.get(reverse("sites:programme_setup", args=[programme.pk]))

    checklist = response.context["checklist"]
    assert [s.step.key for s in checklist.missing] == [step.key for step in STEPS]
    page = response.content.decode()
    assert "6 of 6 steps still to do" in page
    assert reverse("sites:site_create", args=[programme.pk]) in page


def test_the_checklist_follows_what_the_programme_holds(client, cast):
    factories.ThemeFactory(programme=cast.programme)
    factories.ProposedProjectFactory(site=cast.fife)
    sign_in(client, cast.manager)

    response = client.get(reverse("sites:programme_setup", args=[cast.programme.pk]))

    made = {s.step.key: s.made for s in response.context["checklist"].steps}
    # The cast's programme has no dates and no organisation; four people beside the manager.
    assert made == {
        "programme": 0,
        "sites": 2,
        "themes": 1,
        "organisations": 0,
        "proposed_projects": 1,
        "people": 4,
    }


def test_the_people_step_leads_to_the_users_page_and_an_app_adds_its_own(client, cast, monkeypatch):
    sign_in(client, cast.manager)
    monkeypatch.setattr("sites.setup.STEPS", list(STEPS))
    add_step(
        SetupStep(
            key="search",
            title="Try the search",
            missing="Search once.",
            made=lambda user: STEPS[0].made(user),
            url_name="search",
            action="Search",
            url_arg=False,
        )
    )

    response = client.get(reverse("sites:programme_setup", args=[cast.programme.pk]))

    steps = {s.step.key: s for s in response.context["checklist"].steps}
    assert steps["people"].url == reverse("accounts:user_list", args=[cast.programme.pk])
    assert steps["search"].url == f"{reverse('search')}?programme={cast.programme.pk}"
    assert f'href="{steps["people"].url}"' in response.content.decode()


def test_my_work_and_the_programme_page_point_a_manager_to_the_setup(client, cast):
    sign_in(client, cast.manager)
    setup_url = reverse("sites:programme_setup", args=[cast.programme.pk])

    home = client.get(reverse("home")).content.decode()
    programme_page = client.get(cast.programme.get_absolute_url()).content.decode()

    assert setup_url in home
    assert "Setting up: 4 steps still to do" in programme_page


def test_a_researcher_is_not_pointed_to_the_setup(client, cast):
    sign_in(client, cast.fife_researcher)

    home = client.get(reverse("home"))

    assert home.context["work"].setup == []
    assert reverse("sites:programme_setup", args=[cast.programme.pk]) not in home.content.decode()


@pytest.mark.parametrize(("role", "expected"), SETUP_PAGE)
def test_setup_page_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.get(reverse("sites:programme_setup", args=[cast.programme.pk]))

    assert outcome(response) == expected


@pytest.mark.parametrize("size", [2, 20])
def test_setup_page_query_count_does_not_grow(client, cast, django_assert_num_queries, size):
    for _ in range(size):
        site = factories.CaseSiteFactory(programme=cast.programme)
        factories.ProposedProjectFactory(site=site)
        factories.OrganisationFactory(programme=cast.programme)
        factories.ThemeFactory(programme=cast.programme)
    sign_in(client, cast.manager)

    with django_assert_num_queries(9):
        response = client.get(reverse("sites:programme_setup", args=[cast.programme.pk]))

    assert response.context["checklist"].steps[1].made == size + 2


def test_setup_changes_are_in_the_history_pages(client, cast):
    theme = factories.ThemeFactory(programme=cast.programme, name="People")
    sign_in(client, cast.manager)
    client.post(
        reverse("sites:programme_update", args=[cast.programme.pk]),
        {"name": "Renamed programme", "start_date": "2027-01-01"},
    )
    client.post(reverse("sites:site_update", args=[cast.fife.pk]), {"name": "Fife and Kinross"})
    client.post(reverse("sites:theme_update", args=[theme.pk]), {"name": "Participation"})

    pages = [
        client.get(reverse(name, args=[pk])).content.decode()
        for name, pk in [
            ("sites:programme_history", cast.programme.pk),
            ("sites:site_history", cast.fife.pk),
            ("sites:theme_history", theme.pk),
        ]
    ]

    assert "Renamed programme" in pages[0] and "1 January 2027" in pages[0]
    assert "Fife and Kinross" in pages[1]
    assert "Participation" in pages[2]
    assert all(str(cast.manager) in page for page in pages)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", lambda cast: reverse("sites:site_create", args=[cast.programme.pk])),
        # A superuser may add sites to both programmes of the cast: they choose one first.
        ("superuser", lambda cast: reverse("sites:programme_list")),
        ("fife_researcher", lambda cast: None),
    ],
)
def test_the_site_list_offers_to_add_a_site_where_the_user_may(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.get(reverse("sites:site_list"))

    assert response.context["add_site_url"] == expected(cast)
