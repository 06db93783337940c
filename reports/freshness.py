"""Which state of a programme's records a cached figure was computed from.

A programme dashboard aggregates every attendance row and evidence item of the programme, so
its cost grows with the data. Its figures are cached under the versions of the records they
count, which every write to those records moves on in the writer's transaction
(``car_programme/records_version.py``): a reader never gets figures older than the records it
could see, and a dashboard costs its aggregates only once per change, whatever the programme's
size. A site's figures are keyed by its site's version, a group's by its group's and its sites'
(a group's dashboard shows its sites' published figures), so a write in one site leaves the
others' figures cached; the programme's cross-site figures by every version of the programme.
All of them also by the programme's own version, which the writes of programme-wide records
(themes, people, an event of no site, a record of no site and no group) move on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Q, Sum

from sites.models import CaseSite, ScopeVersion

# Long enough to serve a quiet programme all day; a write makes the old entries unreachable.
CACHE_SECONDS = 24 * 60 * 60


def records_state(scope) -> str:
    """The versions ``scope``'s figures are computed from, as one key part (one query).

    Scope versions only count up, so their sum moves on whenever one of them does.
    """
    versions = ScopeVersion.objects.filter(programme=scope.programme)
    site = ScopeVersion.Kind.SITE
    if scope.site is not None:
        versions = versions.filter(kind=site, scope_id=scope.site.pk)
    elif scope.group is not None:
        group_sites = CaseSite.objects.filter(groups=scope.group).values("pk")
        versions = versions.filter(
            Q(kind=ScopeVersion.Kind.GROUP, scope_id=scope.group.pk)
            | Q(kind=site, scope_id__in=group_sites)
        )
    total = versions.aggregate(total=Sum("version"))["total"] or 0
    return f"{scope.programme.records_version}.{total}"


def cached(scope, name: str, compute: Callable[[], object], *extra, state: str = "") -> object:
    """``compute()`` for ``scope``, kept until a record it counts changes.

    ``extra`` holds whatever else the result depends on (the day, for "quiet for six weeks");
    ``state`` is ``records_state(scope)`` when the caller has read it for several figures.
    """
    key = ":".join(
        str(part)
        for part in (
            "metrics",
            scope.programme.pk,
            state or records_state(scope),
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
