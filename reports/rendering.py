"""HTML to PDF through WeasyPrint, with a URL fetcher that reaches nothing outside the project.

Report templates address the project's static files through ``STATIC_ORIGIN`` (the base URL of
every render). That origin is never contacted: the fetcher maps it to the files Django's
staticfiles finders (or ``STATIC_ROOT``) hold, serves ``data:`` URLs itself and refuses every
other URL, so text a user typed can never make the renderer read a file, call a server, follow
a redirect or attach anything to the PDF.
"""

import mimetypes
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The reserved .invalid domain never resolves, so this base can only ever mean "our own files".
STATIC_ORIGIN = "https://static.report.invalid/"

# Tagged for assistive technology (PDF/UA-1 also sets PDF 1.7 and the structure tree).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


class RefusedURL(ValueError):
    """A URL the report renderer may not fetch."""


@dataclass(frozen=True)
class RenderedPdf:
    bytes: bytes
    pages: int


def static_prefix() -> str:
    return STATIC_ORIGIN + settings.STATIC_URL.lstrip("/")


def _static_file(relative: str) -> Path | None:
    found = finders.find(relative)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        candidate = Path(safe_join(str(settings.STATIC_ROOT), relative))
        if candidate.is_file():
            return candidate
    return None


class StaticFilesFetcher(URLFetcher):
    """Serves ``data:`` URLs and the project's static files; refuses everything else."""

    def __init__(self):
        # Only data: reaches urllib's handlers; redirects could not happen and are off anyway.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = static_prefix()
        if not url.startswith(prefix):
            raise RefusedURL(f"Reports may only use the project's own static files: {url}")
        relative = posixpath.normpath(unquote(urlsplit(url[len(prefix) :]).path))
        if relative.startswith(("..", "/")) or relative == ".":
            raise RefusedURL(f"Not a static file: {url}")
        path = _static_file(relative)
        if path is None:
            raise RefusedURL(f"No such static file: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}, status=200
        )


def render_pdf(html: str, *, url_fetcher: URLFetcher | None = None) -> RenderedPdf:
    """Lay out ``html`` (a whole document) and return the PDF and its page count."""
    document = HTML(
        string=html,
        base_url=STATIC_ORIGIN,
        url_fetcher=url_fetcher or StaticFilesFetcher(),
        media_type="print",
    ).render(**PDF_OPTIONS)
    return RenderedPdf(bytes=document.write_pdf(**PDF_OPTIONS), pages=len(document.pages))
