"""The export pages' datasets through the API: the page's CSV byte for byte, the same rows as
JSON, under the same rules and the same date range."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from reports.exports import DATASETS
from tests.api.conftest import token_of, with_token
from tests.reports.test_exports import populate

pytestmark = pytest.mark.django_db

MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:")
RANGES = [{}, {"start": "2016-01-01", "end": "2016-12-31"}, {"start": "2017-01-01"}]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def as_csv_cell(value) -> str:
    """A JSON value as the CSV writes it: a moment in ISO form there with a space, not a T."""
    if value is None:
        return ""
    if isinstance(value, str) and MOMENT.match(value):
        return value.replace("T", " ", 1)
    return str(value)


def page_url(cast, dataset, site):
    if site is None:
        return reverse("reports:programme_export", args=[cast.programme.slug, dataset, "csv"])
    return reverse("reports:site_export", args=[cast.programme.slug, site.slug, dataset, "csv"])


def api_url(cast, dataset, site, extension="csv"):
    if site is None:
        return reverse(f"api:programme-export-{extension}", args=[cast.programme.pk, dataset])
    return reverse(f"api:site-export-{extension}", args=[site.pk, dataset])


@pytest.mark.parametrize("params", RANGES, ids=["all", "2016", "from-2017"])
@pytest.mark.parametrize("level", ["programme", "site"])
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_the_api_s_csv_is_the_page_s_byte_for_byte(api, client, cast, dataset, level, params):
    populate(cast, n=2)
    site = cast.fife if level == "site" else None
    client.force_login(cast.manager)
    api = with_token(api, token_of(cast.manager))

    page = client.get(page_url(cast, dataset, site), params)
    answer = api.get(api_url(cast, dataset, site), params)

    assert (page.status_code, answer.status_code) == (200, 200)
    page_bytes = body(page)
    assert body(answer) == page_bytes
    assert answer["Content-Type"] == page["Content-Type"]
    assert answer["Content-Disposition"] == page["Content-Disposition"]
    # A header and rows, unless the range keeps every row out.
    assert len(page_bytes.splitlines()) > 1 or params


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_the_json_holds_the_csv_s_rows(api, cast, dataset):
    populate(cast, n=2)
    api = with_token(api, token_of(cast.manager))

    as_csv = body(api.get(api_url(cast, dataset, cast.fife)))
    answer = api.get(api_url(cast, dataset, cast.fife, "json"))

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    rows = json.loads(body(answer))
    lines = list(csv.reader(io.StringIO(as_csv.decode("utf-8-sig"))))
    headers = lines[0]
    assert len(set(headers)) == len(headers), "a JSON row needs its headers distinct"
    assert [[as_csv_cell(row[h]) for h in headers] for row in rows] == lines[1:]


def test_a_strategy_lead_loses_the_notes_as_on_the_page(api, client, cast):
    populate(cast)
    client.force_login(cast.fife_lead)
    api = with_token(api, token_of(cast.fife_lead))

    page = body(client.get(page_url(cast, "activities", cast.fife)))
    answer = body(api.get(api_url(cast, "activities", cast.fife)))

    assert answer == page
    assert b"Notes" not in page.split(b"\r\n", 1)[0]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"start": "2017-01-01", "end": "2016-01-01"}, "end"), ({"end": "x"}, "end")],
)
def test_a_bad_range_is_refused_next_to_its_field(api, cast, params, field):
    api = with_token(api, token_of(cast.manager))

    response = api.get(api_url(cast, "activities", cast.fife), params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_no_such_dataset_answers_404(api, cast):
    api = with_token(api, token_of(cast.manager))

    assert api.get(api_url(cast, "nothing", cast.fife)).status_code == 404
