import datetime as dt

import pytest
from django.urls import reverse
from zeal import zeal_ignore

from inquiries.enums import LeaveReason, MembershipRole
from inquiries.models import InquiryGroup, Membership, Person
from inquiries.selectors import group_list_with_counts
from tests.cast import FIFE_EDIT_PAGE, as_user, refused_as
from tests.factories.inquiries import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def counts_on(group, on):
    # One read per date the test asks about, not one per row of a list.
    with zeal_ignore([{"model": "inquiries.InquiryGroup", "field": "get()"}]):
        shown = group_list_with_counts(
            queryset=InquiryGroup.objects.filter(pk=group.pk), on=on
        ).get()
    return shown.core_count, shown.periphery_count


def test_membership_actions_through_views_keep_counts_right_on_every_date(client, cast):
    alison = PersonFactory(programme=cast.programme, name="Alison", site=cast.fife)
    client.force_login(cast.fife_researcher)
    add = reverse("inquiries:membership_add", args=[cast.group.pk])

    client.post(add, {"person": alison.pk, "role": MembershipRole.CORE, "joined_on": "2015-06-01"})
    client.post(
        add, {"new_name": "Brian", "role": MembershipRole.PERIPHERY, "joined_on": "2015-07-01"}
    )
    alison_core = Membership.objects.get(person=alison)
    client.post(
        reverse("inquiries:membership_change_role", args=[alison_core.pk]),
        {"role": MembershipRole.PERIPHERY, "as_of": "2015-10-01"},
    )
    brian = Membership.objects.get(person__name="Brian")
    response = client.post(
        reverse("inquiries:membership_end", args=[brian.pk]),
        {"left_on": "2016-01-01", "reason": LeaveReason.CAPACITY},
    )

    assert response["Location"].startswith(cast.group.get_absolute_url())
    assert counts_on(cast.group, dt.date(2015, 5, 31)) == (0, 0)
    assert counts_on(cast.group, dt.date(2015, 6, 15)) == (1, 0)
    assert counts_on(cast.group, dt.date(2015, 7, 15)) == (1, 1)
    assert counts_on(cast.group, dt.date(2015, 10, 1)) == (0, 2)
    assert counts_on(cast.group, dt.date(2016, 1, 1)) == (0, 1)
    history = list(
        Membership.objects.filter(group=cast.group)
        .order_by("joined_on", "pk")
        .values_list("person__name", "role", "left_on", "leave_reason")
    )
    assert history == [
        ("Alison", MembershipRole.CORE, dt.date(2015, 10, 1), LeaveReason.ROLE_CHANGE),
        ("Brian", MembershipRole.PERIPHERY, dt.date(2016, 1, 1), LeaveReason.CAPACITY),
        ("Alison", MembershipRole.PERIPHERY, None, ""),
    ]
    assert Person.objects.get(name="Brian").site == cast.fife


def test_group_page_shows_left_members_greyed_and_member_actions(client, cast):
    left = MembershipFactory(
        group=cast.group,
        person__name="Gone Member",
        left_on=dt.date(2015, 9, 1),
        leave_reason=LeaveReason.CAPACITY,
    )
    current = MembershipFactory(group=cast.group, person__name="Current Member")
    client.force_login(cast.fife_researcher)

    page = client.get(cast.group.get_absolute_url()).content.decode()

    assert "Gone Member" in page
    assert "(capacity)" in page
    assert reverse("inquiries:membership_end", args=[current.pk]) in page
    assert reverse("inquiries:membership_end", args=[left.pk]) not in page
    assert reverse("inquiries:activity_create", args=[cast.group.pk]) in page


def test_group_page_offers_no_actions_to_readers(client, cast):
    MembershipFactory(group=cast.group)
    client.force_login(cast.glasgow_researcher)

    page = client.get(cast.group.get_absolute_url()).content.decode()

    assert reverse("inquiries:membership_add", args=[cast.group.pk]) not in page
    assert reverse("inquiries:activity_create", args=[cast.group.pk]) not in page


def test_membership_end_before_joining_is_a_form_error(client, cast):
    membership = MembershipFactory(group=cast.group, joined_on=dt.date(2016, 1, 1))
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:membership_end", args=[membership.pk]),
        {"left_on": "2015-01-01", "reason": LeaveReason.OTHER},
    )

    membership.refresh_from_db()
    assert "A member cannot leave before joining." in response.context["form"].non_field_errors()
    assert 'value="2015-01-01"' in response.content.decode()
    assert membership.left_on is None


def test_membership_add_of_current_member_is_refused(client, cast):
    membership = MembershipFactory(group=cast.group)
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:membership_add", args=[cast.group.pk]),
        {"person": membership.person.pk, "role": MembershipRole.CORE, "joined_on": "2016-01-01"},
    )

    assert "person" in response.context["form"].errors
    assert Membership.objects.count() == 1


def test_membership_add_needs_a_person(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:membership_add", args=[cast.group.pk]),
        {"role": MembershipRole.CORE, "joined_on": "2016-01-01"},
    )

    assert "person" in response.context["form"].errors


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_PAGE)
def test_membership_pages_per_role(client, cast, role, expected):
    membership = MembershipFactory(group=cast.group)
    as_user(client, cast, role)

    pages = [
        client.get(reverse("inquiries:membership_add", args=[cast.group.pk])),
        client.get(reverse("inquiries:membership_change_role", args=[membership.pk])),
        client.get(reverse("inquiries:membership_end", args=[membership.pk])),
    ]

    assert all(refused_as(page, expected) for page in pages)


def test_membership_change_refused_writes_nothing(client, cast):
    membership = MembershipFactory(group=cast.group)
    client.force_login(cast.glasgow_researcher)

    client.post(
        reverse("inquiries:membership_change_role", args=[membership.pk]),
        {"role": MembershipRole.PERIPHERY, "as_of": "2016-01-01"},
    )

    assert Membership.objects.get().role == MembershipRole.CORE
