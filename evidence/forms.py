"""Forms for evidence, outputs and changes.

Every choice a form offers is cut down by the rule set: a user may attach a record only to the
sites and groups they may edit, and link only evidence, outputs and changes they may see. The
forms validate and hand ``cleaned_data`` to a service (``evidence.services``); they never save.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.rules import permitted
from car_programme.forms import DateInput
from car_programme.links import (
    LockedCheckboxSelectMultiple,
    kept_links,
    offer_links,
    with_current,
)
from car_programme.params import parse_id
from car_programme.validators import RecordDatesMixin, checked_upload
from evidence.enums import OutputStatus
from evidence.models import Change, EvidenceItem, Output
from inquiries.models import Activity, InquiryGroup
from sites.selectors import sites_editable_by


def _widgets(*, date: str) -> dict:
    """The widgets every record form shares: its date picked in the browser, sites and themes
    ticked (a site the user may not change locked)."""
    return {
        date: DateInput(),
        "sites": LockedCheckboxSelectMultiple,
        "themes": forms.CheckboxSelectMultiple,
        "description": forms.Textarea(attrs={"rows": 4}),
    }


class _RecordForm(RecordDatesMixin, forms.ModelForm):
    """What evidence, output and change forms share: choices through the rule set and of one
    programme (the record's, or ``programme`` for a new one), the sites the user may not
    change kept, and a crispy helper."""

    submit_label = "Save"
    group_fields: tuple[str, ...] = ()
    # Whether a record may belong to its whole programme (no site, no group): for the
    # programme's managers only.
    programme_wide = False
    # Declared rather than taken from the model: the service stores the file, and the model
    # field's widget would link to the stored name, which no public URL serves.
    file = forms.FileField(label="File", required=False, widget=forms.FileInput)

    def __init__(self, *args, user, programme=None, **kwargs):
        super().__init__(*args, programme=programme, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        self.programme = self.instance.programme if editing else programme
        if "file" in self.fields and editing and self.instance.file:
            self.fields["remove_file"] = forms.BooleanField(
                label="Remove the current file", required=False
            )
        if "file" in self.fields:
            names = [name for name in self.fields if name not in ("file", "remove_file")]
            at = names.index("url")
            names[at:at] = [name for name in ("file", "remove_file") if name in self.fields]
            self.order_fields(names)
        self.editable_sites = self.of_programme(sites_editable_by(user=user))
        self.editable_groups = self.of_programme(permitted(user, "inquiries.change_inquirygroup"))
        self.current_sites = self.instance.sites.all() if editing else None
        offer_links(self.fields["sites"], editable=self.editable_sites, current=self.current_sites)
        self.fields["sites"].queryset = self.fields["sites"].queryset.order_by("name")
        for name in self.group_fields:
            current = None
            if editing and name == "groups":
                current = self.instance.groups.all()
            elif editing:
                current = InquiryGroup.objects.filter(pk=self.instance.group_id)
            self.fields[name].queryset = with_current(self.editable_groups, current).order_by(
                "name"
            )
        if "themes" in self.fields:
            self.fields["themes"].queryset = self.of_programme(
                permitted(user, "sites.view_theme")
            ).order_by("framework", "position", "name")
        self.managed_programmes = permitted(user, "sites.change_programme").order_by("name")
        if self.programme is not None:
            self.managed_programmes = self.managed_programmes.filter(pk=self.programme.pk)
        if self.programme_wide and not editing and self.managed_programmes.exists():
            self._add_programme_field()
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", self.submit_label))

    def of_programme(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` cut down to the form's programme, once it is known."""
        if self.programme is None:
            return queryset
        return queryset.filter(programme=self.programme)

    def _add_programme_field(self):
        programmes = list(self.managed_programmes)
        self.fields["programme"] = forms.ModelChoiceField(
            label="Programme",
            queryset=self.managed_programmes,
            required=False,
            initial=programmes[0] if len(programmes) == 1 else None,
            help_text="Used only when no site or group is chosen: the record then belongs to "
            "the whole programme.",
        )
        names = list(self.fields)
        names.insert(names.index("sites"), names.pop(names.index("programme")))
        self.order_fields(names)

    def _whole_programme(self, cleaned):
        """The programme a record with no site or group belongs to, if the user manages it."""
        if not self.programme_wide:
            return None
        editing = self.instance.pk is not None
        programme = self.instance.programme if editing else cleaned.get("programme")
        if programme is None or not self.managed_programmes.filter(pk=programme.pk).exists():
            return None
        return programme

    def chosen_groups(self) -> list:
        chosen = []
        for name in self.group_fields:
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            chosen.extend(value if name == "groups" else [value])
        return chosen

    def clean(self):
        cleaned = super().clean()
        if "sites" in cleaned:
            cleaned["sites"] = kept_links(cleaned["sites"], self.current_sites, self.editable_sites)
        sites = list(cleaned.get("sites") or [])
        groups = self.chosen_groups()
        if self.errors:
            return cleaned
        whole_programme = None if sites or groups else self._whole_programme(cleaned)
        editable_sites = set(self.editable_sites.values_list("pk", flat=True))
        editable_groups = set(self.editable_groups.values_list("pk", flat=True))
        if (
            whole_programme is None
            and not any(site.pk in editable_sites for site in sites)
            and not any(group.pk in editable_groups for group in groups)
        ):
            raise ValidationError(
                "Choose at least one site or group that you may edit"
                + (", or the programme." if "programme" in self.fields else "."),
                code="no_editable_place",
            )
        programmes = {obj.programme_id for obj in [*sites, *groups]}
        if self.instance.pk is not None:
            programmes.add(self.instance.programme_id)
        if len(programmes) > 1:
            raise ValidationError(
                "The sites and groups chosen belong to different programmes.",
                code="programmes_differ",
            )
        cleaned["programme"] = whole_programme or (sites or groups)[0].programme
        title = cleaned.get("title")
        model = self._meta.model
        duplicate = model.objects.filter(programme=cleaned["programme"], title=title).exclude(
            pk=self.instance.pk
        )
        if title and duplicate.exists():
            self.add_error("title", f"The programme already has a record titled “{title}”.")
        return cleaned

    def clean_file(self):
        file = self.cleaned_data.get("file")
        return checked_upload(file) if file else None

    def file_change(self):
        """The file argument of the services: new file, None (keep) or False (remove)."""
        if self.cleaned_data.get("file"):
            return self.cleaned_data["file"]
        return False if self.cleaned_data.get("remove_file") else None

    def service_fields(self, names) -> dict:
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


def _upload_help(text: str) -> str:
    return (
        f"{text} Documents, spreadsheets, presentations, images, audio or plain text, "
        "checked by their content. A file must be chosen again if the form shows an error."
    )


class EvidenceItemForm(_RecordForm):
    submit_label = "Save evidence"
    group_fields = ("group",)
    url = forms.URLField(label="Web address", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = EvidenceItem
        fields = [
            "title",
            "kind",
            "order",
            "authorship",
            "use",
            "sensitivity",
            "consent_basis",
            "sites",
            "group",
            "activity",
            "source",
            "collected_on",
            "description",
            "url",
            "themes",
        ]
        widgets = _widgets(date="collected_on")
        help_texts = {
            "sites": "The case sites this evidence belongs to. Choose a site or a group.",
            "sensitivity": "Restricted and personal-data evidence is never shown to strategy "
            "leads, nor to researchers of other sites.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        current = None
        if self.instance.pk is not None:
            current = Activity.objects.filter(pk=self.instance.activity_id)
        activities = self.of_programme(permitted(user, "inquiries.change_activity"))
        group = parse_id(str(self["group"].value() or ""))
        if group is not None:
            # Only the chosen group's activities (and the site's, of no group) are offered.
            activities = activities.filter(Q(group=group) | Q(group__isnull=True))
        self.fields["activity"].queryset = with_current(activities, current).order_by(
            F("date").desc(nulls_last=True), "pk"
        )
        self.fields["file"].help_text = _upload_help("Optional.")

    def clean(self):
        cleaned = super().clean()
        activity, group = cleaned.get("activity"), cleaned.get("group")
        if activity is not None and "programme" in cleaned:
            if activity.programme_id != cleaned["programme"].pk:
                self.add_error("activity", "This activity belongs to another programme.")
            elif group is not None and activity.group_id not in (None, group.pk):
                self.add_error("activity", "This activity belongs to another group.")
        return cleaned


class OutputRecordForm(_RecordForm):
    submit_label = "Save output"
    programme_wide = True
    group_fields = ("groups",)
    url = forms.URLField(label="Web address", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Output
        fields = [
            "title",
            "kind",
            "form",
            "sites",
            "groups",
            "authors",
            "audience",
            "drafted_on",
            "date_precision",
            "description",
            "url",
            "themes",
        ]
        widgets = _widgets(date="drafted_on")
        labels = {"drafted_on": "Drafted on", "date_precision": "Dates known to the"}
        help_texts = {
            "groups": "Hold Ctrl (Cmd on a Mac) to choose several.",
            "authors": "Hold Ctrl (Cmd on a Mac) to choose several.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        current = self.instance.authors.all() if self.instance.pk is not None else None
        self.fields["authors"].queryset = with_current(
            self.of_programme(permitted(user, "inquiries.view_person")), current
        ).order_by("name")
        self.fields["file"].help_text = _upload_help("Optional: the output itself.")


class OutputStatusForm(RecordDatesMixin, forms.Form):
    status = forms.ChoiceField(label="New status", choices=OutputStatus.choices)
    on = forms.DateField(label="As of", widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, output: Output, **kwargs):
        super().__init__(*args, programme=output.programme, **kwargs)
        self.fields["status"].choices = [
            choice for choice in OutputStatus.choices if choice[0] != output.status
        ]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", "Change status"))


class ChangeForm(_RecordForm):
    submit_label = "Save change"
    group_fields = ("group",)
    file = None  # a change has no file
    # Links the user may not see are kept as they are: the form offers only visible ones.
    hidden_link_rules = {
        "evidence": "evidence.view_evidenceitem",
        "outputs": "evidence.view_output",
        "earlier_changes": "evidence.view_change",
    }

    class Meta:
        model = Change
        fields = [
            "title",
            "type",
            "level",
            "date",
            "date_precision",
            "sites",
            "group",
            "description",
            "evidence",
            "outputs",
            "earlier_changes",
            "themes",
        ]
        widgets = _widgets(date="date")
        labels = {
            "date_precision": "Date known to the",
            "evidence": "Supporting evidence",
            "outputs": "Supporting outputs",
            "earlier_changes": "Builds on earlier changes",
        }
        help_texts = {
            name: "Hold Ctrl (Cmd on a Mac) to choose several."
            for name in ("evidence", "outputs", "earlier_changes")
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name, perm in self.hidden_link_rules.items():
            visible = self.of_programme(permitted(user, perm))
            if name == "earlier_changes" and self.instance.pk is not None:
                visible = visible.exclude(pk=self.instance.pk)
            self.fields[name].queryset = visible.order_by("title")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        for name, perm in self.hidden_link_rules.items():
            if name not in cleaned:
                continue
            current = getattr(self.instance, name).all()
            hidden = current.exclude(pk__in=permitted(self.user, perm, current).values("pk"))
            cleaned[name] = [*cleaned[name], *hidden]
        return cleaned
