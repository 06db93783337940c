import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from inquiries.enums import ActivityKind, MembershipRole
from inquiries.models import Activity, InquiryGroup, Membership


def _count_per_group(queryset: QuerySet, *, distinct_field: str = "pk") -> Coalesce:
    """Count ``queryset``'s rows for the outer group, as a correlated subquery.

    A subquery per figure keeps each count away from the others' joins (a group with 10
    members and 50 meetings would otherwise count 500 rows twice) and needs no GROUP BY on
    the outer query, so it can be filtered, ordered and paginated freely.
    """
    counted = (
        queryset.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count(distinct_field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _meetings_per_group() -> Coalesce:
    """Meetings of the outer group: one per row, or the row's count where it is a tally."""
    counted = (
        Activity.objects.filter(group=OuterRef("pk"), kind=ActivityKind.GROUP_MEETING)
        .order_by()
        .values("group")
        .annotate(n=Sum(Coalesce("count", 1)))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def memberships_open_on(*, on: dt.date) -> Q:
    """Memberships that hold on ``on``: joined by then (or when unknown) and not yet left.

    A membership ends the day it is left, so a role change closing one membership and opening
    the next on the same day counts the person once, in the new role.
    """
    return (Q(joined_on__isnull=True) | Q(joined_on__lte=on)) & (
        Q(left_on__isnull=True) | Q(left_on__gt=on)
    )


def group_list_with_counts(
    *, queryset: QuerySet[InquiryGroup] | None = None, on: dt.date | None = None
) -> QuerySet[InquiryGroup]:
    """Groups annotated with ``core_count``, ``periphery_count`` and ``meeting_count``.

    ``core_count`` and ``periphery_count`` count the distinct people whose membership in that
    role is open on ``on`` (default: today). ``meeting_count`` counts every recorded group
    meeting of the group, whatever its date: one per row, or a tally row's count ("two
    pre-meetings in 2014").
    """
    if queryset is None:
        queryset = InquiryGroup.objects.all()
    if on is None:
        on = timezone.localdate()
    open_memberships = Membership.objects.filter(memberships_open_on(on=on))
    return queryset.annotate(
        core_count=_count_per_group(
            open_memberships.filter(role=MembershipRole.CORE), distinct_field="person"
        ),
        periphery_count=_count_per_group(
            open_memberships.filter(role=MembershipRole.PERIPHERY), distinct_field="person"
        ),
        meeting_count=_meetings_per_group(),
    )
