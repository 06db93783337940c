"""Inquiry group pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.urls import reverse_lazy
from django.views.generic import DetailView, FormView, ListView

from accounts.rules import permitted
from car_programme.mixins import (
    ProgrammeChoiceMixin,
    RecordDeleteView,
    RecordMixin,
    ServiceFormMixin,
)
from inquiries.filters import GroupFilter
from inquiries.forms import (
    CycleForm,
    GroupFigureForm,
    GroupForm,
    GroupStatusForm,
    ResearchQuestionForm,
)
from inquiries.models import GROUP_FIGURE_FIELDS
from inquiries.selectors import (
    cycle_get_for_user,
    group_figure_get_for_user,
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
    group_figure_delete,
    group_figure_record,
    group_figure_update,
    group_status_change,
    group_update,
    research_question_adopt,
)
from inquiries.views.shared import GroupEditMixin
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


class GroupDetailView(RecordMixin, DetailView):
    template_name = "inquiries/inquirygroup_detail.html"
    context_object_name = "group"
    fetch = staticmethod(group_get_for_user)

    def get_context_data(self, **kwargs):
        story = group_story(group=self.object, user=self.request.user)
        return super().get_context_data(story=story, **kwargs)


class GroupFormMixin(ServiceFormMixin):
    """The group form, with choices limited to what the user may edit or see; a name the
    service refuses is said next to the name."""

    template_name = "inquiries/inquirygroup_form.html"
    form_class = GroupForm
    success_message = "Saved %(title)s."
    error_field = "name"
    invalid_status = 400
    creating = False

    def get_form_kwargs(self):
        user = self.request.user
        group = getattr(self, "object", None)
        programme = group.programme if group is not None else self.programme
        return {
            **super().get_form_kwargs(),
            "sites": sites_editable_by(user=user).filter(programme=programme),
            "groups": permitted(user, "inquiries.view_inquirygroup").filter(programme=programme),
            "themes": Theme.objects.filter(programme=programme),
            "group": group,
            "creating": self.creating,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=getattr(self, "object", None), **kwargs)

    def save(self, form):
        data = dict(form.cleaned_data)
        return self.write(sites=data.pop("sites"), themes=data.pop("themes"), fields=data)


class GroupCreateView(LoginRequiredMixin, ProgrammeChoiceMixin, GroupFormMixin, FormView):
    creating = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sites_editable_by(user=request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def write(self, *, sites, themes, fields):
        return group_create(sites=sites, themes=themes, by=self.request.user, **fields)


class GroupUpdateView(RecordMixin, GroupFormMixin, FormView):
    fetch = staticmethod(group_get_for_user)
    permission = "inquiries.change_inquirygroup"

    def get_initial(self):
        group = self.object
        initial = {name: getattr(group, name) for name in GROUP_FIELDS}
        return initial | {"sites": group.sites.all(), "themes": group.themes.all()}

    def write(self, *, sites, themes, fields):
        return group_update(
            group=self.object, sites=sites, themes=themes, by=self.request.user, **fields
        )


class GroupDeleteView(RecordDeleteView):
    context_object_name = "group"
    fetch = staticmethod(group_get_for_user)
    permission = "inquiries.delete_inquirygroup"
    success_message = "Deleted %(title)s."
    success_url = reverse_lazy("inquiries:group_list")

    def delete_record(self):
        group_delete(group=self.object, by=self.request.user)


class GroupRecordFormView(GroupEditMixin, ServiceFormMixin, FormView):
    """A form adding to a group's records, for those who may change the group; a form the
    service refuses answers 400, like an invalid one."""

    pk_url_kwarg = "pk"
    invalid_status = 400
    # The part of the group page that shows the record, which the user goes back to.
    anchor = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.group.programme}

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)

    def get_success_url(self):
        return self.group.get_absolute_url() + self.anchor


class GroupStatusView(GroupRecordFormView):
    """Record a status change; the group page shows the whole timeline."""

    template_name = "inquiries/inquirygroup_status_form.html"
    form_class = GroupStatusForm
    error_field = "on"

    def get_initial(self):
        return {"status": self.object.status}

    def save(self, form):
        return group_status_change(group=self.object, by=self.request.user, **form.cleaned_data)


class ResearchQuestionAdoptView(GroupRecordFormView):
    """Adopt a new research question; the current one is kept as history, replaced."""

    template_name = "inquiries/researchquestion_form.html"
    form_class = ResearchQuestionForm
    error_field = "adopted_on"

    def save(self, form):
        return research_question_adopt(group=self.object, by=self.request.user, **form.cleaned_data)


class GroupRecordUpdateView(GroupRecordFormView):
    """Edit one of a group's records (``fetch`` reaches it), for those who may change the
    group; the form starts from the record's ``fields``, and the page names the record
    ``record_name``."""

    fields: tuple[str, ...] = ()
    record_name = "record"

    @property
    def group(self):
        return self.object.group

    def permission_object(self):
        return self.group

    def get_initial(self):
        return {name: getattr(self.object, name) for name in self.fields}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.record_name: self.object}, **kwargs)


class CycleFormMixin:
    """Add or edit a cycle: a duplicate number is said next to the number."""

    template_name = "inquiries/cycle_form.html"
    form_class = CycleForm
    error_field = "number"
    success_message = "Cycle saved."
    anchor = "#cycles-heading"


class CycleCreateView(CycleFormMixin, GroupRecordFormView):
    def get_initial(self):
        latest = self.group.cycles.aggregate(latest=Max("number"))["latest"] or 0
        return {"number": latest + 1}

    def save(self, form):
        return cycle_create(group=self.group, by=self.request.user, **form.cleaned_data)


class CycleUpdateView(CycleFormMixin, GroupRecordUpdateView):
    fetch = staticmethod(cycle_get_for_user)
    fields = ("number", "title", "start_date", "end_date")
    record_name = "cycle"

    def save(self, form):
        return cycle_update(cycle=self.object, by=self.request.user, **form.cleaned_data)


class GroupFigureFormMixin:
    """Record or change a published figure: one of the same kind and label is said next to the
    label."""

    template_name = "inquiries/groupfigure_form.html"
    form_class = GroupFigureForm
    error_field = "label"
    success_message = "Published figure saved."
    anchor = "#published-heading"


class GroupFigureCreateView(GroupFigureFormMixin, GroupRecordFormView):
    def save(self, form):
        return group_figure_record(group=self.group, by=self.request.user, **form.cleaned_data)


class GroupFigureUpdateView(GroupFigureFormMixin, GroupRecordUpdateView):
    fetch = staticmethod(group_figure_get_for_user)
    fields = GROUP_FIGURE_FIELDS
    record_name = "figure"

    def save(self, form):
        return group_figure_update(figure=self.object, by=self.request.user, **form.cleaned_data)


class GroupFigureDeleteView(RecordDeleteView):
    context_object_name = "figure"
    fetch = staticmethod(group_figure_get_for_user)
    permission = "inquiries.delete_groupfigure"
    success_message = "Deleted the published figure %(title)s."

    def get_success_url(self):
        return self.object.group.get_absolute_url()

    def delete_record(self):
        group_figure_delete(figure=self.object, by=self.request.user)
