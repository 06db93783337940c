"""Benchmark of the end-of-programme PDF report: not a test, a measurement.

What it measures, for the demo programme and for a synthetic programme of ``--sites`` sites
(``programme_data.synthetic.generate_programme``, then ANALYZE):

- ours: the render as the task does it (``reports.documents.build_document``, the template,
  ``reports.rendering.render_pdf``), in a fresh child process, with its phases (gathering data,
  drawing charts, template, layout), its page count and the child's peak RSS (VmHWM);
- WeasyPrint alone: ``weasyprint.HTML(...).write_pdf`` on the HTML that render produced, with the
  same base URL, URL fetcher and PDF options, in another fresh child process;
- the Word copy: ``reports.word.render_docx`` on that same HTML, as the task converts it after
  the PDF, in a third fresh child process, with its size;
- through Celery (unless ``--skip-celery``): a real ``celery -A car_programme worker -Q reports
  -c 1`` on a ``redis-server`` this script starts on a free port (or the broker that
  ``CELERY_BROKER_URL`` names, which it never empties) renders a request made by
  ``reports.services.request_report``; the time from request to a ready row is compared with
  ``reports.services.render`` of an equal request in a fresh child process, for both programmes.

``--repeat N`` runs every render N times, alternating ours and WeasyPrint alone (and in-process
and Celery, each with a freshly started worker), and keeps the fastest: the machine is shared.

It prints pages, seconds, pages per second, peak MB, MB per page, the ratios and each target
of the benchmark as pass or fail, with the load average (the machine is shared, so figures vary).
``--by-section`` also lays out each section of the synthetic report alone, to show which one
dominates the layout time.

Usage (PostgreSQL only; the database is created and migrated if missing, and the programmes
this script makes are deleted at the end)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/car_benchreports \\
        .venv/bin/python bench/reports.py [--skip-celery] [--sites 32] [--repeat 2] [--by-section]
"""

import argparse
import atexit
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

DEMO_FILE = BASE_DIR / "programme_data" / "demo" / "wws_car.yaml"
# The targets the benchmark checks, each printed as pass or fail.
MAX_RATIO_WEASYPRINT = 1.15
TARGET_PAGES = 60
MAX_SECONDS_PER_TARGET = 20.0
MAX_MB_PER_TARGET = 300.0
MB_PER_PAGE = 2.5
MB_BASE = 200.0
MAX_RATIO_CELERY = 1.2
MAX_DOCX_SECONDS = 10.0
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Measurement:
    label: str
    pages: int
    seconds: float
    weasyprint_seconds: float
    peak_mb: float
    baseline_mb: float
    weasyprint_peak_mb: float
    phases: dict
    charts: int
    docx_seconds: float
    docx_mb: float


# --- Set-up -----------------------------------------------------------------------------------


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench/reports.py measures the PostgreSQL deployment only: set DATABASE_URL to a "
            f"postgres:// URL (got {url or 'nothing, which means SQLite'})."
        )
    return url


def ensure_database(url: str) -> None:
    """Create the database of ``url`` when it does not exist yet."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    connection.close()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "car_programme.settings")
    # WeasyPrint and fontTools log every page and font at INFO, and WeasyPrint warns about
    # each duplicate SVG id: quiet, so the figures are not lost among them.
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def load_demo():
    from programme_data.loading import description_read, programme_load

    return programme_load(data=description_read(DEMO_FILE))


def demo_edition(demo) -> int:
    """The demo's edition, authored by a manager of the demo whom this script makes (the demo
    file holds no users; a version reads its citations as its author may)."""
    from accounts.enums import RoleKind
    from accounts.models import Role, User
    from reports.models import Edition

    author = User.objects.create(username=f"bench-author-{demo.pk}", full_name="Bench author")
    Role.objects.create(user=author, programme=demo, role=RoleKind.PROGRAMME_MANAGER)
    edition = Edition.objects.get(programme=demo)
    Edition.objects.filter(pk=edition.pk).update(created_by=author)
    return edition.pk


def load_synthetic(sites: int, seed: int):
    from django.db import connection

    from programme_data.synthetic import generate_programme

    programme = generate_programme(sites=sites, seed=seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return programme


def delete_programmes(demo, synthetic) -> None:
    """Delete both programmes with their records and the report files rendered for them."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    from accounts.models import User
    from programme_data.synthetic import programme_delete
    from reports.models import ReportRequest

    files = ReportRequest.objects.filter(programme__in=[demo, synthetic]).exclude(file="")
    for name in files.values_list("file", flat=True):
        default_storage.delete(name)
    # The fast delete knows only the tables the generator writes; the demo has a few more.
    programme_delete(slug=synthetic.slug)
    with transaction.atomic():
        demo.delete()
    User.objects.filter(username=f"bench-author-{demo.pk}").delete()


