"""A write moves on the figures of the sites and groups it touched, and those of the programme.

A write in Fife leaves Glasgow's dashboards cached (read back without computing a figure),
while every section whose figures the write changed is computed again: after the write each
section shows what it shows computed from nothing.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from zeal import zeal_ignore

from car_programme.records_version import records_written
from inquiries.enums import BACKSTAGE_KINDS, ActivityKind, ContactDirection
from inquiries.services import activity_delete, activity_log, activity_update, tally_record
from reports.dashboards import SECTION_SLUGS, dashboard_build
from reports.metrics import MetricScope
from sites.models import Programme
from sites.services import theme_create
from tests import factories
from tests.reports.versions import moved, versions

pytestmark = pytest.mark.django_db

D = dt.date(2016, 5, 1)


@pytest.fixture
def world():
    """Two sites of one programme, each with a group that has met with a member."""
    fife = factories.CaseSiteFactory(name="Fife")
    programme = fife.programme
    glasgow = factories.CaseSiteFactory(programme=programme, name="Glasgow")
    with zeal_ignore():
        groups = {}
        for site in (fife, glasgow):
            group = factories.InquiryGroupFactory(programme=programme)
            group.sites.set([site])
            member = factories.MembershipFactory(group=group, person__site=site).person
            activity_log(group=group, kind=ActivityKind.GROUP_MEETING, date=D, attendees=[member])
            groups[site.name] = group
    return programme, fife, glasgow, groups


def scopes(programme, fife, glasgow, groups):
    """Every dashboard of the programme: its own, each site's, each group's, one site filter."""
    programme = Programme.objects.get(pk=programme.pk)
    return {
        "programme": MetricScope(programme=programme),
        "fife": MetricScope(programme=programme, site=fife),
        "glasgow": MetricScope(programme=programme, site=glasgow),
        "fife group": MetricScope(programme=programme, group=groups["Fife"]),
        "glasgow group": MetricScope(programme=programme, group=groups["Glasgow"]),
        "programme at fife": MetricScope(programme=programme, site=fife, start=D),
    }


def build_all(scope):
    with zeal_ignore():
        return {section: dashboard_build(scope=scope, section=section) for section in SECTION_SLUGS}


def log_in_fife(programme, fife, glasgow, groups):
    member = factories.PersonFactory(programme=programme, site=fife)
    activity_log(group=groups["Fife"], kind=ActivityKind.GROUP_MEETING, date=D, attendees=[member])


def tally_in_fife(programme, fife, glasgow, groups):
    tally_record(
        site=fife,
        kind=next(iter(BACKSTAGE_KINDS)),
        direction=ContactDirection.choices[0][0],
        count=7,
        week_start=D,
    )


def move_to_glasgow(programme, fife, glasgow, groups):
    activity = factories.ActivityFactory(
        programme=programme, site=fife, group=None, kind=ActivityKind.EMAIL
    )
    with zeal_ignore():
        activity_update(activity=activity, site=glasgow)


def delete_in_fife(programme, fife, glasgow, groups):
    activity_delete(activity=groups["Fife"].activities.get())


WRITES = [log_in_fife, tally_in_fife, delete_in_fife]


@pytest.mark.parametrize("write", WRITES)
def test_a_write_in_fife_leaves_glasgows_dashboards_cached(write, world, django_assert_num_queries):
    shown = scopes(*world)
    before = {name: build_all(shown[name]) for name in ("glasgow", "glasgow group")}

    write(*world)

    for name, dashboards in before.items():
        scope = scopes(*world)[name]
        for section in SECTION_SLUGS:
            # Only the versions are read: every panel comes from the cache.
            with django_assert_num_queries(1):
                assert dashboard_build(scope=scope, section=section) == dashboards[section]


@pytest.mark.parametrize("write", [*WRITES, move_to_glasgow])
def test_every_dashboard_shows_after_a_write_what_it_would_compute_from_nothing(write, world):
    for scope in scopes(*world).values():
        build_all(scope)

    write(*world)

    shown = {name: build_all(scope) for name, scope in scopes(*world).items()}
    cache.clear()
    computed = {name: build_all(scope) for name, scope in scopes(*world).items()}
    assert shown == computed


def test_the_write_changes_the_figures_the_check_compares(world):
    """The comparison above is not of figures that no write changes."""
    fife = scopes(*world)["fife"]
    before = build_all(fife)

    log_in_fife(*world)
    cache.clear()

    assert build_all(scopes(*world)["fife"]) != before


def test_an_activity_moved_between_sites_moves_both_on():
    fife = factories.CaseSiteFactory(name="Fife")
    glasgow = factories.CaseSiteFactory(programme=fife.programme, name="Glasgow")
    activity = factories.ActivityFactory(
        programme=fife.programme, site=fife, group=None, kind=ActivityKind.EMAIL
    )
    before = versions(fife.programme)

    activity_update(activity=activity, site=glasgow)

    assert moved(before, versions(fife.programme)) == {
        ("site", fife.pk): 1,
        ("site", glasgow.pk): 1,
    }


def test_a_programme_wide_write_moves_every_dashboard_on():
    fife = factories.CaseSiteFactory(name="Fife")
    before = versions(fife.programme)

    theme_create(programme=fife.programme, framework="Pillars", by=None, name="Prevention")

    assert moved(before, versions(fife.programme)) == {("programme", fife.programme.pk): 1}


def test_an_activity_noted_after_its_write_moves_the_whole_programme_on():
    """The administration notes an activity once saved, when its former site is not known."""
    activity = factories.ActivityFactory()
    before = versions(activity.programme)

    records_written(activity)

    assert moved(before, versions(activity.programme)) == {("programme", activity.programme_id): 1}
