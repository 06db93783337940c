"""Pages for the programme, case sites (with Table B and the researcher engagement figures) and
organisations.

Every object is fetched through a selector that applies the rule set, so another programme's
site or organisation answers 404 to a direct URL; editing then asks the change rule on the
object (403 for a reader who may see but not edit). Deleting a site stays in the
administration, for superusers.

Setting a programme up (the programme, its sites, theme frameworks, organisations and Table B)
is done here by its managers, guided by "Set up your programme" (``sites.setup``); an archived
programme is read-only, since the rule set allows no write in it.

The site page and the organisation list are extended by inquiries (``inquiries/views/sites.py``),
which routes them: the site's groups with their derived figures, and the filters by who takes
part in the groups.
"""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)
from rules.contrib.views import PermissionRequiredMixin

from accounts.rules import permitted
from car_programme.exceptions import DomainError
from car_programme.mixins import (
    ProgrammeChoiceMixin,
    RecordDeleteView,
    RecordFileView,
    RecordMixin,
    ServiceFormMixin,
)
from sites import services
from sites.filters import CaseSiteFilter, OrganisationFilter
from sites.forms import (
    CaseSiteForm,
    CaseSiteSetupForm,
    FrameworkForm,
    OrganisationForm,
    ProgrammeForm,
    ProposedProjectForm,
    ThemeForm,
)
from sites.selectors import (
    organisation_dependants,
    organisation_get_for_user,
    organisation_list_for_user,
    organisation_page,
    programme_get_for_user,
    programme_list_for_user,
    programme_page,
    proposed_project_get_for_user,
    site_get_for_user,
    site_list_for_user,
    site_page,
    theme_get_for_user,
    theme_list_for_programme,
    theme_uses,
)
from sites.setup import programme_checklist


def _fields(form, names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


# --- Programmes -------------------------------------------------------------------------------


class ProgrammeListView(LoginRequiredMixin, ListView):
    """The programmes the user may see, open ones first; superusers make new ones here."""

    template_name = "sites/programme_list.html"
    context_object_name = "programmes"
    paginate_by = 25

    def get_queryset(self):
        return programme_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs):
        can_add = self.request.user.has_perm("sites.add_programme")
        return super().get_context_data(can_add=can_add, **kwargs)


class ProgrammeDetailView(RecordMixin, DetailView):
    """The programme as a whole: its learning community and the figures published of it, and
    for its managers what its setup still misses. Its published figures and learning
    community are changed in the administration."""

    template_name = "sites/programme_detail.html"
    context_object_name = "programme"
    fetch = staticmethod(programme_get_for_user)

    def get_context_data(self, **kwargs):
        programme, user = self.object, self.request.user
        page = programme_page(programme=programme, user=user)
        can_change = user.has_perm("sites.change_programme", programme)
        return super().get_context_data(
            page=page,
            can_change=can_change,
            can_archive=not programme.is_archived
            and user.has_perm("sites.archive_programme", programme),
            can_restore=programme.is_archived
            and user.has_perm("sites.restore_programme", programme),
            checklist=programme_checklist(programme=programme, user=user) if can_change else None,
            **kwargs,
        )


class ProgrammeCreateView(
    LoginRequiredMixin, PermissionRequiredMixin, ServiceFormMixin, CreateView
):
    template_name = "sites/programme_form.html"
    form_class = ProgrammeForm
    permission_required = "sites.add_programme"
    success_message = "Programme “%(title)s” was made: set it up step by step below."

    def save(self, form):
        return services.programme_create(
            by=self.request.user, **_fields(form, services.PROGRAMME_FIELDS)
        )

    def get_success_url(self):
        return reverse("sites:programme_setup", args=[self.saved.pk])


class ProgrammeUpdateView(RecordMixin, ServiceFormMixin, UpdateView):
    template_name = "sites/programme_form.html"
    form_class = ProgrammeForm
    context_object_name = "programme"
    fetch = staticmethod(programme_get_for_user)
    permission = "sites.change_programme"
    success_message = "Programme “%(title)s” was saved."

    def save(self, form):
        return services.programme_update(
            programme=self.object, by=self.request.user, **_fields(form, services.PROGRAMME_FIELDS)
        )


