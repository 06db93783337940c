"""The rule set, asked by every resource of the API (``accounts/rules.py``).

A list is the view's records cut down by its ``view_permission`` (``RecordViewSet``); an object
is reached through that list and asked ``has_perm`` again, so a record out of sight answers 404
like a missing one; a write asks the action's rule of the record (``write_permissions``), and a
reader who may see the record but not do that gets 403, as on the pages.
"""

from rest_framework import exceptions, permissions


class RulePermission(permissions.IsAuthenticated):
    def has_object_permission(self, request, view, obj):
        user = request.user
        if not user.has_perm(view.view_permission, obj):
            raise exceptions.NotFound()
        perm = view.write_permissions.get(view.action)
        return perm is None or user.has_perm(perm, obj)
