"""Writes on inquiry groups: their details, status history, research questions and cycles."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme
from car_programme.records_version import records_write
from car_programme.revisions import save_with_links
from car_programme.services import authored, check_fields, refuse_taken, set_changed
from inquiries.enums import GroupFigureKind, GroupStatus
from inquiries.models import (
    GROUP_FIGURE_FIELDS,
    Cycle,
    GroupFigure,
    GroupStatusChange,
    InquiryGroup,
    ResearchQuestion,
)
from sites.enums import Qualifier
from sites.models import CaseSite, Programme

__all__ = [
    "GROUP_FIELDS",
    "cycle_create",
    "cycle_update",
    "group_create",
    "group_delete",
    "group_figure_delete",
    "group_figure_record",
    "group_figure_update",
    "group_status_change",
    "group_update",
    "research_question_adopt",
]

GROUP_FIELDS = (
    "name",
    "short_name",
    "kind",
    "topic",
    "description",
    "start_date",
    "end_date",
    "approach",
    "lead_description",
    "parent",
)


def _check_group(*, programme: Programme, name: str, group: InquiryGroup | None = None):
    refuse_taken(
        InquiryGroup.objects.filter(programme=programme, name__iexact=name),
        record=group,
        message=f'The programme already has a group called "{name}".',
    )


@records_write
@transaction.atomic
def group_create(
    *,
    sites: Iterable[CaseSite],
    themes: Iterable = (),
    status: str = GroupStatus.FORMING,
    by: User | None = None,
    **fields,
) -> InquiryGroup:
    """Create a group in ``sites`` (all of one programme), in ``status`` from its start date.

    Side effects: the group, its first status change, its history row.
    """
    sites, themes = list(sites), list(themes)
    if not sites:
        raise DomainError("Choose at least one site.")
    programme = sites[0].programme
    _check_group(programme=programme, name=fields["name"])
    check_same_programme(programme, sites=sites, themes=themes, parent=fields.get("parent"))
    group = InquiryGroup(programme=programme, status=status, **fields)
    save_with_links(group, by=by, links={"sites": sites, "themes": themes})
    GroupStatusChange.objects.create(
        group=group, status=status, changed_on=group.start_date or timezone.localdate()
    )
    return group


@records_write
@transaction.atomic
def group_update(
    *,
    group: InquiryGroup,
    sites: Iterable[CaseSite],
    themes: Iterable = (),
    by: User | None = None,
    **fields,
) -> InquiryGroup:
    """Change a group's description, sites and themes (``sites`` and ``themes`` replace the
    group's: a form keeps the sites its user may not change).

    Side effects: saves the changed fields and links only, with one history row when any
    changed.
    """
    sites, themes = list(sites), list(themes)
    if not sites:
        raise DomainError("Choose at least one site.")
    _check_group(programme=group.programme, name=fields["name"], group=group)
    if fields.get("parent") == group:
        raise DomainError("A group cannot be a spin-off of itself.")
    check_same_programme(group.programme, sites=sites, themes=themes, parent=fields.get("parent"))
    changed = set_changed(group, fields)
    save_with_links(group, by=by, update_fields=changed, links={"sites": sites, "themes": themes})
    return group


@records_write
@transaction.atomic
def group_delete(*, group: InquiryGroup, by: User | None = None) -> None:
    """Delete a group with its memberships, meetings and questions (the history keeps them)."""
    authored(group, by).delete()


@records_write
@transaction.atomic
def research_question_adopt(
    *, group: InquiryGroup, text: str, adopted_on: dt.date, by: User | None = None
) -> ResearchQuestion:
    """Adopt a new research question; the current ones are replaced as of the same day.

    Side effects: sets ``replaced_on`` on the open questions and adds the new one.
    """
    for question in group.research_questions.filter(replaced_on__isnull=True):
        if question.adopted_on and adopted_on < question.adopted_on:
            raise DomainError("A question cannot replace one adopted later.")
        question.replaced_on = adopted_on
        authored(question, by).save(update_fields=["replaced_on"])
    question = ResearchQuestion(group=group, text=text, adopted_on=adopted_on)
    authored(question, by).save()
    return question


@records_write
@transaction.atomic
def group_status_change(
    *,
    group: InquiryGroup,
    status: GroupStatus,
    on: dt.date,
    note: str = "",
    by: User | None = None,
) -> GroupStatusChange:
    """Record that ``group`` moved to ``status`` on ``on``.

    Side effects: adds a GroupStatusChange row; sets the group's current status when this is
    its latest change (a change recorded late for an earlier date leaves it as it is).

    Raises DomainError when the group's history already holds ``status`` on ``on``.
    """
    if GroupStatusChange.objects.filter(group=group, status=status, changed_on=on).exists():
        raise DomainError(
            f"The history already records this group as {GroupStatus(status).label.lower()} "
            "on that date."
        )
    change = GroupStatusChange.objects.create(group=group, status=status, changed_on=on, note=note)
    latest = GroupStatusChange.objects.filter(group=group).order_by("-changed_on", "-pk").first()
    if latest.pk == change.pk and group.status != status:
        group.status = status
        authored(group, by).save(update_fields=["status"])
    return change


def _check_cycle_number(*, group: InquiryGroup, number: int, cycle: Cycle | None = None):
    refuse_taken(
        group.cycles.filter(number=number),
        record=cycle,
        message=f"{group} already has a cycle {number}.",
    )


def _check_cycle_dates(start_date: dt.date | None, end_date: dt.date | None):
    if start_date and end_date and end_date < start_date:
        raise DomainError("A cycle cannot end before it starts.")


@records_write
@transaction.atomic
def cycle_create(
    *,
    group: InquiryGroup,
    number: int,
    title: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    by: User | None = None,
) -> Cycle:
    """Add cycle ``number`` to ``group``.

    Side effects: one Cycle row and its history row.
    """
    _check_cycle_number(group=group, number=number)
    _check_cycle_dates(start_date, end_date)
    cycle = Cycle(group=group, number=number, title=title, start_date=start_date, end_date=end_date)
    authored(cycle, by).save()
    return cycle


@records_write
@transaction.atomic
def cycle_update(
    *,
    cycle: Cycle,
    number: int,
    title: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    by: User | None = None,
) -> Cycle:
    """Change a cycle's number, title or dates.

    Side effects: saves the changed fields only (and a history row when any changed).
    """
    _check_cycle_number(group=cycle.group, number=number, cycle=cycle)
    _check_cycle_dates(start_date, end_date)
    fields = {"number": number, "title": title, "start_date": start_date, "end_date": end_date}
    changed = set_changed(cycle, fields)
    if changed:
        authored(cycle, by).save(update_fields=changed)
    return cycle


# --- Published figures -------------------------------------------------------------------------


def _check_group_figure(group: InquiryGroup, fields: dict, *, figure: GroupFigure | None = None):
    if fields["value"] < 1:
        raise DomainError("A published figure is at least 1.")
    if not fields["source"].strip():
        raise DomainError("Say where the figure is published.")
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and end < start:
        raise DomainError("The period cannot end before it starts.")
    refuse_taken(
        group.published_figures.filter(kind=fields["kind"], label=fields.get("label", "")),
        record=figure,
        message=f"{group} already has a published figure of this kind and label.",
    )


@records_write
@transaction.atomic
def group_figure_record(
    *,
    group: InquiryGroup,
    kind: GroupFigureKind,
    value: int,
    source: str,
    qualifier: Qualifier = Qualifier.EXACT,
    by: User | None = None,
    **fields,
) -> GroupFigure:
    """Record a figure the source gives about ``group`` only as a total, with its source.

    ``fields``: ``label``, ``period_start``, ``period_end``, ``date_precision``.
    Side effects: one GroupFigure row and its history row.
    """
    fields = {"kind": kind, "value": value, "source": source, "qualifier": qualifier, **fields}
    check_fields(fields, GROUP_FIGURE_FIELDS)
    _check_group_figure(group, fields)
    figure = GroupFigure(group=group, **fields)
    authored(figure, by).save()
    return figure


@records_write
@transaction.atomic
def group_figure_update(*, figure: GroupFigure, by: User | None = None, **fields) -> GroupFigure:
    """Change a published figure; ``fields`` are those of ``group_figure_record``.

    Side effects: saves the changed fields only (and a history row when any changed).
    """
    check_fields(fields, GROUP_FIGURE_FIELDS)
    current = {name: getattr(figure, name) for name in GROUP_FIGURE_FIELDS}
    _check_group_figure(figure.group, {**current, **fields}, figure=figure)
    changed = set_changed(figure, fields)
    if changed:
        authored(figure, by).save(update_fields=changed)
    return figure


@records_write
@transaction.atomic
def group_figure_delete(*, figure: GroupFigure, by: User | None = None) -> None:
    """Delete a published figure (its history keeps it)."""
    authored(figure, by).delete()
