"""Where uploaded and generated files are stored, and the one way every file is downloaded.

A stored name never carries what a user typed, so it cannot collide, be guessed or leak a
person's name in a path. Migrations need the ``*_upload_to`` functions at module level.
"""

import mimetypes
import uuid
from pathlib import PurePath

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from car_programme.validators import ALLOWED_TYPES, TEXT_TYPE

# Types a browser may be told for a stored upload; anything else (HTML, SVG) goes as bytes.
SERVED_TYPES = {*ALLOWED_TYPES, TEXT_TYPE, "text/csv"}
# A download is never a page: were a browser to open it, it could run nothing and load nothing.
SANDBOX_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


def _random_name(folder: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def attachment_upload_to(instance, filename: str) -> str:
    return _random_name("attachments", filename)


def evidence_upload_to(instance, filename: str) -> str:
    return _random_name("evidence", filename)


def output_upload_to(instance, filename: str) -> str:
    return _random_name("outputs", filename)


def logo_upload_to(instance, filename: str) -> str:
    return _random_name("logos", filename)


def report_upload_to(instance, filename: str) -> str:
    return _random_name("reports", filename)


def attachment_response(content, *, filename: str, content_type: str):
    """Every download: a file, bytes or text, or an iterator of chunks, sent as an attachment.

    The same headers everywhere: saved, never shown (``Content-Disposition: attachment``), never
    sniffed into another type, sandboxed, and kept by no cache. ``content_type`` is the caller's
    own (a checked type or one it generated), never taken from a name a user gave.
    """
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(field_file, *, title: str):
    """A stored upload or report as ``attachment_response``, named ``title`` (404 when missing).

    The stored name's suffix was set from the detected content when the file was stored
    (``car_programme.validators.checked_upload``), so the type and the download's suffix come
    from it; a type outside ``SERVED_TYPES`` goes as bytes without a suffix.
    """
    if not field_file:
        raise Http404("No file.")
    suffix = PurePath(field_file.name).suffix.lower()
    content_type = mimetypes.guess_type(f"file{suffix}")[0]
    if content_type not in SERVED_TYPES:
        content_type, suffix = "application/octet-stream", ""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    filename = f"{slugify(title)[:100] or 'file'}{suffix}"
    return attachment_response(handle, filename=filename, content_type=content_type)
