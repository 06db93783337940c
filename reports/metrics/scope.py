"""Which records a figure counts: a programme, optionally a site or a group, and dates.

The scope itself is ``inquiries.scope.RecordScope``, which the lists that a figure links to
filter through too; this adds the records of the apps above ``inquiries``, so that every figure
reads them from its scope alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from events.models import Event
from events.scope import events_of
from evidence.models import Change, EvidenceItem, Output
from evidence.scope import changes_of, evidence_of, outputs_of
from inquiries.scope import RecordScope


@dataclass(frozen=True)
class MetricScope(RecordScope):
    """A :class:`~inquiries.scope.RecordScope` that also lists evidence, outputs, changes and
    events."""

    def evidence(self) -> QuerySet[EvidenceItem]:
        return evidence_of(self)

    def outputs(self) -> QuerySet[Output]:
        return outputs_of(self)

    def changes(self) -> QuerySet[Change]:
        return changes_of(self)

    def events(self) -> QuerySet[Event]:
        return events_of(self)
