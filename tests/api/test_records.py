"""Evidence, events and reports through the API: what each record shows (files as links to
their guarded downloads, head counts as the pages count them, feedback only aggregated), and
writes refused with the pages' words."""

import pytest
from django.urls import reverse

from events.enums import QuestionKind
from evidence.models import EvidenceItem
from reports.models import ReportRequest
from tests import factories
from tests.api.test_roles import client_as

pytestmark = pytest.mark.django_db


def test_an_evidence_file_is_a_link_to_its_guarded_download_never_its_storage(cast):
    item = factories.EvidenceItemFactory(programme=cast.programme, group=cast.group, with_file=True)
    detail = client_as(cast, "fife_lead", "token").get(
        reverse("api:evidence-item-detail", args=[item.pk])
    )

    link = detail.json()["file_url"]
    assert link == f"http://testserver{reverse('evidence:evidence_download', args=[item.pk])}"
    assert item.file.name not in detail.content.decode()
    download = client_as(cast, "fife_lead", "session").get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_event_s_head_count_is_the_pages_and_its_rows_are_listed(cast):
    event = factories.event_in(cast.fife)
    factories.AttendanceCountFactory(event=event, site=cast.fife, count=12)
    factories.AttendanceCountFactory(event=event, count=30, approximate=True)

    answer = (
        client_as(cast, "manager", "token").get(reverse("api:event-detail", args=[event.pk])).json()
    )

    # The total row decides; the site's row is the same people, not 12 more.
    assert (answer["head_count"], answer["head_count_approximate"]) == (30, True)
    assert sorted(row["count"] for row in answer["attendance_counts"]) == [12, 30]


def test_a_feedback_form_gives_its_results_aggregated_and_no_answer(cast):
    statement = factories.FeedbackQuestionFactory(
        form__event=factories.event_in(cast.fife), text="I learnt a lot"
    )
    comment = factories.FeedbackQuestionFactory(
        form=statement.form, text="What would you change?", kind=QuestionKind.FREE_TEXT
    )
    for score in (5, 4, 2):
        response = factories.FeedbackResponseFactory(form=statement.form)
        factories.FeedbackAnswerFactory(response=response, question=statement, score=score)
        factories.FeedbackAnswerFactory(
            response=response, question=comment, score=None, text=f"Private remark {score}"
        )
    client = client_as(cast, "manager", "token")

    detail = client.get(reverse("api:feedback-form-detail", args=[statement.form.pk]))
    listed = client.get(reverse("api:feedback-form-list")).json()["results"]

    assert detail.json() == listed[0]
    assert detail.json()["response_count"] == 3
    [result] = detail.json()["statements"]
    assert (result["text"], result["responses"], result["agreeing"]) == ("I learnt a lot", 3, 2)
    assert result["share"] == pytest.approx(200 / 3)
    assert "Private remark" not in detail.content.decode()
    assert statement.form.token not in detail.content.decode()


def record(client, resource, **fields):
    return client.post(reverse(f"api:{resource}-list"), fields, format="json")


EVIDENCE = {"kind": "survey", "order": "first", "authorship": "practitioner"}


def test_new_evidence_is_answered_as_the_list_shows_it_and_saved_by_its_writer(cast):
    client = client_as(cast, "fife_researcher", "token")

    response = record(
        client, "evidence-item", title="Carers' survey", sites=[cast.fife.pk], **EVIDENCE
    )

    assert response.status_code == 201, response.json()
    shown = client.get(response.json()["url"]).json()
    assert response.json() == shown
    assert (shown["programme"], shown["sites"]) == (cast.programme.pk, [cast.fife.pk])
    item = EvidenceItem.objects.get(pk=shown["id"])
    assert (item.recorded_by, item.history.latest().history_user) == (
        cast.fife_researcher,
        cast.fife_researcher,
    )


def test_a_record_in_no_site_or_group_is_refused_with_the_page_s_words(cast):
    client = client_as(cast, "manager", "token")

    evidence = record(client, "evidence-item", title="Nowhere", **EVIDENCE)
    output = record(client, "output", title="Nowhere", kind="briefing")

    assert evidence.status_code == output.status_code == 400
    assert evidence.json() == {
        "non_field_errors": ["Choose at least one site or group that you may edit."]
    }
    assert output.json() == {
        "non_field_errors": [
            "Choose at least one site or group that you may edit, or the programme."
        ]
    }


def test_a_programme_s_manager_records_an_output_of_the_whole_programme(cast):
    response = record(
        client_as(cast, "manager", "token"),
        "output",
        title="Programme briefing",
        kind="briefing",
        programme=cast.programme.pk,
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["sites"], response.json()["status"]) == ([], "draft")


def test_a_title_taken_in_the_programme_is_refused_next_to_the_title(cast):
    factories.ChangeFactory(programme=cast.programme, sites=[cast.fife], title="Clinic opened")

    response = record(
        client_as(cast, "manager", "token"),
        "change",
        title="Clinic opened",
        type="practice",
        level="team",
        sites=[cast.fife.pk],
    )

    assert response.status_code == 400
    assert response.json() == {
        "title": ["The programme already has a record titled “Clinic opened”."]
    }


def test_a_missing_field_is_refused_next_to_it(cast):
    response = record(
        client_as(cast, "manager", "token"), "evidence-item", sites=[cast.fife.pk], **EVIDENCE
    )

    assert response.status_code == 400
    assert list(response.json()) == ["title"]


def test_a_report_of_someone_who_may_not_name_people_is_anonymised_whatever_they_ask(cast):
    response = record(
        client_as(cast, "fife_lead", "token"),
        "report-request",
        kind="site",
        target=cast.fife.pk,
        anonymise=False,
    )

    assert response.status_code == 201, response.json()
    assert ReportRequest.objects.get(pk=response.json()["id"]).options["anonymise"] is True


def test_a_report_s_options_are_refused_with_the_request_page_s_words(cast):
    client = client_as(cast, "manager", "token")

    no_section = record(client, "report-request", kind="site", target=cast.fife.pk, sections=[])
    backwards = record(
        client,
        "report-request",
        kind="site",
        target=cast.fife.pk,
        start="2016-01-01",
        end="2015-01-01",
    )

    assert no_section.json() == {"sections": ["Choose at least one section."]}
    assert backwards.status_code == 400
    assert not ReportRequest.objects.exists()


def test_a_report_on_its_way_is_not_deleted_and_says_why(cast):
    report = ReportRequest.objects.create(
        programme=cast.programme, kind="group_learning", group=cast.group
    )

    response = client_as(cast, "manager", "token").delete(
        reverse("api:report-request-detail", args=[report.pk])
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["A report can be deleted once it is ready or has failed."]
    }
