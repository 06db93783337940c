"""Filtering and ordering of the API's lists.

A list filters with the FilterSet of its page (``filterset_class``, from the app's
``filters.py``), whose choices are cut down by the rules as the page cuts them: the view's
``filter_choices`` maps each keyword of the FilterSet's ``view_choices`` to the view rule of its
records. A list orders by ``?ordering=name,-start_date`` over the names of the view's
``ordering_fields`` (each a field or an expression: a person's label sorts as the reader sees
it, never by a hidden name), the record's id breaking ties so that pages never overlap.
"""

from django.db.models import F
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from accounts.rules import permitted


class RuleFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        for keyword, perm in getattr(view, "filter_choices", {}).items():
            kwargs[keyword] = permitted(request.user, perm)
        return kwargs


class OrderingFilter(BaseFilterBackend):
    param = "ordering"

    def filter_queryset(self, request, queryset, view):
        asked = request.query_params.get(self.param, "")
        if not asked:
            return queryset
        fields = view.ordering_fields
        order = []
        for term in (word.strip() for word in asked.split(",")):
            name = term.removeprefix("-")
            if name not in fields:
                choices = ", ".join(sorted(fields))
                raise exceptions.ValidationError(
                    {self.param: [f"“{name}” is not an order of this list: choose from {choices}."]}
                )
            expression = fields[name]
            expression = F(expression) if isinstance(expression, str) else expression
            order.append(expression.desc() if term.startswith("-") else expression.asc())
        return queryset.order_by(*order, "pk")

    def get_schema_operation_parameters(self, view):
        names = sorted(view.ordering_fields)
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": (
                    "The order of the list: names separated by commas, each with - for "
                    f"descending. One of: {', '.join(names)}."
                ),
                "schema": {"type": "string"},
            }
        ]
