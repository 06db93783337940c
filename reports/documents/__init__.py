"""What each kind of report says: the data gathered for one request, ready for its template.

``build_document`` reads the database only; rendering and storage belong to reports.services.
It announces the steps it reaches through ``on_step`` so the request page can show progress.
Each kind's builder is a module of this package, named with its sections and template in the
registry of kinds (``reports/kinds.py``); what several kinds print alike is in ``common``.

Every figure comes from ``reports.metrics`` under a :class:`~reports.metrics.MetricScope` narrowed
by the request's date range, so a report and a dashboard cannot disagree; the lists of records
(a group's story, its members, an event's head counts) are plain reads. A person appears by
pseudonym unless they consented to be named or, when the request is not anonymised, the person
who asked may see their name; the document records whom it names, so that the version is
downloaded only by those who may see those names.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.utils.formats import date_format

from reports.enums import ProgressStep
from reports.kinds import KINDS

OnStep = Callable[[ProgressStep], None]


class DocumentError(Exception):
    """The request cannot be turned into a document; the message says what to change."""


@dataclass
class Document:
    title: str
    context: dict = field(default_factory=dict)
    # What the version prints that not every reader of its request may see: the people it names
    # rather than shows by pseudonym, and an event's free-text answers. Who may download the
    # version follows from them (reports.download_reportrequest).
    named_people: frozenset[int] = frozenset()
    holds_comments: bool = False
    # The kind's template (reports/kinds.py), set by build_document.
    template_name: str = ""


@dataclass(frozen=True)
class Options:
    anonymise: bool
    start: dt.date | None
    end: dt.date | None
    sections: tuple[str, ...]

    @property
    def period(self) -> str:
        if not (self.start or self.end):
            return ""
        start = date_format(self.start) if self.start else "the start"
        end = date_format(self.end) if self.end else "today"
        # A single day reads as one date, not "2 May 2016 to 2 May 2016".
        return start if start == end else f"{start} to {end}"


def parse_options(kind: str, options: dict) -> Options:
    """The options of a request, checked; raises DocumentError with a message for a person."""
    known = {slug for slug, _label in KINDS[kind].sections}
    requested = options.get("sections")
    sections = tuple(known) if requested is None else tuple(requested)
    unknown = set(sections) - known
    if unknown:
        raise DocumentError(f"Unknown sections for this report: {', '.join(sorted(unknown))}.")
    try:
        start = dt.date.fromisoformat(options["start"]) if options.get("start") else None
        end = dt.date.fromisoformat(options["end"]) if options.get("end") else None
    except (TypeError, ValueError) as error:
        raise DocumentError("Dates must be written as YYYY-MM-DD.") from error
    if start and end and end < start:
        raise DocumentError("The end of the date range comes before its start.")
    return Options(
        anonymise=bool(options.get("anonymise", True)),
        start=start,
        end=end,
        sections=sections,
    )


def build_document(report_request, *, on_step: OnStep) -> Document:
    spec = KINDS[report_request.kind]
    options = parse_options(spec.kind, report_request.options or {})
    document = replace(
        spec.build(report_request, options, on_step), template_name=spec.template_name
    )
    if report_request.text:
        # Imported here, as the builders are: it reads the records the text cites.
        from reports.documents import authored

        document = authored.apply(document, report_request, options.anonymise)
    return document
