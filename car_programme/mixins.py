"""View mixins and views shared by the apps' pages: reaching a record, saving a form through a
service, deleting a record, downloading its file, and choosing the programme of a new one."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views import View
from django.views.generic import DetailView

from accounts.selectors import api_token_by_secret, api_token_refusal
from accounts.services import api_token_used
from car_programme.exceptions import DomainError
from car_programme.files import stored_file_response
from sites.models import Programme
from sites.selectors import sites_editable_by


class RecordMixin(LoginRequiredMixin):
    """A page of one record, fetched once, before anything else, as ``self.object``.

    ``fetch`` is the record's ``*_get_for_user`` selector (taking ``user`` and ``pk``), which
    applies the record's view rule: a record missing or out of sight answers 404, so an id
    reveals nothing. ``permission``, when set, is then asked of ``permission_object()`` (the
    record unless overridden): a reader who may see the record but not do this answers 403.
    """

    fetch = None
    permission = ""
    pk_url_kwarg = "pk"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_record()
        if self.permission and not request.user.has_perm(self.permission, self.permission_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_record(self):
        return self.fetch(user=self.request.user, pk=self.kwargs[self.pk_url_kwarg])

    def permission_object(self):
        return self.object

    def get_object(self, queryset=None):
        # Django's generic views ask for the object again: it is the one fetched above.
        return self.object


class ServiceFormMixin:
    """A form whose valid data go to one service call, ``save(form)``, then to another page.

    A ``DomainError`` the service raises is shown on the form (next to ``error_field``, or above
    the fields), and a ``ValidationError`` of the model's own checks next to the fields it names,
    with what the user typed, as ``form_invalid`` shows any invalid form, answering
    ``invalid_status``. The saved record is ``self.saved``: ``success_message`` names it as
    ``%(title)s``, and the page it leads to is its own unless ``get_success_url`` says otherwise.
    """

    success_message = ""
    error_field: str | None = None
    invalid_status = 200

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.saved = self.save(form)
        except DomainError as error:
            form.add_error(self.error_field, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=self.invalid_status)

    def get_success_message(self) -> str:
        return self.success_message % {"title": self.saved}

    def get_success_url(self) -> str:
        return self.saved.get_absolute_url()


class RecordDeleteView(RecordMixin, DetailView):
    """A confirmation page (``<app>/<model>_confirm_delete.html``) on GET; on POST the app's
    delete service (``delete_record``), then ``success_url``.

    A ``DomainError`` the service raises (something still refers to the record) is said by
    ``refused``: by default as a message on the confirmation page again.
    """

    template_name_suffix = "_confirm_delete"
    success_message = "“%(title)s” was deleted."
    success_url = None

    def delete_record(self) -> None:
        raise NotImplementedError

    def get_success_url(self) -> str:
        return str(self.success_url)

    def label(self) -> str:
        """The record as the message names it once it is deleted."""
        return str(self.object)

    def post(self, request, *args, **kwargs):
        # Both are read before the record goes.
        title, url = self.label(), self.get_success_url()
        try:
            self.delete_record()
        except DomainError as error:
            return self.refused(error)
        messages.success(request, self.success_message % {"title": title})
        return HttpResponseRedirect(url)

    def refused(self, error: DomainError):
        messages.error(self.request, str(error))
        return HttpResponseRedirect(self.request.path)


class RecordFileView(RecordMixin, View):
    """A record's stored file (its field ``file_field``), downloaded as ``stored_file_response``
    names it: by ``file_title()``, the record's title unless overridden.

    A program reading the API follows the file links it is given with its personal token
    (``Authorization: Bearer``), under the same rules as the signed-in browser: the token's
    user is the request's. A token that is unknown, revoked or expired signs no one in."""

    file_field = "file"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            token = _bearer_token(request)
            if token is not None:
                api_token_used(token=token)
                # Marks the request for the session middleware: a token is no sign-in.
                request.api_token = token
                request.user = token.user
        return super().dispatch(request, *args, **kwargs)

    def file_title(self) -> str:
        return self.object.title

    def get(self, request, *args, **kwargs):
        stored = getattr(self.object, self.file_field)
        return stored_file_response(stored, title=self.file_title())


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
        # An archived programme is offered to nobody, superusers included (who may write in it).
        programmes = self.programmes_to_add_in().filter(archived_at__isnull=True).order_by("name")
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


def _bearer_token(request):
    """The valid API token the request names in its Authorization header, if any."""
    words = request.headers.get("Authorization", "").split()
    if len(words) != 2 or words[0].lower() not in ("bearer", "token"):
        return None
    token = api_token_by_secret(words[1])
    return None if api_token_refusal(token) else token
