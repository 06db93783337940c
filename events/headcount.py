"""An event's published head count: the one definition every page, export and report uses.

A source publishes attendance as a total, per site or per organisation, often more than one of
these for the same people (a total of 100 and organisations of 60 and 40 are one crowd of 100,
not 200). So the head count is the event's total row; without one, the sum of its per-site
rows; without those, the sum of its per-organisation rows; and None when nothing is recorded.
The rows are never all added up: that counts the same people twice.

A sum of per-site rows covers only the sites with a row: the event's other sites (its
``sites``) have no published count, so their attendance is unknown and the head count says so
(:func:`head_count_sites`, :func:`head_count_sites_unknown`).

Both expressions are annotations of an ``Event`` queryset (they refer to ``OuterRef("pk")``).
"""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from events.models import AttendanceCount, Event

# The kinds of row in the order that decides: the first kind an event has gives its head count.
_ROW_KINDS = (
    Q(organisation__isnull=True, site__isnull=True),
    Q(site__isnull=False),
    Q(organisation__isnull=False),
)


def _rows(kind: Q):
    return AttendanceCount.objects.filter(kind, event=OuterRef("pk")).order_by().values("event")


def head_count() -> Coalesce:
    """The event's head count (see the module's docstring), None when none is recorded."""
    return Coalesce(
        *(
            Subquery(_rows(kind).annotate(n=Sum("count")).values("n"), output_field=IntegerField())
            for kind in _ROW_KINDS
        ),
        output_field=IntegerField(),
    )


def head_count_approximate() -> Case:
    """Whether a row behind :func:`head_count` was published as "about" a number."""
    return Case(
        *(
            When(Exists(_rows(kind)), then=Exists(_rows(kind).filter(approximate=True)))
            for kind in _ROW_KINDS
        ),
        default=False,
    )


def _from_sites(then) -> Case:
    """``then`` where the head count is the sum of per-site rows (no total row), else 0."""
    total, by_site = _ROW_KINDS[0], _ROW_KINDS[1]
    return Case(
        When(~Exists(_rows(total)) & Exists(_rows(by_site)), then=then),
        default=Value(0),
        output_field=IntegerField(),
    )


def _count(rows) -> Coalesce:
    counted = rows.order_by().values("event").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def head_count_sites() -> Case:
    """How many sites' rows :func:`head_count` adds up; 0 when it is not a sum of sites."""
    return _from_sites(_count(_rows(_ROW_KINDS[1])))


def head_count_sites_unknown() -> Case:
    """How many of the event's sites have no row where :func:`head_count` adds up sites' rows:
    their attendance is unknown, so the head count is of the other sites only. 0 otherwise."""
    counted = AttendanceCount.objects.filter(event=OuterRef("event"), site=OuterRef("casesite"))
    uncounted = Event.sites.through.objects.filter(event=OuterRef("pk")).filter(~Exists(counted))
    return _from_sites(_count(uncounted))
