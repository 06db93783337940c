import django_filters

from car_programme.filters import SearchMixin, ViewChoicesMixin
from evidence import enums
from evidence.models import Change, EvidenceItem, Output
from evidence.scope import changes_of, evidence_of, outputs_of
from inquiries.filters import ScopeFilterSet, scope_date
from inquiries.models import InquiryGroup
from sites.models import CaseSite


class _PlaceFilter(ViewChoicesMixin, SearchMixin, ScopeFilterSet):
    """Search, site, group and date filters; the site and group choices come from the view,
    already cut down to what the user may see. A record sits in a site directly or through its
    group(s), and is dated by its own date: as a dashboard counts it (``ScopeFilterSet``)."""

    q = django_filters.CharFilter(label="Search", method="search")
    site = django_filters.ModelChoiceFilter(
        label="Site", queryset=CaseSite.objects.none(), empty_label="Any site", method="in_scope"
    )
    group = django_filters.ModelChoiceFilter(
        label="Group",
        queryset=InquiryGroup.objects.none(),
        empty_label="Any group",
        method="in_scope",
    )
    start = scope_date("From")
    end = scope_date("To")
    search_fields = ("title", "description")
    view_choices = {"sites": ("site",), "groups": ("group",)}


class EvidenceFilter(_PlaceFilter):
    kind = django_filters.ChoiceFilter(choices=enums.EvidenceKind.choices, empty_label="Any kind")
    order = django_filters.ChoiceFilter(
        choices=enums.EvidenceOrder.choices, empty_label="Any order"
    )
    authorship = django_filters.ChoiceFilter(
        choices=enums.Authorship.choices, empty_label="Any authorship"
    )
    use = django_filters.ChoiceFilter(choices=enums.EvidenceUse.choices, empty_label="Any use")
    sensitivity = django_filters.ChoiceFilter(
        choices=enums.Sensitivity.choices, empty_label="Any sensitivity"
    )
    search_fields = ("title", "description", "source")
    scope_records = staticmethod(evidence_of)

    class Meta:
        model = EvidenceItem
        fields = [
            "q",
            "kind",
            "order",
            "authorship",
            "use",
            "sensitivity",
            "site",
            "group",
            "start",
            "end",
            "programme",
        ]


class OutputFilter(_PlaceFilter):
    kind = django_filters.ChoiceFilter(choices=enums.OutputKind.choices, empty_label="Any kind")
    form = django_filters.ChoiceFilter(choices=enums.OutputForm.choices, empty_label="Any form")
    status = django_filters.ChoiceFilter(
        choices=[
            *enums.OutputStatus.choices,
            (enums.OUTPUT_STATUS_UNKNOWN, enums.OUTPUT_STATUS_UNKNOWN_LABEL),
        ],
        empty_label="Any status",
        method="by_status",
    )
    search_fields = ("title", "description", "audience")
    scope_records = staticmethod(outputs_of)

    def by_status(self, queryset, name, value):
        return queryset.filter(status="" if value == enums.OUTPUT_STATUS_UNKNOWN else value)

    class Meta:
        model = Output
        fields = ["q", "kind", "form", "status", "site", "group", "start", "end", "programme"]


class ChangeFilter(_PlaceFilter):
    type = django_filters.ChoiceFilter(choices=enums.ChangeType.choices, empty_label="Any type")
    level = django_filters.ChoiceFilter(choices=enums.ChangeLevel.choices, empty_label="Any level")
    scope_records = staticmethod(changes_of)

    class Meta:
        model = Change
        fields = ["q", "type", "level", "site", "group", "start", "end", "programme"]
