import io

import pytest
from openpyxl import Workbook

from car_programme.exceptions import DomainError
from inquiries.enums import MembershipRole
from inquiries.imports import (
    attendance_import,
    attendance_import_preview,
    people_import,
    people_import_preview,
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

    people = people_import(site=fife, content=content, by=None)

    assert [person.pseudonym for person in people] == ["F-001", "F-002", "F-003"]
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
        'Row 3: organisation: no organisation called "Nowhere Ltd" in this programme',
        'Row 3: group: no group called "Family PIT" in this site',
        'Row 4: pseudonym "F-001" is also on row 2',
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

    count = attendance_import(
        activity=activity, content=b"person\nf-001\nBOB@example.org\ncat example\n", by=None
    )

    assert count == 3
    assert set(activity.attendees.all()) == {ann, bob, cat}


def test_attendance_with_an_unknown_person_writes_nothing(fife):
    activity = ActivityFactory(programme=fife.programme)
    PersonFactory(programme=fife.programme, pseudonym="F-001")

    preview = attendance_import_preview(activity=activity, content=b"person\nF-001\nF-999\n")
    with pytest.raises(DomainError):
        attendance_import(activity=activity, content=b"person\nF-001\nF-999\n", by=None)

    assert preview.errors == ['Row 3: person: nobody called "F-999" in this programme']
    assert activity.attendance.count() == 0
