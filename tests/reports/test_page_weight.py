"""Page weight: every section of every dashboard is at most 300 KB of HTML, on the demo with an
activity logged today (which stretches the month-by-month chart over twelve years) and on
synthetic programmes of 4 and 32 sites, with the figures the page shows kept whole."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from programme_data.synthetic import generate_programme
from reports.charts import Series, chart
from reports.dashboards import SECTION_SLUGS, Panel
from tests import factories

pytestmark = pytest.mark.django_db

LIMIT_BYTES = 300 * 1024


def dashboard_urls(programme):
    site = programme.sites.order_by("pk").first()
    group = programme.groups.order_by("pk").first()
    return [
        reverse("reports:programme_dashboard", args=[programme.slug]),
        reverse("reports:site_dashboard", args=[programme.slug, site.slug]),
        reverse("reports:group_dashboard", args=[programme.slug, group.pk]),
    ]


def weights(client, programme):
    manager = factories.UserFactory()
    factories.RoleFactory(
        user=manager, programme=programme, site=None, role=RoleKind.PROGRAMME_MANAGER
    )
    client.force_login(manager)
    sizes = {}
    for url in dashboard_urls(programme):
        for section in SECTION_SLUGS:
            response = client.get(url, {"section": section})
            assert response.status_code == 200, (url, section)
            sizes[f"{url}?section={section}"] = len(response.content)
    return sizes


def assert_light(sizes):
    heavy = {page: f"{size / 1024:.0f} KB" for page, size in sizes.items() if size > LIMIT_BYTES}
    assert heavy == {}, f"pages over {LIMIT_BYTES // 1024} KB: {heavy}"


@pytest.mark.slow
def test_demo_with_an_activity_logged_today_has_no_heavy_page(client, demo_programme):
    group = demo_programme.groups.order_by("pk").first()
    factories.ActivityFactory(programme=demo_programme, group=group, date=dt.date.today())

    sizes = weights(client, demo_programme)

    assert_light(sizes)
    # The programme's activity section, 594 KB before its empty bars were left out.
    activity = next(size for page, size in sizes.items() if page.endswith("section=activity"))
    assert activity < 100 * 1024


@pytest.mark.slow
@pytest.mark.parametrize("sites", [4, 32])
def test_synthetic_programme_has_no_heavy_page(client, sites):
    programme = generate_programme(sites=sites, seed=1)

    assert_light(weights(client, programme))


def test_a_month_by_month_chart_draws_no_empty_bar_and_keeps_every_figure():
    months = [f"2015-{month:02}" for month in range(1, 13)]
    values = (3, *(0,) * 10, 1)
    links = tuple(f"/activities/?month={month}" for month in months)
    drawn = chart(
        slug="months",
        title="Activities",
        description="Activities per month.",
        kind="stacked_bar",
        category_header="Month",
        categories=months,
        series=[Series("Meetings", values, links), Series("Visits", (0,) * 12, links)],
    )

    assert drawn.svg.count('class="rect reactive"') == 2
    assert drawn.svg.count("<a ") == 2
    assert [row[1] for row in drawn.rows] == list(values)
    # A zero's list would be empty: it is printed, not linked.
    assert drawn.cells[1][1] == (0, None)
    assert drawn.cells[0][1] == (3, "/activities/?month=2015-01")


def test_a_chart_of_many_horizontal_bars_is_offered_as_csv_but_one_over_months_is_drawn():
    many = [f"Statement {n}" for n in range(41)]
    tall = chart(
        slug="tall",
        title="Tall",
        description="",
        kind="hbar",
        category_header="Statement",
        categories=many,
        series=[Series("Share", (50,) * 41)],
    )
    wide = chart(
        slug="wide",
        title="Wide",
        description="",
        kind="stacked_bar",
        category_header="Month",
        categories=many,
        series=[Series("Count", (1,) * 41)],
    )

    panel = Panel(slug="p", title="P", tables=[tall, wide])

    assert panel.tables == [wide]
    assert panel.downloads == [tall]
