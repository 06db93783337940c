from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.db.models import Q

from accounts.rules import permitted
from car_programme.dates import DatePrecision
from car_programme.forms import DateInput, FetchedChoiceField
from car_programme.links import LockedCheckboxSelectMultiple
from car_programme.validators import RecordDatesMixin
from events.enums import QuestionKind
from events.models import LIKERT_MAX, LIKERT_MIN, Event, FeedbackForm, FeedbackQuestion
from events.selectors import attendance_choices_for_user
from events.services import EVENT_FIELDS, HeadCount
from sites.forms import SiteLinksMixin
from sites.models import CaseSite, Organisation

LIKERT_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
LIKERT_CHOICES = [
    (score, f"{score}: {LIKERT_LABELS[score]}") for score in range(LIKERT_MIN, LIKERT_MAX + 1)
]


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class EventForm(SiteLinksMixin, RecordDatesMixin, forms.ModelForm):
    """An event's details, with choices of its programme only: the event's, or for a new one
    ``programme`` (chosen before the form, ``ProgrammeChoiceMixin``)."""

    # Only a source may leave an event undated; a person recording one gives its date.
    start_date = forms.DateField(label="Start date", widget=DateInput())

    class Meta:
        model = Event
        fields = ["programme", *EVENT_FIELDS, "sites", "groups", "themes"]
        widgets = {
            "end_date": DateInput(),
            "sites": LockedCheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"date_precision": "Dates known to the"}
        help_texts = {
            "sites": "Leave every site unticked for a programme-wide event (programme managers).",
            "date_precision": "Give the first day of the month or year when only that is known.",
            "report": "The output that reports on the event, if any.",
        }

    def __init__(self, *args, user, programme=None, **kwargs):
        super().__init__(*args, programme=programme, **kwargs)
        self.user = user
        self.helper = _helper()
        editing = self.instance.pk is not None
        current_sites = None
        if editing:
            del self.fields["programme"]
            programme_id = self.instance.programme_id
            current_sites = self.instance.sites.all()
        else:
            programmes = permitted(user, "events.add_event").order_by("name")
            if programme is not None:
                programmes = programmes.filter(pk=programme.pk)
                self.fields["programme"].widget = forms.HiddenInput()
                self.fields["programme"].initial = programme.pk
            self.fields["programme"].queryset = programmes
            self.fields["programme"].empty_label = None
            programme_id = getattr(programme, "pk", None)
        # Sites already recorded stay, locked where the user may not change them.
        self.offer_sites(user=user, programme=programme_id, current=current_sites)
        groups = permitted(user, "inquiries.view_inquirygroup").order_by("name")
        themes = permitted(user, "sites.view_theme").order_by("framework", "position")
        if programme_id is not None:
            groups, themes = (
                groups.filter(programme=programme_id),
                themes.filter(programme=programme_id),
            )
        self.fields["groups"].queryset = groups
        self.fields["themes"].queryset = themes
        self.fields["report"].queryset = self._reports(user, programme_id)
        self.fields["report"].empty_label = "No report"
        # A post that leaves the precision out (an older page, a script) means to the day.
        self.fields["date_precision"].required = False
        self.fields["groups"].required = False
        self.fields["themes"].required = False

    def _reports(self, user, programme_id):
        """The outputs ``user`` may see, of the event's programme once it is known; the report
        already linked stays on offer, so saving never drops it silently."""
        output_model = Event._meta.get_field("report").related_model
        visible = permitted(user, "evidence.view_output")
        if programme_id is None:
            programmes = permitted(user, "events.add_event")
            return visible.filter(programme__in=programmes).order_by("title")
        offered = Q(pk__in=visible.filter(programme=programme_id).values("pk"))
        if self.instance.report_id is not None:
            offered |= Q(pk=self.instance.report_id)
        return output_model._default_manager.filter(offered).order_by("title")

    def clean_date_precision(self):
        return self.cleaned_data["date_precision"] or DatePrecision.DAY

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme") or getattr(self.instance, "programme", None)
        if programme is None:
            return cleaned
        report = cleaned.get("report")
        if report is not None and report.programme_id != programme.pk:
            self.add_error("report", f"Choose a report of {programme}.")
        for name in ("sites", "groups", "themes"):
            strangers = [r for r in cleaned.get(name) or [] if r.programme_id != programme.pk]
            if strangers:
                self.add_error(name, f"Choose only those of {programme}.")
        self.keep_locked_sites(cleaned)
        self.check_own_site(
            cleaned,
            may_have_none=self.user.has_perm("events.add_programme_wide_event", programme),
            not_yours="Choose at least one site whose events you may record.",
        )
        return cleaned


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """People by name where the rules allow it, by pseudonym otherwise."""

    def label_from_instance(self, person):
        if person.organisation_id:
            return f"{person.label} ({person.organisation})"
        return person.label


