import os

import pytest
from django.conf import settings


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL or "none (tasks run in-process)"
    return [f"database engine: {database['ENGINE']} ({database.get('NAME')})", f"broker: {broker}"]


def pytest_configure(config):
    # CI must prove the suite on PostgreSQL: a silent fall back to SQLite would prove nothing.
    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("CI") and "postgresql" not in engine:
        raise pytest.UsageError(f"CI is set but the database engine is {engine}, not PostgreSQL")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keeps files written by a test out of the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
