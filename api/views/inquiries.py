"""People, inquiry groups with their members, questions and cycles, and activities with their
attendance, as the inquiries app's pages show them; written through its services."""

from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.rules import permitted
from api.serializers.inquiries import (
    ActivitySerializer,
    ActivityUpdateSerializer,
    ActivityWriteSerializer,
    CycleSerializer,
    CycleUpdateSerializer,
    GroupSerializer,
    GroupWriteSerializer,
    MembershipCreateSerializer,
    MembershipEndSerializer,
    MembershipRoleSerializer,
    MembershipSerializer,
    PersonSerializer,
    ResearchQuestionSerializer,
)
from api.viewsets import (
    RecordViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
    ServiceUpdateMixin,
)
from car_programme.links import kept_links
from inquiries import services
from inquiries.filters import (
    ActivityFilter,
    GroupFilter,
    GroupRecordFilter,
    MembershipFilter,
    PersonFilter,
)
from inquiries.models import Cycle, Membership, Person, ResearchQuestion
from inquiries.selectors import (
    activity_list_for_user,
    group_list_for_user,
    label_order,
    person_list_for_user,
)
from sites.selectors import sites_editable_by


class PersonViewSet(RecordViewSet):
    """The people you may read. ``label`` is a person's name where you may see it (you work
    with the programme's people, or they consented to be named) and their pseudonym otherwise;
    ``name`` and the contact and background fields are then null. Filtered as on the people
    page, by who takes part in a site's groups (``in_site``) or in one group between two dates
    too; ordered by what you see of each person (``label``), never by a hidden name."""

    serializer_class = PersonSerializer
    view_permission = "inquiries.view_person"
    filterset_class = PersonFilter
    filter_choices = {
        "sites": "sites.view_casesite",
        "organisations": "sites.view_organisation",
        "groups": "inquiries.view_inquirygroup",
    }
    ordering_fields = {"id": "pk", "label": label_order(), "pseudonym": "pseudonym_sort"}

    def records(self):
        return person_list_for_user(user=self.request.user)


class GroupViewSet(ServiceCreateMixin, ServiceUpdateMixin, ServiceDestroyMixin, RecordViewSet):
    """The inquiry groups you may read, by name, with their figures today; filtered as on the
    group list (search, kind, status, and as a dashboard counts them: of a site, running at some
    point between two dates). Those who may change a site's records create a group in it and
    change or delete it; a name taken in the programme is refused (400, next to the name)."""

    serializer_class = GroupSerializer
    view_permission = "inquiries.view_inquirygroup"
    write_permissions = {
        # Asked of every site the new group is in (``create_record``).
        "create": "sites.change_casesite",
        "partial_update": "inquiries.change_inquirygroup",
        "destroy": "inquiries.delete_inquirygroup",
    }
    error_fields = {"create": "name", "partial_update": "name"}
    filterset_class = GroupFilter
    filter_choices = {"sites": "sites.view_casesite"}
    ordering_fields = {"id": "pk", "name": "name", "start_date": "start_date", "kind": "kind"}

    def records(self):
        return (
            group_list_for_user(user=self.request.user)
            .select_related(None)
            .prefetch_related("themes")
        )

    def get_serializer_class(self):
        writes = ("create", "partial_update")
        return GroupWriteSerializer if self.action in writes else GroupSerializer

    def parent_of(self, data):
        return data["sites"][0]

    def create_record(self, data):
        data = dict(data)
        for site in data["sites"][1:]:
            self.require(self.write_permissions["create"], site)
        return services.group_create(
            sites=data.pop("sites"), themes=data.pop("themes", ()), by=self.request.user, **data
        )

    def update_record(self, record, data):
        data = dict(data)
        data.pop("status", None)  # later changes of status are the group page's
        if "sites" in data:
            # A site added must be one you may change; a shared group's other sites stay.
            current = record.sites.all()
            for site in data["sites"]:
                if site not in current:
                    self.require("sites.change_casesite", site)
            editable = sites_editable_by(user=self.request.user)
            sites = kept_links(data.pop("sites"), current, editable)
        else:
            sites = record.sites.all()
        themes = data.pop("themes", record.themes.all())
        fields = {name: getattr(record, name) for name in services.GROUP_FIELDS} | data
        return services.group_update(
            group=record, sites=sites, themes=themes, by=self.request.user, **fields
        )

    def delete_record(self, record):
        services.group_delete(group=record, by=self.request.user)


