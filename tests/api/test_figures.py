"""The figures of a dashboard through the API: the page's numbers, laid out flat, as JSON and
as CSV, kept to the same dates and the same site as the page's filters."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from api.serializers.figures import COLUMNS
from reports.dashboards import SECTION_SLUGS
from tests import factories
from tests.api.conftest import token_of, with_token
from tests.reports.test_exports import populate

pytestmark = pytest.mark.django_db


def figures(client, level, pk, **params):
    response = client.get(reverse(f"api:{level}-figures", args=[pk]), params)
    assert response.status_code == 200, response.content
    return response.json()


def cell(rows, table, category, series="Value"):
    (row,) = [
        row
        for row in rows
        if (row["table"], row["category"], row["series"]) == (table, category, series)
    ]
    return row


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_a_figure_agrees_with_the_dashboard_s_csv_and_the_records_list(api, client, cast):
    populate(cast, n=3)
    api = with_token(api, token_of(cast.manager))
    client.force_login(cast.manager)

    figure = cell(figures(api, "site", cast.fife.pk), "headline", "Activities")
    dashboard = reverse("reports:site_dashboard", args=[cast.programme.slug, cast.fife.slug])
    page_csv = read_csv(client.get(dashboard, {"chart": "headline", "format": "csv"}).content)
    records = client.get(figure["records_url"])

    assert figure["value"] == 3
    assert {"Figure": "Activities", "Value": "3"} in page_csv
    assert records.status_code == 200
    assert records.context["paginator"].count == 3
    assert figure["records_url"].startswith("http://testserver/")


def test_every_table_of_every_section_is_a_row_per_cell(api, client, cast):
    populate(cast, n=2)
    api = with_token(api, token_of(cast.manager))
    client.force_login(cast.manager)
    rows = figures(api, "site", cast.fife.pk)
    dashboard = reverse("reports:site_dashboard", args=[cast.programme.slug, cast.fife.slug])

    assert {row["section"] for row in rows} == set(SECTION_SLUGS)
    # Each table's cells are its CSV download's, row by row and column by column.
    by_table = {}
    for row in rows:
        by_table.setdefault((row["section"], row["table"]), []).append(row)
    for (section, table), cells in by_table.items():
        download = client.get(dashboard, {"section": section, "chart": table, "format": "csv"})
        lines = list(csv.reader(io.StringIO(download.content.decode())))
        headers, body = lines[0], lines[1:]
        flat = [
            (line[0], header, value)
            for line in body
            for header, value in zip(headers[1:], line[1:], strict=True)
        ]
        shown = [
            (c["category"], c["series"], "" if c["value"] is None else str(c["value"]))
            for c in cells
        ]
        assert shown == flat, table


def test_the_csv_holds_the_json_s_rows(api, cast):
    populate(cast)
    api = with_token(api, token_of(cast.manager))
    rows = figures(api, "programme", cast.programme.pk, section="overview")

    by_query = api.get(
        reverse("api:programme-figures", args=[cast.programme.pk]),
        {"section": "overview", "format": "csv"},
    )
    by_path = api.get(
        reverse("api:programme-figures-csv", args=[cast.programme.pk]), {"section": "overview"}
    )

    assert by_query.status_code == by_path.status_code == 200
    assert by_query["Content-Type"] == "text/csv; charset=utf-8"
    assert by_query["Content-Disposition"].startswith("attachment;")
    assert by_query.content == by_path.content
    table = read_csv(by_path.content)
    assert list(table[0]) == list(COLUMNS)
    as_text = [
        {name: "" if row[name] is None else str(row[name]) for name in COLUMNS} for row in rows
    ]
    assert table == as_text


def test_the_date_range_keeps_the_figures_to_it(api, cast):
    populate(cast)
    factories.ActivityFactory(
        programme=cast.programme, group=cast.group, site=cast.fife, date=dt.date(2018, 5, 1)
    )
    api = with_token(api, token_of(cast.manager))

    def activities(**params):
        rows = figures(api, "site", cast.fife.pk, section="overview", table="headline", **params)
        return cell(rows, "headline", "Activities")["value"]

    assert (activities(), activities(start="2018-01-01"), activities(end="2017-12-31")) == (2, 1, 1)


def test_a_programme_s_figures_are_cut_to_a_site(api, cast):
    populate(cast)
    api = with_token(api, token_of(cast.manager))

    def activities(**params):
        rows = figures(api, "programme", cast.programme.pk, table="headline", **params)
        return cell(rows, "headline", "Activities")["value"]

    assert (activities(), activities(site=cast.fife.pk)) == (2, 1)


def test_a_group_s_figures_leave_out_those_comparing_groups(api, cast):
    populate(cast)
    api = with_token(api, token_of(cast.manager))

    rows = figures(api, "group", cast.group.pk, section="overview")

    panels = {row["panel"] for row in rows}
    assert "headline" in panels and "groups" not in panels
    assert cell(rows, "headline", "Activities")["value"] == 1


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"start": "2017-01-01", "end": "2016-01-01"}, "end"),
        ({"start": "someday"}, "start"),
        ({"section": "nope"}, "section"),
    ],
)
def test_a_bad_filter_is_refused_next_to_its_field(api, cast, params, errors):
    api = with_token(api, token_of(cast.manager))

    response = api.get(reverse("api:site-figures", args=[cast.fife.pk]), params)

    assert response.status_code == 400
    assert list(response.json()) == [errors]


def test_a_site_of_another_programme_is_refused_as_a_programme_s_filter(api, cast):
    api = with_token(api, token_of(cast.manager))

    response = api.get(
        reverse("api:programme-figures", args=[cast.programme.pk]), {"site": cast.elsewhere.pk}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["site"]
