from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from car_programme.admin_site import NamedRowsInline, attribute_column
from inquiries import models
from inquiries.rollups import (
    co_attendance_of_person,
    rollups_refresh,
    rollups_refreshed,
    rollups_touched,
)
from inquiries.selectors import group_list_with_counts


class _RefreshesRollups:
    """An administration page whose writes refresh the rollup rows of the activities they
    touched (``activities_of`` the rows saved or deleted, read before and after)."""

    def activities_of(self, rows) -> set[int]:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        before = self.activities_of(type(obj).objects.filter(pk=obj.pk)) if change else set()
        touched = rollups_touched(before)
        super().save_model(request, obj, form, change)
        rollups_refresh(before | self.activities_of([obj]), before=touched)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        rollups_refresh(self.activities_of([form.instance]))

    def delete_model(self, request, obj):
        with rollups_refreshed(self.activities_of([obj])):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with rollups_refreshed(self.activities_of(queryset)):
            super().delete_queryset(request, queryset)


class ConsentInline(NamedRowsInline):
    model = models.Consent
    named_by = ("person",)
    extra = 0
    fields = ("use", "given_on", "method", "withdrawn_on", "recorded_by")
    autocomplete_fields = ("recorded_by",)


class PersonMembershipInline(NamedRowsInline):
    model = models.Membership
    named_by = ("person", "group")
    extra = 0
    fields = ("group", "role", "joined_on", "left_on", "leave_reason")
    autocomplete_fields = ("group",)
    verbose_name = "group membership"


@admin.register(models.Person)
class PersonAdmin(_RefreshesRollups, SimpleHistoryAdmin):
    def activities_of(self, rows) -> set[int]:
        return {activity for person in rows for activity in co_attendance_of_person(person)}

    list_display = (
        "name",
        "pseudonym",
        "site",
        "organisation",
        "job_title",
        "level",
        "occupation_category",
    )
    list_filter = (
        "programme",
        "site",
        "level",
        "occupation_category",
        "research_experience",
        "organisation__sector",
    )
    search_fields = ("name", "pseudonym", "email", "job_title", "organisation__name")
    list_select_related = ("site", "organisation")
    autocomplete_fields = ("programme", "site", "organisation", "user")
    fieldsets = (
        (None, {"fields": ("programme", "site", "name", "pseudonym", "user")}),
        ("Contact", {"fields": ("email", "phone")}),
        (
            "Work",
            {
                "fields": (
                    "organisation",
                    "job_title",
                    "level",
                    "occupation_category",
                    "research_experience",
                )
            },
        ),
    )
    inlines = (ConsentInline, PersonMembershipInline)


@admin.register(models.Consent)
class ConsentAdmin(SimpleHistoryAdmin):
    list_display = ("person", "use", "method", "given_on", "withdrawn_on", "recorded_by")
    list_filter = (
        "use",
        "method",
        ("withdrawn_on", admin.EmptyFieldListFilter),
        "person__programme",
    )
    search_fields = ("person__name", "person__pseudonym")
    list_select_related = ("person", "recorded_by")
    autocomplete_fields = ("person", "recorded_by")
    date_hierarchy = "given_on"

    def get_changeform_initial_data(self, request):
        return {"recorded_by": request.user.pk, **super().get_changeform_initial_data(request)}


class GroupMembershipInline(NamedRowsInline):
    model = models.Membership
    named_by = ("person", "group")
    extra = 0
    fields = ("person", "role", "joined_on", "left_on", "leave_reason")
    autocomplete_fields = ("person",)
    verbose_name = "member"
    verbose_name_plural = "members (each role change closes one membership and opens another)"


class ResearchQuestionInline(admin.TabularInline):
    model = models.ResearchQuestion
    extra = 0
    fields = ("text", "adopted_on", "replaced_on")


class GroupStatusChangeInline(NamedRowsInline):
    model = models.GroupStatusChange
    named_by = ("group",)
    extra = 0
    fields = ("status", "changed_on", "date_precision", "note")
    verbose_name_plural = "status history"


class FacilitationInline(NamedRowsInline):
    model = models.Facilitation
    named_by = ("researcher", "group")
    extra = 0
    fields = ("researcher", "role")
    autocomplete_fields = ("researcher",)
    verbose_name = "researcher-facilitator role"


