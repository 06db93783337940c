"""The theme links (``ThemeLink``) that the coverage grid counts, and their counts
(``ThemeCount``), kept from the records.

A record counts for a theme in total, and for each site it counts for: its own sites, else its
group's (evidence, changes) or groups' (outputs, events) sites; a group for its sites. The grid
of a site, a group or a date range counts these rows, one per record, theme and site, instead
of joining every record of the programme through its sites and groups' sites on each view; the
whole programme's grid reads their counts, one per kind, theme and site.

Every write of a group, evidence item, output, change or event is noted by the records version
(``car_programme.records_version``), which hands the records to :func:`theme_links_written`
at the end of the write, in its transaction: their rows are computed again, and so are the
rows of the records a written group places through its sites, and the counts those rows were
and are in. A deleted record's rows go with it (the cascade), and the counts of its kind in its
programme are counted again. A write that replaces a programme's records in bulk (the loaders, the
synthetic programmes) rebuilds the programme's rows (:func:`theme_links_rebuild`), as
``manage.py rebuild_rollups`` does for every programme.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Collection, Iterable

from django.db import connection, models
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from car_programme.locks import rollup_programme_lock, rollup_rows_lock
from events.models import Event
from evidence.models import Change, EvidenceItem, Output
from inquiries.models import InquiryGroup
from inquiries.people_counts import people_counts_rebuild
from inquiries.rollups import activity_rollups_rebuild
from reports.models import ThemeCount, ThemeLink
from reports.tallies import tallies_rebuild
from sites.models import CaseSite, Programme

Kind = ThemeLink.Kind
CountKey = tuple[int, int, int | None]  # a count's programme, theme and site (none: in total)
# The name under which the counts are locked while counted again (car_programme.locks).
COUNTS = "theme-counts"

# Each kind: its model, the field of ThemeLink naming its record, and the field by which a
# record of no site of its own counts for its group's (a foreign key) or groups' sites.
KINDS: dict[str, tuple[type[models.Model], str, str | None]] = {
    Kind.GROUPS: (InquiryGroup, "group", None),
    Kind.EVIDENCE: (EvidenceItem, "evidence", "group"),
    Kind.OUTPUTS: (Output, "output", "groups"),
    Kind.CHANGES: (Change, "change", "group"),
    Kind.EVENTS: (Event, "event", "groups"),
}
KIND_OF = {model: kind for kind, (model, _, _) in KINDS.items()}


def _m2m(model, name: str) -> tuple[str, str, str]:
    """The table of ``model``'s many-to-many field ``name``, its column naming the ``model``
    row and its column naming the other side."""
    field = model._meta.get_field(name)
    return field.m2m_db_table(), field.m2m_column_name(), field.m2m_reverse_name()


def _links_sql(kind: str, records: QuerySet) -> tuple[str, list]:
    """The ThemeLink rows of ``records`` (of ``kind``): (programme, record, theme, site,
    via_group), a row per theme with no site, then a row per theme and site counted for (and
    per group giving it)."""
    model, _, group = KINDS[kind]
    ids_sql, params = records.order_by().values("pk").query.sql_with_params()
    themes, theme_record, theme = _m2m(model, "themes")
    own, own_record, own_site = _m2m(model, "sites")
    group_sites, group_sites_group, group_sites_site = _m2m(InquiryGroup, "sites")
    table = model._meta.db_table
    if group is None:
        joins, site, via = "", f"o.{own_site}", "CAST(NULL AS bigint)"
    elif model._meta.get_field(group).many_to_many:
        groups, groups_record, groups_group = _m2m(model, group)
        joins = f"""
            LEFT JOIN {groups} g ON o.{own_record} IS NULL AND g.{groups_record} = t.{theme_record}
            LEFT JOIN {group_sites} gs ON gs.{group_sites_group} = g.{groups_group}"""
        site = f"COALESCE(o.{own_site}, gs.{group_sites_site})"
        via = f"gs.{group_sites_group}"
    else:
        column = model._meta.get_field(group).column
        joins = f"""
            LEFT JOIN {group_sites} gs
              ON o.{own_record} IS NULL AND gs.{group_sites_group} = r.{column}"""
        site = f"COALESCE(o.{own_site}, gs.{group_sites_site})"
        via = f"gs.{group_sites_group}"
    sql = f"""
        SELECT r.programme_id, t.{theme_record}, t.{theme}, CAST(NULL AS bigint),
               CAST(NULL AS bigint)
        FROM {themes} t JOIN {table} r ON r.id = t.{theme_record}
        WHERE t.{theme_record} IN ({ids_sql})
        UNION ALL
        SELECT r.programme_id, t.{theme_record}, t.{theme}, {site}, {via}
        FROM {themes} t JOIN {table} r ON r.id = t.{theme_record}
        LEFT JOIN {own} o ON o.{own_record} = t.{theme_record} {joins}
        WHERE t.{theme_record} IN ({ids_sql}) AND {site} IS NOT NULL"""
    return sql, [*params, *params]


def theme_links_refresh(kind: str, records: QuerySet | Collection[int]) -> set[CountKey]:
    """Compute again the rows of ``records`` of ``kind`` (a query, or ids). Returns the keys of
    the counts their rows were and now are in, which the caller counts again."""
    model, field, _ = KINDS[kind]
    if not isinstance(records, QuerySet):
        if not records:
            return set()
        records = model.objects.filter(pk__in=records)
    links = ThemeLink.objects.filter(kind=kind, **{f"{field}__in": records.values("pk")})
    before = _count_keys(links)
    links.delete()
    sql, params = _links_sql(kind, records)
    columns = ("programme_id", f"{field}_id", "theme_id", "site_id", "via_group_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ThemeLink._meta.db_table} (kind, {', '.join(columns)}) "
            f"SELECT %s, links.* FROM ({sql}) links",
            [kind, *params],
        )
    return before | _count_keys(links)


def _count_keys(links: QuerySet[ThemeLink]) -> set[CountKey]:
    return set(links.order_by().values_list("programme", "theme", "site").distinct())


def theme_counts_refresh(kind: str, keys: Collection[CountKey]) -> None:
    """Count again the records of ``kind`` at each of ``keys`` from their theme links."""
    if not keys:
        return
    rollup_rows_lock(COUNTS, {programme for programme, _, _ in keys}, {(kind, *k) for k in keys})
    at_keys = functools.reduce(Q.__or__, (Q(programme=p, theme=t, site=s) for p, t, s in keys)) & Q(
        kind=kind
    )
    ThemeCount.objects.filter(at_keys).delete()
    _counts_insert(ThemeLink.objects.filter(at_keys))


def theme_counts_rebuild(programme: int, kinds: Collection[str] = tuple(KINDS)) -> None:
    """Count again every record of ``kinds`` in ``programme`` from their theme links."""
    rollup_programme_lock(COUNTS, programme)
    ThemeCount.objects.filter(programme=programme, kind__in=kinds).delete()
    _counts_insert(ThemeLink.objects.filter(programme=programme, kind__in=kinds))


def _counts_insert(links: QuerySet[ThemeLink]) -> None:
    # A record counts once for a site however many of its groups place it there.
    record = Coalesce(*(field for _, field, _ in KINDS.values()))
    counts = (
        links.order_by()
        .values_list("programme", "kind", "theme", "site")
        .annotate(n=Count(record, distinct=True))
    )
    sql, params = counts.query.sql_with_params()
    columns = ", ".join(
        ThemeCount._meta.get_field(name).column
        for name in ("programme", "kind", "theme", "site", "records")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {ThemeCount._meta.db_table} ({columns}) {sql}", params)


def theme_links_written(records: Iterable[models.Model]) -> None:
    """Refresh the rows of the records a write noted, and of those a noted group places."""
    ids: dict[str, set[int]] = defaultdict(set)
    groups, sites_gone = set(), set()
    # The kinds, per programme, of the records deleted: their rows went with them, and which
    # counts they were in with them (a group's took the rows it placed of every kind).
    deleted: dict[int, set[str]] = defaultdict(set)
    for record in records:
        kind = KIND_OF.get(type(record))
        if kind is not None and record.pk is not None:
            ids[kind].add(record.pk)
        if kind is not None and record.pk is None:
            deleted[record.programme_id] |= set(KINDS) if kind == Kind.GROUPS else {kind}
        if kind == Kind.GROUPS and record.pk is not None:
            groups.add(record.pk)
        if isinstance(record, CaseSite) and record.pk is None:
            sites_gone.add(record.programme_id)
    if groups:
        _placed_by(groups, ids)
    for kind, pks in ids.items():
        theme_counts_refresh(kind, theme_links_refresh(kind, pks))
    # A record whose own sites were all deleted counts for its group's now: rare, so every
    # record of the programme is counted again.
    for programme in sites_gone:
        theme_links_rebuild(Programme.objects.get(pk=programme))
    # Deletions are rare: the kinds they took rows of are counted again in the programme.
    for programme, kinds in deleted.items():
        if programme not in sites_gone:
            theme_counts_rebuild(programme, kinds)


def _placed_by(groups: set[int], ids: dict[str, set[int]]) -> None:
    """Add to ``ids`` the records that ``groups`` place through their sites (the rows they
    placed by a link since removed went with the link's write, or with the group)."""
    for kind, (model, _, group) in KINDS.items():
        if group is not None:
            ids[kind] |= set(
                model.objects.filter(**{f"{group}__in": groups}).values_list("pk", flat=True)
            )


def rollups_rebuild(programme: Programme | None = None) -> None:
    """Rebuild every rollup of ``programme``, or of every programme, from its records: the
    activities' (``inquiries.rollups``), the people counts (``inquiries.people_counts``), the
    tallies (``reports.tallies``) and the theme links."""
    if programme is None:
        for each in Programme.objects.order_by("pk"):
            rollups_rebuild(each)
        return
    activity_rollups_rebuild(programme)
    people_counts_rebuild(programme.pk)
    tallies_rebuild(programme.pk)
    theme_links_rebuild(programme)


def theme_links_rebuild(programme: Programme) -> None:
    """Compute again every row of ``programme``, links and counts."""
    for kind, (model, _, _) in KINDS.items():
        theme_links_refresh(kind, model.objects.filter(programme=programme))
    theme_counts_rebuild(programme.pk)
