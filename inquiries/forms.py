"""Forms of the researcher workspace: they validate, and views hand ``cleaned_data`` to services."""

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from car_programme.dates import DatePrecision
from car_programme.forms import DateInput, DateRangeMixin, MultiplePicker, Picker, optional_date
from car_programme.links import LockedCheckboxSelectMultiple, kept_links, offer_links, with_current
from car_programme.validators import ALLOWED_DESCRIPTION, RecordDatesMixin, validate_upload
from inquiries import enums
from inquiries.enums import BACKSTAGE_KINDS
from inquiries.models import Cycle, InquiryGroup, Person
from sites.enums import Qualifier
from sites.models import CaseSite, Organisation, Theme


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by ``validate_upload`` before any is stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(file, initial) for file in files]
        errors = []
        for file in cleaned:
            try:
                validate_upload(file)
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class PersonChoiceField(forms.ModelChoiceField):
    """Labels a person by name or pseudonym as the rules decide (``name_visible`` annotation)."""

    def label_from_instance(self, obj):
        return obj.label


class AttendeesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def label_from_instance(self, obj):
        return obj.label


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _choices_with_blank(choices, blank="---------"):
    return [("", blank), *choices]


class ActivityForm(RecordDatesMixin, forms.Form):
    """Everything about an activity of a group, on one form (logging and editing alike)."""

    date = forms.DateField(widget=DateInput())
    kind = forms.ChoiceField(
        choices=enums.ActivityKind.choices, initial=enums.ActivityKind.GROUP_MEETING
    )
    title = forms.CharField(max_length=200, required=False)
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=1, max_value=24 * 60, required=False
    )
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.none(), required=False)
    phase = forms.ChoiceField(
        label="Phase of the CAR cycle",
        choices=_choices_with_blank(enums.Phase.choices),
        required=False,
    )
    researcher_roles = forms.MultipleChoiceField(
        label="Researcher roles exercised",
        choices=enums.ResearcherRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attendees = AttendeesField(label="Attendance", queryset=Person.objects.none(), required=False)
    others = AttendeesField(
        label="Anyone else of the group's sites who took part",
        queryset=Person.objects.none(),
        required=False,
        widget=MultiplePicker,
        help_text="Type to search; without JavaScript, hold Ctrl (or Cmd) to pick more than one.",
    )
    notes = forms.CharField(
        label="Reflective notes",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Markdown: **bold**, *italic*, lists with - and links.",
    )
    attachments = MultipleFileField(
        required=False, help_text=f"One or more files. Accepted: {ALLOWED_DESCRIPTION}."
    )

    def __init__(self, *args, group, attendee_choices, other_choices, **kwargs):
        super().__init__(*args, programme=group.programme, **kwargs)
        self.group = group
        self.fields["cycle"].queryset = group.cycles.order_by("number")
        self.fields["attendees"].queryset = attendee_choices
        self.fields["others"].queryset = other_choices
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        # Whoever was ticked and whoever was picked: one attendance.
        picked = [*cleaned.get("attendees", []), *cleaned.pop("others", [])]
        cleaned["attendees"] = list({person.pk: person for person in picked}.values())
        return cleaned

    def attendee_groups(self):
        """The attendee checkboxes, grouped by the person's role on the activity's date."""
        groups: dict[str, list] = {}
        for checkbox in self["attendees"]:
            person = checkbox.data["value"].instance
            role = getattr(person, "member_role", None)
            label = enums.MembershipRole(role).label if role else "Not a member on that date"
            groups.setdefault(label, []).append(checkbox)
        return list(groups.items())


class NewAttendeeForm(forms.Form):
    """The small "Add a person" form inside the activity form (prefix ``new``)."""

    # Its fields sit inside the activity form: "required" there would block saving the activity.
    use_required_attribute = False

    name = forms.CharField(max_length=200)
    pseudonym = forms.CharField(
        max_length=60, required=False, help_text="Left empty, one is made up."
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, widget=Picker
    )
    role = forms.ChoiceField(
        choices=[
            (enums.MembershipRole.CORE, enums.MembershipRole.CORE.label),
            (enums.MembershipRole.PERIPHERY, enums.MembershipRole.PERIPHERY.label),
        ],
        initial=enums.MembershipRole.PERIPHERY,
    )

    def __init__(self, *args, group, **kwargs):
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = group.programme.organisations.order_by("name")


class TallyForm(RecordDatesMixin, forms.Form):
    """A week's backstage contacts at one site."""

    site = forms.ModelChoiceField(queryset=CaseSite.objects.none())
    kind = forms.ChoiceField(choices=[(kind.value, kind.label) for kind in BACKSTAGE_KINDS])
    direction = forms.ChoiceField(
        choices=_choices_with_blank(enums.ContactDirection.choices, "Both or not recorded"),
        required=False,
    )
    count = forms.IntegerField(min_value=1, max_value=100_000, help_text="How many this week.")
    week_start = forms.DateField(
        label="Week starting",
        widget=DateInput(),
        help_text="The first day of the week counted; the tally covers seven days from it.",
    )
    title = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        if len(sites) == 1:
            self.fields["site"].initial = sites[0]
        if not self.is_bound:
            today = timezone.localdate()
            self.fields["week_start"].initial = today - dt.timedelta(days=today.weekday())
        self.helper = _helper()


class MembershipAddForm(RecordDatesMixin, forms.Form):
    """Add someone to a group: a person already recorded, or a new one typed here."""

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=Picker,
        help_text="Someone already recorded in the programme: type part of their name.",
    )
    new_name = forms.CharField(label="Or a new person's name", max_length=200, required=False)
    new_pseudonym = forms.CharField(
        label="New person's pseudonym",
        max_length=60,
        required=False,
        help_text="Left empty, one is made up.",
    )
    new_organisation = forms.ModelChoiceField(
        label="New person's organisation",
        queryset=Organisation.objects.none(),
        required=False,
        widget=Picker,
    )
    role = forms.ChoiceField(
        choices=enums.MembershipRole.choices, initial=enums.MembershipRole.CORE
    )
    joined_on = forms.DateField(label="Joined on", widget=DateInput(), required=False)

    def __init__(self, *args, group, people, **kwargs):
        super().__init__(*args, programme=group.programme, **kwargs)
        self.fields["person"].queryset = people
        self.fields["new_organisation"].queryset = group.programme.organisations.order_by("name")
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person") and cleaned.get("new_name"):
            raise forms.ValidationError("Choose a recorded person or type a new name, not both.")
        if not cleaned.get("person") and not cleaned.get("new_name"):
            self.add_error("person", "Choose a recorded person or type a new person's name.")
        return cleaned


