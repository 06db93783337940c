"""Evidence items, outputs and changes, as the evidence app's pages show them."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import PermittedRelatedField, RecordSerializer, link, self_link
from evidence.models import Change, EvidenceItem, Output
from inquiries.models import Activity, InquiryGroup, Person
from sites.models import CaseSite, Programme, Theme


@extend_schema_field(OpenApiTypes.URI)
class DownloadLinkField(serializers.Field):
    """The address of the record's file through the guarded download of its pages (``page``,
    a URL name taking the record's id), which asks the rule set again; null without a file.
    Never where the file is stored."""

    def __init__(self, page: str, **kwargs):
        self.page = page
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, record):
        if not record.file:
            return None
        return self.context["request"].build_absolute_uri(reverse(self.page, args=[record.pk]))


def _web_address() -> serializers.URLField:
    # The record's own ``url`` field, renamed: ``url`` is the record's address in the API.
    return serializers.URLField(source="url", max_length=500, required=False, allow_blank=True)


def _chosen(perm: str, model, **kwargs) -> PermittedRelatedField:
    """A link the writer chooses by id among the records ``perm`` lets them reach, as the
    forms offer them (sites and groups they may change, evidence they may see): any other id
    is refused as one of no record."""
    return PermittedRelatedField(perm, queryset=model.objects.all(), **kwargs)


def _sites():
    return _chosen("sites.change_casesite", CaseSite, many=True, required=False)


def _themes():
    return _chosen("sites.view_theme", Theme, many=True, required=False)


def _group():
    return _chosen("inquiries.change_inquirygroup", InquiryGroup, required=False, allow_null=True)


class EvidenceItemSerializer(RecordSerializer):
    """An evidence item: restricted and personal-data items only reach those who may read them.
    ``file_url`` downloads its file (if any) through the item's guarded download."""

    url = self_link("evidence-item")
    programme_url = link("programme", source="programme")
    site_urls = link("site", source="sites", many=True)
    theme_urls = link("theme", source="themes", many=True)
    web_address = _web_address()
    file_url = DownloadLinkField("evidence:evidence_download")

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "sites",
            "site_urls",
            "group",
            "activity",
            "title",
            "kind",
            "order",
            "authorship",
            "use",
            "data_source_row",
            "source",
            "collected_on",
            "description",
            "web_address",
            "file_url",
            "sensitivity",
            "consent_basis",
            "themes",
            "theme_urls",
        ]
        read_only_fields = fields


class EvidenceItemCreateSerializer(EvidenceItemSerializer):
    """A new evidence item, in at least one site or group you may edit (all of one
    programme, which it then belongs to); its file is added on its page."""

    sites = _sites()
    themes = _themes()
    group = _group()
    activity = _chosen("inquiries.change_activity", Activity, required=False, allow_null=True)

    class Meta(EvidenceItemSerializer.Meta):
        read_only_fields = ["id", "programme", "data_source_row"]


class OutputSerializer(RecordSerializer):
    """An output (a briefing, a report, a film...) and its stages: drafted, in consultation,
    published. ``groups`` are those of its groups you may see; ``authors`` are people's ids
    (a person's name is read, where you may, from ``people``)."""

    url = self_link("output")
    programme_url = link("programme", source="programme")
    site_urls = link("site", source="sites", many=True)
    theme_urls = link("theme", source="themes", many=True)
    author_urls = link("person", source="authors", many=True)
    web_address = _web_address()
    file_url = DownloadLinkField("evidence:output_download")

    class Meta:
        model = Output
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
            "form",
            "status",
            "drafted_on",
            "consultation_on",
            "published_on",
            "date_precision",
            "authors",
            "author_urls",
            "audience",
            "description",
            "web_address",
            "file_url",
            "themes",
            "theme_urls",
        ]
        read_only_fields = fields


class OutputCreateSerializer(OutputSerializer):
    """A new output, in draft: in sites or groups you may edit, or (for its managers) in the
    whole ``programme`` when it names neither."""

    programme = _chosen("sites.change_programme", Programme, required=False, allow_null=True)
    sites = _sites()
    themes = _themes()
    groups = _chosen("inquiries.change_inquirygroup", InquiryGroup, many=True, required=False)
    authors = _chosen("inquiries.view_person", Person, many=True, required=False)

    class Meta(OutputSerializer.Meta):
        read_only_fields = ["id", "status", "consultation_on", "published_on"]


class ChangeSerializer(RecordSerializer):
    """A change the work contributed to, with what supports it: ``evidence``, ``outputs`` and
    ``earlier_changes`` (the influence it builds on), each only those you may see."""

    url = self_link("change")
    programme_url = link("programme", source="programme")
    site_urls = link("site", source="sites", many=True)
    theme_urls = link("theme", source="themes", many=True)
    evidence_urls = link("evidence-item", source="evidence", many=True)
    output_urls = link("output", source="outputs", many=True)
    earlier_change_urls = link("change", source="earlier_changes", many=True)

    class Meta:
        model = Change
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "sites",
            "site_urls",
            "group",
            "title",
            "description",
            "date",
            "date_precision",
            "type",
            "level",
            "evidence",
            "evidence_urls",
            "outputs",
            "output_urls",
            "earlier_changes",
            "earlier_change_urls",
            "themes",
            "theme_urls",
        ]
        read_only_fields = fields


class ChangeCreateSerializer(ChangeSerializer):
    """A new change, in at least one site or group you may edit, linked to the evidence,
    outputs and earlier changes of its programme that you may see."""

    sites = _sites()
    themes = _themes()
    group = _group()
    evidence = _chosen("evidence.view_evidenceitem", EvidenceItem, many=True, required=False)
    outputs = _chosen("evidence.view_output", Output, many=True, required=False)
    earlier_changes = _chosen("evidence.view_change", Change, many=True, required=False)

    class Meta(ChangeSerializer.Meta):
        read_only_fields = ["id", "programme"]
