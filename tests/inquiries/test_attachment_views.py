"""Files attached to an activity: checked on upload, served only through the rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inquiries.models import Activity, Attachment
from tests.cast import page_as, refused_as
from tests.inquiries.activities import (
    EXE,
    PDF,
    attachment_for,
    log_data,
    log_posts,
    stored_files,
)

pytestmark = pytest.mark.django_db


def test_upload_too_large_refused_before_storing(client, cast, settings):
    settings.UPLOAD_MAX_BYTES = 100

    response = log_posts(
        client,
        cast,
        attachments=[SimpleUploadedFile("big.pdf", PDF + b"0" * 200, "application/pdf")],
    )

    errors = response.context["form"].errors["attachments"]
    assert "at most 100" in errors[0]
    assert "at most 100" in response.content.decode()
    assert not Activity.objects.exists()
    assert stored_files(settings) == []


def test_executable_renamed_pdf_refused(client, cast, settings):

    response = log_posts(
        client, cast, attachments=[SimpleUploadedFile("minutes.pdf", EXE, "application/pdf")]
    )

    assert "not a file type accepted" in response.context["form"].errors["attachments"][0]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("fife_researcher", 200),
        ("glasgow_researcher", 200),
        ("fife_lead", 404),
        ("glasgow_lead", 404),
        ("outsider", 404),
        ("anonymous", "login"),
    ],
)
def test_attachment_download_asks_the_rules(client, cast, role, expected):
    attachment = attachment_for(cast)
    response = page_as(client, cast, role, "inquiries:attachment_download", attachment)

    assert refused_as(response, expected)
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="minutes.pdf"' in response["Content-Disposition"]


def test_attachment_download_never_serves_markup_type(client, cast):
    attachment = attachment_for(cast, content=b"plain words", name="page.html")
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("inquiries:attachment_download", args=[attachment.pk]))

    assert response["Content-Type"] == "application/octet-stream"


def uploaded_and_downloaded(client, cast, upload):
    client.force_login(cast.fife_researcher)
    client.post(
        reverse("inquiries:activity_create", args=[cast.group.pk]), log_data(attachments=[upload])
    )
    attachment = Attachment.objects.get()
    return attachment, client.get(reverse("inquiries:attachment_download", args=[attachment.pk]))


def test_attachment_is_served_by_its_checked_type_never_by_its_name(client, cast):
    upload = SimpleUploadedFile("minutes.html", PDF, "text/html")

    attachment, response = uploaded_and_downloaded(client, cast, upload)

    assert attachment.original_name == "minutes.html"
    assert attachment.file.name.endswith(".pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'


def test_attachment_of_text_named_as_an_image_is_served_as_text(client, cast):
    upload = SimpleUploadedFile("photo.png", b"plain words", "image/png")

    _, response = uploaded_and_downloaded(client, cast, upload)

    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="photo.txt"'


def test_attachment_download_is_sandboxed_and_kept_by_no_cache(client, cast):
    _, response = uploaded_and_downloaded(client, cast, SimpleUploadedFile("a.pdf", PDF))

    assert (
        response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    )
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_files_have_no_public_url(client, cast, settings):
    attachment = attachment_for(cast)
    client.force_login(cast.manager)

    response = client.get("/media/" + attachment.file.name)

    assert response.status_code == 404
