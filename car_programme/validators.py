"""Checks shared by every form that accepts a file (activity attachments, evidence, outputs)."""

import codecs
import mimetypes
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

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
