"""Form pieces that every app's forms share: the date picker, type-ahead pickers, a date range,
and a choice among records fetched once."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


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


class _OptionsInPython:
    """A select whose options are written in Python rather than by a template each: an option
    template costs about a tenth of a millisecond, and a picker of a national programme's
    people or sites holds thousands (320 sites took 34 ms, three times a whole simple page).
    The markup is the one Django's templates write."""

    def render(self, name, value, attrs=None, renderer=None):
        # The widget's name, attributes and values as strings, without an option dict each.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        chosen = {str(v) for v in widget["value"]}
        groups = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                options = "\n".join(self._option(*choice, chosen) for choice in group_label)
                groups.append(f'<optgroup label="{escape(group_value)}">{options}</optgroup>')
            else:
                groups.append(self._option(group_value, group_label, chosen))
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("\n".join(groups)),  # each value and label escaped
        )

    def _option(self, value, label, chosen: set[str]) -> str:
        value = "" if value is None else str(value)
        # A single select marks its first match only, as Django's does.
        selected = value in chosen
        if selected and not self.allow_multiple_selected:
            chosen.clear()
        # Plain escapes: format_html's checks, a thousand times over, cost as much as the rest.
        marked = " selected" if selected else ""
        return f'<option value="{escape(value)}"{marked}>{escape(label)}</option>'


class Picker(_OptionsInPython, forms.Select):
    """A choice of one record that filters as one types (static/js/pickers.js, Tom Select);
    a plain select without JavaScript."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select", "data-picker": "", **(attrs or {})}, choices)


class MultiplePicker(_OptionsInPython, forms.SelectMultiple):
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
