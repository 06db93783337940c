import fcntl
import os
import shutil
from pathlib import Path

import pytest

from tests.car_programme.embedded import embedded_env, manage


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database migrated by the real migrations, once for the whole run: the parallel
    processes share the run's temporary directory and take turns through a lock."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    database = shared / "migrated.sqlite3"
    with open(shared / "migrated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            building = shared / "building"
            building.mkdir(exist_ok=True)
            migrated = manage("migrate", "--no-input", "-v", "0", env=embedded_env(building))
            assert migrated.returncode == 0, migrated.stderr[-3000:]
            (building / "db.sqlite3").rename(database)
    return database


@pytest.fixture
def migrated_sqlite(_migrated_sqlite, tmp_path) -> Path:
    """A copy of the migrated SQLite database, as ``tmp_path / "db.sqlite3"``, the test's own."""
    shutil.copyfile(_migrated_sqlite, tmp_path / "db.sqlite3")
    return tmp_path