def load_average() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# --- Child processes --------------------------------------------------------------------------


def memory_mb(field: str = "VmHWM") -> float:
    """This process's peak (VmHWM) or current (VmRSS) resident memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} missing from /proc/self/status")


def unsaved_request(programme_id: int, options: dict, edition_id: int | None = None):
    """A request that build_document can read; the in-process renders need no row. With
    ``edition_id``, a version of that edition as its first author would request it."""
    from reports.editions import version_fields
    from reports.enums import ReportKind
    from reports.models import Edition, ReportRequest
    from sites.models import Programme

    if edition_id is not None:
        edition = Edition.objects.get(pk=edition_id)
        return ReportRequest(
            requested_by=edition.created_by,
            version=1,
            **version_fields(edition, edition.created_by),
        )
    programme = Programme.objects.get(pk=programme_id)
    return ReportRequest(
        programme=programme, kind=ReportKind.END_OF_PROGRAMME, options=options, version=1
    )


def child_ours(programme_id: int, options: dict, html_path: str, edition_id=None) -> dict:
    """The render as reports.services.render does it, minus claiming and storing the row."""
    setup_django()
    from importlib import import_module

    from django.template.loader import render_to_string
    from django.utils.module_loading import import_string

    from reports.documents import build_document
    from reports.kinds import KINDS
    from reports.rendering import render_pdf

    report_request = unsaved_request(programme_id, options, edition_id)
    # A worker imports the builder and the authored-text modules on its first render and keeps
    # them, as WeasyPrint alone is imported before its clock starts: the one-time imports (which
    # compile from source where bytecode is not written) are not a render's time.
    import_string(KINDS[report_request.kind].builder)
    import_module("reports.documents.authored")
    baseline = memory_mb()
    marks = {"start": time.perf_counter()}

    def on_step(step) -> None:
        marks[str(step)] = time.perf_counter()

    document = build_document(report_request, on_step=on_step)
    marks["built"] = time.perf_counter()
    html = render_to_string(document.template_name, document.context)
    marks["template"] = time.perf_counter()
    pdf = render_pdf(html)
    marks["layout"] = time.perf_counter()
    Path(html_path).write_text(html, encoding="utf-8")
    charts_at = marks.get("charts", marks["built"])
    return {
        "pages": pdf.pages,
        "seconds": marks["layout"] - marks["start"],
        "peak_mb": memory_mb(),
        "baseline_mb": baseline,
        "charts": len(document.context.get("charts", {})),
        "phases": {
            "gathering": charts_at - marks["start"],
            "charts": marks["built"] - charts_at,
            "template": marks["template"] - marks["built"],
            "layout": marks["layout"] - marks["template"],
        },
    }


def child_weasyprint(html_path: str) -> dict:
    """WeasyPrint alone on the saved HTML, with the options and fetcher of render_pdf."""
    setup_django()
    from weasyprint import HTML

    from reports.rendering import PDF_OPTIONS, STATIC_ORIGIN, StaticFilesFetcher

    html = Path(html_path).read_text(encoding="utf-8")
    start = time.perf_counter()
    HTML(
        string=html,
        base_url=STATIC_ORIGIN,
        url_fetcher=StaticFilesFetcher(),
        media_type="print",
    ).write_pdf(**PDF_OPTIONS)
    return {"seconds": time.perf_counter() - start, "peak_mb": memory_mb()}


def child_docx(html_path: str) -> dict:
    """The Word copy of the saved HTML, as reports.services.render converts it."""
    setup_django()
    from reports.word import render_docx

    html = Path(html_path).read_text(encoding="utf-8")
    start = time.perf_counter()
    docx = render_docx(html)
    return {"seconds": time.perf_counter() - start, "peak_mb": memory_mb(), "bytes": len(docx)}


def child_service(report_request_id: int) -> dict:
    """reports.services.render in-process, exactly what the task calls."""
    setup_django()
    from reports import services

    start = time.perf_counter()
    services.render(report_request_id)
    return {"seconds": time.perf_counter() - start, "peak_mb": memory_mb()}


def _child_main(function, args, sender) -> None:
    sender.send(function(*args))
    sender.close()


def in_child(function, *args) -> dict:
    """Run ``function(*args)`` in a freshly spawned interpreter and return its result."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child_main, args=(function, args, sender))
    process.start()
    sender.close()
    try:
        result = receiver.recv()
    except EOFError:
        process.join()
        sys.exit(f"{function.__name__} died (exit code {process.exitcode}).")
    process.join()
    return result


