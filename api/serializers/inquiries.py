"""People, inquiry groups with their members, questions and cycles, and activities with their
attendance, as the inquiries app's pages show them."""

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from api.serializers.base import PermittedRelatedField, RecordSerializer, link, self_link
from car_programme.forms import DateRangeMixin
from car_programme.validators import validate_record_date
from inquiries.enums import GroupStatus, LeaveReason, MembershipRole, ResearcherRole
from inquiries.forms import ActivityForm, CycleForm, GroupForm, ResearchQuestionForm
from inquiries.models import (
    Activity,
    Cycle,
    InquiryGroup,
    Membership,
    Person,
    ResearchQuestion,
)
from inquiries.services import GROUP_FIELDS
from inquiries.views.activities import LOGGED_FIELDS
from sites.models import CaseSite, Theme

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


def group_page(serializer, group_id: int, anchor: str) -> str:
    """The address of the section of a group's page (``anchor``) that shows a record of it."""
    path = reverse("inquiries:group_detail", args=[group_id]) + anchor
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class PageChecksMixin:
    """The checks of the page's form that no service makes, in its words: every date within the
    span of the record's programme (``validate_record_date``), and the end of the form's date
    range (``page_form.date_range``) not before its start, its ``date_range_error`` next to
    the end. ``programme_of(attrs)`` is the record's programme."""

    page_form: type | None = None

    def programme_of(self, attrs):
        raise NotImplementedError

    def validate(self, attrs):
        attrs = super().validate(attrs)
        errors = {}
        programme = self.programme_of(attrs)
        for name, value in attrs.items():
            if isinstance(value, dt.date):
                try:
                    validate_record_date(value, programme=programme)
                except DjangoValidationError as error:
                    errors[name] = error.messages
        if self.page_form is not None and issubclass(self.page_form, DateRangeMixin):
            start_name, end_name = self.page_form.date_range
            start, end = (
                attrs.get(name, getattr(self.instance, name, None))
                for name in (start_name, end_name)
            )
            if start and end and end < start:
                errors.setdefault(end_name, []).append(self.page_form.date_range_error)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class GroupSerializer(RecordSerializer):
    """An inquiry group with its figures today, as the group list shows them: members by role
    (``core_count``, ``periphery_count``), ``meeting_count`` (at least that many where
    ``meetings_uncounted`` rows give no number) and the date of its ``last_activity``."""

    url = self_link("group")
    programme_url = link("programme", source="programme")
    site_urls = link("site", source="sites", many=True)
    parent_url = link("group", source="parent")
    lead_url = link("person", source="lead")
    theme_urls = link("theme", source="themes", many=True)
    core_count = serializers.IntegerField(read_only=True)
    periphery_count = serializers.IntegerField(read_only=True)
    meeting_count = serializers.IntegerField(read_only=True)
    meetings_uncounted = serializers.IntegerField(read_only=True)
    last_activity = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = InquiryGroup
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "sites",
            "site_urls",
            "name",
            "short_name",
            "kind",
            "topic",
            "description",
            "status",
            "start_date",
            "end_date",
            "date_precision",
            "approach",
            "parent",
            "parent_url",
            "lead",
            "lead_url",
            "lead_description",
            "themes",
            "theme_urls",
            "core_count",
            "periphery_count",
            "meeting_count",
            "meetings_uncounted",
            "last_activity",
        ]
        read_only_fields = fields


# What a group's form writes besides its sites and themes (``inquiries.services.GROUP_FIELDS``).
GROUP_WRITTEN = [*GROUP_FIELDS, "sites", "themes"]


class GroupWriteSerializer(PageChecksMixin, GroupSerializer):
    """A group as its form writes it: in sites you may change (a shared group's other sites
    stay), with themes and a parent of its programme; a new group starts in ``status`` (forming
    by default), later changes being its page's."""

    page_form = GroupForm
    sites = PermittedRelatedField(
        "sites.view_casesite",
        queryset=CaseSite.objects.all(),
        many=True,
        allow_empty=False,
        error_messages={"empty": "Choose at least one site."},
    )
    themes = PermittedRelatedField(
        "sites.view_theme", queryset=Theme.objects.all(), many=True, required=False
    )
    parent = PermittedRelatedField(
        "inquiries.view_inquirygroup",
        queryset=InquiryGroup.objects.all(),
        required=False,
        allow_null=True,
    )
    status = serializers.ChoiceField(
        choices=GroupStatus.choices, default=GroupStatus.FORMING, required=False
    )

    class Meta(GroupSerializer.Meta):
        read_only_fields = [
            name for name in GroupSerializer.Meta.fields if name not in GROUP_WRITTEN
        ]
        extra_kwargs = {"name": {"required": True}, "kind": {"required": True}}

    def programme_of(self, attrs):
        if self.instance is not None:
            return self.instance.programme
        sites = attrs.get("sites") or []
        return sites[0].programme if sites else None


