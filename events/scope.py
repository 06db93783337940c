"""The events of a scope (``inquiries.scope.RecordScope``)."""

from django.db.models import QuerySet

from events.models import Event
from inquiries.scope import RecordScope, any_of, of_groups, within


def events_of(scope: RecordScope) -> QuerySet[Event]:
    """Events in scope starting within the range (by ``start_date``): a site's own events, its
    groups' and the programme-wide ones (with no site)."""
    events = Event.objects.filter(programme=scope.programme)
    if scope.group is not None:
        events = events.filter(of_groups(Event, inquirygroup=scope.group))
    elif scope.site is not None:
        by_site = Event.sites.through.objects
        by_groups = Event.groups.through.objects.filter(inquirygroup__in=scope.all_groups())
        programme_wide = Event.objects.filter(programme=scope.programme).exclude(
            pk__in=by_site.values("event_id")
        )
        events = events.filter(
            any_of(
                by_site.filter(casesite=scope.site).values_list("event_id"),
                programme_wide.values_list("pk"),
                by_groups.values_list("event_id"),
            )
        )
    return events.filter(within(scope, "start_date"))
