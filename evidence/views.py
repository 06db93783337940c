"""Pages for evidence items, outputs and changes, and the downloads of their files.

Every object is fetched through a selector that applies the rule set, so another site's
restricted item answers 404 to a direct URL, and its file too; editing then asks the change
rule on the object (403 for a reader who may see but not edit).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.rules import permitted
from car_programme.mixins import (
    ProgrammeChoiceMixin,
    RecordDeleteView,
    RecordMixin,
    ServiceFormMixin,
)
from car_programme.params import parse_id
from evidence import services
from evidence.filters import ChangeFilter, EvidenceFilter, OutputFilter
from evidence.forms import ChangeForm, EvidenceItemForm, OutputRecordForm, OutputStatusForm
from evidence.selectors import (
    change_get_for_user,
    change_links,
    change_list_for_user,
    changes_supported_by,
    evidence_get_for_user,
    evidence_list_for_user,
    output_authors,
    output_get_for_user,
    output_list_for_user,
)

# --- Shared -----------------------------------------------------------------------------------


class _FilteredListView(LoginRequiredMixin, ListView):
    paginate_by = 25
    filterset_class = None
    add_perm = ""

    def get_queryset(self):
        user = self.request.user
        self.filterset = self.filterset_class(
            self.request.GET or None,
            queryset=self.records(user=user),
            sites=permitted(user, "sites.view_casesite").order_by("name"),
            groups=permitted(user, "inquiries.view_inquirygroup").order_by("name"),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        can_add = self.request.user.has_perm(self.add_perm)
        return super().get_context_data(filter=self.filterset, can_add=can_add, **kwargs)


class _FormWithUserMixin(ServiceFormMixin):
    """The form of one kind of record: ``links`` name the records it links to, handed to its
    services as chosen, and ``record_fields`` its own fields (``services.*_FIELDS``)."""

    links: tuple[str, ...] = ()
    record_fields: tuple[str, ...] = ()

    def get_form_kwargs(self):
        # A new record's programme (ProgrammeChoiceMixin); an edit keeps the record's.
        programme = getattr(self, "programme", None)
        return {**super().get_form_kwargs(), "user": self.request.user, "programme": programme}

    def service_kwargs(self, form) -> dict:
        """What the record's create and update services take from the form, and who saves."""
        links = {name: form.cleaned_data[name] for name in self.links}
        return {**links, **form.service_fields(self.record_fields), "by": self.request.user}


class GroupPrefillMixin:
    """A new record started from a group's page (``?group=<id>``): the group and its sites
    chosen already, when the user may see the group in the page's programme."""

    def get_initial(self):
        initial = super().get_initial()
        group = self._named_group()
        if group is not None:
            field = self.form_class.group_fields[0]
            initial[field] = group.pk if field == "group" else [group.pk]
            initial["sites"] = [site.pk for site in group.sites.all()]
        return initial

    def _named_group(self):
        pk = parse_id(self.request.GET.get("group"))
        if pk is None or self.programme is None:
            return None
        groups = permitted(self.request.user, "inquiries.view_inquirygroup")
        return groups.filter(programme=self.programme, pk=pk).first()


class _EvidenceItemForm(_FormWithUserMixin):
    template_name = "evidence/evidenceitem_form.html"
    form_class = EvidenceItemForm
    links = ("sites", "group", "activity", "themes")
    record_fields = services.EVIDENCE_FIELDS


class _OutputForm(_FormWithUserMixin):
    template_name = "evidence/output_form.html"
    form_class = OutputRecordForm
    links = ("sites", "groups", "authors", "themes")
    record_fields = services.OUTPUT_FIELDS


class _ChangeForm(_FormWithUserMixin):
    template_name = "evidence/change_form.html"
    form_class = ChangeForm
    links = ("sites", "group", "evidence", "outputs", "earlier_changes", "themes")
    record_fields = services.CHANGE_FIELDS


# --- Evidence ---------------------------------------------------------------------------------


class EvidenceItemListView(_FilteredListView):
    template_name = "evidence/evidenceitem_list.html"
    context_object_name = "items"
    filterset_class = EvidenceFilter
    add_perm = "evidence.change_evidenceitem"
    records = staticmethod(evidence_list_for_user)


class EvidenceItemDetailView(RecordMixin, DetailView):
    template_name = "evidence/evidenceitem_detail.html"
    context_object_name = "item"
    fetch = staticmethod(evidence_get_for_user)

    def get_context_data(self, **kwargs):
        item = self.object
        user = self.request.user
        return super().get_context_data(
            changes=changes_supported_by(user=user, queryset=item.changes.all()),
            themes=item.themes.order_by("framework", "position"),
            can_edit=user.has_perm("evidence.change_evidenceitem", item),
            **kwargs,
        )


class EvidenceItemCreateView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    ProgrammeChoiceMixin,
    GroupPrefillMixin,
    _EvidenceItemForm,
    CreateView,
):
    permission_required = "evidence.change_evidenceitem"
    success_message = "Evidence “%(title)s” was recorded."

    def save(self, form):
        return services.evidence_create(
            programme=form.cleaned_data["programme"],
            file=form.file_change() or None,
            **self.service_kwargs(form),
        )


