"""The demo programme's pages show what the working paper publishes: the programme's and Fife's."""

import re

import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from sites.models import CaseSite
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def fife_page(client, demo_programme):
    fife = CaseSite.objects.get(programme=demo_programme, name="Fife")
    lead = user_with_role(RoleKind.STRATEGY_LEAD, programme=demo_programme, site=fife)
    client.force_login(lead)
    return client.get(reverse("sites:site_detail", args=[fife.pk]))


def test_demo_fife_page_shows_table_b(fife_page):
    projects = fife_page.context["page"].proposed_projects

    assert [
        (p.title, p.outcome, [g.short_name for g in p.delivered_by.all()]) for p in projects
    ] == [
        ("a welfare hub service", "taken_forward", ["Welfare PIT"]),
        ("a new family hub in a deprived locality", "taken_forward", ["Family PIT"]),
        ("a schools intervention programme", "taken_forward", ["Schools PIT"]),
    ]
    assert "Understanding welfare reforms and service needs" in fife_page.content.decode()
    # 000:370 "Fife Researcher: Dr Hayley Bennett Director: Chris Chapman"
    assert (
        "researcher and director linked to the site: researcher Hayley Bennett; director Chris"
        " Chapman" in fife_page.content.decode()
    )


def test_demo_fife_page_shows_the_engagement_figures(fife_page):
    page = fife_page.context["page"]
    figures = {figure.label: figure.value for figure in page.engagement_figures}
    tallies = {tally.kind: tally.count for tally in page.tallies}

    assert (tallies["email"], tallies["phone_call"]) == (703, 68)
    assert (figures["practitioners engaged with"], figures["weeks of engagement"]) == (87, 90)
    text = fife_page.content.decode()
    assert all(str(value) in text for value in (703, 68, 87, 90))


def test_demo_programme_page_shows_the_plc_and_more_than_60_sessions(client, demo_programme):
    lead = user_with_role(
        RoleKind.STRATEGY_LEAD,
        programme=demo_programme,
        site=CaseSite.objects.get(programme=demo_programme, name="Fife"),
    )
    client.force_login(lead)

    text = client.get(reverse("sites:programme_detail", args=[demo_programme.pk])).content.decode()

    assert "Professional learning community (PLC) of the CAR researchers" in text
    # 000:315 "from mid-2015": known to the year only.
    assert re.search(r"Since</dt>\s*<dd[^>]*>2015</dd>", text)
    # 000:317 "We held more than 60 PLC sessions - of various types - over three years"
    assert "more than 60" in text and "PLC sessions held over three years" in text
    assert "000:317" in text