class ProgrammeArchiveView(RecordMixin, DetailView):
    """Asks, then archives the programme (``restore``: takes it out of the archive)."""

    template_name = "sites/programme_archive.html"
    context_object_name = "programme"
    fetch = staticmethod(programme_get_for_user)
    permission = "sites.archive_programme"
    restore = False

    def post(self, request, *args, **kwargs):
        service = services.programme_restore if self.restore else services.programme_archive
        try:
            service(programme=self.object, by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            done = "taken out of the archive" if self.restore else "archived: it is now read-only"
            messages.success(request, f"“{self.object}” was {done}.")
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(restore=self.restore, **kwargs)


class ProgrammeLogoView(RecordFileView):
    """The logo, to whoever reads the programme: streamed after the rule, as every file."""

    fetch = staticmethod(programme_get_for_user)
    file_field = "logo"

    def file_title(self) -> str:
        return f"{self.object.slug}-logo"


class ProgrammeSetupView(RecordMixin, TemplateView):
    """ "Set up your programme": the steps, what each has made and what is still missing."""

    template_name = "sites/programme_setup.html"
    fetch = staticmethod(programme_get_for_user)
    permission = "sites.change_programme"

    def get_context_data(self, **kwargs):
        checklist = programme_checklist(programme=self.object, user=self.request.user)
        return super().get_context_data(programme=self.object, checklist=checklist, **kwargs)


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

    def add_site_url(self) -> str | None:
        """Where "Add a case site" leads: the form of the user's only programme to add sites
        in, or with several, the programmes to choose from."""
        programmes = permitted(self.request.user, "sites.add_casesite").filter(
            archived_at__isnull=True
        )
        choices = list(programmes.order_by("name")[:2])
        if len(choices) == 1:
            return reverse("sites:site_create", args=[choices[0].pk])
        return reverse("sites:programme_list") if choices else None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset, add_site_url=self.add_site_url(), **kwargs
        )


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


class CaseSiteCreateView(RecordMixin, ServiceFormMixin, FormView):
    """A new site of the programme of the address, by its managers."""

    template_name = "sites/casesite_form.html"
    form_class = CaseSiteSetupForm
    fetch = staticmethod(programme_get_for_user)
    permission = "sites.add_casesite"
    success_message = "Site “%(title)s” was added."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.object, **kwargs)

    def save(self, form):
        return services.site_create(
            programme=self.object,
            lead_researchers=form.cleaned_data["lead_researchers"],
            by=self.request.user,
            **_fields(form, (*services.SITE_SETUP_FIELDS, *services.SITE_FIELDS)),
        )


class CaseSiteUpdateView(RecordMixin, ServiceFormMixin, UpdateView):
    """A site's context and Table B, for its editors; its name, lead researchers and director
    too for those who set the programme up."""

    template_name = "sites/casesite_form.html"
    context_object_name = "site"
    fetch = staticmethod(site_get_for_user)
    permission = "sites.change_casesite"
    success_message = "Site “%(title)s” was saved."

    @cached_property
    def sets_up(self) -> bool:
        return self.request.user.has_perm("sites.change_casesite_setup", self.object)

    def get_form_class(self):
        return CaseSiteSetupForm if self.sets_up else CaseSiteForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "programme": self.object.programme} if self.sets_up else kwargs

    def save(self, form):
        if not self.sets_up:
            return services.site_update(
                site=self.object, by=self.request.user, **_fields(form, services.SITE_FIELDS)
            )
        return services.site_update(
            site=self.object,
            by=self.request.user,
            lead_researchers=form.cleaned_data["lead_researchers"],
            **_fields(form, (*services.SITE_SETUP_FIELDS, *services.SITE_FIELDS)),
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


class ProposedProjectMoveView(RecordMixin, View):
    """Moves a proposed project one place up (``?up``, posted) or down its site's Table B."""

    fetch = staticmethod(proposed_project_get_for_user)
    permission = "sites.change_proposedproject"

    def post(self, request, *args, **kwargs):
        up = request.POST.get("direction") == "up"
        services.proposed_project_move(project=self.object, up=up, by=request.user)
        return HttpResponseRedirect(_table_b(self.object.site_id))


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


# --- Theme frameworks -------------------------------------------------------------------------


def _theme_list(programme_id: int) -> str:
    return reverse("sites:theme_list", args=[programme_id])


class ThemeListView(RecordMixin, TemplateView):
    """A programme's frameworks with their themes in order, each with how many records it
    tags; its managers add, rename, reorder and remove them here."""

    template_name = "sites/theme_list.html"
    fetch = staticmethod(programme_get_for_user)

    def get_context_data(self, **kwargs):
        programme, user = self.object, self.request.user
        themes = permitted(user, "sites.view_theme", theme_list_for_programme(programme=programme))
        return super().get_context_data(
            programme=programme,
            themes=themes,
            can_edit=user.has_perm("sites.add_theme", programme),
            **kwargs,
        )


class _ProgrammeThemeFormMixin(RecordMixin, ServiceFormMixin):
    """A form on the programme of the address, by those who may add its themes."""

    fetch = staticmethod(programme_get_for_user)
    permission = "sites.add_theme"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.object, **kwargs)

    def get_success_url(self):
        return _theme_list(self.object.pk)


