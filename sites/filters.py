import django_filters

from car_programme.filters import SearchMixin, ViewChoicesMixin
from inquiries.models import InquiryGroup
from reports.filters import ScopeFilterSet, scope_date
from sites.enums import Geography, Sector
from sites.models import CaseSite, Organisation, Programme


class CaseSiteFilter(ViewChoicesMixin, SearchMixin, django_filters.FilterSet):
    """Search and filters; the programme choices come from the view, cut down to what the user
    may see."""

    q = django_filters.CharFilter(label="Search", method="search")
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="Any programme"
    )
    geography = django_filters.ChoiceFilter(choices=Geography.choices, empty_label="Any geography")

    search_fields = ("name", "partnership_name")
    view_choices = {"programmes": ("programme",)}

    class Meta:
        model = CaseSite
        fields = ["q", "programme", "geography"]


class OrganisationFilter(ViewChoicesMixin, ScopeFilterSet):
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
    view_choices = {"sites": ("site", "in_site"), "groups": ("group",)}

    class Meta:
        model = Organisation
        fields = ["q", "sector", "site", "in_site", "group", "start", "end", "programme"]
