"""Every download of the URLconf goes out with the same headers: saved as an attachment, never
sniffed into another type, sandboxed, and kept by no cache.

The downloads are found in the URLconf (a view serving a record's file, or a route named
``*_download`` or ``*_export``), so a new one fails here until it is given a record below.
"""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from accounts.enums import RoleKind
from car_programme.files import SANDBOX_POLICY
from car_programme.mixins import RecordFileView
from inquiries.models import Attachment
from reports.enums import ReportKind, ReportStatus
from reports.models import ReportRequest
from reports.word import render_docx
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.evidence import PDF_BYTES, EvidenceItemFactory, OutputFactory
from tests.factories.inquiries import ActivityFactory, InquiryGroupFactory, PersonFactory
from tests.factories.sites import CaseSiteFactory

pytestmark = pytest.mark.django_db


def _download_names(resolvers=None, namespace=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from _download_names(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            view = getattr(entry.callback, "view_class", None)
            serves_file = view is not None and issubclass(view, RecordFileView)
            if serves_file or entry.name.endswith(("_download", "_export")):
                yield f"{namespace}:{entry.name}"


def _attachment(site, group):
    activity = ActivityFactory(programme=site.programme, group=group, site=site)
    attachment = Attachment(activity=activity, original_name="minutes.pdf")
    attachment.file.save("minutes.pdf", ContentFile(PDF_BYTES), save=True)
    return [attachment.pk]


def _report(site, group):
    report = ReportRequest(
        programme=site.programme,
        kind=ReportKind.GROUP_LEARNING,
        group=group,
        status=ReportStatus.READY,
        options={"anonymise": True, "start": None, "end": None, "sections": []},
        pages=1,
        size_bytes=len(PDF_BYTES),
        checksum=hashlib.sha256(PDF_BYTES).hexdigest(),
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    report.file.save("report.pdf", ContentFile(PDF_BYTES), save=False)
    docx = render_docx("<p>A report</p>")
    report.docx_file.save("report.docx", ContentFile(docx), save=False)
    report.docx_size_bytes = len(docx)
    report.docx_checksum = hashlib.sha256(docx).hexdigest()
    report.save()
    return [report.pk]


def _logo(site, group):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    site.programme.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    return [site.programme.pk]


def _with_file(factory):
    def arguments(site, group):
        record = factory(programme=site.programme, sites=[site], with_file=True)
        return [record.pk]

    return arguments


# Each download's URL arguments, from a site and one of its groups.
DOWNLOADS = {
    "evidence:evidence_download": _with_file(EvidenceItemFactory),
    "evidence:output_download": _with_file(OutputFactory),
    "inquiries:attachment_download": _attachment,
    "inquiries:person_export": lambda site, group: [
        PersonFactory(programme=site.programme, site=site).pk
    ],
    "reports:report_download": _report,
    "reports:report_download_docx": _report,
    "sites:programme_logo": _logo,
    "reports:programme_export": lambda site, group: [site.programme.slug, "people", "csv"],
    "reports:site_export": lambda site, group: [site.programme.slug, site.slug, "people", "xlsx"],
    "reports:programme_workbook_export": lambda site, group: [site.programme.slug],
    "reports:site_workbook_export": lambda site, group: [site.programme.slug, site.slug],
}


def test_every_download_of_the_urlconf_is_checked_here():
    assert set(_download_names()) == set(DOWNLOADS)


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_download_is_a_sandboxed_attachment_kept_by_no_cache(client, name):
    site = CaseSiteFactory()
    group = InquiryGroupFactory(programme=site.programme)
    group.sites.set([site])
    manager = UserFactory()
    RoleFactory(user=manager, programme=site.programme, site=None, role=RoleKind.PROGRAMME_MANAGER)
    url = reverse(name, args=DOWNLOADS[name](site, group))
    client.force_login(manager)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
