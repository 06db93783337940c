import django_filters
from django.db.models import Q

from evidence.enums import (
    Authorship,
    ChangeLevel,
    ChangeType,
    EvidenceKind,
    EvidenceOrder,
    EvidenceUse,
    OutputForm,
    OutputKind,
    OutputStatus,
    Sensitivity,
)
from evidence.models import Change, EvidenceItem, Output
from inquiries.models import InquiryGroup
from sites.models import CaseSite


class _PlaceFilter(django_filters.FilterSet):
    """Search, site and group filters; the site and group choices come from the view, already
    cut down to what the user may see. A record sits in a site directly or through its
    group(s), so the site filter follows both paths (as the rule set's scopes do)."""

    q = django_filters.CharFilter(label="Search", method="search")
    site = django_filters.ModelChoiceFilter(
        label="Site", queryset=CaseSite.objects.none(), empty_label="Any site", method="in_site"
    )
    group_paths: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ("title", "description")

    def __init__(self, *args, sites=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites
        if groups is not None:
            self.filters["group"].queryset = groups

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    def in_site(self, queryset, name, value):
        # A subquery, so a record in a site both ways is listed once.
        paths = Q(sites=value)
        for path in self.group_paths:
            paths |= Q(**{f"{path}__sites": value})
        matching = queryset.model._default_manager.filter(paths).values("pk")
        return queryset.filter(pk__in=matching)


class EvidenceFilter(_PlaceFilter):
    kind = django_filters.ChoiceFilter(choices=EvidenceKind.choices, empty_label="Any kind")
    order = django_filters.ChoiceFilter(choices=EvidenceOrder.choices, empty_label="Any order")
    authorship = django_filters.ChoiceFilter(
        choices=Authorship.choices, empty_label="Any authorship"
    )
    use = django_filters.ChoiceFilter(choices=EvidenceUse.choices, empty_label="Any use")
    sensitivity = django_filters.ChoiceFilter(
        choices=Sensitivity.choices, empty_label="Any sensitivity"
    )
    group = django_filters.ModelChoiceFilter(
        queryset=InquiryGroup.objects.none(), empty_label="Any group"
    )
    group_paths = ("group",)
    search_fields = ("title", "description", "source")

    class Meta:
        model = EvidenceItem
        fields = ["q", "kind", "order", "authorship", "use", "sensitivity", "site", "group"]


class OutputFilter(_PlaceFilter):
    kind = django_filters.ChoiceFilter(choices=OutputKind.choices, empty_label="Any kind")
    form = django_filters.ChoiceFilter(choices=OutputForm.choices, empty_label="Any form")
    status = django_filters.ChoiceFilter(choices=OutputStatus.choices, empty_label="Any status")
    group = django_filters.ModelChoiceFilter(
        field_name="groups", queryset=InquiryGroup.objects.none(), empty_label="Any group"
    )
    group_paths = ("groups",)
    search_fields = ("title", "description", "audience")

    class Meta:
        model = Output
        fields = ["q", "kind", "form", "status", "site", "group"]


class ChangeFilter(_PlaceFilter):
    type = django_filters.ChoiceFilter(choices=ChangeType.choices, empty_label="Any type")
    level = django_filters.ChoiceFilter(choices=ChangeLevel.choices, empty_label="Any level")
    group = django_filters.ModelChoiceFilter(
        queryset=InquiryGroup.objects.none(), empty_label="Any group"
    )
    group_paths = ("group",)

    class Meta:
        model = Change
        fields = ["q", "type", "level", "site", "group"]
