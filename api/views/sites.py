"""Programmes, case sites, organisations and themes, as the sites app's pages show them."""

from api.serializers.sites import (
    CaseSiteSerializer,
    OrganisationSerializer,
    ProgrammeSerializer,
    ThemeCreateSerializer,
    ThemeSerializer,
)
from api.viewsets import (
    RecordViewSet,
    ServiceCreateMixin,
    ServiceDestroyMixin,
    ServiceUpdateMixin,
)
from inquiries.filters import OrganisationScopeFilter
from sites import services
from sites.filters import CaseSiteFilter, ThemeFilter
from sites.models import Theme
from sites.selectors import organisation_list_for_user, programme_list_for_user, site_list_for_user


class ProgrammeViewSet(RecordViewSet):
    """The programmes you hold a role in, open ones first, with their numbers of sites and
    organisations."""

    serializer_class = ProgrammeSerializer
    view_permission = "sites.view_programme"
    ordering_fields = {"id": "pk", "name": "name", "start_date": "start_date"}

    def records(self):
        return programme_list_for_user(user=self.request.user)


class CaseSiteViewSet(RecordViewSet):
    """The case sites you may read: their partnership, context, selection rationale and what
    was delivered (Table B's third column), with their numbers of groups and organisations."""

    serializer_class = CaseSiteSerializer
    view_permission = "sites.view_casesite"
    filterset_class = CaseSiteFilter
    filter_choices = {"programmes": "sites.view_programme"}
    ordering_fields = {"id": "pk", "name": "name", "programme": "programme__name"}

    def records(self):
        return site_list_for_user(user=self.request.user)


class OrganisationViewSet(RecordViewSet):
    """The organisations you may read, with their sector, their sites and their number of
    people (never their names). Filtered as on the organisations page, by who takes part in the
    groups too: the organisations of the people taking part in a site's groups (``in_site``) or
    in one group, between two dates."""

    serializer_class = OrganisationSerializer
    view_permission = "sites.view_organisation"
    # The organisation list's filters, with those by who takes part in the groups.
    filterset_class = OrganisationScopeFilter
    filter_choices = {"sites": "sites.view_casesite", "groups": "inquiries.view_inquirygroup"}
    ordering_fields = {"id": "pk", "name": "name", "sector": "sector"}

    def records(self):
        return organisation_list_for_user(user=self.request.user)


class ThemeViewSet(ServiceCreateMixin, ServiceUpdateMixin, ServiceDestroyMixin, RecordViewSet):
    """The themes of the programmes you hold a role in, by framework, in their order. A
    programme's managers add a theme to a framework (a new one, if no theme has its name yet),
    rename a theme and change its description, and delete a theme that tags no record; a
    name taken in the framework is refused (400)."""

    serializer_class = ThemeSerializer
    view_permission = "sites.view_theme"
    write_permissions = {
        "create": "sites.add_theme",
        "partial_update": "sites.change_theme",
        "destroy": "sites.delete_theme",
    }
    error_fields = {"create": "name", "partial_update": "name"}
    filterset_class = ThemeFilter
    filter_choices = {"programmes": "sites.view_programme"}
    ordering_fields = {"id": "pk", "name": "name", "framework": "framework"}

    def records(self):
        # In each programme, the frameworks' themes in their order, as the theme page lists them.
        return Theme.objects.order_by("programme_id", "framework", "position", "name")

    def get_serializer_class(self):
        return ThemeCreateSerializer if self.action == "create" else ThemeSerializer

    def parent_of(self, data):
        return data["programme"]

    def create_record(self, data):
        return services.theme_create(by=self.request.user, **data)

    def update_record(self, record, data):
        return services.theme_update(theme=record, by=self.request.user, **data)

    def delete_record(self, record):
        services.theme_delete(theme=record, by=self.request.user)
