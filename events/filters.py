import django_filters
from django.db.models import Q

from events.enums import EventKind
from events.models import Event
from inquiries.models import InquiryGroup
from reports.filters import ScopeFilterSet, scope_date
from sites.models import CaseSite


class EventFilter(ScopeFilterSet):
    """Events by search and kind, and as a dashboard counts them: of a site (its own events,
    its groups' and the programme-wide ones) or a group, starting between two dates."""

    q = django_filters.CharFilter(label="Search", method="search")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, empty_label="Any kind")
    site = django_filters.ModelChoiceFilter(
        queryset=CaseSite.objects.none(), empty_label="Any site", method="in_scope"
    )
    group = django_filters.ModelChoiceFilter(
        queryset=InquiryGroup.objects.none(), empty_label="Any group", method="in_scope"
    )
    start = scope_date("From")
    end = scope_date("To")
    scope_records = "events"

    class Meta:
        model = Event
        fields = ["q", "kind", "site", "group", "start", "end", "programme"]

    def __init__(self, *args, sites=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites
        if groups is not None:
            self.filters["group"].queryset = groups

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(location__icontains=value)
            | Q(organiser__icontains=value)
            | Q(purpose__icontains=value)
        )
