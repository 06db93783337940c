"""The rule set, asked by every resource of the API (``accounts/rules.py``).

A list is the view's records cut down by its ``view_permission`` (``RecordViewSet``); an object
is reached through that list and asked ``has_perm`` again, so a record out of sight answers 404
like a missing one; a write asks the action's rule of the record (``write_permissions``), and a
write the rules refuse answers 404 too: missing and forbidden are one answer, so a program
learns nothing of what it may not change. A write whose action names no rule is a mistake of
the code, refused loudly rather than let through.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import exceptions, permissions


def write_rule(view) -> str:
    """The rule ``view``'s write action asks (of the record, or for a create of its parent)."""
    try:
        return view.write_permissions[view.action]
    except KeyError:
        raise ImproperlyConfigured(
            f"{type(view).__name__}.write_permissions names no rule for {view.action!r}."
        ) from None


class RulePermission(permissions.IsAuthenticated):
    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        # A method the view does not route (``action`` None) is answered 405 after this.
        if request.method not in permissions.SAFE_METHODS and view.action is not None:
            write_rule(view)
        return True

    def has_object_permission(self, request, view, obj):
        user = request.user
        if not user.has_perm(view.view_permission, obj):
            raise exceptions.NotFound()
        if request.method in permissions.SAFE_METHODS:
            return True
        if not user.has_perm(write_rule(view), obj):
            raise exceptions.NotFound()
        return True
