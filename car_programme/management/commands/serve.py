"""``make run``'s server: Django's development server with a Celery worker beside it."""

import contextlib
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.runserver import Command as RunserverCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

# A stopping worker finishes the render in hand for this long before it is killed.
STOP_GRACE_SECONDS = 10


class Command(RunserverCommand):
    help = (
        "Serve the site with the development server and render reports in a Celery worker "
        "(with beat, the sweeper) beside it; stopping this command stops both."
    )

    def run(self, **options):
        # The reloader runs the server in a child process, restarted on every code change, with
        # this variable set: the first process, which outlives those, owns the worker.
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            return super().run(**options)
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "The report worker needs a broker: set CELERY_BROKER_URL, e.g. to filesystem:// "
                "(no server needed) as make run does."
            )
        worker = start_worker()
        # Stopped by a signal, the command still stops its worker (Ctrl+C raises
        # KeyboardInterrupt, which the server handles by returning).
        for name in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(name, lambda *args: sys.exit(0))
        try:
            super().run(**options)
        finally:
            stop_worker(worker)


def start_worker() -> subprocess.Popen:
    """``make worker``'s worker, on this process's environment (broker, database, media)."""
    schedule = settings.BROKER_DIR / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "car_programme", "worker"),
            *("--queues=reports", "--concurrency=1", "--beat", f"--schedule={schedule}"),
            # One worker on this machine: no neighbours to meet or watch, a faster start.
            *("--without-mingle", "--without-gossip", "--loglevel=info"),
        ],
        cwd=settings.BASE_DIR,
        # Out of the terminal's reach: Ctrl+C comes to this command, which stops the worker in
        # order, and the worker's processes (pool, beat) form one group it can kill at once.
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    """A warm shutdown, then the whole group killed; a second Ctrl+C kills it at once."""
    worker.terminate()
    try:
        worker.wait(timeout=STOP_GRACE_SECONDS)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        pass
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
