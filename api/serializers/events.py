"""Events, their attendance, and their feedback forms' aggregated results."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import PageLinkField, RecordSerializer, link, self_link
from events.models import AttendanceCount, Event, FeedbackForm
from events.selectors import feedback_statement_shares


class AttendanceCountSerializer(serializers.ModelSerializer):
    """A published head count of the event: for an organisation, for a site, or the total
    (neither)."""

    class Meta:
        model = AttendanceCount
        fields = ["organisation", "site", "count", "approximate"]
        read_only_fields = fields


class EventSerializer(RecordSerializer):
    """An event and its attendance: ``head_count`` is its published head count as every page
    counts it (the total row, else the sum of its sites' rows, else of its organisations';
    null when none is recorded), ``head_count_sites_unknown`` the sites it names without a
    count; ``attendance_counts`` are the rows published, ``named_count`` the people recorded
    by name (``attendees``: those you may see)."""

    url = self_link("event")
    programme_url = link("programme", source="programme")
    site_urls = link("site", source="sites", many=True)
    theme_urls = link("theme", source="themes", many=True)
    attendee_urls = link("person", source="attendees", many=True)
    report_url = link("output", source="report")
    head_count = serializers.IntegerField(read_only=True, allow_null=True)
    head_count_approximate = serializers.BooleanField(read_only=True)
    head_count_sites = serializers.IntegerField(read_only=True)
    head_count_sites_unknown = serializers.IntegerField(read_only=True)
    named_count = serializers.IntegerField(read_only=True)
    attendance_counts = AttendanceCountSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "sites",
            "site_urls",
            "groups",
            "title",
            "kind",
            "start_date",
            "end_date",
            "date_precision",
            "date_note",
            "location",
            "organiser",
            "purpose",
            "summary",
            "organisations",
            "head_count",
            "head_count_approximate",
            "head_count_sites",
            "head_count_sites_unknown",
            "attendance_counts",
            "named_count",
            "attendees",
            "attendee_urls",
            "report",
            "report_url",
            "themes",
            "theme_urls",
        ]
        read_only_fields = fields

    def to_representation(self, event):
        data = super().to_representation(event)
        if not event.report_visible:
            # The report's title can say more than the reader's pages show: as on the page.
            data["report"] = data["report_url"] = None
        return data


class StatementSerializer(serializers.Serializer):
    """How one statement (scored 1 to 5) was answered, over all responses: never one
    response's answers."""

    question = serializers.IntegerField(source="question_id")
    text = serializers.CharField()
    responses = serializers.IntegerField(help_text="Responses that scored the statement.")
    agreeing = serializers.IntegerField(help_text="Of those, the responses scoring 4 or 5.")
    share = serializers.FloatField(
        allow_null=True, help_text="The percentage scoring 4 or 5; null without responses."
    )
    published_min = serializers.IntegerField(
        allow_null=True, help_text="A published share's lower end, where no responses are held."
    )
    published_max = serializers.IntegerField(allow_null=True)


class FeedbackFormListSerializer(serializers.ListSerializer):
    """A page of forms, with their statements' results counted in one query for them all."""

    def to_representation(self, data):
        forms = list(data.all() if hasattr(data, "all") else data)
        self.child.context["statements"] = statements_by_form(forms)
        return super().to_representation(forms)


def statements_by_form(forms) -> dict[int, list]:
    """The results of the forms' statements (``events.selectors.feedback_statement_shares``,
    as the event page and the reports count them), by form."""
    results = {form.pk: [] for form in forms}
    if forms:
        for share in feedback_statement_shares(forms=forms):
            results[share.form_id].append(share)
    return results


class EventPageLinkField(PageLinkField):
    """A form's results are shown on its event's page."""

    def to_representation(self, form):
        return super().to_representation(form.event)


class FeedbackFormSerializer(RecordSerializer):
    """An event's feedback form and its results, aggregated: for each statement, how many
    responses scored it and the share scoring 4 or 5 (or the share a source published).
    Individual responses and free-text answers are never given; nor is the form's public
    link, which is for its respondents."""

    url = self_link("feedback-form")
    html_url = EventPageLinkField()
    event_url = link("event", source="event")
    response_count = serializers.IntegerField(read_only=True)
    statements = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackForm
        list_serializer_class = FeedbackFormListSerializer
        fields = [
            "id",
            "url",
            "html_url",
            "event",
            "event_url",
            "title",
            "is_open",
            "closes_at",
            "published_summary",
            "response_count",
            "statements",
        ]
        read_only_fields = fields

    @extend_schema_field(StatementSerializer(many=True))
    def get_statements(self, form):
        statements = self.context.get("statements")
        if statements is None or form.pk not in statements:
            statements = statements_by_form([form])
        return StatementSerializer(statements[form.pk], many=True).data
