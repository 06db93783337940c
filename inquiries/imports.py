"""Importing people with their group memberships, and an activity's attendance, from CSV or XLSX.

An import is read and checked in full before anything is written: the preview lists every row
with what it will do or what is wrong with it (by spreadsheet row number, the header being row
1), and the import itself writes all rows in one transaction or none. A CSV file may be
separated by commas, semicolons or tabs and written in UTF-8 (with or without a byte-order
mark), UTF-16 or Windows-1252: what a spreadsheet application in the UK saves as "CSV".
"""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from openpyxl import load_workbook

from accounts.models import User
from car_programme.exceptions import DomainError
from car_programme.records_version import records_write
from car_programme.validators import RecordDatesMixin
from car_programme.words import counted
from inquiries.enums import Level, MembershipRole, OccupationCategory, ResearchExperience
from inquiries.models import Activity, Attendance, InquiryGroup, Membership, Person
from inquiries.rollups import rollups_refresh
from inquiries.services import membership_add, person_create
from sites.enums import Sector
from sites.models import CaseSite, Organisation
from sites.services import organisation_create

MAX_ROWS = 5000
XLSX_SIGNATURE = b"PK\x03\x04"
# Three times what a full sheet of MAX_ROWS rows of every column takes unpacked (about 3 MB).
XLSX_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
# What separates a CSV file's columns, by what the preview calls it; the first is the default.
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}
UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class ImportRow:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    cleaned: dict = field(default_factory=dict)
    # What importing the row will do, in words ("New person", "Joins Welfare PIT as core").
    outcome: list[str] = field(default_factory=list)


@dataclass
class Table:
    rows: list[ImportRow]
    # How the file was read ("CSV separated by semicolons, in Windows-1252").
    read_as: str


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    columns: list[str]
    read_as: str = ""
    # What the whole import will do ("3 new people", "1 new organisation").
    summary: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f"Row {row.number}: {error}" for row in self.rows for error in row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors


def read_table(*, content: bytes, columns: list[str]) -> Table:
    """Rows of a CSV or XLSX file as text, keyed by lower-case column name.

    The file is read one row at a time, and reading stops at the first row beyond
    ``MAX_ROWS``: a file's size says little about its rows (a workbook of a million rows
    packs into a few hundred kilobytes). Blank rows count towards the limit too, as they are read.
    Raises DomainError for a file that is neither, is empty, too long, or lacks a column.
    """
    read_as, records = _records(content)
    try:
        headers = [str(header or "").strip().lower() for header in next(records, None) or []]
        missing = [column for column in columns if column not in headers]
        if missing:
            raise DomainError(
                f"Missing column(s): {', '.join(missing)}. The first row must name the "
                "columns: download the template to see them."
            )
        rows = []
        for number, record in enumerate(records, start=2):
            if number > MAX_ROWS + 1:
                raise DomainError(
                    f"At most {MAX_ROWS} rows can be imported at once, and this file has more "
                    "(empty rows below the data count too): split it, or delete those rows."
                )
            if any(_text(value) for value in record):
                cells = dict(zip(headers, record, strict=False))
                values = {header: _text(cells.get(header)) for header in headers}
                rows.append(ImportRow(number=number, values=values))
    finally:
        records.close()
    if not rows:
        raise DomainError("The file has no rows to import.")
    return Table(rows=rows, read_as=read_as)


