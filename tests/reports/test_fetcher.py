"""The renderer fetches nothing but data: URLs and the project's own static files."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from inquiries.models import GroupStatusChange
from reports import rendering, services
from reports.enums import ReportKind, ReportStatus
from reports.rendering import RefusedURL, StaticFilesFetcher, render_pdf, static_prefix
from tests.factories.inquiries import InquiryGroupFactory

HOSTILE = (
    '<img src="file:///etc/passwd" alt="x">'
    '<link rel="attachment" href="http://attacker.invalid/payload.txt" title="payload">'
    '<link rel="attachment" href="file:///etc/hostname">'
    "<style>@import url(http://attacker.invalid/evil.css);</style>"
    '<img src="https://attacker.invalid/beacon.png" alt="y">'
    '<img src="/static/../../../../etc/passwd" alt="z">'
)
# One transparent pixel: a data: URL the renderer may read.
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
    "YAAAAAMAAWgmWQ0AAAAASUVORK5CYII="
)


class RecordingFetcher(StaticFilesFetcher):
    """Records every URL the renderer asks for, and whether it was served."""

    asked: list[tuple[str, bool]] = []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except Exception:
            self.asked.append((url, False))
            raise
        self.asked.append((url, True))
        return response


@pytest.fixture
def recording(monkeypatch):
    RecordingFetcher.asked = []
    monkeypatch.setattr(rendering, "StaticFilesFetcher", RecordingFetcher)
    return RecordingFetcher.asked


def is_own(url: str) -> bool:
    return url.startswith("data:") or url.startswith(static_prefix())


def assert_nothing_attached(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"
    assert b"root:x:0:0" not in pdf
    assert b"/EmbeddedFile" not in pdf


def test_the_fetcher_itself_refuses_everything_but_data_and_static_files(recording):
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>t</title>'
        '<link rel="stylesheet" href="/static/reports/print.css"></head>'
        f'<body><p>Hello</p><img src="{PIXEL}" alt="pixel">{HOSTILE}</body></html>'
    )

    pdf = render_pdf(html)

    served = [url for url, ok in recording if ok]
    refused = [url for url, ok in recording if not ok]
    assert served and all(is_own(url) for url in served)
    assert any(url.startswith("data:") for url in served)
    assert static_prefix() + "reports/print.css" in served
    assert any(url.endswith(".woff2") for url in served)  # the project's own font
    assert "file:///etc/passwd" in refused
    assert "http://attacker.invalid/evil.css" in refused
    assert "https://attacker.invalid/beacon.png" in refused
    assert "http://attacker.invalid/payload.txt" in refused
    assert_nothing_attached(pdf.bytes)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://attacker.invalid/x.css",
        "ftp://attacker.invalid/x",
        static_prefix() + "..%2f..%2f..%2fetc/passwd",
        static_prefix() + "reports/../../../../etc/passwd",
        static_prefix() + "reports/missing.css",
        "https://static.report.invalid.attacker.example/static/reports/print.css",
    ],
)
def test_refused_urls(url):
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(url)


def test_static_files_and_data_urls_are_served():
    css = StaticFilesFetcher().fetch(static_prefix() + "reports/print.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    assert StaticFilesFetcher().fetch(PIXEL).read().startswith(b"\x89PNG")


@pytest.mark.django_db
def test_text_people_typed_is_printed_never_fetched(recording):
    group = InquiryGroupFactory(name=f"Group {HOSTILE[:60]}", description=HOSTILE)
    GroupStatusChange.objects.create(
        group=group, status=group.status, changed_on="2016-01-01", note=HOSTILE[:300]
    )
    # The test's transaction never commits, so the request is rendered here, not on commit.
    report_request = services.request_report(
        requested_by=None,
        kind=ReportKind.GROUP_LEARNING,
        programme=group.programme,
        group=group,
        options={"anonymise": True},
    )
    services.render(report_request.pk)

    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.READY, report_request.error
    assert recording and all(is_own(url) for url, _served in recording)
    pdf = report_request.file.read()
    assert_nothing_attached(pdf)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "file:///etc/passwd" in text.replace(" ", "")  # printed as the text it was
    # The Word copy too holds it as text, and links to nothing outside itself.
    docx = Document(report_request.docx_file.path)
    words = "".join(p.text for p in docx.paragraphs) + "".join(
        cell.text for table in docx.tables for row in table.rows for cell in row.cells
    )
    assert "file:///etc/passwd" in words.replace(" ", "")
    assert not [rel for rel in docx.part.rels.values() if rel.is_external]
