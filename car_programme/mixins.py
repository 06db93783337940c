"""View mixins shared by the apps' pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rules.contrib.views import PermissionRequiredMixin


class FetchObjectMixin(LoginRequiredMixin):
    """Fetch the record once, through its selector (404 when missing or not visible)."""

    fetch = None  # a selector taking ``user`` and ``pk``

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            self._object = type(self).fetch(user=self.request.user, pk=self.kwargs["pk"])
        return self._object


class EditObjectMixin(FetchObjectMixin, PermissionRequiredMixin):
    """Asks the view's rule on the record (403 for a reader who may not edit it)."""


class ObjectActionMixin(LoginRequiredMixin):
    """A view acting on one object: 404 when it is out of sight, 403 when only readable."""

    view_permission: str
    action_permission: str

    def fetch(self, request, pk):
        raise NotImplementedError

    def permission_object(self):
        """The record ``action_permission`` is asked of: the object itself unless overridden."""
        return self.object

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.fetch(request, kwargs["pk"])
        if not request.user.has_perm(self.action_permission, self.permission_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
