"""Who may do what to the events app's records: its rows of tests/rules_table.py, per role."""

import pytest

from tests.rules_table import assert_rule, cases

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("perm", "record"), cases("events"))
def test_each_role_may_do_what_design_says_and_nothing_else(cast, perm, record):
    assert_rule(cast, perm, record)
