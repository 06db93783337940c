"""One number format in every report: each count a PDF table prints goes through the ``figure``
filter ("370,000"), read off the templates themselves so that a new table cannot forget it."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf"
# A value printed alone in a table cell ("<td>{{ headline.people }}</td>"), unfiltered.
BARE_CELL = re.compile(r"<td[^>]*>\s*\{\{\s*([\w.]+)\s*\}\}\s*</td>")
# Cells that print words, not counts.
WORDS = re.compile(
    r"(name|title|kind|label|period|note|text|source|shown|type|level|form|status)\b|get_\w+_display|^empty$"
)


def test_every_count_in_a_report_table_is_printed_with_its_thousands_grouped():
    bare = [
        f"{path.relative_to(TEMPLATES)}: {value}"
        for path in TEMPLATES.rglob("*.html")
        for value in BARE_CELL.findall(path.read_text())
        if not WORDS.search(value)
    ]

    assert bare == []
