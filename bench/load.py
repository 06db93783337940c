"""Benchmark: the whole stack under concurrent use, as people use it through the day.

It starts the stack as the README's production section runs it, on this machine: gunicorn with
the Dockerfile's settings (``--workers 3``, sync workers, access log to a file) and
``DEBUG=False``, a Celery worker on the ``reports`` queue (``make worker``'s settings, one
process), PostgreSQL (``DATABASE_URL``) and a ``redis-server`` of its own on a free port as
broker and shared cache (``CACHE_URL``; the machine's Redis is shared, and its databases are not
this script's to fill or empty). The worker runs at a lower CPU priority (``nice``): on a
machine of its own it would take nothing from the web processes, and on this one it gives way
to them the same way.

On the synthetic programme ``synthetic-32-1`` (``programme_data.synthetic``; then ANALYZE, a
reused one too), simulated users sign in through the real sign-in form and, with no pause
between requests, do what their role does (every form is fetched first, its CSRF token and
choices read from it):

- researchers, each of one site: the group list, a group's page, the activity list, log a
  meeting of one of their site's groups with its attendance (the log form, then its post) and a
  week's tally of contacts (the tally form, then its post);
- strategy leads, each of one site: the sections of their site's dashboard, one after another,
  a group's page and the group list;
- the programme manager: the programme dashboard, the group list, a group learning report
  requested at most every ``REPORT_EVERY`` seconds (its form, then its post) and its status page.

Everyone also asks for the trivial page (the password change form) in turn with the rest.
At 1 user, that one user plays the three roles in turn; at more, one user is the manager and
the others alternate researcher and strategy lead. For each number of users (``--users``), it
runs the trivial page alone for ``--trivial-seconds``, then the mix above for ``--seconds``;
at the largest number, the mix once more without report requests, to see whether they slow
the pages. It prints, per kind of page, requests, throughput, p50/p95/p99 and errors, and each
p95 against the trivial page's p95 in the same mix and alone at that number of users.

The targets, at the largest number of users: no error anywhere; no lost write (every meeting
with its attendance, tally and report request a user saw accepted is found in the database
afterwards, exactly as posted); the p95 of the list and detail pages at most ``MAX_PAGE_RATIO``
times, and of the dashboards at most ``MAX_DASHBOARD_RATIO`` times, the trivial page's p95 in
the same mix; report requests answered like a form post (p95 within ``MAX_PAGE_RATIO`` times the
trivial page's) and the pages' p95 with report requests at most ``MAX_REPORT_SLOWDOWN`` times
their p95 without.

Usage, from the project root on PostgreSQL (it refuses SQLite; the database is created if
missing and migrated; about four minutes with the defaults):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/car_load \\
        .venv/bin/python bench/load.py [--users 1 5 20] [--seconds 30] [--trivial-seconds 10] \\
        [--keep] [--reuse]

The synthetic programme, the load users and their writes are deleted at the end unless
``--keep``; ``--reuse`` loads the programme kept by an earlier ``--keep`` run.
"""

import argparse
import atexit
import datetime as dt
import itertools
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "car_programme.settings")
django.setup()

import redis  # noqa: E402
import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.enums import RoleKind  # noqa: E402
from accounts.models import Role, User  # noqa: E402
from inquiries.enums import BACKSTAGE_KINDS, ActivityKind  # noqa: E402
from inquiries.models import Activity, InquiryGroup  # noqa: E402
from programme_data.synthetic import generate_programme, programme_delete, programme_slug  # noqa: E402
from reports.dashboards import SECTION_SLUGS  # noqa: E402
from reports.enums import ReportKind, ReportStatus  # noqa: E402
from reports.kinds import KINDS  # noqa: E402
from reports.models import ReportRequest  # noqa: E402
from sites.models import CaseSite, Programme  # noqa: E402

sys.path.insert(0, str(BASE_DIR / "bench"))
from dashboards import ensure_database, require_postgres  # noqa: E402

