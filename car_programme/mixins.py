"""View mixins shared by the apps' pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from rules.contrib.views import PermissionRequiredMixin

from sites.models import Programme
from sites.selectors import sites_editable_by


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


class ProgrammeChoiceMixin:
    """A page that creates a record in one programme, and offers only that programme's records.

    The programme is the only one the user may add to, or the one the page names
    (``?programme=<id>``, kept by the form's post); with several and none named, the page asks
    which first. So a form never offers two programmes' records side by side, however alike
    their names. Place after the sign-in and permission mixins.
    """

    programme_choice_template = "programme_choice.html"

    def programmes_to_add_in(self) -> QuerySet:
        """The programmes in which the user may create this record: by default, those with a
        site whose records the user may change."""
        sites = sites_editable_by(user=self.request.user)
        return Programme.objects.filter(sites__in=sites).distinct()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        programmes = self.programmes_to_add_in().order_by("name")
        named = request.GET.get("programme", "")
        if named:
            # Anything but an id of reasonable length names no programme (and no 500).
            valid = named.isdigit() and len(named) <= 18
            self.programme = programmes.filter(pk=named).first() if valid else None
            if self.programme is None:
                raise Http404("No such programme among yours.")
        else:
            choices = list(programmes[:2])
            self.programme = choices[0] if len(choices) == 1 else None
            if len(choices) > 1:
                context = {"programmes": programmes, "path": request.path}
                return render(request, self.programme_choice_template, context)
        return super().dispatch(request, *args, **kwargs)