class GroupFigureInline(NamedRowsInline):
    model = models.GroupFigure
    named_by = ("group",)
    extra = 0
    fields = models.GROUP_FIGURE_FIELDS
    verbose_name = "published figure"


class CycleInline(NamedRowsInline):
    model = models.Cycle
    named_by = ("group",)
    extra = 0
    fields = ("number", "title", "start_date", "end_date")
    show_change_link = True


@admin.register(models.InquiryGroup)
class InquiryGroupAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "short_name",
        "kind",
        "status",
        "site_names",
        "period",
        "core_count",
        "periphery_count",
        "meeting_count",
    )
    list_filter = ("programme", "kind", "status", "approach", "sites")
    search_fields = ("name", "short_name", "topic")
    date_hierarchy = "start_date"
    autocomplete_fields = (
        "programme",
        "sites",
        "parent",
        "lead",
        "themes",
        "proposed_projects",
    )
    fieldsets = (
        (None, {"fields": ("programme", "sites", "name", "short_name", "kind", "topic")}),
        ("Story", {"fields": ("description", "parent", "proposed_projects", "themes")}),
        ("Status and dates", {"fields": ("status", "start_date", "end_date", "date_precision")}),
        ("Leadership", {"fields": ("lead", "lead_description", "approach")}),
    )
    inlines = (
        GroupMembershipInline,
        ResearchQuestionInline,
        GroupStatusChangeInline,
        FacilitationInline,
        CycleInline,
        GroupFigureInline,
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("sites")
        return group_list_with_counts(queryset=queryset)

    @admin.display(description="Sites")
    def site_names(self, obj):
        return ", ".join(site.name for site in obj.sites.all())

    core_count = attribute_column("core_count", "Core members now")
    periphery_count = attribute_column("periphery_count", "Periphery members now")
    period = attribute_column("period", "Period", ordering="start_date")
    meeting_count = attribute_column("meeting_count", "Meetings")


@admin.register(models.GroupStatusChange)
class GroupStatusChangeAdmin(SimpleHistoryAdmin):
    list_display = ("group", "status", "changed_on", "date_precision", "note")
    list_filter = ("status", "group__programme", "group__kind")
    search_fields = ("group__name", "group__short_name", "note")
    list_select_related = ("group",)
    autocomplete_fields = ("group",)
    date_hierarchy = "changed_on"


@admin.register(models.GroupFigure)
class GroupFigureAdmin(SimpleHistoryAdmin):
    list_display = ("group", "kind", "value", "qualifier", "label", "source")
    list_filter = ("kind", "qualifier", "group__programme")
    search_fields = ("group__name", "group__short_name", "label", "source")
    list_select_related = ("group",)
    autocomplete_fields = ("group",)


@admin.register(models.Facilitation)
class FacilitationAdmin(SimpleHistoryAdmin):
    list_display = ("researcher", "role", "group")
    list_filter = ("role", "group__programme")
    search_fields = (
        "researcher__username",
        "researcher__full_name",
        "group__name",
        "group__short_name",
    )
    list_select_related = ("researcher", "group")
    autocomplete_fields = ("group", "researcher")


@admin.register(models.ResearchQuestion)
class ResearchQuestionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "group", "adopted_on", "replaced_on")
    list_filter = ("group__programme", ("replaced_on", admin.EmptyFieldListFilter))
    search_fields = ("text", "group__name", "group__short_name")
    list_select_related = ("group",)
    autocomplete_fields = ("group",)
    date_hierarchy = "adopted_on"


@admin.register(models.Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("person", "group", "role", "joined_on", "left_on", "leave_reason")
    list_filter = (
        "role",
        ("left_on", admin.EmptyFieldListFilter),
        "leave_reason",
        "group__programme",
        "group__kind",
    )
    search_fields = ("person__name", "person__pseudonym", "group__name", "group__short_name")
    list_select_related = ("person", "group")
    autocomplete_fields = ("group", "person")
    date_hierarchy = "joined_on"


@admin.register(models.Cycle)
class CycleAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "title", "group", "number", "start_date", "end_date")
    list_filter = ("group__programme",)
    search_fields = ("title", "group__name", "group__short_name")
    list_select_related = ("group",)
    autocomplete_fields = ("group",)
    date_hierarchy = "start_date"


