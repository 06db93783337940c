"""Errors as the API answers them: what a service refuses is a 400 with its message.

A ``DomainError`` is said next to the field that the view's ``error_fields`` names for its
action (as the pages' forms say it), or as ``non_field_errors``; a Django ``ValidationError``
(a model's own checks, its constraints' messages) next to the fields it names. Everything else
is DRF's answer (``{"detail": ...}``).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, views
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from car_programme.exceptions import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        view = context.get("view")
        field = getattr(view, "error_fields", {}).get(getattr(view, "action", None))
        exc = exceptions.ValidationError({field or api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})
    elif isinstance(exc, DjangoValidationError):
        errors = as_serializer_error(exc)
        if NON_FIELD_ERRORS in errors:
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(errors)
    return views.exception_handler(exc, context)
