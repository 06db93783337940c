"""Report request pages per role: requesting, following, deleting, listing."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiries.models import InquiryGroup
from reports import kinds
from reports.enums import ProgressStep, ReportKind, ReportStatus
from reports.models import ReportRequest
from tests.cast import as_user, outcome, page_as, sign_in
from tests.factories.inquiries import InquiryGroupFactory
from tests.reports.requests import (
    ANONYMISED,
    ROLES,
    VIEW_OUTCOMES,
    render_group_report,
    report_on,
)

pytestmark = pytest.mark.django_db


def target_pk(kind, group, event, fife):
    return {
        "group_learning": group.pk,
        "handover_pack": group.pk,
        "event": event.pk,
        "site": fife.pk,
        "end_of_programme": fife.programme.pk,
    }[kind]


# --- The request form -------------------------------------------------------------------------

REQUEST_OUTCOMES = {
    # role: group learning, handover pack, site, event, end of programme
    "manager": ("shown", "shown", "shown", "shown", "shown"),
    "fife_researcher": ("shown", "shown", "refused", "shown", "refused"),
    "glasgow_researcher": ("refused", "refused", "refused", "refused", "refused"),
    "fife_lead": ("refused", "refused", "shown", "refused", "refused"),
    "glasgow_lead": ("not found", "not found", "not found", "not found", "refused"),
    "other_manager": ("not found",) * 5,
    "anonymous": ("sign in",) * 5,
}
KINDS = ["group_learning", "handover_pack", "site", "event", "end_of_programme"]


@pytest.mark.parametrize("role", ROLES)
def test_request_form_per_role(client, cast, event, role):
    as_user(client, cast, role)

    got = tuple(
        outcome(
            client.get(
                reverse(
                    "reports:report_request",
                    args=[kind, target_pk(kind, cast.group, event, cast.fife)],
                )
            )
        )
        for kind in KINDS
    )

    assert got == REQUEST_OUTCOMES[role]


def test_request_form_shows_options_with_labels(client, cast):
    sign_in(client, cast.fife_researcher)

    page = client.get(reverse("reports:report_request", args=["group_learning", cast.group.pk]))

    html = page.content.decode()
    assert 'for="id_start"' in html and 'for="id_end"' in html
    assert 'type="date" name="start"' in html
    assert 'value="members"' in html
    assert not page.context["form"].fields["anonymise"].disabled


def test_request_form_unknown_kind_is_not_found(client, cast):
    sign_in(client, cast.manager)

    page = client.get(reverse("reports:report_request", args=["gossip", cast.group.pk]))

    assert outcome(page) == "not found"


def test_request_queues_one_request_and_goes_to_its_status_page(client, cast):
    report_on(cast.group, status=ReportStatus.FAILED, error="Out of memory")
    sign_in(client, cast.fife_researcher)

    response = client.post(
        reverse("reports:report_request", args=["group_learning", cast.group.pk]),
        {"start": "2016-01-01", "end": "2016-12-31", "sections": ["members"]},
    )

    report = ReportRequest.objects.get(version=2)
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])
    assert (report.status, report.group, report.requested_by) == (
        ReportStatus.QUEUED,
        cast.group,
        cast.fife_researcher,
    )
    assert report.options == {
        "anonymise": False,
        "start": "2016-01-01",
        "end": "2016-12-31",
        "sections": ["members"],
    }
    assert ReportRequest.objects.count() == 2


def test_request_by_a_lead_is_anonymised_whatever_the_form_says(client, cast):
    sign_in(client, cast.fife_lead)

    url = reverse("reports:report_request", args=["site", cast.fife.pk])
    page = client.get(url)
    sections = [slug for slug, _label in kinds.KINDS[ReportKind.SITE].sections]
    client.post(url, {"anonymise": "", "sections": sections})

    assert page.context["form"].fields["anonymise"].disabled
    assert ReportRequest.objects.get().options["anonymise"] is True


def test_request_with_end_before_start_is_refused_beside_the_field(client, cast):
    sign_in(client, cast.manager)

    response = client.post(
        reverse("reports:report_request", args=["group_learning", cast.group.pk]),
        {"anonymise": "on", "start": "2017-03-01", "end": "2017-01-01", "sections": ["members"]},
    )

    form = response.context["form"]
    assert form.errors == {"end": ["The end of the date range comes before its start."]}
    html = response.content.decode()
    assert 'value="2017-03-01"' in html and 'value="2017-01-01"' in html
    assert not ReportRequest.objects.exists()


def test_request_renders_in_process_when_there_is_no_broker(
    client, cast, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    sign_in(client, cast.manager)

    report = render_group_report(client, cast, ANONYMISED, django_capture_on_commit_callbacks)
    panel = client.get(reverse("reports:report_status", args=[report.pk]))

    assert report.status == ReportStatus.READY, report.error
    assert report.checksum in panel.content.decode()


# --- Status page and its polled panel ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_status_page_and_panel_per_role(client, cast, role):
    report = report_on(cast.group)
    as_user(client, cast, role)

    page = client.get(reverse("reports:report_detail", args=[report.pk]))
    panel = client.get(reverse("reports:report_status", args=[report.pk]))

    assert (outcome(page), outcome(panel)) == (VIEW_OUTCOMES[role], VIEW_OUTCOMES[role])


def test_panel_of_a_queued_report_polls(client, cast):
    report = report_on(cast.group, enqueued_at=timezone.now())
    sign_in(client, cast.manager)

    html = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()

    assert 'hx-trigger="every 2s"' in html
    assert "waiting for a free worker" in html
    assert "unavailable" not in html


def test_panel_says_when_the_report_service_is_down(client, cast):
    report = report_on(cast.group, enqueued_at=None)
    sign_in(client, cast.manager)

    html = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()

    assert (
        "The report service is unavailable just now; your request is saved and will be "
        "rendered when it is back" in html
    )
    assert 'hx-trigger="every 2s"' in html


def test_panel_of_a_rendering_report_shows_its_step_and_polls(client, cast):
    report = report_on(
        cast.group,
        status=ReportStatus.RENDERING,
        progress_step=ProgressStep.LAYOUT,
        started_at=timezone.now(),
    )
    sign_in(client, cast.manager)

    html = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()

    assert "Laying out pages" in html
    assert 'hx-trigger="every 2s"' in html
    assert reverse("reports:report_detail", args=[report.pk]) in html  # the no-JS refresh link


def test_panel_answers_no_content_while_nothing_has_changed(client, cast):
    report = report_on(cast.group, status=ReportStatus.RENDERING, progress_step=ProgressStep.CHARTS)
    sign_in(client, cast.manager)
    url = reverse("reports:report_status", args=[report.pk])

    unchanged = client.get(url, {"seen": "rendering.charts.waiting"})
    moved_on = client.get(url, {"seen": "rendering.gathering.waiting"})

    assert unchanged.status_code == 204 and unchanged.content == b""
    assert "Drawing charts" in moved_on.content.decode()
    assert "seen=rendering.charts.waiting" in moved_on.content.decode()


def test_panel_of_a_ready_report_offers_the_file_and_stops_polling(
    client, cast, pdf_bytes, docx_bytes
):
    report = report_on(cast.group, status=ReportStatus.READY, pdf=pdf_bytes, docx=docx_bytes)
    sign_in(client, cast.manager)

    html = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()
    listed = client.get(reverse("reports:report_list")).content.decode()

    assert "hx-trigger" not in html and "hx-get" not in html
    assert reverse("reports:report_download", args=[report.pk]) in html
    assert reverse("reports:report_download_docx", args=[report.pk]) in html
    assert report.checksum in html and report.docx_checksum in html
    assert f"{len(pdf_bytes) / 1024:.1f}\xa0KB" in html
    docx_size = f"{len(docx_bytes) / 1024:.1f}\xa0KB"
    assert "Word (DOCX)<span" in html and docx_size in html
    assert f"Word (DOCX) {docx_size}" in listed


def test_panel_of_a_failed_report_explains_and_offers_to_request_again(client, cast):
    report = report_on(
        cast.group,
        status=ReportStatus.FAILED,
        error="The cast.group has no members in this date range.",
    )
    sign_in(client, cast.fife_researcher)

    html = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()

    assert "hx-trigger" not in html
    assert "The cast.group has no members in this date range." in html
    assert reverse("reports:report_request", args=["group_learning", cast.group.pk]) in html
    assert "Request again" in html


def test_request_again_asks_for_the_same_options_as_a_new_version(client, cast):
    options = {"anonymise": True, "start": "2016-01-01", "end": None, "sections": ["members"]}
    report = report_on(cast.group, status=ReportStatus.FAILED, error="Timed out")
    ReportRequest.objects.filter(pk=report.pk).update(options=options)
    sign_in(client, cast.fife_researcher)
    html = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()
    form = html[html.index('<form method="post"') : html.index("</form>")]
    action = re.search(r'action="([^"]+)"', form).group(1)
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form):
        data.setdefault(name, []).append(value)

    client.post(action, data)

    again = ReportRequest.objects.get(version=2)
    assert (again.group, again.options) == (cast.group, options)


def test_failed_report_is_not_offered_again_to_a_reader_who_may_not_request_it(client, cast):
    report = report_on(cast.group, status=ReportStatus.FAILED, error="Out of memory")
    sign_in(client, cast.fife_lead)

    html = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()

    assert "Out of memory" in html and "Request again" not in html


def test_status_page_shows_version_and_requester(client, cast, pdf_bytes):
    report = report_on(
        cast.group, status=ReportStatus.READY, pdf=pdf_bytes, version=3, requested_by=cast.manager
    )
    sign_in(client, cast.fife_lead)

    html = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()

    assert "Version 3" in html and str(cast.manager) in html
    assert 'aria-live="polite"' in html


# --- Deleting ---------------------------------------------------------------------------------

DELETE_OUTCOMES = {
    "manager": "shown",
    "fife_researcher": "refused",
    "glasgow_researcher": "refused",
    "fife_lead": "refused",
    "glasgow_lead": "not found",
    "other_manager": "not found",
    "anonymous": "sign in",
}


@pytest.mark.parametrize("role", ROLES)
def test_delete_confirmation_per_role(client, cast, pdf_bytes, role):
    report = report_on(cast.group, status=ReportStatus.READY, pdf=pdf_bytes)
    response = page_as(client, cast, role, "reports:report_delete", report)
    client.post(reverse("reports:report_delete", args=[report.pk]))

    assert outcome(response) == DELETE_OUTCOMES[role]
    assert ReportRequest.objects.filter(pk=report.pk).exists() == (role != "manager")


def test_delete_removes_the_pdf_and_the_word_copy_too(
    client, cast, pdf_bytes, docx_bytes, django_capture_on_commit_callbacks
):
    report = report_on(cast.group, status=ReportStatus.READY, pdf=pdf_bytes, docx=docx_bytes)
    storage, names = report.file.storage, [report.file.name, report.docx_file.name]
    assert all(storage.exists(name) for name in names)
    sign_in(client, cast.manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_delete", args=[report.pk]))

    assert response["Location"] == reverse("reports:report_list")
    assert not ReportRequest.objects.exists()
    assert not any(storage.exists(name) for name in names)


def test_delete_waits_until_a_report_has_finished(client, cast):
    report = report_on(cast.group, status=ReportStatus.RENDERING, started_at=timezone.now())
    sign_in(client, cast.manager)

    client.post(reverse("reports:report_delete", args=[report.pk]))

    assert ReportRequest.objects.filter(pk=report.pk).exists()


# --- The list of reports ----------------------------------------------------------------------


def test_list_shows_each_role_only_the_reports_it_may_read(client, cast):
    fife_group = InquiryGroupFactory(programme=cast.programme, name="Fife group")
    fife_group.sites.set([cast.fife])
    glasgow_group = InquiryGroupFactory(programme=cast.programme, name="Glasgow group")
    glasgow_group.sites.set([cast.glasgow])
    report_on(fife_group)
    report_on(glasgow_group)
    seen = {}
    for role in ("manager", "fife_lead", "glasgow_lead", "other_manager"):
        client.force_login(cast.user(role))
        listed = client.get(reverse("reports:report_list"))
        seen[role] = {g["versions"][0].group.name for g in listed.context["reports"]}

    assert seen == {
        "manager": {"Fife group", "Glasgow group"},
        "fife_lead": {"Fife group"},
        "glasgow_lead": {"Glasgow group"},
        "other_manager": set(),
    }


def test_list_sends_anonymous_to_sign_in(client):
    assert outcome(client.get(reverse("reports:report_list"))) == "sign in"


def test_list_keeps_past_versions_with_the_latest(client, cast, event):
    for version in (1, 2, 3):
        report_on(cast.group, version=version, status=ReportStatus.FAILED)
    ReportRequest.objects.create(
        programme=cast.programme, kind=ReportKind.EVENT, event=event, version=1
    )
    sign_in(client, cast.manager)

    listed = client.get(reverse("reports:report_list")).context["reports"]

    # The event's report is newest, so it comes first; the group's versions stay together.
    assert [[r.version for r in g["versions"]] for g in listed] == [[1], [3, 2, 1]]
    assert [g["versions"][0].kind for g in listed] == [ReportKind.EVENT, ReportKind.GROUP_LEARNING]


def test_list_filters_by_kind_and_status(client, cast, event):
    report_on(cast.group, status=ReportStatus.FAILED)
    ReportRequest.objects.create(
        programme=cast.programme, kind=ReportKind.EVENT, event=event, version=1
    )
    sign_in(client, cast.manager)

    by_kind = client.get(reverse("reports:report_list"), {"kind": ReportKind.EVENT})
    by_status = client.get(reverse("reports:report_list"), {"status": ReportStatus.FAILED})

    assert [g["versions"][0].kind for g in by_kind.context["reports"]] == [ReportKind.EVENT]
    assert [g["versions"][0].kind for g in by_status.context["reports"]] == [
        ReportKind.GROUP_LEARNING
    ]


def test_list_offers_the_end_of_programme_report_to_managers_only(client, cast):
    url = reverse("reports:report_request", args=["end_of_programme", cast.programme.pk])
    offered = {}
    for role in ("manager", "fife_researcher", "fife_lead"):
        client.force_login(cast.user(role))
        offered[role] = url in client.get(reverse("reports:report_list")).content.decode()

    assert offered == {"manager": True, "fife_researcher": False, "fife_lead": False}


# --- Entry points on the target's pages -------------------------------------------------------


@pytest.mark.parametrize(("role", "offered"), [("fife_researcher", True), ("fife_lead", False)])
def test_group_and_event_pages_offer_reports_to_those_who_may_request_them(
    client, cast, event, role, offered
):
    as_user(client, cast, role)

    group_page = client.get(
        reverse("inquiries:group_detail", args=[cast.group.pk])
    ).content.decode()
    event_page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()

    group_url = reverse("reports:report_request", args=["handover_pack", cast.group.pk])
    event_url = reverse("reports:report_request", args=["event", event.pk])
    assert (group_url in group_page, event_url in event_page) == (offered, offered)


@pytest.mark.parametrize(("role", "offered"), [("fife_lead", True), ("fife_researcher", False)])
def test_site_page_offers_the_site_report_to_its_lead(client, cast, role, offered):
    as_user(client, cast, role)

    page = client.get(reverse("sites:site_detail", args=[cast.fife.pk])).content.decode()

    assert (reverse("reports:report_request", args=["site", cast.fife.pk]) in page) == offered


# --- Query counts -----------------------------------------------------------------------------

SIZES = [2, 12]


@pytest.mark.parametrize("size", SIZES)
def test_list_query_count_does_not_grow(client, cast, django_assert_max_num_queries, size):
    groups = InquiryGroupFactory.create_batch(size, programme=cast.programme)
    InquiryGroup.sites.through.objects.bulk_create(
        InquiryGroup.sites.through(inquirygroup=group, casesite=cast.fife) for group in groups
    )
    for group in groups:
        report_on(group, version=1, status=ReportStatus.FAILED)
        report_on(group, version=2, requested_by=cast.manager)
    client.force_login(cast.fife_lead)

    # Session, user, roles; programme choices; the end-of-programme offer; the site reports on
    # offer; whether a group report is; count; the page's targets; their versions with targets
    # and requesters; saving the session.
    with django_assert_max_num_queries(11):
        listed = client.get(reverse("reports:report_list"))

    assert listed.context["page_obj"].paginator.count == size
    assert {len(g["versions"]) for g in listed.context["reports"]} == {2}


@pytest.mark.parametrize("size", SIZES)
def test_status_page_query_count_does_not_grow(client, cast, django_assert_max_num_queries, size):
    for version in range(1, size + 1):
        report = report_on(
            cast.group, version=version, status=ReportStatus.FAILED, error="Timed out"
        )
    client.force_login(cast.manager)

    # Session, user, roles; the report with its target; the request-again and delete rules;
    # saving the session (three). The panel alone asks no delete rule.
    with django_assert_max_num_queries(9):
        page = client.get(reverse("reports:report_detail", args=[report.pk]))
    with django_assert_max_num_queries(8):
        panel = client.get(reverse("reports:report_status", args=[report.pk]))

    assert f"Version {size}" in page.content.decode()
    assert "Request again" in panel.content.decode()


def test_the_reports_page_offers_each_reader_the_reports_they_may_request(client, cast):
    client.force_login(cast.fife_lead)
    lead_page = client.get(reverse("reports:report_list")).content.decode()
    client.force_login(cast.fife_researcher)
    researcher = client.get(reverse("reports:report_list"))

    # A strategy lead publishes their site's report; a researcher requests their groups'.
    assert reverse("reports:report_request", args=["site", cast.fife.pk]) in lead_page
    assert reverse("reports:report_request_group") not in lead_page
    assert cast.group in researcher.context["group_report_form"].fields["group"].queryset
    chosen = client.get(
        reverse("reports:report_request_group"),
        {"kind": ReportKind.HANDOVER_PACK, "group": cast.group.pk},
    )
    assert chosen.url == reverse("reports:report_request", args=["handover_pack", cast.group.pk])


def test_a_group_the_reader_may_not_report_on_is_not_chosen(client, cast):
    client.force_login(cast.fife_lead)

    refused = client.get(
        reverse("reports:report_request_group"),
        {"kind": ReportKind.GROUP_LEARNING, "group": cast.group.pk},
    )

    assert refused.url == reverse("reports:report_list")


@pytest.mark.parametrize(("role", "linked"), [("fife_lead", True), ("glasgow_researcher", False)])
def test_a_site_dashboard_leads_to_its_report_where_the_reader_may_request_it(
    client, cast, role, linked
):
    as_user(client, cast, role)

    page = client.get(
        reverse("reports:site_dashboard", args=[cast.programme.slug, cast.fife.slug])
    ).content.decode()

    assert (reverse("reports:report_request", args=["site", cast.fife.pk]) in page) == linked
