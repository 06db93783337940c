"""A programme's records versions: moved on, once, by every write to a record of the programme.

Cached figures are kept under the versions (``reports/freshness.py``), so a write that does not
move them leaves figures behind the records. They are moved on explicitly by whatever writes,
never by model signals (``bulk_create`` and ``update()`` send none): each write service is
decorated with :func:`records_write`, and the administration and the loaders note what they
wrote with :func:`records_written`. Writes nested in one another (a service calling a service,
the administration saving a record and its inlines) move each version on once, when the
outermost ends, in its transaction.

Two kinds of version. A record whose figures concern only some sites and groups (an activity,
a membership, an evidence item, an output, a change, an event and its feedback: ``PLACEMENT``
says where each counts), written by a service, moves on the version of each site and group it
belongs to, before and after the write (an activity moved from Fife to Glasgow moves both), in
``sites.ScopeVersion``: Glasgow's figures stay cached while Fife writes. Such a record of no
site and no group, and any other record, moves the programme's own ``records_version``, part of
every key. The programme's cross-site figures are keyed by both: its ``records_version`` and
the sum of its scope versions, which every write raises.

Why rows in the writer's transaction rather than counters in Redis: a counter moved outside the
transaction leaves a moment (or, if the process dies, a day) in which a reader caches figures of
the old records under the new version; a row moved inside it is seen with the records, never
apart. Writers queue only on the rows of the sites and groups they write in, not on one row of
the programme; rows are moved in one statement, in a fixed order, so two writers cannot
deadlock.

The apps are named here by label, not imported: every app's services use this module.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import F, Q, Value

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
    "sites.ScopeVersion": "programme_id",
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
    # The rollups are derived from the activities and their attendance (``inquiries.rollups``)
    # and from the themed records (``reports.rollups``): written with the records they sum,
    # never by themselves.
    "inquiries.CoAttendance": "activity.programme_id",
    "inquiries.CoAttendanceTotal": "programme_id",
    "inquiries.ActivityMonth": "programme_id",
    "inquiries.ResearcherRoleMonth": "programme_id",
    "inquiries.PeopleCount": "programme_id",
    "inquiries.GroupOrganisationCount": "programme_id",
    "inquiries.GroupTurnover": "programme_id",
    "reports.ThemeLink": "programme_id",
    "reports.ThemeCount": "programme_id",
    "reports.RecordTally": "programme_id",
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

# A scope whose figures count a record: (programme id, kind, site or group id). The kind
# ``EVERYWHERE`` stands for every scope of the programme, its own ``records_version``.
Scope = tuple[int, str, int]
EVERYWHERE = "programme"


def _placed_by(
    *,
    programme: str = "programme",
    sites: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    everywhere_without_sites: bool = False,
) -> Callable[[models.Model], set[Scope]]:
    """How to find the scopes whose figures count a record of one model: by the lookups from
    one of its rows to its programme, to the sites it names and to the groups it belongs to,
    whose sites count it too.

    The record is read from the database as it stands, in one query, never from the instance
    given: a model form has already written its new group on it. A record of no site and no
    group (``everywhere_without_sites``: of no site) concerns every scope of the programme; one
    no longer there, none (what it was is read before the write).
    """
    lookups = (
        ("programme", programme),
        *(("own site", lookup) for lookup in sites),
        *(("site", f"{lookup}__sites") for lookup in groups),
        *(("group", lookup) for lookup in groups),
    )

    def scopes_of(record: models.Model) -> set[Scope]:
        sql, params = _placement_query(type(record), lookups)
        with connection.cursor() as cursor:
            cursor.execute(sql, [record.pk if param == _ANY_ID else param for param in params])
            rows = cursor.fetchall()
        found: dict[str, set[int]] = {}
        for kind, pk in rows:
            if pk is not None:
                found.setdefault(kind, set()).add(pk)
        if "programme" not in found:
            return set()
        (programme_id,) = found.pop("programme")
        if not found or (everywhere_without_sites and "own site" not in found):
            return {(programme_id, EVERYWHERE, programme_id)}
        return {
            (programme_id, "group" if kind == "group" else "site", pk)
            for kind, pks in found.items()
            for pk in pks
        }

    return scopes_of


# Stands for the record's id in a placement's query, compiled once: no row has it.
_ANY_ID = -1


@functools.cache
def _placement_query(model: type[models.Model], lookups: tuple[tuple[str, str], ...]):
    """The SQL reading each of ``lookups`` (kind, lookup) from the row ``_ANY_ID`` of
    ``model``: one ``SELECT kind, id`` per lookup, in one UNION. Compiled once per model, as
    compiling costs more than running it (a write reads it twice)."""
    one = model._default_manager.filter(pk=_ANY_ID).order_by()
    first, *others = (one.values_list(Value(kind), lookup) for kind, lookup in lookups)
    return first.union(*others).query.sql_with_params()


def _placed_through_event(to_event: str = "") -> Callable[[models.Model], set[Scope]]:
    """Placed as its event is (``to_event`` the lookup to it): one of no site concerns every
    site, as a programme-wide event shows on every site's page (``events.scope``)."""
    prefix = f"{to_event}__" if to_event else ""
    return _placed_by(
        programme=f"{prefix}programme",
        sites=(f"{prefix}sites",),
        groups=(f"{prefix}groups",),
        everywhere_without_sites=True,
    )


