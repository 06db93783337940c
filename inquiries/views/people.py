"""People pages."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import DetailView, ListView

from accounts.rules import permitted
from car_programme.exceptions import DomainError
from car_programme.mixins import ObjectActionMixin, ProgrammeChoiceMixin
from inquiries.filters import PersonFilter
from inquiries.forms import (
    PersonForm,
)
from inquiries.selectors import (
    person_get_for_user,
    person_list_for_user,
    person_story,
)
from inquiries.services import (
    person_create,
    person_delete,
    person_update,
)
from sites.models import CaseSite
from sites.selectors import sites_editable_by


class PersonListView(LoginRequiredMixin, ListView):
    template_name = "inquiries/person_list.html"
    context_object_name = "people"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        self.filterset = PersonFilter(
            self.request.GET or None,
            queryset=person_list_for_user(user=user),
            sites=permitted(user, "sites.view_casesite").order_by("name"),
            organisations=permitted(user, "sites.view_organisation").order_by("name"),
            groups=permitted(user, "inquiries.view_inquirygroup").order_by("name"),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset,
            can_create=self.request.user.has_perm("inquiries.change_person"),
            **kwargs,
        )


class PersonDetailView(LoginRequiredMixin, DetailView):
    template_name = "inquiries/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return person_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            story=person_story(person=self.object, user=user),
            can_change=user.has_perm("inquiries.change_person", self.object),
            can_export=user.has_perm("inquiries.export_person", self.object),
            can_erase=user.has_perm("inquiries.erase_person", self.object),
            **kwargs,
        )


class PersonFormMixin:
    template_name = "inquiries/person_form.html"

    def make_form(self, data=None, initial=None, current_site_id=None):
        user = self.request.user
        person = getattr(self, "object", None)
        programme = person.programme if person is not None else self.programme
        sites = sites_editable_by(user=user).filter(programme=programme)
        if current_site_id:
            sites = (sites | CaseSite.objects.filter(pk=current_site_id)).distinct()
        organisations = permitted(user, "sites.view_organisation").filter(programme=programme)
        return PersonForm(
            data, initial=initial, sites=sites, organisations=organisations.order_by("name")
        )

    def render(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "person": getattr(self, "object", None)},
        )


class PersonCreateView(LoginRequiredMixin, ProgrammeChoiceMixin, PersonFormMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("inquiries.change_person"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(self.make_form())

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = person_create(programme=data["site"].programme, by=request.user, **data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{person.pseudonym} recorded.")
                return redirect("inquiries:person_detail", pk=person.pk)
        return self.render(form)


class PersonUpdateView(ObjectActionMixin, PersonFormMixin, View):
    action_permission = "inquiries.change_person"

    def fetch(self, request, pk):
        return person_get_for_user(user=request.user, pk=pk)

    def get(self, request, *args, **kwargs):
        initial = {name: getattr(self.object, name) for name in PersonForm.base_fields}
        initial["site"] = self.object.site_id
        initial["organisation"] = self.object.organisation_id
        return self.render(self.make_form(initial=initial, current_site_id=self.object.site_id))

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST, current_site_id=self.object.site_id)
        if form.is_valid():
            try:
                person_update(person=self.object, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{self.object.pseudonym} saved.")
                return redirect("inquiries:person_detail", pk=self.object.pk)
        return self.render(form)


class PersonDeleteView(ObjectActionMixin, View):
    action_permission = "inquiries.delete_person"
    template_name = "inquiries/person_confirm_delete.html"

    def fetch(self, request, pk):
        return person_get_for_user(user=request.user, pk=pk)

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"person": self.object})

    def post(self, request, *args, **kwargs):
        try:
            person_delete(person=self.object, by=request.user)
        except DomainError as error:
            return render(request, self.template_name, {"person": self.object, "error": str(error)})
        messages.success(request, "Person deleted.")
        return redirect("inquiries:person_list")
