"""The render pipeline against the real Redis broker and real Celery worker processes.

Each test starts its own broker (a ``redis-server`` on a free port, never the machine's Redis)
and its own workers (`celery -A car_programme worker -Q reports -c 1 --pool prefork`) on the
pytest database, kills them the way production loses them, and polls the database until the
request settles. Time limits and the lease are shortened through the
workers' environment so a lost render is taken over within seconds.
"""

import datetime as dt
import hashlib
import os
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from zeal import zeal_ignore

from reports import services
from reports.enums import ProgressStep, ReportKind, ReportStatus
from reports.models import ReportRequest
from reports.tasks import render_report
from tests.factories.inquiries import InquiryGroupFactory
from tests.reports.conftest import WORKER_LIMITS
from tests.workers import free_port, group_with_members, publishing_to, wait_for

OPTIONS = {"anonymise": True, "start": None, "end": None, "sections": ["members"]}
# Enough members for a members table of several pages: seconds of layout to interrupt.
MEMBERS = 300
SETTLE_TIMEOUT = 180

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _polling_is_no_n_plus_one():
    """These tests poll the database for what the workers did: repeated queries by design."""
    with zeal_ignore():
        yield


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


class RedisServer:
    """A ``redis-server`` of the test's own on a free port, holding nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis.from_url(self.url)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: _pings(self.client), timeout=30, what="redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)


@pytest.fixture
def redis_server():
    """This test's broker, down until started; the test process publishes to it."""
    server = RedisServer()
    with publishing_to(server.url):
        yield server
    server.stop()


@pytest.fixture
def broker(redis_server):
    """This test's broker, running (and so empty: it was started for this test)."""
    redis_server.start()
    return redis_server


def settled(pk: int) -> ReportRequest:
    def done():
        report_request = ReportRequest.objects.get(pk=pk)
        return report_request if report_request.status in ("ready", "failed") else None

    return wait_for(done, timeout=SETTLE_TIMEOUT, what=f"report request {pk} to settle")


def laying_out(pk: int) -> bool:
    status, step, error = ReportRequest.objects.values_list("status", "progress_step", "error").get(
        pk=pk
    )
    if status in (ReportStatus.READY, ReportStatus.FAILED):
        raise AssertionError(f"The render ended ({status}) before it could be interrupted: {error}")
    return step == ProgressStep.LAYOUT


def stored_files() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "reports"
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def big_group():
    return group_with_members(MEMBERS)


def ask(group) -> ReportRequest:
    return services.request_report(
        requested_by=None,
        kind=ReportKind.GROUP_LEARNING,
        programme=group.programme,
        group=group,
        options=OPTIONS,
    )


def assert_one_ready_file(report_request: ReportRequest) -> None:
    assert report_request.status == ReportStatus.READY, report_request.error
    assert ReportRequest.objects.filter(group=report_request.group).count() == 1
    assert report_request.version == 1
    files = (report_request.file, report_request.docx_file)
    assert stored_files() == sorted(Path(file.name).name for file in files)
    assert Path(report_request.file.path).read_bytes().startswith(b"%PDF-")
    docx = Path(report_request.docx_file.path).read_bytes()
    assert report_request.docx_checksum == hashlib.sha256(docx).hexdigest()


def test_a_render_killed_with_its_process_is_finished_by_the_next_one(
    broker, start_worker, big_group
):
    report_request = ask(big_group)
    worker = start_worker(broker.url)
    wait_for(lambda: laying_out(report_request.pk), timeout=120, what="the layout step")

    worker.kill_child()
    killed_at = timezone.now()

    done = settled(report_request.pk)
    assert_one_ready_file(done)
    # The first render really died: the request was claimed a second time, long before the
    # lease ran out, since the holder was a dead process of this machine.
    assert done.attempts == 2
    lease = dt.timedelta(seconds=int(WORKER_LIMITS["REPORTS_LEASE_SECONDS"]))
    assert done.started_at - killed_at < lease / 2


def test_a_worker_lost_as_a_whole_is_recovered_by_the_sweeper(broker, start_worker, big_group):
    report_request = ask(big_group)
    worker = start_worker(broker.url)
    wait_for(lambda: laying_out(report_request.pk), timeout=120, what="the layout step")

    worker.kill()

    stuck = ReportRequest.objects.get(pk=report_request.pk)
    assert stuck.status == ReportStatus.RENDERING
    assert services.sweep() == 0  # its lease still runs: it might be alive
    assert services.sweep(now=stuck.lease_expires_at + dt.timedelta(seconds=1)) == 1
    start_worker(broker.url)

    done = settled(report_request.pk)
    assert_one_ready_file(done)
    assert done.attempts == 2


def test_a_request_made_while_the_broker_is_down_is_rendered_once_it_is_back(
    redis_server, start_worker
):
    group = InquiryGroupFactory()

    began = time.monotonic()
    report_request = ask(group)
    elapsed = time.monotonic() - began

    assert elapsed < 4, f"requesting took {elapsed:.1f} s with the broker down"
    report_request.refresh_from_db()
    assert (report_request.status, report_request.enqueued_at) == (ReportStatus.QUEUED, None)
    assert services.sweep() == 0  # still down: nothing published, nothing lost

    redis_server.start()
    later = timezone.now() + services.PUBLISH_GRACE
    assert services.sweep(now=later) == 1
    start_worker(redis_server.url)

    done = settled(report_request.pk)
    assert_one_ready_file(done)
    assert done.enqueued_at is not None


def test_two_deliveries_at_once_make_one_file_and_one_version(broker, start_worker, big_group):
    workers = [start_worker(broker.url), start_worker(broker.url)]
    for worker in workers:
        worker.wait_ready()
    report_request = ReportRequest.objects.create(
        programme=big_group.programme,
        kind=ReportKind.GROUP_LEARNING,
        group=big_group,
        options=OPTIONS,
    )

    render_report.apply_async(args=(report_request.pk,))
    render_report.apply_async(args=(report_request.pk,))

    done = settled(report_request.pk)
    assert_one_ready_file(done)
    assert done.attempts == 1  # only one delivery ever claimed it
    # Both workers took a delivery, so they really ran at once.
    for worker in workers:
        wait_for(
            lambda worker=worker: "render_report" in worker.log.read_text(),
            timeout=30,
            what="each worker to receive a delivery",
        )


def test_the_task_is_published_only_once_the_request_is_committed(broker):
    group = InquiryGroupFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        ask(group)
        raise RuntimeError("the page failed after saving the request")
    assert broker.client.llen("reports") == 0
    assert not ReportRequest.objects.exists()

    with transaction.atomic():
        report_request = ask(group)
        assert broker.client.llen("reports") == 0
    assert broker.client.llen("reports") == 1
    report_request.refresh_from_db()
    assert report_request.enqueued_at is not None


def test_the_broker_is_a_redis_server_of_the_tests_own(broker):
    """Nothing here may flush or fill a database of the machine's Redis, which others use."""
    assert broker.client.info("server")["process_id"] == broker.process.pid
    assert os.environ["CELERY_BROKER_URL"] == broker.url
    assert broker.client.dbsize() == 0
