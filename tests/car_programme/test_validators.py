import datetime as dt
import io
import zipfile
from importlib import import_module

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from car_programme.dates import date_bounds
from car_programme.validators import RecordDatesMixin, validate_record_date, validate_upload
from sites.models import Programme

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"


def _office(first: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # A fixed timestamp keeps the bytes, and so the test ids, the same in every process.
        for name, text in (("[Content_Types].xml", "<Types/>"), (first, "<document/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2016, 1, 1, 0, 0, 0)), text)
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


# --- Dates -----------------------------------------------------------------------------------


def _project_forms():
    """Every form class of the product: the URLconf imports every view, and so every form."""
    import_module(settings.ROOT_URLCONF)
    import inquiries.imports  # noqa: F401  (the import rows' form, used by no view directly)

    apps = {"accounts", "car_programme", "sites", "inquiries", "evidence", "events", "reports"}
    found, queue = set(), [forms.BaseForm]
    while queue:
        for subclass in queue.pop().__subclasses__():
            queue.append(subclass)
            if subclass.__module__.split(".")[0] in apps:
                found.add(subclass)
    return found


def test_every_form_with_a_date_field_bounds_its_dates():
    dated = [
        form
        for form in _project_forms()
        if any(isinstance(field, forms.DateField) for field in form.base_fields.values())
    ]

    assert len(dated) > 15
    assert [form for form in dated if not issubclass(form, RecordDatesMixin)] == []


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, (dt.date(1990, 1, 1), dt.date(2036, 2, 28))),
        (dt.date(2015, 1, 1), dt.date(2017, 12, 31), (dt.date(2010, 1, 1), dt.date(2022, 12, 31))),
        (dt.date(2016, 2, 29), None, (dt.date(2011, 2, 28), dt.date(2036, 2, 28))),
        (None, dt.date(9998, 1, 1), (dt.date(1990, 1, 1), dt.date(9999, 1, 1))),
    ],
)
def test_date_bounds_are_the_programmes_span_with_a_margin_else_1990_to_ten_years_on(
    start, end, expected
):
    programme = Programme(start_date=start, end_date=end)

    assert date_bounds(programme, today=dt.date(2026, 2, 28)) == expected


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1989, 12, 31), dt.date(9999, 12, 15)])
def test_a_date_outside_the_bounds_is_refused_in_plain_words(day):
    with pytest.raises(ValidationError) as caught:
        validate_record_date(day)

    assert caught.value.messages[0].startswith("Enter a date from 1 January 1990 to ")
