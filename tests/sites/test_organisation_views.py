"""Organisation pages per role, through the one rule set."""

import pytest
from django.urls import reverse

from inquiries.enums import Level
from sites.enums import Sector
from sites.models import Organisation
from tests import factories
from tests.cast import as_user, outcome, sign_in
from tests.sites.pages import (
    CREATE_OUTCOMES,
    FIFE_EDIT_OUTCOMES,
    FIFE_READ_OUTCOMES,
    beside_elsewhere,
)

pytestmark = pytest.mark.django_db


# --- Organisations: reading -------------------------------------------------------------------


@pytest.fixture
def organisations(cast):
    council = factories.OrganisationFactory(programme=cast.programme, name="Fife Council")
    council.sites.set([cast.fife])
    nhs = factories.OrganisationFactory(
        programme=cast.programme, name="NHS Greater Glasgow", sector=Sector.NHS
    )
    nhs.sites.set([cast.glasgow])
    government = factories.OrganisationFactory(
        programme=cast.programme, name="Scottish Government", sector=Sector.NATIONAL_AGENCY
    )
    other = factories.OrganisationFactory(
        programme=cast.elsewhere.programme, name="Elsewhere Council"
    )
    other.sites.set([cast.elsewhere])
    return {"council": council, "nhs": nhs, "government": government, "other": other}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", ["Fife Council", "NHS Greater Glasgow", "Scottish Government"]),
        ("fife_researcher", ["Fife Council", "NHS Greater Glasgow", "Scottish Government"]),
        ("glasgow_researcher", ["Fife Council", "NHS Greater Glasgow", "Scottish Government"]),
        ("fife_lead", ["Fife Council"]),
        ("glasgow_lead", ["NHS Greater Glasgow"]),
    ],
)
def test_organisation_list_per_role(client, cast, organisations, role, expected):
    as_user(client, cast, role)

    response = client.get(reverse("sites:organisation_list"))

    assert [o.name for o in response.context["organisations"]] == expected


def test_organisation_list_sends_anonymous_to_sign_in(client, organisations):
    assert outcome(client.get(reverse("sites:organisation_list"))) == "sign in"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "nhs"}, ["NHS Greater Glasgow"]),
        ({"site": "fife"}, ["Fife Council"]),
        ({"q": "scottish"}, ["Scottish Government"]),
        ({"q": "council", "sector": "local_authority"}, ["Fife Council"]),
    ],
)
def test_organisation_list_filters(client, cast, organisations, params, expected):
    sign_in(client, cast.manager)
    if params.get("site") == "fife":
        params = {**params, "site": cast.fife.pk}

    response = client.get(reverse("sites:organisation_list"), params)

    assert [o.name for o in response.context["organisations"]] == expected


@pytest.mark.parametrize(
    ("role", "council_page", "other_page"),
    beside_elsewhere(FIFE_READ_OUTCOMES),
)
def test_organisation_detail_per_role(client, cast, organisations, role, council_page, other_page):
    as_user(client, cast, role)

    got_council = client.get(
        reverse("sites:organisation_detail", args=[organisations["council"].pk])
    )
    got_other = client.get(reverse("sites:organisation_detail", args=[organisations["other"].pk]))

    assert (outcome(got_council), outcome(got_other)) == (council_page, other_page)


def test_organisation_detail_counts_people_by_level_without_names(client, cast, organisations):
    council = organisations["council"]
    for level, count in [(Level.FRONTLINE, 3), (Level.STRATEGIC, 1), ("", 2)]:
        factories.PersonFactory.create_batch(
            count, programme=cast.programme, site=cast.fife, organisation=council, level=level
        )
    named = factories.PersonFactory(
        programme=cast.programme, site=cast.fife, organisation=council, name="Morag Findlay"
    )
    event = factories.EventFactory(programme=cast.programme, title="Fife learning day")
    event.sites.set([cast.fife])
    factories.AttendanceCountFactory(event=event, organisation=council, count=12)
    named_only = factories.EventFactory(programme=cast.programme, title="Programme retreat")
    named_only.organisations.set([council])
    sign_in(client, cast.fife_lead)

    response = client.get(reverse("sites:organisation_detail", args=[council.pk]))

    page = response.context["page"]
    assert page.people_by_level == [
        {"level": "Strategic", "count": 1},
        {"level": "Frontline", "count": 3},
        {"level": "Level not recorded", "count": 3},
    ]
    assert named.name not in response.content.decode()
    assert [(e.title, e.head_count) for e in page.events] == [
        ("Fife learning day", 12),
        ("Programme retreat", None),
    ]


# --- Organisations: writing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    CREATE_OUTCOMES,
)
def test_organisation_create_page_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    assert outcome(client.get(reverse("sites:organisation_create"))) == expected


def post_organisation(client, cast, name, sector, site):
    """Post the new organisation form for ``name`` of ``sector`` in ``site``."""
    data = {"programme": cast.programme.pk, "name": name, "sector": sector, "sites": [site.pk]}
    return client.post(reverse("sites:organisation_create"), data)


