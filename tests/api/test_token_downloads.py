"""A program follows the file links the API gives it with its token, under the pages' rules."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from reports.enums import ReportStatus
from reports.models import ReportRequest
from tests import factories
from tests.api.test_roles import client_as
from tests.rules_table import RECORDS

pytestmark = pytest.mark.django_db


def _evidence_file_link(cast) -> str:
    item = factories.EvidenceItemFactory(programme=cast.programme, group=cast.group, with_file=True)
    return reverse("evidence:evidence_download", args=[item.pk])


def test_an_evidence_file_downloads_with_the_token_of_a_reader(cast):
    download = client_as(cast, "fife_lead", "token").get(_evidence_file_link(cast))

    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # A token is no sign-in: the download leaves no session behind.
    assert "sessionid" not in download.cookies


@pytest.mark.parametrize("role", ["glasgow_lead", "other_manager"])
def test_an_evidence_file_is_missing_for_the_token_of_who_may_not_read_it(cast, role):
    assert client_as(cast, role, "token").get(_evidence_file_link(cast)).status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "revoked_token", "expired_token"])
def test_no_token_or_a_dead_one_downloads_nothing(cast, role):
    download = client_as(cast, role, "token").get(_evidence_file_link(cast))

    assert download.status_code == 302
    assert download["Location"].startswith(reverse("accounts:login"))


def test_a_ready_report_s_pdf_downloads_from_its_api_link_with_a_token(cast):
    report = RECORDS["fife_report"](cast)
    stored = default_storage.save("reports/api-token.pdf", ContentFile(b"%PDF-1.7 a report"))
    ReportRequest.objects.filter(pk=report.pk).update(
        status=ReportStatus.READY, file=stored, checksum="0" * 64
    )
    manager = client_as(cast, "manager", "token")

    link = manager.get(reverse("api:report-request-detail", args=[report.pk])).json()
    download = manager.get(link["download_url"])

    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
