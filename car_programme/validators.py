"""Checks shared by every form: the dates a record may carry, and files (activity attachments,
evidence, outputs)."""

import codecs
import datetime as dt
import mimetypes
from pathlib import PurePath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from PIL import Image, UnidentifiedImageError

from car_programme.dates import PROGRAMME_MARGIN_YEARS, date_bounds

# Decided by the file's content, never by its name or the browser's claim: a renamed
# executable must not pass as a PDF.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "audio/mpeg": "MP3 audio",
    "audio/mp4": "M4A audio",
    "audio/x-wav": "WAV audio",
    "audio/ogg": "Ogg audio",
}
TEXT_TYPE = "text/plain"
ALLOWED_DESCRIPTION = (
    "PDF, Word, Excel, PowerPoint, OpenDocument, plain text or CSV, "
    "PNG, JPEG, GIF or WebP images, MP3, M4A, WAV or Ogg audio"
)
_CHUNK = 64 * 1024


def _is_plain_text(file) -> bool:
    """UTF-8 text without NUL bytes, and not markup (HTML or SVG would render if ever opened)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    file.seek(0)
    start = ""
    try:
        while chunk := file.read(_CHUNK):
            if b"\x00" in chunk:
                return False
            text = decoder.decode(chunk)
            if len(start) < 512:
                start += text[:512]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return not start.lstrip().startswith("<")


def validate_upload(file) -> str:
    """Refuse a file that is too large or whose content is not an allowed type.

    Runs on the uploaded (temporary) file before anything is written to storage. Returns the
    content type detected from the content, which callers may store or serve.
    """
    limit = settings.UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            "%(name)s is %(size)s; files may be at most %(limit)s.",
            code="file_too_large",
            params={
                "name": getattr(file, "name", "The file"),
                "size": filesizeformat(file.size),
                "limit": filesizeformat(limit),
            },
        )
    if not file.size:
        raise ValidationError("The file is empty.", code="file_empty")
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in ALLOWED_TYPES:
            return kind.mime
    elif _is_plain_text(file):
        return TEXT_TYPE
    raise ValidationError(
        "%(name)s is not a file type accepted here. Accepted: %(allowed)s.",
        code="file_type_not_allowed",
        params={"name": getattr(file, "name", "The file"), "allowed": ALLOWED_DESCRIPTION},
    )


def checked_upload(file):
    """Run ``validate_upload`` and name the file after its detected type.

    The stored name keeps only this suffix (``car_programme.files``), and downloads take their
    content type from it, so a PDF renamed ``.html`` is stored and served as a PDF.
    """
    mime = validate_upload(file)
    suffix = PurePath(file.name or "").suffix.lower()
    named_as = mimetypes.guess_type(f"upload{suffix}")[0]
    if named_as != mime and not (mime == TEXT_TYPE and suffix == ".csv"):
        suffix = mimetypes.guess_extension(mime) or ".bin"
    file.name = f"upload{suffix}"
    return file


def validate_record_date(value: dt.date, *, programme=None) -> None:
    """Refuse a date outside ``date_bounds``: the programme's span with a margin, or where no
    programme (or no span) is known, 1990 to ten years ahead. A stray year (0001, 9999) would
    otherwise reach every figure that is built from dates."""
    first, last = date_bounds(programme)
    if first <= value <= last:
        return
    known = programme is not None and (programme.start_date or programme.end_date)
    raise ValidationError(
        "Enter a date from %(first)s to %(last)s%(why)s.",
        code="date_out_of_range",
        params={
            "first": date_format(first, "j F Y"),
            "last": date_format(last, "j F Y"),
            "why": (
                f": the programme's dates, with {PROGRAMME_MARGIN_YEARS} years either side"
                if known
                else ""
            ),
        },
    )


class RecordDatesMixin:
    """Every date field of the form (its own and a model form's) passes
    ``validate_record_date`` for the record's programme, with the message next to the field.

    The programme is the one given to the form (``programme=``), else the one the form cleaned
    (a ``programme`` field, or the programme of its site(s) or group(s)), else the instance's."""

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record_programme = programme

    def _records_programme(self):
        if self.record_programme is not None:
            return self.record_programme
        cleaned = self.cleaned_data
        if cleaned.get("programme") is not None:
            return cleaned["programme"]
        for name in ("site", "sites", "group", "groups"):
            value = cleaned.get(name)
            first = value.first() if hasattr(value, "first") else value
            if first is not None and hasattr(first, "programme_id"):
                return first.programme
        instance = getattr(self, "instance", None)
        return getattr(instance, "programme", None) if instance is not None else None

    def _post_clean(self):
        # After the form's own clean(), which is where some forms find the programme.
        super()._post_clean()
        programme = self._records_programme()
        for name, field in list(self.fields.items()):
            value = self.cleaned_data.get(name)
            if isinstance(field, forms.DateField) and isinstance(value, dt.date):
                try:
                    validate_record_date(value, programme=programme)
                except ValidationError as error:
                    self.add_error(name, error)


# A logo is printed on pages and report covers: raster formats every browser and WeasyPrint
# draw. SVG is refused, since it can carry scripts.
LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp", "GIF": ".gif"}
LOGO_MAX_BYTES = 2 * 1024 * 1024
# Far beyond any logo, and well below what would take a worker's memory to decode.
LOGO_MAX_PIXELS = 4000 * 4000


def checked_logo(file):
    """Refuse a logo that is too large, or that Pillow cannot read as a PNG, JPEG, WebP or GIF
    image of a reasonable size; name it after the format found in its content.

    Returns the file, rewound, named ``logo.<format>``, so the stored name's suffix (which
    downloads take their content type from) is that of the content.
    """
    if file.size is not None and file.size > LOGO_MAX_BYTES:
        raise ValidationError(
            "The logo is %(size)s; a logo may be at most %(limit)s.",
            code="logo_too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(LOGO_MAX_BYTES),
            },
        )
    not_an_image = ValidationError(
        "The logo must be a PNG, JPEG, WebP or GIF image; this file is not one.",
        code="logo_not_an_image",
    )
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    finally:
        file.seek(0)
    if kind not in LOGO_FORMATS:
        raise not_an_image
    if width * height > LOGO_MAX_PIXELS:
        raise ValidationError(
            "The logo is %(width)s by %(height)s pixels; make it smaller (at most 4,000 by 4,000).",
            code="logo_too_many_pixels",
            params={"width": f"{width:,}", "height": f"{height:,}"},
        )
    file.name = f"logo{LOGO_FORMATS[kind]}"
    return file


class LogoField(forms.FileField):
    """An optional logo upload, checked by :func:`checked_logo`; ``shown`` says where it is
    printed. Only a new upload is checked: the stored logo, or False when cleared, passes."""

    def __init__(self, *, shown: str, **kwargs):
        super().__init__(
            required=False,
            widget=forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            ),
            help_text=f"A PNG, JPEG, WebP or GIF image of at most "
            f"{filesizeformat(LOGO_MAX_BYTES)}, {shown}.",
            **kwargs,
        )

    def clean(self, data, initial=None):
        logo = super().clean(data, initial)
        if logo and hasattr(logo, "content_type"):
            return checked_logo(logo)
        return logo
