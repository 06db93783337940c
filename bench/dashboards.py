"""Benchmark: server time and query count of the dashboards at 4 and 32 sites.

For each size it generates the synthetic programme ``synthetic-<N>-1`` (``sites.synthetic``),
runs ANALYZE (stale planner statistics once made a dashboard query 15x slower), signs in a
programme manager of that programme, and requests through Django's test client every section
of the programme, site and group dashboards, next to a trivial signed-in page (the password
change form) in the same run. Each page is timed over ``--repeat`` requests after two warm-ups,
in two ways:

- as served: repeated requests, so the figures come from the cache after the first one;
- after a write: before each request (outside the timed part) the programme's records version
  is moved on with ``reports.freshness.touch``, so every figure is computed again.

The targets of issue 4 are judged on the as-served medians: each dashboard's query count the
same at both sizes and at most 25 (counted after a write, when every figure runs its queries),
the programme dashboard at the larger size within 2x its time at the smaller one, and every
dashboard at the larger size within 10x the trivial page. Then the metric functions behind the
programme dashboard at the larger size are timed one by one, recomputed as after a write, to
show what dominates.

Run it from the project root on PostgreSQL (it refuses SQLite; the database is created if
missing and migrated):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/car_bench \\
        .venv/bin/python bench/dashboards.py [--sites 4 32] [--repeat 15] [--keep] [--reuse]

The synthetic programmes and the bench user are deleted at the end unless ``--keep``;
``--reuse`` measures programmes left by an earlier ``--keep`` run instead of generating them.
"""

import argparse
import contextlib
import functools
import inspect
import logging
import os
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "car_programme.settings")
django.setup()

import psycopg2  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from psycopg2 import sql  # noqa: E402

from accounts.enums import RoleKind  # noqa: E402
from accounts.models import Role, User  # noqa: E402
from reports import freshness, metrics  # noqa: E402
from reports.dashboards import SECTION_SLUGS  # noqa: E402
from sites.models import Programme  # noqa: E402
from sites.synthetic import generate_programme, programme_delete, programme_slug  # noqa: E402

SEED = 1
WARMUPS = 2
QUERY_BUDGET = 25
MAX_GROWTH = 2.0
MAX_TRIVIAL_RATIO = 10.0
METRIC_PASSES = 3
METRICS_SHOWN = 10
TRIVIAL = "password change (trivial)"


@dataclass(frozen=True)
class Page:
    label: str
    url: str
    is_dashboard: bool = True
    is_programme: bool = False


@dataclass(frozen=True)
class Timing:
    median_ms: float
    queries: int


@dataclass(frozen=True)
class Result:
    page: Page
    sites: int
    served: Timing
    cold: Timing


# --- Setting up -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, nargs="+", default=[4, 32])
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic programmes")
    parser.add_argument(
        "--reuse", action="store_true", help="measure programmes kept by an earlier run"
    )
    return parser.parse_args()


def require_postgres() -> None:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit(
            "bench/dashboards.py measures PostgreSQL only (SQLite's timings say nothing about "
            "production): set DATABASE_URL=postgres://user@host:5432/dbname."
        )


def ensure_database() -> None:
    """Create the database named in DATABASE_URL when it does not exist yet."""
    db = settings.DATABASES["default"]
    server = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or None,
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    finally:
        server.close()


def configure_for_timing() -> None:
    # Queries are not stored on every request (only inside CaptureQueriesContext).
    settings.DEBUG = False
    # Sign-in and rendering log at INFO on every request, burying the table.
    logging.disable(logging.INFO)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def prepare_programme(sites: int, *, reuse: bool) -> Programme:
    slug = programme_slug(sites=sites, seed=SEED)
    existing = Programme.objects.filter(slug=slug).first() if reuse else None
    if existing is not None:
        print(f"Reusing {slug}.")
        return existing
    started = time.perf_counter()
    programme = generate_programme(sites=sites, seed=SEED)
    print(f"Generated {slug} in {time.perf_counter() - started:.0f} s.")
    return programme


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench_username(programme: Programme) -> str:
    return f"bench-manager-{programme.slug}"


