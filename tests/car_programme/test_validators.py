import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from car_programme.validators import validate_upload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"


def _office(first: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(first, "<document/>")
    return buffer.getvalue()


def upload(content: bytes, name: str = "file.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PDF, "minutes.pdf", "application/pdf"),
        (PNG, "flipchart.png", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, "photo.jpg", "image/jpeg"),
        (b"GIF89a" + b"\x00" * 32, "chart.gif", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32, "photo.webp", "image/webp"),
        (b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 32, "discussion.mp3", "audio/mpeg"),
        (b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 32, "discussion.m4a", "audio/mp4"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32, "discussion.wav", "audio/x-wav"),
        (b"OggS\x00\x02" + b"\x00" * 32, "discussion.ogg", "audio/ogg"),
        (
            _office("word/document.xml"),
            "report.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            _office("xl/workbook.xml"),
            "figures.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (b"name,organisation\nAlison,Fife Council\n", "members.csv", "text/plain"),
        ("Réflexions après la réunion\n".encode(), "notes.txt", "text/plain"),
    ],
)
def test_validate_upload_accepts_allowed_content(content, name, expected):
    assert validate_upload(upload(content, name)) == expected


def test_validate_upload_refuses_executable_renamed_pdf():
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(EXE, "minutes.pdf"))

    assert refused.value.code == "file_type_not_allowed"


def test_validate_upload_judges_content_not_name():
    assert validate_upload(upload(PNG, "minutes.pdf")) == "image/png"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"\xff\xfe\x00\x00not utf-8",
        b"text with a \x00 byte",
        _office("other/thing.xml"),
    ],
)
def test_validate_upload_refuses_markup_binary_and_unknown_content(content):
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(content, "notes.txt"))

    assert refused.value.code == "file_type_not_allowed"


def test_validate_upload_refuses_file_over_limit(settings):
    settings.UPLOAD_MAX_BYTES = 100

    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(PDF + b"x" * 100, "big.pdf"))

    assert refused.value.code == "file_too_large"
    assert "100" in refused.value.messages[0]


def test_validate_upload_refuses_empty_file():
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(b"", "empty.pdf"))

    assert refused.value.code == "file_empty"


def test_validate_upload_leaves_file_readable_from_start():
    file = upload(PDF)

    validate_upload(file)

    assert file.read(5) == b"%PDF-"
