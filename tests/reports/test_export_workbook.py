"""The exports' date range and the workbook of every dataset.

A range keeps each dated dataset to the records the dashboards' scope counts in it, counted here
from the records themselves; the workbook's sheets are the CSV downloads cell for cell.
"""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from events.models import Event, FeedbackAnswer
from evidence.enums import OutputStatus
from evidence.models import Change, EvidenceItem, Output
from inquiries.models import Activity, Attendance, Membership, Person
from reports.exports import DATASETS, ExportTarget
from reports.exports.files import WIDTH_MAX, WIDTH_MIN, sheet_titles
from reports.metrics import MetricScope
from sites.models import CaseSite, Programme
from tests import factories
from tests.built_once import built_once, queries_of
from tests.cast import as_user, make_cast, refused_as
from tests.reports.test_exports import QUERIES, populate

pytestmark = pytest.mark.django_db

START, END = dt.date(2015, 1, 1), dt.date(2016, 12, 31)
RANGE = {"start": START.isoformat(), "end": END.isoformat()}
# Before the range, on its first and last days, after it, and unknown.
DAYS = [dt.date(2014, 6, 1), START, dt.date(2016, 3, 1), END, dt.date(2017, 1, 1), None]
DATED = [slug for slug, dataset in DATASETS.items() if dataset.dated is not None]


def in_range(day) -> bool:
    return day is not None and START <= day <= END


def page_url(cast, site=None):
    if site is None:
        return reverse("reports:programme_exports", args=[cast.programme.slug])
    return reverse("reports:site_exports", args=[cast.programme.slug, site.slug])


def dataset_url(cast, dataset, extension="csv", site=None):
    if site is None:
        return reverse("reports:programme_export", args=[cast.programme.slug, dataset, extension])
    return reverse("reports:site_export", args=[cast.programme.slug, site.slug, dataset, extension])


def workbook_url(cast, site=None):
    if site is None:
        return reverse("reports:programme_workbook_export", args=[cast.programme.slug])
    return reverse("reports:site_workbook_export", args=[cast.programme.slug, site.slug])


