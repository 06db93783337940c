"""The programme page per role: its learning community and the figures published of it."""

import datetime as dt

import pytest
from django.urls import reverse

from car_programme.dates import DatePrecision
from sites.enums import Qualifier
from tests import factories
from tests.cast import as_user, outcomes, sign_in

pytestmark = pytest.mark.django_db

# Whoever holds a role in a programme reads its page, and nobody else finds it: the outsider
# (Elsewhere's researcher) reads only Elsewhere's programme; a visitor is sent to sign in.
PROGRAMME_OUTCOMES = [
    ("manager", "shown", "not found"),
    ("fife_researcher", "shown", "not found"),
    ("glasgow_researcher", "shown", "not found"),
    ("fife_lead", "shown", "not found"),
    ("glasgow_lead", "shown", "not found"),
    ("outsider", "not found", "shown"),
    ("nobody", "not found", "not found"),
    ("anonymous", "sign in", "sign in"),
]


@pytest.fixture
def community(cast):
    """The cast's programme with a learning community known to the month and two figures."""
    programme = cast.programme
    programme.learning_community_name = "Professional learning community of the researchers"
    programme.learning_community_description = "Peer support for the researchers."
    programme.learning_community_start = dt.date(2015, 6, 1)
    programme.learning_community_start_precision = DatePrecision.MONTH
    programme.save()
    factories.ProgrammeFigureFactory(
        programme=programme,
        position=0,
        label="PLC sessions",
        value=60,
        qualifier=Qualifier.MORE_THAN,
        source="Working paper, p. 12",
    )
    factories.ProgrammeFigureFactory(programme=programme, position=1, label="retreats", value=4)
    factories.ProgrammeFigureFactory(
        programme=cast.elsewhere.programme, label="Elsewhere's own sessions", value=7
    )
    return programme


@pytest.mark.parametrize(("role", "own_page", "elsewhere_page"), PROGRAMME_OUTCOMES)
def test_programme_detail_per_role(client, cast, role, own_page, elsewhere_page):
    as_user(client, cast, role)

    got = outcomes(client, "sites:programme_detail", cast.programme, cast.elsewhere.programme)

    assert got == (own_page, elsewhere_page)


@pytest.mark.parametrize("role", ["manager", "fife_researcher", "glasgow_lead"])
def test_programme_detail_shows_the_community_and_the_published_figures(
    client, cast, community, role
):
    as_user(client, cast, role)

    response = client.get(reverse("sites:programme_detail", args=[community.pk]))

    text = response.content.decode()
    assert "Professional learning community of the researchers" in text
    assert "Peer support for the researchers." in text
    # Known to the month, so printed to the month and no further.
    assert "June 2015" in text and "1 June 2015" not in text
    assert [(f.shown, f.label, f.source) for f in response.context["page"].figures] == [
        ("more than 60", "PLC sessions", "Working paper, p. 12"),
        ("4", "retreats", ""),
    ]
    assert "more than 60" in text and "Working paper, p. 12" in text
    assert "Elsewhere&#x27;s own sessions" not in text


def test_programme_detail_says_an_unknown_start_is_unknown(client, cast):
    cast.programme.learning_community_name = "PLC"
    cast.programme.save()
    sign_in(client, cast.fife_lead)

    text = client.get(reverse("sites:programme_detail", args=[cast.programme.pk])).content

    assert b"date unknown" in text


def test_programme_detail_lists_only_the_sites_the_reader_may_see(client, cast):
    sign_in(client, cast.fife_lead)

    response = client.get(reverse("sites:programme_detail", args=[cast.programme.pk]))

    assert [site.name for site in response.context["page"].sites] == ["Fife"]


def test_site_pages_and_home_link_to_the_programme_page(client, cast):
    sign_in(client, cast.fife_researcher)
    link = f'href="{reverse("sites:programme_detail", args=[cast.programme.pk])}"'

    pages = [
        client.get(reverse("home")),
        client.get(reverse("sites:site_list")),
        client.get(reverse("sites:site_detail", args=[cast.fife.pk])),
    ]

    assert all(link in page.content.decode() for page in pages)


@pytest.mark.parametrize("size", [2, 40])
def test_programme_detail_query_count_does_not_grow(
    client, cast, django_assert_max_num_queries, size
):
    for number in range(size):
        factories.ProgrammeFigureFactory(programme=cast.programme, value=number)
        factories.CaseSiteFactory(programme=cast.programme)
    sign_in(client, cast.fife_researcher)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("sites:programme_detail", args=[cast.programme.pk]))

    assert len(response.context["page"].figures) == size
