"""People pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.generic import DetailView, FormView, ListView
from rules.contrib.views import PermissionRequiredMixin

from accounts.rules import permitted
from car_programme.exceptions import DomainError
from car_programme.mixins import (
    ProgrammeChoiceMixin,
    RecordDeleteView,
    RecordMixin,
    ServiceFormMixin,
)
from inquiries.filters import PersonFilter
from inquiries.forms import PersonForm
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


class PersonDetailView(RecordMixin, DetailView):
    template_name = "inquiries/person_detail.html"
    context_object_name = "person"
    fetch = staticmethod(person_get_for_user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            story=person_story(person=self.object, user=user),
            can_change=user.has_perm("inquiries.change_person", self.object),
            can_export=user.has_perm("inquiries.export_person", self.object),
            can_erase=user.has_perm("inquiries.erase_person", self.object),
            **kwargs,
        )


class PersonFormMixin(ServiceFormMixin):
    """The person form: the sites the user may edit in the person's programme (and the
    person's own site, kept on an edit), and the organisations the user may see there."""

    template_name = "inquiries/person_form.html"
    form_class = PersonForm

    def get_form_kwargs(self):
        user = self.request.user
        person = getattr(self, "object", None)
        programme = person.programme if person is not None else self.programme
        sites = sites_editable_by(user=user).filter(programme=programme)
        if person is not None and person.site_id:
            sites = (sites | CaseSite.objects.filter(pk=person.site_id)).distinct()
        organisations = permitted(user, "sites.view_organisation").filter(programme=programme)
        return {
            **super().get_form_kwargs(),
            "sites": sites,
            "organisations": organisations.order_by("name"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=getattr(self, "object", None), **kwargs)

    def get_success_message(self):
        return self.success_message % {"title": self.saved.pseudonym}


class PersonCreateView(
    LoginRequiredMixin, PermissionRequiredMixin, ProgrammeChoiceMixin, PersonFormMixin, FormView
):
    permission_required = "inquiries.change_person"
    success_message = "%(title)s recorded."

    def save(self, form):
        data = form.cleaned_data
        return person_create(programme=data["site"].programme, by=self.request.user, **data)


class PersonUpdateView(RecordMixin, PersonFormMixin, FormView):
    fetch = staticmethod(person_get_for_user)
    permission = "inquiries.change_person"
    success_message = "%(title)s saved."

    def get_initial(self):
        initial = {name: getattr(self.object, name) for name in PersonForm.base_fields}
        initial["site"] = self.object.site_id
        initial["organisation"] = self.object.organisation_id
        return initial

    def save(self, form):
        person_update(person=self.object, by=self.request.user, **form.cleaned_data)
        return self.object


class PersonDeleteView(RecordDeleteView):
    """A person still referred to (by evidence, say) stays: the page says why."""

    context_object_name = "person"
    fetch = staticmethod(person_get_for_user)
    permission = "inquiries.delete_person"
    success_message = "Person deleted."
    success_url = reverse_lazy("inquiries:person_list")

    def delete_record(self):
        person_delete(person=self.object, by=self.request.user)

    def refused(self, error: DomainError):
        context = self.get_context_data(object=self.object, error=str(error))
        return render(self.request, self.get_template_names(), context)
