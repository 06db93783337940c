"""List filters that select records as a dashboard figure counts them.

A dashboard figure counts the records of a :class:`~reports.metrics.MetricScope`: a programme,
one of its sites or groups, and a date range, each with its own meaning (a site's records
include those of its groups, a site's events the programme-wide ones, an output is dated by
its latest stage...). A list that a figure links to filters through the same scope, so the
list holds exactly what the figure counted; the user choosing a site or dates on the list gets
the same meaning.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from reports.metrics import MetricScope
from sites.models import Programme


class ScopeFilterSet(django_filters.FilterSet):
    """A filter set whose site, group and date filters are one :class:`MetricScope`.

    ``scope_records`` names the scope's method that lists the records (``"activities"``);
    ``scope_filters`` maps the scope's arguments to this list's filter names (each list keeps
    its own parameter names). The scope filters' own ``filter`` is never called: they are
    applied together, since a site and a date range are one condition, not two.
    """

    scope_records = ""
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
            records = getattr(MetricScope(programme=each, **values), self.scope_records)()
            condition |= Q(pk__in=records.values("pk"))
        return queryset.filter(condition)


def scope_date(label: str) -> django_filters.DateFilter:
    """A date of the scope's range (its meaning per record is the scope's)."""
    return django_filters.DateFilter(
        label=label, method="in_scope", widget=forms.DateInput(attrs={"type": "date"})
    )
