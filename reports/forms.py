"""The options of a report request, and the filters of the list of reports.

The request form validates and hands ``options`` to ``reports.services.request_report``; it
never saves. Whether names may appear is decided by the rule set before the form is built: for
anyone else the anonymise box is ticked and cannot be unticked.
"""

from crispy_forms.helper import FormHelper
from django import forms

from car_programme.forms import DateInput, DateRangeMixin, Picker, optional_date, submit_helper
from car_programme.validators import LogoField, RecordDatesMixin
from inquiries.models import InquiryGroup
from reports.editions import COVER_FIELDS
from reports.enums import ReportKind, ReportStatus
from reports.kinds import GROUP, KINDS
from reports.models import Chapter, Edition
from sites.models import CaseSite, Programme


class ReportRequestForm(DateRangeMixin, RecordDatesMixin, forms.Form):
    anonymise = forms.BooleanField(
        label="Anonymise participants",
        required=False,
        initial=True,
        help_text="People appear under their pseudonym unless they consented to be named.",
    )
    start = optional_date("From", help_text="Optional.")
    end = optional_date("To", help_text="Optional.")
    sections = forms.MultipleChoiceField(
        label="Sections to include",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one section."},
    )

    def __init__(self, *args, kind, may_name_people: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = KINDS[kind].sections
        if choices:
            self.fields["sections"].choices = choices
            self.fields["sections"].initial = [slug for slug, _label in choices]
        else:
            # A report without optional sections always prints all it has.
            del self.fields["sections"]
        if not may_name_people:
            # A disabled field keeps its initial value whatever the browser sends.
            self.fields["anonymise"].disabled = True
            self.fields["anonymise"].help_text = (
                "Reports you request are always anonymised: people appear under their "
                "pseudonym unless they consented to be named."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @property
    def options(self) -> dict:
        """The cleaned input in the shape ``ReportRequest.options`` stores."""
        data = self.cleaned_data
        return {
            "anonymise": bool(data["anonymise"]),
            "start": data["start"].isoformat() if data["start"] else None,
            "end": data["end"].isoformat() if data["end"] else None,
            "sections": list(data.get("sections", [])),
        }


class ReportFilterForm(forms.Form):
    """The list's filters; the programme choices come from the view, cut down by the rules."""

    programme = forms.ModelChoiceField(
        label="Programme", queryset=Programme.objects.none(), required=False, empty_label="Any"
    )
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "Any"), *ReportKind.choices], required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any"), *ReportStatus.choices], required=False
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class DateRangeForm(DateRangeMixin, RecordDatesMixin, forms.Form):
    """An optional date range that keeps the records a page reads to their dates (by the
    scope's rules, ``inquiries.scope.RecordScope``): the dashboards' and the exports'."""

    date_range_error = "The end date must be on or after the start date."
    start = optional_date("From")
    end = optional_date("To")


class DashboardFilterForm(DateRangeForm):
    """The date range, and for programme staff on the programme dashboard a site.

    The site choices are the sites the user may read a dashboard of, so a site outside them is
    refused as an invalid choice, like any value not offered."""

    site = forms.ModelChoiceField(
        label="Site",
        required=False,
        queryset=CaseSite.objects.none(),
        empty_label="All sites",
        widget=Picker,
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is None:
            del self.fields["site"]
        else:
            self.fields["site"].queryset = sites


class GroupReportChoiceForm(forms.Form):
    """The reports page's choice of a group report: which kind, on which group (among those
    the reader may request one of); it leads to that report's own request page."""

    kind = forms.ChoiceField(
        label="Report",
        choices=[(spec.kind, spec.kind.label) for spec in KINDS.values() if spec.target is GROUP],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=ReportKind.GROUP_LEARNING,
    )
    group = forms.ModelChoiceField(
        queryset=InquiryGroup.objects.none(), widget=Picker, empty_label="Choose a group"
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


# --- Editions ---------------------------------------------------------------------------------


class EditionCreateForm(forms.Form):
    title = forms.CharField(
        max_length=200, help_text="The report's title, as its cover prints it; you can change it."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Start the edition")


class EditionCoverForm(DateRangeMixin, RecordDatesMixin, forms.ModelForm):
    """The cover and the options every version of the edition is rendered with."""

    logo = LogoField(shown="printed on the cover; without one the cover prints the programme's")

    class Meta:
        model = Edition
        fields = list(COVER_FIELDS)
        labels = {
            "anonymise": "Anonymise participants",
            "start": "Figures from",
            "end": "Figures to",
        }
        help_texts = {
            "anonymise": "People appear under their pseudonym unless they consented to be named, "
            "in the figures and wherever the text writes their whole name.",
            "start": "Optional: the date range of the figures and data chapters.",
        }
        widgets = {
            "published_on": DateInput(),
            "start": DateInput(),
            "end": DateInput(),
            "authors": forms.Textarea(attrs={"rows": 3}),
            "citation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        # Its authors see the names (reports.write_<target>_edition), so they choose; a
        # version is still anonymised for whoever renders it without that right
        # (reports.editions._version_options).
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Save the cover")
        self.helper.form_enctype = "multipart/form-data"


class ChapterAddForm(forms.Form):
    """A chapter of the authors' own, or one of the kind's data chapters the edition lacks."""

    section = forms.ChoiceField(label="Chapter", required=False)
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="For a chapter of your own; a data chapter takes its usual title.",
    )

    def __init__(self, *args, sections: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [
            ("", "A chapter of your own"),
            *((slug, f"Data chapter: {label}") for slug, label in sections),
        ]
        self.fields["section"].widget.attrs["class"] = "form-select"
        self.helper = submit_helper("Add the chapter")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("section") and not cleaned.get("title", "").strip():
            self.add_error("title", "Give your chapter a title.")
        return cleaned


class ChapterForm(forms.ModelForm):
    """A draft of a chapter: its title, and for an authored chapter its Markdown."""

    class Meta:
        model = Chapter
        fields = ["title", "body"]
        labels = {"body": "Text"}
        help_texts = {
            "body": "Markdown: *italic*, **bold**, # a heading, - a list item. Cite a record "
            "with [[output:42]] (also evidence, change, event, group), or find it below; place "
            "a figure on a line of its own with [[figure:table-b]]."
        }
        widgets = {
            "body": forms.Textarea(
                attrs={"rows": 24, "class": "font-monospace", "spellcheck": "true"}
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.section:
            # A data chapter prints the records: only its title is the authors'.
            del self.fields["body"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
