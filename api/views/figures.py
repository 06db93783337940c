"""The figures of a programme's, a site's or a group's dashboard, for spreadsheets and boards.

The same figures as the dashboard pages (``reports.views.dashboards``): the target is read
through the same rule (``reports.view_*_dashboard``, so another site's figures answer 404),
its scope is the page's (``MetricScope`` of the target, kept to ``?start=&end=`` by the page's
``DashboardFilterForm``, and on a programme to the ``?site=`` it offers), and each section is
built by ``reports.dashboards.dashboard_build``, cached as the page's is. The rows are the
cells of its charts and tables, laid out flat (``api.serializers.figures``), as JSON or CSV.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from api.renderers import CSVRenderer, ErrorsAsJsonMixin
from api.serializers.figures import FigureSerializer, figure_rows, figures_table
from car_programme.files import attachment_response
from reports.dashboards import SECTION_SLUGS, dashboard_build
from reports.forms import DashboardFilterForm
from reports.metrics import MetricScope
from reports.selectors import dashboard_sites_for_user, dashboard_target_by_id

RANGE = [
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description="Count only records from this day on."
    ),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Count only records up to this day."),
]
CHOICE = [
    OpenApiParameter(
        "section",
        str,
        enum=list(SECTION_SLUGS),
        description="Only this section of the dashboard (all five otherwise).",
    ),
    OpenApiParameter(
        "table", str, description="Only this chart or table (``?chart=`` of the page's CSV)."
    ),
]
SITE = OpenApiParameter(
    "site", int, description="Only this site of the programme (one whose dashboard you may read)."
)
CSV_TYPE = "text/csv; charset=utf-8"


CSV_ROWS = OpenApiResponse(OpenApiTypes.STR, description="The same rows as CSV, with a header row.")


def _schema(level: str, *, site: bool = False, csv_only: bool = False):
    responses = {(200, "text/csv"): CSV_ROWS}
    if not csv_only:
        responses = {(200, "application/json"): FigureSerializer(many=True), **responses}
    return extend_schema(
        operation_id=f"{level}_figures{'_csv' if csv_only else ''}",
        summary=f"The figures of a {level}'s dashboard{' as CSV' if csv_only else ''}",
        parameters=[*RANGE, *([SITE] if site else []), *CHOICE],
        responses=responses,
        tags=["figures"],
    )


def as_csv(view: type[APIView]) -> type[APIView]:
    """``view`` at its ``.csv`` path: CSV whatever the request accepts, for a connector that
    is given a plain address."""
    schema = _schema(view.level, site=view.level == "programme", csv_only=True)
    return with_schema(view, schema, name=f"{view.__name__}Csv", renderer_classes=[CSVRenderer])


def with_schema(base: type[APIView], schema, *, name: str, **attributes) -> type[APIView]:
    """A subclass of ``base`` with ``attributes``, whose ``GET`` the ``schema`` decorator
    describes (drf-spectacular takes a decorated class for a viewset's)."""

    def get(self, request, *args, **kwargs):
        return base.get(self, request, *args, **kwargs)

    return type(name, (base,), {**attributes, "get": schema(get)})


class _FiguresView(ErrorsAsJsonMixin, APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]
    level = ""

    def scope_for(self, target, cleaned) -> MetricScope:
        raise NotImplementedError

    def sites(self, target):
        """The sites a programme's figures may be cut to (None: no site filter)."""
        return None

    def get(self, request, pk, format=None):
        target = dashboard_target_by_id(user=request.user, level=self.level, pk=pk)
        # A programme has no programme attribute: it is the programme.
        programme = getattr(target, "programme", target)
        query = request.query_params
        form = DashboardFilterForm(query, sites=self.sites(target), programme=programme)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        section = query.get("section")
        if section and section not in SECTION_SLUGS:
            raise exceptions.ValidationError(
                {"section": [f"Choose one of: {', '.join(SECTION_SLUGS)}."]}
            )
        scope = self.scope_for(target, form.cleaned_data)
        rows = [
            row
            for slug in ([section] if section else SECTION_SLUGS)
            for row in figure_rows(dashboard_build(scope=scope, section=slug))
            if not query.get("table") or row.table == query["table"]
        ]
        absolute = _absolute(request)
        if request.accepted_renderer.format == "csv":
            filename = f"{self.level}-{target.pk}-figures_{timezone.localdate().isoformat()}.csv"
            return attachment_response(
                figures_table(rows, absolute=absolute).to_csv(),
                filename=filename,
                content_type=CSV_TYPE,
            )
        return Response(FigureSerializer(rows, many=True, context={"absolute": absolute}).data)


def form_errors(form) -> dict[str, list[str]]:
    """The form's messages as the API says a field's errors (``non_field_errors`` for the
    form's own)."""
    return {
        api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: list(messages)
        for field, messages in form.errors.items()
    }


def _absolute(request):
    return lambda url: request.build_absolute_uri(url) if url else None


class ProgrammeFiguresView(_FiguresView):
    """Every figure of a programme's dashboard, a row per cell of its charts and tables: the
    programme's managers and researchers read them. ``?site=`` cuts them to one site, as the
    dashboard's site filter does."""

    level = "programme"

    def sites(self, target):
        return dashboard_sites_for_user(user=self.request.user, programme=target)

    def scope_for(self, target, cleaned):
        return MetricScope(
            programme=target, site=cleaned.get("site"), start=cleaned["start"], end=cleaned["end"]
        )

    @_schema("programme", site=True)
    def get(self, request, pk, format=None):
        return super().get(request, pk, format)


class SiteFiguresView(_FiguresView):
    """Every figure of a case site's dashboard, a row per cell of its charts and tables."""

    level = "site"

    def scope_for(self, target, cleaned):
        return MetricScope(
            programme=target.programme, site=target, start=cleaned["start"], end=cleaned["end"]
        )

    @_schema("site")
    def get(self, request, pk, format=None):
        return super().get(request, pk, format)


class GroupFiguresView(_FiguresView):
    """Every figure of an inquiry group's dashboard, a row per cell of its charts and tables
    (the figures comparing groups are the site's and the programme's)."""

    level = "group"

    def scope_for(self, target, cleaned):
        return MetricScope(
            programme=target.programme, group=target, start=cleaned["start"], end=cleaned["end"]
        )

    @_schema("group")
    def get(self, request, pk, format=None):
        return super().get(request, pk, format)