# --- Measuring --------------------------------------------------------------------------------


def best_of(runs: list[dict]) -> dict:
    """The fastest run's figures, with the highest peak of all (memory hardly varies)."""
    return {
        **min(runs, key=lambda run: run["seconds"]),
        "peak_mb": max(run["peak_mb"] for run in runs),
    }


def measure(
    label: str, programme, repeat: int, options: dict | None = None, edition_id=None
) -> Measurement:
    """Ours, then WeasyPrint alone and the Word copy on the HTML ours produced, ``repeat``
    times; the best of each."""
    ours_runs, alone_runs, docx_runs = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        html_path = str(Path(folder) / "report.html")
        for _ in range(repeat):
            ours_runs.append(
                in_child(child_ours, programme.pk, options or {}, html_path, edition_id)
            )
            alone_runs.append(in_child(child_weasyprint, html_path))
            docx_runs.append(in_child(child_docx, html_path))
    ours, alone, docx = best_of(ours_runs), best_of(alone_runs), best_of(docx_runs)
    return Measurement(
        label=label,
        pages=ours["pages"],
        seconds=ours["seconds"],
        weasyprint_seconds=alone["seconds"],
        peak_mb=ours["peak_mb"],
        baseline_mb=ours["baseline_mb"],
        weasyprint_peak_mb=alone["peak_mb"],
        phases=ours["phases"],
        charts=ours["charts"],
        docx_seconds=docx["seconds"],
        docx_mb=docx["bytes"] / 1024 / 1024,
    )


def saved_request(programme):
    """A queued end-of-programme request row, for the in-process render of the service."""
    from django.db.models import Max

    from reports.enums import ReportKind
    from reports.models import ReportRequest

    kind = ReportKind.END_OF_PROGRAMME
    latest = ReportRequest.objects.filter(programme=programme, kind=kind).aggregate(
        latest=Max("version")
    )["latest"]
    return ReportRequest.objects.create(
        programme=programme, kind=kind, options={}, version=(latest or 0) + 1
    )


def own_broker() -> str:
    """A ``redis-server`` of this run's own on a free port, stopped when the script ends: the
    machine's Redis is shared, and its databases are not this script's to fill or empty."""
    import redis

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    atexit.register(server.kill)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 30
    while True:
        try:
            redis.Redis.from_url(url).ping()
            return url
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                sys.exit("redis-server did not start.")
            time.sleep(0.1)


