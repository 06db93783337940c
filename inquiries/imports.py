"""Importing people with their group memberships, and an activity's attendance, from CSV or XLSX.

An import is read and checked in full before anything is written: the preview lists every row
with its errors (by spreadsheet row number, the header being row 1), and the import itself
writes all rows in one transaction or none.
"""

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
from openpyxl import load_workbook

from accounts.models import User
from car_programme.exceptions import DomainError
from car_programme.records_version import records_write
from car_programme.validators import RecordDatesMixin
from inquiries.enums import Level, MembershipRole, OccupationCategory, ResearchExperience
from inquiries.models import Activity, Attendance, InquiryGroup, Membership, Person
from sites.models import CaseSite, Organisation

MAX_ROWS = 5000
XLSX_SIGNATURE = b"PK\x03\x04"
# Three times what a full sheet of MAX_ROWS rows of every column takes unpacked (about 3 MB).
XLSX_MAX_UNPACKED_BYTES = 10 * 1024 * 1024


@dataclass
class ImportRow:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    cleaned: dict = field(default_factory=dict)


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    columns: list[str]

    @property
    def errors(self) -> list[str]:
        return [f"Row {row.number}: {error}" for row in self.rows for error in row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors


def read_table(*, content: bytes, columns: list[str]) -> list[ImportRow]:
    """Rows of a CSV or XLSX file as text, keyed by lower-case column name.

    The file is read one row at a time, and reading stops at the first row beyond
    ``MAX_ROWS``: a file's size says little about its rows (a workbook of a million rows
    packs into a few hundred kilobytes). Blank rows count towards the limit too, as they are read.
    Raises DomainError for a file that is neither, is empty, too long, or lacks a column.
    """
    records = _records(content)
    try:
        headers = [str(header or "").strip().lower() for header in next(records, None) or []]
        missing = [column for column in columns if column not in headers]
        if missing:
            raise DomainError(f"Missing column(s): {', '.join(missing)}.")
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
    return rows


def _records(content: bytes) -> Generator[Sequence]:
    """The file's rows (the header first) as they are read, as sequences of cell values."""
    if content.startswith(XLSX_SIGNATURE):
        return _read_as("XLSX", _xlsx_records(content))
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    return _read_as("CSV", csv.reader(text))


def _read_as(format_name: str, records: Iterator[Sequence]) -> Generator[Sequence]:
    try:
        yield from records
    except DomainError:
        raise
    except UnicodeDecodeError as error:
        raise DomainError("The file is neither an XLSX workbook nor UTF-8 CSV.") from error
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


def _length(model, name: str) -> int:
    """The model field's length, so a row the preview passes is one the import can save."""
    return model._meta.get_field(name).max_length


class PersonRowForm(RecordDatesMixin, forms.Form):
    name = forms.CharField(max_length=_length(Person, "name"))
    pseudonym = forms.CharField(max_length=_length(Person, "pseudonym"))
    email = forms.EmailField(required=False, max_length=_length(Person, "email"))
    organisation = forms.CharField(required=False, max_length=_length(Organisation, "name"))
    job_title = forms.CharField(required=False, max_length=_length(Person, "job_title"))
    level = forms.ChoiceField(required=False, choices=[("", ""), *Level.choices])
    occupation_category = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", ""), *OccupationCategory.choices],
    )
    research_experience = forms.ChoiceField(
        required=False, choices=[("", ""), *ResearchExperience.choices]
    )
    group = forms.CharField(required=False, max_length=_length(InquiryGroup, "name"))
    role = forms.ChoiceField(required=False, choices=[("", ""), *MembershipRole.choices])
    joined_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def __init__(self, *args, organisations: dict, groups: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations, self.groups = organisations, groups

    def clean_organisation(self):
        name = self.cleaned_data["organisation"]
        if name and name.casefold() not in self.organisations:
            raise forms.ValidationError(f'no organisation called "{name}" in this programme')
        return self.organisations.get(name.casefold()) if name else None

    def clean_group(self):
        name = self.cleaned_data["group"]
        if name and name.casefold() not in self.groups:
            raise forms.ValidationError(f'no group called "{name}" in this site')
        return self.groups.get(name.casefold()) if name else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("group") and not cleaned.get("role"):
            self.add_error("role", "a member needs a role (core, periphery, ...)")
        return cleaned


def people_import_preview(*, site: CaseSite, content: bytes) -> ImportPreview:
    """Read and check every row; nothing is written."""
    rows = read_table(content=content, columns=PEOPLE_REQUIRED)
    organisations = {
        organisation.name.casefold(): organisation
        for organisation in Organisation.objects.filter(programme=site.programme)
    }
    groups = {}
    for group in InquiryGroup.objects.filter(sites=site):
        groups[group.name.casefold()] = group
        if group.short_name:
            groups.setdefault(group.short_name.casefold(), group)
    taken = set(Person.objects.filter(programme=site.programme).values_list("pseudonym", flat=True))
    seen: dict[str, int] = {}
    for row in rows:
        form = PersonRowForm(
            row.values, organisations=organisations, groups=groups, programme=site.programme
        )
        _check(row, form)
        pseudonym = row.values.get("pseudonym", "")
        if pseudonym in taken:
            row.errors.append(f'pseudonym "{pseudonym}" is already used in this programme')
        elif pseudonym in seen:
            row.errors.append(f'pseudonym "{pseudonym}" is also on row {seen[pseudonym]}')
        seen.setdefault(pseudonym, row.number)
    return ImportPreview(rows=rows, columns=PEOPLE_COLUMNS)


@records_write
@transaction.atomic
def people_import(*, site: CaseSite, content: bytes, by: User | None) -> list[Person]:
    """Create every person of the file, with their membership where a group is given.

    Side effects: Person and Membership rows (and history rows), all or none.
    Raises DomainError, writing nothing, if any row is invalid.
    """
    preview = people_import_preview(site=site, content=content)
    if not preview.is_valid:
        raise DomainError("The file has errors: " + "; ".join(preview.errors[:20]))
    people = []
    for row in preview.rows:
        data = row.cleaned
        person = Person(
            programme=site.programme,
            site=site,
            name=data["name"],
            pseudonym=data["pseudonym"],
            email=data["email"],
            organisation=data["organisation"],
            job_title=data["job_title"],
            level=data["level"],
            occupation_category=data["occupation_category"],
            research_experience=data["research_experience"],
        )
        person._history_user = by
        person.save()
        if data["group"]:
            membership = Membership(
                group=data["group"], person=person, role=data["role"], joined_on=data["joined_on"]
            )
            membership._history_user = by
            membership.save()
        people.append(person)
    return people


# --- Attendance of an activity ----------------------------------------------------------------

ATTENDANCE_COLUMNS = ["person"]


def attendance_import_preview(*, activity: Activity, content: bytes) -> ImportPreview:
    """Match each row's person (by pseudonym, email or exact name) among the programme's people."""
    rows = read_table(content=content, columns=ATTENDANCE_COLUMNS)
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
            seen.setdefault(person.pk, row.number)
            row.cleaned = {"person": person}
    return ImportPreview(rows=rows, columns=ATTENDANCE_COLUMNS)


@records_write
@transaction.atomic
def attendance_import(*, activity: Activity, content: bytes, by: User | None) -> int:
    """Record every row's person as attending ``activity``: all rows or none.

    Side effects: Attendance rows (and history rows). Raises DomainError if any row is invalid.
    """
    preview = attendance_import_preview(activity=activity, content=content)
    if not preview.is_valid:
        raise DomainError("The file has errors: " + "; ".join(preview.errors[:20]))
    for row in preview.rows:
        attendance = Attendance(activity=activity, person=row.cleaned["person"])
        attendance._history_user = by
        attendance.save()
    return len(preview.rows)
