"""The administration: every model with its history, for superusers only.

The administration edits records across programmes with Django's model permissions, which
know nothing of programmes or sites; the rule set (``accounts/rules.py``) governs the product's
own pages. So rather than teach every ``ModelAdmin`` the rule set, the administration admits
superusers alone: programme staff work in the product's pages, whatever their ``is_staff`` flag.
"""

from django.contrib import admin
from django.contrib.admin import AdminSite, TabularInline
from django.contrib.admin.apps import AdminConfig


def may_administer(user) -> bool:
    """Whether ``user`` may use the administration (and so be offered links into it)."""
    return user.is_active and user.is_superuser


class CarAdminSite(AdminSite):
    site_header = "CAR Programme Manager"
    site_title = "CAR Programme Manager"
    index_title = "Programme administration"
    # Wide changelists (groups with their figures) need the room more than a second menu does.
    enable_nav_sidebar = False

    def has_permission(self, request):
        return may_administer(request.user)


class CarAdminConfig(AdminConfig):
    """Django's administration app, served by ``CarAdminSite``."""

    default_site = "car_programme.admin_site.CarAdminSite"


class NamedRowsInline(TabularInline):
    """A tabular inline whose rows are read with the records their names mention.

    Each row is labelled with ``str(row)``, which for most models names the parent and another
    record (``"F-001 in Welfare PIT (core)"``): without ``select_related`` that is a query a row.
    """

    named_by: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.named_by)


def attribute_column(name: str, description: str, *, ordering: str | None = None):
    """A changelist column showing each row's ``name`` (an annotation or a property), sorted
    by ``ordering`` (by default the annotation itself)."""

    @admin.display(description=description, ordering=ordering or name)
    def column(self, obj):
        return getattr(obj, name)

    column.__name__ = name
    return column
