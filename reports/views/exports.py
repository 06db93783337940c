"""Data exports: a page listing what a user may download, and the downloads themselves.

The target (a programme or one of its sites) is fetched through the rule set, so another
programme's or site's export answers 404; the rows are cut in ``reports.exports``. The page's
date range (``?start=&end=``) travels with its download links; a download whose range does not
validate goes back to the page, which says what is wrong beside the field.
"""

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from car_programme.files import attachment_response
from reports.exports import (
    DATASETS,
    FORMATS,
    csv_lines,
    export_table,
    export_target_get,
    export_targets_for_user,
    export_workbook,
    xlsx_file,
)
from reports.forms import DateRangeForm

_RANGE = ("start", "end")


class _TargetMixin(LoginRequiredMixin):
    def get_target(self):
        """The target through the rule set, kept to the range of a valid ``self.form``."""
        target = export_target_get(
            user=self.request.user,
            programme_slug=self.kwargs["programme"],
            site_slug=self.kwargs.get("site"),
        )
        query = self.request.GET
        data = query if any(query.get(name) for name in _RANGE) else None
        self.form = DateRangeForm(data, programme=target.programme)
        if self.form.is_bound and self.form.is_valid():
            return target.between(self.form.cleaned_data["start"], self.form.cleaned_data["end"])
        return target

    def range_query(self) -> str:
        """The range as given, as the page's links carry it on."""
        return urlencode(
            {name: self.request.GET[name] for name in _RANGE if self.request.GET.get(name)}
        )

    def back_to_page(self, target):
        """The export page with the range as given, which explains what is wrong with it."""
        if target.site is None:
            url = reverse("reports:programme_exports", args=[target.programme.slug])
        else:
            url = reverse("reports:site_exports", args=[target.programme.slug, target.site.slug])
        return HttpResponseRedirect(f"{url}?{self.range_query()}")


class ExportIndexView(LoginRequiredMixin, TemplateView):
    template_name = "reports/exports_index.html"

    def get_context_data(self, **kwargs):
        programmes, sites = export_targets_for_user(user=self.request.user)
        return super().get_context_data(programmes=programmes, sites=sites, **kwargs)


class ExportListView(_TargetMixin, TemplateView):
    template_name = "reports/exports_list.html"

    def get_context_data(self, **kwargs):
        target = self.get_target()
        sites = None
        if target.site is None:
            sites = export_targets_for_user(user=self.request.user)[1].filter(
                programme=target.programme
            )
        return super().get_context_data(
            target=target,
            form=self.form,
            range_query="" if self.form.errors else self.range_query(),
            datasets=DATASETS.values(),
            formats=FORMATS,
            sites=sites,
            **kwargs,
        )


class ExportDownloadView(_TargetMixin, View):
    def get(self, request, **kwargs):
        dataset = DATASETS.get(kwargs["dataset"])
        extension = kwargs["extension"]
        if dataset is None or extension not in FORMATS:
            raise Http404("No such export.")
        target = self.get_target()
        if self.form.errors:
            return self.back_to_page(target)
        table = export_table(dataset=dataset, user=request.user, target=target)
        filename = target.filename(extension, today=timezone.localdate(), dataset=dataset.slug)
        content = csv_lines(table) if extension == "csv" else xlsx_file(table, title=dataset.title)
        return attachment_response(content, filename=filename, content_type=FORMATS[extension])


class ExportWorkbookView(_TargetMixin, View):
    def get(self, request, **kwargs):
        target = self.get_target()
        if self.form.errors:
            return self.back_to_page(target)
        workbook = export_workbook(
            user=request.user, target=target, datasets=DATASETS.values(), now=timezone.now()
        )
        filename = target.filename("xlsx", today=timezone.localdate())
        return attachment_response(workbook, filename=filename, content_type=FORMATS["xlsx"])


# The workbook's routes come before the datasets', whose "<dataset>.<extension>" would read
# "workbook.xlsx" as a dataset called "workbook".
urlpatterns = [
    path("exports/", ExportIndexView.as_view(), name="export_index"),
    path("exports/<slug:programme>/", ExportListView.as_view(), name="programme_exports"),
    path(
        "exports/<slug:programme>/workbook.xlsx",
        ExportWorkbookView.as_view(),
        name="programme_workbook_export",
    ),
    path(
        "exports/<slug:programme>/<slug:dataset>.<str:extension>",
        ExportDownloadView.as_view(),
        name="programme_export",
    ),
    path(
        "exports/<slug:programme>/sites/<slug:site>/",
        ExportListView.as_view(),
        name="site_exports",
    ),
    path(
        "exports/<slug:programme>/sites/<slug:site>/workbook.xlsx",
        ExportWorkbookView.as_view(),
        name="site_workbook_export",
    ),
    path(
        "exports/<slug:programme>/sites/<slug:site>/<slug:dataset>.<str:extension>",
        ExportDownloadView.as_view(),
        name="site_export",
    ),
]
