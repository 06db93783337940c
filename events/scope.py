"""The events of a scope (``inquiries.scope.RecordScope``)."""

from django.db.models import Q, QuerySet

from events.models import Event
from inquiries.scope import RecordScope, of_groups, within


def events_of(scope: RecordScope) -> QuerySet[Event]:
    """Events in scope starting within the range (by ``start_date``): a site's own events, its
    groups' and the programme-wide ones (with no site)."""
    events = Event.objects.filter(programme=scope.programme)
    if scope.group is not None:
        events = events.filter(of_groups(Event, inquirygroup=scope.group))
    elif scope.site is not None:
        by_site = Event.sites.through.objects
        events = events.filter(
            Q(pk__in=by_site.filter(casesite=scope.site).values("event_id"))
            | ~Q(pk__in=by_site.values("event_id"))
            | of_groups(Event, inquirygroup__in=scope.all_groups())
        )
    return events.filter(within(scope, "start_date"))
