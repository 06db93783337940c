"""Pages for the programme, case sites (with Table B and the researcher engagement figures) and
organisations.

Every object is fetched through a selector that applies the rule set, so another programme's
site or organisation answers 404 to a direct URL; editing then asks the change rule on the
object (403 for a reader who may see but not edit). Creating and deleting a site stays in the
administration, for programme managers.

The site page and the organisation list are extended by inquiries (``inquiries/views/sites.py``),
which routes them: the site's groups with their derived figures, and the filters by who takes
part in the groups.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse, reverse_lazy
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.rules import permitted
from car_programme.mixins import (
    ProgrammeChoiceMixin,
    RecordDeleteView,
    RecordMixin,
    ServiceFormMixin,
)
from sites import services
from sites.filters import CaseSiteFilter, OrganisationFilter
from sites.forms import CaseSiteForm, OrganisationForm, ProposedProjectForm
from sites.selectors import (
    organisation_dependants,
    organisation_get_for_user,
    organisation_list_for_user,
    organisation_page,
    programme_get_for_user,
    programme_page,
    proposed_project_get_for_user,
    site_get_for_user,
    site_list_for_user,
    site_page,
)


def _fields(form, names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


# --- Programmes -------------------------------------------------------------------------------


class ProgrammeDetailView(RecordMixin, DetailView):
    """The programme as a whole: its learning community and the figures published of it.
    Read-only: the programme is changed in the administration."""

    template_name = "sites/programme_detail.html"
    context_object_name = "programme"
    fetch = staticmethod(programme_get_for_user)

    def get_context_data(self, **kwargs):
        page = programme_page(programme=self.object, user=self.request.user)
        return super().get_context_data(page=page, **kwargs)


# --- Case sites -------------------------------------------------------------------------------


class CaseSiteListView(LoginRequiredMixin, ListView):
    template_name = "sites/casesite_list.html"
    context_object_name = "sites"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        self.filterset = CaseSiteFilter(
            self.request.GET or None,
            queryset=site_list_for_user(user=user),
            programmes=permitted(user, "sites.view_programme").order_by("name"),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class CaseSiteDetailView(RecordMixin, DetailView):
    """The site page but for its groups, which inquiries adds."""

    template_name = "sites/casesite_detail.html"
    context_object_name = "site"
    fetch = staticmethod(site_get_for_user)

    def get_context_data(self, **kwargs):
        site = self.object
        user = self.request.user
        return super().get_context_data(
            page=site_page(site=site, user=user),
            can_edit=user.has_perm("sites.change_casesite", site),
            **kwargs,
        )


class CaseSiteUpdateView(RecordMixin, ServiceFormMixin, UpdateView):
    template_name = "sites/casesite_form.html"
    form_class = CaseSiteForm
    context_object_name = "site"
    fetch = staticmethod(site_get_for_user)
    permission = "sites.change_casesite"
    success_message = "Site “%(title)s” was saved."

    def save(self, form):
        return services.site_update(
            site=self.object, by=self.request.user, **_fields(form, services.SITE_FIELDS)
        )


# --- Proposed projects (Table B) --------------------------------------------------------------


def _table_b(site_id: int) -> str:
    return reverse("sites:site_detail", args=[site_id]) + "#table-b"


class ProposedProjectCreateView(RecordMixin, ServiceFormMixin, FormView):
    """Adding a proposed project is changing its site, so the site's change rule decides."""

    template_name = "sites/proposedproject_form.html"
    form_class = ProposedProjectForm
    fetch = staticmethod(site_get_for_user)
    permission = "sites.change_casesite"
    success_message = "Proposed project “%(title)s” was added to Table B."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.object, **kwargs)

    def save(self, form):
        return services.proposed_project_create(
            site=self.object,
            by=self.request.user,
            **_fields(form, services.PROPOSED_PROJECT_FIELDS),
        )

    def get_success_url(self):
        return _table_b(self.object.pk)


