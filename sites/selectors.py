"""Reads of case sites and organisations, always through the rule set.

A detail fetches through the same selector as its list, so a missing record and a forbidden
one both answer 404 and an id reveals nothing. Records of other apps that a site or an
organisation page shows (groups, activities, people, events) are reached through the reverse
relations and cut down by their own rules, never inherited from the site.
"""

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.rules import permitted
from car_programme.selectors import subquery_count
from sites.models import (
    CaseSite,
    EngagementFigure,
    Organisation,
    Programme,
    ProgrammeFigure,
    ProposedProject,
)

# --- Programmes -------------------------------------------------------------------------------


def programme_get_for_user(*, user, pk: int) -> Programme:
    return get_object_or_404(permitted(user, "sites.view_programme"), pk=pk)


@dataclass
class ProgrammePage:
    """What the programme page shows besides the programme itself, each part one query."""

    figures: QuerySet[ProgrammeFigure]
    sites: QuerySet[CaseSite]


def programme_page(*, programme: Programme, user) -> ProgrammePage:
    """The figures published of ``programme`` as a whole and its sites, as ``user`` may see
    them."""
    return ProgrammePage(
        figures=permitted(
            user, "sites.view_programmefigure", programme.published_figures.all()
        ).order_by("position", "label"),
        sites=permitted(user, "sites.view_casesite", programme.sites.all()).order_by("name"),
    )


# --- Case sites -------------------------------------------------------------------------------


def site_list_for_user(*, user) -> QuerySet[CaseSite]:
    """The case sites ``user`` may see, with their number of groups and organisations."""
    through_groups = CaseSite.groups.through.objects.all()
    through_organisations = Organisation.sites.through.objects.all()
    return (
        permitted(user, "sites.view_casesite")
        .select_related("programme", "director")
        .prefetch_related(Prefetch("lead_researchers", queryset=User.objects.order_by("full_name")))
        .annotate(
            group_count=subquery_count(through_groups, "casesite", distinct=True),
            organisation_count=subquery_count(through_organisations, "casesite", distinct=True),
        )
        .order_by("programme__name", "name")
    )


def site_get_for_user(*, user, pk: int) -> CaseSite:
    return get_object_or_404(site_list_for_user(user=user), pk=pk)


def sites_editable_by(*, user, programme: Programme | int | None = None) -> QuerySet[CaseSite]:
    """The case sites whose records ``user`` may change, and so create records in: every
    form's site choices (of ``programme`` when given)."""
    sites = permitted(user, "sites.change_casesite").select_related("programme")
    if programme is not None:
        sites = sites.filter(programme=programme)
    return sites.order_by("programme__name", "name")


@dataclass
class SitePage:
    """What the site page shows besides the site itself, each part one query."""

    proposed_projects: QuerySet[ProposedProject]
    engagement_figures: QuerySet[EngagementFigure]
    tallies: QuerySet
    organisations: QuerySet[Organisation]


def site_page(*, site: CaseSite, user) -> SitePage:
    """Table B, the researcher engagement figures, the backstage tallies and the organisations of
    ``site``, each cut down to what ``user`` may see.

    Table B pairs each proposed project with the groups that delivered it, in the order of the
    application; the tallies are the site's activities that hold a published count and belong
    to no group ("703 incoming emails").
    """
    delivered_by = permitted(user, "inquiries.view_inquirygroup").order_by("start_date", "name")
    tallies = site.activities.filter(group__isnull=True, count__isnull=False)
    return SitePage(
        proposed_projects=permitted(
            user, "sites.view_proposedproject", site.proposed_projects.all()
        )
        .prefetch_related(Prefetch("delivered_by", queryset=delivered_by))
        .order_by("position", "title"),
        engagement_figures=permitted(
            user, "sites.view_engagementfigure", site.engagement_figures.all()
        ).order_by("position", "label"),
        tallies=permitted(user, "inquiries.view_activity", tallies).order_by("date", "kind", "pk"),
        organisations=permitted(user, "sites.view_organisation", site.organisations.all()).order_by(
            "name"
        ),
    )


def proposed_project_get_for_user(*, user, pk: int) -> ProposedProject:
    return get_object_or_404(
        permitted(user, "sites.view_proposedproject").select_related("site"), pk=pk
    )


# --- Organisations ----------------------------------------------------------------------------


def organisation_list_for_user(*, user) -> QuerySet[Organisation]:
    """The organisations ``user`` may see, with their number of people (never their names)."""
    people = Organisation.people.rel.related_model._default_manager.all()
    return (
        permitted(user, "sites.view_organisation")
        .select_related("programme")
        .prefetch_related(Prefetch("sites", queryset=CaseSite.objects.order_by("name")))
        .annotate(person_count=subquery_count(people, "organisation", distinct=True))
        .order_by("name", "pk")
    )


def organisation_get_for_user(*, user, pk: int) -> Organisation:
    return get_object_or_404(organisation_list_for_user(user=user), pk=pk)


@dataclass
class OrganisationPage:
    sites: QuerySet[CaseSite]
    people_by_level: list[dict]
    events: QuerySet


def organisation_page(*, organisation: Organisation, user) -> OrganisationPage:
    """The organisation's sites, its people as counts by level, and the events where it took
    part (named as a participant or with a head count of its own), each as ``user`` may see.

    People are counted, never named: the page is read by strategy leads too, and a count says
    nothing about anyone's consent.
    """
    person_model = Organisation.people.rel.related_model
    levels = dict(person_model._meta.get_field("level").flatchoices)
    counts = (
        permitted(user, "inquiries.view_person", organisation.people.all())
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
        .order_by("level")
    )
    by_level = {row["level"]: row["n"] for row in counts}
    # In the order of the levels (strategic to frontline), the unrecorded ones last.
    people_by_level = [
        {"level": label, "count": by_level[value]}
        for value, label in [*levels.items(), ("", "Level not recorded")]
        if value in by_level
    ]
    event_model = Organisation.events.rel.related_model
    head_counts = organisation.attendance_counts.filter(event=OuterRef("pk"))
    events = (
        permitted(
            user,
            "events.view_event",
            event_model._default_manager.filter(
                Q(pk__in=organisation.events.values("pk"))
                | Q(pk__in=organisation.attendance_counts.values("event"))
            ),
        )
        .annotate(
            head_count=Subquery(head_counts.values("count")[:1]),
            head_count_approximate=Subquery(head_counts.values("approximate")[:1]),
        )
        .order_by(F("start_date").asc(nulls_last=True), "title")
    )
    return OrganisationPage(
        sites=permitted(user, "sites.view_casesite", organisation.sites.all()).order_by("name"),
        people_by_level=people_by_level,
        events=events,
    )


def organisation_dependants(*, organisation: Organisation) -> dict[str, int]:
    """What keeps ``organisation`` from being deleted: its people and its head counts, whoever
    may see them."""
    return {
        "people": organisation.people.count(),
        "head_counts": organisation.attendance_counts.count(),
    }
