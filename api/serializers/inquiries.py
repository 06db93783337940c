from rest_framework import serializers

from api.serializers.base import RecordSerializer, link, self_link
from inquiries.models import Person

# What the person page shows only to a reader who may see the person's name.
PERSONAL_FIELDS = ("name", "email", "phone", "level", "occupation_category", "research_experience")


class PersonSerializer(RecordSerializer):
    """A person as the pages show them: ``label`` is the name where the rule set lets the reader
    see it (``inquiries.view_person_name``, annotated on the row as ``name_visible`` by the
    page's selector), the pseudonym otherwise; the personal fields are null where it does not."""

    url = self_link("person")
    programme_url = link("programme", source="programme")
    site_url = link("site", source="site")
    organisation_url = link("organisation", source="organisation")
    label = serializers.CharField(read_only=True)
    name_visible = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "label",
            "pseudonym",
            "name_visible",
            "job_title",
            "site",
            "site_url",
            "organisation",
            "organisation_url",
            *PERSONAL_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {name: {"allow_null": True} for name in PERSONAL_FIELDS}

    def to_representation(self, person):
        data = super().to_representation(person)
        if not person.name_visible:
            data.update(dict.fromkeys(PERSONAL_FIELDS))
        return data
