"""Report requests without a broker: versions, validation, claims and leases, failures, sweeps."""

import datetime as dt
import hashlib
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from zeal import zeal_ignore

from car_programme.celery import app as celery_app
from car_programme.exceptions import DomainError
from reports import documents, rendering, services
from reports.enums import ProgressStep, ReportKind, ReportStatus
from reports.models import ReportRequest
from reports.rendering import render_pdf
from reports.tasks import render_report
from reports.word import render_docx
from tests.factories.accounts import UserFactory
from tests.factories.inquiries import InquiryGroupFactory
from tests.factories.sites import CaseSiteFactory

OPTIONS = {"anonymise": True, "start": None, "end": None, "sections": ["members"]}


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process (the embedded default), whatever broker the environment names."""
    # The app reads Django's settings under their CELERY_ names, which win over the short ones.
    previous = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture
def group():
    return InquiryGroupFactory(name="Kinship carers inquiry", description="How it began.")


def ask(group, *, options=OPTIONS, **extra):
    return services.request_report(
        requested_by=UserFactory(),
        kind=ReportKind.GROUP_LEARNING,
        programme=group.programme,
        group=group,
        options=options,
        **extra,
    )


def queued(group, **fields):
    """A request saved straight to the table, as if the broker had never been reached."""
    fields.setdefault("options", OPTIONS)
    return ReportRequest.objects.create(
        programme=group.programme, kind=ReportKind.GROUP_LEARNING, group=group, **fields
    )


def leased(group, lease_token, lease_expires_at, **fields):
    """A request on its first render, whose process holds the lease until ``lease_expires_at``."""
    fields.setdefault("started_at", timezone.now())
    return queued(
        group,
        status=ReportStatus.RENDERING,
        attempts=1,
        lease_token=lease_token,
        lease_expires_at=lease_expires_at,
        **fields,
    )


@pytest.mark.django_db(transaction=True)
def test_a_request_is_rendered_after_commit_and_each_request_is_a_new_version(group):
    first = ask(group)
    with zeal_ignore():  # a second render in one test is no N+1 (a worker runs one per task)
        second = ask(group)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.status == second.status == ReportStatus.READY
    assert first.enqueued_at is not None
    assert first.file.name != second.file.name
    data = Path(first.file.path).read_bytes()
    assert data.startswith(b"%PDF-")
    assert first.checksum == hashlib.sha256(data).hexdigest()
    assert first.size_bytes == len(data)
    assert first.pages >= 3  # cover, contents, story
    docx = Path(first.docx_file.path).read_bytes()
    assert docx.startswith(b"PK")  # a DOCX is a zip
    assert first.docx_checksum == hashlib.sha256(docx).hexdigest()
    assert first.docx_size_bytes == len(docx)


@pytest.mark.django_db
def test_the_task_waits_for_the_commit(group, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_request = ask(group)
    assert len(callbacks) == 1
    assert ReportRequest.objects.get(pk=report_request.pk).status == ReportStatus.QUEUED

    for callback in callbacks:
        callback()
    assert ReportRequest.objects.get(pk=report_request.pk).status == ReportStatus.READY


@pytest.mark.django_db
def test_requests_are_checked_before_they_are_saved(group):
    other_site = CaseSiteFactory()
    with pytest.raises(ValidationError, match="not about a site"):
        ask(group, site=CaseSiteFactory(programme=group.programme))
    with pytest.raises(ValidationError, match="needs a site"):
        services.request_report(
            requested_by=None, kind=ReportKind.SITE, programme=group.programme, options={}
        )
    with pytest.raises(DomainError, match="another programme"):
        services.request_report(
            requested_by=None,
            kind=ReportKind.SITE,
            programme=group.programme,
            site=other_site,
            options={},
        )
    with pytest.raises(ValidationError, match="Unknown sections"):
        ask(group, options={**OPTIONS, "sections": ["gossip"]})
    with pytest.raises(ValidationError, match="before its start"):
        ask(group, options={**OPTIONS, "start": "2016-02-01", "end": "2016-01-01"})
    assert not ReportRequest.objects.exists()


@pytest.mark.django_db
def test_a_ready_report_is_never_rendered_again(group, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_request = ask(group)
    report_request.refresh_from_db()
    before = (report_request.file.name, report_request.checksum, report_request.finished_at)

    services.render(report_request.pk)

    report_request.refresh_from_db()
    assert (report_request.file.name, report_request.checksum, report_request.finished_at) == (
        before
    )
    # The PDF and its Word copy, nothing more.
    assert len(list(Path(report_request.file.path).parent.iterdir())) == 2


@pytest.mark.django_db
def test_a_delivery_that_lost_its_lease_writes_nothing(group, settings):
    report_request = queued(group)
    token = services._claim(report_request.pk)
    assert token
    with pytest.raises(services.HeldElsewhere) as held:
        services._claim(report_request.pk)
    assert 0 < held.value.seconds <= settings.REPORTS_LEASE_SECONDS

    # The lease runs out (its worker looked dead); another delivery takes the request over.
    ReportRequest.objects.filter(pk=report_request.pk).update(
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    winner = services._claim(report_request.pk)
    assert winner and winner != token

    with pytest.raises(services.LeaseLost):
        services._record_step(report_request.pk, token, ProgressStep.LAYOUT)
    pdf = render_pdf("<p>late</p>")
    docx = render_docx("<p>late</p>")
    document = documents.Document("Late", template_name="unused.html")
    with pytest.raises(services.LeaseLost):
        services._store(report_request.pk, token, report_request, document, pdf, docx)
    folder = Path(settings.MEDIA_ROOT) / "reports"
    assert list(folder.iterdir()) == []

    services._store(report_request.pk, winner, report_request, document, pdf, docx)
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.READY
    assert report_request.attempts == 2
    stored = {Path(report_request.file.name).name, Path(report_request.docx_file.name).name}
    assert {path.name for path in folder.iterdir()} == stored


@pytest.mark.django_db
def test_a_lease_held_by_a_dead_process_of_this_machine_is_taken_over_at_once(group):
    exited = subprocess.Popen(["true"])
    exited.wait()
    in_ten_minutes = timezone.now() + dt.timedelta(minutes=10)
    report_request = leased(group, f"{socket.gethostname()}:{exited.pid}:abc", in_ten_minutes)
    elsewhere = leased(group, f"another-machine:{exited.pid}:abc", in_ten_minutes, version=2)

    token = services._claim(report_request.pk)
    assert token and token.startswith(f"{socket.gethostname()}:{os.getpid()}:")
    with pytest.raises(services.HeldElsewhere):
        services._claim(elsewhere.pk)


@pytest.mark.django_db
def test_storage_errors_in_process_fail_with_a_reason(group, settings):
    # The storage folder cannot be created: a file sits where it should be.
    Path(settings.MEDIA_ROOT).mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "reports").write_bytes(b"")
    report_request = queued(group)
    services.enqueue(report_request.pk)

    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.FAILED
    assert report_request.error.startswith("The report could not be stored (File exists).")
    assert "Request the report again later" in report_request.error


@pytest.mark.parametrize(("retries", "countdown"), [(0, 5), (3, 40), (9, 300)])
@pytest.mark.django_db
def test_a_worker_retries_transient_failures_with_growing_delays(
    group, monkeypatch, retries, countdown
):
    def database_gone(report_request, *, on_step):
        raise OperationalError("server closed the connection unexpectedly")

    retried = {}

    def retry(**kwargs):
        retried.update(kwargs)
        return Retry()

    monkeypatch.setattr(services, "build_document", database_gone)
    monkeypatch.setattr(render_report, "retry", retry)
    monkeypatch.setattr(render_report, "max_retries", 20)
    report_request = queued(group)
    render_report.push_request(retries=retries, is_eager=False)
    try:
        with pytest.raises(Retry):
            render_report.run(report_request.pk)
    finally:
        render_report.pop_request()
    assert retried["countdown"] == countdown
    assert ReportRequest.objects.get().status == ReportStatus.QUEUED


@pytest.mark.django_db
def test_a_transient_failure_gives_the_request_back_to_the_queue(group, monkeypatch):
    def database_gone(report_request, *, on_step):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "build_document", database_gone)
    report_request = queued(group)
    with pytest.raises(services.TransientRenderError, match="database could not be reached"):
        services.render(report_request.pk)
    report_request.refresh_from_db()
    assert (report_request.status, report_request.lease_token) == (ReportStatus.QUEUED, "")
    assert report_request.attempts == 0  # it did not die, so it counts for nothing


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (SoftTimeLimitExceeded(), "took longer than"),
        (documents.DocumentError("Dates must be written as YYYY-MM-DD."), "YYYY-MM-DD"),
        (KeyError("x"), "internal error (KeyError)"),
    ],
)
@pytest.mark.django_db
def test_permanent_failures_mark_the_request_failed(group, monkeypatch, error, message):
    def broken(html, **kwargs):
        raise error

    monkeypatch.setattr(rendering, "render_pdf", broken)
    report_request = queued(group)
    services.render(report_request.pk)
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.FAILED
    assert message in report_request.error
    assert report_request.lease_token == ""


@pytest.mark.django_db
def test_a_request_whose_renders_keep_dying_fails_instead_of_looping(group, settings):
    report_request = queued(
        group,
        status=ReportStatus.RENDERING,
        attempts=settings.REPORTS_MAX_ATTEMPTS,
        started_at=timezone.now() - dt.timedelta(hours=1),
        lease_expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    services.render(report_request.pk)
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.FAILED
    assert "never finished" in report_request.error


@pytest.mark.django_db
def test_progress_steps_are_saved_as_the_render_advances(group):
    saved = []

    def read_back(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("UPDATE") and "progress_step" in sql:
            with zeal_ignore():  # read back after each write: repeated by design
                step = ReportRequest.objects.values_list("progress_step", flat=True).get()
            if step:  # the step is cleared once the file is stored
                saved.append(step)
        return result

    with connection.execute_wrapper(read_back):
        services.render(queued(group).pk)

    order = list(ProgressStep)
    assert saved[0] == ProgressStep.GATHERING
    assert saved[-1] == ProgressStep.LAYOUT
    assert [order.index(step) for step in saved] == sorted(order.index(step) for step in saved)
    assert ReportRequest.objects.get().progress_step == ""


@pytest.mark.django_db
def test_sweep_publishes_stranded_and_abandoned_requests(group, settings):
    long_ago = timezone.now() - dt.timedelta(hours=2)
    never_published = queued(group, version=1)
    ReportRequest.objects.filter(pk=never_published.pk).update(requested_at=long_ago)
    just_saved = queued(group, version=2)
    abandoned = leased(
        group,
        "dead",
        timezone.now() - dt.timedelta(seconds=1),
        version=3,
        started_at=long_ago,
        enqueued_at=long_ago,
    )
    rendering = leased(
        group,
        "alive",
        timezone.now() + dt.timedelta(minutes=5),
        version=4,
        enqueued_at=timezone.now(),
    )
    folder = Path(settings.MEDIA_ROOT) / "reports"
    folder.mkdir(parents=True)
    leftover = folder / ".abc.dead.part"
    leftover.write_bytes(b"%PDF-half")
    old = time.time() - settings.REPORTS_LEASE_SECONDS - 60
    os.utime(leftover, (old, old))

    # In-process, every request the sweep publishes is rendered inside its loop; on a worker
    # each render is a task of its own, so the repeated per-request queries are no N+1.
    with zeal_ignore():
        assert services.sweep() == 2

    statuses = dict(ReportRequest.objects.values_list("pk", "status"))
    assert statuses[never_published.pk] == ReportStatus.READY
    assert statuses[abandoned.pk] == ReportStatus.READY
    assert statuses[just_saved.pk] == ReportStatus.QUEUED
    assert statuses[rendering.pk] == ReportStatus.RENDERING
    assert not leftover.exists()


@pytest.mark.django_db
def test_the_sweep_command_reports_what_it_published(group):
    stranded = queued(group)
    ReportRequest.objects.filter(pk=stranded.pk).update(
        requested_at=timezone.now() - dt.timedelta(minutes=5)
    )
    from io import StringIO

    out = StringIO()
    call_command("sweep_reports", stdout=out)
    assert "1 report request handed" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_request_is_never_rendered(group):
    with pytest.raises(RuntimeError), transaction.atomic():
        ask(group)
        raise RuntimeError("the page failed after saving")
    assert not ReportRequest.objects.exists()
