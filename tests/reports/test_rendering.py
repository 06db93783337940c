"""What a rendered report looks like: A4, cover, contents with page numbers, running header and
footer, the project's own font embedded, tagged for assistive technology, titled and in English."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from reports import services
from reports.enums import ReportKind, ReportStatus
from reports.models import ReportRequest
from reports.rendering import render_pdf, static_prefix
from tests.factories.inquiries import InquiryGroupFactory, MembershipFactory

A4_POINTS = (595, 842)


@pytest.fixture(scope="module")
def pdf(django_db_setup, django_db_blocker, tmp_path_factory):
    """One group learning report, rendered once for the module's tests."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        original_media = settings.MEDIA_ROOT
        settings.MEDIA_ROOT = media
        try:
            group = InquiryGroupFactory(
                name="Kinship carers inquiry", description="How the group began."
            )
            for _ in range(60):
                MembershipFactory(group=group)
            report_request = ReportRequest.objects.create(
                programme=group.programme,
                kind=ReportKind.GROUP_LEARNING,
                group=group,
                options={"anonymise": True, "sections": ["members"]},
            )
            services.render(report_request.pk)
            report_request.refresh_from_db()
            assert report_request.status == ReportStatus.READY, report_request.error
            data = Path(report_request.file.path).read_bytes()
        finally:
            settings.MEDIA_ROOT = original_media
            group.programme.delete()
    report_request.data = data
    return report_request, PdfReader(io.BytesIO(data))


def page_texts(reader) -> list[str]:
    # The cover's letter-spacing spreads words out; compare without spaces.
    return [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def test_pages_are_a4_and_counted(pdf):
    report_request, reader = pdf
    assert report_request.pages == len(reader.pages) >= 4
    for page in reader.pages:
        width, height = (round(float(v)) for v in page.mediabox.upper_right)
        assert (width, height) == A4_POINTS


def test_cover_contents_and_running_footer(pdf):
    _report_request, reader = pdf
    texts = page_texts(reader)
    total = len(texts)
    assert "Kinshipcarersinquiry" in texts[0]
    assert "Page" not in texts[0]  # the cover has no running footer
    # The contents list each chapter with the page it starts on.
    assert re.search(r"Thegroup'sstory\.*3", texts[1])
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page{number}of{total}" in text
        assert "Kinshipcarersinquiry:learningreport" in text  # running header


def test_the_projects_font_is_embedded(pdf):
    _report_request, reader = pdf
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()  # embedded, not referenced
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert fonts <= {"Atkinson-Hyperlegible", "Atkinson-Hyperlegible-Bold"}
    assert "Atkinson-Hyperlegible" in fonts


def test_tagged_titled_and_in_english(pdf):
    _report_request, reader = pdf
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Kinship carers inquiry: learning report"
    assert reader.pdf_header == "%PDF-1.7"


def test_checksum_and_size_describe_the_stored_file(pdf):
    report_request, _reader = pdf
    assert report_request.checksum == hashlib.sha256(report_request.data).hexdigest()
    assert report_request.size_bytes == len(report_request.data)


def test_render_pdf_counts_pages():
    rendered = render_pdf(
        '<!DOCTYPE html><html lang="en"><head><title>Two</title></head><body>'
        '<p>one</p><p style="break-before: page">two</p></body></html>'
    )
    assert rendered.pages == 2
    assert rendered.bytes.startswith(b"%PDF-1.7")


def test_print_styles_use_no_flex_or_grid():
    for css in (Path(settings.BASE_DIR) / "static" / "reports").glob("print*.css"):
        text = css.read_text()
        assert not re.search(r"display\s*:\s*(inline-)?(flex|grid)", text), css.name


def _table_pages(paragraphs: int) -> list[tuple[bool, int]]:
    """A 40-row table after ``paragraphs`` of text, laid out with the reports' stylesheet: per
    page, whether it prints the caption and how many rows it holds."""
    rows = "".join(f"<tr><td>row{n}</td><td>{n}</td></tr>" for n in range(40))
    html = (
        f'<html><head><link rel="stylesheet" href="{static_prefix()}reports/print.css"></head>'
        f"<body>{'<p>Text</p>' * paragraphs}<table><caption>Caption</caption><thead><tr>"
        f"<th>Row</th><th>Number</th></tr></thead><tbody>{rows}</tbody></table></body></html>"
    )
    reader = PdfReader(io.BytesIO(render_pdf(html).bytes))
    return [("Caption" in p.extract_text(), p.extract_text().count("row")) for p in reader.pages]


@pytest.mark.parametrize("paragraphs", range(20, 71, 2))
def test_a_table_never_leaves_its_heading_or_one_or_two_rows_alone_on_a_page(paragraphs):
    pages = [(caption, rows) for caption, rows in _table_pages(paragraphs) if caption or rows]

    assert pages[0][0], "the caption comes first"
    assert all(rows >= 3 for _caption, rows in pages), pages
    assert sum(rows for _caption, rows in pages) == 40
