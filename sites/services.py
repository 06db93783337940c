"""Writes on case sites, their proposed projects (Table B) and organisations.

Creating and deleting a case site stays in the administration, for programme managers: a site
carries roles, groups and everything recorded in it.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max

from accounts.models import User
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme
from car_programme.records_version import records_write
from car_programme.revisions import save_with_links
from car_programme.services import authored, check_fields, refuse_taken
from sites.models import CaseSite, Organisation, Programme, ProposedProject
from sites.selectors import organisation_dependants

# In the order the site's form shows them.
SITE_FIELDS = (
    "partnership_name",
    "population",
    "population_qualifier",
    "geography",
    "inequality_notes",
    "selection_need",
    "selection_capacity",
    "selection_sustainability",
    "delivered_focus",
)
PROPOSED_PROJECT_FIELDS = frozenset({"title", "description", "outcome", "reason"})
ORGANISATION_FIELDS = frozenset({"name", "sector"})


# --- Case sites -------------------------------------------------------------------------------


@records_write
@transaction.atomic
def site_update(*, site: CaseSite, by: User | None, **fields: Any) -> CaseSite:
    """Change a site's context, selection rationale and delivered focus (Table B's third
    column, a list of lines in the partnership's order).

    Side effects: updates the row and adds a history row.
    """
    check_fields(fields, SITE_FIELDS)
    if "delivered_focus" in fields:
        fields["delivered_focus"] = [
            line.strip() for line in fields["delivered_focus"] if line and line.strip()
        ]
    for name, value in fields.items():
        setattr(site, name, value)
    authored(site, by).save(update_fields=list(fields))
    return site


# --- Proposed projects ------------------------------------------------------------------------


def _check_title_free(site: CaseSite, title: str, project: ProposedProject | None = None) -> None:
    refuse_taken(
        site.proposed_projects.filter(title=title),
        record=project,
        message=f"{site} already has a proposed project titled “{title}”.",
    )


@records_write
@transaction.atomic
def proposed_project_create(*, site: CaseSite, by: User | None, **fields: Any) -> ProposedProject:
    """Add a proposed project to ``site``'s Table B, after the ones already there.

    Side effects: one ProposedProject row and its history row.
    """
    check_fields(fields, PROPOSED_PROJECT_FIELDS)
    _check_title_free(site, fields["title"])
    last = site.proposed_projects.aggregate(last=Max("position"))["last"]
    project = ProposedProject(site=site, position=0 if last is None else last + 1, **fields)
    authored(project, by).save()
    return project


@records_write
@transaction.atomic
def proposed_project_update(
    *, project: ProposedProject, by: User | None, **fields: Any
) -> ProposedProject:
    """Change a proposed project; its place in Table B stays.

    Side effects: updates the row and adds a history row.
    """
    check_fields(fields, PROPOSED_PROJECT_FIELDS)
    if "title" in fields:
        _check_title_free(project.site, fields["title"], project)
    for name, value in fields.items():
        setattr(project, name, value)
    authored(project, by).save(update_fields=list(fields))
    return project


@records_write
@transaction.atomic
def proposed_project_delete(*, project: ProposedProject, by: User | None) -> None:
    """Delete a proposed project.

    Side effects: the row goes (its history keeps a deletion row); the groups that delivered it
    lose the link.
    """
    authored(project, by).delete()


# --- Organisations ----------------------------------------------------------------------------


def _check_organisation(
    programme: Programme, name: str, sites: list[CaseSite], organisation=None
) -> None:
    check_same_programme(programme, sites=sites)
    refuse_taken(
        Organisation.objects.filter(programme=programme, name=name),
        record=organisation,
        message=f"{programme} already has an organisation named “{name}”.",
    )


@records_write
@transaction.atomic
def organisation_create(
    *, programme: Programme, sites: Iterable[CaseSite], by: User | None, **fields: Any
) -> Organisation:
    """Record an organisation, a partner in ``sites``.

    Side effects: one Organisation row and its history row, and its sites.
    """
    check_fields(fields, ORGANISATION_FIELDS)
    sites = list(sites)
    _check_organisation(programme, fields["name"], sites)
    organisation = Organisation(programme=programme, **fields)
    save_with_links(organisation, by=by, links={"sites": sites})
    return organisation


@records_write
@transaction.atomic
def organisation_update(
    *, organisation: Organisation, sites: Iterable[CaseSite], by: User | None, **fields: Any
) -> Organisation:
    """Change an organisation's name, sector and sites.

    Side effects: updates the row and adds a history row; replaces its sites.
    """
    check_fields(fields, ORGANISATION_FIELDS)
    sites = list(sites)
    _check_organisation(
        organisation.programme, fields.get("name", organisation.name), sites, organisation
    )
    for name, value in fields.items():
        setattr(organisation, name, value)
    save_with_links(organisation, by=by, update_fields=list(fields), links={"sites": sites})
    return organisation


@records_write
@transaction.atomic
def organisation_delete(*, organisation: Organisation, by: User | None) -> None:
    """Delete an organisation that nothing refers to.

    An organisation with people would leave them without one, and one with head counts would
    take published attendance figures with it: both are refused.

    Side effects: the row goes (its history keeps a deletion row); events lose the link.
    """
    dependants = organisation_dependants(organisation=organisation)
    if dependants["people"] or dependants["head_counts"]:
        raise DomainError(
            f"“{organisation}” has {dependants['people']} "
            f"{'person' if dependants['people'] == 1 else 'people'} and "
            f"{dependants['head_counts']} event head count"
            f"{'' if dependants['head_counts'] == 1 else 's'}: it cannot be deleted."
        )
    authored(organisation, by).delete()