class MembershipSerializer(RecordSerializer):
    """A person's part in a group for a span of time: a change of role closes one membership
    (``leave_reason`` role change) and opens another from the same day, so who was core when is
    kept. The person is an id and a link: the people resource says who they are."""

    url = self_link("membership")
    group_url = link("group", source="group")
    person_url = link("person", source="person")

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "group",
            "group_url",
            "person",
            "person_url",
            "role",
            "joined_on",
            "left_on",
            "leave_reason",
        ]
        read_only_fields = fields

    # A membership has no page of its own: the group page's members section shows it.
    html_url = serializers.SerializerMethodField()

    def get_html_url(self, membership) -> str:
        return group_page(self, membership.group_id, "#members-heading")


class MembershipCreateSerializer(PageChecksMixin, MembershipSerializer):
    """A member added to a group: someone already recorded in its programme, in ``role``, from
    ``joined_on`` (empty when unknown: counted from the group's start)."""

    group = PermittedRelatedField(
        "inquiries.view_inquirygroup", queryset=InquiryGroup.objects.all()
    )
    person = PermittedRelatedField("inquiries.view_person", queryset=Person.objects.all())

    class Meta(MembershipSerializer.Meta):
        read_only_fields = ["id", "left_on", "leave_reason"]
        extra_kwargs = {"joined_on": {"required": False}}

    def programme_of(self, attrs):
        return attrs["group"].programme


class MembershipRoleSerializer(PageChecksMixin, serializers.Serializer):
    """A member's new role from ``as_of``: the membership closes that day and a new one opens."""

    role = serializers.ChoiceField(choices=MembershipRole.choices)
    as_of = serializers.DateField()

    def programme_of(self, attrs):
        return self.context["membership"].group.programme


class MembershipEndSerializer(PageChecksMixin, serializers.Serializer):
    """That a member left on ``left_on``, and why; the membership stays, closed."""

    left_on = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=[
            (value, label)
            for value, label in LeaveReason.choices
            if value != LeaveReason.ROLE_CHANGE
        ]
    )

    def programme_of(self, attrs):
        return self.context["membership"].group.programme


class GroupRecordSerializer(PageChecksMixin, RecordSerializer):
    """A record of a group's (a question, a cycle), shown in a section of the group page."""

    group_url = link("group", source="group")
    html_url = serializers.SerializerMethodField()
    anchor = ""

    def get_html_url(self, record) -> str:
        return group_page(self, record.group_id, self.anchor)

    def programme_of(self, attrs):
        group = self.instance.group if self.instance is not None else attrs["group"]
        return group.programme


class ResearchQuestionSerializer(GroupRecordSerializer):
    """A group's research question: adopting one replaces the current ones as of that day
    (``replaced_on``)."""

    url = self_link("research-question")
    group = PermittedRelatedField(
        "inquiries.view_inquirygroup", queryset=InquiryGroup.objects.all()
    )
    anchor = "#questions-heading"
    page_form = ResearchQuestionForm

    class Meta:
        model = ResearchQuestion
        fields = [
            "id",
            "url",
            "html_url",
            "group",
            "group_url",
            "text",
            "adopted_on",
            "replaced_on",
        ]
        read_only_fields = ["id", "replaced_on"]
        # Required of a write, but a question the sources give no date for reads as null.
        extra_kwargs = {"adopted_on": {"required": True}}

    def validate_adopted_on(self, value):
        if value is None:
            raise serializers.ValidationError("Enter the date the group adopted the question.")
        return value


