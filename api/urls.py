"""The API, version 1: ``/api/v1/`` lists its resources; ``schema/`` is its OpenAPI 3 schema
and ``docs/`` its documentation page. A change that breaks clients would come as ``v2``
beside it."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api.views.docs import ApiDocsView
from api.views.events import EventViewSet, FeedbackFormViewSet
from api.views.evidence import ChangeViewSet, EvidenceItemViewSet, OutputViewSet
from api.views.exports import (
    ProgrammeExportCsvView,
    ProgrammeExportJsonView,
    SiteExportCsvView,
    SiteExportJsonView,
)
from api.views.figures import GroupFiguresView, ProgrammeFiguresView, SiteFiguresView, as_csv
from api.views.inquiries import (
    ActivityViewSet,
    CycleViewSet,
    GroupViewSet,
    MembershipViewSet,
    PersonViewSet,
    ResearchQuestionViewSet,
)
from api.views.reports import ReportRequestViewSet
from api.views.sites import CaseSiteViewSet, OrganisationViewSet, ProgrammeViewSet, ThemeViewSet

app_name = "api"

# Paths of Django's own syntax (``sites/<int:pk>/``), and no ``.json`` suffixes: the API
# answers JSON only.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("sites", CaseSiteViewSet, basename="site")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("themes", ThemeViewSet, basename="theme")
router.register("people", PersonViewSet, basename="person")
# Evidence, events and reports.
router.register("evidence", EvidenceItemViewSet, basename="evidence-item")
router.register("outputs", OutputViewSet, basename="output")
router.register("changes", ChangeViewSet, basename="change")
router.register("events", EventViewSet, basename="event")
router.register("feedback-forms", FeedbackFormViewSet, basename="feedback-form")
router.register("reports", ReportRequestViewSet, basename="report-request")
# The inquiries app: groups with their members, questions and cycles, and activities.
router.register("groups", GroupViewSet, basename="group")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("research-questions", ResearchQuestionViewSet, basename="research-question")
router.register("cycles", CycleViewSet, basename="cycle")
router.register("activities", ActivityViewSet, basename="activity")

# --- Figures and exports (h4): a dashboard's figures and an export page's datasets, of a
# record named by its id; each also at a ``.csv`` address, for a connector given a plain URL.
FIGURES = {"programme": ProgrammeFiguresView, "site": SiteFiguresView, "group": GroupFiguresView}
figures_urls = [
    route
    for level, plural in (("programme", "programmes"), ("site", "sites"), ("group", "groups"))
    for route in (
        path(
            f"{plural}/<int:pk>/figures/",
            FIGURES[level].as_view(),
            name=f"{level}-figures",
        ),
        path(
            f"{plural}/<int:pk>/figures.csv",
            as_csv(FIGURES[level]).as_view(),
            name=f"{level}-figures-csv",
        ),
    )
]
exports_urls = [
    path(
        "programmes/<int:pk>/exports/<slug:dataset>.csv",
        ProgrammeExportCsvView.as_view(),
        name="programme-export-csv",
    ),
    path(
        "programmes/<int:pk>/exports/<slug:dataset>.json",
        ProgrammeExportJsonView.as_view(),
        name="programme-export-json",
    ),
    path(
        "sites/<int:pk>/exports/<slug:dataset>.csv",
        SiteExportCsvView.as_view(),
        name="site-export-csv",
    ),
    path(
        "sites/<int:pk>/exports/<slug:dataset>.json",
        SiteExportJsonView.as_view(),
        name="site-export-json",
    ),
]
# --- end of figures and exports (h4)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    *figures_urls,
    *exports_urls,
    path("", include(router.urls)),
]
