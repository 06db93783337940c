import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.worksheet._reader import WorkSheetParser

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
