"""Forms for case sites, their proposed projects and organisations.

The forms validate and hand ``cleaned_data`` to a service (``sites.services``); they never save.
The sites a form offers are those the user may edit, plus those the record already has, so an
edit never drops a site silently.
"""

from crispy_forms.layout import Fieldset, Layout
from django import forms

from accounts.rules import permitted
from car_programme.forms import DateInput, DateRangeMixin, submit_helper
from car_programme.links import LockedCheckboxSelectMultiple, kept_links, offer_links
from car_programme.validators import LogoField, RecordDatesMixin
from sites.models import CaseSite, Organisation, Programme, ProposedProject, Theme
from sites.selectors import site_people, sites_editable_by
from sites.services import PROGRAMME_FIELDS, SITE_FIELDS


class SiteLinksMixin:
    """A model form's ``sites`` field: the sites ``user`` may edit (of the record's programme
    once known), with the record's other sites ticked and locked, kept whatever is posted."""

    def offer_sites(self, *, user, programme, current) -> None:
        self.editable_sites = sites_editable_by(user=user, programme=programme)
        self.current_sites = current
        field = self.fields["sites"]
        offer_links(field, editable=self.editable_sites, current=current)
        field.queryset = field.queryset.order_by("name")
        field.required = False
        field.label_from_instance = lambda site: site.name

    def keep_locked_sites(self, cleaned: dict) -> None:
        if "sites" in cleaned:
            cleaned["sites"] = kept_links(cleaned["sites"], self.current_sites, self.editable_sites)

    def check_own_site(self, cleaned: dict, *, may_have_none: bool, not_yours: str) -> None:
        """Refuse no site at all (unless ``may_have_none``) and a choice without one of the
        user's own sites (``not_yours`` says why)."""
        sites = list(cleaned.get("sites") or [])
        if not sites:
            if not may_have_none:
                self.add_error("sites", "Choose at least one of your sites.")
        elif not self.editable_sites.filter(pk__in=[site.pk for site in sites]).exists():
            self.add_error("sites", not_yours)