def csv_rows(response) -> list[list[str]]:
    """The CSV's lines, the header first."""
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def workbook_of(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def as_csv_text(cell) -> str:
    """A sheet's cell as the CSV writes the same value: a date (a datetime at midnight shown
    as a date) in ISO form, a datetime to the second, nothing as an empty string."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if cell.number_format == "yyyy-mm-dd" else str(value)
    return str(value)


def sheet_rows(sheet) -> list[list[str]]:
    return [[as_csv_text(cell) for cell in row] for row in sheet.iter_rows()]


def spread(cast, site):
    """Records of every dated kind in ``site`` on each of ``DAYS``."""
    programme = cast.programme
    group = factories.InquiryGroupFactory(programme=programme, start_date=None)
    group.sites.set([site])
    for day in DAYS:
        activity = factories.ActivityFactory(programme=programme, group=group, site=site, date=day)
        factories.AttendanceFactory(activity=activity, person__site=site)
        factories.EvidenceItemFactory(programme=programme, collected_on=day, sites=[site])
        factories.ChangeFactory(programme=programme, date=day, sites=[site])
        factories.OutputFactory(programme=programme, drafted_on=day, sites=[site])
        event = factories.EventFactory(programme=programme, start_date=day)
        event.sites.set([site])
        question = factories.FeedbackQuestionFactory(form__event=event)
        response = factories.FeedbackResponseFactory(form=question.form)
        factories.FeedbackAnswerFactory(response=response, question=question, score=4)
    # An output dated by its latest stage: drafted in the range, published after it.
    factories.OutputFactory(
        programme=programme,
        drafted_on=START,
        published_on=dt.date(2017, 2, 1),
        status=OutputStatus.PUBLISHED,
        sites=[site],
    )
    # Memberships spanning the range, ending before it, starting after it, starting on its
    # last day, and of unknown dates in a group of unknown dates (a member throughout).
    spans = [
        (dt.date(2014, 1, 1), dt.date(2017, 6, 1)),
        (dt.date(2014, 1, 1), dt.date(2014, 12, 31)),
        (dt.date(2017, 1, 1), None),
        (END, None),
        (None, None),
        (None, dt.date(2014, 12, 31)),
    ]
    for joined_on, left_on in spans:
        factories.MembershipFactory(group=group, joined_on=joined_on, left_on=left_on)


def _membership_in_range(membership) -> bool:
    """The span, an unknown date taken as the group's and an unknown one of the group as open,
    meets the range."""
    joined = membership.joined_on or membership.group.start_date
    left = membership.left_on or membership.group.end_date
    return (joined is None or joined <= END) and (left is None or left >= START)


def _output_day(output):
    return output.published_on or output.consultation_on or output.drafted_on


# Each dated dataset's records in the programme, and whether a record falls in the range, read
# from the record itself.
HELD = {
    "memberships": (
        lambda p: Membership.objects.filter(group__programme=p).select_related("group"),
        _membership_in_range,
    ),
    "activities": (lambda p: Activity.objects.filter(programme=p), lambda a: in_range(a.date)),
    "attendance": (
        lambda p: Attendance.objects.filter(activity__programme=p).select_related("activity"),
        lambda a: in_range(a.activity.date),
    ),
    "evidence": (
        lambda p: EvidenceItem.objects.filter(programme=p),
        lambda e: in_range(e.collected_on),
    ),
    "outputs": (lambda p: Output.objects.filter(programme=p), lambda o: in_range(_output_day(o))),
    "changes": (lambda p: Change.objects.filter(programme=p), lambda c: in_range(c.date)),
    "events": (lambda p: Event.objects.filter(programme=p), lambda e: in_range(e.start_date)),
    "feedback": (
        lambda p: FeedbackAnswer.objects.filter(question__form__event__programme=p).select_related(
            "question__form__event"
        ),
        lambda a: in_range(a.question.form.event.start_date),
    ),
}
# The dashboards' scope of the same dataset, where it lists the same records.
SCOPED = {
    "memberships": MetricScope.memberships,
    "activities": MetricScope.activities,
    "evidence": MetricScope.evidence,
    "outputs": MetricScope.outputs,
    "changes": MetricScope.changes,
    "events": MetricScope.events,
}


# --- The date range ---------------------------------------------------------------------------


def test_every_dated_dataset_is_counted_here():
    assert set(DATED) == set(HELD)
    assert [slug for slug in DATASETS if slug not in DATED] == ["people"]


@pytest.mark.parametrize("dataset", DATED)
def test_range_keeps_the_records_dated_within_it(client, cast, dataset):
    spread(cast, cast.fife)
    spread(cast, cast.glasgow)
    records, dated_within = HELD[dataset]
    held = list(records(cast.programme))
    client.force_login(cast.manager)

    everything = csv_rows(client.get(dataset_url(cast, dataset)))[1:]
    ranged = csv_rows(client.get(dataset_url(cast, dataset), RANGE))[1:]

    assert len(everything) == len(held)
    assert len(ranged) == sum(1 for record in held if dated_within(record))
    assert 0 < len(ranged) < len(everything)


@pytest.mark.parametrize("dataset", list(SCOPED))
def test_range_keeps_what_the_dashboards_count(client, cast, dataset):
    spread(cast, cast.fife)
    scope = MetricScope(programme=cast.programme, start=START, end=END)
    client.force_login(cast.manager)

    ranged = csv_rows(client.get(dataset_url(cast, dataset), RANGE))[1:]

    assert len(ranged) == SCOPED[dataset](scope).count()


def test_range_and_site_cut_the_rows_together(client, cast):
    spread(cast, cast.fife)
    spread(cast, cast.glasgow)
    fife = Activity.objects.filter(programme=cast.programme, site=cast.fife)
    client.force_login(cast.fife_lead)

    rows = csv_rows(client.get(dataset_url(cast, "activities", site=cast.fife), RANGE))[1:]

    assert len(rows) == sum(1 for activity in fife if in_range(activity.date)) == 3
    assert {row[4] for row in rows} == {"Fife"}


def test_range_open_at_one_end_keeps_the_records_on_that_side(client, cast):
    spread(cast, cast.fife)
    activities = list(Activity.objects.filter(programme=cast.programme))
    client.force_login(cast.manager)

    rows = csv_rows(client.get(dataset_url(cast, "activities"), {"start": RANGE["start"]}))[1:]

    assert len(rows) == sum(1 for a in activities if a.date is not None and a.date >= START)


def test_range_leaves_people_as_they_are(client, cast):
    spread(cast, cast.fife)
    client.force_login(cast.manager)

    everyone = csv_rows(client.get(dataset_url(cast, "people")))
    ranged = csv_rows(client.get(dataset_url(cast, "people"), RANGE))

    assert ranged == everyone
    assert len(ranged) - 1 == Person.objects.filter(programme=cast.programme).count()


def test_page_says_which_date_each_dataset_is_dated_by(client, cast):
    client.force_login(cast.manager)
    content = client.get(page_url(cast, cast.fife)).content.decode()
    for dataset in DATASETS.values():
        assert escape(dataset.date_label) in content
    assert "Not dated: the same rows whatever the range" in content


def test_page_carries_the_range_on_to_every_download(client, cast):
    client.force_login(cast.manager)
    content = client.get(page_url(cast, cast.fife), RANGE).content.decode()
    query = "?start=2015-01-01&amp;end=2016-12-31"
    assert f"{workbook_url(cast, cast.fife)}{query}" in content
    for dataset in DATASETS:
        assert f"{dataset_url(cast, dataset, 'xlsx', cast.fife)}{query}" in content
    assert "from 1 January 2015 to 31 December 2016" in content


def test_reversed_range_is_said_next_to_the_end_keeping_the_input(client, cast):
    client.force_login(cast.manager)
    response = client.get(page_url(cast, cast.fife), {"start": "2016-12-31", "end": "2015-01-01"})
    form = response.context["form"]
    content = response.content.decode()

    assert form.errors == {"end": ["The end date must be on or after the start date."]}
    assert 'value="2016-12-31"' in content and 'value="2015-01-01"' in content
    assert "Correct the date range above to download the exports." in content
    assert workbook_url(cast, cast.fife) not in content


def test_date_that_is_no_date_is_said_next_to_its_field(client, cast):
    client.force_login(cast.manager)
    response = client.get(page_url(cast, cast.fife), {"start": "2016-02-30"})
    assert response.context["form"].errors == {"start": ["Enter a valid date."]}
    assert 'value="2016-02-30"' in response.content.decode()


@pytest.mark.parametrize("download", ["dataset", "workbook"])
def test_download_with_a_reversed_range_goes_back_to_the_page(client, cast, download):
    client.force_login(cast.manager)
    urls = {
        "dataset": dataset_url(cast, "activities", site=cast.fife),
        "workbook": workbook_url(cast, cast.fife),
    }
    response = client.get(urls[download], {"start": "2016-12-31", "end": "2015-01-01"})
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(cast, cast.fife)}?start=2016-12-31&end=2015-01-01"


# --- The workbook -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "fife_lead"])
def test_workbook_sheets_are_the_csv_downloads_cell_for_cell(client, cast, role):
    populate(cast, n=2)
    spread(cast, cast.fife)
    as_user(client, cast, role)

    workbook = workbook_of(client.get(workbook_url(cast, cast.fife), RANGE))

    titles = [dataset.title for dataset in DATASETS.values()]
    assert workbook.sheetnames == ["About", *titles]
    for slug, title in zip(DATASETS, titles, strict=True):
        exported = csv_rows(client.get(dataset_url(cast, slug, site=cast.fife), RANGE))
        assert len(exported) > 1, slug
        assert sheet_rows(workbook[title]) == exported, slug


def test_workbook_about_sheet_says_what_it_holds(client, cast):
    spread(cast, cast.fife)
    client.force_login(cast.fife_lead)
    before = timezone.localtime().replace(tzinfo=None, microsecond=0)

    workbook = workbook_of(client.get(workbook_url(cast, cast.fife), RANGE))

    lines = list(workbook["About"].iter_rows(values_only=True))
    facts = {line[0]: line[1] for line in lines[:6]}
    assert facts["Programme"] == cast.programme.name
    assert facts["Site"] == "Fife"
    assert (facts["From"], facts["To"]) == (dt.datetime(2015, 1, 1), dt.datetime(2016, 12, 31))
    assert before <= facts["Generated at"] <= timezone.localtime().replace(tzinfo=None)
    assert facts["Generated by"] == str(cast.fife_lead)
    header = lines[7]
    assert header[:4] == ("Dataset", "Sheet", "Rows", "Dated by")
    counted = {line[1]: line[2] for line in lines[8:]}
    assert counted == {
        dataset.title: workbook[dataset.title].max_row - 1 for dataset in DATASETS.values()
    }
    assert counted["Activities with attendance"] == 3


def test_workbook_of_all_dates_says_so(client, cast):
    client.force_login(cast.manager)
    workbook = workbook_of(client.get(workbook_url(cast)))
    facts = {line[0]: line[1] for line in workbook["About"].iter_rows(max_row=6, values_only=True)}
    assert (facts["Site"], facts["From"], facts["To"]) == ("Every site", "Any date", "Any date")


def test_workbook_sheets_keep_their_header_in_view_and_their_cells_typed(client, cast):
    factories.ActivityFactory(
        programme=cast.programme, group=cast.group, site=cast.fife, duration_minutes=90
    )
    client.force_login(cast.manager)

    workbook = workbook_of(client.get(workbook_url(cast, cast.fife)))

    for dataset in DATASETS.values():
        sheet = workbook[dataset.title]
        assert sheet.freeze_panes == "A2", dataset.slug
        assert all(cell.font.b for cell in sheet[1]), dataset.slug
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(WIDTH_MIN + 2 <= width <= WIDTH_MAX + 2 for width in widths), dataset.slug
    activities = workbook["Activities with attendance"]
    headers = [cell.value for cell in activities[1]]
    row = dict(zip(headers, activities[2], strict=True))
    assert row["Date"].is_date and row["Date"].value == dt.datetime(2016, 1, 12)
    assert row["Duration (minutes)"].data_type == "n" and row["Duration (minutes)"].value == 90
    widths = {h: activities.column_dimensions[c.column_letter].width for h, c in row.items()}
    assert widths["Date"] == len("2016-01-12") + 2
    assert widths["Duration (minutes)"] == len("Duration (minutes)") + 2


def test_lead_workbook_hides_names_and_notes_as_the_csvs_do(client, cast):
    hidden = factories.PersonFactory(
        programme=cast.programme, site=cast.fife, name="Hidden Person", email="h@example.org"
    )
    activity = factories.ActivityFactory(
        programme=cast.programme, group=cast.group, notes="Private reflection"
    )
    factories.AttendanceFactory(activity=activity, person=hidden)
    factories.MembershipFactory(group=cast.group, person=hidden)
    client.force_login(cast.fife_lead)

    workbook = workbook_of(client.get(workbook_url(cast, cast.fife)))

    cells = {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    assert hidden.pseudonym in cells
    assert not {"Hidden Person", "h@example.org", "Private reflection"} & cells
    assert not any("Hidden Person" in cell for cell in cells)
    assert "Reflective notes" not in [c.value for c in workbook["Activities with attendance"][1]]


SITE_WORKBOOK = [
    ("manager", 200),
    ("fife_researcher", 200),
    ("glasgow_researcher", 404),
    ("fife_lead", 200),
    ("glasgow_lead", 404),
    ("outsider", 404),
    ("other_manager", 404),
    ("anonymous", "login"),
]


@pytest.mark.parametrize(("role", "expected"), SITE_WORKBOOK)
def test_site_workbook_access(client, cast, role, expected):
    factories.ActivityFactory(programme=cast.programme, group=cast.group, site=cast.fife)
    as_user(client, cast, role)
    response = client.get(workbook_url(cast, cast.fife))
    if expected == 200:
        workbook = workbook_of(response)
        assert workbook.sheetnames[0] == "About"
        assert workbook["Activities with attendance"].max_row == 2
    else:
        assert refused_as(response, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("fife_researcher", 404),
        ("glasgow_researcher", 404),
        ("fife_lead", 404),
        ("glasgow_lead", 404),
        ("other_manager", 404),
        ("anonymous", "login"),
    ],
)
def test_programme_workbook_access(client, cast, role, expected):
    as_user(client, cast, role)
    response = client.get(workbook_url(cast))
    if expected == 200:
        lines = workbook_of(response)["About"].iter_rows(max_row=2, values_only=True)
        facts = {line[0]: line[1] for line in lines}
        assert facts == {"Programme": cast.programme.name, "Site": "Every site"}
    else:
        assert refused_as(response, expected)


def test_workbook_is_named_after_programme_site_and_range(client, cast):
    client.force_login(cast.manager)
    programme, site = cast.programme.slug, cast.fife.slug
    today = timezone.localdate().isoformat()

    def filename(url, query=None):
        return client.get(url, query or {})["Content-Disposition"]

    assert filename(workbook_url(cast, cast.fife), RANGE) == (
        f'attachment; filename="{programme}_{site}_2015-01-01_2016-12-31.xlsx"'
    )
    assert filename(workbook_url(cast)) == f'attachment; filename="{programme}_{today}.xlsx"'
    assert filename(workbook_url(cast), {"end": "2016-12-31"}) == (
        f'attachment; filename="{programme}_to-2016-12-31.xlsx"'
    )
    assert filename(dataset_url(cast, "events", site=cast.fife), {"start": "2015-01-01"}) == (
        f'attachment; filename="{programme}_{site}_events_from-2015-01-01.csv"'
    )


def test_target_filename_for_the_example_of_the_issue():
    target = ExportTarget(
        programme=Programme(slug="wws-car"), site=CaseSite(slug="fife"), start=START, end=END
    )
    assert target.filename("xlsx", today=dt.date(2018, 1, 1)) == (
        "wws-car_fife_2015-01-01_2016-12-31.xlsx"
    )


def test_sheet_titles_are_short_unique_and_accepted_by_excel():
    titles = sheet_titles(
        [
            "Activities with attendance and their many notes",
            "Activities with attendance and their many notes",
            "about",
            "Outputs: drafts/published [all]?",
        ],
        taken=["About"],
    )
    assert titles == [
        "Activities with attendance and",
        "Activities with attendance (2)",
        "about (2)",
        "Outputs drafts published all",
    ]
    assert all(len(title) <= 31 for title in titles)


# --- Query counts -----------------------------------------------------------------------------


# The queries of any download (session, user, roles, target, and the saving of its new session:
# savepoint, update, release), then each sheet's own: its dataset's download less those.
DOWNLOAD_OVERHEAD = 7
WORKBOOK_QUERIES = DOWNLOAD_OVERHEAD + sum(
    queries - DOWNLOAD_OVERHEAD for queries in QUERIES.values()
)


@pytest.fixture(scope="module")
def workbook_by_size(django_db_setup, django_db_blocker, tmp_path_factory) -> list:
    """``(queries, rows of each sheet)`` of Fife's lead's workbook, with one record of every
    kind and with five: built once, then rolled back."""
    made = []
    with built_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        cast = make_cast()

        def download(client):
            workbook = workbook_of(client.get(workbook_url(cast, cast.fife)))
            return [workbook[dataset.title].max_row - 1 for dataset in DATASETS.values()]

        for size in (1, 4):
            populate(cast, n=size)
            # The first download of a new session, which it saves, as ``QUERIES`` counts.
            client = Client()
            client.force_login(cast.fife_lead)
            made.append(queries_of(download, client=client))
    return made


def test_workbook_query_count_does_not_grow_with_rows(workbook_by_size):
    (queries_of_one, rows_of_one), (queries_of_five, rows_of_five) = workbook_by_size

    assert queries_of_one == queries_of_five == WORKBOOK_QUERIES
    assert all(1 <= one < five for one, five in zip(rows_of_one, rows_of_five, strict=True))
