"""Evidence items, outputs and changes, as the evidence app's pages show them and record them.

A new record is asked the rule its page asks (``evidence.change_<model>``: may the writer
record one anywhere at all; 404 otherwise), then placed as the page's form places it: in at
least one site or group the writer may edit, all of one programme, which it belongs to.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from accounts.rules import permitted
from api.permissions import write_rule
from api.serializers.evidence import (
    ChangeCreateSerializer,
    ChangeSerializer,
    EvidenceItemCreateSerializer,
    EvidenceItemSerializer,
    OutputCreateSerializer,
    OutputSerializer,
)
from api.viewsets import RecordViewSet, ServiceCreateMixin, ServiceDestroyMixin
from car_programme.exceptions import DomainError
from car_programme.links import check_same_programme
from evidence import services
from evidence.filters import ChangeFilter, EvidenceFilter, OutputFilter
from evidence.selectors import change_list_for_user, evidence_list_for_user, output_list_for_user
from sites.models import CaseSite, Theme

# The choices of the lists' site and group filters, as the list pages cut them.
PLACE_CHOICES = {"sites": "sites.view_casesite", "groups": "inquiries.view_inquirygroup"}
# The links a writer picks among what they may see, perhaps in another of their programmes.
LINKS = ("themes", "authors", "evidence", "outputs", "earlier_changes", "activity")
THEMES = Prefetch("themes", queryset=Theme.objects.order_by("framework", "position", "name"))


def programme_of_places(data: dict, *, programme_wide: bool = False):
    """The programme of a new record's sites and groups, refused with the page's words when
    it names none (and, for a record that may belong to its whole programme, no ``programme``
    either) or when they belong to different programmes. Every site and group was chosen
    among those the writer may edit (the serializer's fields)."""
    groups = [data["group"]] if data.get("group") else list(data.get("groups", []))
    places = [*data.get("sites", []), *groups]
    if places:
        if len({place.programme_id for place in places}) > 1:
            raise ValidationError("The sites and groups chosen belong to different programmes.")
        programme = places[0].programme
    elif programme_wide and data.get("programme") is not None:
        programme = data["programme"]
    else:
        also = ", or the programme." if programme_wide else "."
        raise ValidationError(f"Choose at least one site or group that you may edit{also}")
    for name in LINKS:
        try:
            check_same_programme(programme, **{name: data.get(name)})
        except DomainError as error:
            # The service's words, said next to the field (a writer in two programmes).
            raise ValidationError({name: str(error)}) from error
    return programme


class _RecordCreateMixin(ServiceCreateMixin):
    """The page's create rule first, asked of no record (as its page asks it): whoever may
    record none anywhere is refused (404) before their data is read."""

    def create(self, request, *args, **kwargs):
        self.require(write_rule(self), None)
        return super().create(request, *args, **kwargs)

    def parent_of(self, data):
        # Placed by ``programme_of_places`` among the sites and groups the writer may edit.
        return None


class EvidenceItemViewSet(_RecordCreateMixin, ServiceDestroyMixin, RecordViewSet):
    """The evidence you may read, newest first: restricted and personal-data items only where
    the rule set lets you (never to a strategy lead, nor to another site's researcher), each
    file through its guarded download (``file_url``). Filtered as on the evidence page; its
    site's researchers and the programme's managers record and delete it."""

    serializer_class = EvidenceItemSerializer
    view_permission = "evidence.view_evidenceitem"
    write_permissions = {
        "create": "evidence.change_evidenceitem",
        "destroy": "evidence.delete_evidenceitem",
    }
    # A title taken in the programme is said next to the title, as on the page.
    error_fields = {"create": "title"}
    filterset_class = EvidenceFilter
    filter_choices = PLACE_CHOICES
    ordering_fields = {"id": "pk", "title": "title", "collected_on": "collected_on"}

    def records(self):
        return evidence_list_for_user(user=self.request.user).prefetch_related(THEMES)

    def get_serializer_class(self):
        if self.action == "create":
            return EvidenceItemCreateSerializer
        return EvidenceItemSerializer

    def create_record(self, data):
        programme = programme_of_places(data)
        activity, group = data.get("activity"), data.get("group")
        if activity is not None and group is not None and activity.group_id not in (None, group.pk):
            raise ValidationError({"activity": "This activity belongs to another group."})
        return services.evidence_create(
            programme=programme, by=self.request.user, **{"sites": [], **data}
        )

    def delete_record(self, record):
        services.evidence_delete(item=record, by=self.request.user)


class OutputViewSet(_RecordCreateMixin, ServiceDestroyMixin, RecordViewSet):
    """The outputs you may read, newest published first; a programme-wide output (of no site
    or group) reaches every site's strategy lead. Filtered as on the outputs page. A new
    output is a draft; its stages change on its page."""

    serializer_class = OutputSerializer
    view_permission = "evidence.view_output"
    write_permissions = {"create": "evidence.change_output", "destroy": "evidence.delete_output"}
    # A title taken in the programme is said next to the title, as on the page.
    error_fields = {"create": "title"}
    filterset_class = OutputFilter
    filter_choices = PLACE_CHOICES
    ordering_fields = {
        "id": "pk",
        "title": "title",
        "drafted_on": "drafted_on",
        "published_on": "published_on",
    }

    def records(self):
        groups = permitted(self.request.user, "inquiries.view_inquirygroup").order_by("name")
        # The list's groups are those the reader may see, as the output page shows them.
        return (
            output_list_for_user(user=self.request.user)
            .prefetch_related(None)
            .prefetch_related(
                Prefetch("sites", queryset=CaseSite.objects.order_by("name")),
                Prefetch("groups", queryset=groups),
                "authors",
                THEMES,
            )
        )

    def get_serializer_class(self):
        return OutputCreateSerializer if self.action == "create" else OutputSerializer

    def create_record(self, data):
        data = {"sites": [], "groups": [], **data}
        data["programme"] = programme_of_places(data, programme_wide=True)
        return services.output_create(by=self.request.user, **data)

    def delete_record(self, record):
        services.output_delete(output=record, by=self.request.user)


class ChangeViewSet(_RecordCreateMixin, ServiceDestroyMixin, RecordViewSet):
    """The changes you may read, newest first, each with the evidence, outputs and earlier
    changes behind it that you may see (a change seen across sites may rest on evidence
    restricted to its own). Filtered as on the changes page."""

    serializer_class = ChangeSerializer
    view_permission = "evidence.view_change"
    write_permissions = {"create": "evidence.change_change", "destroy": "evidence.delete_change"}
    # A title taken in the programme is said next to the title, as on the page.
    error_fields = {"create": "title"}
    filterset_class = ChangeFilter
    filter_choices = PLACE_CHOICES
    ordering_fields = {"id": "pk", "title": "title", "date": "date"}

    def records(self):
        user = self.request.user
        return change_list_for_user(user=user).prefetch_related(
            Prefetch("evidence", queryset=permitted(user, "evidence.view_evidenceitem")),
            Prefetch("outputs", queryset=permitted(user, "evidence.view_output")),
            Prefetch("earlier_changes", queryset=permitted(user, "evidence.view_change")),
            THEMES,
        )

    def get_serializer_class(self):
        return ChangeCreateSerializer if self.action == "create" else ChangeSerializer

    def create_record(self, data):
        programme = programme_of_places(data)
        return services.change_create(
            programme=programme, by=self.request.user, **{"sites": [], **data}
        )

    def delete_record(self, record):
        services.change_delete(change=record, by=self.request.user)
