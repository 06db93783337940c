"""The co-attendance network read from its rollup agrees with the network computed from the
attendance rows, on random synthetic programmes after random writes through the services."""

import contextlib
import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from zeal import zeal_ignore

from car_programme.exceptions import DomainError
from car_programme.privacy import person_erase
from inquiries.models import (
    Activity,
    Attendance,
    CoAttendance,
    CoAttendanceTotal,
    InquiryGroup,
    Person,
)
from inquiries.services import activity_delete, activity_update, person_update
from programme_data.synthetic import generate_programme
from reports.metrics import MetricScope, co_attendance_network
from reports.metrics.activity import Network, NetworkEdge, NetworkNode
from sites.enums import Sector
from sites.models import CaseSite, Organisation

pytestmark = pytest.mark.django_db


def network_from_attendance(scope: MetricScope, min_weight: int) -> Network:
    """The network computed from every attendance row in scope: the reference."""
    present = (
        Attendance.objects.filter(
            activity__in=scope.activities().values("pk"), person__organisation__isnull=False
        )
        .order_by()
        .values_list("activity", "person__organisation")
        .distinct()
    )
    by_activity: dict[int, set[int]] = {}
    for activity, organisation in present:
        by_activity.setdefault(activity, set()).add(organisation)
    counts: dict[int, int] = {}
    weights: dict[tuple[int, int], int] = {}
    for organisations in by_activity.values():
        for one in organisations:
            counts[one] = counts.get(one, 0) + 1
            for other in organisations:
                if other > one:
                    weights[one, other] = weights.get((one, other), 0) + 1
    names = Organisation.objects.in_bulk(counts)
    nodes = [
        NetworkNode(pk, names[pk].name, str(Sector(names[pk].sector).label), n)
        for pk, n in counts.items()
    ]
    return Network(
        nodes=tuple(sorted(nodes, key=lambda node: (node.name, node.organisation_id))),
        edges=tuple(
            sorted(
                (NetworkEdge(a, b, w) for (a, b), w in weights.items() if w >= min_weight),
                key=lambda edge: (-edge.weight, edge.source, edge.target),
            )
        ),
    )


def random_scopes(rng: random.Random, programme) -> list[MetricScope]:
    activities = Activity.objects.filter(programme=programme, date__isnull=False)
    dates = sorted(activities.values_list("date", flat=True))
    sites = list(CaseSite.objects.filter(programme=programme))
    groups = list(InquiryGroup.objects.filter(programme=programme))
    scopes = [MetricScope(programme=programme)]
    scopes += [MetricScope(programme, site=site) for site in rng.sample(sites, min(2, len(sites)))]
    scopes += [
        MetricScope(programme, group=group) for group in rng.sample(groups, min(2, len(groups)))
    ]
    ranged = []
    for scope in scopes:
        start, end = sorted(rng.sample(dates, 2))
        ranged.append(MetricScope(scope.programme, scope.site, scope.group, start, end))
        ranged.append(MetricScope(scope.programme, scope.site, scope.group, start=start))
        ranged.append(MetricScope(scope.programme, scope.site, scope.group, end=end))
    return scopes + ranged


def check_agreement(rng: random.Random, programme) -> None:
    for scope in random_scopes(rng, programme):
        for min_weight in (1, 2):
            assert co_attendance_network(scope=scope, min_weight=min_weight) == (
                network_from_attendance(scope, min_weight)
            ), (scope, min_weight)


def random_write(rng: random.Random, programme) -> None:
    # A loop of writes reads each write's records anew: not an N+1 of a page.
    with zeal_ignore():
        _random_write(rng, programme)


