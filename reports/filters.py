"""The filters of the list of report requests, as the reports page filters them
(``reports.forms.ReportFilterForm``): by programme, kind and status."""

import django_filters

from car_programme.filters import ViewChoicesMixin
from reports.models import ReportRequest
from sites.models import Programme


class ReportRequestFilter(ViewChoicesMixin, django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.none())
    view_choices = {"programmes": ("programme",)}

    class Meta:
        model = ReportRequest
        fields = ["programme", "kind", "status", "site", "group", "event"]
