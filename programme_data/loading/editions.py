"""Loading the programme's editions: the cover, and the chapters in the file's order, with the
records they cite by their keys in the file written as the edition cites them, by primary key.

The file holds an edition's whole text: a second load updates what differs and removes the
chapters the file no longer lists, so the edition reads as the file does.
"""

from car_programme.dates import DatePrecision
from programme_data.loading.base import ProgrammeLoad, source_date, upsert
from programme_data.loading.schema import citation_pattern
from reports.documents import DocumentError, authored
from reports.enums import ReportKind
from reports.kinds import KINDS
from reports.models import Chapter, Edition

# The file describes the programme's own report; the other kinds are about a site, group or
# event that an edition in the file would have to name.
KIND = ReportKind.END_OF_PROGRAMME
COVER_TEXT = ("subtitle", "publisher", "licence", "isbn", "doi", "citation")


class EditionLoading(ProgrammeLoad):
    def _editions(self):
        for data in self.data.get("editions", []):
            edition = upsert(
                Edition,
                lookup={"programme": self.programme, "kind": KIND, "title": data["title"]},
                values=_cover(data),
            )
            self._chapters(edition, data)

    def _chapters(self, edition: Edition, data: dict):
        labels = dict(KINDS[KIND].sections)
        kept = []
        for position, chapter_data in enumerate(data["chapters"], start=1):
            section = chapter_data.get("section") or ""
            body = self._cited(chapter_data.get("body") or "")
            where = f"The edition {data['title']!r}, chapter {position}"
            _check_chapter(where, chapter_data, section, body, labels)
            if section:
                lookup = {"edition": edition, "section": section}
                values = {"title": chapter_data.get("title") or labels[section]}
            else:
                lookup = {"edition": edition, "section": "", "title": chapter_data["title"]}
                values = {}
            chapter = upsert(
                Chapter, lookup=lookup, values={**values, "position": position, "body": body}
            )
            if chapter.pk in kept:
                raise ValueError(f"{where}: the edition has this chapter already.")
            kept.append(chapter.pk)
        Chapter.objects.filter(edition=edition).exclude(pk__in=kept).delete()

    def _cited(self, body: str) -> str:
        """``body`` with each ``[[kind:key]]`` written ``[[kind:<primary key>]]``."""
        records = {
            "output": self.outputs,
            "evidence": self.evidence,
            "change": self.changes,
            "event": self.events,
            "group": self.groups,
        }

        def by_pk(match) -> str:
            kind, key = match.groups()
            if key not in records[kind]:
                raise ValueError(f"A chapter cites {kind} {key!r}: no {kind} has that key.")
            return f"[[{kind}:{records[kind][key].pk}]]"

        return citation_pattern(records).sub(by_pk, body)


def _cover(data: dict) -> dict:
    published, precision = source_date(data.get("published_on"))
    if published and precision != DatePrecision.DAY:
        raise ValueError(
            f"The edition {data['title']!r}: its date of publication must be a day (YYYY-MM-DD); "
            "leave it out if the source gives only the year or month."
        )
    return {
        **{name: data.get(name) or "" for name in COVER_TEXT},
        "authors": "\n".join(data.get("authors") or []),
        "published_on": published,
        "anonymise": data.get("anonymise") is not False,
    }


def _check_chapter(where: str, data: dict, section: str, body: str, labels: dict):
    if section and section not in labels:
        raise ValueError(
            f"{where}: the end-of-programme report has no data chapter {section!r}; its data "
            f"chapters are {', '.join(labels)}."
        )
    if section and body.strip():
        raise ValueError(f"{where}: a data chapter prints the records, so it has no body.")
    if not section and not data.get("title"):
        raise ValueError(f"{where}: a chapter needs a title, or a section for a data chapter.")
    try:
        authored.check_figures(KIND, [{"body": body}])
    except DocumentError as error:
        raise ValueError(f"{where}: {error}") from error