class ProposedProjectUpdateView(RecordMixin, ServiceFormMixin, UpdateView):
    template_name = "sites/proposedproject_form.html"
    form_class = ProposedProjectForm
    context_object_name = "project"
    fetch = staticmethod(proposed_project_get_for_user)
    permission = "sites.change_proposedproject"
    success_message = "Proposed project “%(title)s” was saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "site": self.object.site}

    def get_context_data(self, **kwargs):
        return super().get_context_data(site=self.object.site, **kwargs)

    def save(self, form):
        return services.proposed_project_update(
            project=self.object,
            by=self.request.user,
            **_fields(form, services.PROPOSED_PROJECT_FIELDS),
        )

    def get_success_url(self):
        return _table_b(self.object.site_id)


class ProposedProjectDeleteView(RecordDeleteView):
    context_object_name = "project"
    fetch = staticmethod(proposed_project_get_for_user)
    permission = "sites.delete_proposedproject"

    def get_success_url(self):
        return _table_b(self.object.site_id)

    def delete_record(self):
        services.proposed_project_delete(project=self.object, by=self.request.user)


# --- Organisations ----------------------------------------------------------------------------


class OrganisationListView(LoginRequiredMixin, ListView):
    """The organisation list; inquiries adds the filters by who takes part in the groups."""

    template_name = "sites/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 25
    filterset_class = OrganisationFilter

    def filter_choices(self) -> dict:
        """The filters' choices, cut down to what the user may see (``ViewChoicesMixin``)."""
        return {"sites": permitted(self.request.user, "sites.view_casesite").order_by("name")}

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None,
            queryset=organisation_list_for_user(user=self.request.user),
            **self.filter_choices(),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        can_add = self.request.user.has_perm("sites.add_organisation")
        return super().get_context_data(filter=self.filterset, can_add=can_add, **kwargs)


class OrganisationDetailView(RecordMixin, DetailView):
    template_name = "sites/organisation_detail.html"
    context_object_name = "organisation"
    fetch = staticmethod(organisation_get_for_user)

    def get_context_data(self, **kwargs):
        organisation = self.object
        user = self.request.user
        return super().get_context_data(
            page=organisation_page(organisation=organisation, user=user),
            can_edit=user.has_perm("sites.change_organisation", organisation),
            can_delete=user.has_perm("sites.delete_organisation", organisation),
            **kwargs,
        )


class _OrganisationFormMixin(ServiceFormMixin):
    form_class = OrganisationForm
    template_name = "sites/organisation_form.html"

    def get_form_kwargs(self):
        # A new organisation's programme (ProgrammeChoiceMixin); an edit keeps its own.
        programme = getattr(self, "programme", None)
        return {**super().get_form_kwargs(), "user": self.request.user, "programme": programme}


class OrganisationCreateView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    ProgrammeChoiceMixin,
    _OrganisationFormMixin,
    CreateView,
):
    permission_required = "sites.add_organisation"

    def programmes_to_add_in(self):
        return permitted(self.request.user, "sites.add_organisation")

    success_message = "Organisation “%(title)s” was recorded."

    def save(self, form):
        return services.organisation_create(
            programme=form.cleaned_data["programme"],
            sites=form.cleaned_data["sites"],
            by=self.request.user,
            **_fields(form, services.ORGANISATION_FIELDS),
        )


class OrganisationUpdateView(RecordMixin, _OrganisationFormMixin, UpdateView):
    context_object_name = "organisation"
    fetch = staticmethod(organisation_get_for_user)
    permission = "sites.change_organisation"
    success_message = "Organisation “%(title)s” was saved."

    def save(self, form):
        return services.organisation_update(
            organisation=self.object,
            sites=form.cleaned_data["sites"],
            by=self.request.user,
            **_fields(form, services.ORGANISATION_FIELDS),
        )


class OrganisationDeleteView(RecordDeleteView):
    """The confirmation page says when the organisation cannot be deleted and why; the
    service refuses again if something came to refer to it since."""

    fetch = staticmethod(organisation_get_for_user)
    permission = "sites.delete_organisation"
    success_url = reverse_lazy("sites:organisation_list")

    def get_context_data(self, **kwargs):
        dependants = organisation_dependants(organisation=self.object)
        return super().get_context_data(
            dependants=dependants, deletable=not any(dependants.values()), **kwargs
        )

    def delete_record(self):
        services.organisation_delete(organisation=self.object, by=self.request.user)
