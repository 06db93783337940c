"""What every resource's serializer shares: links to itself, to its page and to related
records, never nested copies of them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from accounts.rules import permitted


def self_link(resource: str) -> serializers.HyperlinkedIdentityField:
    """The API address of the record itself (``url``)."""
    return serializers.HyperlinkedIdentityField(view_name=f"api:{resource}-detail")


def link(resource: str, *, source: str, many: bool = False) -> serializers.RelatedField:
    """The API address of the related record (or records) at ``source``, of ``resource``: read
    with the id beside it (``programme`` and ``programme_url``). A link to a record the reader
    may not see answers 404 when followed."""
    # A single link may be empty (a person of no organisation); a list is at most empty.
    return serializers.HyperlinkedRelatedField(
        view_name=f"api:{resource}-detail",
        source=source,
        many=many,
        read_only=True,
        **({} if many else {"allow_null": True}),
    )


class PermittedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record written by its id, among those the user may see by ``perm``: any other
    id is refused as one of no record ("object does not exist"), so an id reveals nothing.
    ``queryset`` names the model (and types the schema)."""

    def __init__(self, perm: str, **kwargs):
        self.perm = perm
        super().__init__(**kwargs)

    def get_queryset(self):
        return permitted(self.context["request"].user, self.perm, super().get_queryset())

    @classmethod
    def many_init(cls, *args, **kwargs):
        # As DRF's, but the ids are found together (``PermittedRelatedRecords``).
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs |= {key: kwargs[key] for key in kwargs if key in MANY_RELATION_KWARGS}
        return PermittedRelatedRecords(**list_kwargs)


@extend_schema_field(OpenApiTypes.URI)
class PageLinkField(serializers.Field):
    """The address of the record's page in the browser (its ``get_absolute_url``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        path = record.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class RecordSerializer(serializers.ModelSerializer):
    """A record with its ``html_url``; ``url`` is declared by each with ``self_link``.

    A write's checks across fields (a name taken, the constraints) are the service's and the
    model's, said in the words of the pages: none is added here from the model's constraints.
    """

    html_url = PageLinkField()

    def get_validators(self):
        return []

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # DRF drops ``allow_blank`` from a read-only field, and the schema then promises a
        # choice or an address where the record may hold an empty one.
        blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank:
            kwargs["allow_blank"] = True
        return kwargs


class PermittedRelatedRecords(serializers.ManyRelatedField):
    """Several ``PermittedRelatedField`` ids, found in one query rather than one each."""

    def to_internal_value(self, data):
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        child = self.child_relation
        ids = []
        for value in data:
            if isinstance(value, bool) or not str(value).isdigit():
                child.fail("incorrect_type", data_type=type(value).__name__)
            ids.append(int(value))
        found = child.get_queryset().in_bulk(ids)
        for pk in ids:
            if pk not in found:
                child.fail("does_not_exist", pk_value=pk)
        return [found[pk] for pk in dict.fromkeys(ids)]
