import datetime as dt
import mimetypes

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView

from accounts.rules import permitted
from car_programme.exceptions import DomainError
from car_programme.validators import ALLOWED_TYPES
from inquiries.filters import ActivityFilter, GroupFilter, PersonFilter
from inquiries.forms import (
    ActivityForm,
    MembershipAddForm,
    MembershipEndForm,
    MembershipRoleForm,
    NewAttendeeForm,
    PersonForm,
    TallyForm,
)
from inquiries.selectors import (
    activity_attendance,
    activity_get_for_user,
    activity_list_for_user,
    group_attendee_choices,
    group_get_for_user,
    group_list_for_user,
    group_story,
    person_get_for_user,
    person_list_for_user,
    person_story,
)
from inquiries.services import (
    activity_delete,
    activity_log,
    activity_update,
    membership_add,
    membership_add_new_person,
    membership_change_role,
    membership_end,
    person_create,
    person_delete,
    person_update,
    tally_record,
)
from sites.models import CaseSite


class GroupListView(LoginRequiredMixin, ListView):
    template_name = "inquiries/inquirygroup_list.html"
    context_object_name = "groups"
    paginate_by = 25

    def get_queryset(self):
        sites = permitted(self.request.user, "sites.view_casesite").order_by("name")
        self.filterset = GroupFilter(
            self.request.GET or None,
            queryset=group_list_for_user(user=self.request.user),
            sites=sites,
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class GroupDetailView(LoginRequiredMixin, DetailView):
    template_name = "inquiries/inquirygroup_detail.html"
    context_object_name = "group"

    def get_object(self, queryset=None):
        return group_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        story = group_story(group=self.object, user=self.request.user)
        return super().get_context_data(story=story, **kwargs)


# --- Shared -----------------------------------------------------------------------------------


def _initial_from(data, files, form_class) -> dict:
    """What the user typed, as a form's initial values: kept without showing errors yet."""
    initial = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = field.widget.value_from_datadict(data, files, name)
        if value not in (None, "", []):
            initial[name] = value
    return initial


class GroupEditMixin(LoginRequiredMixin):
    """A view that changes a group's records.

    A group out of the user's sight answers 404; one they may read but not change, 403.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.group = get_object_or_404(
            permitted(request.user, "inquiries.view_inquirygroup").select_related("programme"),
            pk=kwargs["group_pk"],
        )
        if not request.user.has_perm("inquiries.change_inquirygroup", self.group):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ObjectActionMixin(LoginRequiredMixin):
    """A view acting on one object: 404 when it is out of sight, 403 when only readable."""

    view_permission: str
    action_permission: str

    def fetch(self, request, pk):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.fetch(request, kwargs["pk"])
        if not request.user.has_perm(self.action_permission, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- Activities -------------------------------------------------------------------------------


class ActivityFormMixin:
    """The one activity form, for logging and editing, with its "Add a person" step.

    Without JavaScript the "Add a person" button posts the whole form here: the person is
    added and the form comes back with everything typed kept and the new person ticked. With
    htmx the same button only swaps the attendance checklist in place.
    """

    template_name = "inquiries/activity_form.html"

    def attendee_ids(self) -> list[int]:
        return []

    def make_form(self, data=None, files=None, initial=None):
        choices = group_attendee_choices(
            group=self.group, user=self.request.user, include=self.attendee_ids()
        )
        return ActivityForm(
            data, files, initial=initial, group=self.group, attendee_choices=choices
        )

    def render(self, form, new_form=None, added=""):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "new_form": new_form or NewAttendeeForm(group=self.group),
                "added": added,
                "group": self.group,
                "activity": getattr(self, "activity", None),
                "cancel_url": self.cancel_url(),
            },
        )

    def post(self, request, *args, **kwargs):
        if "add_person" in request.POST:
            return self.add_person()
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                activity = self.save(form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{activity} saved.")
                return redirect("inquiries:activity_detail", pk=activity.pk)
        return self.render(form)

    def add_person(self):
        request = self.request
        initial = _initial_from(request.POST, request.FILES, ActivityForm)
        new_form = NewAttendeeForm(request.POST, group=self.group)
        added = ""
        if new_form.is_valid():
            try:
                membership = _new_attendee(self.group, new_form, request)
            except DomainError as error:
                new_form.add_error(None, str(error))
            else:
                initial["attendees"] = [*initial.get("attendees", []), str(membership.person_id)]
                new_form, added = None, new_form.cleaned_data["name"]
                if request.FILES:
                    messages.info(
                        request, "Files are not kept while adding a person: choose them again."
                    )
        return self.render(self.make_form(initial=initial), new_form, added)


def _new_attendee(group, new_form, request):
    data = new_form.cleaned_data
    return membership_add_new_person(
        group=group,
        name=data["name"],
        pseudonym=data["pseudonym"],
        organisation=data["organisation"],
        role=data["role"],
        joined_on=timezone.localdate(),
        by=request.user,
    )


class ActivityCreateView(GroupEditMixin, ActivityFormMixin, View):
    def cancel_url(self):
        return self.group.get_absolute_url()

    def get(self, request, *args, **kwargs):
        return self.render(self.make_form(initial={"date": timezone.localdate()}))

    def save(self, data):
        return activity_log(
            group=self.group,
            kind=data["kind"],
            date=data["date"],
            title=data["title"],
            duration_minutes=data["duration_minutes"],
            cycle=data["cycle"],
            phase=data["phase"],
            attendees=data["attendees"],
            notes=data["notes"],
            researcher_roles=data["researcher_roles"],
            attachments=data["attachments"],
            by=self.request.user,
        )


class ActivityCreateChooseView(LoginRequiredMixin, View):
    """From the activity list: the group picked in a small form, then the log form."""

    def get(self, request):
        group = request.GET.get("group", "")
        return redirect("inquiries:activity_create", group_pk=int(group) if group.isdigit() else 0)


class ActivityAttendeeAddView(GroupEditMixin, View):
    """htmx: add a person to the group and answer the attendance checklist, ticks kept."""

    def post(self, request, *args, **kwargs):
        ticked = [pk for pk in request.POST.getlist("attendees") if pk.isdigit()]
        new_form = NewAttendeeForm(request.POST, group=self.group)
        added = ""
        if new_form.is_valid():
            try:
                membership = _new_attendee(self.group, new_form, request)
            except DomainError as error:
                new_form.add_error(None, str(error))
            else:
                ticked.append(str(membership.person_id))
                added = new_form.cleaned_data["name"]
                new_form = NewAttendeeForm(group=self.group)
        choices = group_attendee_choices(group=self.group, user=request.user, include=ticked)
        form = ActivityForm(
            initial={"attendees": ticked}, group=self.group, attendee_choices=choices
        )
        return render(
            request,
            "includes/_attendance.html",
            {"form": form, "new_form": new_form, "group": self.group, "added": added},
        )


class ActivityListView(LoginRequiredMixin, ListView):
    template_name = "inquiries/activity_list.html"
    context_object_name = "activities"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        self.filterset = ActivityFilter(
            self.request.GET or None,
            queryset=activity_list_for_user(user=user),
            groups=permitted(user, "inquiries.view_inquirygroup").order_by("name"),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            filter=self.filterset,
            loggable_groups=permitted(user, "inquiries.change_inquirygroup").order_by("name"),
            **kwargs,
        )


class ActivityDetailView(LoginRequiredMixin, DetailView):
    template_name = "inquiries/activity_detail.html"
    context_object_name = "activity"

    def get_object(self, queryset=None):
        return activity_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            attendance=activity_attendance(activity=self.object, user=user),
            can_change=user.has_perm("inquiries.change_activity", self.object),
            can_delete=user.has_perm("inquiries.delete_activity", self.object),
            **kwargs,
        )


class ActivityUpdateView(ObjectActionMixin, ActivityFormMixin, View):
    action_permission = "inquiries.change_activity"

    def fetch(self, request, pk):
        self.activity = activity_get_for_user(user=request.user, pk=pk)
        self.group = self.activity.group
        return self.activity

    def cancel_url(self):
        return reverse("inquiries:activity_detail", args=[self.activity.pk])

    def attendee_ids(self):
        return list(self.activity.attendance.values_list("person_id", flat=True))

    def get(self, request, *args, **kwargs):
        if self.group is None:
            return self.render_tally(self.tally_form())
        activity = self.activity
        return self.render(
            self.make_form(
                initial={
                    "date": activity.date,
                    "kind": activity.kind,
                    "title": activity.title,
                    "duration_minutes": activity.duration_minutes,
                    "cycle": activity.cycle_id,
                    "phase": activity.phase,
                    "researcher_roles": [role.role for role in activity.researcher_roles.all()],
                    "attendees": self.attendee_ids(),
                    "notes": activity.notes,
                }
            )
        )

    def post(self, request, *args, **kwargs):
        if self.group is None:
            return self.post_tally()
        return super().post(request, *args, **kwargs)

    def save(self, data):
        removed = self.activity.attachments.filter(
            pk__in=self.request.POST.getlist("remove_attachment")
        )
        return activity_update(
            activity=self.activity,
            kind=data["kind"],
            date=data["date"],
            title=data["title"],
            duration_minutes=data["duration_minutes"],
            cycle=data["cycle"],
            phase=data["phase"],
            notes=data["notes"],
            attendees=data["attendees"],
            researcher_roles=data["researcher_roles"],
            attachments=data["attachments"],
            attachments_removed=list(removed),
            by=self.request.user,
        )

    # A tally (no group) is edited with the tally form.
    def tally_form(self, data=None):
        activity = self.activity
        return TallyForm(
            data,
            initial={
                "site": activity.site_id,
                "kind": activity.kind,
                "direction": activity.direction,
                "count": activity.count,
                "week_start": activity.date,
                "title": activity.title,
            },
            sites=_editable_sites(self.request.user),
        )

    def render_tally(self, form):
        return render(
            self.request,
            "inquiries/activity_tally_form.html",
            {"form": form, "activity": self.activity},
        )

    def post_tally(self):
        form = self.tally_form(self.request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity_update(
                    activity=self.activity,
                    site=data["site"],
                    kind=data["kind"],
                    direction=data["direction"],
                    count=data["count"],
                    date=data["week_start"],
                    end_date=data["week_start"] + dt.timedelta(days=6),
                    title=data["title"],
                    by=self.request.user,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(self.request, f"{self.activity} saved.")
                return redirect("inquiries:activity_detail", pk=self.activity.pk)
        return self.render_tally(form)


class ActivityDeleteView(ObjectActionMixin, View):
    action_permission = "inquiries.delete_activity"

    def fetch(self, request, pk):
        return activity_get_for_user(user=request.user, pk=pk)

    def get(self, request, *args, **kwargs):
        return render(request, "inquiries/activity_confirm_delete.html", {"activity": self.object})

    def post(self, request, *args, **kwargs):
        group = self.object.group
        label = str(self.object)
        activity_delete(activity=self.object, by=request.user)
        messages.success(request, f"{label} deleted.")
        if group is not None:
            return redirect(group.get_absolute_url())
        return redirect("inquiries:activity_list")


def _editable_sites(user):
    return permitted(user, "sites.change_casesite").select_related("programme").order_by("name")


class TallyCreateView(LoginRequiredMixin, View):
    """A week's emails, calls or one-to-ones at a site, in a few keystrokes."""

    template_name = "inquiries/activity_tally_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.sites = list(_editable_sites(request.user))
        if not self.sites:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        sites = _editable_sites(self.request.user)
        form = TallyForm(data, sites=sites)
        if len(self.sites) == 1 and not form.is_bound:
            form.initial["site"] = self.sites[0].pk
        return form

    def get(self, request):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = tally_record(
                    site=data["site"],
                    kind=data["kind"],
                    direction=data["direction"],
                    count=data["count"],
                    week_start=data["week_start"],
                    title=data["title"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Recorded {activity.count} ({activity.get_kind_display().lower()}) "
                    f"for the week starting {activity.date:%-d %b %Y}.",
                )
                return redirect("inquiries:tally_create")
        return render(request, self.template_name, {"form": form})


# Types a browser may be told; anything else (HTML, SVG) is sent as plain bytes.
_SERVED_TYPES = {*ALLOWED_TYPES, "text/plain", "text/csv"}


class AttachmentDownloadView(LoginRequiredMixin, View):
    """The only way to an attachment: the rule set decides, the file goes out as a download."""

    def get(self, request, pk):
        attachment = get_object_or_404(permitted(request.user, "inquiries.view_attachment"), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404("The file is missing.") from missing
        content_type = mimetypes.guess_type(attachment.original_name)[0]
        if content_type not in _SERVED_TYPES:
            content_type = "application/octet-stream"
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# --- Membership -------------------------------------------------------------------------------


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
        form = self.form_class(request.POST)
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


# --- People -----------------------------------------------------------------------------------


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
            **kwargs,
        )


class PersonFormMixin:
    template_name = "inquiries/person_form.html"

    def make_form(self, data=None, initial=None, current_site_id=None):
        user = self.request.user
        sites = _editable_sites(user)
        if current_site_id:
            sites = (sites | CaseSite.objects.filter(pk=current_site_id)).distinct()
        organisations = permitted(user, "sites.view_organisation").order_by("name")
        return PersonForm(data, initial=initial, sites=sites, organisations=organisations)

    def render(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "person": getattr(self, "object", None)},
        )


class PersonCreateView(LoginRequiredMixin, PersonFormMixin, View):
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
