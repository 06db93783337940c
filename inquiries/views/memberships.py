"""Membership over time: joining, changing role, leaving."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from accounts.rules import permitted
from car_programme.exceptions import DomainError
from car_programme.mixins import ObjectActionMixin
from inquiries.forms import (
    MembershipAddForm,
    MembershipEndForm,
    MembershipRoleForm,
)
from inquiries.selectors import (
    person_list_for_user,
)
from inquiries.services import (
    membership_add,
    membership_add_new_person,
    membership_change_role,
    membership_end,
)
from inquiries.views.shared import GroupEditMixin


class MembershipAddView(GroupEditMixin, View):
    template_name = "inquiries/membership_form.html"

    def form(self, data=None):
        open_members = self.group.memberships.filter(left_on__isnull=True).values("person")
        people = (
            person_list_for_user(user=self.request.user)
            .filter(programme=self.group.programme)
            .exclude(pk__in=open_members)
        )
        return MembershipAddForm(
            data, group=self.group, people=people, initial={"joined_on": timezone.localdate()}
        )

    def render(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "group": self.group, "title": f"Add a member to {self.group}"},
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["person"]:
                    membership = membership_add(
                        group=self.group,
                        person=data["person"],
                        role=data["role"],
                        joined_on=data["joined_on"],
                        by=request.user,
                    )
                else:
                    membership = membership_add_new_person(
                        group=self.group,
                        name=data["new_name"],
                        pseudonym=data["new_pseudonym"],
                        organisation=data["new_organisation"],
                        role=data["role"],
                        joined_on=data["joined_on"],
                        by=request.user,
                    )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"Added as {membership.get_role_display().lower()} member."
                )
                return redirect(self.group.get_absolute_url() + "#members-heading")
        return self.render(form)


class MembershipActionView(ObjectActionMixin, View):
    """Change a member's role, or record their leaving, through one service."""

    action_permission = "inquiries.change_membership"
    template_name = "inquiries/membership_form.html"
    form_class: type[forms.Form]
    title: str

    def fetch(self, request, pk):
        return get_object_or_404(
            permitted(request.user, "inquiries.view_membership").select_related("group", "person"),
            pk=pk,
        )

    def render(self, form):
        membership = self.object
        person = membership.person
        name_visible = self.request.user.has_perm("inquiries.view_person_name", person)
        label = person.name if name_visible else person.pseudonym
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "group": membership.group,
                "membership": membership,
                "title": self.title % {"person": label, "group": membership.group},
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.form_class(initial={self.date_field: timezone.localdate()}))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, programme=self.object.group.programme)
        if form.is_valid():
            try:
                self.act(form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Membership updated.")
                return redirect(self.object.group.get_absolute_url() + "#members-heading")
        return self.render(form)


class MembershipChangeRoleView(MembershipActionView):
    form_class = MembershipRoleForm
    date_field = "as_of"
    title = "Change the role of %(person)s in %(group)s"

    def act(self, data):
        membership_change_role(
            membership=self.object, role=data["role"], as_of=data["as_of"], by=self.request.user
        )


class MembershipEndView(MembershipActionView):
    form_class = MembershipEndForm
    date_field = "left_on"
    title = "Record that %(person)s left %(group)s"

    def act(self, data):
        membership_end(
            membership=self.object,
            left_on=data["left_on"],
            reason=data["reason"],
            by=self.request.user,
        )
