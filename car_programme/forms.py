"""Form pieces that every app's forms share: the date picker, type-ahead pickers, a date range,
and a choice among records fetched once."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError


def submit_helper(submit_label: str) -> FormHelper:
    """crispy's helper for a form that draws its own tag and one submit button, with the
    browser's own checks off: the server says what is wrong, in plain words, beside the field."""
    helper = FormHelper()
    helper.form_tag = True
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", submit_label))
    return helper


class DateInput(forms.DateInput):
    """The browser's date picker; the value is written ISO, the one form the picker reads."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class Picker(forms.Select):
    """A choice of one record that filters as one types (static/js/pickers.js, Tom Select);
    a plain select without JavaScript."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select", "data-picker": "", **(attrs or {})}, choices)


class MultiplePicker(forms.SelectMultiple):
    """A choice of several records that filters as one types; a plain multiple select (Ctrl
    or Cmd to pick more than one) without JavaScript."""

    def __init__(self, attrs=None, choices=()):
        attrs = {"class": "form-select", "data-picker": "", "size": 6, **(attrs or {})}
        super().__init__(attrs, choices)


def optional_date(label: str | None = None, **kwargs) -> forms.DateField:
    """A date that may be left empty, picked in the browser."""
    return forms.DateField(label=label, required=False, widget=DateInput(), **kwargs)


class DateRangeMixin:
    """A form with a start and an end date (``date_range`` names their fields) whose end may
    not come before its start; ``date_range_error`` then stands next to the end."""

    date_range = ("start", "end")
    date_range_error = "The end of the date range comes before its start."

    def clean(self):
        cleaned = super().clean()
        start_name, end_name = self.date_range
        start, end = cleaned.get(start_name), cleaned.get(end_name)
        if start and end and end < start:
            self.add_error(end_name, self.date_range_error)
        return cleaned


class FetchedChoiceField(forms.ChoiceField):
    """A choice among records fetched once (``use(records)``) and shared, as the rows of a
    formset share them: a posted row finds its record among them instead of querying for it,
    so a formset of any size costs the same queries. Answers the record, or None."""

    def __init__(self, *, empty_label: str, **kwargs):
        self.empty_label = empty_label
        self.records = {}
        super().__init__(choices=[("", empty_label)], **kwargs)

    def use(self, records) -> None:
        self.records = {str(record.pk): record for record in records}
        self.choices = [("", self.empty_label), *((pk, str(r)) for pk, r in self.records.items())]

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if value not in self.records:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return self.records[value]

    def validate(self, value):
        # The choice itself was checked by to_python; only "required" is left.
        forms.Field.validate(self, value)

    def has_changed(self, initial, data) -> bool:
        return str(getattr(initial, "pk", initial) or "") != str(data or "")
