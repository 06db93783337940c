"""The API's lists: pages of a size the client may choose within a cap, the pages' own filters
(their choices cut down by the rules), an order over a few safe fields, and related records as
ids and links."""

import pytest
from django.urls import reverse

from sites.enums import Sector
from tests import factories
from tests.api.conftest import token_of, with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(api, cast):
    return with_token(api, token_of(cast.manager))


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_a_list_is_paged_at_the_size_asked(manager, cast):
    for number in range(5):
        factories.ThemeFactory(programme=cast.programme, name=f"Theme {number}", position=number)

    first = manager.get(reverse("api:theme-list"), {"page_size": 2}).json()
    third = manager.get(reverse("api:theme-list"), {"page_size": 2, "page": 3}).json()

    assert (first["count"], len(first["results"]), len(third["results"])) == (5, 2, 1)
    assert first["next"].endswith("page=2&page_size=2")


def test_a_page_is_200_records_at_most(manager, cast):
    for number in range(201):
        factories.ThemeFactory(programme=cast.programme, name=f"Theme {number}")

    page = manager.get(reverse("api:theme-list"), {"page_size": 1000}).json()

    assert (page["count"], len(page["results"])) == (201, 200)


def test_a_page_past_the_end_answers_404(manager):
    assert manager.get(reverse("api:theme-list"), {"page": 9}).status_code == 404


def test_a_list_orders_by_the_names_asked_ids_breaking_ties(manager, cast):
    factories.OrganisationFactory(programme=cast.programme, name="B", sector=Sector.NHS)
    factories.OrganisationFactory(programme=cast.programme, name="A", sector=Sector.POLICE)
    factories.OrganisationFactory(programme=cast.programme, name="C", sector=Sector.NHS)
    url = reverse("api:organisation-list")

    assert names(manager.get(url, {"ordering": "-name"})) == ["C", "B", "A"]
    assert names(manager.get(url, {"ordering": "sector,-name"})) == ["C", "B", "A"]
    assert names(manager.get(url, {"ordering": "-sector,name"})) == ["A", "B", "C"]


def test_an_unknown_order_is_refused_in_plain_words(manager):
    response = manager.get(reverse("api:organisation-list"), {"ordering": "person_count"})

    assert response.status_code == 400
    assert response.json() == {
        "ordering": ["“person_count” is not an order of this list: choose from id, name, sector."]
    }


def test_people_are_ordered_by_what_the_reader_sees_never_a_hidden_name(api, cast):
    hidden = factories.PersonFactory(
        programme=cast.programme, site=cast.fife, name="Aaron Hidden", pseudonym="Zed"
    )
    named = factories.PersonFactory(
        programme=cast.programme, site=cast.fife, name="Morag Named", pseudonym="Alpha"
    )
    factories.consented_to_be_named(named)
    lead = with_token(api, token_of(cast.fife_lead))

    rows = lead.get(reverse("api:person-list"), {"ordering": "label"}).json()["results"]

    assert [row["label"] for row in rows] == ["Morag Named", "Zed"]
    assert hidden.name not in str(rows)


def test_a_list_filters_with_its_page_s_filter_set(manager, cast):
    factories.OrganisationFactory(programme=cast.programme, name="NHS Fife", sector=Sector.NHS)
    factories.OrganisationFactory(programme=cast.programme, name="Police", sector=Sector.POLICE)
    fife_council = factories.OrganisationFactory(programme=cast.programme, name="Fife Council")
    fife_council.sites.set([cast.fife])
    url = reverse("api:organisation-list")

    assert names(manager.get(url, {"sector": Sector.NHS})) == ["NHS Fife"]
    assert names(manager.get(url, {"q": "fife"})) == ["Fife Council", "NHS Fife"]
    assert names(manager.get(url, {"site": cast.fife.pk})) == ["Fife Council"]


def test_a_filter_by_a_record_out_of_sight_is_refused_as_a_missing_one(api, cast):
    lead = with_token(api, token_of(cast.fife_lead))
    url = reverse("api:site-list")

    other = lead.get(url, {"programme": cast.elsewhere.programme.pk})
    missing = lead.get(url, {"programme": 999_999})

    assert other.status_code == missing.status_code == 400
    assert other.json().keys() == missing.json().keys() == {"programme"}


def test_a_filter_value_of_the_wrong_kind_answers_400(manager):
    response = manager.get(reverse("api:person-list"), {"start": "last tuesday"})

    assert response.status_code == 400
    assert list(response.json()) == ["start"]


def test_people_taking_part_in_a_site_s_groups_are_filtered_by_the_scope(manager, cast):
    member = factories.PersonFactory(programme=cast.programme, site=cast.glasgow)
    factories.MembershipFactory(group=cast.group, person=member)
    factories.PersonFactory(programme=cast.programme, site=cast.fife)

    rows = manager.get(reverse("api:person-list"), {"in_site": cast.fife.pk}).json()["results"]

    assert [row["id"] for row in rows] == [member.pk]


def test_related_records_are_ids_and_links(manager, cast):
    organisation = factories.OrganisationFactory(programme=cast.programme)
    organisation.sites.set([cast.fife, cast.glasgow])

    row = manager.get(reverse("api:organisation-detail", args=[organisation.pk])).json()

    assert row["programme"] == cast.programme.pk
    assert row["programme_url"] == f"http://testserver/api/v1/programmes/{cast.programme.pk}/"
    assert sorted(row["sites"]) == sorted([cast.fife.pk, cast.glasgow.pk])
    assert sorted(row["site_urls"]) == sorted(
        f"http://testserver/api/v1/sites/{site.pk}/" for site in (cast.fife, cast.glasgow)
    )
    assert row["html_url"] == f"http://testserver{organisation.get_absolute_url()}"


def test_a_theme_list_filters_by_programme_and_framework(manager, cast):
    factories.ThemeFactory(programme=cast.programme, framework="Christie pillars", name="People")
    factories.ThemeFactory(programme=cast.programme, framework="Key messages", name="Trust")
    url = reverse("api:theme-list")

    assert names(manager.get(url, {"framework": "Key messages"})) == ["Trust"]
    assert len(names(manager.get(url, {"programme": cast.programme.pk}))) == 2
