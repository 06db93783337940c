"""CSV beside JSON, for the figures and the exports that spreadsheets read.

The CSV itself is written by the reports' own code (``DataTable.to_csv``, the exports'
``csv_lines``) and sent as the pages' downloads are (``attachment_response``); this renderer
only lets DRF's content negotiation accept ``?format=csv``, a ``.csv`` address or
``Accept: text/csv``, and names the type in the schema. A refusal (400, 401, 404) is said in
JSON, as everywhere in the API, whatever the format asked for.
"""

from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return str(data).encode()


class ErrorsAsJsonMixin:
    """A view whose errors answer JSON even where its figures answer CSV."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