def signed_in_manager(programme: Programme) -> Client:
    user, _ = User.objects.get_or_create(
        username=bench_username(programme), defaults={"full_name": "Benchmark manager"}
    )
    Role.objects.get_or_create(
        user=user, programme=programme, site=None, role=RoleKind.PROGRAMME_MANAGER
    )
    client = Client()
    client.force_login(user)
    return client


def pages_of(programme: Programme) -> list[Page]:
    site = programme.sites.order_by("pk").first()
    group = programme.groups.order_by("pk").first()
    levels = [
        ("programme", reverse("reports:programme_dashboard", args=[programme.slug])),
        ("site", reverse("reports:site_dashboard", args=[programme.slug, site.slug])),
        ("group", reverse("reports:group_dashboard", args=[programme.slug, group.pk])),
    ]
    pages = [
        Page(f"{level} {section}", f"{url}?section={section}", is_programme=level == "programme")
        for level, url in levels
        for section in SECTION_SLUGS
    ]
    return [*pages, Page(TRIVIAL, reverse("accounts:password_change"), is_dashboard=False)]


# --- Measuring --------------------------------------------------------------------------------


def fetch(client: Client, url: str) -> None:
    response = client.get(url, secure=True)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}.")


def measure(client: Client, url: str, *, repeat: int, before=lambda: None) -> Timing:
    """Median time of ``repeat`` requests after the warm-ups, calling ``before`` untimed ahead
    of each, and the queries of one such request."""
    for _ in range(WARMUPS):
        before()
        fetch(client, url)
    before()
    # Each request empties the query log as it starts: the count must start from empty too.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    # Read now: the captured queries are a slice of a log that later requests empty.
    query_count = len(queries)
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        fetch(client, url)
        times.append(time.perf_counter() - started)
    return Timing(median_ms=statistics.median(times) * 1000, queries=query_count)


def measure_programme(programme: Programme, *, repeat: int) -> list[Result]:
    client = signed_in_manager(programme)
    sites = programme.sites.count()
    results = []
    for page in pages_of(programme):
        served = measure(client, page.url, repeat=repeat)
        cold = measure(
            client, page.url, repeat=repeat, before=lambda: freshness.touch(programme.pk)
        )
        results.append(Result(page, sites, served, cold))
        print(f"  {page.label:<28} {sites:>3} sites: measured", flush=True)
    return results