# Records whose figures concern only some sites and groups, and how to find them
# (``inquiries.scope.RecordScope``, ``evidence.scope``, ``events.scope``): an activity counts in
# its site's and its group's figures, and its group's sites'; a membership in its group's; an
# evidence item, an output or a change in those of its sites and of its group or groups (a
# site's page lists the records naming it and those of its groups). A change lists the titles
# of the evidence and outputs supporting it, so theirs count where the change does too. A
# feedback form, its questions and responses count where their event does. What these
# records' services write besides (attendance, head counts, answers) is written with the record
# they are given; noted alone (by the administration) anything moves the programme on.
PLACEMENT: dict[str, Callable[[models.Model], set[Scope]]] = {
    "inquiries.Activity": _placed_by(sites=("site",), groups=("group",)),
    "inquiries.Membership": _placed_by(programme="group__programme", groups=("group",)),
    "evidence.EvidenceItem": _placed_by(
        sites=("sites", "changes__sites"), groups=("group", "changes__group")
    ),
    "evidence.Output": _placed_by(
        sites=("sites", "changes__sites"), groups=("groups", "changes__group")
    ),
    "evidence.Change": _placed_by(sites=("sites",), groups=("group",)),
    "events.Event": _placed_through_event(),
    "events.FeedbackForm": _placed_through_event("event"),
    "events.FeedbackQuestion": _placed_through_event("form__event"),
    "events.FeedbackResponse": _placed_through_event("form__event"),
}


@dataclass
class _Pending:
    """What the outermost write under way has written so far."""

    programmes: list[Q] = field(default_factory=list)
    scopes: set[Scope] = field(default_factory=set)
    records: list[models.Model] = field(default_factory=list)


# Called with every record a write noted, at its end and in its transaction: the rollups
# kept from the records this module sees written (``reports.rollups``), registered by their
# app, since the apps here are not imported.
_after_write: list[Callable[[list[models.Model]], None]] = []


def after_write(callback: Callable[[list[models.Model]], None]) -> None:
    """Have ``callback`` called with the records of every write, as it ends."""
    _after_write.append(callback)


_pending: ContextVar[_Pending | None] = ContextVar("records_pending", default=None)


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


def _narrow(instance: models.Model) -> bool:
    return instance._meta.label in PLACEMENT


def _placed(instance: models.Model) -> set[Scope]:
    return PLACEMENT[instance._meta.label](instance)


