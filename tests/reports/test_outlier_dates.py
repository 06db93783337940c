"""A stray date already in the database (written before dates were bounded, or straight to the
database) neither breaks nor bloats a dashboard: periods are built only within the programme's
span with a margin."""

import datetime as dt

import pytest
from zeal import zeal_ignore

from accounts.enums import RoleKind
from inquiries.models import GroupStatusChange, Membership
from reports import metrics
from reports.dashboards import SECTION_SLUGS
from tests.factories.accounts import user_with_role
from tests.factories.events import EventFactory
from tests.factories.evidence import ChangeFactory, EvidenceItemFactory, OutputFactory
from tests.factories.inquiries import ActivityFactory, MembershipFactory
from tests.factories.sites import CaseSiteFactory, ProgrammeFactory
from tests.reports.test_dashboards import (
    group_in,
    group_url,
    programme_url,
    sign_in,
    site_url,
)

pytestmark = pytest.mark.django_db

OUTLIERS = [dt.date(1, 1, 1), dt.date(9999, 12, 15), dt.date(9999, 12, 31)]


@pytest.fixture
def site():
    programme = ProgrammeFactory(
        slug="bounded", start_date=dt.date(2015, 1, 1), end_date=dt.date(2017, 12, 31)
    )
    return CaseSiteFactory(programme=programme, name="Fife", slug="fife")


def stray_rows(site, day):
    """A group whose status history, membership, meeting, evidence, output, change and event
    each carry ``day``, written straight to the database as an old import or a script could
    have left them."""
    with zeal_ignore():
        group = group_in(site)
        GroupStatusChange.objects.create(
            group=group, status="active", changed_on=dt.date(2016, 1, 4)
        )
        GroupStatusChange.objects.create(group=group, status="dormant", changed_on=day)
        membership = MembershipFactory(group=group, person__site=site)
        Membership.objects.filter(pk=membership.pk).update(
            joined_on=min(day, dt.date(2016, 1, 4)), left_on=max(day, dt.date(2016, 1, 4))
        )
        ActivityFactory(programme=site.programme, group=group, date=day)
        ActivityFactory(programme=site.programme, group=group, date=dt.date(2016, 2, 1))
        ActivityFactory(programme=site.programme, group=None, site=site, kind="email", date=day)
        programme = site.programme
        EvidenceItemFactory(programme=programme, group=group, sites=[site], collected_on=day)
        OutputFactory(programme=programme, sites=[site], drafted_on=day).groups.set([group])
        ChangeFactory(programme=programme, group=group, sites=[site], date=day)
        EventFactory(programme=programme, start_date=day).sites.set([site])
    return group


@pytest.mark.parametrize("day", OUTLIERS, ids=str)
def test_an_outlying_date_leaves_the_dashboards_whole_and_small(client, site, day):
    group = stray_rows(site, day)
    manager = user_with_role(RoleKind.PROGRAMME_MANAGER, programme=site.programme)
    sign_in(client, manager)
    for url in (programme_url(site.programme), site_url(site), group_url(group)):
        for section in SECTION_SLUGS:
            response = client.get(url, {"section": section})
            assert response.status_code == 200, (url, section)
            assert len(response.content) < 400_000, (url, section, len(response.content))


def test_status_over_time_keeps_the_head_count_of_changes_before_the_window(site):
    group = stray_rows(site, dt.date(1, 1, 1))
    table = metrics.groups_by_status_over_time(scope=metrics.MetricScope(programme=group.programme))
    # 2010 Q1 (five years before the programme) to the last change, 2016 Q1.
    assert table.row_keys[0] == "2010-01-01"
    assert table.row_keys[-1] == "2016-01-01"
    assert len(table.row_keys) == 25
    assert table.column("dormant")[table.row_keys.index("2010-01-01")] == 1
    assert table.column("dormant")[table.row_keys.index("2016-01-01")] == 0
    assert table.column("active")[table.row_keys.index("2016-01-01")] == 1


@pytest.mark.parametrize("day", OUTLIERS, ids=str)
def test_series_leave_out_periods_outside_the_programme_window(site, day):
    stray_rows(site, day)
    scope = metrics.MetricScope(programme=site.programme)
    months = metrics.activities_by_kind_per_month(scope=scope).row_keys
    quarters = [row.key for row in metrics.turnover_by_quarter(scope=scope).quarters]
    for key in [*months, *quarters]:
        assert "2010-01-01" <= key <= "2022-12-31"
    assert "2016-02-01" in months
