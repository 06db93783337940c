import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.enums import RoleKind
from events.enums import QuestionKind
from events.models import Event, FeedbackAnswer
from evidence.enums import Sensitivity
from evidence.models import Change, EvidenceItem, Output
from inquiries.enums import ConsentMethod, ConsentUse
from inquiries.models import Activity, Attendance, Consent, Membership, Person
from reports.cells import neutralise
from reports.exports import DATASETS, ExportTable, xlsx_file
from tests import factories
from tests.built_once import built_once, queries_of
from tests.cast import as_user, make_cast, refused_as

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"]


def site_url(cast, dataset, extension="csv", site=None):
    site = site or cast.fife
    return reverse("reports:site_export", args=[site.programme.slug, site.slug, dataset, extension])


def programme_url(cast, dataset, extension="csv"):
    return reverse("reports:programme_export", args=[cast.programme.slug, dataset, extension])


def read_csv(response) -> list[dict]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def read_xlsx(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def manager_downloads(client, cast, dataset, extension="csv"):
    """Fife's export of ``dataset`` as the manager downloads it: its rows, or its sheet's lines."""
    client.force_login(cast.manager)
    response = client.get(site_url(cast, dataset, extension))
    return read_csv(response) if extension == "csv" else read_xlsx(response)


def _named(person):
    Consent.objects.create(
        person=person,
        use=ConsentUse.NAMED,
        given_on=dt.date(2015, 6, 1),
        method=ConsentMethod.WRITTEN,
    )


def populate(cast, n=1):
    """``n`` records of every kind in Fife's group, and one in Glasgow, all with attendance."""
    programme = cast.programme
    glasgow_group = factories.InquiryGroupFactory(programme=programme, name=f"Glasgow group {n}")
    glasgow_group.sites.set([cast.glasgow])
    for _ in range(n):
        for group, site in ((cast.group, cast.fife), (glasgow_group, cast.glasgow)):
            person = factories.PersonFactory(programme=programme, site=site)
            _named(person)
            factories.MembershipFactory(group=group, person=person)
            activity = factories.ActivityFactory(
                programme=programme, group=group, site=site, notes="Notes"
            )
            factories.AttendanceFactory(activity=activity, person=person)
            factories.AttendanceFactory(activity=activity, person__site=site)
            factories.EvidenceItemFactory(programme=programme, group=group)
            output = factories.OutputFactory(programme=programme, sites=[site])
            output.authors.add(person)
            change = factories.ChangeFactory(programme=programme, sites=[site])
            change.outputs.add(output)
            event = factories.EventFactory(programme=programme)
            event.sites.set([site])
            event.attendees.add(person)
            factories.AttendanceCountFactory(event=event, count=40)
            question = factories.FeedbackQuestionFactory(form__event=event)
            response = factories.FeedbackResponseFactory(form=question.form)
            factories.FeedbackAnswerFactory(response=response, question=question, score=5)


# --- Neutralising -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_neutralise_quotes_text_that_starts_a_formula(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["plain", "a=b", "", -5, 2.5, dt.date(2016, 1, 12), None])
def test_neutralise_leaves_other_values_alone(value):
    assert neutralise(value) == value


def test_neutralise_makes_aware_datetimes_local_and_naive():
    moment = dt.datetime(2016, 1, 12, 9, 30, tzinfo=dt.UTC)
    assert neutralise(moment) == timezone.localtime(moment).replace(tzinfo=None)


def test_xlsx_keeps_numbers_and_dates_typed():
    table = ExportTable(
        headers=["Number", "Date", "Text"],
        rows=iter([[neutralise(-5), neutralise(dt.date(2016, 1, 12)), neutralise("-5")]]),
    )
    sheet = openpyxl.load_workbook(xlsx_file(table, title="Test")).active
    number, date, text = next(sheet.iter_rows(min_row=2))
    assert number.value == -5 and number.data_type == "n"
    assert date.is_date and date.value.date() == dt.date(2016, 1, 12)
    assert text.value == "'-5"


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_export_neutralises_formula_cells(client, cast, extension):
    for title in FORMULAS:
        factories.EvidenceItemFactory(programme=cast.programme, title=title, sites=[cast.fife])
    client.force_login(cast.manager)
    response = client.get(site_url(cast, "evidence", extension))
    if extension == "csv":
        titles = [row["Title"] for row in read_csv(response)]
    else:
        # XML parsing turns a carriage return into a line feed; the quote before it stays.
        titles = [row[0].replace("\n", "\r") for row in read_xlsx(response)[1:]]
    assert sorted(titles) == sorted("'" + title for title in FORMULAS)


# --- Datasets ---------------------------------------------------------------------------------


def test_people_export_holds_each_person_of_the_site(client, cast):
    person = factories.PersonFactory(
        programme=cast.programme, site=cast.fife, name="Ann Example", email="ann@example.org"
    )
    factories.PersonFactory(programme=cast.programme, site=cast.glasgow)
    rows = manager_downloads(client, cast, "people")
    assert list(rows[0]) == [
        "Pseudonym",
        "Name",
        "Email",
        "Phone",
        "Site",
        "Organisation",
        "Job title",
        "Level",
        "Occupation (SOC 2010 major group)",
        "Prior research experience",
    ]
    assert [(r["Pseudonym"], r["Name"], r["Email"], r["Site"]) for r in rows] == [
        (person.pseudonym, "Ann Example", "ann@example.org", "Fife")
    ]


def test_memberships_export_has_one_row_per_membership(client, cast):
    membership = factories.MembershipFactory(
        group=cast.group, left_on=dt.date(2016, 3, 1), leave_reason="capacity"
    )
    client.force_login(cast.fife_researcher)
    rows = read_csv(client.get(site_url(cast, "memberships")))
    assert rows == [
        {
            "Group": "Welfare PIT",
            "Pseudonym": membership.person.pseudonym,
            "Name": membership.person.name,
            "Role": "Core",
            "Joined": "2015-06-01",
            "Left": "2016-03-01",
            "Reason for leaving": "Capacity",
        }
    ]


def test_activities_export_aggregates_attendance_into_the_row(client, cast):
    activity = factories.ActivityFactory(
        programme=cast.programme, group=cast.group, duration_minutes=90, notes="Went well"
    )
    first = factories.AttendanceFactory(
        activity=activity, person__name="Bea", person__pseudonym="P-B"
    )
    second = factories.AttendanceFactory(
        activity=activity, person__name="Al", person__pseudonym="P-A"
    )
    [row] = manager_downloads(client, cast, "activities", "xlsx")[1:]
    headers = read_xlsx(client.get(site_url(cast, "activities", "xlsx")))[0]
    record = dict(zip(headers, row, strict=True))
    assert record["Date"] == dt.datetime(2016, 1, 12)
    assert record["Duration (minutes)"] == 90
    assert record["Attendees recorded"] == 2
    assert record["Attendees"] == f"{second.person.name}; {first.person.name}"
    assert record["Reflective notes"] == "Went well"


def test_attendance_export_has_one_row_per_attendee(client, cast):
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group)
    people = [factories.AttendanceFactory(activity=activity).person for _ in range(3)]
    rows = manager_downloads(client, cast, "attendance")
    assert sorted(row["Pseudonym"] for row in rows) == sorted(p.pseudonym for p in people)
    assert {row["Activity date"] for row in rows} == {"2016-01-12"}


