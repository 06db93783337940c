"""Uploads checked by size and content before anything is stored; downloads through the rules,
as attachments that no browser renders."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import EvidenceItem, Output
from tests.cast import sign_in
from tests.factories.evidence import PDF_BYTES, EvidenceItemFactory, OutputFactory

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def post_evidence(client, site, file):
    return client.post(
        reverse("evidence:evidence_create"),
        {
            "title": "Flipchart from the PIT",
            "kind": "flipchart_photo",
            "order": "first",
            "authorship": "practitioner",
            "sensitivity": "internal",
            "sites": [site.pk],
            "file": file,
        },
    )


def test_upload_over_the_limit_is_refused_before_anything_is_stored(client, settings, cast):
    settings.UPLOAD_MAX_BYTES = 1024
    sign_in(client, cast.fife_researcher)
    oversized = SimpleUploadedFile("minutes.pdf", PDF_BYTES + b"0" * 2048)

    response = post_evidence(client, cast.fife, oversized)

    [message] = response.context["form"].errors["file"]
    assert "files may be at most 1.0\xa0KB" in message
    assert not EvidenceItem.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [(EXE, "minutes.pdf"), (SVG, "chart.svg"), (SVG, "chart.png"), (HTML, "notes.html")],
    ids=["exe-renamed-pdf", "svg", "svg-renamed-png", "html"],
)
def test_upload_of_a_type_outside_the_allow_list_is_refused(client, settings, cast, content, name):
    sign_in(client, cast.fife_researcher)

    response = post_evidence(client, cast.fife, SimpleUploadedFile(name, content))

    [message] = response.context["form"].errors["file"]
    assert "is not a file type accepted here" in message
    assert 'value="Flipchart from the PIT"' in response.content.decode()
    assert not EvidenceItem.objects.exists()
    assert stored_files(settings) == []


def test_upload_is_stored_under_a_random_name_with_the_suffix_of_its_content(
    client, settings, cast
):
    sign_in(client, cast.fife_researcher)

    post_evidence(client, cast.fife, SimpleUploadedFile("Alison's minutes.html", PDF_BYTES))

    item = EvidenceItem.objects.get()
    assert item.file.name.startswith("evidence/")
    assert item.file.name.endswith(".pdf")
    assert "Alison" not in item.file.name
    assert [path.read_bytes() for path in stored_files(settings)] == [PDF_BYTES]


def test_media_root_is_not_served(client, cast):
    item = EvidenceItemFactory(programme=cast.programme, sites=[cast.fife], with_file=True)
    sign_in(client, cast.manager)

    response = client.get(f"/media/{item.file.name}")

    assert response.status_code == 404


def test_download_is_an_attachment_that_is_never_sniffed(client, cast):
    item = EvidenceItemFactory(
        programme=cast.programme,
        title="PIT minutes, 12 Jan",
        sites=[cast.fife],
        with_file=True,
    )
    sign_in(client, cast.fife_researcher)

    response = client.get(reverse("evidence:evidence_download", args=[item.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="pit-minutes-12-jan.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_download_of_a_stored_markup_file_is_sent_as_plain_bytes(client, cast):
    # Files that predate the checks (loaded or admin-made) never go out as HTML.
    from django.core.files.base import ContentFile

    item = EvidenceItemFactory(
        programme=cast.programme, sites=[cast.fife], file=ContentFile(HTML, name="page.html")
    )
    sign_in(client, cast.manager)

    response = client.get(reverse("evidence:evidence_download", args=[item.pk]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".html" not in response["Content-Disposition"]


def test_item_without_a_file_has_no_download(client, cast):
    item = EvidenceItemFactory(programme=cast.programme, sites=[cast.fife])
    sign_in(client, cast.manager)

    response = client.get(reverse("evidence:evidence_download", args=[item.pk]))

    assert response.status_code == 404


def test_replacing_a_file_deletes_the_old_one_after_commit(
    client, settings, cast, django_capture_on_commit_callbacks
):
    item = EvidenceItemFactory(programme=cast.programme, sites=[cast.fife], with_file=True)
    old = Path(item.file.path)
    sign_in(client, cast.fife_researcher)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("evidence:evidence_update", args=[item.pk]),
            {
                "title": item.title,
                "kind": "flipchart_photo",
                "order": "first",
                "authorship": "practitioner",
                "sensitivity": "internal",
                "sites": [cast.fife.pk],
                "file": SimpleUploadedFile("photo.png", png),
            },
        )

    item.refresh_from_db()
    assert item.file.name.endswith(".png")
    assert not old.exists()
    assert [path.read_bytes() for path in stored_files(settings)] == [png]


def test_output_upload_uses_the_same_checks(client, settings, cast):
    sign_in(client, cast.fife_researcher)

    response = client.post(
        reverse("evidence:output_create"),
        {
            "title": "Report",
            "kind": "research_report",
            "form": "formal",
            "sites": [cast.fife.pk],
            "date_precision": "day",
            "file": SimpleUploadedFile("report.pdf", EXE),
        },
    )

    assert "is not a file type accepted here" in response.context["form"].errors["file"][0]
    assert not Output.objects.exists()
    assert stored_files(settings) == []


def test_output_download_is_an_attachment(client, cast):
    output = OutputFactory(programme=cast.programme, title="Welfare report", sites=[cast.fife])
    output.file.save("x.pdf", SimpleUploadedFile("x.pdf", PDF_BYTES))
    sign_in(client, cast.fife_lead)

    response = client.get(reverse("evidence:output_download", args=[output.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="welfare-report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
