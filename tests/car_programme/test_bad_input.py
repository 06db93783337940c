"""Bad input answers a message, never a server error."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from events.models import FeedbackResponse
from inquiries.enums import ActivityKind, GroupStatus, Phase
from inquiries.imports import people_import_preview
from inquiries.models import Activity, Attachment, GroupStatusChange, Membership
from sites.models import CaseSite
from tests.factories.inquiries import ActivityFactory, MembershipFactory
from tests.inquiries.cast import make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return make_cast()


def errors_of(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


# --- NUL characters ----------------------------------------------------------------------------


def test_a_nul_in_the_feedback_token_is_a_bad_request(client):
    response = client.get("/feedback/%00/")

    assert response.status_code == 400
    assert not FeedbackResponse.objects.exists()


def test_a_nul_in_the_search_is_a_bad_request_and_search_still_works(client, cast):
    client.force_login(cast.manager)

    assert client.get("/search/", {"q": "Welfare\x00"}).status_code == 400
    assert "Welfare PIT" in client.get("/search/", {"q": "Welfare"}).content.decode()


def test_a_nul_in_a_sites_delivered_focus_is_said_next_to_the_field(client, cast):
    client.force_login(cast.manager)

    response = client.post(
        reverse("sites:site_update", args=[cast.fife.pk]),
        {"delivered_focus": "Poverty\nWelfare\x00 reform"},
    )

    assert response.status_code == 200
    assert errors_of(response, "delivered_focus") == ["Null characters are not allowed."]
    assert "Welfare" in response.content.decode()  # the input is kept
    assert CaseSite.objects.get(pk=cast.fife.pk).delivered_focus == []


# --- Ids and numbers -------------------------------------------------------------------------


def test_a_remove_attachment_that_is_no_id_is_ignored(client, cast):
    activity = ActivityFactory(programme=cast.fife.programme, group=cast.group, title="Old")
    attachment = Attachment.objects.create(
        activity=activity, file=ContentFile(b"notes", name="notes.txt"), original_name="notes.txt"
    )
    client.force_login(cast.researcher)

    response = client.post(
        reverse("inquiries:activity_update", args=[activity.pk]),
        {
            "date": "2016-03-01",
            "kind": ActivityKind.GROUP_MEETING,
            "title": "New",
            "phase": Phase.EXPLORE,
            "remove_attachment": ["abc", "²", "9" * 40],
        },
    )

    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).title == "New"
    assert list(activity.attachments.all()) == [attachment]


def test_ticked_attendees_that_are_no_ids_are_refused_by_the_field(client, cast):
    member = MembershipFactory(group=cast.group, person__site=cast.fife).person
    client.force_login(cast.researcher)

    response = client.post(
        reverse("inquiries:activity_create", args=[cast.group.pk]),
        {
            "date": "2016-03-01",
            "kind": ActivityKind.GROUP_MEETING,
            "title": "Planning",
            "phase": Phase.EXPLORE,
            "attendees": ["²", "9" * 40, "abc", str(member.pk)],
        },
    )

    assert response.status_code == 200
    assert errors_of(response, "attendees")
    assert not Activity.objects.filter(title="Planning").exists()


# --- Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("week_start", ["9999-12-31", "0001-01-01"])
def test_a_tally_week_outside_the_bounds_is_said_next_to_the_field(client, cast, week_start):
    client.force_login(cast.researcher)

    response = client.post(
        reverse("inquiries:tally_create"),
        {"site": cast.fife.pk, "kind": ActivityKind.EMAIL, "count": "3", "week_start": week_start},
    )

    [error] = errors_of(response, "week_start")
    assert error.startswith("Enter a date from 1 January 1990 to ")
    assert not Activity.objects.exists()


def test_a_status_change_outside_the_programmes_span_is_refused(client, cast):
    programme = cast.group.programme
    programme.start_date, programme.end_date = dt.date(2015, 1, 1), dt.date(2017, 12, 31)
    programme.save()
    client.force_login(cast.manager)

    response = client.post(
        reverse("inquiries:group_status", args=[cast.group.pk]),
        {"status": GroupStatus.DORMANT, "on": "9999-12-15"},
    )

    assert response.status_code == 400
    assert errors_of(response, "on") == [
        "Enter a date from 1 January 2010 to 31 December 2022: the programme's dates, "
        "with 5 years either side."
    ]
    assert not GroupStatusChange.objects.filter(group=cast.group).exists()


def test_the_same_status_and_date_posted_twice_is_said_next_to_the_date(client, cast):
    client.force_login(cast.manager)
    data = {"status": GroupStatus.DORMANT, "on": "2016-05-01"}
    url = reverse("inquiries:group_status", args=[cast.group.pk])

    first, second = client.post(url, data), client.post(url, data)

    assert first.status_code == 302
    assert second.status_code == 400
    assert errors_of(second, "on") == [
        "The history already records this group as dormant on that date."
    ]
    assert GroupStatusChange.objects.filter(group=cast.group).count() == 1


def test_an_import_row_dated_outside_the_bounds_is_an_error_of_the_preview(cast):
    content = (
        f"name,pseudonym,group,role,joined_on\nAnn Smith,P-1,{cast.group.name},core,0001-01-01\n"
    )

    preview = people_import_preview(site=cast.fife, content=content.encode())

    assert not preview.is_valid
    [error] = preview.errors
    assert error.startswith("Row 2: joined_on: Enter a date from 1 January 1990 to ")
    assert not Membership.objects.exists()


# --- Lengths ---------------------------------------------------------------------------------


def test_an_import_row_whose_email_the_model_cannot_hold_is_an_error_of_the_preview(cast):
    email = "a" * 250 + "@example.org"
    content = f"name,pseudonym,email\nAnn Smith,P-1,{email}\n"

    preview = people_import_preview(site=cast.fife, content=content.encode())

    assert preview.errors == [
        "Row 2: email: Ensure this value has at most 254 characters (it has 262)."
    ]


def test_a_person_whose_email_the_model_cannot_hold_is_said_next_to_the_field(client, cast):
    client.force_login(cast.researcher)

    response = client.post(
        reverse("inquiries:person_create"),
        {"site": cast.fife.pk, "name": "Ann Smith", "email": "a" * 250 + "@example.org"},
    )

    assert errors_of(response, "email") == [
        "Ensure this value has at most 254 characters (it has 262)."
    ]


# --- History ---------------------------------------------------------------------------------


def test_the_history_of_a_record_without_history_rows_says_so(client, cast):
    # As the synthetic data's bulk_create leaves every record.
    cast.group.history.all().delete()
    client.force_login(cast.manager)

    response = client.get(reverse("inquiries:group_history", args=[cast.group.pk]))

    assert response.status_code == 200
    assert response.context["entries"] == []
    assert "No change recorded." in response.content.decode()
