"""Data exports: a page listing what a user may download, and the downloads themselves.

The target (a programme or one of its sites) is fetched through the rule set, so another
programme's or site's export answers 404; the rows are cut in ``reports.exports``.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import path
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
    xlsx_file,
)


class _TargetMixin(LoginRequiredMixin):
    def get_target(self):
        return export_target_get(
            user=self.request.user,
            programme_slug=self.kwargs["programme"],
            site_slug=self.kwargs.get("site"),
        )


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
            target=target, datasets=DATASETS.values(), formats=FORMATS, sites=sites, **kwargs
        )


class ExportDownloadView(_TargetMixin, View):
    def get(self, request, **kwargs):
        dataset = DATASETS.get(kwargs["dataset"])
        extension = kwargs["extension"]
        if dataset is None or extension not in FORMATS:
            raise Http404("No such export.")
        target = self.get_target()
        table = export_table(dataset=dataset, user=request.user, target=target)
        filename = target.filename(dataset.slug, extension, timezone.localdate())
        content = csv_lines(table) if extension == "csv" else xlsx_file(table, title=dataset.title)
        return attachment_response(content, filename=filename, content_type=FORMATS[extension])


urlpatterns = [
    path("exports/", ExportIndexView.as_view(), name="export_index"),
    path("exports/<slug:programme>/", ExportListView.as_view(), name="programme_exports"),
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
        "exports/<slug:programme>/sites/<slug:site>/<slug:dataset>.<str:extension>",
        ExportDownloadView.as_view(),
        name="site_export",
    ),
]
