"""A report requested through the API is rendered by a real worker: the request answers at
once, queued; its detail follows the status to ready; its link downloads the PDF through the
reports pages' guarded download."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from zeal import zeal_ignore

from accounts.enums import RoleKind
from car_programme.broker import filesystem_transport_options
from tests.api.conftest import token_of, with_token
from tests.factories.accounts import user_with_role
from tests.reports.conftest import start_worker  # noqa: F401 (the fixture)
from tests.workers import group_with_members, publishing_to, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _polling_is_no_n_plus_one():
    """The test polls the report's detail for what the worker did: repeated by design."""
    with zeal_ignore():
        yield


def test_a_report_requested_through_the_api_is_rendered_and_its_pdf_downloads(
    tmp_path,
    start_worker,  # noqa: F811
):
    folder = tmp_path / "broker"
    group = group_with_members(5)
    manager = user_with_role(RoleKind.PROGRAMME_MANAGER, programme=group.programme)
    api = with_token(APIClient(), token_of(manager))
    with publishing_to("filesystem://", transport_options=filesystem_transport_options(folder)):
        start_worker("filesystem://", BROKER_DIR=str(folder)).wait_ready()

        response = api.post(
            reverse("api:report-request-list"),
            {"kind": "group_learning", "target": group.pk, "sections": ["members"]},
            format="json",
        )
        assert response.status_code == 201, response.json()
        detail_url = response.json()["url"]
        assert response.json()["status"] in ("queued", "rendering")
        assert response.json()["download_url"] is None

        def settled():
            answer = api.get(detail_url).json()
            return answer if answer["status"] in ("ready", "failed") else None

        report = wait_for(settled, timeout=120, what="the report to be ready", interval=0.2)

    assert report["status"] == "ready", report["error"]
    assert report["options"] == {
        "anonymise": True,
        "start": None,
        "end": None,
        "sections": ["members"],
    }
    # The link is the reports pages' guarded download, for the browser's session.
    assert report["download_url"].endswith(reverse("reports:report_download", args=[report["id"]]))
    browser = APIClient()
    browser.force_login(manager)
    download = browser.get(report["download_url"])
    pdf = b"".join(download.streaming_content)
    assert download.status_code == 200
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == report["checksum"]
