"""The administration: every model with its history, for superusers only.

The administration edits records across programmes with Django's model permissions, which
know nothing of programmes or sites; the rule set (``accounts/rules.py``) governs the product's
own pages. So rather than teach every ``ModelAdmin`` the rule set, the administration admits
superusers alone: programme staff work in the product's pages, whatever their ``is_staff`` flag.
"""

import functools

from django.contrib import admin
from django.contrib.admin import AdminSite, ModelAdmin, TabularInline
from django.contrib.admin.apps import AdminConfig
from django.db.models.base import ModelBase

from car_programme.records_version import records_writing, records_written


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

    def admin_view(self, view, cacheable=False):
        """Every post to the administration is one write of the records (see
        :func:`~car_programme.records_version.records_writing`); a page that is only read needs
        no transaction of its own."""

        @functools.wraps(view)
        def writing(request, *args, **kwargs):
            if request.method in ("GET", "HEAD", "OPTIONS"):
                return view(request, *args, **kwargs)
            with records_writing():
                return view(request, *args, **kwargs)

        return super().admin_view(writing, cacheable)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register every model admin with :class:`RecordsVersionAdmin` mixed in, so that no
        administration page can write a record and leave its programme's figures behind."""
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, RecordsVersionAdmin):
            admin_class = type(
                admin_class.__name__,
                (RecordsVersionAdmin, admin_class),
                {"__module__": admin_class.__module__},
            )
        if isinstance(model_or_iterable, ModelBase):
            model_or_iterable = [model_or_iterable]
        super().register(model_or_iterable, admin_class, **options)


class RecordsVersionAdmin(ModelAdmin):
    """Notes what the administration writes, which goes through no service, so that each
    programme it touched moves on once, when the page's write ends (``CarAdminSite.admin_view``),
    whatever it saved (the record, its inlines, its links) or deleted."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        records_written(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        records_written(form.instance)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # The rows an inline wrote are records of their own (a group's memberships), which
        # the rollups kept from them are counted again for.
        changed = [row for row, _fields in formset.changed_objects]
        records_written(*formset.new_objects, *changed, *formset.deleted_objects)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        records_written(obj)

    def delete_queryset(self, request, queryset):
        deleted = list(queryset)
        super().delete_queryset(request, queryset)
        records_written(*deleted)


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