class EvidenceItemUpdateView(RecordMixin, _EvidenceItemForm, UpdateView):
    context_object_name = "item"
    fetch = staticmethod(evidence_get_for_user)
    permission = "evidence.change_evidenceitem"
    success_message = "Evidence “%(title)s” was saved."

    def save(self, form):
        return services.evidence_update(
            item=self.object, file=form.file_change(), **self.service_kwargs(form)
        )


class EvidenceItemDeleteView(RecordDeleteView):
    context_object_name = "item"
    fetch = staticmethod(evidence_get_for_user)
    permission = "evidence.delete_evidenceitem"
    success_url = reverse_lazy("evidence:evidence_list")

    def delete_record(self):
        services.evidence_delete(item=self.object, by=self.request.user)


# --- Outputs ----------------------------------------------------------------------------------


class OutputListView(_FilteredListView):
    template_name = "evidence/output_list.html"
    context_object_name = "outputs"
    filterset_class = OutputFilter
    add_perm = "evidence.change_output"
    records = staticmethod(output_list_for_user)


class OutputDetailView(RecordMixin, DetailView):
    template_name = "evidence/output_detail.html"
    context_object_name = "output"
    fetch = staticmethod(output_get_for_user)

    def get_context_data(self, **kwargs):
        output = self.object
        user = self.request.user
        can_edit = user.has_perm("evidence.change_output", output)
        return super().get_context_data(
            authors=output_authors(output=output, user=user),
            groups=permitted(user, "inquiries.view_inquirygroup", output.groups.all()).order_by(
                "name"
            ),
            changes=changes_supported_by(user=user, queryset=output.changes.all()),
            themes=output.themes.order_by("framework", "position"),
            can_edit=can_edit,
            status_form=OutputStatusForm(output=output) if can_edit else None,
            **kwargs,
        )


class OutputCreateView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    ProgrammeChoiceMixin,
    GroupPrefillMixin,
    _OutputForm,
    CreateView,
):
    permission_required = "evidence.change_output"
    success_message = "Output “%(title)s” was recorded as a draft."

    def save(self, form):
        return services.output_create(
            programme=form.cleaned_data["programme"],
            file=form.file_change() or None,
            **self.service_kwargs(form),
        )


class OutputUpdateView(RecordMixin, _OutputForm, UpdateView):
    context_object_name = "output"
    fetch = staticmethod(output_get_for_user)
    permission = "evidence.change_output"
    success_message = "Output “%(title)s” was saved."

    def save(self, form):
        return services.output_update(
            output=self.object, file=form.file_change(), **self.service_kwargs(form)
        )


class OutputStatusView(RecordMixin, ServiceFormMixin, FormView):
    template_name = "evidence/output_status_form.html"
    form_class = OutputStatusForm
    fetch = staticmethod(output_get_for_user)
    permission = "evidence.change_output"
    error_field = "on"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "output": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(output=self.object, **kwargs)

    def save(self, form):
        services.output_change_status(
            output=self.object,
            status=form.cleaned_data["status"],
            on=form.cleaned_data["on"],
            by=self.request.user,
        )
        return self.object

    def get_success_message(self):
        return f"“{self.saved}” is now {self.saved.get_status_display().lower()}."


class OutputDeleteView(RecordDeleteView):
    fetch = staticmethod(output_get_for_user)
    permission = "evidence.delete_output"
    success_url = reverse_lazy("evidence:output_list")

    def delete_record(self):
        services.output_delete(output=self.object, by=self.request.user)


# --- Changes ----------------------------------------------------------------------------------


class ChangeListView(_FilteredListView):
    template_name = "evidence/change_list.html"
    context_object_name = "changes"
    filterset_class = ChangeFilter
    add_perm = "evidence.change_change"
    records = staticmethod(change_list_for_user)


class ChangeDetailView(RecordMixin, DetailView):
    template_name = "evidence/change_detail.html"
    context_object_name = "change"
    fetch = staticmethod(change_get_for_user)

    def get_context_data(self, **kwargs):
        change = self.object
        user = self.request.user
        return super().get_context_data(
            links=change_links(change=change, user=user),
            themes=change.themes.order_by("framework", "position"),
            can_edit=user.has_perm("evidence.change_change", change),
            **kwargs,
        )


class ChangeCreateView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    ProgrammeChoiceMixin,
    GroupPrefillMixin,
    _ChangeForm,
    CreateView,
):
    permission_required = "evidence.change_change"
    success_message = "Change “%(title)s” was recorded."

    def save(self, form):
        return services.change_create(
            programme=form.cleaned_data["programme"], **self.service_kwargs(form)
        )


class ChangeUpdateView(RecordMixin, _ChangeForm, UpdateView):
    context_object_name = "change"
    fetch = staticmethod(change_get_for_user)
    permission = "evidence.change_change"
    success_message = "Change “%(title)s” was saved."

    def save(self, form):
        return services.change_update(change=self.object, **self.service_kwargs(form))


class ChangeDeleteView(RecordDeleteView):
    fetch = staticmethod(change_get_for_user)
    permission = "evidence.delete_change"
    success_url = reverse_lazy("evidence:change_list")

    def delete_record(self):
        services.change_delete(change=self.object, by=self.request.user)
