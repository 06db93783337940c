"""How the records in scope touch each theme of the programme's frameworks, per site."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from inquiries.models import InquiryGroup
from reports.metrics.scope import MetricScope
from sites.models import Theme


@dataclass(frozen=True)
class Coverage:
    groups: int
    evidence: int
    outputs: int
    changes: int
    events: int

    @property
    def total(self) -> int:
        return self.groups + self.evidence + self.outputs + self.changes + self.events


@dataclass(frozen=True)
class ThemeCoverage:
    theme_id: int
    name: str
    total: Coverage  # distinct records in scope touching the theme
    # Per site in scope, in the order of FrameworkCoverage.site_names; a programme-wide record
    # (no site) counts only in ``total``.
    per_site: tuple[Coverage, ...]


@dataclass(frozen=True)
class FrameworkCoverage:
    framework: str
    site_ids: tuple[int, ...]
    site_names: tuple[str, ...]
    themes: tuple[ThemeCoverage, ...]  # in the framework's order


def _m2m(model, name: str) -> tuple[str, str, str]:
    """The table of ``model``'s many-to-many field ``name``, its column naming the ``model``
    row and its column naming the other side."""
    field = model._meta.get_field(name)
    return field.m2m_db_table(), field.m2m_column_name(), field.m2m_reverse_name()


def _coverage_sql(kind: str, records: QuerySet, group: str | None) -> tuple[str, str, list]:
    """For the records of ``kind`` in ``records``: a CTE ``<kind>_themes`` of their (record,
    theme) links, and a query counting per theme and site the records that count for the
    site: by their own sites, else by those of their group (``group`` a foreign key) or of
    their groups (``group`` a many-to-many)."""
    model = records.model
    scoped_sql, params = records.order_by().values("pk").query.sql_with_params()
    themes, theme_record, theme = _m2m(model, "themes")
    own, own_record, own_site = _m2m(model, "sites")
    group_sites, group_sites_group, group_sites_site = _m2m(InquiryGroup, "sites")
    cte = f"""
        {kind}_themes (record, theme) AS MATERIALIZED (
            SELECT {theme_record}, {theme} FROM {themes} WHERE {theme_record} IN ({scoped_sql})
        )"""
    own_join = f"LEFT JOIN {own} o ON o.{own_record} = t.record"
    if group is None:
        joins, site, counted = own_join, f"o.{own_site}", "COUNT(*)"
    elif model._meta.get_field(group).many_to_many:
        # A record's groups may share a site: only these (few) records need DISTINCT.
        table, record, group_column = _m2m(model, group)
        joins = f"""{own_join}
            LEFT JOIN {table} g ON o.{own_record} IS NULL AND g.{record} = t.record
            LEFT JOIN {group_sites} gs ON gs.{group_sites_group} = g.{group_column}"""
        site = f"COALESCE(o.{own_site}, gs.{group_sites_site})"
        counted = "COUNT(DISTINCT t.record)"
    else:
        # The group's sites are joined only for a record without sites of its own, so each
        # record meets each site once and a plain count is distinct.
        joins = f"""{own_join}
            LEFT JOIN {model._meta.db_table} r ON o.{own_record} IS NULL AND r.id = t.record
            LEFT JOIN {group_sites} gs
              ON gs.{group_sites_group} = r.{model._meta.get_field(group).column}"""
        site = f"COALESCE(o.{own_site}, gs.{group_sites_site})"
        counted = "COUNT(*)"
    per_site = f"""
        SELECT '{kind}', t.theme, {site}, {counted} FROM {kind}_themes t {joins}
        WHERE {site} IS NOT NULL GROUP BY 1, 2, 3"""
    return cte, per_site, list(params)


def theme_coverage(*, scope: MetricScope) -> list[FrameworkCoverage]:
    """For each framework of the programme (by name), each theme: the groups, evidence items,
    outputs, changes and events in scope touching it, in total and per site."""
    themes = list(
        Theme.objects.filter(programme=scope.programme)
        .order_by("framework", "position", "name", "pk")
        .values_list("pk", "framework", "name")
    )
    sites = list(scope.sites().order_by("name", "pk").values_list("pk", "name"))
    # A record counts for its own sites, else for its group's (or groups') sites.
    kinds = {
        "groups": (scope.groups(), None),
        "evidence": (scope.evidence(), "group"),
        "outputs": (scope.outputs(), "groups"),
        "changes": (scope.changes(), "group"),
        "events": (scope.events(), "groups"),
    }
    # One pass for every kind, starting from the theme links (records without a theme never
    # reach a join). A record has each theme and each site once, so plain counts are distinct.
    ctes, counts, params = [], [], []
    for kind, (records, group) in kinds.items():
        cte, per_site_sql, cte_params = _coverage_sql(kind, records, group)
        ctes.append(cte)
        params += cte_params
        counts.append(f"SELECT '{kind}', theme, NULL, COUNT(*) FROM {kind}_themes GROUP BY 2")
        counts.append(per_site_sql)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} {' UNION ALL '.join(counts)}", params)
        rows = cursor.fetchall()
    totals: dict[str, dict[int, int]] = {kind: {} for kind in kinds}
    per_site: dict[str, dict[tuple[int, int], int]] = {kind: {} for kind in kinds}
    for kind, theme, site, n in rows:
        if site is None:
            totals[kind][theme] = n
        else:
            per_site[kind][theme, site] = n
    frameworks: dict[str, list[ThemeCoverage]] = {}
    for pk, framework, name in themes:
        frameworks.setdefault(framework, []).append(
            ThemeCoverage(
                theme_id=pk,
                name=name,
                total=Coverage(**{kind: totals[kind].get(pk, 0) for kind in kinds}),
                per_site=tuple(
                    Coverage(**{kind: per_site[kind].get((pk, site), 0) for kind in kinds})
                    for site, _ in sites
                ),
            )
        )
    return [
        FrameworkCoverage(
            framework=framework,
            site_ids=tuple(pk for pk, _ in sites),
            site_names=tuple(name for _, name in sites),
            themes=tuple(covered),
        )
        for framework, covered in frameworks.items()
    ]
