"""The lists of inquiries, and what every list that a dashboard figure links to shares.

A dashboard figure counts the records of a scope (``inquiries.scope.RecordScope``: a programme,
one of its sites or groups, and a date range, each with its own meaning: a site's records
include those of its groups, a site's events the programme-wide ones, an output is dated by its
latest stage...). A list that a figure links to filters through the same scope
(:class:`ScopeFilterSet`), so the list holds exactly what the figure counted; the user choosing a
site or dates on the list gets the same meaning.
"""

from collections.abc import Callable

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from car_programme.filters import SearchMixin, ViewChoicesMixin
from inquiries.enums import ActivityKind, GroupKind, GroupStatus, MembershipRole
from inquiries.models import Activity, InquiryGroup, Membership, Person
from inquiries.scope import RecordScope
from sites.filters import OrganisationFilter
from sites.models import CaseSite, Organisation, Programme


class ScopeFilterSet(django_filters.FilterSet):
    """A filter set whose site, group and date filters are one :class:`RecordScope`.

    ``scope_records`` lists the scope's records, a function of the scope
    (``staticmethod(RecordScope.activities)``); ``scope_filters`` maps the scope's arguments to
    this list's filter names (each list keeps its own parameter names). The scope filters' own
    ``filter`` is never called: they are applied together, since a site and a date range are
    one condition, not two.
    """

    scope_records: Callable[[RecordScope], QuerySet]
    scope_filters = {"site": "site", "group": "group", "start": "start", "end": "end"}

    # Which programme a figure's link is about, for someone who works in two.
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(), widget=forms.HiddenInput, method="in_scope"
    )

    def in_scope(self, queryset, name, value):
        """Declared on the scope filters as their method; :meth:`filter_queryset` applies them."""
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        scoped = {*self.scope_filters.values(), "programme"}
        for name, value in self.form.cleaned_data.items():
            if name not in scoped:
                queryset = self.filters[name].filter(queryset, value)
        return self.filter_scope(queryset)

    def filter_scope(self, queryset: QuerySet) -> QuerySet:
        cleaned = self.form.cleaned_data
        values = {
            argument: cleaned.get(name)
            for argument, name in self.scope_filters.items()
            if name in self.filters
        }
        programme = cleaned.get("programme")
        # A programme alone is a scope too: its people taking part are not all its people.
        if programme is None and all(value is None for value in values.values()):
            return queryset
        place = values.get("group") or values.get("site")
        if programme is not None:
            programmes = [programme]
        elif place is not None:
            programmes = [place.programme]
        else:
            programmes = Programme.objects.filter(pk__in=queryset.values("programme"))
        condition = Q(pk__in=[])
        for each in programmes:
            records = self.scope_records(RecordScope(programme=each, **values))
            condition |= Q(pk__in=records.values("pk"))
        return queryset.filter(condition)


def scope_date(label: str) -> django_filters.DateFilter:
    """A date of the scope's range (its meaning per record is the scope's)."""
    return django_filters.DateFilter(
        label=label, method="in_scope", widget=forms.DateInput(attrs={"type": "date"})
    )


# Which filters give the scope of the people taking part (``taking_part_filters``).
TAKING_PART = {"site": "in_site", "group": "group", "start": "start", "end": "end"}


def taking_part_filters(*, site: str, group: str, start: str, end: str) -> tuple:
    """The filters of the people taking part in a site's groups or in one group at some point
    between two dates, labelled: ``in_site``, ``group``, ``start``, ``end`` (``TAKING_PART``)."""
    return (
        django_filters.ModelChoiceFilter(
            label=site,
            queryset=CaseSite.objects.none(),
            empty_label="Any site's groups",
            method="in_scope",
        ),
        django_filters.ModelChoiceFilter(
            label=group,
            queryset=InquiryGroup.objects.none(),
            empty_label="Any group",
            method="in_scope",
        ),
        scope_date(start),
        scope_date(end),
    )


class GroupFilter(ViewChoicesMixin, SearchMixin, ScopeFilterSet):
    """Groups by search, kind and status, and as a dashboard counts them: of a site, running
    at some point between two dates."""

    q = django_filters.CharFilter(label="Search", method="search")
    kind = django_filters.ChoiceFilter(choices=GroupKind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=GroupStatus.choices, empty_label="Any status")
    site = django_filters.ModelChoiceFilter(
        label="Site", queryset=CaseSite.objects.none(), empty_label="Any site", method="in_scope"
    )
    start = scope_date("Running from")
    end = scope_date("Running to")
    scope_records = staticmethod(RecordScope.groups)
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
        label="Site", queryset=CaseSite.objects.none(), empty_label="Any site", method="in_scope"
    )
    group = django_filters.ModelChoiceFilter(
        label="Group",
        queryset=InquiryGroup.objects.none(),
        empty_label="Any group",
        method="in_scope",
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
    scope_records = staticmethod(RecordScope.activities)
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
    in_site, group, start, end = taking_part_filters(
        site="Taking part in", group="Member of", start="Member from", end="Member to"
    )
    consent = django_filters.ChoiceFilter(
        label="Consent",
        choices=[("none", "No consent recorded")],
        empty_label="Any",
        method="by_consent",
    )
    scope_records = staticmethod(RecordScope.people)
    scope_filters = TAKING_PART
    view_choices = {
        "sites": ("site", "in_site"),
        "organisations": ("organisation",),
        "groups": ("group",),
    }

    class Meta:
        model = Person
        fields = [
            "q",
            "site",
            "organisation",
            "consent",
            "in_site",
            "group",
            "start",
            "end",
            "programme",
        ]

    def by_consent(self, queryset, name, value):
        # "My work" lists the people still to ask: those with no consent record at all.
        return queryset.filter(consents__isnull=True)

    def search(self, queryset, name, value):
        # A name is searched only where the user may see it: a match must not reveal it.
        return queryset.filter(
            Q(pseudonym__icontains=value)
            | Q(job_title__icontains=value)
            | Q(name__icontains=value, name_visible=True)
        )


class OrganisationScopeFilter(OrganisationFilter, ScopeFilterSet):
    """Organisations as the sites app filters them, and as a dashboard counts those
    represented: the organisations of the people taking part in a site's groups (or in one
    group) at some point between two dates."""

    in_site, group, start, end = taking_part_filters(
        site="Represented in",
        group="Represented in group",
        start="Taking part from",
        end="Taking part to",
    )
    scope_records = staticmethod(RecordScope.organisations)
    scope_filters = TAKING_PART
    view_choices = {"sites": ("site", "in_site"), "groups": ("group",)}

    class Meta:
        model = Organisation
        fields = ["q", "sector", "site", "in_site", "group", "start", "end", "programme"]


class GroupRecordFilter(ViewChoicesMixin, django_filters.FilterSet):
    """A group's records (its research questions, cycles), by group: the API's lists of what
    the group page shows in its sections."""

    group = django_filters.ModelChoiceFilter(queryset=InquiryGroup.objects.none())
    view_choices = {"groups": ("group",)}


class MembershipFilter(GroupRecordFilter):
    """Memberships by group, person and role, and the current ones only (``current=true``): the
    API's list of what the group and person pages show of who takes part."""

    person = django_filters.ModelChoiceFilter(queryset=Person.objects.none())
    role = django_filters.ChoiceFilter(choices=MembershipRole.choices)
    current = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull")
    view_choices = {"groups": ("group",), "people": ("person",)}

    class Meta:
        model = Membership
        fields = ["group", "person", "role", "current"]