SITES = 32
SEED = 1
USERNAME_PREFIX = "load-"
# Known to the bench only: the users it signs in exist for the run alone.
PASSWORD = secrets.token_urlsafe(16)
GUNICORN_WORKERS = 3
REPORT_EVERY = 15.0
REPORT_KIND = ReportKind.GROUP_LEARNING
REPORT_WAIT = 60.0
TIMEOUT = 60.0
RUN = secrets.token_hex(4)
TITLES = itertools.count(1)
MAX_PAGE_RATIO = 3.0
MAX_DASHBOARD_RATIO = 5.0
MAX_REPORT_SLOWDOWN = 1.5
LIST_KINDS = ("group list", "activity list")
DETAIL_KINDS = ("group detail",)
DASHBOARD_KINDS = ("site dashboard", "programme dashboard")
TRIVIAL = "trivial"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ATTENDEE = re.compile(r'<input[^>]*name="attendees"[^>]*value="(\d+)"')


# --- The simulated users ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    seconds: float
    error: str | None


@dataclass
class Writes:
    """What the simulated users saw accepted, to look for in the database afterwards."""

    meetings: dict[str, int] = field(default_factory=dict)  # title -> attendees
    tallies: dict[str, int] = field(default_factory=dict)  # title -> count
    reports: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Persona:
    """One signed-in person of one role, whose ``actions`` are played in turn."""

    def __init__(self, base: str, username: str, writes: Writes, rng: random.Random):
        self.base, self.username, self.writes, self.rng = base, username, writes, rng
        self.session = requests.Session()
        self.samples: list[Sample] = []

    def sign_in(self) -> None:
        url = self.base + reverse("accounts:login")
        page = self.session.get(url, timeout=TIMEOUT)
        answer = self.session.post(
            url,
            data={"username": self.username, "password": PASSWORD, **_token(page.text)},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        if answer.status_code != 302:
            sys.exit(f"{self.username} could not sign in: {answer.status_code}.")

    def request(self, kind: str, path: str, data=None, expect: int = 200):
        """The response to ``path`` (a post when ``data``), timed under ``kind``; None when
        it failed, counted as an error."""
        started = time.perf_counter()
        error, response = None, None
        try:
            response = self.session.request(
                "POST" if data is not None else "GET",
                self.base + path,
                data=data,
                allow_redirects=False,
                timeout=TIMEOUT,
            )
            if response.status_code != expect:
                error = f"{kind}: {response.status_code} for {path}"
        except requests.RequestException as exception:
            error = f"{kind}: {type(exception).__name__} for {path}"
        self.samples.append(Sample(kind, time.perf_counter() - started, error))
        return None if error else response

    def trivial(self) -> None:
        self.request(TRIVIAL, reverse("accounts:password_change"))

    def group_list(self) -> None:
        self.request("group list", reverse("inquiries:group_list"))

    def actions(self) -> list:
        raise NotImplementedError

    def title(self) -> str:
        # Unique in the run and across runs, so a kept programme's earlier writes never match.
        return f"{self.username} {RUN} #{next(TITLES)}"


class Researcher(Persona):
    def __init__(self, *args, site: CaseSite, groups: list[tuple[int, dt.date]], **kwargs):
        super().__init__(*args, **kwargs)
        self.site, self.groups = site, groups

    def actions(self) -> list:
        return [
            self.group_list,
            self.group_detail,
            self.log_meeting,
            self.trivial,
            self.activity_list,
            self.log_tally,
        ]

    def group_detail(self) -> None:
        pk, _ = self.rng.choice(self.groups)
        self.request("group detail", reverse("inquiries:group_detail", args=[pk]))

    def activity_list(self) -> None:
        self.request("activity list", reverse("inquiries:activity_list"))

    def log_meeting(self) -> None:
        pk, on = self.rng.choice(self.groups)
        path = reverse("inquiries:activity_create", args=[pk])
        form = self.request("log form", f"{path}?date={on.isoformat()}")
        if form is None:
            return
        offered = ATTENDEE.findall(form.text)
        attendees = self.rng.sample(offered, min(len(offered), self.rng.randint(1, 6)))
        title = self.title()
        data = {
            **_token(form.text),
            "date": on.isoformat(),
            "kind": ActivityKind.GROUP_MEETING,
            "title": title,
            "attendees": attendees,
            "notes": "Logged by bench/load.py.",
        }
        if self.request("meeting post", path, data, expect=302) is not None:
            with self.writes.lock:
                self.writes.meetings[title] = len(attendees)

    def log_tally(self) -> None:
        path = reverse("inquiries:tally_create")
        form = self.request("tally form", path)
        if form is None:
            return
        title, count = self.title(), self.rng.randint(1, 30)
        data = {
            **_token(form.text),
            "site": self.site.pk,
            "kind": self.rng.choice(BACKSTAGE_KINDS),
            "count": count,
            "week_start": dt.date(2017, 3, 6).isoformat(),
            "title": title,
        }
        if self.request("tally post", path, data, expect=302) is not None:
            with self.writes.lock:
                self.writes.tallies[title] = count


class StrategyLead(Persona):
    def __init__(self, *args, dashboard: str, groups: list[tuple[int, dt.date]], **kwargs):
        super().__init__(*args, **kwargs)
        self.dashboard, self.groups = dashboard, groups

    def actions(self) -> list:
        sections = [self.section(slug) for slug in SECTION_SLUGS]
        return [*sections, self.trivial, self.group_detail, self.group_list]

    def section(self, slug: str):
        return lambda: self.request("site dashboard", f"{self.dashboard}?section={slug}")

    def group_detail(self) -> None:
        pk, _ = self.rng.choice(self.groups)
        self.request("group detail", reverse("inquiries:group_detail", args=[pk]))


class Manager(Persona):
    def __init__(self, *args, dashboard: str, groups: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.dashboard, self.groups = dashboard, groups
        self.requests_reports = True
        self.last_requested = -REPORT_EVERY
        self.report: int | None = None
        self.sections = itertools.cycle(SECTION_SLUGS)

    def actions(self) -> list:
        return [self.programme_dashboard, self.group_list, self.request_report, self.trivial]

    def programme_dashboard(self) -> None:
        self.request("programme dashboard", f"{self.dashboard}?section={next(self.sections)}")

    def request_report(self) -> None:
        if self.report is not None:
            self.request("report status", reverse("reports:report_detail", args=[self.report]))
        if not self.requests_reports or time.monotonic() - self.last_requested < REPORT_EVERY:
            return
        self.last_requested = time.monotonic()
        path = reverse("reports:report_request", args=[REPORT_KIND, self.rng.choice(self.groups)])
        form = self.request("report form", path)
        if form is None:
            return
        sections = [slug for slug, _label in KINDS[REPORT_KIND].sections]
        data = {**_token(form.text), "anonymise": "on", "sections": sections}
        answer = self.request("report post", path, data, expect=302)
        if answer is not None:
            self.report = int(answer.headers["Location"].rstrip("/").split("/")[-1])
            with self.writes.lock:
                self.writes.reports.add(self.report)


def _token(html: str) -> dict:
    found = CSRF.search(html)
    return {"csrfmiddlewaretoken": found.group(1)} if found else {}


# --- Setting up the data ----------------------------------------------------------------------


@dataclass
class Cast:
    """The load users of the programme, by role, and what their pages name."""

    programme: Programme
    researchers: list[dict]
    leads: list[dict]
    manager: dict


def prepare_programme(*, reuse: bool) -> Programme:
    slug = programme_slug(sites=SITES, seed=SEED)
    existing = Programme.objects.filter(slug=slug).first() if reuse else None
    if existing is not None:
        print(f"Reusing {slug}.")
        return existing
    started = time.perf_counter()
    programme = generate_programme(sites=SITES, seed=SEED)
    print(f"Generated {slug} in {time.perf_counter() - started:.0f} s.")
    return programme


def analyze() -> None:
    # Stale planner statistics make the lists' queries choose other plans than production's.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def load_user(username: str, programme: Programme, role: str, site=None) -> str:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"full_name": username.replace("-", " ")}
    )
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    Role.objects.get_or_create(user=user, programme=programme, site=site, role=role)
    return username


def groups_of(site: CaseSite) -> list[tuple[int, dt.date]]:
    """The site's groups, each with a day inside its span on which to log a meeting."""
    found = []
    for pk, start, end in InquiryGroup.objects.filter(sites=site).values_list(
        "pk", "start_date", "end_date"
    ):
        first = start or dt.date(2015, 6, 1)
        last = end or dt.date(2017, 6, 1)
        found.append((pk, first + (last - first) / 2 if last > first else first))
    return found


def prepare_cast(programme: Programme, *, sites: int) -> Cast:
    chosen = list(programme.sites.order_by("pk")[:sites])
    researchers, leads = [], []
    for index, site in enumerate(chosen, start=1):
        groups = groups_of(site)
        dashboard = reverse("reports:site_dashboard", args=[programme.slug, site.slug])
        name = f"{USERNAME_PREFIX}researcher-{index}"
        researchers.append(
            {"username": load_user(name, programme, RoleKind.RESEARCHER, site), "site": site}
            | {"groups": groups}
        )
        name = f"{USERNAME_PREFIX}lead-{index}"
        leads.append(
            {"username": load_user(name, programme, RoleKind.STRATEGY_LEAD, site)}
            | {"dashboard": dashboard, "groups": groups}
        )
    manager = {
        "username": load_user(f"{USERNAME_PREFIX}manager", programme, RoleKind.PROGRAMME_MANAGER),
        "dashboard": reverse("reports:programme_dashboard", args=[programme.slug]),
        "groups": list(programme.groups.values_list("pk", flat=True)),
    }
    return Cast(programme, researchers, leads, manager)


# --- Starting the stack -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    atexit.register(stop, process)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until(ready, what: str, log: Path, process: subprocess.Popen, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"{what} did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def own_redis(folder: Path) -> str:
    port = free_port()
    log = folder / "redis.log"
    server = start(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no"),
        ],
        dict(os.environ),
        log,
    )
    url = f"redis://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return redis.Redis.from_url(url).ping()
        except redis.ConnectionError:
            return False

    wait_until(answers, "redis-server", log, server)
    return url


