import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.enums import EventKind, QuestionKind
from events.models import AttendanceCount, Event, FeedbackAnswer, FeedbackQuestion, FeedbackResponse
from inquiries.enums import ConsentMethod, ConsentUse
from inquiries.models import Consent
from tests import factories
from tests.cast import as_user, sign_in
from tests.events.pages import EDIT, READ

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", READ)
def test_event_detail_per_role(client, cast, role):
    event = factories.event_in(cast.fife, title="Fife learning day")

    response = as_user(client, cast, role).get(reverse("events:event_detail", args=[event.pk]))

    assert response.status_code == READ[role]
    if READ[role] == 200:
        assert "Fife learning day" in response.content.decode()
    if role == "anonymous":
        assert "login" in response["Location"]


@pytest.mark.parametrize("role", READ)
def test_event_list_per_role(client, cast, role):
    factories.event_in(cast.fife, title="Fife learning day")

    response = as_user(client, cast, role).get(reverse("events:event_list"))

    if role == "anonymous":
        assert response.status_code == 302
        return
    titles = [event.title for event in response.context["events"]]
    assert titles == ([] if role == "glasgow_lead" else ["Fife learning day"])


@pytest.mark.parametrize(
    "name", ["event_update", "event_delete", "event_attendance", "feedbackform_create"]
)
@pytest.mark.parametrize("role", EDIT)
def test_event_edit_pages_per_role(client, cast, role, name):
    event = factories.event_in(cast.fife)

    response = as_user(client, cast, role).get(reverse(f"events:{name}", args=[event.pk]))

    assert response.status_code == EDIT[role]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 200),
        ("fife_researcher", 200),
        ("glasgow_researcher", 200),
        ("fife_lead", 403),
        ("glasgow_lead", 403),
        ("anonymous", 302),
    ],
)
def test_event_create_page_per_role(client, cast, role, status):
    response = as_user(client, cast, role).get(reverse("events:event_create"))

    assert response.status_code == status


def event_data(programme, **overrides):
    return {
        "programme": programme.pk,
        "title": "Home retreat",
        "kind": EventKind.HOME_RETREAT,
        "start_date": "2016-03-01",
        **overrides,
    }


def test_researcher_records_an_event_of_their_site(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("events:event_create"), event_data(cast.programme, sites=[cast.fife.pk])
    )

    event = Event.objects.get(title="Home retreat")
    assert response["Location"] == reverse("events:event_detail", args=[event.pk])
    assert list(event.sites.all()) == [cast.fife]


def test_researcher_cannot_record_an_event_of_another_site(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("events:event_create"), event_data(cast.glasgow.programme, sites=[cast.glasgow.pk])
    )

    assert response.status_code == 200
    assert "sites" in response.context["form"].errors
    assert not Event.objects.exists()


def test_only_a_manager_records_a_programme_wide_event(client, cast):
    client.force_login(cast.fife_researcher)
    refused = client.post(reverse("events:event_create"), event_data(cast.programme))
    client.force_login(cast.manager)
    accepted = client.post(reverse("events:event_create"), event_data(cast.programme))

    assert "sites" in refused.context["form"].errors
    assert accepted.status_code == 302
    assert Event.objects.get().sites.count() == 0


