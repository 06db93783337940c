import django_filters

from car_programme.filters import SearchMixin, ViewChoicesMixin
from sites.enums import Geography, Sector
from sites.models import CaseSite, Organisation, Programme, Theme


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


class OrganisationFilter(ViewChoicesMixin, django_filters.FilterSet):
    """Organisations by name, sector and the sites they work with."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, empty_label="Any sector")
    site = django_filters.ModelChoiceFilter(
        field_name="sites", queryset=CaseSite.objects.none(), empty_label="Any site"
    )
    view_choices = {"sites": ("site",)}

    class Meta:
        model = Organisation
        fields = ["q", "sector", "site"]


class ThemeFilter(ViewChoicesMixin, django_filters.FilterSet):
    """Themes of a programme and of a framework (the API's list; the theme page is one
    programme's already)."""

    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.none(), empty_label="Any programme"
    )
    framework = django_filters.CharFilter(label="Framework")
    view_choices = {"programmes": ("programme",)}

    class Meta:
        model = Theme
        fields = ["programme", "framework"]
