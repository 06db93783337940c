import datetime as dt

import pytest
from django.urls import reverse

from inquiries.enums import GroupKind, GroupStatus
from inquiries.models import InquiryGroup
from tests.cast import FIFE_EDIT_POST, PAGE_ROLES

pytestmark = pytest.mark.django_db


def group_form(cast, **overrides):
    data = {
        "name": "Family Partnership Innovation Team",
        "short_name": "Family PIT",
        "kind": GroupKind.CAR_INQUIRY,
        "sites": [cast.fife.pk],
        "start_date": "2015-06-01",
    }
    return data | overrides


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 302),
        ("fife_researcher", 302),
        ("glasgow_researcher", 400),
        ("fife_lead", 403),
        ("glasgow_lead", 403),
        # Manages another programme: may create groups, but Fife is not among the choices.
        ("outsider", 400),
    ],
)
def test_who_may_create_a_group_in_fife(client, cast, role, expected):
    client.force_login(getattr(cast, role))

    response = client.post(reverse("inquiries:group_create"), group_form(cast))

    assert response.status_code == expected
    created = InquiryGroup.objects.filter(short_name="Family PIT").exists()
    assert created == (expected == 302)


def test_new_group_starts_forming_in_its_site(client, cast):
    client.force_login(cast.fife_researcher)

    client.post(reverse("inquiries:group_create"), group_form(cast))

    group = InquiryGroup.objects.get(short_name="Family PIT")
    assert (group.status, list(group.sites.all())) == (GroupStatus.FORMING, [cast.fife])
    assert group.status_changes.get().changed_on == dt.date(2015, 6, 1)


def test_the_new_group_form_offers_a_status_starting_at_forming(client, cast):
    client.force_login(cast.fife_researcher)

    form = client.get(reverse("inquiries:group_create")).context["form"]

    assert form.fields["status"].initial == GroupStatus.FORMING
    assert dict(form.fields["status"].choices)[GroupStatus.ACTIVE] == GroupStatus.ACTIVE.label


def test_a_group_created_active_counts_as_active(client, cast):
    client.force_login(cast.fife_researcher)

    client.post(reverse("inquiries:group_create"), group_form(cast, status=GroupStatus.ACTIVE))

    group = InquiryGroup.objects.get(short_name="Family PIT")
    change = group.status_changes.get()
    assert (group.status, change.status, change.changed_on) == (
        GroupStatus.ACTIVE,
        GroupStatus.ACTIVE,
        dt.date(2015, 6, 1),
    )
    assert (
        "status"
        not in client.get(reverse("inquiries:group_update", args=[group.pk])).context["form"].fields
    )  # later changes are recorded on the group's page


def test_group_form_keeps_input_and_says_what_is_wrong(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:group_create"),
        group_form(cast, end_date="2014-01-01", topic="Family hubs"),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["end_date"] == ["The group cannot end before it starts."]
    assert 'value="Family hubs"' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [(role, expected) for role, expected in FIFE_EDIT_POST if role != "anonymous"],
)
def test_who_may_edit_the_fife_group(client, cast, role, expected):
    client.force_login(getattr(cast, role))

    response = client.post(
        reverse("inquiries:group_update", args=[cast.group.pk]),
        group_form(cast, name="Renamed group"),
    )

    assert response.status_code == expected
    cast.group.refresh_from_db()
    assert (cast.group.name == "Renamed group") == (expected == 302)


@pytest.mark.parametrize("role", PAGE_ROLES)
def test_only_editors_may_delete_the_fife_group(client, cast, role):
    client.force_login(getattr(cast, role))

    response = client.post(reverse("inquiries:group_delete", args=[cast.group.pk]))

    deleted = not InquiryGroup.objects.filter(pk=cast.group.pk).exists()
    assert deleted == (role in {"manager", "fife_researcher"}), response.status_code


def test_status_change_is_added_to_the_timeline(client, cast):
    client.force_login(cast.fife_researcher)

    client.post(
        reverse("inquiries:group_status", args=[cast.group.pk]),
        {"status": GroupStatus.DORMANT, "on": "2016-09-01", "note": "Lead on leave"},
    )

    cast.group.refresh_from_db()
    assert cast.group.status == GroupStatus.DORMANT
    assert cast.group.status_changes.last().note == "Lead on leave"


def test_new_research_question_replaces_the_current_one(client, cast):
    old = cast.group.research_questions.create(text="Old?", adopted_on=dt.date(2015, 6, 1))
    client.force_login(cast.fife_researcher)

    client.post(
        reverse("inquiries:research_question_adopt", args=[cast.group.pk]),
        {"text": "Why do families participate?", "adopted_on": "2016-01-10"},
    )

    old.refresh_from_db()
    assert old.replaced_on == dt.date(2016, 1, 10)
    assert cast.group.research_questions.filter(replaced_on__isnull=True).get().text == (
        "Why do families participate?"
    )


def test_anonymous_is_sent_to_sign_in_from_the_group_form(client, cast):
    response = client.get(reverse("inquiries:group_create"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
