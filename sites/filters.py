import django_filters

from car_programme.filters import SearchMixin, ViewChoicesMixin
from sites.enums import Geography
from sites.models import CaseSite, Programme


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
