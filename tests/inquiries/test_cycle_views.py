import datetime as dt

import pytest
from django.urls import reverse

from inquiries.models import Cycle
from tests.cast import FIFE_EDIT_POST, as_user, refused_as
from tests.factories.inquiries import CycleFactory

pytestmark = pytest.mark.django_db


def cycle_form(**overrides):
    data = {"number": "1", "title": "Understanding", "start_date": "2015-09-01", "end_date": ""}
    return data | overrides


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_POST)
def test_cycle_create_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.post(reverse("inquiries:cycle_create", args=[cast.group.pk]), cycle_form())

    assert refused_as(response, expected)
    assert cast.group.cycles.filter(title="Understanding").exists() == (expected == 302)


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_POST)
def test_cycle_update_per_role(client, cast, role, expected):
    cycle = CycleFactory(group=cast.group, number=1, title="Old title")
    as_user(client, cast, role)

    response = client.post(
        reverse("inquiries:cycle_update", args=[cycle.pk]), cycle_form(title="New title")
    )

    assert refused_as(response, expected)
    cycle.refresh_from_db()
    assert (cycle.title == "New title") == (expected == 302)


def test_cycle_create_suggests_the_next_number(client, cast):
    CycleFactory(group=cast.group, number=1)
    CycleFactory(group=cast.group, number=2)
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("inquiries:cycle_create", args=[cast.group.pk]))

    assert response.context["form"].initial["number"] == 3


def test_cycle_create_records_the_cycle_and_who_added_it(client, cast):
    client.force_login(cast.fife_researcher)

    client.post(
        reverse("inquiries:cycle_create", args=[cast.group.pk]),
        cycle_form(number="2", end_date="2016-03-31"),
    )

    cycle = cast.group.cycles.get()
    assert (cycle.number, cycle.start_date, cycle.end_date) == (
        2,
        dt.date(2015, 9, 1),
        dt.date(2016, 3, 31),
    )
    assert cycle.history.get().history_user == cast.fife_researcher


def test_cycle_ending_before_it_starts_is_refused_next_to_the_end_and_keeps_input(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:cycle_create", args=[cast.group.pk]),
        cycle_form(end_date="2015-01-01"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["end_date"] == ["The cycle cannot end before it starts."]
    assert 'value="Understanding"' in response.content.decode()
    assert not Cycle.objects.exists()


def test_duplicate_cycle_number_is_refused_next_to_the_number_and_keeps_input(client, cast):
    CycleFactory(group=cast.group, number=1)
    client.force_login(cast.fife_researcher)

    response = client.post(reverse("inquiries:cycle_create", args=[cast.group.pk]), cycle_form())

    assert response.status_code == 400
    assert response.context["form"].errors["number"] == [f"{cast.group} already has a cycle 1."]
    assert 'value="Understanding"' in response.content.decode()
    assert cast.group.cycles.count() == 1


def test_cycle_update_may_keep_its_own_number_but_not_take_another(client, cast):
    CycleFactory(group=cast.group, number=1)
    second = CycleFactory(group=cast.group, number=2)
    client.force_login(cast.fife_researcher)
    url = reverse("inquiries:cycle_update", args=[second.pk])

    taken = client.post(url, cycle_form(number="1", title="Taken"))
    kept = client.post(url, cycle_form(number="2", title="Acting"))

    assert taken.status_code == 400
    assert "number" in taken.context["form"].errors
    second.refresh_from_db()
    assert (kept.status_code, second.number, second.title) == (302, 2, "Acting")


@pytest.mark.parametrize(
    ("role", "sees_links"),
    [
        ("manager", True),
        ("fife_researcher", True),
        ("glasgow_researcher", False),
        ("fife_lead", False),
    ],
)
def test_group_page_links_to_cycle_forms_only_for_editors(client, cast, role, sees_links):
    cycle = CycleFactory(group=cast.group, number=1)
    as_user(client, cast, role)

    html = client.get(cast.group.get_absolute_url()).content.decode()

    assert (reverse("inquiries:cycle_create", args=[cast.group.pk]) in html) == sees_links
    assert (reverse("inquiries:cycle_update", args=[cycle.pk]) in html) == sees_links
