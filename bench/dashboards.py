"""Benchmark: server time and query count of the dashboards at 4, 32 and 320 sites.

For each size it generates the synthetic programme ``synthetic-<N>-1``
(``programme_data.synthetic``), runs ANALYZE (stale planner statistics once made a dashboard
query 15x slower), signs in a programme manager of that programme, and requests through Django's
test client every section of the programme, site and group dashboards, next to a trivial
signed-in page (the password change form). Each page is timed over ``--repeat`` rounds after two
warm-ups; a round requests the page at every size, each followed by the trivial page, so that the
ratios compare requests made under the same load (the machine may be shared). Each page is timed
in two ways:

- as served: repeated requests, so the figures come from the cache after the first one;
- after a write: before each request (outside the timed part) the programme's records version
  is moved on with ``car_programme.records_version.touch``, so every figure is computed again.

The targets (issue 14) are judged on the medians of one run, the ratios taken within it:

- every page's query count, taken after a write when every figure runs its queries, the same
  at every size and at most 25;
- cold, every section at 32 sites within 2x of the same section at 4 sites and within 10x the
  trivial page;
- at 320 sites, cold, within 3x of 4 sites; served from the cache, within 3x the trivial page.

Then the panels of the programme dashboard at the largest size, and the ``reports.metrics``
functions they call with the page's ``MetricScope``, are timed one by one, recomputed as after
a write, to show what dominates.

Run it from the project root on PostgreSQL (it refuses SQLite; the database is created if
missing and migrated):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/car_bench \\
        .venv/bin/python bench/dashboards.py [--sites 4 32 320] [--repeat 15] [--keep] [--reuse]

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
from car_programme import records_version  # noqa: E402
from programme_data.synthetic import generate_programme, programme_delete, programme_slug  # noqa: E402
from reports import dashboards, freshness, metrics  # noqa: E402
from sites.models import Programme  # noqa: E402

SEED = 1
WARMUPS = 2
QUERY_BUDGET = 25
# Per size: how much slower than at the smallest size a section may be cold, and how much
# slower than the trivial page cold and served (sizes not named have no such target).
COLD_GROWTH = {32: 2.0, 320: 3.0}
COLD_TO_TRIVIAL = {32: 10.0}
SERVED_TO_TRIVIAL = {320: 3.0}
METRIC_PASSES = 3
SHOWN = 8


@dataclass(frozen=True)
class Subject:
    """One synthetic programme, its signed-in programme manager and the pages measured."""

    programme: Programme
    sites: int
    client: Client
    urls: dict[str, str]
    trivial_url: str


@dataclass(frozen=True)
class Timing:
    median_ms: float
    queries: int
    # The trivial page's median over the requests made in turn with this page's.
    trivial_ms: float

    @property
    def to_trivial(self) -> float:
        return self.median_ms / self.trivial_ms


@dataclass(frozen=True)
class Result:
    page: str
    sites: int
    served: Timing
    cold: Timing


# --- Setting up -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, nargs="+", default=[4, 32, 320])
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


def dashboard_urls(programme: Programme) -> dict[str, str]:
    """Every section of the programme dashboard, of its first site's and its first group's."""
    site = programme.sites.order_by("pk").first()
    group = programme.groups.order_by("pk").first()
    levels = [
        ("programme", reverse("reports:programme_dashboard", args=[programme.slug])),
        ("site", reverse("reports:site_dashboard", args=[programme.slug, site.slug])),
        ("group", reverse("reports:group_dashboard", args=[programme.slug, group.pk])),
    ]
    return {
        f"{level} {section}": f"{url}?section={section}"
        for level, url in levels
        for section in dashboards.SECTION_SLUGS
    }


def subject_of(programme: Programme) -> Subject:
    return Subject(
        programme=programme,
        sites=programme.sites.count(),
        client=signed_in_manager(programme),
        urls=dashboard_urls(programme),
        trivial_url=reverse("accounts:password_change"),
    )


# --- Measuring --------------------------------------------------------------------------------


def fetch(client: Client, url: str) -> float:
    """Seconds taken to answer ``url``."""
    started = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}.")
    return elapsed


def count_queries(client: Client, url: str) -> int:
    # Each request empties the query log as it starts: the count must start from empty too.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    return len(queries)


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def measure_page(page: str, subjects: list[Subject], *, repeat: int, cold: bool) -> list[Timing]:
    """The page's timing at each size, as served or (``cold``) just after a write."""

    def prepare(subject: Subject) -> None:
        if cold:
            records_version.touch(subject.programme.pk)

    for subject in subjects:
        for _ in range(WARMUPS):
            prepare(subject)
            fetch(subject.client, subject.urls[page])
    counts = []
    for subject in subjects:
        prepare(subject)
        counts.append(count_queries(subject.client, subject.urls[page]))
    page_times, trivial_times = defaultdict(list), defaultdict(list)
    for _ in range(repeat):
        for subject in subjects:
            prepare(subject)
            page_times[subject.sites].append(fetch(subject.client, subject.urls[page]))
            trivial_times[subject.sites].append(fetch(subject.client, subject.trivial_url))
    return [
        Timing(median_ms(page_times[s.sites]), count, median_ms(trivial_times[s.sites]))
        for s, count in zip(subjects, counts, strict=True)
    ]


