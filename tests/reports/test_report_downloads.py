"""Downloading a report version: the file to those whose pages would show all it holds."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from docx import Document

from car_programme.privacy import consent_withdraw
from inquiries.models import Person
from reports.enums import ReportKind, ReportStatus
from reports.models import ReportRequest
from tests.cast import outcome, page_as, sign_in
from tests.factories.inquiries import MembershipFactory, consented_to_be_named
from tests.factories.sites import ProgrammeFactory
from tests.reports import requests

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", requests.ROLES)
def test_download_per_role(client, cast, pdf_bytes, role):
    report = requests.report_on(cast.group, status=ReportStatus.READY, pdf=pdf_bytes)
    response = page_as(client, cast, role, "reports:report_download", report)

    assert outcome(response) == requests.VIEW_OUTCOMES[role]
    if outcome(response) == "shown":
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == pdf_bytes


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize("role", requests.ROLES)
def test_the_word_copy_goes_to_whoever_may_download_the_pdf(
    client, cast, pdf_bytes, docx_bytes, role
):
    report = requests.report_on(
        cast.group, status=ReportStatus.READY, pdf=pdf_bytes, docx=docx_bytes
    )
    pdf = page_as(client, cast, role, "reports:report_download", report)
    docx = page_as(client, cast, role, "reports:report_download_docx", report)

    assert outcome(docx) == outcome(pdf) == requests.VIEW_OUTCOMES[role]
    if outcome(docx) == "shown":
        assert docx["Content-Type"] == DOCX_TYPE
        assert docx["X-Content-Type-Options"] == "nosniff"
        pdf_name = pdf["Content-Disposition"].split("filename=")[1].strip('"')
        assert docx["Content-Disposition"] == (
            f'attachment; filename="{pdf_name.removesuffix(".pdf")}.docx"'
        )
        assert b"".join(docx.streaming_content) == docx_bytes


def test_a_version_without_a_word_copy_offers_none(client, cast, pdf_bytes):
    report = requests.report_on(cast.group, status=ReportStatus.READY, pdf=pdf_bytes)
    sign_in(client, cast.manager)

    panel = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()
    docx = client.get(reverse("reports:report_download_docx", args=[report.pk]))

    assert "Word (DOCX)" not in panel
    assert outcome(docx) == "not found"


@pytest.fixture
def members(cast):
    """A member who consented to be named and one who did not, both of the Fife cast.group."""
    people = {}
    for name, consents in (("Morag Consenting", True), ("Hamish Private", False)):
        person = MembershipFactory(group=cast.group, person__name=name).person
        if consents:
            consented_to_be_named(person)
        people[name] = person
    return people


def word_text(docx: bytes) -> str:
    """Every paragraph of a Word document, its tables' cells included."""
    document = Document(io.BytesIO(docx))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# Who downloads a version that names a person the site's lead sees only by pseudonym: those
# who may see that name, and nobody else (the request itself stays in sight).
NAMING_OUTCOMES = requests.VIEW_OUTCOMES | {"fife_lead": "not found"}


@pytest.mark.parametrize("role", requests.ROLES)
def test_download_of_a_version_naming_people_follows_the_name_rule(
    client, cast, members, pdf_bytes, docx_bytes, role
):
    report = requests.report_on(
        cast.group, status=ReportStatus.READY, pdf=pdf_bytes, docx=docx_bytes
    )
    report.named_people.set(members.values())
    response = page_as(client, cast, role, "reports:report_download", report)
    docx = page_as(client, cast, role, "reports:report_download_docx", report)

    assert outcome(response) == outcome(docx) == NAMING_OUTCOMES[role]
    if outcome(response) == "shown":
        assert b"".join(response.streaming_content) == pdf_bytes


def test_a_lead_downloads_a_version_naming_only_who_consented_until_consent_is_withdrawn(
    client, cast, members, pdf_bytes
):
    report = requests.report_on(cast.group, status=ReportStatus.READY, pdf=pdf_bytes)
    report.named_people.set([members["Morag Consenting"]])
    sign_in(client, cast.fife_lead)
    url = reverse("reports:report_download", args=[report.pk])

    before = client.get(url)
    consent_withdraw(person=members["Morag Consenting"], on=dt.date(2016, 1, 1), by=None)
    after = client.get(url)

    assert b"".join(before.streaming_content) == pdf_bytes
    assert outcome(after) == "not found"


