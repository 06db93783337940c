import io
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
def _test_settings(settings, tmp_path):
    """Files out of the developer's var/media; a fast hasher for the many test users."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_programme(django_db_setup, django_db_blocker):
    """The demo programme, loaded once for a module (loading takes seconds) and removed after."""
    from django.core.management import call_command

    from accounts.models import User
    from sites.models import Programme

    with django_db_blocker.unblock():
        users_before = set(User.objects.values_list("pk", flat=True))
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        programme = Programme.objects.get(slug="wws-car")
    yield programme
    with django_db_blocker.unblock():
        programme.delete()
        User.objects.exclude(pk__in=users_before).delete()
