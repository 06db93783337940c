import django_filters
from django.db.models import Q

from inquiries.enums import GroupKind, GroupStatus
from inquiries.models import InquiryGroup
from sites.models import CaseSite


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
