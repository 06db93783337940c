from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import Chapter, Edition, ReportRequest


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "target",
        "programme",
        "status",
        "progress_step",
        "requested_by",
        "requested_at",
        "finished_at",
        "pages",
    )
    list_filter = ("kind", "status", "programme")
    search_fields = (
        "requested_by__username",
        "requested_by__full_name",
        "site__name",
        "group__name",
        "group__short_name",
        "event__title",
        "checksum",
        "docx_checksum",
    )
    list_select_related = ("programme", "site", "group", "event", "requested_by")
    autocomplete_fields = ("programme", "site", "group", "event", "requested_by")
    date_hierarchy = "requested_at"
    # What the renderer produced is a record of one version: it is never edited by hand.
    readonly_fields = (
        "requested_at",
        "started_at",
        "finished_at",
        "file",
        "pages",
        "size_bytes",
        "checksum",
        "docx_file",
        "docx_size_bytes",
        "docx_checksum",
        "error",
    )
    fieldsets = (
        (None, {"fields": ("programme", "kind", "site", "group", "event", "options", "version")}),
        ("Request", {"fields": ("requested_by", "requested_at")}),
        ("Rendering", {"fields": ("status", "progress_step", "started_at", "finished_at")}),
        ("Result", {"fields": ("file", "pages", "size_bytes", "checksum", "error")}),
        ("Word copy", {"fields": ("docx_file", "docx_size_bytes", "docx_checksum")}),
    )

    @admin.display(description="For")
    def target(self, obj):
        return obj.group or obj.site or obj.event or "Whole programme"


class ChapterInline(admin.StackedInline):
    model = Chapter
    extra = 0
    fields = ("position", "title", "section", "body")
    ordering = ("position", "pk")


@admin.register(Edition)
class EditionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "programme", "updated_at")
    list_filter = ("kind", "programme")
    search_fields = ("title", "subtitle", "authors")
    list_select_related = ("programme",)
    autocomplete_fields = ("programme", "site", "group", "event", "created_by")
    inlines = (ChapterInline,)


@admin.register(Chapter)
class ChapterAdmin(SimpleHistoryAdmin):
    list_display = ("title", "edition", "position", "section", "updated_at")
    list_select_related = ("edition",)
    search_fields = ("title", "body", "edition__title")
    autocomplete_fields = ("edition", "updated_by")
