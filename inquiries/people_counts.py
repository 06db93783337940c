"""The people counts (``PeopleCount``): how many of a programme's members have each
organisation, level, occupation and research experience, kept in buckets of people; and the
members of each group per organisation (``GroupOrganisationCount``) and its joinings and
leavings per quarter (``GroupTurnover``).

The whole programme's people figures (the people taking part, their organisations and sectors,
levels, occupations and research experience) sum these rows, a few thousand however many
people, rather than reading every person and membership. A person counts, in the bucket of
their id (``car_programme.buckets``), once they hold a membership of any date: as the people
figures of a scope with no date range count them.

The organisational diversity and the turnover of the groups, with no date range, sum the
others: a row per group and organisation, or quarter, rather than per member.

Every write of a person or a membership is noted by the records version, which hands the
records to :func:`people_counts_written` at the end of the write, in its transaction: the
buckets of the people written, and of the members written, are counted again, and the groups
of both. A write that may
change many people's counts at once (an organisation, a deleted group or site, a deleted person
whose id is gone) counts the whole programme again, as the loaders do
(:func:`people_counts_rebuild`) and ``manage.py rebuild_rollups``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce

from car_programme.buckets import bucket, bucket_of, in_buckets
from car_programme.locks import rollup_programme_lock, rollup_rows_lock
from inquiries.enums import MembershipRole
from inquiries.models import (
    GroupOrganisationCount,
    GroupTurnover,
    InquiryGroup,
    Membership,
    PeopleCount,
    Person,
)
from inquiries.selectors import joinings, leavings
from sites.models import CaseSite, Organisation

Attribute = PeopleCount.Attribute
Bucket = tuple[int, int]  # a programme and one of its buckets

# The person's field each attribute counts.
FIELDS = {
    Attribute.ORGANISATION: "organisation",
    Attribute.LEVEL: "level",
    Attribute.OCCUPATION: "occupation_category",
    Attribute.RESEARCH_EXPERIENCE: "research_experience",
}
# The names under which the counts are locked while counted again (car_programme.locks).
PEOPLE = "people-counts"
GROUPS = "group-organisation-counts"
# Records whose write may change the counts of any of the programme's people.
WHOLE_PROGRAMME = (Organisation, InquiryGroup, CaseSite)


def people_counts_written(records: Iterable[models.Model]) -> None:
    """Count again the buckets of the people and members a write noted."""
    buckets: set[Bucket] = set()
    whole: set[int] = set()
    memberships, people = [], []
    for record in records:
        if isinstance(record, Person):
            if record.pk is None:
                whole.add(record.programme_id)
            else:
                buckets.add((record.programme_id, bucket_of(record.pk)))
                people.append(record.pk)
        elif isinstance(record, Membership):
            memberships.append(record)
        elif isinstance(record, Organisation) or (
            isinstance(record, WHOLE_PROGRAMME) and record.pk is None
        ):
            whole.add(record.programme_id)
    if not (buckets or whole or memberships):
        return  # most writes (activities, evidence) change no one's counts
    if memberships:
        buckets |= _buckets_of(memberships)
    groups = {m.group_id for m in memberships} | set(
        Membership.objects.filter(person__in=people).values_list("group", flat=True)
    )
    for programme in whole:
        people_counts_rebuild(programme)
    people_counts_refresh({bucket for bucket in buckets if bucket[0] not in whole})
    group_counts_refresh(
        InquiryGroup.objects.filter(pk__in=groups).exclude(programme__in=whole).values("pk")
    )


def _buckets_of(memberships: list[Membership]) -> set[Bucket]:
    # A membership deleted with its group leaves its group's deletion to count the programme.
    programme_of = dict(
        InquiryGroup.objects.filter(pk__in={m.group_id for m in memberships}).values_list(
            "pk", "programme"
        )
    )
    return {
        (programme_of[m.group_id], bucket_of(m.person_id))
        for m in memberships
        if m.group_id in programme_of
    }


def people_counts_refresh(buckets: Collection[Bucket]) -> None:
    """Count again the people of each of ``buckets``."""
    if not buckets:
        return
    rollup_rows_lock(PEOPLE, {programme for programme, _ in buckets}, buckets)
    PeopleCount.objects.filter(in_buckets(buckets, "bucket")).delete()
    _counts_insert(
        Person.objects.alias(person_bucket=bucket()).filter(in_buckets(buckets, "person_bucket"))
    )


def people_counts_rebuild(programme: int) -> None:
    """Count again every person and group of ``programme``."""
    for rollup in (PEOPLE, GROUPS):
        rollup_programme_lock(rollup, programme)
    PeopleCount.objects.filter(programme=programme).delete()
    _counts_insert(Person.objects.filter(programme=programme))
    for model in (GroupOrganisationCount, GroupTurnover):
        model.objects.filter(programme=programme).delete()
    _group_counts_insert(Membership.objects.filter(group__programme=programme))


def group_counts_refresh(groups: QuerySet[InquiryGroup]) -> None:
    """Count again the members of each of ``groups`` (a query of their ids) per organisation,
    and their joinings and leavings per quarter."""
    placed = list(InquiryGroup.objects.filter(pk__in=groups).values_list("programme", "pk"))
    if not placed:
        return
    rollup_rows_lock(GROUPS, {programme for programme, _ in placed}, placed)
    ids = [pk for _, pk in placed]
    for model in (GroupOrganisationCount, GroupTurnover):
        model.objects.filter(group__in=ids).delete()
    _group_counts_insert(Membership.objects.filter(group__in=ids))


def _group_counts_insert(memberships: QuerySet[Membership]) -> None:
    counts = (
        memberships.order_by()
        .values_list(
            "group__programme",
            "group",
            "person__organisation",
            Coalesce("person__organisation__sector", Value("")),
        )
        .annotate(n=Count("person", distinct=True))
    )
    sql, params = counts.query.sql_with_params()
    columns = ", ".join(
        GroupOrganisationCount._meta.get_field(name).column
        for name in ("programme", "group", "organisation", "sector", "people")
    )
    table = GroupOrganisationCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
    _turnover_insert(memberships)


def _turnover_insert(memberships: QuerySet[Membership]) -> None:
    none = Value(0)
    joined = (
        joinings(memberships)
        .values_list("group__programme", "group", "quarter")
        .annotate(joiners=Count("pk"), leavers=none, core_leavers=none)
    )
    left = (
        leavings(memberships)
        .values_list("group__programme", "group", "quarter")
        .annotate(
            joiners=none,
            leavers=Count("pk"),
            core_leavers=Count("pk", filter=Q(role=MembershipRole.CORE)),
        )
    )
    sql, params = joined.union(left, all=True).query.sql_with_params()
    columns = ", ".join(
        GroupTurnover._meta.get_field(name).column
        for name in ("programme", "group", "quarter", "joiners", "leavers", "core_leavers")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {GroupTurnover._meta.db_table} ({columns}) {sql}", params)


def _counts_insert(people: QuerySet[Person]) -> None:
    """Insert the counts of the members among ``people``, per bucket and attribute value."""
    members = (
        people.filter(Exists(Membership.objects.filter(person=OuterRef("pk"))))
        .order_by()
        .annotate(bucket=bucket())
    )
    parts = [
        members.annotate(
            attribute=Value(str(attribute)),
            text=Coalesce(Cast(field, models.CharField()), Value("")),
            in_sector=Coalesce(F("organisation__sector"), Value(""))
            if attribute == Attribute.ORGANISATION
            else Value(""),
        )
        .values_list("programme", "bucket", "attribute", "text", "in_sector")
        .annotate(n=Count("pk"))
        for attribute, field in FIELDS.items()
    ]
    first, *others = parts
    sql, params = first.union(*others, all=True).query.sql_with_params()
    columns = ", ".join(
        PeopleCount._meta.get_field(name).column
        for name in ("programme", "bucket", "attribute", "value", "sector", "people")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {PeopleCount._meta.db_table} ({columns}) {sql}", params)


# --- Reading ---------------------------------------------------------------------------------


def people_counts(programme: int, attribute: str) -> QuerySet:
    """(value, sector, people) of ``programme``'s members per value of ``attribute``, the
    value as text, empty where not recorded."""
    return (
        PeopleCount.objects.filter(programme=programme, attribute=attribute)
        .order_by()
        .values_list("value", "sector")
        .annotate(n=Sum("people"))
    )


def people_total(programme: int) -> Coalesce:
    """The number of ``programme``'s members, as a subquery: each counts once per attribute."""
    total = (
        PeopleCount.objects.filter(programme=programme, attribute=Attribute.LEVEL)
        .order_by()
        .values("programme")
        .annotate(n=Sum("people"))
        .values("n")
    )
    return Coalesce(Subquery(total, output_field=models.IntegerField()), 0)