def stack_environment(folder: Path, redis_url: str) -> dict:
    """The production settings of the README, on the loopback address over plain HTTP."""
    return {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "CELERY_BROKER_URL": f"{redis_url}/0",
        "CACHE_URL": f"{redis_url}/1",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }


def start_stack(folder: Path) -> str:
    """Start redis, the worker and gunicorn; the base URL gunicorn answers on."""
    env = stack_environment(folder, own_redis(folder))
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    worker_log = folder / "worker.log"
    worker = start(
        [
            *("nice", "-n", "10", str(bin_dir / "celery"), "-A", "car_programme", "worker"),
            *("--queues=reports", "--concurrency=1", "--pool=prefork", "--prefetch-multiplier=1"),
            *("--max-tasks-per-child=20", "--max-memory-per-child=300000", "-l", "info"),
            *("-n", f"bench-load-{os.getpid()}@%h", "--without-gossip", "--without-mingle"),
        ],
        env,
        worker_log,
    )
    port = free_port()
    web_log = folder / "gunicorn.log"
    web = start(
        [
            *(str(bin_dir / "gunicorn"), "car_programme.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(GUNICORN_WORKERS)),
            *("--access-logfile", str(folder / "access.log")),
        ],
        env,
        web_log,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until(
        lambda: " ready." in worker_log.read_text(errors="replace"),
        "The worker",
        worker_log,
        worker,
    )
    wait_until(lambda: _answers(base + "/healthz"), "gunicorn", web_log, web)
    return base


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


# --- Running the load -------------------------------------------------------------------------


def personas(cast: Cast, base: str, writes: Writes, users: int) -> list[list[Persona]]:
    """What each simulated user plays: all three roles in turn when alone; else one manager,
    then researchers and strategy leads in alternation."""
    rng = random.Random(users)

    def researcher(i):
        return Researcher(base, writes=writes, rng=rng, **cast.researchers[i])

    def lead(i):
        return StrategyLead(base, writes=writes, rng=rng, **cast.leads[i])

    manager = Manager(base, writes=writes, rng=rng, **cast.manager)
    if users == 1:
        return [[researcher(0), lead(0), manager]]
    others = [researcher(i // 2) if i % 2 == 0 else lead(i // 2) for i in range(users - 1)]
    return [[manager], *([each] for each in others)]


def sign_in_all(played: list[list[Persona]], *, warm: bool) -> None:
    for persona in itertools.chain.from_iterable(played):
        persona.sign_in()
        if warm:
            # Templates compiled and connections opened before anything is timed.
            for action in persona.actions():
                action()
        persona.samples.clear()


def play(roles: list[Persona], deadline: float, trivial_only: bool) -> None:
    turns = [p.trivial for p in roles] if trivial_only else [a for p in roles for a in p.actions()]
    for action in itertools.cycle(turns):
        if time.monotonic() >= deadline:
            return
        action()


def run_phase(played: list[list[Persona]], seconds: float, *, trivial_only=False) -> tuple:
    """Every simulated user at once for ``seconds``: the samples and the seconds it took."""
    for persona in itertools.chain.from_iterable(played):
        persona.samples.clear()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=play, args=(roles, deadline, trivial_only)) for roles in played
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    samples = [s for persona in itertools.chain.from_iterable(played) for s in persona.samples]
    return samples, elapsed


# --- Reporting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    requests: int
    per_second: float
    p50: float
    p95: float
    p99: float
    errors: int


def figures(samples: list[Sample], elapsed: float) -> Figures:
    times = sorted(s.seconds * 1000 for s in samples)
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return Figures(
        requests=len(times),
        per_second=len(times) / elapsed,
        p50=cuts[49],
        p95=cuts[94],
        p99=cuts[98],
        errors=sum(s.error is not None for s in samples),
    )


def by_kind(samples: list[Sample], elapsed: float) -> dict[str, Figures]:
    grouped = defaultdict(list)
    for sample in samples:
        grouped[sample.kind].append(sample)
    return {kind: figures(rows, elapsed) for kind, rows in sorted(grouped.items())}


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "-"


def print_level(users: int, mix: dict[str, Figures], alone: Figures | None, elapsed: float) -> None:
    trivial = mix.get(TRIVIAL)
    total = sum(f.requests for f in mix.values())
    print(f"\n{users} user(s): {total / elapsed:.1f} requests/s in the mix; {load()}")
    header = (
        f"  {'page':<20} {'requests':>8} {'per s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} | {'p95 x trivial':>13} {'x alone':>7}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    rows = [*mix.items(), *([("trivial alone", alone)] if alone else [])]
    for kind, f in rows:
        against = f"{ratio(f.p95, trivial.p95):>13} {ratio(f.p95, alone.p95) if alone else '':>7}"
        print(
            f"  {kind:<20} {f.requests:>8} {f.per_second:>6.1f} {f.p50:>7.0f} {f.p95:>7.0f} "
            f"{f.p99:>7.0f} {f.errors:>6} | {against}"
        )


def print_errors(samples: list[Sample]) -> None:
    errors = Counter(s.error for s in samples if s.error)
    for error, count in errors.most_common(5):
        print(f"    {count} x {error}")


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def pages_p95(samples: list[Sample], elapsed: float) -> float:
    """The p95 of every page read (no form post, no trivial page) in one mix."""
    kinds = {*LIST_KINDS, *DETAIL_KINDS, *DASHBOARD_KINDS}
    return figures([s for s in samples if s.kind in kinds], elapsed).p95


# --- Checking the writes ----------------------------------------------------------------------


def lost_writes(programme: Programme, writes: Writes) -> list[str]:
    """Each write a user saw accepted that the database does not hold as it was posted."""
    prefix = Activity.objects.filter(programme=programme, title__startswith=USERNAME_PREFIX)
    meetings = dict(
        prefix.filter(group__isnull=False, kind=ActivityKind.GROUP_MEETING)
        .annotate(attending=Count("attendance"))
        .values_list("title", "attending")
    )
    tallies = dict(prefix.filter(group__isnull=True).values_list("title", "count"))
    reports = set(ReportRequest.objects.filter(pk__in=writes.reports).values_list("pk", flat=True))
    lost = [f"meeting {t!r}" for t, n in writes.meetings.items() if meetings.get(t) != n]
    lost += [f"tally {t!r}" for t, n in writes.tallies.items() if tallies.get(t) != n]
    lost += [f"report request {pk}" for pk in writes.reports - reports]
    return lost


def report_statuses(writes: Writes) -> Counter:
    """The statuses of the requested reports, once the worker has had ``REPORT_WAIT`` seconds
    to finish them."""
    deadline = time.monotonic() + REPORT_WAIT
    rows = ReportRequest.objects.filter(pk__in=writes.reports)
    pending = (ReportStatus.QUEUED, ReportStatus.RENDERING)
    while rows.filter(status__in=pending).exists() and time.monotonic() < deadline:
        time.sleep(1)
    return Counter(rows.values_list("status", flat=True))


# --- Targets ----------------------------------------------------------------------------------


def check_targets(
    users: int,
    mix: dict[str, Figures],
    errors: int,
    lost: list[str],
    slowdown: tuple[float, float],
) -> list[tuple[str, bool]]:
    trivial = mix[TRIVIAL].p95
    checks = [
        (f"no errors in any phase ({errors})", errors == 0),
        (f"no lost write ({len(lost)} lost)", not lost),
    ]
    limits = [
        *((kind, MAX_PAGE_RATIO) for kind in (*LIST_KINDS, *DETAIL_KINDS, "report post")),
        *((kind, MAX_DASHBOARD_RATIO) for kind in DASHBOARD_KINDS),
    ]
    for kind, limit in limits:
        if kind in mix:
            p95 = mix[kind].p95
            checks.append(
                (
                    f"{users} users: {kind} p95 within {limit:.0f}x the trivial page's "
                    f"({p95:.0f} ms, {ratio(p95, trivial)})",
                    p95 <= limit * trivial,
                )
            )
    with_reports, without = slowdown
    checks.append(
        (
            f"{users} users: pages' p95 with report requests within {MAX_REPORT_SLOWDOWN}x "
            f"without ({with_reports:.0f} ms against {without:.0f} ms, "
            f"{ratio(with_reports, without)})",
            with_reports <= MAX_REPORT_SLOWDOWN * without,
        )
    )
    return checks


def print_targets(checks: list[tuple[str, bool]]) -> None:
    print("\nTargets (p95 against the trivial page's p95 in the same mix):")
    for text, met in checks:
        print(f"  {'PASS' if met else 'FAIL'}  {text}")
    print(f"{sum(met for _, met in checks)} of {len(checks)} targets met.")


# --- Running ----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--seconds", type=float, default=30, help="length of each mix")
    parser.add_argument(
        "--trivial-seconds", type=float, default=10, help="length of each trivial-only run"
    )
    parser.add_argument("--keep", action="store_true", help="keep the programme and the writes")
    parser.add_argument("--reuse", action="store_true", help="load a programme kept earlier")
    return parser.parse_args()


def measure(played, args, users) -> tuple[dict[str, Figures], list[Sample], float]:
    trivial_samples, trivial_elapsed = run_phase(played, args.trivial_seconds, trivial_only=True)
    alone = figures(trivial_samples, trivial_elapsed)
    samples, elapsed = run_phase(played, args.seconds)
    mix = by_kind(samples, elapsed)
    print_level(users, mix, alone, elapsed)
    print_errors(trivial_samples + samples)
    return mix, trivial_samples + samples, elapsed


def run(cast: Cast, base: str, args) -> None:
    writes = Writes()
    levels = sorted(set(args.users))
    errors = 0
    for users in levels:
        played = personas(cast, base, writes, users)
        sign_in_all(played, warm=users == levels[0])
        mix, samples, elapsed = measure(played, args, users)
        errors += sum(s.error is not None for s in samples)
    for persona in itertools.chain.from_iterable(played):
        if isinstance(persona, Manager):
            persona.requests_reports = False
    quiet, quiet_elapsed = run_phase(played, args.seconds)
    errors += sum(s.error is not None for s in quiet)
    print("\nAgain, the manager requesting no report:", end="")
    print_level(users, by_kind(quiet, quiet_elapsed), None, quiet_elapsed)
    print_errors(quiet)
    slowdown = (pages_p95(samples, elapsed), pages_p95(quiet, quiet_elapsed))
    lost = lost_writes(cast.programme, writes)
    print(
        f"\nWrites accepted: {len(writes.meetings)} meetings "
        f"({sum(writes.meetings.values())} attendances), {len(writes.tallies)} tallies, "
        f"{len(writes.reports)} report requests; lost: {len(lost)} {lost[:5]}"
    )
    print(f"Report requests after up to {REPORT_WAIT:.0f} s: {dict(report_statuses(writes))}")
    print_targets(check_targets(users, mix, errors, lost, slowdown))


def clean_up(programme: Programme) -> None:
    # Before the groups they name, which programme_delete removes without a cascade.
    ReportRequest.objects.filter(programme=programme).delete()
    programme_delete(slug=programme.slug)
    User.objects.filter(username__startswith=USERNAME_PREFIX).delete()
    print("Removed the synthetic programme, its load users and their writes.")


def main() -> None:
    args = parse_args()
    # Stopped with a signal, the script still stops the stack it started (atexit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))
    require_postgres()
    ensure_database()
    call_command("migrate", verbosity=0)
    programme = prepare_programme(reuse=args.reuse)
    analyze()
    cast = prepare_cast(programme, sites=max(max(args.users) // 2, 1))
    try:
        with tempfile.TemporaryDirectory(prefix="car-load-") as folder:
            base = start_stack(Path(folder))
            print(f"Stack up at {base}: gunicorn x{GUNICORN_WORKERS}, worker, redis; {load()}")
            run(cast, base, args)
    finally:
        if not args.keep:
            clean_up(programme)


if __name__ == "__main__":
    main()
