import django_filters
from django import forms
from django.db.models import Q

from inquiries.enums import ActivityKind, GroupKind, GroupStatus
from inquiries.models import Activity, InquiryGroup, Person
from reports.filters import ScopeFilterSet, scope_date
from sites.models import CaseSite, Organisation


class GroupFilter(ScopeFilterSet):
    """Groups by search, kind and status, and as a dashboard counts them: of a site, running
    at some point between two dates."""

    q = django_filters.CharFilter(label="Search", method="search")
    kind = django_filters.ChoiceFilter(choices=GroupKind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=GroupStatus.choices, empty_label="Any status")
    site = django_filters.ModelChoiceFilter(
        queryset=CaseSite.objects.none(), empty_label="Any site", method="in_scope"
    )
    start = scope_date("Running from")
    end = scope_date("Running to")
    scope_records = "groups"
    scope_filters = {"site": "site", "start": "start", "end": "end"}

    class Meta:
        model = InquiryGroup
        fields = ["q", "kind", "status", "site", "start", "end", "programme"]

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(topic__icontains=value)
        )


class ActivityFilter(ScopeFilterSet):
    """Activities by title and kind, and as a dashboard counts them: of a site (its tallies
    and its groups' activities) or a group, dated between two dates."""

    q = django_filters.CharFilter(
        label="Search in title", field_name="title", lookup_expr="icontains"
    )
    site = django_filters.ModelChoiceFilter(
        queryset=CaseSite.objects.none(), empty_label="Any site", method="in_scope"
    )
    group = django_filters.ModelChoiceFilter(
        queryset=InquiryGroup.objects.none(), empty_label="Any group", method="in_scope"
    )
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, empty_label="Any kind")
    # A site's tallies of backstage contacts are its activities recorded without a group.
    tally = django_filters.BooleanFilter(
        label="Recorded",
        field_name="group",
        lookup_expr="isnull",
        widget=forms.Select(
            choices=[
                ("", "As tallies or in groups"),
                ("true", "As site tallies"),
                ("false", "In groups"),
            ]
        ),
    )
    date_from = scope_date("From")
    date_to = scope_date("To")
    scope_records = "activities"
    scope_filters = {"site": "site", "group": "group", "start": "date_from", "end": "date_to"}

    class Meta:
        model = Activity
        fields = ["q", "site", "group", "kind", "tally", "date_from", "date_to", "programme"]

    def __init__(self, *args, sites=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites
        if groups is not None:
            self.filters["group"].queryset = groups


class PersonFilter(ScopeFilterSet):
    """People by search, their own site and organisation, and as a dashboard counts those
    taking part: members of a group of a site (or of one group) at some point between two
    dates."""

    q = django_filters.CharFilter(label="Search", method="search")
    site = django_filters.ModelChoiceFilter(
        queryset=CaseSite.objects.none(), empty_label="Any site"
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), empty_label="Any organisation"
    )
    in_site = django_filters.ModelChoiceFilter(
        label="Taking part in",
        queryset=CaseSite.objects.none(),
        empty_label="Any site's groups",
        method="in_scope",
    )
    group = django_filters.ModelChoiceFilter(
        label="Member of",
        queryset=InquiryGroup.objects.none(),
        empty_label="Any group",
        method="in_scope",
    )
    start = scope_date("Member from")
    end = scope_date("Member to")
    scope_records = "people"
    scope_filters = {"site": "in_site", "group": "group", "start": "start", "end": "end"}

    class Meta:
        model = Person
        fields = ["q", "site", "organisation", "in_site", "group", "start", "end", "programme"]

    def __init__(self, *args, sites=None, organisations=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.filters["site"].queryset = sites
            self.filters["in_site"].queryset = sites
        if organisations is not None:
            self.filters["organisation"].queryset = organisations
        if groups is not None:
            self.filters["group"].queryset = groups

    def search(self, queryset, name, value):
        # A name is searched only where the user may see it: a match must not reveal it.
        return queryset.filter(
            Q(pseudonym__icontains=value)
            | Q(job_title__icontains=value)
            | Q(name__icontains=value, name_visible=True)
        )
