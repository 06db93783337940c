from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evidence.models import Change, EvidenceItem, Output


@admin.register(EvidenceItem)
class EvidenceItemAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "kind",
        "order",
        "authorship",
        "use",
        "sensitivity",
        "group",
        "collected_on",
    )
    list_filter = ("order", "authorship", "kind", "use", "sensitivity", "programme", "sites")
    search_fields = ("title", "source", "description", "group__name", "group__short_name")
    list_select_related = ("group",)
    autocomplete_fields = ("programme", "sites", "group", "activity", "themes", "recorded_by")
    date_hierarchy = "collected_on"
    fieldsets = (
        (None, {"fields": ("programme", "sites", "group", "activity", "title", "kind")}),
        ("Table A", {"fields": ("order", "authorship", "use", "data_source_row")}),
        ("Source", {"fields": ("source", "collected_on", "description", "file", "url")}),
        ("Protection", {"fields": ("sensitivity", "consent_basis")}),
        (None, {"fields": ("themes", "recorded_by")}),
    )

    def get_changeform_initial_data(self, request):
        return {"recorded_by": request.user.pk, **super().get_changeform_initial_data(request)}


@admin.register(Output)
class OutputAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "form", "status", "published_on", "programme")
    list_filter = ("status", "form", "kind", "programme", "sites")
    search_fields = ("title", "audience", "description")
    list_select_related = ("programme",)
    autocomplete_fields = ("programme", "groups", "sites", "authors", "author_users", "themes")
    date_hierarchy = "published_on"
    fieldsets = (
        (None, {"fields": ("programme", "groups", "sites", "title", "kind", "form")}),
        (
            "Status",
            {
                "fields": (
                    "status",
                    "drafted_on",
                    "consultation_on",
                    "published_on",
                    "date_precision",
                )
            },
        ),
        ("Authors", {"fields": ("authors", "author_users")}),
        ("Content", {"fields": ("audience", "description", "url", "file", "themes")}),
    )


@admin.register(Change)
class ChangeAdmin(SimpleHistoryAdmin):
    list_display = ("title", "type", "level", "group", "date", "programme")
    list_filter = ("type", "level", "programme", "sites")
    search_fields = ("title", "description", "group__name", "group__short_name")
    list_select_related = ("group", "programme")
    autocomplete_fields = (
        "programme",
        "group",
        "sites",
        "evidence",
        "outputs",
        "earlier_changes",
        "themes",
    )
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("programme", "group", "sites", "title", "description")}),
        ("When and what kind", {"fields": ("date", "date_precision", "type", "level")}),
        ("Supported by", {"fields": ("evidence", "outputs", "earlier_changes")}),
        (None, {"fields": ("themes",)}),
    )
