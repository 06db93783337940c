"""Reads of what a dashboard is about, through the rule set: a forbidden one answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from accounts.rules import permitted
from inquiries.models import InquiryGroup
from sites.models import CaseSite, Programme


def dashboard_sites_for_user(*, user, programme):
    """The programme's sites whose dashboard ``user`` may read: the site filter's choices."""
    return permitted(user, "reports.view_site_dashboard", programme.sites.all()).order_by("name")


@dataclass(frozen=True)
class DashboardEntry:
    programme: Programme
    programme_dashboard: bool
    sites: list[CaseSite]


def dashboard_index(*, user) -> list[DashboardEntry]:
    """The dashboards ``user`` may read, by programme: two queries whatever their number."""
    programmes = set(
        permitted(user, "reports.view_programme_dashboard").values_list("pk", flat=True)
    )
    sites = permitted(user, "reports.view_site_dashboard").select_related("programme")
    by_programme: dict[Programme, list[CaseSite]] = {}
    for site in sites.order_by("programme__name", "name"):
        by_programme.setdefault(site.programme, []).append(site)
    return [
        DashboardEntry(programme=programme, programme_dashboard=programme.pk in programmes, sites=s)
        for programme, s in by_programme.items()
    ]


def dashboard_programme_get(*, user, slug: str) -> Programme:
    """The programme whose dashboard ``user`` may read (404 otherwise)."""
    return get_object_or_404(
        permitted(user, "reports.view_programme_dashboard", Programme.objects.filter(slug=slug))
    )


def dashboard_site_get(*, user, programme_slug: str, slug: str) -> CaseSite:
    """The site whose dashboard ``user`` may read (404 otherwise: another site is missing)."""
    sites = CaseSite.objects.select_related("programme").filter(
        programme__slug=programme_slug, slug=slug
    )
    return get_object_or_404(permitted(user, "reports.view_site_dashboard", sites))


def dashboard_group_get(*, user, programme_slug: str, pk: int) -> InquiryGroup:
    """The group whose dashboard ``user`` may read (404 otherwise)."""
    groups = InquiryGroup.objects.select_related("programme").filter(
        programme__slug=programme_slug, pk=pk
    )
    return get_object_or_404(permitted(user, "reports.view_group_dashboard", groups))


# The rule that guards the dashboard of each level, and the records it is about: the API reads
# a dashboard's figures by the record's id where the pages name it by its slugs.
DASHBOARD_LEVELS = {
    "programme": ("reports.view_programme_dashboard", Programme.objects.all()),
    "site": ("reports.view_site_dashboard", CaseSite.objects.select_related("programme")),
    "group": ("reports.view_group_dashboard", InquiryGroup.objects.select_related("programme")),
}


def dashboard_target_by_id(*, user, level: str, pk: int) -> Programme | CaseSite | InquiryGroup:
    """The programme, site or group (by ``level``) whose dashboard ``user`` may read, by its id
    (404 otherwise, as the pages' ``dashboard_*_get``)."""
    perm, records = DASHBOARD_LEVELS[level]
    return get_object_or_404(permitted(user, perm, records.filter(pk=pk)))
