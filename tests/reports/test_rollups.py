"""The figures read from the rollups (``inquiries.rollups``) agree with the same figures computed
from the activity and attendance rows, on random synthetic programmes after random writes
through the services and the administration."""

import contextlib
import datetime as dt
import random
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Avg, Count, Max, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from zeal import zeal_ignore

from car_programme.exceptions import DomainError
from car_programme.privacy import person_erase
from events.models import Event
from events.services import event_update
from evidence.models import Change, EvidenceItem, Output
from evidence.services import change_update, evidence_delete, evidence_update, output_update
from inquiries.enums import BACKSTAGE_KINDS, ActivityKind, ResearcherRole
from inquiries.models import (
    Activity,
    ActivityMonth,
    ActivityResearcherRole,
    Attendance,
    CoAttendance,
    CoAttendanceTotal,
    InquiryGroup,
    Person,
    ResearcherRoleMonth,
)
from inquiries.selectors import counted_weight, meeting_figures, meetings_with_head_count
from inquiries.services import (
    activity_delete,
    activity_log,
    activity_update,
    group_delete,
    group_update,
    person_update,
    tally_record,
)
from programme_data.synthetic import generate_programme
from reports.metrics import (
    MetricScope,
    activities_by_kind_per_month,
    attendance_per_meeting,
    backstage_tallies,
    co_attendance_network,
    meeting_hours,
    researcher_roles,
    theme_coverage,
)
from reports.metrics.activity import (
    AttendanceStats,
    MeetingHours,
    Network,
    NetworkEdge,
    NetworkNode,
    SiteTallies,
)
from reports.metrics.portability import Median
from reports.metrics.shapes import Breakdown, breakdown_of, crosstab_of, period_starts
from reports.metrics.themes import Coverage, FrameworkCoverage, ThemeCoverage
from reports.models import ThemeCount, ThemeLink
from sites.enums import Sector
from sites.models import CaseSite, Organisation, Theme

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


def per_month_from_activities(scope: MetricScope):
    """Activities per month and kind summed over every activity in scope: the reference."""
    counts = {
        (month and month.isoformat(), kind): n
        for month, kind, n in scope.activities()
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values_list("month", "kind")
        .annotate(n=Sum(counted_weight()))
    }
    kinds = {kind for _, kind in counts}
    columns = [(value, label) for value, label in ActivityKind.choices if value in kinds]
    months = sorted({dt.date.fromisoformat(month) for month, _ in counts if month})
    if not months:
        return crosstab_of([], columns, counts)
    periods = period_starts(months[0], months[-1], months=1, scope=scope)
    return crosstab_of([(m.isoformat(), f"{m:%Y-%m}") for m in periods], columns, counts)


def meeting_hours_from_activities(scope: MetricScope) -> MeetingHours:
    meetings = scope.activities().filter(kind=ActivityKind.GROUP_MEETING)
    return MeetingHours(**meetings.aggregate(**meeting_figures()))


def attendance_from_activities(scope: MetricScope) -> AttendanceStats:
    figures = meetings_with_head_count(scope.activities()).aggregate(
        meetings=Count("pk"),
        named_total=Coalesce(Sum("named"), 0),
        counted_total=Coalesce(Sum("counted"), 0),
        mean=Avg("head_count"),
        median=Median("head_count"),
        max=Max("head_count"),
    )
    named, counted = figures.pop("named_total"), figures.pop("counted_total")
    return AttendanceStats(named=named, counted=counted, **figures)


def tallies_from_activities(scope: MetricScope) -> list[SiteTallies]:
    counts = dict(
        (
            ((site, kind), n)
            for site, kind, n in scope.activities()
            .filter(kind__in=BACKSTAGE_KINDS, group__isnull=True, site__isnull=False)
            .order_by()
            .values_list("site", "kind")
            .annotate(n=Sum(counted_weight()))
        )
    )
    return [
        SiteTallies(
            pk,
            name,
            counts.get((pk, ActivityKind.EMAIL), 0),
            counts.get((pk, ActivityKind.PHONE_CALL), 0),
            counts.get((pk, ActivityKind.ONE_TO_ONE), 0),
        )
        for pk, name in scope.sites().order_by("name", "pk").values_list("pk", "name")
    ]


