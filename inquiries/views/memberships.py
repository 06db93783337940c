"""Membership over time: joining, changing role, leaving."""

from django.utils import timezone
from django.views.generic import FormView

from car_programme.mixins import RecordMixin, ServiceFormMixin
from inquiries.forms import (
    MembershipAddForm,
    MembershipEndForm,
    MembershipRoleForm,
)
from inquiries.selectors import (
    label_order,
    membership_get_for_user,
    name_visible,
    people_of_group_sites,
)
from inquiries.services import (
    membership_add,
    membership_add_new_person,
    membership_change_role,
    membership_end,
)
from inquiries.views.shared import GroupEditMixin


class MembershipFormMixin(ServiceFormMixin):
    """The membership form of a group: its page's members section is where it leads."""

    template_name = "inquiries/membership_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, title=self.title(), **kwargs)

    def get_success_url(self):
        return self.group.get_absolute_url() + "#members-heading"


class MembershipAddView(GroupEditMixin, MembershipFormMixin, FormView):
    form_class = MembershipAddForm

    def get_form_kwargs(self):
        open_members = self.group.memberships.filter(left_on__isnull=True).values("person")
        people = (
            people_of_group_sites(group=self.group, user=self.request.user)
            .annotate(name_visible=name_visible(user=self.request.user))
            .exclude(pk__in=open_members)
            .order_by(label_order(), "pk")
        )
        return {**super().get_form_kwargs(), "group": self.group, "people": people}

    def get_initial(self):
        return {"joined_on": timezone.localdate()}

    def title(self) -> str:
        return f"Add a member to {self.group}"

    def save(self, form):
        data = form.cleaned_data
        if data["person"]:
            return membership_add(
                group=self.group,
                person=data["person"],
                role=data["role"],
                joined_on=data["joined_on"],
                by=self.request.user,
            )
        return membership_add_new_person(
            group=self.group,
            name=data["new_name"],
            pseudonym=data["new_pseudonym"],
            organisation=data["new_organisation"],
            role=data["role"],
            joined_on=data["joined_on"],
            by=self.request.user,
        )

    def get_success_message(self):
        return f"Added as {self.saved.get_role_display().lower()} member."


class MembershipActionView(RecordMixin, MembershipFormMixin, FormView):
    """Change a member's role, or record their leaving, through one service."""

    fetch = staticmethod(membership_get_for_user)
    permission = "inquiries.change_membership"
    success_message = "Membership updated."
    date_field: str
    heading: str
    act = None  # the service, taking the membership and the form's fields

    @property
    def group(self):
        return self.object.group

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.group.programme}

    def get_initial(self):
        return {self.date_field: timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.object, **kwargs)

    def title(self) -> str:
        person = self.object.person
        name_visible = self.request.user.has_perm("inquiries.view_person_name", person)
        label = person.name if name_visible else person.pseudonym
        return self.heading % {"person": label, "group": self.group}

    def save(self, form):
        return self.act(membership=self.object, by=self.request.user, **form.cleaned_data)


class MembershipChangeRoleView(MembershipActionView):
    form_class = MembershipRoleForm
    date_field = "as_of"
    heading = "Change the role of %(person)s in %(group)s"
    act = staticmethod(membership_change_role)


class MembershipEndView(MembershipActionView):
    form_class = MembershipEndForm
    date_field = "left_on"
    heading = "Record that %(person)s left %(group)s"
    act = staticmethod(membership_end)
