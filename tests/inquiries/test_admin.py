import pytest
from django.urls import reverse

from tests.factories.inquiries import InquiryGroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def make_groups(count):
    for group in InquiryGroupFactory.create_batch(count):
        MembershipFactory.create_batch(3, group=group)


@pytest.mark.parametrize("size", [2, 20])
def test_group_changelist_query_count_does_not_grow(
    admin_client, django_assert_max_num_queries, size
):
    make_groups(size)

    # The first signed-in request writes the session (its sign-in time): one fixed query more;
    # the navigation asks the rule set once whether the superuser manages users (two more: the
    # roles and which programmes are archived).
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse("admin:inquiries_inquirygroup_changelist"))

    assert response.context["cl"].result_count == size
