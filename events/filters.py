import django_filters
from django import forms
from django.db.models import Q

from events.enums import EventKind
from events.models import Event
from sites.models import CaseSite


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, empty_label="Any kind")
    site = django_filters.ModelChoiceFilter(
        field_name="sites", queryset=CaseSite.objects.none(), empty_label="Any site"
    )
    start = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Event
        fields = ["q", "kind", "site", "start", "end"]

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(location__icontains=value)
            | Q(organiser__icontains=value)
            | Q(purpose__icontains=value)
        )
