"""A week's tally of contacts, recorded as one activity with its count."""

import datetime as dt

import pytest
from django.urls import reverse

from inquiries.enums import ActivityKind
from inquiries.models import Activity
from tests import factories
from tests.cast import as_user, refused_as

pytestmark = pytest.mark.django_db


def tally_posts(client, cast, **fields):
    """The Fife researcher records a week's tally: Fife's emails unless ``fields`` say otherwise."""
    client.force_login(cast.fife_researcher)
    data = {"site": cast.fife.pk, "kind": ActivityKind.EMAIL, "week_start": "2016-02-01"}
    return client.post(reverse("inquiries:tally_create"), data | fields)


def test_tally_recorded_as_activity_with_count_and_week(client, cast):
    response = tally_posts(client, cast, direction="incoming", count="12")

    tally = Activity.objects.get()
    assert response.status_code == 302
    assert (tally.site, tally.kind, tally.direction, tally.count) == (
        cast.fife,
        ActivityKind.EMAIL,
        "incoming",
        12,
    )
    assert (tally.date, tally.end_date, tally.group) == (
        dt.date(2016, 2, 1),
        dt.date(2016, 2, 7),
        None,
    )


def test_tally_refuses_site_of_another_researcher(client, cast):
    response = tally_posts(client, cast, site=cast.glasgow.pk, count="3")

    assert "site" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_tally_refuses_meeting_kind_and_keeps_input(client, cast):
    response = tally_posts(client, cast, kind=ActivityKind.GROUP_MEETING, count="7")

    assert "kind" in response.context["form"].errors
    assert 'value="7"' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("fife_researcher", 200),
        ("glasgow_researcher", 200),
        ("fife_lead", 403),
        ("anonymous", "login"),
    ],
)
def test_tally_form_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.get(reverse("inquiries:tally_create"))

    assert refused_as(response, expected)
    if expected == 200:
        offered = set(response.context["form"].fields["site"].queryset)
        assert (
            offered
            == {
                "manager": {cast.fife, cast.glasgow},
                "fife_researcher": {cast.fife},
                "glasgow_researcher": {cast.glasgow},
            }[role]
        )


def test_tally_edit_uses_tally_form(client, cast):
    tally = factories.ActivityFactory(
        programme=cast.programme,
        group=None,
        site=cast.fife,
        kind=ActivityKind.PHONE_CALL,
        count=4,
        date=dt.date(2016, 2, 1),
        end_date=dt.date(2016, 2, 7),
    )
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:activity_update", args=[tally.pk]),
        {
            "site": cast.fife.pk,
            "kind": ActivityKind.PHONE_CALL,
            "count": "5",
            "week_start": "2016-02-08",
        },
    )

    tally.refresh_from_db()
    assert response.status_code == 302
    assert (tally.count, tally.date, tally.end_date) == (
        5,
        dt.date(2016, 2, 8),
        dt.date(2016, 2, 14),
    )