def roles_from_activities(scope: MetricScope) -> Breakdown:
    counts = dict(
        ActivityResearcherRole.objects.filter(activity__in=scope.activities())
        .order_by()
        .values_list("role")
        .annotate(n=Count("pk"))
    )
    return breakdown_of(ResearcherRole, counts)


def check_activity_figures(scope: MetricScope) -> None:
    assert researcher_roles(scope=scope) == roles_from_activities(scope), scope
    assert activities_by_kind_per_month(scope=scope) == per_month_from_activities(scope), scope
    assert meeting_hours(scope=scope) == meeting_hours_from_activities(scope), scope
    assert backstage_tallies(scope=scope) == tallies_from_activities(scope), scope
    attendance, reference = attendance_per_meeting(scope=scope), attendance_from_activities(scope)
    assert attendance.meetings == reference.meetings, scope
    # The mean and median are computed in another order: equal but for the last bit.
    assert attendance == AttendanceStats(
        **{
            **vars(reference),
            "mean": pytest.approx(reference.mean),
            "median": pytest.approx(reference.median),
        }
    ), scope


# --- Theme coverage, as computed from the records (the reference) ---------------------------


def _m2m(model, name: str) -> tuple[str, str, str]:
    """The table of ``model``'s many-to-many field ``name``, its column naming the ``model``
    row and its column naming the other side."""
    field = model._meta.get_field(name)
    return field.m2m_db_table(), field.m2m_column_name(), field.m2m_reverse_name()


def _coverage_sql(kind: str, records: QuerySet, group: str | None) -> tuple[str, str, list]:
    """For the records of ``kind`` in ``records``: a CTE ``<kind>_themes`` of their (record,
    theme) links, and a query counting per theme and site the records that count for the
    site: by their own sites, else by those of their group (``group`` a foreign key) or of
    their groups (``group`` a many-to-many)."""
    model = records.model
    scoped_sql, params = records.order_by().values("pk").query.sql_with_params()
    themes, theme_record, theme = _m2m(model, "themes")
    own, own_record, own_site = _m2m(model, "sites")
    group_sites, group_sites_group, group_sites_site = _m2m(InquiryGroup, "sites")
    cte = f"""
        {kind}_themes (record, theme) AS MATERIALIZED (
            SELECT {theme_record}, {theme} FROM {themes} WHERE {theme_record} IN ({scoped_sql})
        )"""
    own_join = f"LEFT JOIN {own} o ON o.{own_record} = t.record"
    if group is None:
        joins, site, counted = own_join, f"o.{own_site}", "COUNT(*)"
    elif model._meta.get_field(group).many_to_many:
        # A record's groups may share a site: only these (few) records need DISTINCT.
        table, record, group_column = _m2m(model, group)
        joins = f"""{own_join}
            LEFT JOIN {table} g ON o.{own_record} IS NULL AND g.{record} = t.record
            LEFT JOIN {group_sites} gs ON gs.{group_sites_group} = g.{group_column}"""
        site = f"COALESCE(o.{own_site}, gs.{group_sites_site})"
        counted = "COUNT(DISTINCT t.record)"
    else:
        # The group's sites are joined only for a record without sites of its own, so each
        # record meets each site once and a plain count is distinct.
        joins = f"""{own_join}
            LEFT JOIN {model._meta.db_table} r ON o.{own_record} IS NULL AND r.id = t.record
            LEFT JOIN {group_sites} gs
              ON gs.{group_sites_group} = r.{model._meta.get_field(group).column}"""
        site = f"COALESCE(o.{own_site}, gs.{group_sites_site})"
        counted = "COUNT(*)"
    per_site = f"""
        SELECT '{kind}', t.theme, {site}, {counted} FROM {kind}_themes t {joins}
        WHERE {site} IS NOT NULL GROUP BY 1, 2, 3"""
    return cte, per_site, list(params)