class CycleSerializer(GroupRecordSerializer):
    """A cycle of a group's inquiry, by its number in the group."""

    url = self_link("cycle")
    group = PermittedRelatedField(
        "inquiries.view_inquirygroup", queryset=InquiryGroup.objects.all()
    )
    number = serializers.IntegerField(min_value=1, max_value=32767)
    anchor = "#cycles-heading"
    page_form = CycleForm

    class Meta:
        model = Cycle
        fields = [
            "id",
            "url",
            "html_url",
            "group",
            "group_url",
            "number",
            "title",
            "start_date",
            "end_date",
        ]
        read_only_fields = ["id"]


class CycleUpdateSerializer(CycleSerializer):
    """A cycle's number, title or dates; it stays in its group."""

    group = serializers.PrimaryKeyRelatedField(read_only=True)


class ResearcherRolesField(serializers.ListField):
    """The researcher roles exercised in an activity: written as a list, read from its rows."""

    child = serializers.ChoiceField(choices=ResearcherRole.choices)

    def to_representation(self, rows):
        return [row.role for row in rows.all()]


class ActivitySerializer(RecordSerializer):
    """Something that happened in a group or a site: a meeting, a visit, or a tally of backstage
    contacts (``count`` over ``date`` to ``end_date``). ``attendees`` are the people recorded as
    attending, as ids and links (the people resource names them where you may see names);
    ``attendee_count`` counts them, ``attendance_total`` is a total the source gives without
    names. ``notes`` (the reflective notes) are null unless you may read the researchers'
    working material."""

    url = self_link("activity")
    programme_url = link("programme", source="programme")
    site_url = link("site", source="site")
    group_url = link("group", source="group")
    cycle_url = link("cycle", source="cycle")
    attendee_urls = link("person", source="attendees", many=True)
    theme_urls = link("theme", source="themes", many=True)
    attendee_count = serializers.IntegerField(read_only=True)
    notes_visible = serializers.BooleanField(read_only=True)
    researcher_roles = ResearcherRolesField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "html_url",
            "programme",
            "programme_url",
            "site",
            "site_url",
            "group",
            "group_url",
            "cycle",
            "cycle_url",
            "kind",
            "title",
            "date",
            "end_date",
            "date_precision",
            "duration_minutes",
            "count",
            "count_unknown",
            "direction",
            "phase",
            "attendees",
            "attendee_urls",
            "attendee_count",
            "attendance_total",
            "researcher_roles",
            "themes",
            "theme_urls",
            "notes_visible",
            "notes",
        ]
        read_only_fields = fields
        extra_kwargs = {"notes": {"allow_null": True}}

    def to_representation(self, activity):
        data = super().to_representation(activity)
        if not activity.notes_visible:
            data["notes"] = None
        return data


# What the activity form writes, files aside, and the group it is logged in.
ACTIVITY_WRITTEN = ["group", *(name for name in LOGGED_FIELDS if name != "attachments")]


class ActivityWriteSerializer(PageChecksMixin, ActivitySerializer):
    """An activity of a group as its form logs it: its kind and date, who attended (people of
    the programme you may see), the cycle and phase, the researcher roles exercised and the
    reflective notes."""

    page_form = ActivityForm
    group = PermittedRelatedField(
        "inquiries.view_inquirygroup", queryset=InquiryGroup.objects.all()
    )
    cycle = PermittedRelatedField(
        "inquiries.view_cycle", queryset=Cycle.objects.all(), required=False, allow_null=True
    )
    attendees = PermittedRelatedField(
        "inquiries.view_person", queryset=Person.objects.all(), many=True, required=False
    )
    date = serializers.DateField()
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=24 * 60, required=False, allow_null=True
    )
    researcher_roles = ResearcherRolesField(required=False)

    class Meta(ActivitySerializer.Meta):
        read_only_fields = [
            name for name in ActivitySerializer.Meta.fields if name not in ACTIVITY_WRITTEN
        ]
        extra_kwargs = {"kind": {"required": True}, "notes": {"allow_null": False}}

    def programme_of(self, attrs):
        if self.instance is not None:
            return self.instance.programme
        return attrs["group"].programme


class ActivityUpdateSerializer(ActivityWriteSerializer):
    """An activity's changes: ``attendees`` and ``researcher_roles``, when sent, replace the
    recorded ones; it stays in its group."""

    group = serializers.PrimaryKeyRelatedField(read_only=True)