def test_evidence_export_lists_sites_and_sensitivity(client, cast):
    factories.EvidenceItemFactory(
        programme=cast.programme,
        title="Stat-Xplore extract",
        source="DWP Stat-Xplore",
        group=cast.group,
        sensitivity=Sensitivity.PUBLIC,
        sites=[cast.fife],
    )
    [row] = manager_downloads(client, cast, "evidence")
    assert (row["Title"], row["Source"], row["Sites"], row["Group"], row["Sensitivity"]) == (
        "Stat-Xplore extract",
        "DWP Stat-Xplore",
        "Fife",
        "Welfare PIT",
        "Public",
    )


def test_outputs_export_names_authors_and_groups(client, cast):
    output = factories.OutputFactory(programme=cast.programme, title="Welfare briefing")
    output.groups.add(cast.group)
    author = factories.PersonFactory(programme=cast.programme, name="Cat")
    output.authors.add(author)
    [row] = manager_downloads(client, cast, "outputs")
    assert (row["Title"], row["Groups"], row["Authors"]) == (
        "Welfare briefing",
        "Welfare PIT",
        "Cat",
    )


def test_changes_export_lists_what_supports_each_change(client, cast):
    evidence = factories.EvidenceItemFactory(
        programme=cast.programme, title="Survey", sites=[cast.fife]
    )
    change = factories.ChangeFactory(
        programme=cast.programme, title="New referral route", sites=[cast.fife]
    )
    change.evidence.add(evidence)
    [row] = manager_downloads(client, cast, "changes")
    assert (row["Title"], row["Supporting evidence"], row["Sites"]) == (
        "New referral route",
        "Survey",
        "Fife",
    )