def measure_all(subjects: list[Subject], *, repeat: int) -> list[Result]:
    results = []
    for page in subjects[0].urls:
        served = measure_page(page, subjects, repeat=repeat, cold=False)
        cold = measure_page(page, subjects, repeat=repeat, cold=True)
        for subject, warm, fresh in zip(subjects, served, cold, strict=True):
            results.append(Result(page, subject.sites, warm, fresh))
        print(f"  measured {page}", flush=True)
    return results


def trivial_timing(subject: Subject, *, repeat: int) -> Timing:
    for _ in range(WARMUPS):
        fetch(subject.client, subject.trivial_url)
    queries = count_queries(subject.client, subject.trivial_url)
    ms = median_ms([fetch(subject.client, subject.trivial_url) for _ in range(repeat)])
    return Timing(ms, queries, ms)


@contextlib.contextmanager
def timing_calls(module, names, records: dict[str, list[float]], key=lambda name, *a: name):
    """Time the calls to ``module``'s functions ``names`` made meanwhile, under
    ``key(name, *args)`` (outermost calls only: one calling another counts once)."""
    originals = {name: getattr(module, name) for name in names}
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
                records[key(name, *args)].append((time.perf_counter() - started) * 1000)
                depth -= 1

        return wrapper

    for name, func in originals.items():
        setattr(module, name, timed(name, func))
    try:
        yield
    finally:
        for name, func in originals.items():
            setattr(module, name, func)


def public_functions(module) -> list[str]:
    return [
        name
        for name, func in vars(module).items()
        # A package's figures are defined in its modules and read from the package.
        if inspect.isfunction(func)
        and func.__module__.startswith(module.__name__)
        and name[0] != "_"
    ]


def slowest_parts(subject: Subject) -> tuple[dict[str, float], dict[str, float]]:
    """Median time of each panel of the programme dashboard (its metrics and its charts) and of
    each metric, every figure recomputed as after a write."""
    panels: dict[str, list[float]] = defaultdict(list)
    figures: dict[str, list[float]] = defaultdict(list)
    pages = [url for page, url in subject.urls.items() if page.startswith("programme")]
    # Each panel is computed through ``freshness.cached``, named after its builder.
    with (
        timing_calls(freshness, ["cached"], panels, key=lambda _cached, _scope, panel, *_: panel),
        timing_calls(metrics, public_functions(metrics), figures),
    ):
        for _ in range(METRIC_PASSES):
            for url in pages:
                records_version.touch(subject.programme.pk)
                fetch(subject.client, url)
    return (
        {name.split(":")[-1]: statistics.median(t) for name, t in panels.items()},
        {name: statistics.median(t) for name, t in figures.items()},
    )


# --- Reporting --------------------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "-"


