"""What the inquiries pages share: fetching through the rules, keeping what was typed."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.rules import permitted


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


class GroupEditMixin(LoginRequiredMixin):
    """A view that changes a group's records.

    A group out of the user's sight answers 404; one they may read but not change, 403.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.group = get_object_or_404(
            permitted(request.user, "inquiries.view_inquirygroup").select_related("programme"),
            pk=kwargs["group_pk"],
        )
        if not request.user.has_perm("inquiries.change_inquirygroup", self.group):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
