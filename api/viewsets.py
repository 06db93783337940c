"""The base of every resource: its records through the rule set, and writes through a service.

``RecordViewSet`` answers a list and a detail; the write mixins add ``POST``, ``PATCH`` and
``DELETE`` by calling one service each (``create_record``, ``update_record``,
``delete_record``), whose ``DomainError`` or ``ValidationError`` answers 400 with its message
(``api.exceptions``). See the conventions in ``api/__init__.py``.
"""

from django.db.models import Model, QuerySet
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from accounts.rules import permitted
from api.filters import OrderingFilter, RuleFilterBackend
from api.permissions import RulePermission, write_rule


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A list and a detail of one kind of record, as its pages show them.

    ``records()`` gives the records with what the serializer reads (a selector of the app,
    often the page's own ``*_list_for_user``); the list is always those records cut down by
    ``view_permission``, so a resource cannot forget the rule, and a detail is found in that
    list, then asked ``has_perm`` (``RulePermission``): out of sight is 404, as missing.
    """

    view_permission: str = ""
    # The rule each write action asks of the record: {"partial_update": "sites.change_theme"}.
    write_permissions: dict[str, str] = {}
    # Where each action's DomainError is said in the 400 answer (else ``non_field_errors``).
    error_fields: dict[str, str] = {}
    # ``?ordering=`` names: a field, or an expression (``api.filters.OrderingFilter``).
    ordering_fields: dict = {"id": "pk"}
    # Keywords of the FilterSet's ``view_choices``, each with the view rule of its choices.
    filter_choices: dict[str, str] = {}

    permission_classes = [RulePermission]
    filter_backends = [RuleFilterBackend, OrderingFilter]
    # Records are found by their id, a number (``sites/<int:pk>/``).
    lookup_value_converter = "int"

    def records(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return permitted(self.request.user, self.view_permission, self.records())

    def require(self, perm: str, obj: Model) -> None:
        """Refuse (404, as for a missing record) unless the user may ``perm`` on ``obj``: a rule
        asked of something else than the record (creating a theme asks ``sites.add_theme`` of
        its programme)."""
        if not self.request.user.has_perm(perm, obj):
            raise exceptions.NotFound()

    def saved(self, record: Model):
        """``record`` as the resource shows it: fetched again, with its annotations."""
        shown = self.get_queryset().filter(pk=record.pk).first()
        if shown is None:
            raise exceptions.NotFound("Saved, but the record is no longer one you may see.")
        return self.get_serializer(shown).data


class ServiceCreateMixin:
    """``POST``: the serializer validates; the rule ``write_permissions["create"]`` is asked of
    ``parent_of(data)``, what the record is created in (its programme, its group: 404 when
    refused); then ``create_record(data)`` calls the service.

    The serializer's field for the parent offers only what the user may see (``permitted`` as
    its queryset), so another programme's id is refused as a missing one (400).
    """

    def parent_of(self, data: dict) -> Model:
        raise NotImplementedError

    def create_record(self, data: dict) -> Model:
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self.require(write_rule(self), self.parent_of(data))
        record = self.create_record(data)
        return Response(self.saved(record), status=status.HTTP_201_CREATED)


class ServiceUpdateMixin:
    """``PATCH``: the record's rule for ``partial_update``, then ``update_record(record, data)``
    with the fields sent."""

    def update_record(self, record: Model, data: dict) -> Model:
        raise NotImplementedError

    def partial_update(self, request, *args, **kwargs):
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(self.saved(self.update_record(record, serializer.validated_data)))


class ServiceDestroyMixin:
    """``DELETE``: the record's rule for ``destroy``, then ``delete_record(record)``."""

    def delete_record(self, record: Model) -> None:
        raise NotImplementedError

    def destroy(self, request, *args, **kwargs):
        self.delete_record(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