def test_a_report_requested_by_name_is_not_offered_to_the_sites_lead(
    client, cast, members, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    sign_in(client, cast.fife_researcher)
    report = requests.render_group_report(
        client, cast, {"sections": ["members"]}, django_capture_on_commit_callbacks
    )
    assert report.status == ReportStatus.READY, report.error
    assert set(report.named_people.all()) == set(members.values())

    client.force_login(cast.fife_lead)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    download = client.get(reverse("reports:report_download", args=[report.pk]))
    docx = client.get(reverse("reports:report_download_docx", args=[report.pk]))

    assert outcome(download) == outcome(docx) == "not found"
    assert reverse("reports:report_download", args=[report.pk]) not in page
    assert reverse("reports:report_download_docx", args=[report.pk]) not in page
    assert "names people whom your pages show by pseudonym" in page
    assert "Ask a researcher of the site for an anonymised version." in page


def test_an_anonymised_version_names_only_who_consented_and_is_the_leads_to_read(
    client, cast, members, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    sign_in(client, cast.fife_researcher)
    report = requests.render_group_report(
        client, cast, requests.ANONYMISED, django_capture_on_commit_callbacks
    )

    client.force_login(cast.fife_lead)
    download = client.get(reverse("reports:report_download", args=[report.pk]))
    docx = client.get(reverse("reports:report_download_docx", args=[report.pk]))

    assert list(report.named_people.all()) == [members["Morag Consenting"]]
    assert outcome(download) == outcome(docx) == "shown"
    text = word_text(b"".join(docx.streaming_content))
    assert "Morag Consenting" in text
    assert "Hamish Private" not in text


def test_a_reader_who_may_request_is_offered_an_anonymised_version(
    client, cast, members, pdf_bytes
):
    options = {"anonymise": False, "start": "2016-01-01", "end": None, "sections": ["members"]}
    report = requests.report_on(cast.group, status=ReportStatus.READY, pdf=pdf_bytes)
    ReportRequest.objects.filter(pk=report.pk).update(options=options)
    report.named_people.set(members.values())
    # A researcher who may request the group's reports but not see these names: none exists
    # under today's rules, so one name rule stands in, narrowed for this reader.
    sign_in(client, cast.fife_researcher)
    Person.objects.filter(pk=members["Hamish Private"].pk).update(programme=ProgrammeFactory())

    html = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()

    assert "Request an anonymised version" in html
    form = html[html.index('<form method="post"') : html.index("</form>")]
    assert 'name="anonymise" value="on"' in form and 'value="2016-01-01"' in form


# Free-text answers are read on the event's page by its editors only; an event report that
# prints them is downloaded by them alone.
COMMENTS_OUTCOMES = requests.VIEW_OUTCOMES | {
    "fife_lead": "not found",
    "glasgow_researcher": "not found",
}


@pytest.mark.parametrize("role", requests.ROLES)
def test_download_of_an_event_report_with_free_text_answers_follows_the_event_page(
    client, cast, event, pdf_bytes, role
):
    report = ReportRequest(
        programme=event.programme,
        kind=ReportKind.EVENT,
        event=event,
        status=ReportStatus.READY,
        options={"anonymise": True, "sections": ["comments"]},
        holds_comments=True,
        pages=1,
        size_bytes=len(pdf_bytes),
        checksum=hashlib.sha256(pdf_bytes).hexdigest(),
    )
    report.file.save("report.pdf", ContentFile(pdf_bytes), save=False)
    report.save()
    response = page_as(client, cast, role, "reports:report_download", report)

    assert outcome(response) == COMMENTS_OUTCOMES[role]
    if role == "fife_lead":
        panel = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()
        assert "prints free-text answers that only the event's editors read" in panel
        assert "names people" not in panel and "Request an anonymised version" not in panel


@pytest.mark.parametrize("status", [ReportStatus.QUEUED, ReportStatus.FAILED])
def test_download_of_an_unfinished_report_is_not_found(client, cast, status):
    report = requests.report_on(cast.group, status=status)
    sign_in(client, cast.manager)

    response = client.get(reverse("reports:report_download", args=[report.pk]))

    assert outcome(response) == "not found"
