"""Spreadsheet imports: upload, preview every row with its errors, then import all or nothing.

Between the preview and the import the file is kept in the user's session, so the user does
not choose it twice and the import reads exactly what was previewed.
"""

import base64

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from car_programme.exceptions import DomainError
from car_programme.files import attachment_response
from car_programme.mixins import ProgrammeChoiceMixin, RecordMixin
from car_programme.params import parse_id
from car_programme.words import counted
from inquiries.forms import AttendanceImportForm, PeopleImportForm
from inquiries.imports import (
    attendance_import,
    attendance_import_preview,
    import_template,
    people_import,
    people_import_preview,
)
from inquiries.selectors import activity_get_for_user
from sites.selectors import sites_editable_by


def _keep(request, key: str, content: bytes, target: int) -> None:
    request.session[key] = {"target": target, "content": base64.b64encode(content).decode()}


def _kept(request, key: str, target: int) -> bytes | None:
    kept = request.session.get(key)
    if not kept or kept["target"] != target:
        return None
    return base64.b64decode(kept["content"])


class ImportFlowMixin:
    """Upload -> preview (POST with a file) -> import (POST with ``confirm``)."""

    session_key: str
    template_name = "inquiries/import.html"

    def handle(self, request, form, target: int, preview_fn, import_fn):
        if "confirm" in request.POST:
            content = _kept(request, self.session_key, target)
            if content is None:
                messages.error(request, "The previewed file has expired: choose it again.")
                return self.render(form)
            try:
                imported = import_fn(content)
            except DomainError as error:
                messages.error(request, str(error))
                return self.render(form, status=400)
            request.session.pop(self.session_key, None)
            rows = counted(len(imported.rows), "row")
            messages.success(request, f"Imported {rows}: {', '.join(imported.summary)}.")
            return redirect(self.success_url())
        if not form.is_valid():
            return self.render(form, status=400)
        content = form.cleaned_data["file"].read()
        try:
            preview = preview_fn(content)
        except DomainError as error:
            form.add_error("file", str(error))
            return self.render(form, status=400)
        _keep(request, self.session_key, content, target)
        return self.render(form, preview=preview, status=200 if preview.is_valid else 400)


class PeopleImportView(LoginRequiredMixin, ProgrammeChoiceMixin, ImportFlowMixin, View):
    session_key = "people_import"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sites_editable_by(user=request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None, files=None):
        sites = sites_editable_by(user=self.request.user).filter(programme=self.programme)
        return PeopleImportForm(data, files, sites=sites)

    def get(self, request):
        return self.render(self.make_form())

    def post(self, request):
        form = self.make_form(request.POST, request.FILES)
        site_pk = parse_id(request.POST.get("site"))
        site = sites_editable_by(user=request.user).filter(pk=site_pk).first() if site_pk else None
        if site is None:
            form.is_valid()  # puts the site's error next to the field
            return self.render(form, status=400)
        return self.handle(
            request,
            form,
            site.pk,
            lambda content: people_import_preview(site=site, content=content),
            lambda content: people_import(site=site, content=content, by=request.user),
        )

    def render(self, form, preview=None, status=200):
        context = {
            "form": form,
            "preview": preview,
            "title": "Import people",
            "template_url": reverse("inquiries:people_import_template"),
        }
        return render(self.request, self.template_name, context, status=status)

    def success_url(self):
        return "inquiries:person_list"


class AttendanceImportView(RecordMixin, ImportFlowMixin, View):
    fetch = staticmethod(activity_get_for_user)
    permission = "inquiries.change_activity"
    session_key = "attendance_import"

    def get(self, request, pk):
        return self.render(AttendanceImportForm())

    def post(self, request, pk):
        activity = self.object
        return self.handle(
            request,
            AttendanceImportForm(request.POST, request.FILES),
            activity.pk,
            lambda content: attendance_import_preview(activity=activity, content=content),
            lambda content: attendance_import(activity=activity, content=content, by=request.user),
        )

    def render(self, form, preview=None, status=200):
        context = {
            "form": form,
            "preview": preview,
            "activity": self.object,
            "title": f"Import attendance of {self.object}",
            "template_url": reverse("inquiries:attendance_import_template"),
        }
        return render(self.request, self.template_name, context, status=status)

    def success_url(self):
        return self.object


class ImportTemplateView(LoginRequiredMixin, View):
    """The CSV file to fill in for an import: its header row and one example row."""

    columns: list[str] = []
    example: dict[str, str] = {}
    filename = ""

    def get(self, request):
        content = import_template(columns=self.columns, example=self.example)
        return attachment_response(
            content, filename=self.filename, content_type="text/csv; charset=utf-8"
        )
