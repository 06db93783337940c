"""Events with their attendance, and the scores of their feedback forms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce

from events.enums import EventKind
from events.headcount import (
    head_count,
    head_count_approximate,
    head_count_sites,
    head_count_sites_unknown,
)
from events.models import Event, FeedbackForm
from events.selectors import StatementShare, feedback_statement_shares
from reports.metrics.portability import count_of
from reports.metrics.scope import MetricScope
from reports.metrics.shapes import Breakdown, breakdown_of


@dataclass(frozen=True)
class EventRow:
    event_id: int
    title: str
    kind: str  # label
    start_date: dt.date | None  # None where the source gives no date
    end_date: dt.date | None
    date_precision: str
    programme_wide: bool
    named: int  # attendees recorded by name
    # The published head count (events.headcount); None when none is recorded.
    counted: int | None
    approximate: bool  # some row of that head count was published as "about"
    organisations: int  # organisations named as taking part
    sites: int  # sites whose rows the head count adds up (0 when it is not a sum of sites)
    sites_unknown: int  # the event's sites without a row, left out of that sum


@dataclass(frozen=True)
class EventsSummary:
    count: int
    named: int
    counted: int
    approximate: bool
    sites_unknown: int  # sites of the events whose attendance ``counted`` cannot include
    by_kind: Breakdown
    events: tuple[EventRow, ...]  # by start date, then title


def events_summary(*, scope: MetricScope) -> EventsSummary:
    """Events in scope with their attendance, named and counted (the head count of
    :mod:`events.headcount`)."""
    rows = (
        scope.events()
        .annotate(
            named=Coalesce(
                count_of(Event.attendees.through.objects.filter(event=OuterRef("pk"))), 0
            ),
            organisation_count=Coalesce(
                count_of(Event.organisations.through.objects.filter(event=OuterRef("pk"))), 0
            ),
            programme_wide=~Exists(Event.sites.through.objects.filter(event=OuterRef("pk"))),
            counted=head_count(),
            counted_approximate=head_count_approximate(),
            counted_sites=head_count_sites(),
            counted_sites_unknown=head_count_sites_unknown(),
        )
        .order_by(F("start_date").asc(nulls_last=True), "title", "pk")
        .values_list(
            "pk",
            "title",
            "kind",
            "start_date",
            "end_date",
            "date_precision",
            "programme_wide",
            "named",
            "counted",
            "counted_approximate",
            "organisation_count",
            "counted_sites",
            "counted_sites_unknown",
        )
    )
    # The columns are EventRow's fields in order; only the kind turns into its label.
    events = [
        EventRow(pk, title, str(EventKind(kind).label), *rest) for pk, title, kind, *rest in rows
    ]
    by_kind: dict[str, int] = {}
    for event in rows:
        by_kind[event[2]] = by_kind.get(event[2], 0) + 1
    return EventsSummary(
        count=len(events),
        named=sum(event.named for event in events),
        counted=sum(event.counted or 0 for event in events),
        approximate=any(event.approximate for event in events),
        sites_unknown=sum(event.sites_unknown for event in events),
        by_kind=breakdown_of(EventKind, by_kind),
        events=tuple(events),
    )


def feedback_shares(*, scope: MetricScope) -> list[StatementShare]:
    """Per Likert statement of the feedback forms of the events in scope, the share scoring
    4 or 5 (see :func:`feedback_statement_shares`)."""
    return feedback_statement_shares(
        forms=FeedbackForm.objects.filter(event__in=scope.events().values("pk"))
    )