def _records(content: bytes) -> tuple[str, Generator[Sequence]]:
    """How the file is read, and its rows (the header first) as they are read, as sequences
    of cell values."""
    if content.startswith(XLSX_SIGNATURE):
        return "XLSX workbook", _read_as("XLSX", _xlsx_records(content))
    text, encoding = _decoded(content)
    delimiter = _delimiter(text)
    read_as = f"CSV separated by {DELIMITERS[delimiter]}, in {encoding}"
    return read_as, _read_as("CSV", csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _decoded(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding.

    UTF-8 is tried first: text in Windows-1252 with any letter beyond ASCII is almost never
    valid UTF-8, while every UTF-8 file would decode, wrongly, as Windows-1252.
    """
    if content.startswith(UTF16_MARKS):
        return _decode(content, "utf-16"), "UTF-16"
    try:
        return content.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return _decode(content, "cp1252"), "Windows-1252"


def _decode(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as error:
        raise DomainError(
            "The file is neither an XLSX workbook nor a CSV file in UTF-8 or Windows-1252: "
            'save it again as "CSV UTF-8" or as an Excel workbook.'
        ) from error


def _delimiter(text: str) -> str:
    """What separates the columns: of commas, semicolons and tabs, the one the header row holds
    most of (column names hold none); commas for a file of one column."""
    header = text.partition("\n")[0]
    return max(DELIMITERS, key=header.count)


def _read_as(format_name: str, records: Iterator[Sequence]) -> Generator[Sequence]:
    try:
        yield from records
    except DomainError:
        raise
    except Exception as error:  # a reader raises whatever its parser raises
        raise DomainError(f"The file could not be read as {format_name}.") from error


def _xlsx_records(content: bytes) -> Generator[Sequence]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(part.file_size for part in archive.infolist())
    # A workbook's parts are compressed; what openpyxl parses is their unpacked size (the
    # declared sizes bind: zipfile reads no further). A sheet's shared strings are read whole.
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise DomainError(
            f"The workbook holds {filesizeformat(unpacked)} once unpacked; at most "
            f"{filesizeformat(XLSX_MAX_UNPACKED_BYTES)} can be imported: split it, "
            f"at most {MAX_ROWS} rows at a time."
        )
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.active
        # The dimensions a file declares are not trusted: a false one would cut rows off.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check(row: ImportRow, form: forms.Form) -> None:
    if form.is_valid():
        row.cleaned = form.cleaned_data
        return
    for name, messages in form.errors.items():
        label = "" if name == "__all__" else f"{name}: "
        row.errors.extend(f"{label}{message}" for message in messages)


def import_template(*, columns: list[str], example: dict[str, str]) -> bytes:
    """A CSV file of the header row and one example row, to fill in.

    UTF-8 with a byte-order mark: without one, Excel reads a CSV file as Windows-1252 and
    garbles every letter beyond ASCII.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerow([example.get(column, "") for column in columns])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


class VocabularyField(forms.ChoiceField):
    """A choice written as its value or its label, in any case ("Core", "core")."""

    def __init__(self, *, choices, **kwargs):
        values = ", ".join(str(value) for value, _ in choices)
        kwargs.setdefault(
            "error_messages", {"invalid_choice": f'"%(value)s" is not one of: {values}'}
        )
        super().__init__(required=False, choices=[("", ""), *choices], **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        for choice, label in self.choices:
            if text.casefold() in {str(choice).casefold(), str(label).casefold()}:
                return str(choice)
        return text


# --- People with their memberships ------------------------------------------------------------

PEOPLE_COLUMNS = [
    "name",
    "pseudonym",
    "email",
    "organisation",
    "job_title",
    "level",
    "occupation_category",
    "research_experience",
    "group",
    "role",
    "joined_on",
]
PEOPLE_REQUIRED = ["name", "pseudonym"]
PEOPLE_EXAMPLE = {
    "name": "Alex Example",
    "pseudonym": "P-001",
    "email": "alex@example.org",
    "organisation": "Example Council",
    "job_title": "Community development officer",
    "level": Level.OPERATIONAL.value,
    "occupation_category": str(OccupationCategory.PROFESSIONAL.value),
    "research_experience": ResearchExperience.SOME.value,
    "group": "Example inquiry group",
    "role": MembershipRole.CORE.value,
    "joined_on": "2025-01-15",
}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _length(model, name: str) -> int:
    """The model field's length, so a row the preview passes is one the import can save."""
    return model._meta.get_field(name).max_length


class PersonRowForm(RecordDatesMixin, forms.Form):
    name = forms.CharField(max_length=_length(Person, "name"))
    pseudonym = forms.CharField(max_length=_length(Person, "pseudonym"))
    email = forms.EmailField(required=False, max_length=_length(Person, "email"))
    organisation = forms.CharField(required=False, max_length=_length(Organisation, "name"))
    job_title = forms.CharField(required=False, max_length=_length(Person, "job_title"))
    level = VocabularyField(choices=Level.choices)
    occupation_category = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", ""), *OccupationCategory.choices],
        error_messages={"invalid_choice": '"%(value)s" is not a number from 1 to 9'},
    )
    research_experience = VocabularyField(choices=ResearchExperience.choices)
    group = forms.CharField(required=False, max_length=_length(InquiryGroup, "name"))
    role = VocabularyField(choices=MembershipRole.choices)
    joined_on = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "not a date: write it as 2025-01-15 or 15/01/2025"},
    )

    def __init__(self, *args, groups: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups

    def clean_group(self):
        name = self.cleaned_data["group"]
        if name and name.casefold() not in self.groups:
            raise forms.ValidationError(f'no group called "{name}" in this site')
        return self.groups.get(name.casefold()) if name else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("group") and not cleaned.get("role") and "role" not in self.errors:
            self.add_error("role", "a member needs a role (core, periphery, ...)")
        return cleaned


@dataclass
class _PeopleFile:
    """What the rows above the one being checked have said, and what exists already."""

    existing: dict[str, Person]
    organisations: dict[str, Organisation]
    open_memberships: set[tuple[int, int]]
    # The first row of each pseudonym, checked or not, and how many rows are new people.
    rows_by_pseudonym: dict[str, ImportRow] = field(default_factory=dict)
    new_people: int = 0
    new_organisations: dict[str, int] = field(default_factory=dict)
    memberships: dict[tuple[str, int], int] = field(default_factory=dict)

    def check(self, row: ImportRow) -> None:
        """Errors on ``row`` if it contradicts the records or an earlier row; else its outcome
        in words, and in ``row.cleaned`` the person it is about (``person``: an existing
        one, or None for a new person) and, for a new person, their organisation."""
        data = row.cleaned
        pseudonym, name = data["pseudonym"], data["name"]
        existing = self.existing.get(pseudonym)
        earlier = self.rows_by_pseudonym.get(pseudonym)
        if existing is not None and existing.name.casefold() != name.casefold():
            row.errors.append(
                f'pseudonym "{pseudonym}" is already used in this programme, by someone with '
                "another name"
            )
        elif earlier is not None and earlier.values["name"].casefold() != name.casefold():
            row.errors.append(
                f'pseudonym "{pseudonym}" is also on row {earlier.number}, with another name'
            )
        else:
            self._membership(row, existing)
        if row.errors:
            return
        data["person"] = existing
        if existing is not None:
            row.outcome.insert(0, f"Existing person {existing.pseudonym}: details not changed")
        elif earlier is not None:
            row.outcome.insert(0, f"The new person of row {earlier.number}")
        else:
            self.new_people += 1
            row.outcome.insert(0, "New person")
            row.outcome.insert(1, self._organisation(row))

    def _organisation(self, row: ImportRow) -> str:
        name = row.cleaned["organisation"]
        row.cleaned["organisation"] = self.organisations.get(name.casefold()) if name else None
        row.cleaned["new_organisation"] = ""
        if not name:
            return "No organisation"
        if row.cleaned["organisation"] is not None:
            return f"Organisation {row.cleaned['organisation'].name}"
        row.cleaned["new_organisation"] = name
        if name.casefold() in self.new_organisations:
            return f"The new organisation {name} of row {self.new_organisations[name.casefold()]}"
        self.new_organisations[name.casefold()] = row.number
        return f"New organisation {name}"

    def _membership(self, row: ImportRow, existing: Person | None) -> None:
        group = row.cleaned["group"]
        if group is None:
            row.outcome.append("No membership")
            return
        key = (row.cleaned["pseudonym"], group.pk)
        if existing is not None and (existing.pk, group.pk) in self.open_memberships:
            row.errors.append(f'{existing.pseudonym} is already a member of "{group}"')
        elif key in self.memberships:
            row.errors.append(f'{key[0]} also joins "{group}" on row {self.memberships[key]}')
        else:
            self.memberships[key] = row.number
            role = MembershipRole(row.cleaned["role"]).label.lower()
            joined = row.cleaned["joined_on"]
            since = f" from {date_format(joined)}" if joined else ""
            row.outcome.append(f"Joins {group} as {role}{since}")

    def summary(self, rows: list[ImportRow]) -> list[str]:
        existing = {row.cleaned["person"].pk for row in rows if row.cleaned.get("person")}
        return [
            counted(self.new_people, "new person", "new people"),
            counted(len(existing), "existing person", "existing people"),
            counted(len(self.new_organisations), "new organisation"),
            counted(len(self.memberships), "membership"),
        ]


def people_import_preview(*, site: CaseSite, content: bytes) -> ImportPreview:
    """Read and check every row, and say what each will do; nothing is written.

    A row whose pseudonym and name are those of a person of the programme is about that
    person, whose details stay as they are: it adds their membership. Rows with the same
    pseudonym and name are one new person (each row may add a membership). An organisation
    that the programme does not have is new: the import records it, of sector "other", as a
    partner in ``site``.
    """
    table = read_table(content=content, columns=PEOPLE_REQUIRED)
    groups = {}
    # The import checks each membership's group against the programme.
    for group in InquiryGroup.objects.filter(sites=site).select_related("programme"):
        groups[group.name.casefold()] = group
        if group.short_name:
            groups.setdefault(group.short_name.casefold(), group)
    pseudonyms = {row.values.get("pseudonym", "") for row in table.rows}
    existing = {
        person.pseudonym: person
        for person in Person.objects.filter(programme=site.programme, pseudonym__in=pseudonyms)
    }
    people = _PeopleFile(
        existing=existing,
        organisations={
            organisation.name.casefold(): organisation
            for organisation in Organisation.objects.filter(programme=site.programme)
        },
        open_memberships=set(
            Membership.objects.filter(
                person__in=existing.values(), left_on__isnull=True
            ).values_list("person_id", "group_id")
        ),
    )
    for row in table.rows:
        _check(row, PersonRowForm(row.values, groups=groups, programme=site.programme))
        if not row.errors:
            people.check(row)
        people.rows_by_pseudonym.setdefault(row.values.get("pseudonym", ""), row)
    return ImportPreview(
        rows=table.rows,
        columns=PEOPLE_COLUMNS,
        read_as=table.read_as,
        summary=people.summary(table.rows),
    )


@records_write
@transaction.atomic
def people_import(*, site: CaseSite, content: bytes, by: User | None) -> ImportPreview:
    """Import every row of the file as its preview says, and return that preview.

    Side effects: new Person rows, new Organisation rows (partners in ``site``) and Membership
    rows, each with its history row, all or none. Raises DomainError, writing nothing, if any
    row is invalid.
    """
    preview = people_import_preview(site=site, content=content)
    if not preview.is_valid:
        raise DomainError("The file has errors: " + "; ".join(preview.errors[:20]))
    new_people: dict[str, Person] = {}
    new_organisations: dict[str, Organisation] = {}
    for row in preview.rows:
        data = row.cleaned
        person = data["person"] or new_people.get(data["pseudonym"])
        if person is None:
            person = new_people[data["pseudonym"]] = _person_create(
                site, data, new_organisations, by
            )
        if data["group"] is not None:
            membership_add(
                group=data["group"],
                person=person,
                role=data["role"],
                joined_on=data["joined_on"],
                by=by,
            )
    return preview


def _person_create(
    site: CaseSite, data: dict, new_organisations: dict[str, Organisation], by: User | None
) -> Person:
    organisation = data["organisation"]
    if data["new_organisation"]:
        key = data["new_organisation"].casefold()
        if key not in new_organisations:
            new_organisations[key] = organisation_create(
                programme=site.programme,
                sites=[site],
                by=by,
                name=data["new_organisation"],
                sector=Sector.OTHER,
            )
        organisation = new_organisations[key]
    return person_create(
        programme=site.programme,
        site=site,
        name=data["name"],
        pseudonym=data["pseudonym"],
        organisation=organisation,
        by=by,
        email=data["email"],
        job_title=data["job_title"],
        level=data["level"],
        occupation_category=data["occupation_category"],
        research_experience=data["research_experience"],
    )


# --- Attendance of an activity ----------------------------------------------------------------

ATTENDANCE_COLUMNS = ["person"]
ATTENDANCE_EXAMPLE = {"person": "P-001"}


def attendance_import_preview(*, activity: Activity, content: bytes) -> ImportPreview:
    """Match each row's person (by pseudonym, email or exact name) among the programme's people;
    nothing is written."""
    table = read_table(content=content, columns=ATTENDANCE_COLUMNS)
    rows = table.rows
    wanted = {row.values["person"].lower() for row in rows if row.values.get("person")}
    people: dict[str, list[Person]] = {}
    candidates = Person.objects.filter(programme=activity.programme).annotate(
        pseudonym_key=Lower("pseudonym"), email_key=Lower("email"), name_key=Lower("name")
    )
    for person in candidates.filter(
        Q(pseudonym_key__in=wanted) | Q(email_key__in=wanted) | Q(name_key__in=wanted)
    ):
        for key in {person.pseudonym, person.email, person.name} - {""}:
            people.setdefault(key.lower(), []).append(person)
    already = set(Attendance.objects.filter(activity=activity).values_list("person_id", flat=True))
    seen: dict[int, int] = {}
    for row in rows:
        key = row.values.get("person", "").lower()
        matches = {person.pk: person for person in people.get(key, [])}
        if not key:
            row.errors.append("person: this field is required")
        elif not matches:
            row.errors.append(f'person: nobody called "{row.values["person"]}" in this programme')
        elif len(matches) > 1:
            row.errors.append(f'person: "{row.values["person"]}" matches several people')
        else:
            person = next(iter(matches.values()))
            if person.pk in already:
                row.errors.append(f"person: {person.pseudonym} is already recorded as attending")
            elif person.pk in seen:
                row.errors.append(f"person: {person.pseudonym} is also on row {seen[person.pk]}")
            else:
                row.outcome.append(f"Attended: {person.pseudonym}")
            seen.setdefault(person.pk, row.number)
            row.cleaned = {"person": person}
    return ImportPreview(
        rows=rows,
        columns=ATTENDANCE_COLUMNS,
        read_as=table.read_as,
        summary=[
            counted(len(seen), "person recorded as attending", "people recorded as attending")
        ],
    )


@records_write
@transaction.atomic
def attendance_import(*, activity: Activity, content: bytes, by: User | None) -> ImportPreview:
    """Record every row's person as attending ``activity``: all rows or none. Returns the
    preview of what was imported.

    Side effects: Attendance rows (and history rows). Raises DomainError if any row is invalid.
    """
    preview = attendance_import_preview(activity=activity, content=content)
    if not preview.is_valid:
        raise DomainError("The file has errors: " + "; ".join(preview.errors[:20]))
    for row in preview.rows:
        attendance = Attendance(activity=activity, person=row.cleaned["person"])
        attendance._history_user = by
        attendance.save()
    rollups_refresh([activity.pk])
    return preview
