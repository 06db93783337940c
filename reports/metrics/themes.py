"""How the records in scope touch each theme of the programme's frameworks, per site."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from reports.metrics.scope import MetricScope
from reports.models import ThemeCount, ThemeLink
from reports.rollups import KINDS
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


def theme_coverage(*, scope: MetricScope) -> list[FrameworkCoverage]:
    """For each framework of the programme (by name), each theme: the groups, evidence items,
    outputs, changes and events in scope touching it, in total and per site.

    Counted from the theme links that the writes keep (``reports.rollups``), or for the whole
    programme read from their counts: a record counts for its own sites, else for its group's
    (or groups') sites."""
    themes = list(
        Theme.objects.filter(programme=scope.programme)
        .order_by("framework", "position", "name", "pk")
        .values_list("pk", "framework", "name")
    )
    sites = list(scope.sites().order_by("name", "pk").values_list("pk", "name"))
    kinds = {
        ThemeLink.Kind.GROUPS: scope.groups(),
        ThemeLink.Kind.EVIDENCE: scope.evidence(),
        ThemeLink.Kind.OUTPUTS: scope.outputs(),
        ThemeLink.Kind.CHANGES: scope.changes(),
        ThemeLink.Kind.EVENTS: scope.events(),
    }
    totals: dict[str, dict[int, int]] = {kind: {} for kind in kinds}
    per_site: dict[str, dict[tuple[int, int], int]] = {kind: {} for kind in kinds}
    for kind, theme, site, n in _counts(scope, kinds):
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


def _counts(scope: MetricScope, kinds: dict[str, QuerySet]) -> QuerySet:
    """(kind, theme, site, records) of the records of ``kinds``, a site of none for the total."""
    if scope.is_whole_programme:
        # Every record of the programme is in the whole programme's scope: its counts are kept.
        counts = ThemeCount.objects.filter(programme=scope.programme)
        return counts.values_list("kind", "theme", "site", "records")
    # A kind at a time, each found from its records (an "or" of the kinds would have the
    # database read every link of the programme); a record counts once for a site however
    # many of its groups place it there.
    first, *others = (
        ThemeLink.objects.filter(
            programme=scope.programme,
            kind=kind,
            **{f"{KINDS[kind][1]}__in": records.values("pk")},
        )
        .order_by()
        .values_list("kind", "theme", "site")
        .annotate(n=Count(KINDS[kind][1], distinct=True))
        for kind, records in kinds.items()
    )
    return first.union(*others, all=True)
