from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from car_programme.admin_site import NamedRowsInline, attribute_column
from sites.models import (
    CaseSite,
    EngagementFigure,
    Organisation,
    Programme,
    ProgrammeFigure,
    ProposedProject,
    Theme,
)


class ProgrammeFigureInline(NamedRowsInline):
    model = ProgrammeFigure
    named_by = ("programme",)
    extra = 0
    fields = ("position", "label", "value", "qualifier", "source")


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "funders", "start_date", "end_date")
    search_fields = ("name", "slug", "funders")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ProgrammeFigureInline,)


@admin.register(ProgrammeFigure)
class ProgrammeFigureAdmin(SimpleHistoryAdmin):
    list_display = ("label", "value", "qualifier", "source", "programme")
    list_filter = ("programme", "qualifier")
    search_fields = ("label", "source")
    list_select_related = ("programme",)
    autocomplete_fields = ("programme",)


class ProposedProjectInline(admin.StackedInline):
    model = ProposedProject
    extra = 0
    fields = (("position", "title"), "description", ("outcome", "reason"))


class EngagementFigureInline(NamedRowsInline):
    model = EngagementFigure
    named_by = ("site",)
    extra = 0
    fields = ("position", "label", "value", "period_start", "period_end", "qualifier", "source")


@admin.register(CaseSite)
class CaseSiteAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "programme",
        "partnership_name",
        "geography",
        "population",
        "director",
        "group_count",
    )
    list_filter = ("programme", "geography")
    search_fields = ("name", "partnership_name")
    list_select_related = ("programme", "director")
    autocomplete_fields = ("programme", "director", "lead_researchers")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("programme", "name", "slug", "partnership_name")}),
        (
            "Context",
            {"fields": ("population", "population_qualifier", "geography", "inequality_notes")},
        ),
        ("Leadership", {"fields": ("lead_researchers", "director")}),
        (
            "Why this site was selected",
            {"fields": ("selection_need", "selection_capacity", "selection_sustainability")},
        ),
        ("Delivered (Table B)", {"fields": ("delivered_focus",)}),
        ("Researcher engagement", {"fields": ("engagement_notes",)}),
    )
    inlines = (ProposedProjectInline, EngagementFigureInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(group_count=Count("groups", distinct=True))

    group_count = attribute_column("group_count", "Inquiry groups")


@admin.register(ProposedProject)
class ProposedProjectAdmin(SimpleHistoryAdmin):
    list_display = ("title", "site", "position", "outcome")
    list_filter = ("outcome", "site__programme", "site")
    search_fields = ("title", "description", "reason", "site__name")
    list_select_related = ("site",)
    autocomplete_fields = ("site",)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "sector", "programme")
    list_filter = ("sector", "programme", "sites")
    search_fields = ("name",)
    list_select_related = ("programme",)
    autocomplete_fields = ("programme", "sites")


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "framework", "position", "programme")
    list_filter = ("programme", "framework")
    search_fields = ("name", "framework", "description")
    list_select_related = ("programme",)
    autocomplete_fields = ("programme",)


@admin.register(EngagementFigure)
class EngagementFigureAdmin(SimpleHistoryAdmin):
    list_display = ("label", "value", "site", "period_start", "period_end", "qualifier")
    list_filter = ("site__programme", "site")
    search_fields = ("label", "qualifier", "site__name")
    list_select_related = ("site",)
    autocomplete_fields = ("site",)
    date_hierarchy = "period_start"