def start_worker(broker_url: str, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "celery"),
        *("-A", "car_programme", "worker", "-Q", "reports", "-c", "1", "--pool", "prefork"),
        *("-n", f"bench-reports-{os.getpid()}@%h", "--without-gossip", "--without-mingle"),
        *("-l", "info"),
    ]
    env = {**os.environ, "CELERY_BROKER_URL": broker_url}
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 120
    while " ready." not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            sys.exit(f"The Celery worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_ready(report_request_id: int, timeout: float) -> None:
    from reports.enums import ReportStatus
    from reports.models import ReportRequest

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = ReportRequest.objects.values("status", "error").get(pk=report_request_id)
        if row["status"] == ReportStatus.READY:
            return
        if row["status"] == ReportStatus.FAILED:
            sys.exit(f"The Celery render failed: {row['error']}")
        time.sleep(POLL_SECONDS)
    sys.exit(f"The Celery render did not finish within {timeout:.0f} s.")


def through_worker(programme, broker_url: str) -> float:
    """Seconds from request_report to a ready row, with a freshly started worker."""
    from django.conf import settings

    from reports.enums import ReportKind
    from reports.services import request_report

    with tempfile.TemporaryDirectory() as folder:
        worker = start_worker(broker_url, Path(folder) / "worker.log")
        try:
            start = time.perf_counter()
            report_request = request_report(
                requested_by=None,
                kind=ReportKind.END_OF_PROGRAMME,
                programme=programme,
                options={},
            )
            wait_ready(report_request.pk, timeout=settings.REPORTS_HARD_TIME_LIMIT + 60)
            return time.perf_counter() - start
        finally:
            stop_worker(worker)


def measure_celery(programme, broker_url: str, repeat: int) -> tuple[float, float]:
    """Best seconds in-process (the service in a fresh child) and through a real worker."""
    in_process, celery = [], []
    for _ in range(repeat):
        in_process.append(in_child(child_service, saved_request(programme).pk)["seconds"])
        celery.append(through_worker(programme, broker_url))
    return min(in_process), min(celery)


def measure_sections(programme, repeat: int) -> list[tuple[str, Measurement]]:
    """Each section of the report laid out alone (with the overview every report has)."""
    from reports.enums import ReportKind
    from reports.kinds import KINDS

    sections = [("(overview only)", [])] + [
        (slug, [slug]) for slug, _label in KINDS[ReportKind.END_OF_PROGRAMME].sections
    ]
    return [
        (name, measure(name, programme, repeat, {"sections": chosen})) for name, chosen in sections
    ]


# --- Printing ---------------------------------------------------------------------------------


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def print_measurement(m: Measurement) -> None:
    phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in m.phases.items())
    print(f"\n{m.label}: {m.pages} pages, {m.charts} charts")
    print(
        f"  ours:             {m.seconds:7.2f} s  {m.pages / m.seconds:5.2f} pages/s  "
        f"peak {m.peak_mb:6.1f} MB ({m.baseline_mb:.1f} MB before rendering)  "
        f"{m.peak_mb / m.pages:.2f} MB/page ({(m.peak_mb - m.baseline_mb) / m.pages:.2f} "
        "above that)"
    )
    print(f"    phases: {phases}")
    print(
        f"  WeasyPrint alone: {m.weasyprint_seconds:7.2f} s  "
        f"{m.pages / m.weasyprint_seconds:5.2f} pages/s  peak {m.weasyprint_peak_mb:6.1f} MB"
    )
    print(f"  ratio ours / WeasyPrint alone: {m.seconds / m.weasyprint_seconds:.2f}")
    print(f"  Word copy (DOCX):  {m.docx_seconds:7.2f} s  {m.docx_mb:.1f} MB")


def mb_at_target(m: Measurement) -> float:
    """Peak memory of this report, or of one of the target's length at the same MB a page."""
    if m.pages <= TARGET_PAGES:
        return m.peak_mb
    return m.baseline_mb + (m.peak_mb - m.baseline_mb) * TARGET_PAGES / m.pages


