"""An event's published head count: the one definition every page, export and report uses.

A source publishes attendance as a total, per site or per organisation, often more than one of
these for the same people (a total of 100 and organisations of 60 and 40 are one crowd of 100,
not 200). So the head count is the event's total row; without one, the sum of its per-site
rows; without those, the sum of its per-organisation rows; and None when nothing is recorded.
The rows are never all added up: that counts the same people twice.

Both expressions are annotations of an ``Event`` queryset (they refer to ``OuterRef("pk")``).
"""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce

from events.models import AttendanceCount

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