def test_events_export_counts_attendance(client, cast):
    event = factories.EventFactory(programme=cast.programme, title="Learning day")
    event.sites.set([cast.fife])
    event.attendees.add(*[factories.PersonFactory(programme=cast.programme) for _ in range(2)])
    factories.AttendanceCountFactory(event=event, count=42)
    headers, row = manager_downloads(client, cast, "events", "xlsx")
    record = dict(zip(headers, row, strict=True))
    assert record["Title"] == "Learning day"
    assert record["People recorded by name"] == 2
    assert record["Published head count"] == 42
    assert record["Head counts"] == "total: 42"


def test_feedback_export_has_one_row_per_answer(client, cast):
    event = factories.EventFactory(programme=cast.programme, title="Retreat")
    event.sites.set([cast.fife])
    question = factories.FeedbackQuestionFactory(form__event=event, text="I learnt a lot")
    response = factories.FeedbackResponseFactory(form=question.form)
    factories.FeedbackAnswerFactory(response=response, question=question, score=4)
    headers, row = manager_downloads(client, cast, "feedback", "xlsx")
    record = dict(zip(headers, row, strict=True))
    assert (record["Event"], record["Question"], record["Score"]) == (
        "Retreat",
        "I learnt a lot",
        4,
    )
    assert record["Response"] == response.pk


def test_programme_export_holds_every_site(client, cast):
    populate(cast)
    client.force_login(cast.manager)
    rows = read_csv(client.get(programme_url(cast, "events")))
    assert {row["Sites"] for row in rows} == {"Fife", "Glasgow"}


# --- A strategy lead's export -----------------------------------------------------------------


def test_lead_export_holds_only_their_site(client, cast):
    populate(cast)
    client.force_login(cast.fife_lead)
    for dataset in ("events", "outputs", "changes"):
        rows = read_csv(client.get(site_url(cast, dataset)))
        assert rows and {row["Sites"] for row in rows} == {"Fife"}, dataset
    groups = {row["Group"] for row in read_csv(client.get(site_url(cast, "memberships")))}
    assert groups == {"Welfare PIT"}


def test_lead_export_names_only_people_who_consented(client, cast):
    named = factories.PersonFactory(programme=cast.programme, site=cast.fife, name="Named Person")
    _named(named)
    unnamed = factories.PersonFactory(
        programme=cast.programme, site=cast.fife, name="Hidden Person", email="h@example.org"
    )
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group)
    for person in (named, unnamed):
        factories.AttendanceFactory(activity=activity, person=person)
        factories.MembershipFactory(group=cast.group, person=person)
    client.force_login(cast.fife_lead)
    content = b""
    for dataset in ("people", "memberships", "activities", "attendance"):
        content += b"".join(client.get(site_url(cast, dataset)).streaming_content)
    assert b"Named Person" in content
    assert unnamed.pseudonym.encode() in content
    assert b"Hidden Person" not in content and b"h@example.org" not in content


def test_lead_export_leaves_out_restricted_evidence_and_notes(client, cast):
    for sensitivity in Sensitivity.values:
        factories.EvidenceItemFactory(
            programme=cast.programme,
            title=f"Item {sensitivity}",
            sensitivity=sensitivity,
            sites=[cast.fife],
        )
    factories.ActivityFactory(
        programme=cast.programme, group=cast.group, notes="Private reflection"
    )
    client.force_login(cast.fife_lead)
    titles = {row["Title"] for row in read_csv(client.get(site_url(cast, "evidence")))}
    activities = read_csv(client.get(site_url(cast, "activities")))
    assert titles == {"Item public", "Item internal"}
    assert len(activities) == 1 and "Reflective notes" not in activities[0]


def _feedback_on(cast, site):
    """A Fife event's form answered once: a score and a free-text answer of one response."""
    event = factories.EventFactory(programme=cast.programme, title="Retreat")
    event.sites.set([site])
    score = factories.FeedbackQuestionFactory(form__event=event, text="I learnt a lot", position=1)
    comment = factories.FeedbackQuestionFactory(
        form=score.form, text="What else?", kind=QuestionKind.FREE_TEXT, position=2
    )
    response = factories.FeedbackResponseFactory(form=score.form)
    factories.FeedbackAnswerFactory(response=response, question=score, score=4)
    factories.FeedbackAnswerFactory(
        response=response, question=comment, score=None, text="Morag from housing was rude"
    )
    return event, response


