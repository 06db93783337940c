"""What a signed-in user's home page ("My work") shows: reads across the apps, through the rules."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.rules import access_of, permitted
from events.models import Event, FeedbackForm
from evidence.enums import OutputStatus
from evidence.models import Output
from inquiries.enums import EXPECTED_TO_MEET, QUIET_AFTER
from inquiries.models import NEWEST_FIRST, Activity, InquiryGroup, Person
from inquiries.selectors import (
    group_list_with_counts,
    label_order,
    last_activity_date,
    name_visible,
)
from sites.models import CaseSite
from sites.setup import Checklist, checklists_to_finish

LATEST = 10


@dataclass
class MyWork:
    sites: QuerySet[CaseSite]
    groups: QuerySet[InquiryGroup]
    latest_activities: QuerySet[Activity]
    quiet_groups: QuerySet[InquiryGroup]
    people_without_consent: QuerySet[Person]
    draft_outputs: QuerySet[Output]
    open_feedback: QuerySet[FeedbackForm]
    # The programmes the user sets up that still miss a step (sites.setup).
    setup: list[Checklist]


def my_work(*, user, today: dt.date | None = None) -> MyWork:
    """The records a user works on: those they may change, or for a strategy lead, read; an
    archived programme's are done with."""
    today = today or timezone.localdate()
    access = access_of(user)
    site_ids = access.researched_sites | access.led_sites
    sites = (
        CaseSite.objects.filter(Q(pk__in=site_ids) | Q(programme__in=access.managed_programmes))
        .exclude(programme__in=access.archived_programmes)
        .select_related("programme")
    )
    own = Q(sites__in=sites)
    own_group = Q(group__sites__in=sites)
    groups = group_list_with_counts(
        queryset=permitted(user, "inquiries.view_inquirygroup").filter(
            pk__in=InquiryGroup.objects.filter(own).values("pk")
        ),
        on=today,
    ).annotate(last_activity=last_activity_date())
    return MyWork(
        sites=sites,
        groups=groups.order_by("name"),
        latest_activities=permitted(user, "inquiries.view_activity")
        .filter(pk__in=Activity.objects.filter(Q(site__in=sites) | own_group).values("pk"))
        .select_related("group", "site")
        .order_by(NEWEST_FIRST, "-pk")[:LATEST],
        quiet_groups=groups.filter(status__in=EXPECTED_TO_MEET)
        .filter(Q(last_activity__lt=today - QUIET_AFTER) | Q(last_activity__isnull=True))
        .order_by("last_activity", "name"),
        people_without_consent=permitted(user, "inquiries.change_person")
        .filter(site__in=sites, consents__isnull=True)
        .select_related("organisation")
        .annotate(name_visible=name_visible(user=user))
        .order_by(label_order(), "pk"),
        draft_outputs=permitted(user, "evidence.view_output")
        .filter(status=OutputStatus.DRAFT)
        .filter(
            pk__in=Output.objects.filter(Q(sites__in=sites) | Q(groups__sites__in=sites)).values(
                "pk"
            )
        )
        .order_by("title"),
        open_feedback=permitted(user, "events.view_feedbackform")
        .filter(is_open=True, event__in=Event.objects.filter(sites__in=sites))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()))
        .select_related("event")
        .order_by(F("event__start_date").asc(nulls_last=True)),
        setup=checklists_to_finish(user=user),
    )