def test_event_form_keeps_input_when_invalid(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("events:event_create"),
        event_data(
            cast.programme,
            sites=[cast.fife.pk],
            start_date="2016-03-01",
            end_date="2016-02-01",
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Home retreat"' in page
    assert not Event.objects.exists()


def test_a_person_recording_an_event_gives_its_date(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("events:event_create"),
        event_data(cast.programme, sites=[cast.fife.pk], start_date=""),
    )

    assert response.context["form"].errors["start_date"] == ["This field is required."]
    assert not Event.objects.exists()


def test_an_event_the_source_leaves_undated_reads_date_unknown_and_lists_last(client, cast):
    undated = factories.event_in(
        cast.fife, title="Learning day", start_date=None, date_note="Not published."
    )
    factories.event_in(cast.fife, title="Home retreat")
    client.force_login(cast.fife_researcher)

    detail = client.get(reverse("events:event_detail", args=[undated.pk])).content.decode()
    listed = client.get(reverse("events:event_list")).context["object_list"]

    assert "date unknown" in detail
    assert "Not published." in detail
    assert [event.title for event in listed] == ["Home retreat", "Learning day"]


def test_researcher_edits_an_event_of_their_site(client, cast):
    event = factories.event_in(cast.fife, title="Old title")
    client.force_login(cast.fife_researcher)

    client.post(
        reverse("events:event_update", args=[event.pk]),
        event_data(cast.programme, title="New title", sites=[cast.fife.pk]),
    )

    event.refresh_from_db()
    assert event.title == "New title"
    assert event.history.first().history_user == cast.fife_researcher


def test_delete_asks_then_deletes(client, cast):
    event = factories.event_in(cast.fife, title="To delete")
    client.force_login(cast.fife_researcher)

    confirm = client.get(reverse("events:event_delete", args=[event.pk]))
    client.post(reverse("events:event_delete", args=[event.pk]))

    assert "Delete To delete?" in confirm.content.decode()
    assert not Event.objects.filter(pk=event.pk).exists()


def test_researcher_of_another_site_cannot_delete(client, cast):
    event = factories.event_in(cast.fife)
    client.force_login(cast.glasgow_researcher)

    response = client.post(reverse("events:event_delete", args=[event.pk]))

    assert response.status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_programme_wide_event_is_read_by_every_lead_and_edited_by_managers_only(client, cast):
    event = factories.EventFactory(programme=cast.programme, title="National retreat")

    other_lead = sign_in(client, cast.glasgow_lead).get(
        reverse("events:event_detail", args=[event.pk])
    )
    researcher = sign_in(client, cast.fife_researcher).get(
        reverse("events:event_update", args=[event.pk])
    )
    manager = sign_in(client, cast.manager).get(reverse("events:event_update", args=[event.pk]))

    assert (other_lead.status_code, researcher.status_code, manager.status_code) == (
        200,
        403,
        200,
    )


def test_event_list_filters_by_kind_site_dates_and_search(client, cast):
    factories.event_in(
        cast.fife, title="Fife seminar", kind=EventKind.SEMINAR, start_date="2016-05-01"
    )
    factories.event_in(
        cast.fife, title="Fife workshop", kind=EventKind.WORKSHOP, start_date="2016-05-02"
    )
    factories.event_in(
        cast.fife, title="Old seminar", kind=EventKind.SEMINAR, start_date="2015-01-01"
    )
    factories.event_in(
        cast.glasgow, title="Glasgow seminar", kind=EventKind.SEMINAR, start_date="2016-05-01"
    )
    client.force_login(cast.manager)

    response = client.get(
        reverse("events:event_list"),
        {"kind": "seminar", "site": cast.fife.pk, "start": "2016-01-01", "end": "2016-12-31"},
    )
    searched = client.get(reverse("events:event_list"), {"q": "workshop"})

    assert [e.title for e in response.context["events"]] == ["Fife seminar"]
    assert [e.title for e in searched.context["events"]] == ["Fife workshop"]


def test_attendance_records_people_and_counts(client, cast):
    event = factories.event_in(cast.fife)
    people = factories.PersonFactory.create_batch(3, programme=cast.programme)
    organisation = factories.OrganisationFactory(programme=cast.programme)
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("events:event_attendance", args=[event.pk]),
        {
            "attendees": [people[0].pk, people[2].pk],
            "counts-TOTAL_FORMS": "2",
            "counts-INITIAL_FORMS": "0",
            "counts-0-organisation": organisation.pk,
            "counts-0-count": "12",
            "counts-1-count": "42",
            "counts-1-approximate": "on",
        },
    )

    assert response.status_code == 302
    assert set(event.attendees.all()) == {people[0], people[2]}
    assert set(event.attendance_counts.values_list("organisation", "count", "approximate")) == {
        (organisation.pk, 12, False),
        (None, 42, True),
    }


def test_attendance_with_a_bad_row_writes_nothing(client, cast):
    event = factories.event_in(cast.fife)
    person = factories.PersonFactory(programme=cast.programme)
    factories.AttendanceCountFactory(event=event, count=7)
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("events:event_attendance", args=[event.pk]),
        {
            "attendees": [person.pk],
            "counts-TOTAL_FORMS": "2",
            "counts-INITIAL_FORMS": "0",
            "counts-0-count": "42",
            "counts-1-count": "5",
        },
    )

    assert response.status_code == 200
    assert "repeats" in response.content.decode()
    assert not event.attendees.exists()
    assert list(AttendanceCount.objects.values_list("count", flat=True)) == [7]


