"""Inquiry group pages."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import DetailView, ListView

from accounts.rules import permitted
from car_programme.exceptions import DomainError
from car_programme.mixins import ObjectActionMixin, ProgrammeChoiceMixin
from inquiries.filters import GroupFilter
from inquiries.forms import CycleForm, GroupForm, GroupStatusForm, ResearchQuestionForm
from inquiries.selectors import (
    cycle_get_for_user,
    group_get_for_user,
    group_list_for_user,
    group_story,
)
from inquiries.services import (
    GROUP_FIELDS,
    cycle_create,
    cycle_update,
    group_create,
    group_delete,
    group_status_change,
    group_update,
    research_question_adopt,
)
from sites.models import Theme
from sites.selectors import sites_editable_by


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
        can_add = sites_editable_by(user=self.request.user).exists()
        return super().get_context_data(filter=self.filterset, can_add=can_add, **kwargs)


class GroupDetailView(LoginRequiredMixin, DetailView):
    template_name = "inquiries/inquirygroup_detail.html"
    context_object_name = "group"

    def get_object(self, queryset=None):
        return group_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        story = group_story(group=self.object, user=self.request.user)
        return super().get_context_data(story=story, **kwargs)


class GroupFormMixin:
    """The group form, with choices limited to what the user may edit or see."""

    template_name = "inquiries/inquirygroup_form.html"

    creating = False

    def make_form(self, data=None, initial=None):
        user = self.request.user
        group = getattr(self, "object", None)
        programme = group.programme if group is not None else self.programme
        return GroupForm(
            data,
            initial=initial,
            sites=sites_editable_by(user=user).filter(programme=programme),
            groups=permitted(user, "inquiries.view_inquirygroup").filter(programme=programme),
            themes=Theme.objects.filter(programme=programme),
            group=group,
            creating=self.creating,
        )

    def render_form(self, form, status=200):
        context = {"form": form, "group": getattr(self, "object", None)}
        return render(self.request, self.template_name, context, status=status)

    def save(self, form):
        data = dict(form.cleaned_data)
        try:
            group = self.write(sites=data.pop("sites"), themes=data.pop("themes"), fields=data)
        except DomainError as error:
            form.add_error("name", str(error))
            return self.render_form(form, status=400)
        messages.success(self.request, f"Saved {group}.")
        return redirect(group)


class GroupCreateView(LoginRequiredMixin, ProgrammeChoiceMixin, GroupFormMixin, View):
    creating = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sites_editable_by(user=request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render_form(self.make_form())

    def post(self, request):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        return self.save(form)

    def write(self, *, sites, themes, fields):
        return group_create(sites=sites, themes=themes, by=self.request.user, **fields)


class GroupUpdateView(ObjectActionMixin, GroupFormMixin, View):
    action_permission = "inquiries.change_inquirygroup"

    def fetch(self, request, pk):
        return group_get_for_user(user=request.user, pk=pk)

    def get(self, request, pk):
        group = self.object
        initial = {name: getattr(group, name) for name in GROUP_FIELDS}
        initial |= {"sites": group.sites.all(), "themes": group.themes.all()}
        return self.render_form(self.make_form(initial=initial))

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        return self.save(form)

    def write(self, *, sites, themes, fields):
        return group_update(
            group=self.object, sites=sites, themes=themes, by=self.request.user, **fields
        )


class GroupDeleteView(ObjectActionMixin, View):
    action_permission = "inquiries.delete_inquirygroup"
    template_name = "inquiries/inquirygroup_confirm_delete.html"

    def fetch(self, request, pk):
        return group_get_for_user(user=request.user, pk=pk)

    def get(self, request, pk):
        return render(request, self.template_name, {"group": self.object})

    def post(self, request, pk):
        name = str(self.object)
        group_delete(group=self.object, by=request.user)
        messages.success(request, f"Deleted {name}.")
        return redirect("inquiries:group_list")


class GroupStatusView(ObjectActionMixin, View):
    """Record a status change; the group page shows the whole timeline."""

    action_permission = "inquiries.change_inquirygroup"
    template_name = "inquiries/inquirygroup_status_form.html"

    def fetch(self, request, pk):
        return group_get_for_user(user=request.user, pk=pk)

    def get(self, request, pk):
        form = GroupStatusForm(initial={"status": self.object.status})
        return render(request, self.template_name, {"form": form, "group": self.object})

    def post(self, request, pk):
        form = GroupStatusForm(request.POST, programme=self.object.programme)
        if form.is_valid():
            data = form.cleaned_data
            try:
                group_status_change(
                    group=self.object,
                    status=data["status"],
                    on=data["on"],
                    note=data["note"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error("on", str(error))
            else:
                return redirect(self.object)
        context = {"form": form, "group": self.object}
        return render(request, self.template_name, context, status=400)


class ResearchQuestionAdoptView(ObjectActionMixin, View):
    """Adopt a new research question; the current one is kept as history, replaced."""

    action_permission = "inquiries.change_inquirygroup"
    template_name = "inquiries/researchquestion_form.html"

    def fetch(self, request, pk):
        return group_get_for_user(user=request.user, pk=pk)

    def get(self, request, pk):
        form = ResearchQuestionForm()
        return render(request, self.template_name, {"form": form, "group": self.object})

    def post(self, request, pk):
        form = ResearchQuestionForm(request.POST, programme=self.object.programme)
        if form.is_valid():
            try:
                research_question_adopt(group=self.object, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error("adopted_on", str(error))
            else:
                return redirect(self.object)
        context = {"form": form, "group": self.object}
        return render(request, self.template_name, context, status=400)


class CycleFormMixin:
    """Add or edit a cycle: a duplicate number is said next to the number."""

    action_permission = "inquiries.change_inquirygroup"
    template_name = "inquiries/cycle_form.html"

    def render_form(self, form, status=200):
        context = {"form": form, "group": self.group, "cycle": getattr(self, "cycle", None)}
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, pk):
        form = CycleForm(request.POST, programme=self.group.programme)
        if form.is_valid():
            try:
                self.write(**form.cleaned_data)
            except DomainError as error:
                form.add_error("number", str(error))
            else:
                messages.success(request, "Cycle saved.")
                return redirect(self.group.get_absolute_url() + "#cycles-heading")
        return self.render_form(form, status=400)


class CycleCreateView(CycleFormMixin, ObjectActionMixin, View):
    def fetch(self, request, pk):
        self.group = group_get_for_user(user=request.user, pk=pk)
        return self.group

    def get(self, request, pk):
        latest = self.group.cycles.aggregate(latest=Max("number"))["latest"] or 0
        return self.render_form(CycleForm(initial={"number": latest + 1}))

    def write(self, **fields):
        return cycle_create(group=self.group, by=self.request.user, **fields)


class CycleUpdateView(CycleFormMixin, ObjectActionMixin, View):
    def fetch(self, request, pk):
        self.cycle = cycle_get_for_user(user=request.user, pk=pk)
        self.group = self.cycle.group
        return self.cycle

    def permission_object(self):
        return self.group

    def get(self, request, pk):
        fields = ("number", "title", "start_date", "end_date")
        return self.render_form(CycleForm(initial={f: getattr(self.cycle, f) for f in fields}))

    def write(self, **fields):
        return cycle_update(cycle=self.cycle, by=self.request.user, **fields)
