"""Activity pages: the log form, tallies and attachments."""

import datetime as dt
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView

from accounts.rules import permitted
from car_programme.exceptions import DomainError
from car_programme.files import stored_file_response
from car_programme.mixins import ObjectActionMixin, ProgrammeChoiceMixin
from car_programme.params import parse_id, parse_ids
from inquiries.filters import ActivityFilter
from inquiries.forms import (
    ActivityForm,
    NewAttendeeForm,
    TallyForm,
)
from inquiries.selectors import (
    activity_attendance,
    activity_contact_count,
    activity_get_for_user,
    activity_list_for_user,
    attendee_others_for_user,
    group_attendee_choices,
)
from inquiries.services import (
    activity_delete,
    activity_log,
    activity_update,
    membership_add_new_person,
    tally_record,
)
from inquiries.views.shared import GroupEditMixin, _initial_from
from sites.selectors import sites_editable_by


class ActivityFormMixin:
    """The one activity form, for logging and editing, with its "Add a person" step.

    Without JavaScript the "Add a person" button posts the whole form here: the person is
    added and the form comes back with everything typed kept and the new person ticked. With
    htmx the same button only swaps the attendance checklist in place.
    """

    template_name = "inquiries/activity_form.html"

    def attendee_ids(self) -> list[int]:
        return []

    def default_date(self) -> dt.date:
        return timezone.localdate()

    def make_form(self, data=None, files=None, initial=None):
        values = data if data is not None else initial or {}
        return _activity_form(
            data,
            files,
            initial=initial,
            group=self.group,
            user=self.request.user,
            on=_attendance_date(values, self.default_date()),
            include=[*self.attendee_ids(), *_ticked(values)],
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


def _ticked(values) -> list[str]:
    """The attendees ticked in ``values`` (posted data or initial values), as ids."""
    ticked = values.getlist("attendees") if hasattr(values, "getlist") else values.get("attendees")
    return [str(pk) for pk in parse_ids(str(pk) for pk in ticked or ())]


def _attendance_date(values, default: dt.date) -> dt.date:
    """The activity's date as typed (or given), whose members the checklist offers; ``default``
    while it is missing or not a date."""
    value = values.get("date")
    if isinstance(value, dt.date):
        return value
    try:
        return ActivityForm.base_fields["date"].clean(value) or default
    except ValidationError:
        return default


def _activity_form(data=None, files=None, *, group, user, on, include, initial=None):
    """The activity form offering the group's members on ``on``, ``include`` and, in the
    picker, everyone else of the programme ``user`` may see."""
    choices = group_attendee_choices(group=group, user=user, on=on, include=include)
    return ActivityForm(
        data,
        files,
        initial=initial,
        group=group,
        attendee_choices=choices,
        other_choices=attendee_others_for_user(group=group, user=user, listed=choices),
    )


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
        group = parse_id(request.GET.get("group"))
        return redirect("inquiries:activity_create", group_pk=group or 0)


class ActivityAttendeeAddView(GroupEditMixin, View):
    """htmx: add a person to the group and answer the attendance checklist, ticks kept."""

    def post(self, request, *args, **kwargs):
        ticked = [str(pk) for pk in parse_ids(request.POST.getlist("attendees"))]
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
        form = _activity_form(
            initial={"attendees": ticked, "others": request.POST.getlist("others")},
            group=self.group,
            user=request.user,
            on=_attendance_date(request.POST, timezone.localdate()),
            include=ticked,
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
            sites=permitted(user, "sites.view_casesite").order_by("name"),
            groups=permitted(user, "inquiries.view_inquirygroup").order_by("name"),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            filter=self.filterset,
            loggable_groups=permitted(user, "inquiries.change_inquirygroup").order_by("name"),
            contacts=activity_contact_count(activities=self.filterset.qs),
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

    def default_date(self):
        return self.activity.date

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
            pk__in=parse_ids(self.request.POST.getlist("remove_attachment"))
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
            sites=sites_editable_by(user=self.request.user).filter(programme=activity.programme_id),
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


class TallyCreateView(LoginRequiredMixin, ProgrammeChoiceMixin, View):
    """A week's emails, calls or one-to-ones at a site, in a few keystrokes."""

    template_name = "inquiries/activity_tally_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not sites_editable_by(user=request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        sites = sites_editable_by(user=self.request.user).filter(programme=self.programme)
        form = TallyForm(data, sites=sites)
        if len(sites) == 1 and not form.is_bound:
            form.initial["site"] = sites[0].pk
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


class AttachmentDownloadView(LoginRequiredMixin, View):
    """The only way to an attachment: the rule set decides, the file goes out as a download."""

    def get(self, request, pk):
        attachment = get_object_or_404(permitted(request.user, "inquiries.view_attachment"), pk=pk)
        return stored_file_response(attachment.file, title=PurePath(attachment.original_name).stem)