class AttendanceInline(NamedRowsInline):
    model = models.Attendance
    named_by = ("person", "activity")
    extra = 0
    fields = ("person",)
    autocomplete_fields = ("person",)
    verbose_name = "attendee"


class ActivityResearcherRoleInline(admin.TabularInline):
    model = models.ActivityResearcherRole
    extra = 0
    fields = ("role",)
    verbose_name = "researcher role exercised"
    verbose_name_plural = "researcher roles exercised"


class AttachmentInline(admin.TabularInline):
    model = models.Attachment
    extra = 0
    fields = ("file", "original_name", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_by", "uploaded_at")


@admin.register(models.Activity)
class ActivityAdmin(_RefreshesRollups, SimpleHistoryAdmin):
    def activities_of(self, rows) -> set[int]:
        return {activity.pk for activity in rows if activity.pk is not None}

    list_display = (
        "__str__",
        "kind",
        "date",
        "group",
        "site",
        "phase",
        "count",
        "attendee_count",
    )
    list_filter = ("kind", "phase", "direction", "programme", "site", "group__kind")
    search_fields = ("title", "notes", "group__name", "group__short_name", "site__name")
    list_select_related = ("group", "site")
    autocomplete_fields = ("programme", "site", "group", "cycle", "themes", "recorded_by")
    date_hierarchy = "date"
    fieldsets = (
        (None, {"fields": ("programme", "site", "group", "kind", "title")}),
        (
            "When",
            {"fields": ("date", "end_date", "date_precision", "duration_minutes")},
        ),
        ("CAR cycle", {"fields": ("cycle", "phase")}),
        (
            "Tallies and head counts",
            {"fields": ("count", "direction", "attendance_total")},
        ),
        ("Notes", {"fields": ("notes", "themes", "recorded_by")}),
    )
    inlines = (AttendanceInline, ActivityResearcherRoleInline, AttachmentInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(attendee_count=Count("attendance", distinct=True))
        )

    def get_changeform_initial_data(self, request):
        return {"recorded_by": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_formset(self, request, form, formset, change):
        # Attachments added here were uploaded by whoever saves the form.
        if formset.model is models.Attachment:
            for attachment in formset.save(commit=False):
                if attachment.uploaded_by_id is None and attachment.pk is None:
                    attachment.uploaded_by = request.user
                attachment.save()
            for attachment in formset.deleted_objects:
                attachment.delete()
            return
        super().save_formset(request, form, formset, change)

    attendee_count = attribute_column("attendee_count", "Named attendees")


@admin.register(models.Attendance)
class AttendanceAdmin(_RefreshesRollups, SimpleHistoryAdmin):
    def activities_of(self, rows) -> set[int]:
        return {row.activity_id for row in rows}

    list_display = ("person", "activity")
    list_filter = ("activity__kind", "activity__programme")
    search_fields = ("person__name", "person__pseudonym", "activity__title")
    list_select_related = ("person", "activity")
    autocomplete_fields = ("activity", "person")
    date_hierarchy = "activity__date"


@admin.register(models.ActivityResearcherRole)
class ActivityResearcherRoleAdmin(admin.ModelAdmin):
    list_display = ("role", "activity")
    list_filter = ("role", "activity__kind", "activity__programme")
    search_fields = ("activity__title", "activity__group__name")
    list_select_related = ("activity",)
    autocomplete_fields = ("activity",)
    date_hierarchy = "activity__date"


@admin.register(models.Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ("original_name", "activity", "uploaded_by", "uploaded_at")
    list_filter = ("activity__programme",)
    search_fields = ("original_name", "activity__title")
    list_select_related = ("activity", "uploaded_by")
    autocomplete_fields = ("activity", "uploaded_by")
    readonly_fields = ("uploaded_at",)
    date_hierarchy = "uploaded_at"

    def get_changeform_initial_data(self, request):
        return {"uploaded_by": request.user.pk, **super().get_changeform_initial_data(request)}
