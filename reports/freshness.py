"""Which state of a programme's records a cached figure was computed from.

A programme dashboard aggregates every attendance row and evidence item of the programme, so
its cost grows with the data. Its figures are cached under the programme's records version,
which every write to a record of the programme moves on (one UPDATE, in the writer's
transaction, ``car_programme/records_version.py``): a reader never gets figures older than the
records it could see, and a dashboard costs its aggregates only once per change, whatever the
programme's size.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache

# Long enough to serve a quiet programme all day; a write makes the old entries unreachable.
CACHE_SECONDS = 24 * 60 * 60


def cached(scope, name: str, compute: Callable[[], object], *extra) -> object:
    """``compute()`` for ``scope``, kept until a record of its programme changes.

    ``extra`` holds whatever else the result depends on (the day, for "quiet for six weeks").
    """
    key = ":".join(
        str(part)
        for part in (
            "metrics",
            scope.programme.pk,
            scope.programme.records_version,
            scope.site.pk if scope.site else "-",
            scope.group.pk if scope.group else "-",
            scope.start or "-",
            scope.end or "-",
            name,
            *extra,
        )
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
