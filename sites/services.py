"""Writes on programmes, their case sites, proposed projects (Table B), organisations and
theme frameworks.

Deleting a case site stays in the administration, for superusers: a site carries roles, groups
and everything recorded in it. Archiving a programme writes only the programme: the rule set
then allows no write in it (``accounts.rules.add_rule``).
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme
from car_programme.records_version import records_write
from car_programme.revisions import save_with_links
from car_programme.services import (
    authored,
    check_fields,
    delete_file_on_commit,
    refuse_taken,
)
from car_programme.validators import checked_logo
from sites.models import CaseSite, Organisation, Programme, ProposedProject, Theme
from sites.selectors import organisation_dependants, site_people, theme_uses

PROGRAMME_FIELDS = (
    "name",
    "funders",
    "start_date",
    "end_date",
    "description",
    "logo",
    "managers_need_second_factor",
)
# What only a programme manager sets on a site, besides its lead researchers.
SITE_SETUP_FIELDS = ("name", "director")
THEME_FIELDS = frozenset({"name", "description"})


def _free_slug(taken: QuerySet, name: str, *, limit: int = 80) -> str:
    """A slug of ``name`` that no row of ``taken`` holds: ``fife``, else ``fife-2``, ..."""
    base = slugify(name)[: limit - 4] or "item"
    used = set(taken.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_dates(start, end) -> None:
    if start and end and end < start:
        raise DomainError("The end date cannot be before the start date.")


def _renumber(records: Sequence[Model], by: User | None) -> None:
    """Save ``position`` 0, 1, ... in the order of ``records``, where it differs (a history row
    each)."""
    for position, record in enumerate(records):
        if record.position != position:
            record.position = position
            authored(record, by).save(update_fields=["position"])


def _move(record: Model, siblings: QuerySet, *, up: bool, by: User | None) -> None:
    """Swap ``record`` with the sibling before it (``up``) or after it; nothing at either end.
    The siblings are renumbered 0, 1, ... so that equal positions (rows loaded without one)
    still move."""
    order = list(siblings.select_for_update())
    index = next(i for i, sibling in enumerate(order) if sibling.pk == record.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    _renumber(order, by)


# --- Programmes -------------------------------------------------------------------------------


def _check_programme(fields: dict[str, Any], programme: Programme | None = None) -> None:
    """Refuse an end before the start, a name another programme holds (in any case), and a
    new logo that is no image of ours (``checked_logo``, which also names it)."""
    logo = fields.get("logo")
    if logo and not isinstance(logo, FieldFile):
        checked_logo(logo)
    _check_dates(
        fields.get("start_date", getattr(programme, "start_date", None)),
        fields.get("end_date", getattr(programme, "end_date", None)),
    )
    if "name" in fields:
        refuse_taken(
            Programme.objects.filter(name__iexact=fields["name"]),
            record=programme,
            message=f"A programme named “{fields['name']}” exists already.",
        )


@records_write
@transaction.atomic
def programme_create(*, by: User | None, **fields: Any) -> Programme:
    """Make a programme, with a slug of its name that no other programme holds.

    Nobody holds a role in it yet: superusers manage every programme, and invite its managers.

    Side effects: one Programme row and its history row; the logo, if any, is stored.
    """
    check_fields(fields, PROGRAMME_FIELDS)
    _check_programme(fields)
    programme = Programme(slug=_free_slug(Programme.objects.all(), fields["name"]), **fields)
    authored(programme, by).save()
    return programme


@records_write
@transaction.atomic
def programme_update(*, programme: Programme, by: User | None, **fields: Any) -> Programme:
    """Change a programme's name, description, dates and logo; its slug stays, as addresses
    may hold it. ``logo``: a new file, ``False`` or ``None`` to remove it, or the stored one
    (what a form posts back when the logo is left as it is).

    Side effects: updates the row and adds a history row; a replaced or removed logo leaves
    storage once the transaction commits.
    """
    check_fields(fields, PROGRAMME_FIELDS)
    _check_programme(fields, programme)
    logo = fields.get("logo")
    if isinstance(logo, FieldFile):
        del fields["logo"]
    elif "logo" in fields and not logo:
        fields["logo"] = ""
    # Read from the row: a model form has already put the new file on the instance.
    stored = Programme.objects.values_list("logo", flat=True).get(pk=programme.pk)
    for name, value in fields.items():
        setattr(programme, name, value)
    authored(programme, by).save(update_fields=list(fields))
    if "logo" in fields and stored and stored != programme.logo.name:
        delete_file_on_commit(FieldFile(programme, Programme._meta.get_field("logo"), stored))
    return programme


@records_write
@transaction.atomic
def programme_archive(*, programme: Programme, by: User | None) -> Programme:
    """Archive a programme: from now on read-only, and out of the lists of programmes to work in.

    Side effects: sets ``archived_at`` and adds a history row; nothing else is touched, so its
    records, their history and its reports stay as they were, readable as before.
    """
    if programme.is_archived:
        raise DomainError(f"{programme} is archived already.")
    programme.archived_at = timezone.now()
    authored(programme, by).save(update_fields=["archived_at"])
    return programme


@records_write
@transaction.atomic
def programme_restore(*, programme: Programme, by: User | None) -> Programme:
    """Take a programme out of the archive: its roles may write in it again.

    Side effects: clears ``archived_at`` and adds a history row.
    """
    if not programme.is_archived:
        raise DomainError(f"{programme} is not archived.")
    programme.archived_at = None
    authored(programme, by).save(update_fields=["archived_at"])
    return programme


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


def _check_site(
    programme: Programme, fields: dict, lead_researchers, site: CaseSite | None = None
) -> None:
    """Refuse a name another site of the programme holds, and lead researchers or a director
    who hold no role in it (unless the site has them already)."""
    if "name" in fields:
        refuse_taken(
            programme.sites.filter(name=fields["name"]),
            record=site,
            message=f"{programme} already has a site named “{fields['name']}”.",
        )
    people = [*(lead_researchers or ()), *([fields["director"]] if fields.get("director") else [])]
    if people:
        allowed = set(site_people(programme=programme, site=site).values_list("pk", flat=True))
        strangers = [str(user) for user in people if user.pk not in allowed]
        if strangers:
            raise DomainError(
                f"{', '.join(strangers)} hold{'s' if len(strangers) == 1 else ''} no role in "
                f"{programme}: invite them first."
            )


def _clean_site_fields(fields: dict) -> dict:
    if "delivered_focus" in fields:
        fields["delivered_focus"] = [
            line.strip() for line in fields["delivered_focus"] if line and line.strip()
        ]
    return fields


@records_write
@transaction.atomic
def site_create(
    *,
    programme: Programme,
    lead_researchers: Iterable[User] = (),
    by: User | None,
    **fields: Any,
) -> CaseSite:
    """Add a case site to ``programme``, with a slug of its name that no other site of the
    programme holds.

    Side effects: one CaseSite row and one history row holding its lead researchers.
    """
    check_fields(fields, (*SITE_SETUP_FIELDS, *SITE_FIELDS))
    lead_researchers = list(lead_researchers)
    _check_site(programme, fields, lead_researchers)
    site = CaseSite(
        programme=programme,
        slug=_free_slug(programme.sites.all(), fields["name"]),
        **_clean_site_fields(fields),
    )
    save_with_links(site, by=by, links={"lead_researchers": lead_researchers})
    return site


@records_write
@transaction.atomic
def site_update(
    *,
    site: CaseSite,
    by: User | None,
    lead_researchers: Iterable[User] | None = None,
    **fields: Any,
) -> CaseSite:
    """Change a site's context, selection rationale and delivered focus (Table B's third
    column, a list of lines in the partnership's order), and where given its name, director
    and lead researchers (``None``: unchanged). Its slug stays, as addresses may hold it.

    Side effects: updates the row and adds one history row, holding its lead researchers.
    """
    check_fields(fields, (*SITE_SETUP_FIELDS, *SITE_FIELDS))
    lead_researchers = None if lead_researchers is None else list(lead_researchers)
    _check_site(site.programme, fields, lead_researchers, site)
    for name, value in _clean_site_fields(fields).items():
        setattr(site, name, value)
    links = {} if lead_researchers is None else {"lead_researchers": lead_researchers}
    save_with_links(site, by=by, update_fields=list(fields), links=links)
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


@records_write
@transaction.atomic
def proposed_project_move(*, project: ProposedProject, up: bool, by: User | None) -> None:
    """Move a proposed project one place up or down its site's Table B.

    Side effects: renumbers the site's proposed projects, a history row each that moved.
    """
    _move(project, project.site.proposed_projects.order_by("position", "title"), up=up, by=by)


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


# --- Theme frameworks -------------------------------------------------------------------------
# A framework is the name its themes share (``Theme.framework``): it exists while a theme
# carries it, so making one is adding its first themes, and renaming it renames it on each.


def _framework(programme: Programme, framework: str) -> QuerySet[Theme]:
    return programme.themes.filter(framework=framework).order_by("position", "name")


def _check_theme_name(programme, framework: str, name: str, theme: Theme | None = None) -> None:
    refuse_taken(
        _framework(programme, framework).filter(name=name),
        record=theme,
        message=f"The framework “{framework}” already has a theme named “{name}”.",
    )


@records_write
@transaction.atomic
def theme_create(*, programme: Programme, framework: str, by: User | None, **fields: Any) -> Theme:
    """Add a theme at the end of ``framework`` (a new framework, if none of ``programme``'s
    themes carries that name yet).

    Side effects: one Theme row and its history row.
    """
    check_fields(fields, THEME_FIELDS)
    framework = framework.strip()
    _check_theme_name(programme, framework, fields["name"])
    last = _framework(programme, framework).aggregate(last=Max("position"))["last"]
    theme = Theme(
        programme=programme,
        framework=framework,
        position=0 if last is None else last + 1,
        **fields,
    )
    authored(theme, by).save()
    return theme


@records_write
@transaction.atomic
def framework_create(
    *, programme: Programme, framework: str, themes: Sequence[str], by: User | None
) -> list[Theme]:
    """Make the framework ``framework`` of ``programme`` with ``themes``, in their order.

    Side effects: a Theme row and its history row per theme.
    """
    framework = framework.strip()
    if programme.themes.filter(framework=framework).exists():
        raise DomainError(f"{programme} already has a framework named “{framework}”.")
    names = [name.strip() for name in themes if name.strip()]
    if not names:
        raise DomainError("Give the framework at least one theme.")
    if len(set(names)) < len(names):
        raise DomainError("Each theme of a framework needs a name of its own.")
    return [
        theme_create(programme=programme, framework=framework, name=name, by=by) for name in names
    ]


@records_write
@transaction.atomic
def framework_rename(
    *, programme: Programme, framework: str, new_name: str, by: User | None
) -> None:
    """Rename a framework on each of its themes; reports group by the new name.

    Side effects: updates each theme of the framework, a history row each.
    """
    new_name = new_name.strip()
    if new_name == framework:
        return
    if programme.themes.filter(framework=new_name).exists():
        raise DomainError(f"{programme} already has a framework named “{new_name}”.")
    themes = list(_framework(programme, framework).select_for_update())
    if not themes:
        raise DomainError(f"{programme} has no framework named “{framework}”.")
    for theme in themes:
        theme.framework = new_name
        authored(theme, by).save(update_fields=["framework"])


@records_write
@transaction.atomic
def theme_update(*, theme: Theme, by: User | None, **fields: Any) -> Theme:
    """Change a theme's name and description; its framework and place stay.

    Side effects: updates the row and adds a history row.
    """
    check_fields(fields, THEME_FIELDS)
    if "name" in fields:
        _check_theme_name(theme.programme, theme.framework, fields["name"], theme)
    for name, value in fields.items():
        setattr(theme, name, value)
    authored(theme, by).save(update_fields=list(fields))
    return theme


@records_write
@transaction.atomic
def theme_move(*, theme: Theme, up: bool, by: User | None) -> None:
    """Move a theme one place up or down its framework; reports list themes in this order.

    Side effects: renumbers the framework's themes, a history row each that moved.
    """
    _move(theme, _framework(theme.programme, theme.framework), up=up, by=by)


@records_write
@transaction.atomic
def theme_delete(*, theme: Theme, by: User | None) -> None:
    """Delete a theme that no record is tagged with: removing a used one would take it off
    those records and out of their reports without a word.

    Side effects: the row goes (its history keeps a deletion row).
    """
    uses = theme_uses(theme=theme)
    if uses:
        raise DomainError(
            f"“{theme.name}” tags {uses} record{'' if uses == 1 else 's'}: it cannot be deleted. "
            "Rename it, or take it off those records first."
        )
    authored(theme, by).delete()
