import datetime as dt

import pytest
from django.db import connection

from inquiries.enums import ActivityKind
from inquiries.models import ActivityMonth
from inquiries.services import activity_log
from programme_data.synthetic import programme_delete
from sites.models import Programme
from tests import factories

pytestmark = pytest.mark.django_db


def test_programme_delete_deletes_the_rollups_of_its_activities():
    """The groups go table by table, after every row that refers to them."""
    group = factories.InquiryGroupFactory()
    member = factories.MembershipFactory(group=group).person
    activity_log(
        group=group, kind=ActivityKind.GROUP_MEETING, date=dt.date(2016, 5, 1), attendees=[member]
    )
    assert ActivityMonth.objects.filter(programme=group.programme).exists()
    # Checked at each statement, as outside a test's transaction: a row left pointing at a
    # deleted group fails there, not at a commit that the test never makes.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    programme_delete(slug=group.programme.slug)

    assert not Programme.objects.filter(pk=group.programme_id).exists()
    assert not ActivityMonth.objects.filter(programme=group.programme_id).exists()