class MembershipRoleForm(RecordDatesMixin, forms.Form):
    role = forms.ChoiceField(label="New role", choices=enums.MembershipRole.choices)
    as_of = forms.DateField(label="As of", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class MembershipEndForm(RecordDatesMixin, forms.Form):
    left_on = forms.DateField(label="Left on", widget=DateInput())
    reason = forms.ChoiceField(
        label="Reason for leaving",
        choices=[
            (value, label)
            for value, label in enums.LeaveReason.choices
            if value != enums.LeaveReason.ROLE_CHANGE
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PersonForm(forms.Form):
    site = forms.ModelChoiceField(
        queryset=CaseSite.objects.none(), help_text="The case site the person mainly works in."
    )
    name = forms.CharField(max_length=200)
    pseudonym = forms.CharField(
        max_length=60,
        required=False,
        help_text="Shown wherever the person has not consented to be named. Left empty, one is "
        "made up.",
    )
    email = forms.EmailField(required=False, max_length=Person._meta.get_field("email").max_length)
    phone = forms.CharField(max_length=40, required=False)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, widget=Picker
    )
    job_title = forms.CharField(max_length=200, required=False)
    level = forms.ChoiceField(choices=_choices_with_blank(enums.Level.choices), required=False)
    occupation_category = forms.TypedChoiceField(
        label="Occupation (SOC 2010 major group)",
        choices=_choices_with_blank(enums.OccupationCategory.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    research_experience = forms.ChoiceField(
        label="Prior research experience",
        choices=_choices_with_blank(enums.ResearchExperience.choices),
        required=False,
    )

    def __init__(self, *args, sites, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["organisation"].queryset = organisations
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        site, organisation = cleaned.get("site"), cleaned.get("organisation")
        if site and organisation and organisation.programme_id != site.programme_id:
            self.add_error("organisation", "This organisation belongs to another programme.")
        return cleaned


class GroupForm(DateRangeMixin, RecordDatesMixin, forms.Form):
    date_range = ("start_date", "end_date")
    date_range_error = "The group cannot end before it starts."

    name = forms.CharField(max_length=200)
    short_name = forms.CharField(max_length=60, required=False)
    kind = forms.ChoiceField(choices=enums.GroupKind.choices)
    sites = forms.ModelMultipleChoiceField(
        queryset=CaseSite.objects.none(), widget=LockedCheckboxSelectMultiple, required=False
    )
    topic = forms.CharField(max_length=300, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    start_date = optional_date()
    end_date = optional_date()
    approach = forms.ChoiceField(
        choices=_choices_with_blank(enums.Approach.choices), required=False
    )
    lead_description = forms.CharField(
        label="Lead practitioner (role)", max_length=300, required=False
    )
    parent = forms.ModelChoiceField(
        label="Spin-off of", queryset=InquiryGroup.objects.none(), required=False
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, sites, groups, themes, group=None, creating=False, **kwargs):
        """``sites``, ``groups`` and ``themes``: the choices, all of the group's programme;
        ``sites`` those the user may edit. A shared group's other sites show locked and stay."""
        super().__init__(*args, **kwargs)
        self.editable_sites = sites
        self.current_sites = group.sites.all() if group is not None else None
        offer_links(self.fields["sites"], editable=sites, current=self.current_sites)
        if group is not None:
            parent = InquiryGroup.objects.filter(pk=group.parent_id)
            groups = with_current(groups, parent).exclude(pk=group.pk)
        self.fields["parent"].queryset = groups.order_by("name")
        self.fields["themes"].queryset = themes
        if creating:
            # A group's status starts here and changes later on its page (GroupStatusForm).
            self.fields["status"] = forms.TypedChoiceField(
                choices=enums.GroupStatus.choices,
                initial=enums.GroupStatus.FORMING,
                required=False,
                empty_value=enums.GroupStatus.FORMING,
                help_text="Where the group stands on its start date (or today); later "
                "changes are recorded on the group's page.",
            )
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if "sites" in cleaned:
            cleaned["sites"] = kept_links(cleaned["sites"], self.current_sites, self.editable_sites)
            if not cleaned["sites"]:
                self.add_error("sites", "Choose at least one site.")
        return cleaned


class GroupStatusForm(RecordDatesMixin, forms.Form):
    status = forms.ChoiceField(choices=enums.GroupStatus.choices)
    on = forms.DateField(label="As of", widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CycleForm(DateRangeMixin, RecordDatesMixin, forms.Form):
    date_range = ("start_date", "end_date")
    date_range_error = "The cycle cannot end before it starts."

    number = forms.IntegerField(min_value=1, max_value=32767)
    title = forms.CharField(max_length=200, required=False)
    start_date = optional_date()
    end_date = optional_date()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class GroupFigureForm(DateRangeMixin, RecordDatesMixin, forms.Form):
    """A total the source gives about a group, as it gives it."""

    date_range = ("period_start", "period_end")
    date_range_error = "The period cannot end before it starts."

    kind = forms.ChoiceField(label="Counts", choices=enums.GroupFigureKind.choices)
    value = forms.IntegerField(min_value=1, max_value=1_000_000)
    # Exact is the empty choice, so the field may be left at it.
    qualifier = forms.ChoiceField(
        choices=Qualifier.choices, required=False, initial=Qualifier.EXACT
    )
    label = forms.CharField(
        max_length=200, required=False, help_text='As published, e.g. "officers (cross-service)".'
    )
    period_start = optional_date("Period from")
    period_end = optional_date("Period to")
    date_precision = forms.ChoiceField(
        label="Dates known to the", choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    source = forms.CharField(
        max_length=300, help_text="Where the figure is published, e.g. a document and line."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ResearchQuestionForm(RecordDatesMixin, forms.Form):
    text = forms.CharField(label="Research question", widget=forms.Textarea(attrs={"rows": 3}))
    adopted_on = forms.DateField(widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ConsentForm(RecordDatesMixin, forms.Form):
    use = forms.ChoiceField(choices=enums.ConsentUse.choices)
    given_on = forms.DateField(widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(choices=enums.ConsentMethod.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ConsentWithdrawForm(RecordDatesMixin, forms.Form):
    on = forms.DateField(label="Withdrawn on", widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


IMPORT_MAX_BYTES = 2 * 1024 * 1024


class ImportFileField(forms.FileField):
    """A CSV or XLSX file small enough to keep in the session between preview and import."""

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file and file.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 2 MB: split it, or import people site by site."
            )
        return file


class PeopleImportForm(forms.Form):
    site = forms.ModelChoiceField(queryset=CaseSite.objects.none())
    file = ImportFileField(
        help_text="XLSX, or CSV separated by commas, semicolons or tabs (UTF-8 or "
        "Windows-1252), with the columns name and pseudonym, and optionally email, "
        "organisation, job_title, level, occupation_category, research_experience, group, "
        "role and joined_on (2025-01-15 or 15/01/2025). A row with the pseudonym and name of "
        "someone already recorded adds their membership; an organisation not yet recorded is "
        "added."
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.helper = _helper()


class AttendanceImportForm(forms.Form):
    file = ImportFileField(
        help_text="XLSX, or CSV separated by commas, semicolons or tabs (UTF-8 or "
        "Windows-1252), with a column person: pseudonym, email or full name."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