def print_targets(m: Measurement, soft_limit: int | None) -> None:
    ratio = m.seconds / m.weasyprint_seconds
    per_target = m.seconds / m.pages * TARGET_PAGES
    at_target = mb_at_target(m)
    memory_cap = MB_PER_PAGE * m.pages + MB_BASE
    print(f"  targets ({m.label}):")
    print(
        f"    {verdict(ratio <= MAX_RATIO_WEASYPRINT)}  ours / WeasyPrint {ratio:.2f} "
        f"<= {MAX_RATIO_WEASYPRINT}"
    )
    print(
        f"    {verdict(per_target <= MAX_SECONDS_PER_TARGET)}  {per_target:.1f} s per "
        f"{TARGET_PAGES} pages <= {MAX_SECONDS_PER_TARGET:.0f} s"
    )
    scaled = "" if m.pages <= TARGET_PAGES else f" (scaled from {m.pages} pages)"
    print(
        f"    {verdict(at_target <= MAX_MB_PER_TARGET)}  {at_target:.0f} MB at "
        f"{TARGET_PAGES} pages{scaled} <= {MAX_MB_PER_TARGET:.0f} MB"
    )
    print(
        f"    {verdict(m.peak_mb < memory_cap)}  peak {m.peak_mb:.0f} MB < "
        f"{MB_PER_PAGE} MB x {m.pages} pages + {MB_BASE:.0f} MB = {memory_cap:.0f} MB"
    )
    print(
        f"    {verdict(m.docx_seconds <= MAX_DOCX_SECONDS)}  Word copy {m.docx_seconds:.1f} s "
        f"<= {MAX_DOCX_SECONDS:.0f} s"
    )
    if soft_limit is not None:
        # The task makes both files under the one limit.
        both = m.seconds + m.docx_seconds
        print(
            f"    {verdict(both < soft_limit)}  {both:.1f} s (PDF and Word copy) inside "
            f"REPORTS_SOFT_TIME_LIMIT = {soft_limit} s"
        )


def print_celery(label: str, in_process: float, through_celery: float) -> None:
    ratio = through_celery / in_process
    print(
        f"\n{label} through Celery: {through_celery:.2f} s, in-process {in_process:.2f} s, "
        f"ratio {ratio:.2f}"
    )
    print(f"    {verdict(ratio <= MAX_RATIO_CELERY)}  Celery / in-process <= {MAX_RATIO_CELERY}")
    print(f"  {load_average()}")


def print_sections(rows: list[tuple[str, Measurement]]) -> None:
    print("\nsections of the synthetic report laid out alone (each includes the overview):")
    print(f"  {'section':18} {'pages':>5} {'ours s':>7} {'WeasyPrint s':>12} {'peak MB':>8}")
    for name, m in rows:
        print(
            f"  {name:18} {m.pages:5d} {m.seconds:7.2f} {m.weasyprint_seconds:12.2f} "
            f"{m.peak_mb:8.1f}"
        )


# --- Main -------------------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=32, help="sites of the synthetic programme")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic programme")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each render; the fastest counts"
    )
    parser.add_argument("--skip-celery", action="store_true", help="no worker comparison")
    parser.add_argument("--by-section", action="store_true", help="also lay out each section alone")
    return parser.parse_args()


def prepare(arguments) -> tuple[str, list]:
    """Database, settings and the two programmes; the broker URL the worker will use."""
    url = database_url()
    ensure_database(url)
    if "CELERY_BROKER_URL" not in os.environ and not arguments.skip_celery:
        os.environ["CELERY_BROKER_URL"] = own_broker()
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo = load_demo()
    print(f"demo loaded in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    synthetic = load_synthetic(arguments.sites, arguments.seed)
    print(
        f"synthetic programme of {arguments.sites} sites generated and analysed in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return broker_url, [demo, synthetic]


def main() -> None:
    arguments = parse_arguments()
    broker_url, programmes = prepare(arguments)
    from django.conf import settings

    demo, synthetic = programmes
    repeat = arguments.repeat
    labels = {demo.pk: "demo", synthetic.pk: f"synthetic, {arguments.sites} sites"}
    print(f"{load_average()}, {os.cpu_count()} CPUs")
    try:
        for programme, soft_limit in ((demo, None), (synthetic, settings.REPORTS_SOFT_TIME_LIMIT)):
            label = labels[programme.pk]
            measurement = measure(label, programme, repeat)
            print_measurement(measurement)
            print_targets(measurement, soft_limit)
            print(f"  {load_average()}")
        measurement = measure("demo's edition", demo, repeat, edition_id=demo_edition(demo))
        print_measurement(measurement)
        print_targets(measurement, None)
        print(f"  {load_average()}")
        if arguments.by_section:
            print_sections(measure_sections(synthetic, repeat))
            print(f"  {load_average()}")
        if not arguments.skip_celery:
            for programme in programmes:
                print_celery(labels[programme.pk], *measure_celery(programme, broker_url, repeat))
    finally:
        delete_programmes(demo, synthetic)


if __name__ == "__main__":
    main()