def _head_count_rows(organisations, sites) -> dict:
    """A head count row per organisation and per site, each with its count."""
    rows = [("organisation", o.pk) for o in organisations] + [("site", s.pk) for s in sites]
    data = {"counts-TOTAL_FORMS": str(len(rows)), "counts-INITIAL_FORMS": "0"}
    for number, (field, pk) in enumerate(rows):
        data |= {f"counts-{number}-{field}": pk, f"counts-{number}-count": str(number + 1)}
    return data


def test_head_count_rows_are_checked_with_the_same_queries_however_many(client, cast):
    # Each row chooses among the programme's organisations and sites, fetched once for all
    # rows; the last row is wrong, so every row is checked and the page is drawn again.
    event = factories.event_in(cast.fife)
    organisations = factories.OrganisationFactory.create_batch(12, programme=cast.programme)
    client.force_login(cast.fife_researcher)
    url = reverse("events:event_attendance", args=[event.pk])
    client.get(url)
    queries = []
    for size in (1, 12):
        data = _head_count_rows(organisations[:size], [cast.glasgow][: size // 12])
        data[f"counts-{size - 1 + size // 12}-count"] = "none"
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, data)
        assert response.status_code == 200
        assert "Enter a whole number." in response.content.decode()
        queries.append(len(captured))

    assert queries[0] == queries[1]
    assert not event.attendance_counts.exists()


def test_attendance_with_a_huge_row_count_is_refused_without_building_the_rows(client, cast):
    event = factories.event_in(cast.fife)
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("events:event_attendance", args=[event.pk]),
        {"counts-TOTAL_FORMS": "9" * 30, "counts-INITIAL_FORMS": "0", "counts-0-count": "42"},
    )

    assert response.status_code == 200
    assert "Please submit at most 200 forms." in response.content.decode()
    assert len(response.context["formset"].forms) == 200
    assert not event.attendance_counts.exists()


def test_attendance_checklist_shows_pseudonyms_to_those_who_may_not_see_names(client, cast):
    event = factories.event_in(cast.fife)
    hidden = factories.PersonFactory(programme=cast.programme, site=cast.fife, name="Alison Hidden")
    named = factories.PersonFactory(programme=cast.programme, site=cast.fife, name="Brian Named")
    Consent.objects.create(
        person=named, use=ConsentUse.NAMED, given_on="2015-06-01", method=ConsentMethod.WRITTEN
    )
    event.attendees.set([hidden, named])
    client.force_login(cast.fife_lead)

    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()

    assert "Alison Hidden" not in page
    assert hidden.pseudonym in page
    assert "Brian Named" in page