def test_researcher_records_an_organisation_in_their_site(client, cast):
    researcher = cast.fife_researcher
    sign_in(client, researcher)

    response = post_organisation(client, cast, "Fife Voluntary Action", "third_sector", cast.fife)

    organisation = Organisation.objects.get(name="Fife Voluntary Action")
    assert response["Location"] == reverse("sites:organisation_detail", args=[organisation.pk])
    assert list(organisation.sites.all()) == [cast.fife]
    assert organisation.history.first().history_user == researcher


def test_researcher_cannot_record_an_organisation_in_another_site(client, cast):
    sign_in(client, cast.fife_researcher)

    response = post_organisation(client, cast, "Glasgow Life", "other", cast.glasgow)

    assert "sites" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Glasgow Life").exists()


def test_organisation_without_site_needs_a_manager(client, cast):
    data = {"programme": cast.programme.pk, "name": "Scottish Government", "sector": "other"}
    sign_in(client, cast.fife_researcher)

    refused = client.post(reverse("sites:organisation_create"), data)
    sign_in(client, cast.manager)
    accepted = client.post(reverse("sites:organisation_create"), data)

    assert refused.context["form"].errors["sites"] == ["Choose at least one of your sites."]
    assert "Scottish Government" in refused.content.decode()
    assert outcome(accepted) == "done"


def test_organisation_name_taken_says_so_next_to_the_name(client, cast, organisations):
    sign_in(client, cast.fife_researcher)

    response = client.post(
        reverse("sites:organisation_update", args=[organisations["council"].pk]),
        {"name": "Scottish Government", "sector": "local_authority", "sites": [cast.fife.pk]},
    )

    assert response.context["form"].errors["name"] == [
        f"{cast.programme} already has an organisation so named."
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    FIFE_EDIT_OUTCOMES,
)
def test_organisation_edit_and_delete_pages_per_role(client, cast, organisations, role, expected):
    as_user(client, cast, role)

    for name in ("sites:organisation_update", "sites:organisation_delete"):
        council = client.get(reverse(name, args=[organisations["council"].pk]))
        other = client.get(reverse(name, args=[organisations["other"].pk]))
        assert (outcome(council), outcome(other)) == (
            expected,
            "not found" if cast.user(role) else "sign in",
        )


def test_researcher_edits_an_organisation(client, cast, organisations):
    council = organisations["council"]
    council.sites.add(cast.glasgow)
    sign_in(client, cast.fife_researcher)

    client.post(
        reverse("sites:organisation_update", args=[council.pk]),
        {
            "name": "Fife Council (Kirkcaldy)",
            "sector": "local_authority",
            "sites": [cast.fife.pk, cast.glasgow.pk],
        },
    )

    council.refresh_from_db()
    assert council.name == "Fife Council (Kirkcaldy)"
    assert set(council.sites.all()) == {cast.fife, cast.glasgow}


def test_organisation_with_people_cannot_be_deleted(client, cast, organisations):
    council = organisations["council"]
    factories.PersonFactory.create_batch(2, programme=cast.programme, organisation=council)
    sign_in(client, cast.fife_researcher)

    page = client.get(reverse("sites:organisation_delete", args=[council.pk]))
    attempt = client.post(reverse("sites:organisation_delete", args=[council.pk]))

    assert "cannot be deleted: it has 2 people and 0 event head counts" in page.content.decode()
    assert 'type="submit" class="btn btn-danger"' not in page.content.decode()
    assert outcome(attempt) == "done"
    assert Organisation.objects.filter(pk=council.pk).exists()


def test_organisation_with_head_counts_cannot_be_deleted(client, cast, organisations):
    council = organisations["council"]
    factories.AttendanceCountFactory(
        event=factories.EventFactory(programme=cast.programme), organisation=council
    )
    sign_in(client, cast.manager)

    client.post(reverse("sites:organisation_delete", args=[council.pk]))

    assert Organisation.objects.filter(pk=council.pk).exists()


def test_researcher_deletes_an_organisation_nothing_refers_to(client, cast, organisations):
    council = organisations["council"]
    sign_in(client, cast.fife_researcher)

    response = client.post(reverse("sites:organisation_delete", args=[council.pk]))

    assert response["Location"] == reverse("sites:organisation_list")
    assert not Organisation.objects.filter(pk=council.pk).exists()


@pytest.mark.parametrize("size", [10, 60])
def test_organisation_detail_query_count_does_not_grow(
    client, cast, organisations, django_assert_max_num_queries, size
):
    council = organisations["council"]
    for number in range(size):
        factories.PersonFactory(
            programme=cast.programme,
            site=cast.fife,
            organisation=council,
            level=Level.FRONTLINE,
        )
        event = factories.EventFactory(programme=cast.programme)
        event.sites.set([cast.fife])
        if number % 2:
            factories.AttendanceCountFactory(event=event, organisation=council, count=number)
        else:
            event.organisations.set([council])
    sign_in(client, cast.fife_researcher)

    # Session, user and roles; the organisation; the rule checks; its sites, people by level
    # and events; saving the session: 13 at either size.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("sites:organisation_detail", args=[council.pk]))

    page = response.context["page"]
    assert page.people_by_level == [{"level": "Frontline", "count": size}]
    assert len(page.events) == size
