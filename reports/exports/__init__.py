"""Data exports: a programme's or a site's records as CSV, XLSX or one workbook, cut by the rule
set and optionally kept to a date range.

One definition per dataset (``Dataset`` in ``DATASETS``): its records cut by the rule set to a
target, its columns, and the date that keeps it to a range (``Dataset.dated``, the condition
the dashboards' scope puts on the same records; ``None`` for the undated people). Every door
reads a dataset the same way, so a page's CSV, a workbook's sheet and any later caller (the
API's CSV) hold the same rows and cells::

    target = export_target_get(user=user, programme_slug=..., site_slug=...)  # 404 if refused
    # (or export_target_by_id(user=user, programme_id=..., site_id=...), as the API names it)
    target = target.between(start, end)  # validated by reports.forms.DateRangeForm
    table = export_table(dataset=DATASETS["activities"], user=user, target=target)
    csv_lines(table)  # or xlsx_file(table, title=...)
    export_workbook(user=user, target=target, datasets=DATASETS.values(), now=timezone.now())

``target.filename(extension, today=..., dataset=...)`` names the file after the programme, the
site and the range (or the day of the export).

Every dataset starts from ``permitted(user, "<app>.view_<model>", ...)``, so an export never
shows a row that the user's pages would not, and blanks the same cells the pages hide:

- people, memberships, attendance, activities' attendees and outputs' authors: a person's name
  (and on ``people`` their contact details, level, occupation and research experience, as on the
  person page) only where ``inquiries.view_person_name`` allows; the pseudonym otherwise. A
  strategy lead thus gets names only of people who consented to be named.
- activities: the ``notes`` column (reflective notes) only for those who read working material
  (``reports.export_*_notes``): a strategy lead loses it.
- evidence, changes' supporting evidence, events' reports: restricted and personal-data evidence
  and outputs are cut by their own rules, never inherited from the record pointing at them.
- feedback: free-text answers, and the response and time that link one participant's answers,
  only for the events the user edits (``events.change_event``), as the event page shows them.

Every text cell passes ``neutralise`` (OWASP CSV injection advice) on its way into either
format; numbers and dates keep their type. Rows are read in chunks (``iterator``) and written
as they come, so the number of queries depends on the chunk count, not on the rows.

Activities carry their attendance aggregated (a count and the attendees joined), because the
meeting log is read one meeting per row; the separate long ``attendance`` dataset (one row per
attendee) serves pivot tables counting who came how often.
"""

from reports.exports.datasets import DATASETS
from reports.exports.files import (
    FORMATS,
    ExportTable,
    csv_lines,
    export_table,
    export_workbook,
    xlsx_file,
)
from reports.exports.targets import (
    ExportTarget,
    export_target_by_id,
    export_target_get,
    export_targets_for_user,
)

__all__ = [
    "DATASETS",
    "FORMATS",
    "ExportTable",
    "ExportTarget",
    "csv_lines",
    "export_table",
    "export_target_by_id",
    "export_target_get",
    "export_targets_for_user",
    "export_workbook",
    "xlsx_file",
]
