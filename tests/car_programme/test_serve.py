"""``manage.py serve`` (``make run``): the development server with a Celery worker beside it.

Each test starts the command as ``make run`` does, on the embedded default with the filesystem
broker under the test's own folder, and stops it as a person would.
"""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.car_programme.embedded import ROOT, embedded_env, manage
from tests.workers import children, free_port, process_alive, wait_for

pytestmark = pytest.mark.worker


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def descendants(pid: int) -> list[int]:
    found = children(pid)
    for child in list(found):
        found += descendants(child)
    return found


@pytest.fixture
def serve(tmp_path):
    """``manage.py serve`` on a free port, once its server answers and its worker is ready; the
    command's process and those it started."""
    port = free_port()
    started = []
    env = embedded_env(
        tmp_path, CELERY_BROKER_URL="filesystem://", BROKER_DIR=str(tmp_path / "broker")
    )
    log = tmp_path / "serve.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own group, as a terminal gives the command it runs.
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: " ready." in log.read_text() and answers(port),
            timeout=90,
            what="the server and its worker",
        )
        started = descendants(process.pid)
        yield process, started
    finally:
        # Whatever a failing test left running.
        for pid in [process.pid, *started]:
            if process_alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=30)
        print(f"--- serve.log ---\n{log.read_text()[-4000:]}")


@pytest.mark.parametrize(
    "stop",
    [
        # Ctrl+C: the terminal sends SIGINT to every process of its foreground group.
        pytest.param(lambda process: os.killpg(process.pid, signal.SIGINT), id="ctrl-c"),
        pytest.param(lambda process: process.send_signal(signal.SIGTERM), id="sigterm"),
    ],
)
def test_stopping_serve_stops_the_server_and_the_worker(serve, stop):
    command, processes = serve
    workers = [pid for pid in processes if "celery -A car_programme worker" in cmdline(pid)]
    servers = [pid for pid in processes if "manage.py serve" in cmdline(pid)]
    # The worker's main process, its pool process and its beat; the reloader's server process.
    assert len(workers) == 3 and len(servers) == 1, [cmdline(pid) for pid in processes]

    stop(command)

    command.wait(timeout=30)
    wait_for(
        lambda: not any(process_alive(pid) for pid in processes),
        timeout=5,
        what="the server and the worker to stop",
    )


def test_serve_without_a_broker_says_what_to_set(tmp_path):
    result = manage("serve", "--noreload", env=embedded_env(tmp_path), timeout=60)

    assert result.returncode == 1
    assert "set CELERY_BROKER_URL, e.g. to filesystem://" in result.stderr
