import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.worksheet._reader import WorkSheetParser

from accounts.enums import RoleKind
from car_programme.exceptions import DomainError
from inquiries.enums import MembershipRole
from inquiries.forms import IMPORT_MAX_BYTES
from inquiries.imports import (
    MAX_ROWS,
    attendance_import,
    attendance_import_preview,
    people_import,
    people_import_preview,
    read_table,
)
from inquiries.models import Membership, Person
from sites.enums import Sector
from sites.models import Organisation
from tests.factories.accounts import user_with_role
from tests.factories.inquiries import ActivityFactory, InquiryGroupFactory, PersonFactory
from tests.factories.sites import CaseSiteFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = "name,pseudonym,email,organisation,group,role,joined_on\n"


@pytest.fixture
def fife():
    site = CaseSiteFactory(name="Fife")
    OrganisationFactory(programme=site.programme, name="Fife Council")
    group = InquiryGroupFactory(programme=site.programme, name="Welfare PIT")
    group.sites.set([site])
    return site


def csv(text: str) -> bytes:
    return (HEADER + text).encode()


def test_people_and_their_memberships_are_imported(fife):
    content = csv(
        "Ann Example,F-001,ann@example.org,Fife Council,Welfare PIT,core,2015-06-01\n"
        "Bob Example,F-002,,,Welfare PIT,periphery,\n"
        "Cat Example,F-003,,,,,\n"
    )

    people_import(site=fife, content=content, by=None)

    assert sorted(Person.objects.values_list("pseudonym", flat=True)) == ["F-001", "F-002", "F-003"]
    roles = dict(Membership.objects.values_list("person__pseudonym", "role"))
    assert roles == {"F-001": MembershipRole.CORE, "F-002": MembershipRole.PERIPHERY}
    assert Person.objects.get(pseudonym="F-001").organisation.name == "Fife Council"


