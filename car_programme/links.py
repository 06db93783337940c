"""Links between records: both ends in one programme, and links an editor may not change kept.

Every service that links two records (a group's themes, an output's groups, an event's
attendees) asks ``check_same_programme`` before it writes, so a user who works in two
programmes can never join their records, whatever a form or a script sends.
"""

from collections.abc import Iterable

from django import forms
from django.db import models
from django.db.models import Q, QuerySet

from car_programme.exceptions import DomainError
from car_programme.records_version import PROGRAMME_OF


def programme_id_of(record: models.Model) -> int | None:
    """The id of the programme ``record`` belongs to (its path declared in ``PROGRAMME_OF``)."""
    *steps, last = PROGRAMME_OF[record._meta.label].split(".")
    for step in steps:
        record = getattr(record, step)
    return getattr(record, last)


def _label(record) -> str:
    # A person of another programme is named by pseudonym: their name is not the caller's to see.
    return getattr(record, "pseudonym", None) or str(record)


def check_same_programme(programme, **links) -> None:
    """Refuse to link a record of another programme to a record of ``programme``.

    ``links`` maps what the form calls each link (``themes``, ``parent``) to one record or an
    iterable of records; None stands for no link. Raises DomainError naming the strangers.
    """
    programme_id = getattr(programme, "pk", programme)
    for name, records in links.items():
        if records is None or isinstance(records, models.Model):
            records = [records]
        strangers = [
            _label(record)
            for record in records
            if record is not None and programme_id_of(record) != programme_id
        ]
        if strangers:
            verb = "belongs" if len(strangers) == 1 else "belong"
            what = name.replace("_", " ")
            raise DomainError(
                f"{', '.join(strangers)} {verb} to another programme: choose {what} of "
                f"{programme if isinstance(programme, models.Model) else 'this programme'}."
            )


# --- Forms ------------------------------------------------------------------------------------


def with_current(allowed: QuerySet, current: QuerySet | None) -> QuerySet:
    """``allowed`` plus what the record already points at, so an edit never drops a link the
    user could not have chosen (another site's group a record already belongs to)."""
    if current is None:
        return allowed
    return allowed.model._default_manager.filter(
        Q(pk__in=allowed.values("pk")) | Q(pk__in=current.values("pk"))
    )


def kept_links(chosen: Iterable, current: QuerySet | None, editable: QuerySet) -> list:
    """What an edit links to: the ``chosen`` records, plus the ``current`` ones the editor may
    not change (a shared group's other sites), which a form shows but cannot take away."""
    chosen = list(chosen)
    if current is None:
        return chosen
    kept = current.exclude(pk__in=editable.values("pk")).exclude(pk__in=[r.pk for r in chosen])
    return [*chosen, *kept]


class LockedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes of which the ``locked`` ones (primary keys) show ticked and cannot be changed."""

    locked: frozenset[str] = frozenset()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.locked:
            option["selected"] = True
            option["attrs"].update(checked=True, disabled=True)
        return option


def offer_links(field: forms.ModelMultipleChoiceField, *, editable: QuerySet, current=None):
    """Offer the ``editable`` records on ``field``, and the ``current`` ones the editor may not
    change ticked and locked; ``kept_links`` then keeps those whatever is posted."""
    field.queryset = with_current(editable, current)
    if current is not None and isinstance(field.widget, LockedCheckboxSelectMultiple):
        locked = current.exclude(pk__in=editable.values("pk")).values_list("pk", flat=True)
        field.widget.locked = frozenset(str(pk) for pk in locked)
