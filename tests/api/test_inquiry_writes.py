"""Writes on the inquiries app through the API: each goes through its service, is found
afterwards where the pages show it, and refuses bad input with the words of the pages' forms."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from inquiries.enums import GroupKind, LeaveReason, MembershipRole
from inquiries.models import Activity, InquiryGroup, Membership
from tests import factories
from tests.api.conftest import token_of, with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api, cast):
    """The Fife researcher's token: they may change the Fife group's records."""
    return with_token(api, token_of(cast.fife_researcher))


def page_client(cast) -> Client:
    """The Fife researcher in the browser, on the pages."""
    browser = Client()
    browser.force_login(cast.fife_researcher)
    return browser


def fife_person(cast, **fields):
    return factories.PersonFactory(programme=cast.programme, site=cast.fife, **fields)


def test_a_group_created_is_found_afterwards_in_its_site(client, cast):
    response = client.post(
        reverse("api:group-list"),
        {
            "sites": [cast.fife.pk],
            "name": "Housing PIT",
            "kind": GroupKind.CAR_INQUIRY,
            "start_date": "2016-01-04",
            "status": "active",
        },
        format="json",
    )

    assert response.status_code == 201
    group = InquiryGroup.objects.get(pk=response.json()["id"])
    assert (group.name, list(group.sites.all()), group.status) == (
        "Housing PIT",
        [cast.fife],
        "active",
    )
    assert group.status_changes.get().changed_on == dt.date(2016, 1, 4)
    listed = client.get(reverse("api:group-list"), {"site": cast.fife.pk}).json()["results"]
    assert response.json() in listed


def test_a_group_name_taken_is_refused_next_to_the_name(client, cast):
    response = client.post(
        reverse("api:group-list"),
        {"sites": [cast.fife.pk], "name": cast.group.name, "kind": GroupKind.CAR_INQUIRY},
    )

    assert response.status_code == 400
    assert response.json() == {
        "name": [f'The programme already has a group called "{cast.group.name}".']
    }


def test_a_group_s_dates_and_sites_are_refused_in_the_words_of_its_form(client, cast):
    response = client.post(
        reverse("api:group-list"),
        {
            "sites": [],
            "name": "Backwards",
            "kind": GroupKind.CAR_INQUIRY,
            "start_date": "2016-05-01",
            "end_date": "2016-04-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"sites": ["Choose at least one site."]}

    response = client.patch(
        reverse("api:group-detail", args=[cast.group.pk]),
        {"start_date": "2016-05-01", "end_date": "2016-04-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"end_date": ["The group cannot end before it starts."]}


def test_a_shared_group_keeps_the_sites_its_editor_may_not_change(client, cast):
    cast.group.sites.add(cast.glasgow)

    response = client.patch(
        reverse("api:group-detail", args=[cast.group.pk]), {"sites": [cast.fife.pk]}, format="json"
    )

    assert response.status_code == 200
    assert set(response.json()["sites"]) == {cast.fife.pk, cast.glasgow.pk}


def test_a_member_added_then_moved_to_another_role_as_of_a_date(client, cast):
    person = fife_person(cast)
    added = client.post(
        reverse("api:membership-list"),
        {"group": cast.group.pk, "person": person.pk, "role": "core", "joined_on": "2016-01-04"},
    )
    assert added.status_code == 201

    moved = client.post(
        reverse("api:membership-change-role", args=[added.json()["id"]]),
        {"role": MembershipRole.PERIPHERY, "as_of": "2016-06-01"},
    )

    assert moved.status_code == 201
    rows = Membership.objects.filter(group=cast.group, person=person).order_by("joined_on")
    assert [(m.role, m.joined_on, m.left_on, m.leave_reason) for m in rows] == [
        ("core", dt.date(2016, 1, 4), dt.date(2016, 6, 1), LeaveReason.ROLE_CHANGE),
        ("periphery", dt.date(2016, 6, 1), None, ""),
    ]
    assert moved.json()["id"] == rows[1].pk
    current = client.get(reverse("api:membership-list"), {"person": person.pk, "current": True})
    assert [row["id"] for row in current.json()["results"]] == [rows[1].pk]


def test_a_member_s_refused_writes_say_what_the_group_page_says(client, cast):
    person = fife_person(cast, name="Ann Example")
    membership = factories.MembershipFactory(group=cast.group, person=person, role="core")

    again = client.post(
        reverse("api:membership-list"),
        {"group": cast.group.pk, "person": person.pk, "role": "periphery"},
    )
    same_role = client.post(
        reverse("api:membership-change-role", args=[membership.pk]),
        {"role": "core", "as_of": "2016-06-01"},
    )
    no_date = client.post(reverse("api:membership-end", args=[membership.pk]), {"reason": "other"})

    assert (again.status_code, same_role.status_code, no_date.status_code) == (400, 400, 400)
    assert again.json() == {"non_field_errors": [f"{person} is already a member of {cast.group}."]}
    assert same_role.json() == {"non_field_errors": [f"{person} is already Core."]}
    assert list(no_date.json()) == ["left_on"]


def test_an_activity_logged_with_attendance_shows_on_the_activity_list_with_its_count(client, cast):
    people = [fife_person(cast), fife_person(cast)]
    cycle = factories.CycleFactory(group=cast.group)

    response = client.post(
        reverse("api:activity-list"),
        {
            "group": cast.group.pk,
            "kind": "group_meeting",
            "date": "2016-02-01",
            "title": "Second meeting",
            "cycle": cycle.pk,
            "duration_minutes": 90,
            "attendees": [person.pk for person in people],
            "researcher_roles": ["research_training"],
            "notes": "Went well.",
        },
        format="json",
    )

    assert response.status_code == 201
    answer = response.json()
    assert (answer["attendee_count"], sorted(answer["attendees"])) == (
        2,
        sorted(person.pk for person in people),
    )
    assert (answer["site"], answer["researcher_roles"]) == (cast.fife.pk, ["research_training"])
    activity = Activity.objects.get(pk=answer["id"])
    assert activity.recorded_by == cast.fife_researcher
    page = page_client(cast).get(reverse("inquiries:activity_list"), {"q": "Second meeting"})
    shown = {row.pk: row.attendee_count for row in page.context["activities"]}
    assert shown == {activity.pk: answer["attendee_count"]}
    assert f'<td class="text-end">{answer["attendee_count"]}</td>' in page.content.decode()


def test_an_activity_s_bad_input_is_refused_next_to_its_fields_as_on_its_form(client, cast):
    data = {"kind": "group_meeting", "date": "1980-01-01", "duration_minutes": 0}
    page = page_client(cast).post(reverse("inquiries:activity_create", args=[cast.group.pk]), data)
    form_errors = page.context["form"].errors
    url = reverse("api:activity-list")

    # The fields' own checks come first, then the form's checks across them (DRF's order).
    too_short = client.post(url, {**data, "group": cast.group.pk}, format="json")
    too_early = client.post(url, {**data, "group": cast.group.pk, "duration_minutes": 60})

    assert (too_short.status_code, too_early.status_code) == (400, 400)
    assert too_short.json() == {"duration_minutes": form_errors["duration_minutes"]}
    assert too_early.json() == {"date": form_errors["date"]}
    assert not Activity.objects.filter(group=cast.group).exists()


def test_a_cycle_s_number_and_dates_are_refused_as_on_its_form(client, cast):
    factories.CycleFactory(group=cast.group, number=1)
    data = {"number": 1, "start_date": "2016-05-01", "end_date": "2016-04-01"}
    page = page_client(cast).post(reverse("inquiries:cycle_create", args=[cast.group.pk]), data)

    backwards = client.post(
        reverse("api:cycle-list"), {**data, "group": cast.group.pk, "number": 2}, format="json"
    )
    taken = client.post(
        reverse("api:cycle-list"), {"group": cast.group.pk, "number": 1}, format="json"
    )

    assert (backwards.status_code, taken.status_code) == (400, 400)
    assert backwards.json() == {"end_date": page.context["form"].errors["end_date"]}
    assert taken.json() == {"number": [f"{cast.group} already has a cycle 1."]}


def test_a_question_adopted_replaces_the_current_one_as_of_its_day(client, cast):
    first = client.post(
        reverse("api:research-question-list"),
        {"group": cast.group.pk, "text": "Why?", "adopted_on": "2016-01-04"},
    ).json()

    second = client.post(
        reverse("api:research-question-list"),
        {"group": cast.group.pk, "text": "How?", "adopted_on": "2016-03-01"},
    )
    earlier = client.post(
        reverse("api:research-question-list"),
        {"group": cast.group.pk, "text": "When?", "adopted_on": "2016-02-01"},
    )

    assert second.status_code == 201
    replaced = client.get(reverse("api:research-question-detail", args=[first["id"]])).json()
    assert replaced["replaced_on"] == "2016-03-01"
    assert earlier.json() == {"adopted_on": ["A question cannot replace one adopted later."]}


def test_a_write_on_a_record_out_of_sight_answers_404_and_changes_nothing(api, cast):
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group, title="Kept")
    client = with_token(api, token_of(cast.glasgow_lead))

    changed = client.patch(reverse("api:activity-detail", args=[activity.pk]), {"title": "Gone"})
    deleted = client.delete(reverse("api:group-detail", args=[cast.group.pk]))

    assert (changed.status_code, deleted.status_code) == (404, 404)
    activity.refresh_from_db()
    assert activity.title == "Kept"
    assert InquiryGroup.objects.filter(pk=cast.group.pk).exists()


def test_an_activity_s_notes_are_read_only_by_those_who_read_working_material(api, cast):
    activity = factories.ActivityFactory(
        programme=cast.programme, group=cast.group, notes="Reflections"
    )
    url = reverse("api:activity-detail", args=[activity.pk])

    notes = {
        role: with_token(api, token_of(cast.user(role))).get(url).json()["notes"]
        for role in ("fife_researcher", "fife_lead")
    }

    assert notes == {"fife_researcher": "Reflections", "fife_lead": None}