def test_event_page_shows_shares_and_published_ranges(client, cast):
    event = factories.event_in(cast.fife)
    form = factories.FeedbackFormFactory(event=event)
    learnt = factories.FeedbackQuestionFactory(form=form, text="I learnt a lot")
    for score in (5, 4, 4, 1):
        factories.FeedbackAnswerFactory(
            response=factories.FeedbackResponseFactory(form=form), question=learnt, score=score
        )
    factories.FeedbackQuestionFactory(
        form=form, text="I enjoyed the process", published_share_min=75, published_share_max=85
    )
    comment = factories.FeedbackQuestionFactory(
        form=form, kind=QuestionKind.FREE_TEXT, text="Comments?"
    )
    factories.FeedbackAnswerFactory(
        response=factories.FeedbackResponseFactory(form=form),
        question=comment,
        score=None,
        text="More tea please",
    )

    researcher = sign_in(client, cast.fife_researcher).get(
        reverse("events:event_detail", args=[event.pk])
    )
    lead = sign_in(client, cast.fife_lead).get(reverse("events:event_detail", args=[event.pk]))

    (result,) = researcher.context["page"].results
    shares = {s.text: s.share for s in result.statements}
    assert shares == {"I learnt a lot": 75.0, "I enjoyed the process": None}
    page = researcher.content.decode()
    assert "75%" in page
    assert "75% to 85%" in page and "published" in page
    assert "More tea please" in page
    assert "More tea please" not in lead.content.decode()


# --- Query counts -----------------------------------------------------------------------------
# Every page: 3 queries for session, user and roles, and 3 to save the session.

SIZES = [10, 60]


def answered_form(event, *, questions, responses):
    """A form of ``questions`` Likert statements and one free-text question, each answered
    by ``responses`` respondents (written in bulk: the pages, not the set-up, are measured)."""
    form = factories.FeedbackFormFactory(event=event)
    asked = FeedbackQuestion.objects.bulk_create(
        FeedbackQuestion(form=form, kind=QuestionKind.LIKERT, text=f"Statement {n}", position=n)
        for n in range(questions)
    )
    comment = factories.FeedbackQuestionFactory(
        form=form, kind=QuestionKind.FREE_TEXT, text="Comments?", position=questions
    )
    submitted = FeedbackResponse.objects.bulk_create(
        FeedbackResponse(form=form) for _ in range(responses)
    )
    FeedbackAnswer.objects.bulk_create(
        [
            *(FeedbackAnswer(response=r, question=q, score=4) for r in submitted for q in asked),
            *(FeedbackAnswer(response=r, question=comment, text="Good") for r in submitted),
        ]
    )
    return form


@pytest.mark.parametrize("size", SIZES)
def test_event_list_query_count_does_not_grow(client, cast, django_assert_max_num_queries, size):
    for _ in range(size):
        event = factories.event_in(cast.fife)
        event.attendees.set(factories.PersonFactory.create_batch(2, programme=cast.programme))
        factories.AttendanceCountFactory(event=event, count=size)
    client.force_login(cast.fife_researcher)

    # Count, site filter choices, events, their sites.
    with django_assert_max_num_queries(11):
        listed = client.get(reverse("events:event_list"))

    assert listed.context["paginator"].count == size
    assert {event.named_count for event in listed.context["events"]} == {2}


@pytest.mark.parametrize("size", SIZES)
def test_event_detail_query_count_does_not_grow_with_attendees(
    client, cast, django_assert_max_num_queries, size
):
    event = factories.event_in(cast.fife)
    event.attendees.set(
        factories.PersonFactory.create_batch(size, programme=cast.programme, site=cast.fife)
    )
    for _ in range(3):
        factories.AttendanceCountFactory(
            event=event, organisation=factories.OrganisationFactory(programme=cast.programme)
        )
    client.force_login(cast.fife_researcher)

    # The event and its sites, three rule checks, forms, head counts, people, groups, themes.
    with django_assert_max_num_queries(16):
        detail = client.get(reverse("events:event_detail", args=[event.pk]))

    assert len(detail.context["page"].attendees) == size