class AttendeesForm(forms.Form):
    attendees = PersonChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Named attendees",
        help_text="Tick the people of the programme who attended.",
    )

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["attendees"].queryset = attendance_choices_for_user(user=user, event=event)


class HeadCountForm(forms.Form):
    """One head count row; a row left blank is skipped. ``organisations`` and ``sites`` are the
    programme's, fetched once for all the rows."""

    organisation = FetchedChoiceField(required=False, empty_label="No organisation")
    site = FetchedChoiceField(required=False, empty_label="No site")
    count = forms.IntegerField(min_value=1, required=False, label="Head count")
    approximate = forms.BooleanField(required=False, label='Published as "about"')

    def __init__(self, *args, organisations, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.fields["organisation"].use(organisations)
        self.fields["site"].use(sites)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("site"):
            self.add_error("site", "Give an organisation or a site, not both.")
        if cleaned.get("count") is None and (cleaned.get("organisation") or cleaned.get("site")):
            self.add_error("count", "Give the head count, or clear the row.")
        return cleaned

    def head_count(self) -> HeadCount | None:
        if not self.cleaned_data.get("count"):
            return None
        return HeadCount(
            count=self.cleaned_data["count"],
            organisation=self.cleaned_data.get("organisation"),
            site=self.cleaned_data.get("site"),
            approximate=self.cleaned_data.get("approximate", False),
        )


class BaseHeadCountFormSet(forms.BaseFormSet):
    """The head counts of ``event``: its rows choose among the programme's organisations and
    sites, fetched once."""

    def __init__(self, *args, event, **kwargs):
        programme = event.programme_id
        choices = {
            "organisations": list(
                Organisation.objects.filter(programme=programme).order_by("name")
            ),
            "sites": list(CaseSite.objects.filter(programme=programme).order_by("name")),
        }
        super().__init__(*args, form_kwargs=choices, **kwargs)

    def head_counts(self) -> list[HeadCount]:
        return [c for form in self.forms if (c := form.head_count()) is not None]


# absolute_max: a posted TOTAL_FORMS beyond it is refused with a message instead of building
# Django's default 1,000 more forms (seconds of work for one request).
HeadCountFormSet = forms.formset_factory(
    HeadCountForm, formset=BaseHeadCountFormSet, extra=2, max_num=200, absolute_max=200
)


class FeedbackFormForm(forms.ModelForm):
    class Meta:
        model = FeedbackForm
        fields = ["title", "closes_at"]
        widgets = {
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }
        labels = {"closes_at": "Closes at (optional)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class FeedbackQuestionForm(forms.ModelForm):
    class Meta:
        model = FeedbackQuestion
        fields = ["kind", "text"]
        labels = {"kind": "Kind of question", "text": "Statement or question"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class FeedbackQuestionEditForm(FeedbackQuestionForm):
    """A question's wording, kind and place."""

    class Meta(FeedbackQuestionForm.Meta):
        fields = ["kind", "text", "position"]
        labels = {**FeedbackQuestionForm.Meta.labels, "position": "Position"}
        help_texts = {"position": "Questions are asked from the lowest position up."}


class FeedbackAnswersForm(forms.Form):
    """The public form: a fieldset of five radios per statement, a textarea per question."""

    # Left empty by people, filled in by form-filling robots; hidden from both sight and
    # screen readers by the "d-none" wrapper.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        names = []
        for question in self.questions:
            name = f"q{question.pk}"
            names.append(name)
            if question.kind == QuestionKind.LIKERT:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=LIKERT_CHOICES,
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(*names, Div("website", css_class="d-none"))
        self.helper.add_input(Submit("submit", "Send feedback"))

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(
            cleaned.get(f"q{question.pk}") not in (None, "") for question in self.questions
        ):
            raise forms.ValidationError("Answer at least one question before sending.")
        return cleaned

    def answers(self) -> dict[int, int | str | None]:
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions
        }