def test_feedback_export_gives_free_text_only_to_the_events_editors(client, cast):
    _event, response = _feedback_on(cast, cast.fife)

    exported = {}
    for role in ("fife_researcher", "fife_lead"):
        client.force_login(getattr(cast, role))
        exported[role] = read_csv(client.get(site_url(cast, "feedback")))

    assert [(r["Question"], r["Answer"], r["Response"]) for r in exported["fife_researcher"]] == [
        ("I learnt a lot", "", str(response.pk)),
        ("What else?", "Morag from housing was rude", str(response.pk)),
    ]
    (lead_row,) = exported["fife_lead"]
    assert (lead_row["Question"], lead_row["Score"]) == ("I learnt a lot", "4")
    assert (lead_row["Response"], lead_row["Submitted at"]) == ("", "")


def test_feedback_export_matches_what_the_event_page_shows_the_lead(client, cast):
    event, _response = _feedback_on(cast, cast.fife)
    client.force_login(cast.fife_lead)

    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    export = b"".join(client.get(site_url(cast, "feedback")).streaming_content).decode()

    assert "Morag from housing was rude" not in page
    assert "Morag from housing was rude" not in export


def test_events_export_counts_the_attendees_the_event_page_lists(client, cast):
    event = factories.EventFactory(programme=cast.programme, title="Learning day")
    event.sites.set([cast.fife])
    fifer = factories.PersonFactory(programme=cast.programme, site=cast.fife)
    visitor = factories.PersonFactory(programme=cast.programme, site=cast.glasgow)
    event.attendees.add(fifer, visitor)

    counted = {}
    for role in ("manager", "fife_lead"):
        client.force_login(getattr(cast, role))
        (row,) = read_csv(client.get(site_url(cast, "events")))
        counted[role] = row["People recorded by name"]

    assert counted == {"manager": "2", "fife_lead": "1"}


def test_lead_export_names_no_one_whose_consent_was_withdrawn(client, cast):
    """Withdrawing consent to be named takes the name out of every dataset that showed it."""
    person = factories.PersonFactory(
        programme=cast.programme, site=cast.fife, name="Morag Withdrawn"
    )
    consent = Consent.objects.create(
        person=person,
        use=ConsentUse.NAMED,
        given_on=dt.date(2015, 6, 1),
        method=ConsentMethod.WRITTEN,
    )
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group, site=cast.fife)
    factories.AttendanceFactory(activity=activity, person=person)
    factories.MembershipFactory(group=cast.group, person=person)
    factories.OutputFactory(programme=cast.programme, sites=[cast.fife]).authors.add(person)
    datasets = ("people", "memberships", "activities", "attendance", "outputs")
    client.force_login(cast.fife_lead)

    def exported():
        return {
            dataset: b"".join(client.get(site_url(cast, dataset)).streaming_content)
            for dataset in datasets
        }

    before = exported()
    consent.withdrawn_on = dt.date(2016, 1, 1)
    consent.save()
    after = exported()

    assert all(b"Morag Withdrawn" in content for content in before.values())
    assert not any(b"Morag Withdrawn" in content for content in after.values())
    assert all(person.pseudonym.encode() in content for content in after.values())


# --- Access -----------------------------------------------------------------------------------


SITE_ACCESS = [
    ("manager", 200),
    ("fife_researcher", 200),
    ("fife_lead", 200),
    ("glasgow_researcher", 404),
    ("glasgow_lead", 404),
    ("outsider", 404),
    ("other_manager", 404),
    ("anonymous", "login"),
]


@pytest.mark.parametrize(("role", "expected"), SITE_ACCESS)
def test_site_export_access(client, cast, role, expected):
    as_user(client, cast, role)
    page = client.get(reverse("reports:site_exports", args=[cast.programme.slug, cast.fife.slug]))
    download = client.get(site_url(cast, "activities", "xlsx"))
    if expected == 200:
        assert page.status_code == 200 and b"Activities with attendance" in page.content
        assert download.status_code == 200
    else:
        assert refused_as(page, expected) and refused_as(download, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("fife_researcher", 404),
        ("fife_lead", 404),
        ("other_manager", 404),
        ("anonymous", "login"),
    ],
)
def test_programme_export_access(client, cast, role, expected):
    as_user(client, cast, role)
    page = client.get(reverse("reports:programme_exports", args=[cast.programme.slug]))
    download = client.get(programme_url(cast, "people"))
    if expected == 200:
        assert page.status_code == 200 and download.status_code == 200
        assert cast.glasgow.name.encode() in page.content
    else:
        assert refused_as(page, expected) and refused_as(download, expected)


