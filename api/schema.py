"""What drf-spectacular cannot read from the code: how a personal API token is sent, and the
type of the page FilterSets' filters by a record that the filtered model has no field for."""

from django_filters import ModelChoiceFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token, made on your account page (Sign-in security): "
                "Authorization: Bearer <token>."
            ),
        }


class RuleFilterExtension(DjangoFilterExtension):
    """A filter by a record takes the record's id, whatever the field it filters through: the
    scope filters ("taking part in a site's groups") name no field of the filtered model."""

    target_class = "api.filters.RuleFilterBackend"
    priority = 1

    def _get_schema_from_model_field(self, auto_schema, filter_field, model):
        if isinstance(filter_field, ModelChoiceFilter):
            return auto_schema._map_model_field(filter_field.queryset.model._meta.pk, None)
        return super()._get_schema_from_model_field(auto_schema, filter_field, model)
