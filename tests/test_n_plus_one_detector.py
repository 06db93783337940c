"""The N+1 detector that tests/conftest.py switches on for every test."""

import pytest
from zeal import NPlusOneError

from inquiries.models import Membership
from tests.factories.inquiries import MembershipFactory

pytestmark = pytest.mark.django_db


def test_loading_a_relation_row_by_row_fails_the_test():
    MembershipFactory.create_batch(3)

    with pytest.raises(NPlusOneError, match=r"inquiries\.Membership\.person"):
        [membership.person for membership in Membership.objects.all()]


def test_loading_a_relation_with_select_related_passes():
    MembershipFactory.create_batch(3)

    names = [m.person.name for m in Membership.objects.select_related("person")]

    assert len(names) == 3
