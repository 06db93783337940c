"""A programme's records version: moved on, once, by every write to a record of the programme.

Cached figures are kept under the version (``reports/freshness.py``), so a write that does not
move it leaves figures behind the records. It is moved on explicitly by whatever writes, never
by model signals (``bulk_create`` and ``update()`` send none): each write service is decorated
with :func:`records_write`, and the administration and the loaders note what they wrote with
:func:`records_written`. Writes nested in one another (a service calling a service, the
administration saving a record and its inlines) move each programme on once, when the outermost
ends, in its transaction.

The apps are named here by label, not imported: every app's services use this module.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Q

# Each model whose rows count in a programme's figures, and the attribute path from one of its
# rows to its programme's id.
PROGRAMME_OF = {
    "sites.Programme": "pk",
    "sites.CaseSite": "programme_id",
    "sites.Organisation": "programme_id",
    "sites.Theme": "programme_id",
    "sites.ProposedProject": "site.programme_id",
    "sites.EngagementFigure": "site.programme_id",
    "sites.ProgrammeFigure": "programme_id",
    "inquiries.Person": "programme_id",
    "inquiries.Consent": "person.programme_id",
    "inquiries.InquiryGroup": "programme_id",
    "inquiries.GroupStatusChange": "group.programme_id",
    "inquiries.Facilitation": "group.programme_id",
    "inquiries.GroupFigure": "group.programme_id",
    "inquiries.ResearchQuestion": "group.programme_id",
    "inquiries.Membership": "group.programme_id",
    "inquiries.Cycle": "group.programme_id",
    "inquiries.Activity": "programme_id",
    "inquiries.Attendance": "activity.programme_id",
    "inquiries.ActivityResearcherRole": "activity.programme_id",
    "inquiries.Attachment": "activity.programme_id",
    "evidence.EvidenceItem": "programme_id",
    "evidence.Output": "programme_id",
    "evidence.Change": "programme_id",
    "events.Event": "programme_id",
    "events.AttendanceCount": "event.programme_id",
    "events.FeedbackForm": "event.programme_id",
    "events.FeedbackQuestion": "form.event.programme_id",
    "events.FeedbackResponse": "form.event.programme_id",
    "events.FeedbackAnswer": "response.form.event.programme_id",
}

# The programmes written so far by the outermost write under way, None outside any.
_pending: ContextVar[list[Q] | None] = ContextVar("records_pending", default=None)


def _programme_of(instance: models.Model) -> Q | None:
    """Which programme ``instance`` belongs to, as a condition the UPDATE itself resolves.

    A row reached through a parent ("group.programme_id") is looked up inside the UPDATE, so a
    write costs one query whether or not the parent is loaded; a parent deleted in the same
    write matches nothing, its programme being noted by the record that held it.
    """
    path = PROGRAMME_OF.get(instance._meta.label)
    if path is None:
        return None
    first, _, rest = path.partition(".")
    if not rest:
        return Q(pk=getattr(instance, first))
    parent = instance._meta.get_field(first)
    parents = parent.related_model._default_manager.filter(pk=getattr(instance, parent.attname))
    return Q(pk__in=parents.values(rest.replace(".", "__")))


def _move_on(conditions: list[Q]) -> None:
    if not conditions:
        return
    Programme = apps.get_model("sites", "Programme")
    Programme.objects.filter(functools.reduce(Q.__or__, conditions)).update(
        records_version=F("records_version") + 1
    )


@contextlib.contextmanager
def records_writing() -> Iterator[None]:
    """One transaction in which the programmes of every record noted move on once, at its end.

    Inside another ``records_writing`` it adds to the outer one.
    """
    if _pending.get() is not None:
        yield
        return
    conditions: list[Q] = []
    token = _pending.set(conditions)
    try:
        with transaction.atomic():
            yield
            _move_on(conditions)
    finally:
        _pending.reset(token)


def records_written(*instances: models.Model) -> None:
    """Note that ``instances`` were written: their programmes move on when the write ends (at
    once outside any :func:`records_writing`). Read after the write, since a created record
    knows its programme only then, and a deleted one still holds the ids it was reached by."""
    conditions = [
        condition for instance in instances if (condition := _programme_of(instance)) is not None
    ]
    pending = _pending.get()
    if pending is None:
        _move_on(conditions)
    else:
        pending.extend(conditions)


def touch(programme_id: int) -> None:
    """Move the programme's records version on: figures cached before no longer apply."""
    _move_on([Q(pk=programme_id)])


def records_write(service: Callable) -> Callable:
    """Mark a write service: in one transaction with it, the records version of each programme
    that a record it was given, or returns, belongs to moves on (once)."""

    @functools.wraps(service)
    def write(*args, **kwargs):
        with records_writing():
            result = service(*args, **kwargs)
            records_written(
                *(
                    value
                    for value in (*args, *kwargs.values(), result)
                    if isinstance(value, models.Model)
                )
            )
        return result

    write.moves_records_version = True
    return write
