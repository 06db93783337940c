"""Which state of a programme's records a cached figure was computed from.

A programme dashboard aggregates every attendance row and evidence item of the programme, so
its cost grows with the data. Its figures are cached under the programme's records version,
which every write to a record of the programme moves on (one UPDATE, in the writer's
transaction): a reader never gets figures older than the records it could see, and a
dashboard costs its aggregates only once per change, whatever the programme's size.

Two mechanisms move it, so that neither has to be complete on its own: every write service is
decorated with :func:`records_write`, which moves the version of the programmes of the records
it was given and returns, whatever it wrote inside (``bulk_create`` and ``update()`` send no
signal); and the model signals catch the writes outside the services (the administration,
the loaders).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save

# Each watched model and the attribute path from one of its rows to its programme's id.
PROGRAMME_OF = {
    "sites.CaseSite": "programme_id",
    "sites.Organisation": "programme_id",
    "sites.Theme": "programme_id",
    "sites.ProposedProject": "site.programme_id",
    "sites.EngagementFigure": "site.programme_id",
    "inquiries.Person": "programme_id",
    "inquiries.Consent": "person.programme_id",
    "inquiries.InquiryGroup": "programme_id",
    "inquiries.GroupStatusChange": "group.programme_id",
    "inquiries.Facilitation": "group.programme_id",
    "inquiries.ResearchQuestion": "group.programme_id",
    "inquiries.Membership": "group.programme_id",
    "inquiries.Cycle": "group.programme_id",
    "inquiries.Activity": "programme_id",
    "inquiries.Attendance": "activity.programme_id",
    "inquiries.ActivityResearcherRole": "activity.programme_id",
    "evidence.EvidenceItem": "programme_id",
    "evidence.Output": "programme_id",
    "evidence.Change": "programme_id",
    "events.Event": "programme_id",
    "events.AttendanceCount": "event.programme_id",
    "events.FeedbackForm": "event.programme_id",
    "events.FeedbackQuestion": "form.event.programme_id",
    "events.FeedbackResponse": "form.event.programme_id",
}

# Long enough to serve a quiet programme all day; a write makes the old entries unreachable.
CACHE_SECONDS = 24 * 60 * 60


def _programme_of(instance) -> Q | None:
    """Which programme ``instance`` belongs to, as a condition the UPDATE itself resolves.

    A row reached through a parent ("group.programme_id") is looked up inside the UPDATE, so a
    write costs one query whether or not the parent is loaded; a parent deleted in the same
    cascade matches nothing, its own signal having moved the version on already.
    """
    if instance._meta.label == "sites.Programme":
        return Q(pk=instance.pk)
    path = PROGRAMME_OF.get(instance._meta.label)
    if path is None:
        return None
    first, _, rest = path.partition(".")
    if not rest:
        return Q(pk=getattr(instance, first))
    parent = instance._meta.get_field(first)
    parents = parent.related_model._default_manager.filter(pk=getattr(instance, parent.attname))
    return Q(pk__in=parents.values(rest.replace(".", "__")))


def _move_on(condition: Q | None) -> None:
    if condition is None:
        return
    Programme = apps.get_model("sites", "Programme")
    Programme.objects.filter(condition).update(records_version=F("records_version") + 1)


def touch(programme_id: int) -> None:
    """Move the programme's records version on: figures cached before no longer apply."""
    _move_on(Q(pk=programme_id))


def records_write(service: Callable) -> Callable:
    """Mark a write service: in one transaction with it, the records version of each
    programme that a record it was given, or returns, belongs to moves on (once)."""

    @functools.wraps(service)
    def write(*args, **kwargs):
        with transaction.atomic():
            result = service(*args, **kwargs)
            # Read after the write: a created record knows its programme only now, and a
            # deleted one still holds the ids it was reached by.
            conditions = [
                condition
                for value in (*args, *kwargs.values(), result)
                if isinstance(value, models.Model)
                and (condition := _programme_of(value)) is not None
            ]
            if conditions:
                _move_on(functools.reduce(Q.__or__, conditions))
        return result

    write.moves_records_version = True
    return write


def _on_write(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    _move_on(_programme_of(instance))


def _on_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _move_on(_programme_of(instance))


def connect() -> None:
    for label in PROGRAMME_OF:
        model = apps.get_model(label)
        post_save.connect(_on_write, sender=model, dispatch_uid=f"freshness-save-{label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"freshness-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _on_m2m,
                sender=field.remote_field.through,
                dispatch_uid=f"freshness-m2m-{label}-{field.name}",
            )


def cached(scope, name: str, compute: Callable[[], object], *extra) -> object:
    """``compute()`` for ``scope``, kept until a record of its programme changes.

    ``extra`` holds whatever else the result depends on (the day, for "quiet for six weeks").
    """
    key = ":".join(
        str(part)
        for part in (
            "metrics",
            scope.programme.pk,
            scope.programme.records_version,
            scope.site.pk if scope.site else "-",
            scope.group.pk if scope.group else "-",
            scope.start or "-",
            scope.end or "-",
            name,
            *extra,
        )
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
