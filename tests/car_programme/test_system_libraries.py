"""The machine has what WeasyPrint needs (Pango, HarfBuzz, fonts): a real PDF comes out."""

import io

from pypdf import PdfReader
from weasyprint import HTML


def test_weasyprint_renders_a_pdf_with_the_system_libraries():
    html = "<html lang='en'><body><h1>Welfare PIT</h1><p>Met 22 times.</p></body></html>"

    pdf = HTML(string=html).write_pdf()

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert "Met 22 times." in reader.pages[0].extract_text()