def _note(pending: _Pending, instances, *, narrow: bool) -> None:
    pending.records.extend(instances)
    for instance in instances:
        if narrow and _narrow(instance):
            pending.scopes |= _placed(instance)
        elif (condition := _programme_of(instance)) is not None:
            pending.programmes.append(condition)


def _move_on(pending: _Pending) -> None:
    for callback in _after_write:
        callback(pending.records)
    everywhere = [Q(pk=programme) for programme, kind, _ in pending.scopes if kind == EVERYWHERE]
    if programmes := [*pending.programmes, *everywhere]:
        Programme = apps.get_model("sites", "Programme")
        Programme.objects.filter(functools.reduce(Q.__or__, programmes)).update(
            records_version=F("records_version") + 1
        )
    if scopes := sorted(scope for scope in pending.scopes if scope[1] != EVERYWHERE):
        _scopes_move_on(scopes)


def _scopes_move_on(scopes: list[Scope]) -> None:
    """Count each scope up by one, creating its row at its first write; in ``scopes``' order,
    so that two writers lock shared rows in the same order."""
    table = apps.get_model("sites", "ScopeVersion")._meta.db_table
    rows = ", ".join(["(%s, %s, %s, 1)"] * len(scopes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (programme_id, kind, scope_id, version) VALUES {rows} "
            "ON CONFLICT (programme_id, kind, scope_id) "
            f"DO UPDATE SET version = {table}.version + 1",
            [value for scope in scopes for value in scope],
        )


@contextlib.contextmanager
def records_writing() -> Iterator[None]:
    """One transaction in which the versions of every record noted move on once, at its end.

    Inside another ``records_writing`` it adds to the outer one.
    """
    if _pending.get() is not None:
        yield
        return
    pending = _Pending()
    token = _pending.set(pending)
    try:
        with transaction.atomic():
            yield
            _move_on(pending)
    finally:
        _pending.reset(token)


def records_written(*instances: models.Model) -> None:
    """Note that ``instances`` were written: their programmes move on when the write ends (at
    once outside any :func:`records_writing`). Read after the write, since a created record
    knows its programme only then, and a deleted one still holds the ids it was reached by.

    The whole programme moves on, not the sites and groups of a record of ``PLACEMENT``: after the
    write, they are not known as they were before it (the administration moving an activity
    from Fife to Glasgow would leave Fife's figures behind)."""
    pending = _pending.get()
    if pending is None:
        pending = _Pending()
        _note(pending, instances, narrow=False)
        _move_on(pending)
    else:
        _note(pending, instances, narrow=False)


def touch(programme_id: int) -> None:
    """Move the programme's records version on: figures cached before no longer apply."""
    _move_on(_Pending(programmes=[Q(pk=programme_id)]))


def records_write(service: Callable | None = None, *, reads: tuple[str, ...] = ()) -> Callable:
    """Mark a write service: in one transaction with it, the versions of what each record it
    was given, or returns, belongs to move on (once). A record of ``PLACEMENT`` given to it
    moves on its sites and groups as they were before the write too, read inside the
    transaction: what the service links it to (its sites, set with it) is read after it.

    ``reads`` names the arguments that the service files its records under without changing
    them (an activity's group): they move nothing on by themselves.
    """
    if service is None:
        return functools.partial(records_write, reads=reads)

    @functools.wraps(service)
    def write(*args, **kwargs):
        given = [*args, *(value for name, value in kwargs.items() if name not in reads)]
        given = [value for value in given if _is_record(value)]
        with records_writing():
            pending = _pending.get()
            pending.scopes.update(*(_placed(value) for value in given if _narrow(value)))
            result = service(*args, **kwargs)
            # A record returned but not given is one the service created: it had no scopes before.
            created = [result] if _is_record(result) and result not in given else []
            _note(pending, [*given, *created], narrow=True)
        return result

    write.moves_records_version = True
    return write


def _is_record(value) -> bool:
    return isinstance(value, models.Model)