def coverage_from_records(scope: MetricScope) -> list[FrameworkCoverage]:
    """The theme coverage joined from the records through their sites and groups' sites: the
    reference (the metric before the theme links)."""
    themes = list(
        Theme.objects.filter(programme=scope.programme)
        .order_by("framework", "position", "name", "pk")
        .values_list("pk", "framework", "name")
    )
    sites = list(scope.sites().order_by("name", "pk").values_list("pk", "name"))
    # A record counts for its own sites, else for its group's (or groups') sites.
    kinds = {
        "groups": (scope.groups(), None),
        "evidence": (scope.evidence(), "group"),
        "outputs": (scope.outputs(), "groups"),
        "changes": (scope.changes(), "group"),
        "events": (scope.events(), "groups"),
    }
    # One pass for every kind, starting from the theme links (records without a theme never
    # reach a join). A record has each theme and each site once, so plain counts are distinct.
    ctes, counts, params = [], [], []
    for kind, (records, group) in kinds.items():
        cte, per_site_sql, cte_params = _coverage_sql(kind, records, group)
        ctes.append(cte)
        params += cte_params
        counts.append(f"SELECT '{kind}', theme, NULL, COUNT(*) FROM {kind}_themes GROUP BY 2")
        counts.append(per_site_sql)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} {' UNION ALL '.join(counts)}", params)
        rows = cursor.fetchall()
    totals: dict[str, dict[int, int]] = {kind: {} for kind in kinds}
    per_site: dict[str, dict[tuple[int, int], int]] = {kind: {} for kind in kinds}
    for kind, theme, site, n in rows:
        if site is None:
            totals[kind][theme] = n
        else:
            per_site[kind][theme, site] = n
    frameworks: dict[str, list[ThemeCoverage]] = {}
    for pk, framework, name in themes:
        frameworks.setdefault(framework, []).append(
            ThemeCoverage(
                theme_id=pk,
                name=name,
                total=Coverage(**{kind: totals[kind].get(pk, 0) for kind in kinds}),
                per_site=tuple(
                    Coverage(**{kind: per_site[kind].get((pk, site), 0) for kind in kinds})
                    for site, _ in sites
                ),
            )
        )
    return [
        FrameworkCoverage(
            framework=framework,
            site_ids=tuple(pk for pk, _ in sites),
            site_names=tuple(name for _, name in sites),
            themes=tuple(covered),
        )
        for framework, covered in frameworks.items()
    ]


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
        # Whole months, and a range within one month: read from the rollup alone, and from
        # the activities alone.
        last = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        ranged.append(
            MetricScope(scope.programme, scope.site, scope.group, start.replace(day=1), last)
        )
        ranged.append(
            MetricScope(
                scope.programme, scope.site, scope.group, start, start + dt.timedelta(days=3)
            )
        )
        ranged.append(MetricScope(scope.programme, scope.site, scope.group, start=start))
        ranged.append(MetricScope(scope.programme, scope.site, scope.group, end=end))
    return scopes + ranged


def check_agreement(rng: random.Random, programme) -> None:
    # The synthetic programmes hold meetings of known attendance and backstage tallies.
    whole = MetricScope(programme=programme)
    assert attendance_per_meeting(scope=whole).meetings
    assert any(site.total for site in backstage_tallies(scope=whole))
    for scope in random_scopes(rng, programme):
        check_activity_figures(scope)
        assert theme_coverage(scope=scope) == coverage_from_records(scope), scope
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
    write = rng.choice([*ACTIVITY_WRITES, *THEMED_WRITES])
    if write in THEMED_WRITES:
        THEMED_WRITES[write](rng, programme)
        return
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
    elif write == "kind":
        activity_update(
            activity=activity,
            kind=rng.choice([ActivityKind.GROUP_MEETING, ActivityKind.WORKSHOP]),
            duration_minutes=rng.choice([None, 30, 90]),
            count=rng.choice([None, None, 3]),
        )
    elif write == "roles":
        roles = rng.sample(ResearcherRole.values, k=rng.randint(0, 3))
        activity_update(activity=activity, researcher_roles=roles)
    elif write == "log":
        group = rng.choice(list(InquiryGroup.objects.filter(programme=programme)))
        activity_log(
            group=group,
            kind=ActivityKind.GROUP_MEETING,
            date=rng.choice(activities).date or dt.date(2016, 5, 4),
            duration_minutes=rng.choice([None, 120]),
            attendees=rng.sample(people, k=rng.randint(0, min(6, len(people)))),
        )
    elif write == "tally":
        tally_record(
            site=rng.choice(list(CaseSite.objects.filter(programme=programme))),
            kind=rng.choice(sorted(BACKSTAGE_KINDS)),
            direction="",
            count=rng.randint(1, 20),
            week_start=dt.date(2016, 6, rng.randint(1, 30)),
        )