class MembershipViewSet(ServiceCreateMixin, RecordViewSet):
    """Who takes part in the groups you may read, over time, as the group pages show it (a left
    membership stays, closed). Those who may change a group add a member (``POST``), change a
    member's role as of a date (``change-role``: the membership closes that day and a new one
    opens, answered) and record that a member left (``end``)."""

    serializer_class = MembershipSerializer
    view_permission = "inquiries.view_membership"
    write_permissions = {
        "create": "inquiries.change_inquirygroup",
        "change_role": "inquiries.change_membership",
        "end": "inquiries.change_membership",
    }
    filterset_class = MembershipFilter
    filter_choices = {"groups": "inquiries.view_inquirygroup", "people": "inquiries.view_person"}
    ordering_fields = {"id": "pk", "joined_on": "joined_on", "left_on": "left_on", "role": "role"}

    def records(self):
        return Membership.objects.order_by("group_id", "role", "joined_on", "pk")

    def get_serializer_class(self):
        return MembershipCreateSerializer if self.action == "create" else MembershipSerializer

    def parent_of(self, data):
        return data["group"]

    def create_record(self, data):
        return services.membership_add(
            joined_on=data.pop("joined_on", None), by=self.request.user, **data
        )

    def act(self, serializer_class, service):
        membership = self.get_object()
        context = {**self.get_serializer_context(), "membership": membership}
        serializer = serializer_class(data=self.request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return service(membership=membership, by=self.request.user, **serializer.validated_data)

    @extend_schema(request=MembershipRoleSerializer, responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"], url_path="change-role")
    def change_role(self, request, pk=None):
        """Move the member to ``role`` from ``as_of``: answers the new membership."""
        new = self.act(MembershipRoleSerializer, services.membership_change_role)
        return Response(self.saved(new), status=status.HTTP_201_CREATED)

    @extend_schema(request=MembershipEndSerializer, responses={200: MembershipSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Record that the member left on ``left_on``, and why."""
        return Response(self.saved(self.act(MembershipEndSerializer, services.membership_end)))


class ResearchQuestionViewSet(ServiceCreateMixin, RecordViewSet):
    """The research questions of the groups you may read, each with the day it was adopted and
    replaced. Those who may change a group adopt a new question, which replaces the current
    ones as of its day (one adopted later cannot be replaced: 400, next to ``adopted_on``)."""

    serializer_class = ResearchQuestionSerializer
    view_permission = "inquiries.view_researchquestion"
    write_permissions = {"create": "inquiries.change_inquirygroup"}
    error_fields = {"create": "adopted_on"}
    filterset_class = GroupRecordFilter
    filter_choices = {"groups": "inquiries.view_inquirygroup"}
    ordering_fields = {"id": "pk", "adopted_on": "adopted_on"}

    def records(self):
        return ResearchQuestion.objects.order_by("group_id", "adopted_on", "pk")

    def parent_of(self, data):
        return data["group"]

    def create_record(self, data):
        return services.research_question_adopt(by=self.request.user, **data)


class CycleViewSet(ServiceCreateMixin, ServiceUpdateMixin, RecordViewSet):
    """The cycles of the groups you may read, by number. Those who may change a group add a
    cycle and change one; a number the group has already is refused (400, next to the
    number)."""

    serializer_class = CycleSerializer
    view_permission = "inquiries.view_cycle"
    write_permissions = {
        "create": "inquiries.change_inquirygroup",
        "partial_update": "inquiries.change_cycle",
    }
    error_fields = {"create": "number", "partial_update": "number"}
    filterset_class = GroupRecordFilter
    filter_choices = {"groups": "inquiries.view_inquirygroup"}
    ordering_fields = {"id": "pk", "number": "number", "start_date": "start_date"}

    def records(self):
        return Cycle.objects.order_by("group_id", "number")

    def get_serializer_class(self):
        return CycleUpdateSerializer if self.action == "partial_update" else CycleSerializer

    def parent_of(self, data):
        return data["group"]

    def create_record(self, data):
        return services.cycle_create(by=self.request.user, **data)

    def update_record(self, record, data):
        fields = {name: getattr(record, name) for name in ("number", "title", "start_date")}
        fields = fields | {"end_date": record.end_date} | data
        return services.cycle_update(cycle=record, by=self.request.user, **fields)


class ActivityViewSet(ServiceCreateMixin, ServiceUpdateMixin, ServiceDestroyMixin, RecordViewSet):
    """The activities you may read, newest first, with who attended: ``attendees`` as people's
    ids and links, never their names (the people resource names them where you may see
    names), and ``attendee_count``, as the activity list counts them. Filtered as on the
    activity list (title, kind, site tallies or group activities, and as a dashboard counts
    them: of a site or group, between two dates). Those who may change a group log an activity
    in it with its attendance; its editors change or delete it."""

    serializer_class = ActivitySerializer
    view_permission = "inquiries.view_activity"
    write_permissions = {
        "create": "inquiries.change_inquirygroup",
        "partial_update": "inquiries.change_activity",
        "destroy": "inquiries.delete_activity",
    }
    filterset_class = ActivityFilter
    filter_choices = {"sites": "sites.view_casesite", "groups": "inquiries.view_inquirygroup"}
    ordering_fields = {"id": "pk", "date": "date", "kind": "kind"}

    def records(self):
        user = self.request.user
        notes = permitted(user, "inquiries.view_activity_notes").filter(pk=OuterRef("pk"))
        return (
            activity_list_for_user(user=user)
            .select_related(None)
            .prefetch_related(
                Prefetch("attendees", queryset=Person.objects.only("pk").order_by("pk")),
                "themes",
                "researcher_roles",
            )
            .annotate(notes_visible=Exists(notes))
        )

    def get_serializer_class(self):
        if self.action == "create":
            return ActivityWriteSerializer
        if self.action == "partial_update":
            return ActivityUpdateSerializer
        return ActivitySerializer

    def parent_of(self, data):
        return data["group"]

    def create_record(self, data):
        return services.activity_log(by=self.request.user, **data)

    def update_record(self, record, data):
        data = dict(data)
        return services.activity_update(
            activity=record,
            attendees=data.pop("attendees", None),
            researcher_roles=data.pop("researcher_roles", None),
            by=self.request.user,
            **data,
        )

    def delete_record(self, record):
        services.activity_delete(activity=record, by=self.request.user)
