"""Real Celery workers for the tests: started as processes on the test's database and broker.

The worker tests (marker ``worker``) start them with the ``start_worker`` fixture
(tests/reports/conftest.py), publish to the same broker within ``publishing_to``, and poll the
database with ``wait_for`` until the workers have done their part.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from car_programme.celery import app as celery_app
from inquiries.enums import MembershipRole
from inquiries.models import Membership, Person
from tests.factories.inquiries import InquiryGroupFactory


def use_broker(url: str | None, *, eager: bool, transport_options: dict | None = None) -> None:
    """Publish from this process to ``url`` (tasks in-process when ``eager``)."""
    # Celery's broker_url reads the CELERY_BROKER_URL environment variable before any setting
    # (and CI sets it), so the variable is what must change; the app reads Django's settings
    # under their CELERY_ names, which win over the short ones.
    if url:
        os.environ["CELERY_BROKER_URL"] = url
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    celery_app.conf.CELERY_BROKER_URL = url or ""
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = eager
    if transport_options is not None:
        celery_app.conf.CELERY_BROKER_TRANSPORT_OPTIONS = transport_options
    # Connections and producers are pooled per app: drop them so the new URL is used.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def publishing_to(url: str, *, transport_options: dict | None = None):
    """This process publishes to ``url`` within the block, then to the broker it had before."""
    conf = celery_app.conf
    previous = (
        os.environ.get("CELERY_BROKER_URL"),
        conf.CELERY_TASK_ALWAYS_EAGER,
        conf.CELERY_BROKER_TRANSPORT_OPTIONS,
    )
    use_broker(url, eager=False, transport_options=transport_options)
    try:
        yield
    finally:
        use_broker(previous[0], eager=previous[1], transport_options=previous[2])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(interval)


def database_url() -> str:
    """The test database, as a worker process's DATABASE_URL."""
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def process_alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rpartition(")")[2].split()[0] != "Z"


def children(pid: int) -> list[int]:
    pids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(child) for child in (task / "children").read_text().split()]
    return pids


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process = process
        self.log = log

    def children(self) -> list[int]:
        return children(self.process.pid)

    def wait_ready(self, timeout: float = 90) -> None:
        wait_for(lambda: " ready." in self.log.read_text(), timeout=timeout, what="worker ready")

    def kill_child(self) -> None:
        (child,) = self.children()
        os.kill(child, signal.SIGKILL)

    def kill(self) -> None:
        """The whole worker, main process and pool, as a lost machine would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def worker_command(name: str) -> list[str]:
    return [
        str(Path(sys.executable).parent / "celery"),
        *("-A", "car_programme", "worker", "-Q", "reports", "-c", "1", "--pool", "prefork"),
        *("-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle", "-l", "info"),
    ]


def group_with_members(members: int):
    """A group of ``members`` core members: a members table of pages, seconds of layout for a
    worker to be caught in."""
    group = InquiryGroupFactory(name="A large inquiry group")
    people = Person.objects.bulk_create(
        Person(programme=group.programme, name=f"Member {n}", pseudonym=f"M-{n:04d}")
        for n in range(members)
    )
    Membership.objects.bulk_create(
        Membership(group=group, person=person, role=MembershipRole.CORE) for person in people
    )
    return group
