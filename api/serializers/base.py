"""What every resource's serializer shares: links to itself, to its page and to related
records, never nested copies of them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.rules import permitted


def self_link(resource: str) -> serializers.HyperlinkedIdentityField:
    """The API address of the record itself (``url``)."""
    return serializers.HyperlinkedIdentityField(view_name=f"api:{resource}-detail")


def link(resource: str, *, source: str, many: bool = False) -> serializers.RelatedField:
    """The API address of the related record (or records) at ``source``, of ``resource``: read
    with the id beside it (``programme`` and ``programme_url``). A link to a record the reader
    may not see answers 404 when followed."""
    return serializers.HyperlinkedRelatedField(
        view_name=f"api:{resource}-detail", source=source, many=many, read_only=True
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
