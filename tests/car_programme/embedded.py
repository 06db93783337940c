"""Running ``manage.py`` on the embedded default (SQLite, tasks in-process) in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def embedded_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of ``manage.py`` on the embedded default, its files under ``tmp_path``."""
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_BROKER_URL": "",
        **extra,
    }


def manage(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
