"""The export pages' datasets through the API: a programme's or a site's records as CSV or JSON.

One definition serves both doors (``reports.exports``): the target is read through the
export rules (``reports.export_programme``, ``reports.export_site``: 404 when refused), kept to
``?start=&end=`` by the page's ``DateRangeForm``, and laid out by ``export_table`` for the
user, who loses here the cells the page hides from them. The CSV is the page's, byte for
byte (``csv_lines``, with its BOM for Excel, and the page's file name); the JSON is the same
rows as objects keyed by the CSV's headers, streamed as they are read.
"""

import json

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from api.renderers import CSVRenderer, ErrorsAsJsonMixin
from api.views.figures import RANGE, form_errors, with_schema
from car_programme.files import attachment_response
from reports.exports import (
    DATASETS,
    FORMATS,
    csv_lines,
    export_table,
    export_target_by_id,
)
from reports.forms import DateRangeForm

DATASET = OpenApiParameter(
    "dataset",
    str,
    OpenApiParameter.PATH,
    enum=list(DATASETS),
    description="The dataset, as the export page lists them.",
)
ROWS = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": True,
        "description": "A row: each column's header and its cell (text, number, date or null).",
    },
}


def _schema(level: str, extension: str):
    if extension == "csv":
        responses = {
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="The export page's CSV of the dataset."
            )
        }
    else:
        responses = {(200, "application/json"): OpenApiResponse(ROWS)}
    return extend_schema(
        operation_id=f"{level}_export_{extension}",
        summary=f"A dataset of a {level}'s export page, as {extension.upper()}",
        parameters=[DATASET, *RANGE],
        responses=responses,
        tags=["exports"],
    )


class _ExportView(ErrorsAsJsonMixin, APIView):
    level = ""
    extension = ""

    def get(self, request, pk, dataset):
        definition = DATASETS.get(dataset)
        if definition is None:
            raise exceptions.NotFound("No such dataset.")
        ids = {"programme_id": pk} if self.level == "programme" else {"site_id": pk}
        target = export_target_by_id(user=request.user, **ids)
        form = DateRangeForm(request.query_params, programme=target.programme)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        target = target.between(form.cleaned_data["start"], form.cleaned_data["end"])
        table = export_table(dataset=definition, user=request.user, target=target)
        if self.extension == "csv":
            filename = target.filename("csv", today=timezone.localdate(), dataset=dataset)
            return attachment_response(
                csv_lines(table), filename=filename, content_type=FORMATS["csv"]
            )
        return StreamingHttpResponse(_json_rows(table), content_type="application/json")


def _json_rows(table):
    """The table as a JSON array of objects, a row at a time."""
    yield "["
    for number, row in enumerate(table.rows):
        cells = dict(zip(table.headers, row, strict=True))
        yield ("," if number else "") + json.dumps(cells, cls=JSONEncoder, ensure_ascii=False)
    yield "]"


def _export_view(level: str, extension: str, doc: str) -> type[APIView]:
    renderer = CSVRenderer if extension == "csv" else JSONRenderer
    return with_schema(
        _ExportView,
        _schema(level, extension),
        name=f"{level.title()}Export{extension.title()}View",
        level=level,
        extension=extension,
        renderer_classes=[renderer],
        __doc__=doc,
    )


_PROGRAMME = "A dataset of a programme's export page, for its programme managers."
_SITE = (
    "A dataset of a case site's export page, for the programme's managers and the site's "
    "researchers and strategy lead, each losing the cells their pages hide from them."
)
ProgrammeExportCsvView = _export_view("programme", "csv", _PROGRAMME)
ProgrammeExportJsonView = _export_view("programme", "json", _PROGRAMME)
SiteExportCsvView = _export_view("site", "csv", _SITE)
SiteExportJsonView = _export_view("site", "json", _SITE)
