import django_filters
from django.db.models import Q

from inquiries.models import InquiryGroup
from reports.filters import ScopeFilterSet, scope_date
from sites.enums import Geography, Sector
from sites.models import CaseSite, Organisation, Programme


class CaseSiteFilter(django_filters.FilterSet):
    """Search and filters; the programme choices come from the view, cut down to what the user
    may see."""

    q = django_filters.CharFilter(label="Search", method="search")
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="Any programme"
    )
    geography = django_filters.ChoiceFilter(choices=Geography.choices, empty_label="Any geography")

    class Meta:
        model = CaseSite
        fields = ["q", "programme", "geography"]

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.filters["programme"].queryset = programmes

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(partnership_name__icontains=value))


class OrganisationFilter(ScopeFilterSet):
    """Organisations by name, sector and the sites they work with, and as a dashboard counts
    those represented: the organisations of the people taking part in a site's groups (or in
    one group) at some point between two dates."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, empty_label="Any sector")
    site = django_filters.ModelChoiceFilter(
        field_name="sites", queryset=CaseSite.objects.none(), empty_label="Any site"
    )
    in_site = django_filters.ModelChoiceFilter(
        label="Represented in",
        queryset=CaseSite.objects.none(),
        empty_label="Any site's groups",
        method="in_scope",
    )
    group = django_filters.ModelChoiceFilter(
        label="Represented in group",
        queryset=InquiryGroup.objects.none(),
        empty_label="Any group",
        method="in_scope",
    )
    start = scope_date("Taking part from")
    end = scope_date("Taking part to")
    scope_records = "organisations"
    scope_filters = {"site": "in_site", "group": "group", "start": "start", "end": "end"}

    class Meta:
        model = Organisation
        fields = ["q", "sector", "site", "in_site", "group", "start", "end", "programme"]

    def __init__(self, *args, sites=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites
            self.filters["in_site"].queryset = sites
        if groups is not None:
            self.filters["group"].queryset = groups
