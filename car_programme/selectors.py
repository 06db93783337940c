"""What every app's selectors share."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def subquery_count(
    rows: QuerySet, outer: str, *, field: str = "pk", distinct: bool = False
) -> Coalesce:
    """The number of ``rows`` whose ``outer`` is the outer record (of their ``field``, counted
    once each when ``distinct``), as a correlated subquery.

    A subquery per figure keeps each count away from the others' joins (a group with 10
    members and 50 meetings would otherwise count 500 rows twice) and needs no GROUP BY on the
    outer query, so the list stays free to filter, order and paginate.
    """
    counted = (
        rows.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count(field, distinct=distinct))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
