import django_filters
from django import forms
from django.db.models import Q

from car_programme.filters import SearchMixin, ViewChoicesMixin
from inquiries.enums import ActivityKind, GroupKind, GroupStatus
from inquiries.models import Activity, InquiryGroup, Person
from reports.filters import ScopeFilterSet, scope_date
from sites.models import CaseSite, Organisation


class GroupFilter(ViewChoicesMixin, SearchMixin, ScopeFilterSet):
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
    search_fields = ("name", "short_name", "topic")
    view_choices = {"sites": ("site",)}

    class Meta:
        model = InquiryGroup
        fields = ["q", "kind", "status", "site", "start", "end", "programme"]


class ActivityFilter(ViewChoicesMixin, ScopeFilterSet):
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
    view_choices = {"sites": ("site",), "groups": ("group",)}

    class Meta:
        model = Activity
        fields = ["q", "site", "group", "kind", "tally", "date_from", "date_to", "programme"]


class PersonFilter(ViewChoicesMixin, ScopeFilterSet):
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
    view_choices = {
        "sites": ("site", "in_site"),
        "organisations": ("organisation",),
        "groups": ("group",),
    }

    class Meta:
        model = Person
        fields = ["q", "site", "organisation", "in_site", "group", "start", "end", "programme"]

    def search(self, queryset, name, value):
        # A name is searched only where the user may see it: a match must not reveal it.
        return queryset.filter(
            Q(pseudonym__icontains=value)
            | Q(job_title__icontains=value)
            | Q(name__icontains=value, name_visible=True)
        )
