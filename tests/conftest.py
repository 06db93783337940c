import copy
import functools
import io
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from zeal import zeal_context

from tests.built_once import FAST_HASHERS, built_once


def pytest_report_header(config):
    database = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL or "none (tasks run in-process)"
    return [f"database engine: {database['ENGINE']} ({database.get('NAME')})", f"broker: {broker}"]


def pytest_configure(config):
    # CI must prove the suite on PostgreSQL: a silent fall back to SQLite would prove nothing.
    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("CI") and "postgresql" not in engine:
        raise pytest.UsageError(f"CI is set but the database engine is {engine}, not PostgreSQL")
    # django-zeal patches the ORM in its AppConfig.ready(); the product does not install it,
    # so the suite patches once here, after pytest-django has set Django up.
    from zeal.constants import initialize_app_registry
    from zeal.patch import patch

    initialize_app_registry()
    patch()
    _ignore_related_manager_writes()


def _ignore_related_manager_writes():
    """Let ``add``/``set``/``remove``/``clear`` on related managers pass the N+1 detector.

    They read the current links before writing, so zeal counts a loop of writes (tests and
    factories build their data that way) as a loop of reads; a write is not an N+1 of a page.
    """
    from django.db.models.fields import related_descriptors
    from zeal import zeal_ignore

    def ignoring(method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            with zeal_ignore():
                return method(*args, **kwargs)

        return wrapper

    def patched(create_manager):
        @functools.wraps(create_manager)
        def create(*args, **kwargs):
            manager = create_manager(*args, **kwargs)
            for name in ("add", "set", "remove", "clear"):
                if hasattr(manager, name):
                    setattr(manager, name, ignoring(getattr(manager, name)))
            return manager

        return create

    for name in ("create_forward_many_to_many_manager", "create_reverse_many_to_one_manager"):
        setattr(related_descriptors, name, patched(getattr(related_descriptors, name)))


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Files out of the developer's var/media; a fast hasher for the many test users."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # Cached figures are keyed by programme id and records version, which a rolled-back test
    # can hand to the next one on SQLite (ids are reused there): each test starts uncached.
    cache.clear()


@pytest.fixture(autouse=True)
def _n_plus_one_detector(settings):
    """Fail any test whose code loads a relation row by row (an N+1), wherever it happens."""
    settings.ZEAL_RAISE = True
    # ProgrammeFactory finds its programme by slug (get_or_create) for every sub-factory, which
    # zeal counts as repeated Programme .get() calls from the test line: setup, not an N+1.
    # The session is read once per request, and once per login by the test client.
    settings.ZEAL_ALLOWLIST = [
        {"model": "sites.Programme", "field": "get()"},
        {"model": "sessions.Session", "field": "get()"},
    ]
    # Each request through the test client is watched on its own, as in production: one
    # lookup per request (the session, the signed-in user) is not an N+1 across requests.
    settings.MIDDLEWARE = ["zeal.middleware.zeal_middleware", *settings.MIDDLEWARE]
    with zeal_context():
        yield


class _Demo:
    """The demo programme of this test process: loaded when a test first asks for it, kept for
    the tests after it (ordered one after another, see below), removed when they are done."""

    programme = None
    users_before: set = set()
    blocker = None

    def get(self):
        from django.core.management import call_command

        from accounts.models import User
        from sites.models import Programme

        # A transactional test flushes the database when it ends, the demo with it.
        if self.programme and Programme.objects.filter(pk=self.programme.pk).exists():
            return self.programme
        self.users_before = set(User.objects.values_list("pk", flat=True))
        # The demo logins' passwords are hashed with the fast hasher of the other test users.
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            call_command("load_demo", verbosity=0, stdout=io.StringIO())
        self.programme = Programme.objects.get(slug="wws-car")
        return self.programme

    def remove(self):
        from accounts.models import User

        if self.programme is not None:
            type(self.programme).objects.filter(pk=self.programme.pk).delete()
            User.objects.exclude(pk__in=self.users_before).delete()
            self.programme = None


_demo = _Demo()


def _uses_demo(item) -> bool:
    return "demo_programme" in getattr(item, "fixturenames", ())


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    flagged = marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    return bool(flagged) or bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests in a transaction first, then the demo's, then the transactional ones, then
    the browser's, in every process (pytest-xdist hands each process its tests in this order).

    The demo's tests follow one another so that each process loads the demo once and removes
    it before the tests that would see it; a transactional test empties the database when it
    ends, and the browser tests' live server is transactional. The browser tests that only read
    the demo are the demo's (tests/browser/conftest.py serves it as it is committed).
    """

    def phase(item):
        if _uses_demo(item):
            return 1
        if item.get_closest_marker("browser"):
            return 3
        return 2 if _transactional(item) else 0

    items.sort(key=phase)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After the last of the process, the session's own teardown removes it (below).
    if _uses_demo(item) and nextitem is not None and not _uses_demo(nextitem):
        with _demo.blocker.unblock():
            _demo.remove()


@pytest.fixture(scope="session")
def _demo_of_the_session(django_db_setup, django_db_blocker):
    _demo.blocker = django_db_blocker
    yield _demo
    with django_db_blocker.unblock():
        _demo.remove()


@pytest.fixture(scope="module")
def demo_programme(_demo_of_the_session, django_db_blocker):
    """The demo programme, loaded once per test process (loading takes seconds).

    The tests that use it run in a transaction, so what they change is rolled back.
    """
    with django_db_blocker.unblock():
        return _demo_of_the_session.get()


@pytest.fixture(scope="module")
def _cast_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The cast of a module's tests, built once in a transaction rolled back after the last of
    them; each test runs in a savepoint inside it, as with Django's ``setUpTestData``."""
    from tests.cast import make_cast

    with built_once(django_db_blocker, tmp_path_factory.mktemp("cast")):
        yield make_cast()


@pytest.fixture
def cast(_cast_of_the_module, db):
    """One user in each role around a Fife group (tests/cast.py): a copy for each test of the
    module's cast, so that what a test changes, in the database or on the objects, goes with it.
    """
    return copy.deepcopy(_cast_of_the_module)