class ThemeCreateView(_ProgrammeThemeFormMixin, FormView):
    """A theme added to a framework (``?framework=`` fills it in), or to a new one."""

    template_name = "sites/theme_form.html"
    form_class = ThemeForm
    success_message = "Theme “%(title)s” was added."

    def get_initial(self):
        return {"framework": self.request.GET.get("framework", "")}

    def get_form_kwargs(self):
        frameworks = (
            self.object.themes.order_by("framework").values_list("framework", flat=True).distinct()
        )
        return {**super().get_form_kwargs(), "frameworks": frameworks}

    def save(self, form):
        return services.theme_create(
            programme=self.object,
            framework=form.cleaned_data["framework"],
            by=self.request.user,
            **_fields(form, services.THEME_FIELDS),
        )


class FrameworkCreateView(_ProgrammeThemeFormMixin, FormView):
    template_name = "sites/framework_form.html"
    form_class = FrameworkForm
    error_field = "framework"

    def save(self, form):
        return services.framework_create(
            programme=self.object,
            framework=form.cleaned_data["framework"],
            themes=form.cleaned_data["themes"],
            by=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Framework “{self.saved[0].framework}” was made with {len(self.saved)} themes."


class FrameworkUpdateView(_ProgrammeThemeFormMixin, FormView):
    """Renames the framework of ``?framework=`` on each of its themes."""

    template_name = "sites/framework_form.html"
    form_class = FrameworkForm
    error_field = "framework"

    @cached_property
    def renaming(self) -> str:
        name = self.request.GET.get("framework", "")
        if not self.object.themes.filter(framework=name).exists():
            raise Http404("The programme has no framework of this name.")
        return name

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "renaming": self.renaming}

    def get_context_data(self, **kwargs):
        return super().get_context_data(renaming=self.renaming, **kwargs)

    def save(self, form):
        services.framework_rename(
            programme=self.object,
            framework=self.renaming,
            new_name=form.cleaned_data["framework"],
            by=self.request.user,
        )
        return form.cleaned_data["framework"]

    def get_success_message(self) -> str:
        return f"The framework is now called “{self.saved}”."


class ThemeUpdateView(RecordMixin, ServiceFormMixin, UpdateView):
    template_name = "sites/theme_form.html"
    form_class = ThemeForm
    context_object_name = "theme"
    fetch = staticmethod(theme_get_for_user)
    permission = "sites.change_theme"
    success_message = "Theme “%(title)s” was saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.object.programme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.object.programme, **kwargs)

    def save(self, form):
        return services.theme_update(
            theme=self.object, by=self.request.user, **_fields(form, services.THEME_FIELDS)
        )

    def get_success_url(self):
        return _theme_list(self.object.programme_id)


class ThemeMoveView(RecordMixin, View):
    """Moves a theme one place up (``direction=up``, posted) or down its framework."""

    fetch = staticmethod(theme_get_for_user)
    permission = "sites.change_theme"

    def post(self, request, *args, **kwargs):
        up = request.POST.get("direction") == "up"
        services.theme_move(theme=self.object, up=up, by=request.user)
        return HttpResponseRedirect(_theme_list(self.object.programme_id))


class ThemeDeleteView(RecordDeleteView):
    """The confirmation page says how many records the theme tags; only an unused theme goes."""

    context_object_name = "theme"
    fetch = staticmethod(theme_get_for_user)
    permission = "sites.delete_theme"

    def get_context_data(self, **kwargs):
        return super().get_context_data(uses=theme_uses(theme=self.object), **kwargs)

    def get_success_url(self):
        return _theme_list(self.object.programme_id)

    def delete_record(self):
        services.theme_delete(theme=self.object, by=self.request.user)