class LinesField(forms.CharField):
    """A list of short texts typed one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def run_validators(self, value):
        # CharField's checks (a NUL is refused) apply to each line: they would miss one in
        # the list's repr, and the database would then refuse the row.
        for line in value:
            super().run_validators(line)


# --- Programmes -------------------------------------------------------------------------------


class ProgrammeForm(DateRangeMixin, RecordDatesMixin, forms.ModelForm):
    date_range = ("start_date", "end_date")
    date_range_error = "The end date cannot be before the start date."

    logo = LogoField(shown="shown on the programme's pages")

    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "funders": "As the programme names them, e.g. “Economic and Social Research Council”."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Save programme")
        self.helper.form_enctype = "multipart/form-data"

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Programme.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("A programme of this name exists already.")
        return name


class CaseSiteForm(forms.ModelForm):
    delivered_focus = LinesField(
        label="Delivered focus (Table B)",
        required=False,
        help_text="What the partnership delivered, one item per line, in its own words.",
    )

    class Meta:
        model = CaseSite
        fields = list(SITE_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "inequality_notes",
                "selection_need",
                "selection_capacity",
                "selection_sustainability",
            )
        }
        labels = {
            "population_qualifier": "Population qualifier",
            "inequality_notes": "Notes on inequality",
            "selection_need": "Need",
            "selection_capacity": "Capacity",
            "selection_sustainability": "Sustainability",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Save site")
        self.helper.layout = Layout(
            Fieldset(
                "Context",
                "partnership_name",
                "population",
                "population_qualifier",
                "geography",
                "inequality_notes",
            ),
            Fieldset(
                "Why this site was selected",
                "selection_need",
                "selection_capacity",
                "selection_sustainability",
            ),
            Fieldset("Delivered", "delivered_focus"),
        )


class CaseSiteSetupForm(CaseSiteForm):
    """A site's form for a programme manager: its name, lead researchers and director too,
    chosen among the people who hold a role in the programme."""

    class Meta(CaseSiteForm.Meta):
        fields = ["name", "lead_researchers", "director", *SITE_FIELDS]
        widgets = {**CaseSiteForm.Meta.widgets, "lead_researchers": forms.CheckboxSelectMultiple}
        help_texts = {
            "name": "As the programme calls it, e.g. the council area.",
            "lead_researchers": "People with a role in the programme. Invite someone first to "
            "name them here.",
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        site = self.instance if self.instance.pk else None
        people = site_people(programme=programme, site=site)
        self.fields["lead_researchers"].queryset = people
        self.fields["director"].queryset = people
        self.fields["director"].empty_label = "No director recorded"
        self.helper.layout.insert(0, Fieldset("Site", "name", "lead_researchers", "director"))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = self.programme.sites.filter(name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"{self.programme} already has a site of this name.")
        return name

    def _get_validation_exclusions(self):
        # The name is checked against the programme in clean_name(); the programme and slug
        # are no fields, set by the service.
        return {*super()._get_validation_exclusions(), "name"}


class ProposedProjectForm(forms.ModelForm):
    class Meta:
        model = ProposedProject
        fields = ["title", "description", "outcome", "reason"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"reason": "Why it was taken forward, merged or dropped."}

    def __init__(self, *args, site: CaseSite, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.helper = submit_helper("Save proposed project")

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        taken = self.site.proposed_projects.filter(title=title).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"{self.site} already has a proposed project so titled.")
        return title


class OrganisationForm(SiteLinksMixin, forms.ModelForm):
    """An organisation's details, with sites of its programme only: the organisation's, or for
    a new one ``programme`` (chosen before the form, ``ProgrammeChoiceMixin``)."""

    class Meta:
        model = Organisation
        fields = ["programme", "name", "sector", "sites"]
        widgets = {"sites": LockedCheckboxSelectMultiple}
        help_texts = {
            "sites": "The case sites where it is a partner. Leaving every site unticked is for "
            "programme managers.",
        }

    def __init__(self, *args, user, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current_sites = None
        if self.instance.pk is not None:
            del self.fields["programme"]
            programme = self.instance.programme
            current_sites = self.instance.sites.all()
        else:
            programmes = permitted(user, "sites.add_organisation").order_by("name")
            if programme is not None:
                programmes = programmes.filter(pk=programme.pk)
            self.fields["programme"].queryset = programmes
            self.fields["programme"].empty_label = None
            if len(programmes) == 1:
                self.fields["programme"].widget = forms.HiddenInput()
                self.fields["programme"].initial = programmes[0].pk
        self.offer_sites(user=user, programme=programme, current=current_sites)
        self.helper = submit_helper("Save organisation")

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme") or getattr(self.instance, "programme", None)
        self.keep_locked_sites(cleaned)
        name = cleaned.get("name")
        if programme is None:
            return cleaned
        if any(site.programme_id != programme.pk for site in cleaned.get("sites") or []):
            self.add_error("sites", f"Choose only sites of {programme}.")
        else:
            self.check_own_site(
                cleaned,
                may_have_none=self.user.has_perm("sites.change_programme", programme),
                not_yours="Choose at least one site whose organisations you may edit.",
            )
        taken = Organisation.objects.filter(programme=programme, name=name).exclude(
            pk=self.instance.pk
        )
        if name and taken.exists():
            self.add_error("name", f"{programme} already has an organisation so named.")
        return cleaned

    def _get_validation_exclusions(self):
        # The name is checked against the programme in clean(), next to the field and on edit
        # too, where the programme is no field and Django would skip the constraint.
        return {*super()._get_validation_exclusions(), "name"}


# --- Theme frameworks -------------------------------------------------------------------------


class ThemeForm(forms.ModelForm):
    """A theme of a framework: ``framework`` is a field of a new theme only (with the
    programme's frameworks offered as suggestions); an edit keeps its framework."""

    framework = forms.CharField(max_length=120, help_text="An existing framework or a new one.")

    class Meta:
        model = Theme
        fields = ["framework", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme, frameworks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        if self.instance.pk is not None:
            del self.fields["framework"]
        else:
            self.fields["framework"].widget.attrs["list"] = "frameworks"
        self.frameworks = list(frameworks)
        self.helper = submit_helper("Save theme")

    def clean(self):
        cleaned = super().clean()
        framework = (cleaned.get("framework") or self.instance.framework or "").strip()
        name = (cleaned.get("name") or "").strip()
        taken = self.programme.themes.filter(framework=framework, name=name).exclude(
            pk=self.instance.pk
        )
        if name and taken.exists():
            self.add_error("name", f"The framework “{framework}” already has a theme so named.")
        return cleaned

    def _get_validation_exclusions(self):
        # Checked against the programme in clean(): on a new theme the programme is no field.
        return {*super()._get_validation_exclusions(), "name", "framework"}


class FrameworkForm(forms.Form):
    """A new framework with its first themes, or (``themes=False``) a framework's new name."""

    framework = forms.CharField(label="Framework name", max_length=120)
    themes = LinesField(
        label="Themes",
        help_text="One theme per line, in the order reports should list them.",
    )

    def __init__(self, *args, programme, renaming: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.renaming = renaming
        if renaming is not None:
            del self.fields["themes"]
            self.fields["framework"].label = "New name"
            self.fields["framework"].initial = renaming
        self.helper = submit_helper(
            "Rename framework" if renaming is not None else "Save framework"
        )

    def clean_framework(self):
        name = self.cleaned_data["framework"].strip()
        if name != self.renaming and self.programme.themes.filter(framework=name).exists():
            raise forms.ValidationError(f"{self.programme} already has a framework so named.")
        return name

    def clean_themes(self):
        names = self.cleaned_data["themes"]
        if len(set(names)) < len(names):
            raise forms.ValidationError("Each theme of a framework needs a name of its own.")
        too_long = [name for name in names if len(name) > 120]
        if too_long:
            raise forms.ValidationError("A theme's name may be at most 120 characters long.")
        return names
