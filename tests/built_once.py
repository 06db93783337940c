"""Data built once for the tests of a module, and the queries measured on it.

Building the same records again for each of thirty parametrized tests costs most of their time;
a module-scoped fixture builds them once inside ``built_once``, measures every case with
``queries_of`` and rolls everything back, and each test asserts its own case.
"""

from contextlib import contextmanager

from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

# The hasher of the many test users (tests/conftest.py sets it for each test).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def built_once(django_db_blocker, media_root):
    """A block that writes the test database outside any test, rolled back at its end; users
    get the fast hasher and files go under ``media_root``."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def queries_of(function, **kwargs) -> tuple:
    """``(queries, answer)`` of ``function(**kwargs)``, or ``(the error it raised, None)``: each
    call in a savepoint of its own, so that a failing one leaves the others a usable database
    (and the case's own test reports the error in place of its count)."""
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            answer = function(**kwargs)
    except Exception as error:
        return f"{type(error).__name__}: {error}", None
    return len(captured), answer