def _some(rng: random.Random, records, most: int = 2) -> list:
    records = list(records)
    return rng.sample(records, k=rng.randint(0, min(most, len(records))))


def _places(rng: random.Random, programme) -> dict:
    """Random sites, themes and a group of ``programme``, for a record's links."""
    return {
        "sites": _some(rng, CaseSite.objects.filter(programme=programme)),
        "themes": _some(rng, Theme.objects.filter(programme=programme), most=3),
    }


def _groups(programme) -> QuerySet:
    return InquiryGroup.objects.filter(programme=programme).order_by("pk")


def _evidence_write(rng, programme):
    item = rng.choice(list(EvidenceItem.objects.filter(programme=programme)))
    group = rng.choice([None, *_groups(programme)])
    evidence_update(item=item, group=group, activity=None, by=None, **_places(rng, programme))


def _output_write(rng, programme):
    output = rng.choice(list(Output.objects.filter(programme=programme)))
    output_update(
        output=output,
        groups=_some(rng, _groups(programme), most=3),
        authors=list(output.authors.all()),
        by=None,
        **_places(rng, programme),
    )


def _change_write(rng, programme):
    change = rng.choice(list(Change.objects.filter(programme=programme)))
    change_update(
        change=change,
        group=rng.choice([None, *_groups(programme)]),
        evidence=list(change.evidence.all()),
        outputs=list(change.outputs.all()),
        earlier_changes=list(change.earlier_changes.all()),
        by=None,
        **_places(rng, programme),
    )


def _event_write(rng, programme):
    event = rng.choice(list(Event.objects.filter(programme=programme)))
    event_update(
        event=event, groups=_some(rng, _groups(programme), most=3), **_places(rng, programme)
    )


def _group_write(rng, programme):
    group = rng.choice(list(_groups(programme)))
    places = _places(rng, programme)
    # A group works in at least one site.
    sites = places["sites"] or [rng.choice(list(CaseSite.objects.filter(programme=programme)))]
    group_update(group=group, sites=sites, themes=places["themes"], name=group.name)


def _group_delete(rng, programme):
    group_delete(group=rng.choice(list(_groups(programme))))


def _evidence_delete(rng, programme):
    evidence_delete(
        item=rng.choice(list(EvidenceItem.objects.filter(programme=programme))), by=None
    )


ACTIVITY_WRITES = (
    *("attendees", "date", "site", "organisation", "erase", "delete", "kind", "roles", "log"),
    "tally",
)

THEMED_WRITES = {
    "evidence": _evidence_write,
    "output": _output_write,
    "change": _change_write,
    "event": _event_write,
    "group": _group_write,
    "group_delete": _group_delete,
    "evidence_delete": _evidence_delete,
}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollup_figures_are_the_activity_figures_after_random_writes(seed):
    programme = generate_programme(sites=2, seed=seed)
    rng = random.Random(seed)
    check_agreement(rng, programme)
    for _ in range(40):
        # A write the services refuse (a site its group does not work in) changes nothing.
        with contextlib.suppress(DomainError):
            random_write(rng, programme)
    check_agreement(rng, programme)


