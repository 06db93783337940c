"""Form pieces that every app's forms share: the date picker and a date range."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; the value is written ISO, the one form the picker reads."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


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
