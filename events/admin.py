from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from car_programme.admin_site import NamedRowsInline, attribute_column
from events import models
from events.headcount import head_count


class AttendanceCountInline(NamedRowsInline):
    model = models.AttendanceCount
    named_by = ("event",)
    extra = 0
    fields = ("organisation", "site", "count", "approximate")
    autocomplete_fields = ("organisation", "site")
    verbose_name = "head count"
    verbose_name_plural = "head counts (leave organisation and site empty for a total)"


class FeedbackFormInline(admin.TabularInline):
    model = models.FeedbackForm
    extra = 0
    fields = ("title", "is_open", "closes_at")
    show_change_link = True


@admin.register(models.Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "kind",
        "start_date",
        "end_date",
        "location",
        "programme",
        "named_attendee_count",
        "counted_attendance",
    )
    list_filter = ("kind", "programme", "sites")
    search_fields = ("title", "location", "organiser", "purpose")
    list_select_related = ("programme",)
    autocomplete_fields = (
        "programme",
        "sites",
        "groups",
        "attendees",
        "organisations",
        "report",
        "themes",
    )
    date_hierarchy = "start_date"
    fieldsets = (
        (None, {"fields": ("programme", "sites", "groups", "title", "kind")}),
        (
            "When and where",
            {"fields": ("start_date", "end_date", "date_precision", "date_note", "location")},
        ),
        ("About", {"fields": ("organiser", "purpose", "summary", "report", "themes")}),
        ("Who took part", {"fields": ("attendees", "organisations")}),
    )
    inlines = (AttendanceCountInline, FeedbackFormInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                named_attendee_count=Count("attendees", distinct=True),
                counted_attendance=head_count(),
            )
        )

    named_attendee_count = attribute_column("named_attendee_count", "Named attendees")
    counted_attendance = attribute_column("counted_attendance", "Counted attendance")


@admin.register(models.AttendanceCount)
class AttendanceCountAdmin(SimpleHistoryAdmin):
    list_display = ("event", "organisation", "site", "count", "approximate")
    list_filter = ("event__programme", "event__kind", "approximate")
    search_fields = ("event__title", "organisation__name", "site__name")
    list_select_related = ("event", "organisation", "site")
    autocomplete_fields = ("event", "organisation", "site")
    date_hierarchy = "event__start_date"


class FeedbackQuestionInline(admin.TabularInline):
    model = models.FeedbackQuestion
    extra = 0
    fields = ("position", "kind", "text", "published_share_min", "published_share_max")


@admin.register(models.FeedbackForm)
class FeedbackFormAdmin(SimpleHistoryAdmin):
    list_display = ("title", "event", "is_open", "closes_at", "response_count")
    list_filter = ("is_open", "event__programme", "event__kind")
    search_fields = ("title", "event__title")
    list_select_related = ("event",)
    autocomplete_fields = ("event",)
    readonly_fields = ("token",)
    date_hierarchy = "event__start_date"
    inlines = (FeedbackQuestionInline,)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(response_count=Count("responses", distinct=True))
        )

    response_count = attribute_column("response_count", "Responses")


@admin.register(models.FeedbackQuestion)
class FeedbackQuestionAdmin(SimpleHistoryAdmin):
    list_display = (
        "text",
        "form",
        "kind",
        "position",
        "published_share_min",
        "published_share_max",
    )
    list_filter = ("kind", "form__event__programme")
    search_fields = ("text", "form__title", "form__event__title")
    list_select_related = ("form",)
    autocomplete_fields = ("form",)


class FeedbackAnswerInline(NamedRowsInline):
    model = models.FeedbackAnswer
    named_by = ("question",)
    extra = 0
    fields = ("question", "score", "text")
    autocomplete_fields = ("question",)


@admin.register(models.FeedbackResponse)
class FeedbackResponseAdmin(admin.ModelAdmin):
    list_display = ("__str__", "form", "submitted_at")
    list_filter = ("form__event__programme", "form")
    search_fields = ("form__title", "form__event__title")
    list_select_related = ("form",)
    autocomplete_fields = ("form",)
    readonly_fields = ("submitted_at",)
    date_hierarchy = "submitted_at"
    inlines = (FeedbackAnswerInline,)


@admin.register(models.FeedbackAnswer)
class FeedbackAnswerAdmin(admin.ModelAdmin):
    list_display = ("question", "score", "short_text", "response")
    list_filter = ("score", "question__kind", "question__form")
    search_fields = ("text", "question__text")
    list_select_related = ("question", "response__form")
    autocomplete_fields = ("response", "question")

    @admin.display(description="Free-text answer")
    def short_text(self, obj):
        return obj.text[:80]
