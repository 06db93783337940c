import django_filters
from django.db.models import Q

from inquiries.enums import ActivityKind, GroupKind, GroupStatus
from inquiries.forms import DateInput
from inquiries.models import Activity, InquiryGroup, Person
from sites.models import CaseSite, Organisation


class GroupFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    kind = django_filters.ChoiceFilter(choices=GroupKind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=GroupStatus.choices, empty_label="Any status")
    site = django_filters.ModelChoiceFilter(
        field_name="sites", queryset=CaseSite.objects.none(), empty_label="Any site"
    )

    class Meta:
        model = InquiryGroup
        fields = ["q", "kind", "status", "site"]

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(topic__icontains=value)
        )


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search in title", field_name="title", lookup_expr="icontains"
    )
    group = django_filters.ModelChoiceFilter(
        queryset=InquiryGroup.objects.none(), empty_label="Any group"
    )
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, empty_label="Any kind")
    date_from = django_filters.DateFilter(
        label="From", field_name="date", lookup_expr="gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label="To", field_name="date", lookup_expr="lte", widget=DateInput
    )

    class Meta:
        model = Activity
        fields = ["q", "group", "kind", "date_from", "date_to"]

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.filters["group"].queryset = groups


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    site = django_filters.ModelChoiceFilter(
        queryset=CaseSite.objects.none(), empty_label="Any site"
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), empty_label="Any organisation"
    )

    class Meta:
        model = Person
        fields = ["q", "site", "organisation"]

    def __init__(self, *args, sites=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites
        if organisations is not None:
            self.filters["organisation"].queryset = organisations

    def search(self, queryset, name, value):
        # A name is searched only where the user may see it: a match must not reveal it.
        return queryset.filter(
            Q(pseudonym__icontains=value)
            | Q(job_title__icontains=value)
            | Q(name__icontains=value, name_visible=True)
        )
