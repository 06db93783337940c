import django_filters
from django.db.models import Q

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


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, empty_label="Any sector")
    site = django_filters.ModelChoiceFilter(
        field_name="sites", queryset=CaseSite.objects.none(), empty_label="Any site"
    )

    class Meta:
        model = Organisation
        fields = ["q", "sector", "site"]

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites
