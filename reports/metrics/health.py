"""How the programme stands: the headline counts of a dashboard's top row, and the groups whose
partnership needs attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from car_programme.words import counted
from evidence.models import EvidenceItem, Output
from inquiries.enums import EXPECTED_TO_MEET, QUIET_AFTER, GroupStatus, LeaveReason, MembershipRole
from inquiries.models import Activity, GroupStatusChange, InquiryGroup, Membership
from inquiries.people_counts import people_total
from inquiries.selectors import memberships_open_on
from reports.metrics.portability import count_of
from reports.metrics.scope import MetricScope
from reports.tallies import tallied_total
from sites.models import Programme

# Partnership health: a group that lost core members within the last quarter lost them recently.
LOST_CORE_WITHIN = dt.timedelta(days=91)


class HealthFlagKind:
    QUIET = "quiet"
    LOST_CORE = "lost_core"
    NO_OUTPUT = "no_output"


@dataclass(frozen=True)
class GroupHealth:
    group_id: int
    group_name: str
    flags: tuple[str, ...]  # HealthFlagKind values, in that order
    details: tuple[str, ...]  # one sentence per flag


def partnership_health(*, scope: MetricScope, today: dt.date | None = None) -> list[GroupHealth]:
    """Groups in scope that need attention on ``today``, by name, each with its flags:

    - quiet: forming, active or re-forming, and no activity in the last six weeks (or none);
    - lost_core: a core member left in the last quarter (91 days) other than by a role change,
      or fewer core members now than a quarter ago;
    - no_output: evidence recorded but no output.
    Groups without a flag are left out."""
    today = today or timezone.localdate()
    quarter_ago = today - LOST_CORE_WITHIN
    core = Membership.objects.filter(group=OuterRef("pk"), role=MembershipRole.CORE)
    rows = (
        scope.groups()
        .annotate(
            last_activity=Subquery(
                Activity.objects.filter(group=OuterRef("pk"), date__lte=today)
                .order_by("-date")
                .values("date")[:1]
            ),
            core_left=Coalesce(
                count_of(
                    core.filter(left_on__gt=quarter_ago, left_on__lte=today).exclude(
                        leave_reason=LeaveReason.ROLE_CHANGE
                    )
                ),
                0,
            ),
            core_now=Coalesce(count_of(core.filter(memberships_open_on(on=today))), 0),
            core_then=Coalesce(count_of(core.filter(memberships_open_on(on=quarter_ago))), 0),
            has_evidence=Exists(EvidenceItem.objects.filter(group=OuterRef("pk"))),
            has_output=Exists(Output.groups.through.objects.filter(inquirygroup=OuterRef("pk"))),
        )
        .order_by("name", "pk")
        .values_list(
            "pk",
            "name",
            "status",
            "last_activity",
            "core_left",
            "core_now",
            "core_then",
            "has_evidence",
            "has_output",
        )
    )
    result = []
    for pk, name, status, last, left, now, then, has_evidence, has_output in rows:
        flags, details = [], []
        if status in EXPECTED_TO_MEET and (last is None or today - last > QUIET_AFTER):
            flags.append(HealthFlagKind.QUIET)
            details.append(
                f"No activity since {date_format(last)}." if last else "No activity recorded."
            )
        if left or now < then:
            flags.append(HealthFlagKind.LOST_CORE)
            details.append(
                f"{counted(left, 'core member')} left in the last quarter; "
                f"core members {then} then, {now} now."
            )
        if has_evidence and not has_output:
            flags.append(HealthFlagKind.NO_OUTPUT)
            details.append("Evidence recorded but no output yet.")
        if flags:
            result.append(GroupHealth(pk, name, tuple(flags), tuple(details)))
    return result


@dataclass(frozen=True)
class Headline:
    on: dt.date  # the scope's day (MetricScope.on), that of ``active_on``
    groups: int
    active_groups: int
    active_on: int
    people: int
    activities: int
    evidence_items: int
    outputs: int
    changes: int
    events: int


def _active_on(groups: QuerySet[InquiryGroup], day: dt.date) -> QuerySet[InquiryGroup]:
    """The ``groups`` active on ``day`` by their status history (the latest change by then),
    or by their status where they have no history."""
    changes = GroupStatusChange.objects.filter(group=OuterRef("pk"))
    status_then = changes.filter(changed_on__lte=day).order_by("-changed_on", "-pk")
    return groups.annotate(
        status_then=Subquery(status_then.values("status")[:1]), has_history=Exists(changes)
    ).filter(Q(status_then=GroupStatus.ACTIVE) | Q(has_history=False, status=GroupStatus.ACTIVE))


def headline(*, scope: MetricScope) -> Headline:
    """The key counts for a dashboard's top row, each under the scope's filters (active
    groups: status active now; ``active_on``: active on the scope's day, as a report made
    after the programme counts them at its end). A whole programme with no date range reads
    its people, activities and evidence items from the counts the writes keep."""
    day = scope.on()
    if scope.is_whole_programme:
        people = people_total(scope.programme.pk)
        activities = tallied_total(scope, Activity)
        evidence = tallied_total(scope, EvidenceItem)
    else:
        people = count_of(scope.people())
        activities = count_of(scope.activities())
        evidence = count_of(scope.evidence())
    figures = (
        Programme.objects.filter(pk=scope.programme.pk)
        .annotate(
            group_count=count_of(scope.groups()),
            active_count=count_of(scope.groups().filter(status=GroupStatus.ACTIVE)),
            active_on_count=count_of(_active_on(scope.groups(), day)),
            people_count=people,
            activity_count=activities,
            evidence_count=evidence,
            output_count=count_of(scope.outputs()),
            change_count=count_of(scope.changes()),
            event_count=count_of(scope.events()),
        )
        .values_list(
            "group_count",
            "active_count",
            "active_on_count",
            "people_count",
            "activity_count",
            "evidence_count",
            "output_count",
            "change_count",
            "event_count",
        )
        .get()
    )
    return Headline(day, *figures)