def test_site_page_links_to_exports_only_for_those_who_may_export(client, cast):
    url = reverse("reports:site_exports", args=[cast.programme.slug, cast.fife.slug])
    client.force_login(cast.fife_lead)
    assert url in client.get(reverse("sites:site_detail", args=[cast.fife.pk])).content.decode()
    client.force_login(cast.glasgow_researcher)
    assert url not in client.get(reverse("sites:site_detail", args=[cast.fife.pk])).content.decode()


def test_export_index_lists_what_the_user_may_export(client, cast):
    client.force_login(cast.fife_lead)
    content = client.get(reverse("reports:export_index")).content.decode()
    assert reverse("reports:site_exports", args=[cast.programme.slug, cast.fife.slug]) in content
    assert cast.glasgow.slug not in content


def test_download_is_an_attachment_named_after_its_target(client, cast):
    client.force_login(cast.manager)
    response = client.get(site_url(cast, "activities", "xlsx"))
    today = timezone.localdate().isoformat()
    expected = f"{cast.programme.slug}_{cast.fife.slug}_activities_{today}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("path", ["nothing.csv", "people.pdf"])
def test_unknown_dataset_or_format_is_404(client, cast, path):
    client.force_login(cast.manager)
    dataset, extension = path.split(".")
    assert client.get(site_url(cast, dataset, extension)).status_code == 404


# --- Query counts -----------------------------------------------------------------------------


# Queries of a download whatever its rows: session, user, roles, target, the notes rule, the
# rows, one per prefetched relation, and the name rule's subqueries run inside the rows' query.
QUERIES = {
    "people": 8,
    "memberships": 8,
    "activities": 11,
    "attendance": 8,
    "evidence": 10,
    "outputs": 13,
    "changes": 13,
    "events": 13,
    "feedback": 8,
}


@pytest.fixture(scope="module")
def downloads_by_size(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, list]:
    """``(queries, rows)`` of each dataset's download by Fife's lead, with one record of every
    kind and with five: the data built once for all the datasets, then rolled back."""
    made = {dataset: [] for dataset in DATASETS}
    with built_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        cast = make_cast()

        def rows(client, dataset):
            # Read whole: a download streams its rows as they are read.
            return read_csv(client.get(site_url(cast, dataset)))

        for size in (1, 4):
            populate(cast, n=size)
            for dataset, sizes in made.items():
                # Each download the first of a new session, which it saves, as the counts say.
                client = Client()
                client.force_login(cast.fife_lead)
                queries, read = queries_of(rows, client=client, dataset=dataset)
                sizes.append((queries, len(read or ())))
    return made


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_export_query_count_does_not_grow_with_rows(dataset, downloads_by_size):
    (queries_of_one, rows_of_one), (queries_of_five, rows_of_five) = downloads_by_size[dataset]

    assert queries_of_one == queries_of_five == QUERIES[dataset]
    assert 1 <= rows_of_one < rows_of_five


# --- The demo programme -----------------------------------------------------------------------


@pytest.mark.slow
def test_every_dataset_of_the_demo_exports(client, demo_programme):
    manager = factories.user_with_role(RoleKind.PROGRAMME_MANAGER, programme=demo_programme)
    client.force_login(manager)
    held = {
        "people": Person.objects.filter(programme=demo_programme),
        "memberships": Membership.objects.filter(group__programme=demo_programme),
        "activities": Activity.objects.filter(programme=demo_programme),
        "attendance": Attendance.objects.filter(activity__programme=demo_programme),
        "evidence": EvidenceItem.objects.filter(programme=demo_programme),
        "outputs": Output.objects.filter(programme=demo_programme),
        "changes": Change.objects.filter(programme=demo_programme),
        "events": Event.objects.filter(programme=demo_programme),
        "feedback": FeedbackAnswer.objects.filter(question__form__event__programme=demo_programme),
    }
    for dataset, records in held.items():
        url = reverse("reports:programme_export", args=[demo_programme.slug, dataset, "xlsx"])
        rows = read_xlsx(client.get(url))
        assert rows[0] == [column.header for column in DATASETS[dataset].columns]
        assert len(rows) - 1 == records.count(), dataset
    # The demo records these in numbers: their exports must not come out empty.
    for dataset in ("people", "memberships", "activities", "evidence", "outputs", "events"):
        assert held[dataset].exists(), dataset