@contextlib.contextmanager
def timing_metrics(records: dict[str, list[float]]):
    """Time every public function of ``reports.metrics`` called meanwhile (outermost calls
    only: one metric calling another counts once)."""
    originals = {
        name: func
        for name, func in vars(metrics).items()
        if inspect.isfunction(func) and func.__module__ == metrics.__name__ and name[0] != "_"
    }
    depth = 0

    def timed(name, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            nonlocal depth
            if depth:
                return func(*args, **kwargs)
            depth += 1
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                records[name].append((time.perf_counter() - started) * 1000)
                depth -= 1

        return wrapper

    for name, func in originals.items():
        setattr(metrics, name, timed(name, func))
    try:
        yield
    finally:
        for name, func in originals.items():
            setattr(metrics, name, func)


def slowest_metrics(programme: Programme) -> list[tuple[str, float]]:
    """Median time of each metric behind the programme dashboard, every figure recomputed."""
    client = signed_in_manager(programme)
    records: dict[str, list[float]] = defaultdict(list)
    pages = [page for page in pages_of(programme) if page.is_programme]
    with timing_metrics(records):
        for _ in range(METRIC_PASSES):
            for page in pages:
                freshness.touch(programme.pk)
                fetch(client, page.url)
    medians = {name: statistics.median(times) for name, times in records.items()}
    return sorted(medians.items(), key=lambda item: -item[1])


# --- Reporting --------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "-"


def print_table(results: list[Result]) -> None:
    trivial = {r.sites: r for r in results if not r.page.is_dashboard}
    smallest = {r.page.label: r for r in results if r.sites == min(trivial)}
    header = (
        f"{'page':<28} {'sites':>5} | {'served ms':>9} {'queries':>7} {'x trivial':>9} "
        f"{'growth':>6} | {'cold ms':>8} {'queries':>7} {'x trivial':>9} {'growth':>6}"
    )
    print("x trivial: to the trivial page's served median at the same size; growth: to the same")
    print(f"page at {min(trivial)} sites.\n")
    print(header)
    print("-" * len(header))
    for r in sorted(results, key=lambda r: (r.page.label, r.sites)):
        base, first = trivial[r.sites], smallest[r.page.label]
        grown = r.sites != first.sites
        print(
            f"{r.page.label:<28} {r.sites:>5} | {r.served.median_ms:>9.1f} {r.served.queries:>7} "
            f"{ratio(r.served.median_ms, base.served.median_ms):>9} "
            f"{ratio(r.served.median_ms, first.served.median_ms) if grown else '':>6} | "
            f"{r.cold.median_ms:>8.1f} {r.cold.queries:>7} "
            f"{ratio(r.cold.median_ms, base.served.median_ms):>9} "
            f"{ratio(r.cold.median_ms, first.cold.median_ms) if grown else '':>6}"
        )


def check_targets(results: list[Result]) -> list[tuple[str, bool]]:
    """Each target of issue 4 with whether it is met, on the as-served medians."""
    by_page = defaultdict(dict)
    for r in results:
        by_page[r.page.label][r.sites] = r
    trivial = by_page.pop(TRIVIAL)
    small, large = min(trivial), max(trivial)
    checks = []
    for label, sizes in by_page.items():
        counts = {r.cold.queries for r in sizes.values()}
        checks.append(
            (
                f"{label}: queries {sorted(counts)} same at every size and <= {QUERY_BUDGET}",
                len(counts) == 1 and max(counts) <= QUERY_BUDGET,
            )
        )
        times = sizes[large].served.median_ms, sizes[small].served.median_ms
        if sizes[large].page.is_programme and large != small:
            checks.append(
                (
                    f"{label}: {large} sites within {MAX_GROWTH:.0f}x of {small} sites "
                    f"({ratio(*times)})",
                    times[0] <= MAX_GROWTH * times[1],
                )
            )
        base = trivial[large].served.median_ms
        checks.append(
            (
                f"{label}: {large} sites within {MAX_TRIVIAL_RATIO:.0f}x the trivial page "
                f"({ratio(times[0], base)})",
                times[0] <= MAX_TRIVIAL_RATIO * base,
            )
        )
    return checks


def print_targets(checks: list[tuple[str, bool]]) -> None:
    print(f"\nTargets (as served; query counts taken after a write): {len(checks)}")
    for text, met in checks:
        print(f"  {'PASS' if met else 'FAIL'}  {text}")
    print(f"{sum(met for _, met in checks)} of {len(checks)} targets met.")


def print_metrics(sites: int, medians: list[tuple[str, float]]) -> None:
    total = sum(ms for _, ms in medians)
    print(
        f"\nMetrics behind the programme dashboard at {sites} sites, recomputed after a write "
        f"(median of {METRIC_PASSES}; all {len(medians)} sum to {total:.0f} ms):"
    )
    for name, ms in medians[:METRICS_SHOWN]:
        print(f"  {name:<32} {ms:>8.1f} ms  {ms / total:>4.0%}")


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# --- Running ----------------------------------------------------------------------------------


def clean_up(programmes: list[Programme]) -> None:
    for programme in programmes:
        User.objects.filter(username=bench_username(programme)).delete()
        programme_delete(slug=programme.slug)
    print("Removed the synthetic programmes and their bench users.")


def main() -> None:
    args = parse_args()
    require_postgres()
    ensure_database()
    configure_for_timing()
    call_command("migrate", verbosity=0)
    sizes = sorted(set(args.sites))
    programmes = [prepare_programme(sites, reuse=args.reuse) for sites in sizes]
    analyze()
    print(f"Measuring, {args.repeat} requests after {WARMUPS} warm-ups; {load()}")
    try:
        results = [r for p in programmes for r in measure_programme(p, repeat=args.repeat)]
        medians = slowest_metrics(programmes[-1])
        print(f"\nMedian server time ({load()}); cold = after a write, every figure recomputed\n")
        print_table(results)
        print_targets(check_targets(results))
        print_metrics(sizes[-1], medians)
    finally:
        if not args.keep:
            clean_up(programmes)


if __name__ == "__main__":
    main()