def print_table(results: list[Result], trivial: list[Timing], sizes: list[int]) -> None:
    first = {r.page: r for r in results if r.sites == sizes[0]}
    print("x trivial: to the trivial page's median over the requests made in turn with the page's;")
    print(f"growth: to the same page at {sizes[0]} sites, timed in the same rounds.\n")
    header = (
        f"{'page':<24} {'sites':>5} | {'served ms':>9} {'queries':>7} {'x trivial':>9} "
        f"{'growth':>6} | {'cold ms':>8} {'queries':>7} {'x trivial':>9} {'growth':>6}"
    )
    print(header)
    print("-" * len(header))
    for sites, timing in zip(sizes, trivial, strict=True):
        print(f"{'password change':<24} {sites:>5} | {timing.median_ms:>9.1f} {timing.queries:>7}")
    for r in results:
        base = first[r.page]
        grown = r.sites != base.sites
        print(
            f"{r.page:<24} {r.sites:>5} | {r.served.median_ms:>9.1f} {r.served.queries:>7} "
            f"{r.served.to_trivial:>8.1f}x "
            f"{ratio(r.served.median_ms, base.served.median_ms) if grown else '':>6} | "
            f"{r.cold.median_ms:>8.1f} {r.cold.queries:>7} {r.cold.to_trivial:>8.1f}x "
            f"{ratio(r.cold.median_ms, base.cold.median_ms) if grown else '':>6}"
        )


def check_targets(results: list[Result], sizes: list[int]) -> list[tuple[str, bool]]:
    """Each target with whether it is met."""
    by_page = defaultdict(dict)
    for r in results:
        by_page[r.page][r.sites] = r
    small = sizes[0]
    checks = []
    for page, at in by_page.items():
        counts = sorted({r.cold.queries for r in at.values()})
        checks.append(
            (
                f"{page}: queries {counts} the same at every size and <= {QUERY_BUDGET}",
                len(counts) == 1 and counts[0] <= QUERY_BUDGET,
            )
        )
        for size in sizes[1:]:
            checks += _size_checks(page, at[size], at[small])
    return checks


def _size_checks(page: str, r: Result, base: Result) -> list[tuple[str, bool]]:
    checks = []
    if (limit := COLD_GROWTH.get(r.sites)) is not None:
        times = r.cold.median_ms, base.cold.median_ms
        checks.append(
            (
                f"{page}: cold, {r.sites} sites within {limit:.0f}x of {base.sites} "
                f"({ratio(*times)})",
                times[0] <= limit * times[1],
            )
        )
    for state, timing, limits in (
        ("cold", r.cold, COLD_TO_TRIVIAL),
        ("served", r.served, SERVED_TO_TRIVIAL),
    ):
        if (limit := limits.get(r.sites)) is not None:
            checks.append(
                (
                    f"{page}: {state}, {r.sites} sites within {limit:.0f}x the trivial page "
                    f"({timing.to_trivial:.1f}x)",
                    timing.to_trivial <= limit,
                )
            )
    return checks


def print_targets(checks: list[tuple[str, bool]]) -> None:
    print("\nTargets (query counts taken after a write):")
    for text, met in checks:
        print(f"  {'PASS' if met else 'FAIL'}  {text}")
    print(f"{sum(met for _, met in checks)} of {len(checks)} targets met.")


def print_slowest(title: str, medians: dict[str, float]) -> None:
    total = sum(medians.values())
    print(f"\n{title} (all {len(medians)} sum to {total:.0f} ms):")
    for name, ms in sorted(medians.items(), key=lambda item: -item[1])[:SHOWN]:
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
    try:
        subjects = [subject_of(programme) for programme in programmes]
        print(f"Measuring, {args.repeat} rounds after {WARMUPS} warm-ups; {load()}")
        results = measure_all(subjects, repeat=args.repeat)
        trivial = [trivial_timing(subject, repeat=args.repeat) for subject in subjects]
        panels, figures = slowest_parts(subjects[-1])
        print(f"\nMedian server time ({load()}); cold: after a write, every figure recomputed\n")
        print_table(results, trivial, sizes)
        print_targets(check_targets(results, sizes))
        where = f"the programme dashboard at {sizes[-1]} sites, recomputed after a write"
        print_slowest(f"Panels of {where}, median of {METRIC_PASSES}", panels)
        print_slowest(f"Metrics behind {where}, median of {METRIC_PASSES}", figures)
    finally:
        if not args.keep:
            clean_up(programmes)


if __name__ == "__main__":
    main()