def rollup_rows(programme) -> tuple[list, list, list, list, list]:
    fields = ("placed_site", "placed_group", "activity", "organisation", "other")
    totals = ("site", "group", "organisation", "other", "weight")
    months = ("site", "group", "month", "kind", "head_count", "rows", "weight", "minutes")
    return (
        list(
            ActivityMonth.objects.filter(programme=programme)
            .order_by(*months[:5])
            .values_list(*[f.name for f in ActivityMonth._meta.fields[2:]])
        ),
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
        list(
            ResearcherRoleMonth.objects.filter(programme=programme)
            .order_by("site", "group", "month", "role")
            .values_list("site", "group", "month", "role", "activities")
        ),
        list(
            ThemeCount.objects.filter(programme=programme)
            .order_by("kind", "theme", "site")
            .values_list("kind", "theme", "site", "records")
        ),
    )


def test_rebuild_rollups_gives_the_rows_the_writes_kept():
    programme = generate_programme(sites=1, seed=4)
    rng = random.Random(4)
    for _ in range(10):
        with contextlib.suppress(DomainError):
            random_write(rng, programme)
    kept = rollup_rows(programme)
    assert all(kept)
    CoAttendance.objects.all().delete()
    CoAttendanceTotal.objects.all().delete()
    ActivityMonth.objects.all().delete()
    ResearcherRoleMonth.objects.all().delete()
    ThemeCount.objects.all().delete()
    call_command("rebuild_rollups", "--programme", programme.slug, verbosity=0)
    assert rollup_rows(programme) == kept
    CoAttendance.objects.all().delete()
    CoAttendanceTotal.objects.update(weight=99)  # totals gone wrong are summed again
    ActivityMonth.objects.update(minutes=1)
    ResearcherRoleMonth.objects.update(activities=7)
    ThemeCount.objects.update(records=7)
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


def test_writes_in_one_programme_leave_another_programme_s_rollups_as_they_were():
    programme = generate_programme(sites=1, seed=8)
    neighbour = generate_programme(sites=1, seed=9)

    def neighbour_rows():
        links = ("kind", "theme", "site", "via_group", "group", "evidence", "output", "change")
        return rollup_rows(neighbour), sorted(
            ThemeLink.objects.filter(programme=neighbour).values_list(*links, "event"),
            key=repr,
        )

    before = neighbour_rows()
    assert before[1]  # the neighbour has theme links to lose
    rng = random.Random(8)
    for _ in range(30):
        with contextlib.suppress(DomainError):
            random_write(rng, programme)

    assert neighbour_rows() == before


def _write_held(write, *, written: threading.Event, hold: float = 0.0) -> None:
    """``write()`` in a transaction of its own on this thread's connection, committed
    ``hold`` seconds after it is done (``written`` set meanwhile)."""
    try:
        with transaction.atomic():
            write()
            written.set()
            time.sleep(hold)
    finally:
        written.set()
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_writers_recounting_the_same_rows_at_once_both_count():
    """A second writer recounting rows that a first is recounting waits for it to commit
    (``car_programme.locks``): each counts once, none twice."""
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need a database server")
    programme = generate_programme(sites=1, seed=10)
    group = InquiryGroup.objects.filter(programme=programme).order_by("pk").first()
    site, theme = group.sites.first(), Theme.objects.filter(programme=programme).first()
    first, second = EvidenceItem.objects.filter(programme=programme).order_by("pk")[:2]
    # A month with rows already: each writer deletes and counts again the same rows.
    day = Activity.objects.filter(group=group, date__isnull=False).order_by("pk").first().date

    def log_and_tag(item):
        def write():
            activity_log(group=group, kind=ActivityKind.GROUP_MEETING, date=day)
            evidence_update(
                item=item, sites=[site], group=None, activity=None, themes=[theme], by=None
            )

        return write

    done = [threading.Event(), threading.Event()]
    holder = threading.Thread(
        target=_write_held, args=(log_and_tag(first),), kwargs={"written": done[0], "hold": 1.0}
    )
    holder.start()
    assert done[0].wait(30)
    waiter = threading.Thread(
        target=_write_held, args=(log_and_tag(second),), kwargs={"written": done[1]}
    )
    waiter.start()
    holder.join(30)
    waiter.join(30)

    for scope in (MetricScope(programme=programme), MetricScope(programme, group=group)):
        check_activity_figures(scope)
        assert theme_coverage(scope=scope) == coverage_from_records(scope), scope
