"""The rule set as a whole: the table covers every rule, lists agree with it, roles read once.

Each app's own rows of tests/rules_table.py are checked by its test_rules.py; these are the
accounts app's rows (users and roles) and what holds for every rule.
"""

import pytest
import rules

from accounts.rules import permitted
from tests.factories.sites import CaseSiteFactory
from tests.rules_table import RECORDS, TABLE, assert_rule, cases

pytestmark = pytest.mark.django_db

APPS = {"accounts", "sites", "inquiries", "evidence", "events", "reports"}


def test_the_table_covers_every_registered_permission():
    assert sorted(set(rules.permissions.permissions) - set(TABLE)) == []
    assert sorted(set(TABLE) - set(rules.permissions.permissions)) == []
    # Each app's test_rules.py checks the rows of its own permissions.
    assert {perm.split(".")[0] for perm in TABLE} <= APPS


@pytest.mark.parametrize(("perm", "record"), cases("accounts"))
def test_each_role_may_do_to_roles_what_design_says(cast, perm, record):
    assert_rule(cast, perm, record)


def test_a_list_holds_each_record_once_whatever_the_joins(cast):
    cast.group.sites.add(CaseSiteFactory(programme=cast.programme))

    groups = permitted(cast.manager, "inquiries.view_inquirygroup")

    assert list(groups) == [cast.group]


def test_roles_are_read_once_per_user(cast, django_assert_num_queries):
    records = [RECORDS[name](cast) for name in ("fife_group", "fife_activity", "fife_person")]
    researcher = cast.fife_researcher

    # One query reads the roles; each check then asks only about its record.
    with django_assert_num_queries(1 + 3):
        for obj in records:
            assert researcher.has_perm(f"inquiries.view_{obj._meta.model_name}", obj)


def test_no_role_means_no_page_at_all(cast):
    assert not cast.nobody.has_perm("inquiries.view_inquirygroup")
    assert cast.fife_lead.has_perm("inquiries.view_inquirygroup")
    assert not cast.fife_lead.has_perm("inquiries.view_activity_notes")
