import os
import subprocess

import pytest
from django.db import connection

from reports.rendering import render_pdf
from tests.factories.events import EventFactory
from tests.workers import Worker, database_url, worker_command

# Shorter than production's, the lease still longer than the hard limit: a render lost by a
# worker's test is taken over within seconds.
WORKER_LIMITS = {
    "REPORTS_SOFT_TIME_LIMIT": "40",
    "REPORTS_HARD_TIME_LIMIT": "45",
    "REPORTS_LEASE_SECONDS": "50",
}


@pytest.fixture(scope="module")
def pdf_bytes():
    return render_pdf("<html><body><h1>Fife Welfare PIT</h1></body></html>").bytes


@pytest.fixture
def event(cast):
    event = EventFactory(programme=cast.programme, title="Fife learning day")
    event.sites.set([cast.fife])
    return event


@pytest.fixture
def start_worker(transactional_db, tmp_path, settings):
    """Starts workers on the test database; every one is killed before the database is reset.

    ``start(broker_url, **env)`` adds ``env`` to the worker's environment.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("A worker process cannot open the test's in-memory SQLite: set DATABASE_URL.")
    started = []

    def start(broker_url: str, **env: str) -> Worker:
        number = len(started) + 1
        log = tmp_path / f"worker-{number}.log"
        environment = {
            **os.environ,
            **WORKER_LIMITS,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **env,
        }
        with open(log, "wb") as output:
            process = subprocess.Popen(
                worker_command(f"pipeline-test-{number}"),
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()
        # Shown with a failing test's output.
        print(f"--- {worker.log.name} ---\n{worker.log.read_text()[-4000:]}")
