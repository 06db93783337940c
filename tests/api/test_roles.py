"""The role matrix of the pages, run again through the API: for each resource, each role of the
cast (tests/cast.py) reads exactly the records that the rule set lets it (tests/rules_table.py),
by a personal token and by the browser's session alike; a record out of sight answers 404 as a
missing one, and a request without a valid token 401.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.conftest import expired_token_of, revoked_token_of, token_of, with_token
from tests.cast import ROLES
from tests.rules_table import RECORDS, TABLE

pytestmark = pytest.mark.django_db

# Each resource (its basename in api/urls.py) and the rule its records are read by.
RESOURCES = {
    "programme": "sites.view_programme",
    "site": "sites.view_casesite",
    "organisation": "sites.view_organisation",
    "theme": "sites.view_theme",
    "person": "inquiries.view_person",
}
READ_CASES = [
    pytest.param(resource, record, id=f"{resource}:{record}")
    for resource, perm in RESOURCES.items()
    for record in sorted(TABLE[perm])
]
# The manager's tokens that no longer work: every request showing one answers 401.
DEAD_TOKENS = {"revoked_token": revoked_token_of, "expired_token": expired_token_of}


def client_as(cast, role: str, via: str) -> APIClient:
    client = APIClient()
    if role in DEAD_TOKENS:
        return with_token(client, DEAD_TOKENS[role](cast.manager))
    user = cast.user(role)
    if user is None:
        return client
    if via == "session":
        client.force_login(user)
        return client
    return with_token(client, token_of(user))


def roles_for(via: str) -> tuple[str, ...]:
    return (*ROLES, *DEAD_TOKENS) if via == "token" else ROLES


def expected(role: str, allowed, *, shown, hidden) -> object:
    if role == "anonymous" or role in DEAD_TOKENS:
        return 401
    return shown if role in allowed else hidden


def listed_ids(response) -> set[int] | int:
    if response.status_code != 200:
        return response.status_code
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("via", ["token", "session"])
@pytest.mark.parametrize(("resource", "record_name"), READ_CASES)
def test_each_role_reads_what_the_rule_set_lets_it(cast, via, resource, record_name):
    record = RECORDS[record_name](cast)
    allowed = TABLE[RESOURCES[resource]][record_name]
    detail_url = reverse(f"api:{resource}-detail", args=[record.pk])
    list_url = reverse(f"api:{resource}-list")

    details, lists = {}, {}
    for role in roles_for(via):
        client = client_as(cast, role, via)
        details[role] = client.get(detail_url).status_code
        lists[role] = listed_ids(client.get(list_url, {"page_size": 200}))

    assert details == {
        role: expected(role, allowed, shown=200, hidden=404) for role in roles_for(via)
    }
    listed = {
        role: ids if isinstance(ids, int) else record.pk in ids for role, ids in lists.items()
    }
    assert listed == {
        role: expected(role, allowed, shown=True, hidden=False) for role in roles_for(via)
    }


@pytest.mark.parametrize("record_name", sorted(TABLE["inquiries.view_person_name"]))
def test_a_person_is_named_only_where_the_rule_set_shows_names(cast, record_name):
    person = RECORDS[record_name](cast)
    person.email = "person@example.org"
    person.save(update_fields=["email"])
    may_name = TABLE["inquiries.view_person_name"][record_name]
    readers = TABLE["inquiries.view_person"]["fife_person"]

    shown = {}
    for role in sorted(readers):
        client = client_as(cast, role, "token")
        detail = client.get(reverse("api:person-detail", args=[person.pk])).json()
        row = client.get(reverse("api:person-list"), {"page_size": 200}).json()["results"]
        listed = next(each for each in row if each["id"] == person.pk)
        assert listed == detail, role
        shown[role] = (detail["label"], detail["name"], detail["email"], detail["name_visible"])

    named = (person.name, person.name, "person@example.org", True)
    pseudonymous = (person.pseudonym, None, None, False)
    assert shown == {role: named if role in may_name else pseudonymous for role in readers}


def test_a_person_s_hidden_name_is_not_found_by_the_search(api, cast):
    person = RECORDS["fife_person"](cast)
    client = client_as(cast, "fife_lead", "token")

    by_name = client.get(reverse("api:person-list"), {"q": person.name}).json()
    by_pseudonym = client.get(reverse("api:person-list"), {"q": person.pseudonym}).json()

    assert (by_name["count"], [row["id"] for row in by_pseudonym["results"]]) == (0, [person.pk])


# --- Writes: a programme's themes, by its managers --------------------------------------------

THEME_EDITORS = TABLE["sites.change_theme"]["theme"]
THEME_READERS = TABLE["sites.view_theme"]["theme"]
PROGRAMME_READERS = TABLE["sites.view_programme"]["programme"]


def test_each_role_adds_a_theme_only_where_the_rule_set_lets_it(cast):
    answers = {}
    for role in roles_for("token"):
        response = client_as(cast, role, "token").post(
            reverse("api:theme-list"),
            {"programme": cast.programme.pk, "framework": "Key messages", "name": role},
        )
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        if role in TABLE["sites.add_theme"]["programme"]:
            return 201
        # Another programme's id is refused as the id of no programme.
        return 403 if role in PROGRAMME_READERS else 400

    assert answers == {role: allowed(role) for role in roles_for("token")}
    added = set(cast.programme.themes.values_list("name", flat=True))
    assert added == {role for role in roles_for("token") if allowed(role) == 201}


def test_each_role_deletes_a_theme_only_where_the_rule_set_lets_it(cast):
    themes = {role: RECORDS["theme"](cast) for role in roles_for("token")}

    answers = {}
    for role, theme in themes.items():
        response = client_as(cast, role, "token").delete(
            reverse("api:theme-detail", args=[theme.pk])
        )
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        deleters = TABLE["sites.delete_theme"]["theme"]
        return 204 if role in deleters else 403 if role in THEME_READERS else 404

    assert answers == {role: allowed(role) for role in roles_for("token")}
    left = set(cast.programme.themes.values_list("pk", flat=True))
    assert left == {theme.pk for role, theme in themes.items() if allowed(role) != 204}


def test_each_role_changes_a_theme_only_where_the_rule_set_lets_it(cast):
    theme = RECORDS["theme"](cast)
    url = reverse("api:theme-detail", args=[theme.pk])

    answers = {}
    for role in roles_for("token"):
        response = client_as(cast, role, "token").patch(url, {"description": f"By {role}"})
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        return 200 if role in THEME_EDITORS else 403 if role in THEME_READERS else 404

    assert answers == {role: allowed(role) for role in roles_for("token")}
    theme.refresh_from_db()
    # The last editor in the order of the roles wrote last.
    last_editor = [role for role in roles_for("token") if role in THEME_EDITORS][-1]
    assert theme.description == f"By {last_editor}"


def test_a_theme_s_change_is_answered_as_the_theme_now_reads(cast):
    theme = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    response = client.patch(
        reverse("api:theme-detail", args=[theme.pk]), {"name": "Prevention"}, format="json"
    )

    assert response.status_code == 200
    answer = response.json()
    assert (answer["name"], answer["framework"]) == ("Prevention", theme.framework)
    theme.refresh_from_db()
    assert theme.name == "Prevention"
    assert theme.history.latest().history_user == cast.manager


def test_a_name_taken_in_the_framework_is_refused_next_to_the_name(cast):
    theme = RECORDS["theme"](cast)
    other = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    response = client.patch(reverse("api:theme-detail", args=[theme.pk]), {"name": other.name})

    assert response.status_code == 400
    assert response.json() == {
        "name": [f"The framework “{theme.framework}” already has a theme named “{other.name}”."]
    }


def test_a_theme_that_tags_records_is_not_deleted_and_says_why(cast):
    theme = RECORDS["theme"](cast)
    cast.group.themes.set([theme])
    client = client_as(cast, "manager", "token")

    response = client.delete(reverse("api:theme-detail", args=[theme.pk]))

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            f"“{theme.name}” tags 1 record: it cannot be deleted. Rename it, or take it off "
            "those records first."
        ]
    }
    assert cast.programme.themes.filter(pk=theme.pk).exists()


def test_a_new_theme_is_answered_as_the_list_shows_it(cast):
    client = client_as(cast, "manager", "token")

    response = client.post(
        reverse("api:theme-list"),
        {"programme": cast.programme.pk, "framework": "Key messages", "name": "Trust"},
    )

    assert response.status_code == 201
    shown = client.get(reverse("api:theme-detail", args=[response.json()["id"]])).json()
    assert response.json() == shown
    assert (shown["framework"], shown["name"], shown["position"]) == ("Key messages", "Trust", 0)


def test_a_new_theme_with_a_taken_name_is_refused_next_to_the_name(cast):
    theme = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    response = client.post(
        reverse("api:theme-list"),
        {"programme": cast.programme.pk, "framework": theme.framework, "name": theme.name},
    )

    assert response.status_code == 400
    assert response.json() == {
        "name": [f"The framework “{theme.framework}” already has a theme named “{theme.name}”."]
    }


def test_an_empty_name_is_refused_by_the_serializer(cast):
    theme = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    response = client.patch(reverse("api:theme-detail", args=[theme.pk]), {"name": ""})

    assert response.status_code == 400
    assert list(response.json()) == ["name"]


def test_a_theme_s_framework_cannot_be_changed_through_the_api(cast):
    theme = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    client.patch(reverse("api:theme-detail", args=[theme.pk]), {"framework": "Elsewhere"})

    theme.refresh_from_db()
    assert theme.framework != "Elsewhere"


# --- Figures and exports (h4): a dashboard's figures and an export page's datasets ------------

FIGURES = {
    "programme": ("reports.view_programme_dashboard", "programme"),
    "site": ("reports.view_site_dashboard", "fife"),
    "group": ("reports.view_group_dashboard", "fife_group"),
}
EXPORTS = {
    "programme": ("reports.export_programme", "programme"),
    "site": ("reports.export_site", "fife"),
}


@pytest.mark.parametrize("level", list(FIGURES))
def test_each_role_reads_the_figures_of_the_dashboards_it_may(cast, level):
    perm, record_name = FIGURES[level]
    record = RECORDS[record_name](cast)
    urls = (
        reverse(f"api:{level}-figures", args=[record.pk]),
        reverse(f"api:{level}-figures-csv", args=[record.pk]),
    )

    answers = {}
    for role in roles_for("token"):
        client = client_as(cast, role, "token")
        answers[role] = {client.get(url, {"section": "overview"}).status_code for url in urls}

    allowed = TABLE[perm][record_name]
    assert answers == {
        role: {expected(role, allowed, shown=200, hidden=404)} for role in roles_for("token")
    }


@pytest.mark.parametrize("level", list(EXPORTS))
def test_each_role_exports_what_the_export_pages_let_it(cast, level):
    perm, record_name = EXPORTS[level]
    record = RECORDS[record_name](cast)
    urls = [
        reverse(f"api:{level}-export-{extension}", args=[record.pk, "activities"])
        for extension in ("csv", "json")
    ]

    answers = {}
    for role in roles_for("token"):
        client = client_as(cast, role, "token")
        answers[role] = {client.get(url).status_code for url in urls}

    allowed = TABLE[perm][record_name]
    assert answers == {
        role: {expected(role, allowed, shown=200, hidden=404)} for role in roles_for("token")
    }


# --- end of figures and exports (h4)
