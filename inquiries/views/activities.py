"""Activity pages: the log form, tallies and attachments."""

import datetime as dt
from pathlib import PurePath
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts.rules import permitted
from car_programme.exceptions import DomainError
from car_programme.mixins import (
    ProgrammeChoiceMixin,
    RecordDeleteView,
    RecordFileView,
    RecordMixin,
    ServiceFormMixin,
)
from car_programme.params import parse_id, parse_ids
from inquiries.enums import ActivityKind
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
    attachment_get_for_user,
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


class ActivityFormMixin(ServiceFormMixin):
    """The one activity form, for logging and editing, with its "Add a person" step.

    Without JavaScript the "Add a person" button posts the whole form here: the person is
    added and the form comes back with everything typed kept and the new person ticked. With
    htmx the same button only swaps the attendance checklist in place.
    """

    template_name = "inquiries/activity_form.html"
    success_message = "%(title)s saved."

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
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def form_invalid(self, form):
        return self.render(form)

    def add_person(self):
        request = self.request
        initial = _initial_from(request.POST, request.FILES, ActivityForm)
        new_form = NewAttendeeForm(request.POST, group=self.group)
        added = ""
        membership = _new_attendee(self.group, new_form, request)
        if membership is not None:
            initial["attendees"] = [*initial.get("attendees", []), str(membership.person_id)]
            new_form, added = None, new_form.cleaned_data["name"]
            if request.FILES:
                messages.info(
                    request, "Files are not kept while adding a person: choose them again."
                )
        return self.render(self.make_form(initial=initial), new_form, added)


# What the activity form hands to the services as typed.
LOGGED_FIELDS = (
    "kind",
    "date",
    "title",
    "duration_minutes",
    "cycle",
    "phase",
    "attendees",
    "notes",
    "researcher_roles",
    "attachments",
)


def _logged(form) -> dict:
    return {name: form.cleaned_data[name] for name in LOGGED_FIELDS}


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
    """The membership of the person ``new_form`` adds to ``group``; None, with the reason on
    the form, when it is invalid or the service refuses."""
    if not new_form.is_valid():
        return None
    data = new_form.cleaned_data
    try:
        return membership_add_new_person(
            group=group,
            name=data["name"],
            pseudonym=data["pseudonym"],
            organisation=data["organisation"],
            role=data["role"],
            joined_on=timezone.localdate(),
            by=request.user,
        )
    except DomainError as error:
        new_form.add_error(None, str(error))
        return None


class ActivityCreateView(GroupEditMixin, ActivityFormMixin, View):
    def cancel_url(self):
        return self.group.get_absolute_url()

    def get(self, request, *args, **kwargs):
        # "Save and log another" comes back here with the last activity's date and kind.
        date = _attendance_date(request.GET, timezone.localdate())
        initial = {"date": date}
        if request.GET.get("kind") in ActivityKind.values:
            initial["kind"] = request.GET["kind"]
        return self.render(self.make_form(initial=initial))

    def save(self, form):
        return activity_log(group=self.group, by=self.request.user, **_logged(form))

    def get_success_url(self):
        if "another" not in self.request.POST:
            return super().get_success_url()
        query = urlencode({"date": self.saved.date.isoformat(), "kind": self.saved.kind})
        return f"{reverse('inquiries:activity_create', args=[self.group.pk])}?{query}"


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
        membership = _new_attendee(self.group, new_form, request)
        if membership is not None:
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
        contacts, uncounted = activity_contact_count(activities=self.filterset.qs)
        return super().get_context_data(
            filter=self.filterset,
            loggable_groups=permitted(user, "inquiries.change_inquirygroup").order_by("name"),
            contacts=contacts,
            uncounted=uncounted,
            **kwargs,
        )


class ActivityDetailView(RecordMixin, DetailView):
    template_name = "inquiries/activity_detail.html"
    context_object_name = "activity"
    fetch = staticmethod(activity_get_for_user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            attendance=activity_attendance(activity=self.object, user=user),
            can_change=user.has_perm("inquiries.change_activity", self.object),
            can_delete=user.has_perm("inquiries.delete_activity", self.object),
            **kwargs,
        )


class ActivityUpdateView(RecordMixin, ActivityFormMixin, View):
    """The activity form; a tally (no group) is edited with the tally form."""

    fetch = staticmethod(activity_get_for_user)
    permission = "inquiries.change_activity"

    @property
    def activity(self):
        return self.object

    @property
    def group(self):
        return self.object.group

    def cancel_url(self):
        return reverse("inquiries:activity_detail", args=[self.activity.pk])

    def attendee_ids(self):
        return list(self.activity.attendance.values_list("person_id", flat=True))

    def default_date(self):
        # An activity the source gave no date offers today's members until a date is typed.
        return self.activity.date or timezone.localdate()

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
            form = self.tally_form(request.POST)
            return self.form_valid(form) if form.is_valid() else self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_tally(form) if self.group is None else self.render(form)

    def save(self, form):
        data = form.cleaned_data
        if self.group is None:
            return activity_update(
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
        removed = self.activity.attachments.filter(
            pk__in=parse_ids(self.request.POST.getlist("remove_attachment"))
        )
        return activity_update(
            activity=self.activity,
            attachments_removed=list(removed),
            by=self.request.user,
            **_logged(form),
        )

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


class ActivityDeleteView(RecordDeleteView):
    fetch = staticmethod(activity_get_for_user)
    permission = "inquiries.delete_activity"
    success_message = "%(title)s deleted."

    def get_success_url(self):
        group = self.object.group
        return group.get_absolute_url() if group is not None else reverse("inquiries:activity_list")

    def delete_record(self):
        activity_delete(activity=self.object, by=self.request.user)


class TallyCreateView(LoginRequiredMixin, ProgrammeChoiceMixin, ServiceFormMixin, FormView):
    """A week's emails, calls or one-to-ones at a site, in a few keystrokes."""

    template_name = "inquiries/activity_tally_form.html"
    form_class = TallyForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not sites_editable_by(user=request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        sites = sites_editable_by(user=self.request.user).filter(programme=self.programme)
        form = TallyForm(**self.get_form_kwargs(), sites=sites)
        if len(sites) == 1 and not form.is_bound:
            form.initial["site"] = sites[0].pk
        return form

    def save(self, form):
        return tally_record(by=self.request.user, **form.cleaned_data)

    def get_success_message(self):
        activity = self.saved
        return (
            f"Recorded {activity.count} ({activity.get_kind_display().lower()}) "
            f"for the week starting {activity.date:%-d %b %Y}."
        )

    def get_success_url(self):
        return reverse("inquiries:tally_create")


class AttachmentDownloadView(RecordFileView):
    """The only way to an attachment: the rule set decides, the file goes out as a download."""

    fetch = staticmethod(attachment_get_for_user)

    def file_title(self):
        return PurePath(self.object.original_name).stem