def test_xlsx_imports_like_csv(fife):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Pseudonym", "Group", "Role"])
    sheet.append(["Ann Example", "F-001", "Welfare PIT", "core"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    people_import(site=fife, content=buffer.getvalue(), by=None)

    assert Membership.objects.get().person.name == "Ann Example"


def test_preview_names_each_bad_row_and_field(fife):
    content = csv(
        "Ann Example,F-001,not-an-email,,Welfare PIT,core,\n"
        "Bob Example,F-002,,Nowhere Ltd,Family PIT,,\n"
        "Cat Example,F-001,,,,,\n"
    )

    preview = people_import_preview(site=fife, content=content)

    assert not preview.is_valid
    assert preview.errors == [
        "Row 2: email: Enter a valid email address.",
        'Row 3: group: no group called "Family PIT" in this site',
        'Row 4: pseudonym "F-001" is also on row 2, with another name',
    ]


def test_one_bad_row_writes_nothing(fife):
    content = csv("Ann Example,F-001,,,Welfare PIT,core,\nBob Example,F-002,,,Welfare PIT,chair,\n")

    with pytest.raises(DomainError, match="Row 3: role"):
        people_import(site=fife, content=content, by=None)

    assert (Person.objects.count(), Membership.objects.count()) == (0, 0)


def test_a_file_without_the_required_columns_is_refused(fife):
    with pytest.raises(DomainError, match="Missing column"):
        people_import_preview(site=fife, content=b"full name\nAnn\n")


def test_attendance_matches_pseudonym_email_or_name_in_any_case(fife):
    activity = ActivityFactory(programme=fife.programme)
    ann = PersonFactory(programme=fife.programme, pseudonym="F-001")
    bob = PersonFactory(programme=fife.programme, email="bob@example.org")
    cat = PersonFactory(programme=fife.programme, name="Cat Example")

    imported = attendance_import(
        activity=activity, content=b"person\nf-001\nBOB@example.org\ncat example\n", by=None
    )

    assert imported.summary == ["3 people recorded as attending"]
    assert set(activity.attendees.all()) == {ann, bob, cat}


def test_attendance_with_an_unknown_person_writes_nothing(fife):
    activity = ActivityFactory(programme=fife.programme)
    PersonFactory(programme=fife.programme, pseudonym="F-001")

    preview = attendance_import_preview(activity=activity, content=b"person\nF-001\nF-999\n")
    with pytest.raises(DomainError):
        attendance_import(activity=activity, content=b"person\nF-001\nF-999\n", by=None)

    assert preview.errors == ['Row 3: person: nobody called "F-999" in this programme']
    assert activity.attendance.count() == 0


# --- Reading stops at the limit ---------------------------------------------------------------


@pytest.fixture
def parsed_rows(monkeypatch):
    """How many worksheet rows openpyxl's parser has produced."""
    parsed = []
    parse = WorkSheetParser.parse

    def counting(self):
        for row in parse(self):
            parsed.append(row[0])
            yield row

    monkeypatch.setattr(WorkSheetParser, "parse", counting)
    return parsed


def workbook(rows, *, repeat=1) -> bytes:
    """A workbook written as openpyxl's write-only mode writes it (no declared dimensions), its
    rows after the header repeated ``repeat`` times by copying their XML."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["name", "pseudonym"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if repeat == 1:
        return buffer.getvalue()
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    head, _, rest = parts["xl/worksheets/sheet1.xml"].partition(b'<row r="2">')
    body, _, tail = rest.partition(b"</sheetData>")
    # Rows without their numbers are read in order, as spreadsheet applications do.
    parts["xl/worksheets/sheet1.xml"] = b"".join(
        [head, b'<row r="2">', body * repeat, b"</sheetData>", tail]
    )
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return packed.getvalue()


def test_a_million_row_workbook_is_refused_before_any_row_is_parsed(fife, parsed_rows):
    content = workbook([["Ann Example", "F-001"]], repeat=1_000_000)
    assert len(content) < IMPORT_MAX_BYTES  # small enough to be uploaded

    with pytest.raises(DomainError, match=r"once unpacked; at most 10\.0\sMB can be imported"):
        people_import_preview(site=fife, content=content)

    assert parsed_rows == []


def test_reading_a_workbook_stops_at_the_row_limit(parsed_rows):
    content = workbook([[f"Person {n}", f"P-{n}"] for n in range(4 * MAX_ROWS)])

    with pytest.raises(DomainError, match=f"At most {MAX_ROWS} rows can be imported at once"):
        read_table(content=content, columns=["name"])

    # The header and one row beyond the limit: the other 15,000 rows are never parsed.
    assert len(parsed_rows) == MAX_ROWS + 2


def test_reading_a_csv_stops_at_the_row_limit(fife):
    content = b"name,pseudonym\n" + b"Ann Example,F-001\n" * 1_000_000

    with pytest.raises(DomainError, match=f"At most {MAX_ROWS} rows can be imported at once"):
        people_import_preview(site=fife, content=content)


def test_a_workbook_of_exactly_the_limit_is_read_whole():
    rows = [[f"Person {n}", f"P-{n}"] for n in range(MAX_ROWS)]

    read = read_table(content=workbook(rows), columns=["name"])

    assert (len(read.rows), read.rows[-1].number) == (MAX_ROWS, MAX_ROWS + 1)
    assert read.rows[-1].values == {
        "name": f"Person {MAX_ROWS - 1}",
        "pseudonym": f"P-{MAX_ROWS - 1}",
    }


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 not a zip", workbook([["Ann Example", "F-001"]])[:-200]],
    ids=["not a zip", "cut short"],
)
def test_a_broken_workbook_is_refused_in_plain_words(fife, content):
    with pytest.raises(DomainError, match=r"The file could not be read as XLSX\."):
        people_import_preview(site=fife, content=content)


# --- Delimiters and encodings -----------------------------------------------------------------


def test_a_semicolon_separated_windows_1252_file_imports_with_its_accents(fife):
    content = (
        "name;pseudonym;organisation;job_title;group;role\r\n"
        "Renée Côté;F-001;Fife Council;Officer for the £5 fund;Welfare PIT;Core\r\n"
    ).encode("cp1252")

    preview = people_import_preview(site=fife, content=content)
    people_import(site=fife, content=content, by=None)

    assert preview.read_as == "CSV separated by semicolons, in Windows-1252"
    person = Person.objects.get()
    assert (person.name, person.job_title) == ("Renée Côté", "Officer for the £5 fund")
    assert person.organisation.name == "Fife Council"
    assert Membership.objects.get().role == MembershipRole.CORE


@pytest.mark.parametrize(
    ("content", "read_as"),
    [
        ("name,pseudonym\nRenée,F-001\n".encode(), "CSV separated by commas, in UTF-8"),
        (
            "\ufeffname\tpseudonym\nRenée\tF-001\n".encode(),
            "CSV separated by tabs, in UTF-8",
        ),
        (
            "name;pseudonym\nRenée;F-001\n".encode("utf-16"),
            "CSV separated by semicolons, in UTF-16",
        ),
        (
            "name,pseudonym\nRenée,F-001\n".encode("cp1252"),
            "CSV separated by commas, in Windows-1252",
        ),
    ],
    ids=[
        "utf-8 commas",
        "utf-8 with a byte-order mark, tabs",
        "utf-16 semicolons",
        "cp1252 commas",
    ],
)
def test_the_delimiter_and_the_encoding_are_detected(content, read_as):
    table = read_table(content=content, columns=["name", "pseudonym"])

    assert table.read_as == read_as
    assert [row.values for row in table.rows] == [{"name": "Renée", "pseudonym": "F-001"}]


def test_a_quoted_delimiter_inside_a_cell_stays_in_the_cell():
    content = b'name;pseudonym;job_title\n"Ann Example";F-001;"Officer; part-time"\n'

    table = read_table(content=content, columns=["name"])

    assert table.rows[0].values["job_title"] == "Officer; part-time"


def test_a_file_in_no_known_encoding_is_refused_in_plain_words(fife):
    with pytest.raises(DomainError, match="neither an XLSX workbook nor a CSV file in UTF-8 or"):
        people_import_preview(site=fife, content=b"name,pseudonym\n\x81\x8d,F-001\n")


# --- What each row will do --------------------------------------------------------------------


@pytest.fixture
def recorded(fife):
    """A person already recorded, who is a member of another group of Fife."""
    ann = PersonFactory(programme=fife.programme, site=fife, name="Ann Example", pseudonym="F-001")
    other = InquiryGroupFactory(programme=fife.programme, name="Strategy group")
    other.sites.set([fife])
    Membership.objects.create(group=other, person=ann, role=MembershipRole.CORE)
    return ann


PEOPLE_ROWS = (
    "ann example,F-001,,Welfare PIT,periphery,15/01/2016\n"
    "Bob Example,F-002,Fife Council,Welfare PIT,core,\n"
    "Cat Example,F-003,Fife Voluntary Action,,,\n"
    "Dan Example,F-004,fife voluntary action,Welfare PIT,lead,\n"
    "Dan Example,F-004,,Strategy group,core,\n"
    "Eve Example,F-005,,,,\n"
)


def people_csv(rows: str) -> bytes:
    return ("name,pseudonym,organisation,group,role,joined_on\n" + rows).encode()


def test_the_preview_says_what_each_row_will_do(fife, recorded):
    preview = people_import_preview(site=fife, content=people_csv(PEOPLE_ROWS))

    assert preview.is_valid
    assert [(row.number, row.outcome) for row in preview.rows] == [
        (
            2,
            [
                "Existing person F-001: details not changed",
                "Joins Welfare PIT as periphery from 15 January 2016",
            ],
        ),
        (3, ["New person", "Organisation Fife Council", "Joins Welfare PIT as core"]),
        (4, ["New person", "New organisation Fife Voluntary Action", "No membership"]),
        (
            5,
            [
                "New person",
                "The new organisation fife voluntary action of row 4",
                "Joins Welfare PIT as lead",
            ],
        ),
        (6, ["The new person of row 5", "Joins Strategy group as core"]),
        (7, ["New person", "No organisation", "No membership"]),
    ]
    assert preview.summary == [
        "4 new people",
        "1 existing person",
        "1 new organisation",
        "4 memberships",
    ]


def test_the_import_does_what_the_preview_said(fife, recorded):
    researcher = user_with_role(RoleKind.RESEARCHER, site=fife)

    people_import(site=fife, content=people_csv(PEOPLE_ROWS), by=researcher)

    assert Person.objects.count() == 5
    recorded.refresh_from_db()
    assert (recorded.name, recorded.organisation) == ("Ann Example", None)
    new = Organisation.objects.get(name="Fife Voluntary Action")
    assert (new.sector, list(new.sites.all())) == (Sector.OTHER, [fife])
    assert set(Person.objects.filter(organisation=new).values_list("pseudonym", flat=True)) == {
        "F-003",
        "F-004",
    }
    memberships = Membership.objects.filter(group__name="Welfare PIT")
    assert dict(memberships.values_list("person__pseudonym", "role")) == {
        "F-001": MembershipRole.PERIPHERY,
        "F-002": MembershipRole.CORE,
        "F-004": MembershipRole.LEAD,
    }
    assert Membership.objects.filter(person__pseudonym="F-004").count() == 2
    assert Person.objects.get(pseudonym="F-002").history.get().history_user == researcher
    assert new.history.get().history_user == researcher


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        (
            "Someone Else,F-001,,,,\n",
            'Row 2: pseudonym "F-001" is already used in this programme, by someone with'
            " another name",
        ),
        (
            "Ann Example,F-001,,Strategy group,core,\n",
            'Row 2: F-001 is already a member of "Strategy group"',
        ),
        (
            "Bob Example,F-002,,Welfare PIT,core,\nBob Example,F-002,,Welfare PIT,lead,\n",
            'Row 3: F-002 also joins "Welfare PIT" on row 2',
        ),
        (
            "Bob Example,F-002,,Welfare PIT,chair,\n",
            'Row 2: role: "chair" is not one of: core, periphery, consultee, lead, '
            "researcher_facilitator, expert",
        ),
        (
            "Bob Example,F-002,,Welfare PIT,core,31/02/2016\n",
            "Row 2: joined_on: not a date: write it as 2025-01-15 or 15/01/2025",
        ),
    ],
    ids=["pseudonym taken", "already a member", "joins twice", "unknown role", "no such date"],
)
def test_a_bad_row_is_named_in_plain_words_and_nothing_is_written(fife, recorded, rows, error):
    content = people_csv("Cat Example,F-003,New Org,Welfare PIT,core,\n" + rows)
    shifted = error.replace("Row 3", "Row 4").replace("Row 2", "Row 3").replace("row 2", "row 3")

    preview = people_import_preview(site=fife, content=content)
    with pytest.raises(DomainError):
        people_import(site=fife, content=content, by=None)

    assert preview.errors == [shifted]
    assert Person.objects.count() == 1
    assert not Organisation.objects.filter(name="New Org").exists()
    assert Membership.objects.count() == 1
