"""CSV beside JSON, for the figures and the exports that spreadsheets read.

The CSV itself is written by the reports' own code (``DataTable.to_csv``, the exports'
``csv_lines``) and sent as the pages' downloads are (``attachment_response``); this renderer
only lets DRF's content negotiation accept ``?format=csv``, a ``.csv`` path or
``Accept: text/csv``, and names the type in the schema.
"""

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only an error reaches it (a view answers CSV itself): said as one line of text.
        if isinstance(data, dict) and "detail" in data:
            return f"{data['detail']}\n".encode()
        return b"" if data is None else str(data).encode()
