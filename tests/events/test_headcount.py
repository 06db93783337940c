"""An event's head count is one figure, the same on every page, export and report."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from reports import documents, metrics
from reports.enums import ReportKind
from reports.models import ReportRequest
from tests.factories.accounts import UserFactory
from tests.factories.events import AttendanceCountFactory, EventFactory
from tests.factories.sites import OrganisationFactory

pytestmark = pytest.mark.django_db


def _event(cast, *, total=None, sites=(), organisations=(), approximate=False, of=None):
    """An event of Fife (or of the sites ``of``) with a total row, per-site rows and
    per-organisation rows."""
    event = EventFactory(programme=cast.programme, title="Learning day")
    event.sites.set(of or [cast.fife])
    if total is not None:
        AttendanceCountFactory(event=event, count=total, approximate=approximate)
    for site, count in zip((cast.fife, cast.glasgow), sites, strict=False):
        AttendanceCountFactory(event=event, site=site, count=count)
    for count in organisations:
        organisation = OrganisationFactory(programme=cast.programme)
        AttendanceCountFactory(event=event, organisation=organisation, count=count)
    return event


def _dashboard(client, cast) -> str:
    url = reverse("reports:site_dashboard", args=[cast.programme.slug, cast.fife.slug])
    dashboard = client.get(url, {"section": "themes"}).context["dashboard"]
    (panel,) = [p for p in dashboard.panels if p.slug == "events"]
    (shown,) = [f.value for f in panel.figures if f.label == "Attendees counted"]
    return str(shown)


def _list(client) -> str:
    page = client.get(reverse("events:event_list")).content.decode()
    return re.findall(r'<td class="text-end">([^<]*)</td>\s*</tr>', page)[0].strip()


def _detail(client, event) -> str:
    page = client.get(event.get_absolute_url()).content.decode()
    return re.search(r"Head count: ([^<]*)</h3>", page).group(1).strip()


def _export(client, cast):
    url = reverse(
        "reports:site_export", args=[cast.programme.slug, cast.fife.slug, "events", "xlsx"]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content)))
    headers, row = workbook.active.iter_rows(values_only=True)
    return str(dict(zip(headers, row, strict=True))["Published head count"])


def _report(cast, event) -> str:
    request = ReportRequest.objects.create(
        programme=event.programme,
        kind=ReportKind.EVENT,
        event=event,
        requested_by=cast.manager,
        options={},
        version=1,
    )
    row = documents.build_document(request, on_step=lambda step: None).context["row"]
    return f"{'about ' if row.approximate else ''}{row.counted}"


def _admin(client, event) -> str:
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:events_event_changelist")).content.decode()
    return re.search(r'<td class="field-counted_attendance">([^<]*)</td>', page).group(1)


def surfaces(client, cast, event) -> dict[str, str]:
    client.force_login(cast.manager)
    return {
        "metrics": str(
            metrics.events_summary(scope=metrics.MetricScope(programme=cast.programme)).counted
        ),
        "dashboard": _dashboard(client, cast),
        "list": _list(client),
        "detail": _detail(client, event),
        "export": _export(client, cast),
        "report": _report(cast, event),
        "admin": _admin(client, event),
    }


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ({"total": 100, "organisations": (60, 40)}, "100"),
        ({"total": 100, "sites": (70, 30), "organisations": (60, 40)}, "100"),
        ({"sites": (70, 25), "organisations": (60, 40)}, "95"),
        ({"organisations": (60, 40)}, "100"),
    ],
)
def test_every_surface_shows_the_same_head_count(client, cast, rows, expected):
    event = _event(cast, **rows)

    shown = surfaces(client, cast, event)

    assert shown == dict.fromkeys(shown, expected)


def test_an_approximate_total_reads_about_wherever_it_is_qualified(client, cast):
    event = _event(cast, total=27, organisations=(20,), approximate=True)
    client.force_login(cast.manager)

    assert _list(client) == "about 27"
    assert _detail(client, event) == "about 27"
    assert _dashboard(client, cast) == "about 27"
    assert _report(cast, event) == "about 27"


def test_an_event_without_head_counts_has_none(client, cast):
    event = _event(cast)
    client.force_login(cast.manager)

    (row,) = metrics.events_summary(scope=metrics.MetricScope(programme=event.programme)).events
    assert row.counted is None
    assert _list(client) == ""


def test_a_sum_of_some_of_the_event_s_sites_says_the_others_are_unknown(client, cast):
    event = _event(cast, sites=(4,), of=[cast.fife, cast.glasgow])
    client.force_login(cast.manager)

    assert _list(client) == "4 from 1 site; 1 site unknown"
    assert _detail(client, event) == "4 from 1 site; 1 site unknown"
    assert _report(cast, event) == "4"
    (row,) = metrics.events_summary(scope=metrics.MetricScope(programme=cast.programme)).events
    assert (row.counted, row.sites, row.sites_unknown) == (4, 1, 1)
    assert _dashboard(client, cast) == "4; 1 site unknown"


@pytest.mark.parametrize(
    ("rows", "unknown"),
    [
        ({"sites": (4, 3)}, 0),
        ({"total": 10, "sites": (4,)}, 0),
        ({"organisations": (5,)}, 0),
        ({}, 0),
    ],
)
def test_no_site_is_unknown_unless_the_head_count_adds_up_sites(cast, rows, unknown):
    _event(cast, of=[cast.fife, cast.glasgow], **rows)

    (row,) = metrics.events_summary(scope=metrics.MetricScope(programme=cast.programme)).events

    assert row.sites_unknown == unknown
