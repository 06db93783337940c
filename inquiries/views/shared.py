"""What the inquiries pages share: a group's records reached through the rules, keeping what was
typed."""

from django import forms

from car_programme.mixins import RecordMixin
from inquiries.selectors import group_get_for_user


def _initial_from(data, files, form_class) -> dict:
    """What the user typed, as a form's initial values: kept without showing errors yet."""
    initial = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = field.widget.value_from_datadict(data, files, name)
        if value not in (None, "", []):
            initial[name] = value
    return initial


class GroupEditMixin(RecordMixin):
    """A view that changes a group's records, from a URL naming the group (``group_pk``).

    A group out of the user's sight answers 404; one they may read but not change, 403.
    """

    fetch = staticmethod(group_get_for_user)
    permission = "inquiries.change_inquirygroup"
    pk_url_kwarg = "group_pk"

    @property
    def group(self):
        return self.object
