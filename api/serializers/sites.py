from rest_framework import serializers

from api.serializers.base import PermittedRelatedField, RecordSerializer, link, self_link
from sites.models import CaseSite, Organisation, Programme, Theme


class ProgrammeSerializer(RecordSerializer):
    url = self_link("programme")
    site_count = serializers.IntegerField(read_only=True)
    organisation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "url",
            "html_url",
            "name",
            "slug",
            "description",
            "funders",
            "start_date",
            "end_date",
            "archived_at",
            "site_count",
            "organisation_count",
        ]
        read_only_fields = fields


class CaseSiteSerializer(RecordSerializer):
    url = self_link("site")
    programme_url = link("programme", source="programme")
    # Users of the product, named as the site pages name them.
    lead_researchers = serializers.StringRelatedField(many=True, read_only=True)
    director = serializers.StringRelatedField(read_only=True, allow_null=True)
    group_count = serializers.IntegerField(read_only=True)
    organisation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CaseSite
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "name",
            "slug",
            "partnership_name",
            "population",
            "population_qualifier",
            "geography",
            "inequality_notes",
            "lead_researchers",
            "director",
            "selection_need",
            "selection_capacity",
            "selection_sustainability",
            "delivered_focus",
            "engagement_notes",
            "group_count",
            "organisation_count",
        ]
        read_only_fields = fields


class OrganisationSerializer(RecordSerializer):
    url = self_link("organisation")
    programme_url = link("programme", source="programme")
    site_urls = link("site", source="sites", many=True)
    person_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "name",
            "sector",
            "sites",
            "site_urls",
            "person_count",
        ]
        read_only_fields = fields


class ThemeSerializer(RecordSerializer):
    """A theme of a programme's framework; only its name and description may change."""

    url = self_link("theme")
    programme_url = link("programme", source="programme")

    class Meta:
        model = Theme
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "framework",
            "name",
            "description",
            "position",
        ]
        read_only_fields = ["id", "programme", "framework", "position"]


class ThemeCreateSerializer(ThemeSerializer):
    """A new theme, at the end of its framework (a new framework when none of the programme's
    themes carries that name yet)."""

    programme = PermittedRelatedField("sites.view_programme", queryset=Programme.objects.all())

    class Meta(ThemeSerializer.Meta):
        read_only_fields = ["id", "position"]
