"""Report requests: asking for a report, following it while a worker renders it, and its
files through their guarded downloads."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import RecordSerializer, link, self_link
from reports.enums import ReportKind, ReportStatus
from reports.kinds import KINDS
from reports.models import ReportRequest


@extend_schema_field(OpenApiTypes.URI)
class ReportFileLinkField(serializers.Field):
    """The address of a ready report's file (``page``: its PDF or its Word copy) through the
    reports pages' guarded download; null until it is ready, and for a reader who may not
    download this version (it names people their pages show by pseudonym, or prints an
    event's free-text answers they may not read)."""

    def __init__(self, page: str, file_field: str, **kwargs):
        self.page, self.file_field = page, file_field
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, report):
        ready = report.status == ReportStatus.READY and getattr(report, self.file_field)
        if not (ready and report.downloadable):
            return None
        return self.context["request"].build_absolute_uri(reverse(self.page, args=[report.pk]))


@extend_schema_field(OpenApiTypes.URI)
class ReportPageLinkField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, report):
        path = reverse("reports:report_detail", args=[report.pk])
        return self.context["request"].build_absolute_uri(path)


class ReportOptionsSerializer(serializers.Serializer):
    """The options the version was requested with (null where an early request kept none)."""

    anonymise = serializers.BooleanField(allow_null=True)
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    sections = serializers.ListField(child=serializers.CharField(), allow_null=True)


class ReportRequestSerializer(RecordSerializer):
    """One version of a report on a group, a site, an event or a programme. ``status`` and
    ``progress_step`` follow the render (queued, rendering, then ready or failed, with
    ``error`` saying why); once ready, ``download_url`` gives the PDF and
    ``docx_download_url`` its Word copy, when the version is yours to download."""

    url = self_link("report-request")
    html_url = ReportPageLinkField()
    programme_url = link("programme", source="programme")
    site_url = link("site", source="site")
    event_url = link("event", source="event")
    options = ReportOptionsSerializer(read_only=True)
    download_url = ReportFileLinkField("reports:report_download", "file")
    docx_download_url = ReportFileLinkField("reports:report_download_docx", "docx_file")

    class Meta:
        model = ReportRequest
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "kind",
            "site",
            "site_url",
            "group",
            "event",
            "event_url",
            "version",
            "options",
            "requested_at",
            "status",
            "progress_step",
            "started_at",
            "finished_at",
            "error",
            "pages",
            "size_bytes",
            "checksum",
            "docx_size_bytes",
            "docx_checksum",
            "download_url",
            "docx_download_url",
        ]
        read_only_fields = fields


def _all_sections() -> list[tuple[str, str]]:
    return sorted({section for spec in KINDS.values() for section in spec.sections})


class ReportRequestCreateSerializer(serializers.Serializer):
    """A report to render: its ``kind`` and the id of its ``target`` (the group, site, event or
    programme the kind is about), with the options of its request page. People appear under
    their pseudonym unless they consented to be named; ``anonymise: false`` names them only
    for those whose pages show the names. Without ``sections``, the kind's every section."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    target = serializers.IntegerField(
        min_value=1, help_text="The id of the group, site, event or programme."
    )
    anonymise = serializers.BooleanField(default=True)
    start = serializers.DateField(required=False, allow_null=True)
    end = serializers.DateField(required=False, allow_null=True)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=_all_sections()), required=False
    )
