import django_filters

from car_programme.filters import SearchMixin, ViewChoicesMixin
from events.enums import EventKind
from events.models import Event, FeedbackForm
from events.scope import events_of
from inquiries.filters import ScopeFilterSet, scope_date
from inquiries.models import InquiryGroup
from sites.models import CaseSite


class EventFilter(ViewChoicesMixin, SearchMixin, ScopeFilterSet):
    """Events by search and kind, and as a dashboard counts them: of a site (its own events,
    its groups' and the programme-wide ones) or a group, starting between two dates."""

    q = django_filters.CharFilter(label="Search", method="search")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, empty_label="Any kind")
    site = django_filters.ModelChoiceFilter(
        label="Site", queryset=CaseSite.objects.none(), empty_label="Any site", method="in_scope"
    )
    group = django_filters.ModelChoiceFilter(
        label="Group",
        queryset=InquiryGroup.objects.none(),
        empty_label="Any group",
        method="in_scope",
    )
    start = scope_date("From")
    end = scope_date("To")
    scope_records = staticmethod(events_of)
    search_fields = ("title", "location", "organiser", "purpose")
    view_choices = {"sites": ("site",), "groups": ("group",)}

    class Meta:
        model = Event
        fields = ["q", "kind", "site", "group", "start", "end", "programme"]


class FeedbackFormFilter(ViewChoicesMixin, django_filters.FilterSet):
    """The API's list of feedback forms, by their event (among the events the view passes,
    those the user may see)."""

    event = django_filters.ModelChoiceFilter(queryset=Event.objects.none())
    view_choices = {"events": ("event",)}

    class Meta:
        model = FeedbackForm
        fields = ["event", "is_open"]
