"""What an export covers: a whole programme, or one of its sites, as the rule set allows, and
optionally a date range."""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.rules import Scope, permitted
from inquiries.scope import RecordScope
from sites.models import CaseSite, Programme


@dataclass(frozen=True)
class ExportTarget:
    """A whole programme, or one of its sites, and the dates (inclusive, either may be open)
    that the dated datasets keep their rows to. The range is validated by the caller's form
    (``reports.forms.DateRangeForm``); a reversed one would keep no dated row."""

    programme: Programme
    site: CaseSite | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def between(self, start: dt.date | None, end: dt.date | None) -> ExportTarget:
        return dataclasses.replace(self, start=start, end=end)

    @property
    def scope(self) -> RecordScope:
        """The dashboards' scope of the same place and dates, whose date conditions the dated
        datasets apply; their place is cut by :meth:`within`, through the rules' scopes."""
        return RecordScope(programme=self.programme, site=self.site, start=self.start, end=self.end)

    @property
    def notes_permission(self) -> tuple[str, Programme | CaseSite]:
        if self.site is None:
            return "reports.export_programme_notes", self.programme
        return "reports.export_site_notes", self.site

    def within(self, queryset: QuerySet, scope: Scope) -> QuerySet:
        """``queryset`` cut to the target, following the rule set's ``scope`` of its model."""
        condition = Q(**{scope.programme: self.programme.pk})
        if self.site is not None:
            condition &= reduce(operator.or_, (Q(**{path: self.site.pk}) for path in scope.sites))
        model = queryset.model
        # A subquery keeps joins through many-to-many site paths from repeating rows.
        return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))

    def readable(self, user, perm: str, model: type[Model], scope: Scope) -> QuerySet:
        """The records of ``model`` in the target that ``perm`` lets ``user`` read."""
        return permitted(user, perm, self.within(model.objects.all(), scope))

    def filename(self, extension: str, *, today: dt.date, dataset: str | None = None) -> str:
        """The programme's slug, the site's, the dataset's (none for the workbook) and the date
        range (else the day of the export), joined by underscores since slugs hold hyphens:
        ``wws-car_fife_2016-01-01_2017-12-31.xlsx``."""
        parts = [self.programme.slug]
        if self.site is not None:
            parts.append(self.site.slug)
        if dataset is not None:
            parts.append(dataset)
        if self.start is not None and self.end is not None:
            parts += [self.start.isoformat(), self.end.isoformat()]
        elif self.start is not None:
            parts.append(f"from-{self.start.isoformat()}")
        elif self.end is not None:
            parts.append(f"to-{self.end.isoformat()}")
        else:
            parts.append(today.isoformat())
        return f"{'_'.join(parts)}.{extension}"


def export_target_get(*, user, programme_slug: str, site_slug: str | None = None) -> ExportTarget:
    """The programme or site ``user`` may export, or 404 whether it is missing or forbidden."""
    if site_slug is None:
        programme = get_object_or_404(
            permitted(user, "reports.export_programme"), slug=programme_slug
        )
        return ExportTarget(programme=programme)
    site = get_object_or_404(
        permitted(user, "reports.export_site").select_related("programme"),
        programme__slug=programme_slug,
        slug=site_slug,
    )
    return ExportTarget(programme=site.programme, site=site)


def export_target_by_id(*, user, programme_id: int | None = None, site_id: int | None = None):
    """The programme or the site ``user`` may export, by its id (the API's way of naming it),
    or 404 whether it is missing or forbidden, under the same rules as ``export_target_get``."""
    if site_id is None:
        programme = get_object_or_404(permitted(user, "reports.export_programme"), pk=programme_id)
        return ExportTarget(programme=programme)
    site = get_object_or_404(
        permitted(user, "reports.export_site").select_related("programme"), pk=site_id
    )
    return ExportTarget(programme=site.programme, site=site)


def export_targets_for_user(*, user) -> tuple[QuerySet[Programme], QuerySet[CaseSite]]:
    """The programmes and the sites whose data ``user`` may export."""
    programmes = permitted(user, "reports.export_programme").order_by("name")
    sites = (
        permitted(user, "reports.export_site")
        .select_related("programme")
        .order_by("programme__name", "name")
    )
    return programmes, sites