def _random_write(rng: random.Random, programme) -> None:
    activities = list(Activity.objects.filter(programme=programme).order_by("pk"))
    people = list(Person.objects.filter(programme=programme).order_by("pk"))
    activity = rng.choice(activities)
    person = rng.choice(people)
    write = rng.choice(["attendees", "date", "site", "organisation", "erase", "delete"])
    if write == "attendees":
        attendees = rng.sample(people, k=rng.randint(0, min(8, len(people))))
        activity_update(activity=activity, attendees=attendees)
    elif write == "date":
        other = rng.choice(activities)
        activity_update(activity=activity, date=other.date, end_date=other.end_date)
    elif write == "site":
        activity_update(
            activity=activity,
            site=rng.choice(list(CaseSite.objects.filter(programme=programme).all())),
        )
    elif write == "organisation":
        organisations = [None, *Organisation.objects.filter(programme=programme)]
        person_update(person=person, organisation=rng.choice(organisations))
    elif write == "erase" and not person.name.startswith("Erased"):
        person_erase(person=person, by=None)
    elif write == "delete":
        activity_delete(activity=activity)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollup_network_is_the_attendance_network_after_random_writes(seed):
    programme = generate_programme(sites=2, seed=seed)
    rng = random.Random(seed)
    check_agreement(rng, programme)
    for _ in range(25):
        # A write the services refuse (a site its group does not work in) changes nothing.
        with contextlib.suppress(DomainError):
            random_write(rng, programme)
    check_agreement(rng, programme)


def rollup_rows(programme) -> tuple[list, list]:
    fields = ("placed_site", "placed_group", "activity", "organisation", "other")
    totals = ("site", "group", "organisation", "other", "weight")
    return (
        list(
            CoAttendance.objects.filter(activity__programme=programme)
            .order_by(*fields[2:])
            .values_list(*fields)
        ),
        list(
            CoAttendanceTotal.objects.filter(programme=programme)
            .order_by(*totals)
            .values_list(*totals)
        ),
    )


def test_rebuild_rollups_gives_the_rows_the_writes_kept():
    programme = generate_programme(sites=1, seed=4)
    rng = random.Random(4)
    for _ in range(10):
        with contextlib.suppress(DomainError):
            random_write(rng, programme)
    kept = rollup_rows(programme)
    assert kept[0] and kept[1]
    CoAttendance.objects.all().delete()
    CoAttendanceTotal.objects.all().delete()
    call_command("rebuild_rollups", "--programme", programme.slug, verbosity=0)
    assert rollup_rows(programme) == kept
    CoAttendance.objects.all().delete()
    CoAttendanceTotal.objects.update(weight=99)  # totals gone wrong are summed again
    call_command("rebuild_rollups", verbosity=0)
    assert rollup_rows(programme) == kept


def test_the_network_takes_one_query_however_many_attend():
    programme = generate_programme(sites=1, seed=5)
    scope = MetricScope(programme=programme)
    with CaptureQueriesContext(connection) as before:
        co_attendance_network(scope=scope)
    people = list(Person.objects.filter(programme=programme))
    with zeal_ignore():
        for activity in Activity.objects.filter(programme=programme)[:20]:
            activity_update(activity=activity, attendees=people[:30])
    with CaptureQueriesContext(connection) as after:
        network = co_attendance_network(scope=scope)
    assert len(before) == len(after) == 1
    assert network == network_from_attendance(scope, 1)


def test_a_date_range_keeps_the_activities_of_its_days_exactly():
    programme = generate_programme(sites=1, seed=6)
    activity = Activity.objects.filter(programme=programme, attendance__isnull=False).first()
    day = activity.date
    scope = MetricScope(programme=programme, start=day, end=day)
    network = co_attendance_network(scope=scope)
    assert network == network_from_attendance(scope, 1)
    next_day = MetricScope(programme=programme, start=day + dt.timedelta(days=1), end=day)
    assert co_attendance_network(scope=next_day) == Network(nodes=(), edges=())


def test_deletions_in_the_administration_keep_the_network(admin_client):
    programme = generate_programme(sites=1, seed=7)
    scope = MetricScope(programme=programme)
    attended = Attendance.objects.filter(
        activity__programme=programme, person__organisation__isnull=False
    )
    row = attended.order_by("pk").first()
    activity = attended.exclude(activity=row.activity).order_by("pk").first().activity
    before = co_attendance_network(scope=scope)

    # The deletion names every row it takes, each read for its name: not what is tested here.
    with zeal_ignore():
        admin_client.post(
            reverse("admin:inquiries_attendance_delete", args=[row.pk]), {"post": "yes"}
        )
        admin_client.post(
            reverse("admin:inquiries_activity_delete", args=[activity.pk]), {"post": "yes"}
        )

    assert not Activity.objects.filter(pk=activity.pk).exists()
    after = co_attendance_network(scope=scope)
    assert after != before
    assert after == network_from_attendance(scope, 1)
