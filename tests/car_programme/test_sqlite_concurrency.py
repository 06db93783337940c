"""The embedded default under concurrent requests: SQLite has one writer, and none may fail.

A browser sends a form POST while the page's other requests (favicon, search, the next page) are
still in flight. This drives a separate process on a fresh SQLite file, as ``make run`` uses
it, with one thread per browser tab, each on its own database connection."""

import pytest

from tests.car_programme.embedded import embedded_env, manage

# Runs inside ``manage.py shell``: prints one line per request that did not succeed.
SCRIPT = """
import threading

from django.db import connection
from django.test import Client

from accounts.enums import RoleKind
from accounts.models import Role, User
from sites.models import Organisation, Programme

programme = Programme.objects.create(name="A programme", slug="a-programme")
manager = User.objects.create_user(username="manager")
Role.objects.create(user=manager, programme=programme, role=RoleKind.PROGRAMME_MANAGER)
connection.close()
TABS, ROUNDS = 8, 6
start = threading.Barrier(TABS)
failures = []


def tab(number):
    client = Client()
    client.force_login(manager)
    start.wait()
    for round in range(ROUNDS):
        for method, url, data in [
            ("post", "/organisations/new/", {
                "programme": programme.pk, "name": f"Partner {number}-{round}", "sector": "nhs",
            }),
            ("get", "/", None),
            ("get", "/favicon.ico", None),
            ("get", "/search/", {"q": "Partner"}),
            ("get", "/organisations/", None),
        ]:
            try:
                status = getattr(client, method)(url, data).status_code
            except Exception as error:
                status = repr(error)
            if status not in (200, 302):
                failures.append(f"{method} {url}: {status}")
    connection.close()


threads = [threading.Thread(target=tab, args=(n,)) for n in range(TABS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
for failure in failures:
    print("failed", failure)
print("organisations", Organisation.objects.count())
print("journal", connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
"""


@pytest.mark.slow
def test_concurrent_requests_on_the_embedded_default_all_succeed(migrated_sqlite):
    env = embedded_env(migrated_sqlite, LOG_LEVEL="CRITICAL")

    result = manage("shell", "-c", SCRIPT, env=env)

    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout.splitlines()
    assert [line for line in out if line.startswith("failed ")] == []
    assert "organisations 48" in out
    assert "journal wal" in out
