import codecs
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inquiries.imports import PEOPLE_COLUMNS, PEOPLE_EXAMPLE, import_template, read_table
from inquiries.models import Membership, Person
from tests.factories.inquiries import ActivityFactory, PersonFactory

pytestmark = pytest.mark.django_db


def people_file(rows: str):
    return SimpleUploadedFile("people.csv", (b"name,pseudonym,group,role\n" + rows.encode()))


def test_people_import_previews_then_imports_all_rows(client, cast):
    client.force_login(cast.fife_researcher)
    url = reverse("inquiries:people_import")
    rows = f"Ann Example,F-101,{cast.group.name},core\nBob Example,F-102,,\n"

    preview = client.post(url, {"site": cast.fife.pk, "file": people_file(rows)})
    assert preview.status_code == 200
    assert Person.objects.filter(pseudonym__in=["F-101", "F-102"]).count() == 0

    client.post(url, {"site": cast.fife.pk, "confirm": "1"})

    assert Person.objects.filter(pseudonym__in=["F-101", "F-102"]).count() == 2
    assert Membership.objects.get(person__pseudonym="F-101").group == cast.group


def test_people_import_with_a_bad_row_shows_it_and_imports_nothing(client, cast):
    client.force_login(cast.fife_researcher)
    url = reverse("inquiries:people_import")
    rows = "Ann Example,F-101,,\nBob Example,F-102,No such group,core\n"

    preview = client.post(url, {"site": cast.fife.pk, "file": people_file(rows)})
    client.post(url, {"site": cast.fife.pk, "confirm": "1"})

    assert preview.status_code == 400
    assert 'Row 3: group: no group called "No such group" in this site' in (
        preview.content.decode().replace("&quot;", '"')
    )
    assert not Person.objects.filter(pseudonym__in=["F-101", "F-102"]).exists()


@pytest.mark.parametrize("role", ["fife_lead", "glasgow_lead"])
def test_strategy_leads_cannot_import_people(client, cast, role):
    client.force_login(getattr(cast, role))

    response = client.get(reverse("inquiries:people_import"))

    assert response.status_code == 403


def test_researcher_of_another_site_cannot_import_into_fife(client, cast):
    client.force_login(cast.glasgow_researcher)

    response = client.post(
        reverse("inquiries:people_import"),
        {"site": cast.fife.pk, "file": people_file("Ann Example,F-101,,\n")},
    )

    assert response.status_code == 400
    assert not Person.objects.filter(pseudonym="F-101").exists()


def test_attendance_import_records_everyone_listed(client, cast):
    activity = ActivityFactory(programme=cast.programme, group=cast.group)
    people = [PersonFactory(programme=cast.programme) for _ in range(3)]
    content = "person\n" + "\n".join(person.pseudonym for person in people) + "\n"
    client.force_login(cast.fife_researcher)
    url = reverse("inquiries:attendance_import", args=[activity.pk])

    client.post(url, {"file": SimpleUploadedFile("a.csv", content.encode())})
    client.post(url, {"confirm": "1"})

    assert set(activity.attendees.all()) == set(people)


def test_attendance_import_of_another_sites_activity_is_refused(client, cast):
    activity = ActivityFactory(programme=cast.programme, group=cast.group)
    client.force_login(cast.glasgow_researcher)

    response = client.get(reverse("inquiries:attendance_import", args=[activity.pk]))

    assert response.status_code == 403


# --- Request bodies beyond the limit ----------------------------------------------------------


class UnreadBody(io.BytesIO):
    """A request body that records whether anything read it."""

    touched = False

    def read(self, *args):
        self.touched = True
        return super().read(*args)

    readline = read


def test_a_200_mb_body_is_refused_before_it_is_read(client, cast):
    client.force_login(cast.fife_researcher)
    body = UnreadBody(b"x" * 1024)

    response = client.post(
        reverse("inquiries:people_import"),
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": body},
    )

    assert response.status_code == 413
    assert "What you sent is larger than 22.0\xa0MB" in response.content.decode()
    assert "Each file may be at most 20.0\xa0MB" in response.content.decode()
    assert not body.touched


@pytest.mark.parametrize(("limit", "previewed"), [(4000, True), (1000, False)])
def test_an_upload_is_read_only_within_the_body_limit(client, cast, settings, limit, previewed):
    settings.REQUEST_BODY_MAX_BYTES = limit
    client.force_login(cast.fife_researcher)
    rows = "".join(f"Person {n},F-{n:03}\n" for n in range(60))  # about 1.5 KB

    response = client.post(
        reverse("inquiries:people_import"), {"site": cast.fife.pk, "file": people_file(rows)}
    )

    assert (response.status_code, "people_import" in client.session) == (
        (200, True) if previewed else (413, False)
    )


def test_form_fields_beyond_the_memory_limit_are_refused(client, cast, settings):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:people_import"),
        {"site": cast.fife.pk, "file": people_file("Ann,F-101\n"), "note": "x" * (2200 * 1024)},
    )

    assert response.status_code == 400
    assert "people_import" not in client.session


# --- Templates and the preview ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "filename", "columns"),
    [
        ("inquiries:people_import_template", "people-import-template.csv", PEOPLE_COLUMNS),
        ("inquiries:attendance_import_template", "attendance-import-template.csv", ["person"]),
    ],
)
def test_an_import_template_downloads_with_its_columns_and_an_example(
    client, cast, url_name, filename, columns
):
    client.force_login(cast.fife_researcher)

    response = client.get(reverse(url_name))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response.content.startswith(codecs.BOM_UTF8)
    header, example = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert header == columns
    assert all(example)  # every column has an example value


def test_the_people_template_reads_back_as_the_import_reads_it():
    content = import_template(columns=PEOPLE_COLUMNS, example=PEOPLE_EXAMPLE)

    table = read_table(content=content, columns=PEOPLE_COLUMNS)

    assert [row.values for row in table.rows] == [PEOPLE_EXAMPLE]


def test_an_import_template_needs_a_sign_in(client):
    response = client.get(reverse("inquiries:people_import_template"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_import_page_links_to_its_template(client, cast):
    client.force_login(cast.fife_researcher)

    html = client.get(reverse("inquiries:people_import")).content.decode()

    assert f'href="{reverse("inquiries:people_import_template")}"' in html


def test_the_preview_page_says_how_the_file_was_read_and_what_each_row_will_do(client, cast):
    client.force_login(cast.fife_researcher)
    url = reverse("inquiries:people_import")
    rows = f"name;pseudonym;group;role\nRenée Côté;F-101;{cast.group.name};core\n"
    upload = SimpleUploadedFile("people.csv", rows.encode("cp1252"))

    html = client.post(url, {"site": cast.fife.pk, "file": upload}).content.decode()
    imported = client.post(url, {"site": cast.fife.pk, "confirm": "1"}, follow=True)

    assert "Read as CSV separated by semicolons, in Windows-1252." in html
    assert "The import will record 1 new person, 0 existing people" in html
    assert (
        f"<li>New person</li><li>No organisation</li><li>Joins {cast.group.name} as core</li>"
        in html
    )
    assert (
        "Imported 1 row: 1 new person, 0 existing people, 0 new organisations, 1 membership."
        in (imported.content.decode())
    )
    assert Person.objects.get(pseudonym="F-101").name == "Renée Côté"
