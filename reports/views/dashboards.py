"""Dashboards of a programme, a site and a group, read one section at a time.

What a dashboard is about is fetched through the rule set (``reports.view_*_dashboard``, in
``reports.selectors``), so another site's dashboard answers 404; the panels come from
``reports.dashboards``. Every chart and table downloads as CSV from the same URL
(``?chart=<slug>&format=csv``), through the same fetch and the same filters as the page.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import path, reverse
from django.views.generic import TemplateView

from car_programme.files import attachment_response
from reports.dashboards import DASHBOARD_SECTIONS, SECTION_SLUGS, dashboard_build
from reports.enums import ReportKind
from reports.forms import DashboardFilterForm
from reports.kinds import KINDS
from reports.metrics import MetricScope
from reports.selectors import (
    dashboard_group_get,
    dashboard_index,
    dashboard_programme_get,
    dashboard_site_get,
    dashboard_sites_for_user,
)

# Parameters that choose what is shown rather than filter it: left out of the links that keep
# the filters from one section (or download) to the next.
_NOT_FILTERS = ("section", "chart", "format")


class DashboardIndexView(LoginRequiredMixin, TemplateView):
    template_name = "reports/dashboard_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(entries=dashboard_index(user=self.request.user), **kwargs)


# Beyond this many sites the programme dashboard links to the dashboards page, not to each.
SITE_LINKS_SHOWN = 12


class _DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "reports/dashboard.html"
    level = ""

    def fetch(self):
        """The programme, site or group, and the sites the site filter offers (or None)."""
        raise NotImplementedError

    def scope_for(self, start, end, site) -> MetricScope:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.target, sites = self.fetch()
        section = request.GET.get("section")
        if section not in SECTION_SLUGS:
            section = SECTION_SLUGS[0]
        has_filter = any(request.GET.get(name) for name in ("start", "end", "site"))
        # A programme has no programme attribute: it is the programme.
        programme = getattr(self.target, "programme", self.target)
        data = request.GET if has_filter else None
        form = DashboardFilterForm(data, sites=sites, programme=programme)
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        scope = self.scope_for(cleaned.get("start"), cleaned.get("end"), cleaned.get("site"))
        dashboard = dashboard_build(scope=scope, section=section)
        if request.GET.get("format") == "csv":
            return self.csv(dashboard, request.GET.get("chart", ""))
        filters = request.GET.copy()
        for name in _NOT_FILTERS:
            filters.pop(name, None)
        context = self.get_context_data(
            target=self.target,
            level=self.level,
            report_url=self.report_url(),
            scope=scope,
            form=form,
            dashboard=dashboard,
            sections=DASHBOARD_SECTIONS,
            filters=filters.urlencode(),
            site_links=self.site_links(sites),
            **kwargs,
        )
        return self.render_to_response(context)

    @staticmethod
    def site_links(sites) -> list | None:
        """The sites whose dashboards the page links to: none when there are more than a line
        holds (a national programme's hundreds are found through the filter and the
        dashboards page)."""
        if sites is None:
            return None
        first = list(sites[: SITE_LINKS_SHOWN + 1])
        return first if len(first) <= SITE_LINKS_SHOWN else []

    # The report a dashboard leads to, by level: the same figures, in a document.
    REPORT_KINDS = {
        "programme": ReportKind.END_OF_PROGRAMME,
        "site": ReportKind.SITE,
        "group": ReportKind.GROUP_LEARNING,
    }

    def report_url(self) -> str | None:
        """The request page of this dashboard's report, where the reader may request it."""
        spec = KINDS[self.REPORT_KINDS[self.level]]
        if not self.request.user.has_perm(spec.target.request_permission, self.target):
            return None
        return reverse("reports:report_request", args=[spec.kind, self.target.pk])

    def csv(self, dashboard, slug):
        table = dashboard.table(slug)
        if table is None:
            raise Http404("No such chart on this dashboard.")
        return attachment_response(
            table.to_csv(), filename=f"{slug}.csv", content_type="text/csv; charset=utf-8"
        )


class ProgrammeDashboardView(_DashboardView):
    level = "programme"

    def fetch(self):
        user = self.request.user
        programme = dashboard_programme_get(user=user, slug=self.kwargs["programme"])
        return programme, dashboard_sites_for_user(user=user, programme=programme)

    def scope_for(self, start, end, site):
        return MetricScope(programme=self.target, site=site, start=start, end=end)


class SiteDashboardView(_DashboardView):
    level = "site"

    def fetch(self):
        site = dashboard_site_get(
            user=self.request.user,
            programme_slug=self.kwargs["programme"],
            slug=self.kwargs["site"],
        )
        return site, None

    def scope_for(self, start, end, site):
        return MetricScope(programme=self.target.programme, site=self.target, start=start, end=end)


class GroupDashboardView(_DashboardView):
    level = "group"

    def fetch(self):
        group = dashboard_group_get(
            user=self.request.user, programme_slug=self.kwargs["programme"], pk=self.kwargs["pk"]
        )
        return group, None

    def scope_for(self, start, end, site):
        return MetricScope(programme=self.target.programme, group=self.target, start=start, end=end)


urlpatterns = [
    path("dashboards/", DashboardIndexView.as_view(), name="dashboard_index"),
    path(
        "dashboards/<slug:programme>/",
        ProgrammeDashboardView.as_view(),
        name="programme_dashboard",
    ),
    path(
        "dashboards/<slug:programme>/sites/<slug:site>/",
        SiteDashboardView.as_view(),
        name="site_dashboard",
    ),
    path(
        "dashboards/<slug:programme>/groups/<int:pk>/",
        GroupDashboardView.as_view(),
        name="group_dashboard",
    ),
]