@pytest.mark.parametrize("size", SIZES)
def test_event_detail_query_count_does_not_grow_with_responses(
    client, cast, django_assert_max_num_queries, size
):
    event = factories.event_in(
        cast.fife, report=factories.OutputFactory(programme=cast.programme, sites=[cast.fife])
    )
    answered_form(event, questions=3, responses=size)
    answered_form(event, questions=3, responses=size)
    client.force_login(cast.fife_researcher)

    # As above, with the shares, the comments, the report and the rule check on it.
    with django_assert_max_num_queries(19):
        detail = client.get(reverse("events:event_detail", args=[event.pk]))

    results = detail.context["page"].results
    assert [form.response_count for form in (r.form for r in results)] == [size, size]
    assert {s.responses for r in results for s in r.statements} == {size}
    assert len(results[0].comments) == size


@pytest.mark.parametrize("size", SIZES)
def test_feedback_form_page_query_count_does_not_grow(
    client, cast, django_assert_max_num_queries, size
):
    form = answered_form(factories.event_in(cast.fife), questions=size, responses=size)
    client.force_login(cast.fife_researcher)

    # The form and its event, the rule check, the questions with their answer counts.
    with django_assert_max_num_queries(9):
        page = client.get(reverse("events:feedbackform_detail", args=[form.pk]))

    questions = list(page.context["questions"])
    assert len(questions) == size + 1
    assert {question.answer_count for question in questions} == {size}
    assert page.content.decode().count("Cannot be deleted") == size + 1


# --- The event form: report and date precision ------------------------------------------------


def test_researcher_links_a_report_and_sets_the_precision(client, cast):
    event = factories.event_in(cast.fife)
    report = factories.OutputFactory(
        programme=cast.programme, sites=[cast.fife], title="Retreat report"
    )
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("events:event_update", args=[event.pk]),
        event_data(cast.programme, sites=[cast.fife.pk], report=report.pk, date_precision="month"),
    )
    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()

    event.refresh_from_db()
    assert response.status_code == 302
    assert (event.report, event.date_precision) == (report, "month")
    assert reverse("evidence:output_detail", args=[report.pk]) in page
    assert "March 2016" in page or "Mar 2016" in page


def test_event_created_with_a_report_and_year_precision(client, cast):
    report = factories.OutputFactory(programme=cast.programme, sites=[cast.fife])
    client.force_login(cast.fife_researcher)

    client.post(
        reverse("events:event_create"),
        event_data(
            cast.programme,
            sites=[cast.fife.pk],
            report=report.pk,
            date_precision="year",
            start_date="2016-01-01",
        ),
    )

    event = Event.objects.get(title="Home retreat")
    assert (event.report, event.date_precision) == (report, "year")


def test_report_of_another_programme_is_not_offered_or_accepted(client, cast):
    event = factories.event_in(cast.fife)
    own = factories.OutputFactory(programme=cast.programme, sites=[cast.fife])
    stranger = factories.OutputFactory()
    client.force_login(cast.fife_researcher)

    page = client.get(reverse("events:event_update", args=[event.pk]))
    response = client.post(
        reverse("events:event_update", args=[event.pk]),
        event_data(cast.programme, sites=[cast.fife.pk], report=stranger.pk),
    )

    assert list(page.context["form"].fields["report"].queryset) == [own]
    assert "report" in response.context["form"].errors
    event.refresh_from_db()
    assert event.report is None


def test_report_hidden_from_a_reader_is_not_shown_on_the_event_page(client, cast):
    # An output of Glasgow only: Fife's strategy lead may read the Fife event, not the output.
    report = factories.OutputFactory(
        programme=cast.programme, sites=[cast.glasgow], title="Glasgow report"
    )
    event = factories.event_in(cast.fife, report=report)

    lead = sign_in(client, cast.fife_lead).get(reverse("events:event_detail", args=[event.pk]))
    researcher = sign_in(client, cast.fife_researcher).get(
        reverse("events:event_detail", args=[event.pk])
    )

    assert "Glasgow report" not in lead.content.decode()
    assert "Glasgow report" in researcher.content.decode()
