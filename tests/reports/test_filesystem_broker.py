"""``make run``'s broker: Kombu's filesystem transport, with a real worker behind the pages.

The worker renders on the test database, taking its messages from this test's own folder, and
the request goes through the real view; the test follows it on the status panel, as the page's
htmx poll does.
"""

import hashlib
import re
import time
from pathlib import Path

import pytest
from django.urls import reverse
from zeal import zeal_ignore

from accounts.enums import RoleKind
from car_programme.broker import filesystem_transport_options
from reports.models import ReportRequest
from tests.cast import sign_in
from tests.factories.accounts import user_with_role
from tests.workers import group_with_members, publishing_to, wait_for

# Enough members for a second or two of layout, so the panel is seen rendering.
MEMBERS = 150

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _polling_is_no_n_plus_one():
    """The test polls the status panel for what the worker did: repeated queries by design."""
    with zeal_ignore():
        yield


@pytest.fixture
def filesystem_broker(tmp_path) -> Path:
    """The broker's folder of this test; this process publishes to it."""
    folder = tmp_path / "broker"
    with publishing_to("filesystem://", transport_options=filesystem_transport_options(folder)):
        yield folder


@pytest.fixture
def group():
    return group_with_members(MEMBERS)


def panel(client, report_request) -> tuple[str, str]:
    """The status and the step that the report's status panel shows."""
    html = client.get(reverse("reports:report_status", args=[report_request.pk])).content
    status = re.search(r"Status: (\w+)", html.decode())
    step = re.search(r"<strong>Current step:</strong> ([^<]+)</p>", html.decode())
    return status.group(1), step.group(1) if step else ""


def test_a_report_is_rendered_by_the_worker_after_the_request_returns(
    client, filesystem_broker, start_worker, group
):
    worker = start_worker("filesystem://", BROKER_DIR=str(filesystem_broker))
    worker.wait_ready()
    sign_in(client, user_with_role(RoleKind.PROGRAMME_MANAGER, programme=group.programme))
    url = reverse("reports:report_request", args=["group_learning", group.pk])

    began = time.monotonic()
    response = client.post(url, {"anonymise": "on", "sections": ["members"]})
    elapsed = time.monotonic() - began
    report_request = ReportRequest.objects.get()
    seen = [panel(client, report_request)]

    assert response.url == reverse("reports:report_detail", args=[report_request.pk])
    # The POST only saved and published: the worker had not finished when it returned.
    assert elapsed < 1, f"requesting took {elapsed:.1f} s"
    assert seen[0][0] in ("Queued", "Rendering")

    def ready():
        seen.append(panel(client, report_request))
        return seen[-1][0] in ("Ready", "Failed")

    wait_for(ready, timeout=120, what="the report to be ready", interval=0.1)
    report_request.refresh_from_db()
    assert report_request.status == "ready", report_request.error
    assert ("Rendering", "Laying out pages") in seen
    pdf = Path(report_request.file.path).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == report_request.checksum
    assert list((filesystem_broker / "messages").iterdir()) == []  # the message was taken
