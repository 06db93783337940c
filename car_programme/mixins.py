"""View mixins shared by the apps' pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
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
