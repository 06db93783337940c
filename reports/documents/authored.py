"""An edition's own text in its version: the cover, the authored chapters with their citations
and figures, and the references built from the records they cite.

A chapter is Markdown. ``[[output:42]]`` (also evidence, change, event, group) cites a record
of the programme: it prints as a numbered reference, numbered in the order the edition first
cites it, and the References chapter lists each once with its title, date and address.
``[[figure:table-b]]``, best on a line of its own, places one of the kind's sections there,
drawn from the same figures as the data chapters, for the edition's scope and date range.

In an anonymised version the whole name of anyone without consent to be named is printed as
their pseudonym wherever the authors wrote it (car_programme.names); otherwise the version
records whom its text names, so that only those who may see the names download it.
"""

import base64
import datetime as dt
import mimetypes
import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from accounts.rules import permitted
from car_programme.dates import format_partial_date
from car_programme.names import Hidden, NameReplacer
from car_programme.templatetags.car_tags import markdown
from events.models import Event
from evidence.models import Change, EvidenceItem, Output
from inquiries.models import InquiryGroup, Person
from inquiries.rules import consents_to_be_named
from reports.documents import Document, DocumentError
from reports.kinds import KINDS

CITATION = re.compile(r"\[\[(evidence|output|change|event|group):(\d+)\]\]")
# Best on a line of its own; elsewhere it ends the paragraph before it.
FIGURE = re.compile(r"\[\[figure:([a-z0-9-]+)\]\]")
# Authored headings sit below the chapter's own (h2): "# Theme" prints as h3.
HEADING = re.compile(r"<(/?)h([1-4])>")
AUTHORED_TEMPLATE = "reports/pdf/sections/_authored.html"


class Citable(NamedTuple):
    model: type
    view_permission: str
    label: str
    title: str
    # The record's date and its precision, as the record holds them.
    date: tuple[str, str | None]


CITABLE = {
    "evidence": Citable(
        EvidenceItem, "evidence.view_evidenceitem", "Evidence", "title", ("collected_on", None)
    ),
    "output": Citable(
        Output, "evidence.view_output", "Output", "title", ("published_on", "date_precision")
    ),
    "change": Citable(
        Change, "evidence.view_change", "Change", "title", ("date", "date_precision")
    ),
    "event": Citable(
        Event, "events.view_event", "Event", "title", ("start_date", "date_precision")
    ),
    "group": Citable(
        InquiryGroup,
        "inquiries.view_inquirygroup",
        "Group",
        "name",
        ("start_date", "date_precision"),
    ),
}


@dataclass(frozen=True)
class Reference:
    number: int
    label: str
    title: str
    date: str
    url: str


# --- Reading the text -------------------------------------------------------------------------


def citations(chapters: list[dict]) -> list[tuple[str, int]]:
    """The records the chapters cite, each once, in the order first cited."""
    cited: dict[tuple[str, int], None] = {}
    for chapter in chapters:
        for kind, pk in CITATION.findall(chapter.get("body", "")):
            cited.setdefault((kind, int(pk)), None)
    return list(cited)


def figures(chapters: list[dict]) -> list[str]:
    """The sections the chapters place as figures, each once."""
    return list(dict.fromkeys(s for c in chapters for s in FIGURE.findall(c.get("body", ""))))


def check_figures(kind: str, chapters: list[dict]) -> None:
    known = {slug for slug, _label in KINDS[kind].sections}
    unknown = [slug for slug in figures(chapters) if slug not in known]
    if unknown:
        raise DocumentError(
            f"This kind of report has no figure called {', '.join(unknown)}: place one of "
            f"{', '.join(sorted(known))}."
        )


def cited_records(programme, user, cited: list[tuple[str, int]]) -> dict[tuple[str, int], object]:
    """The cited records of ``programme`` that ``user`` may read; raises DocumentError naming
    every citation that is not one of them, so a version never prints a record its author could
    not see or one of another programme."""
    found = {}
    for kind, spec in CITABLE.items():
        pks = [pk for k, pk in cited if k == kind]
        if pks:
            readable = permitted(user, spec.view_permission).filter(programme=programme)
            found |= {(kind, record.pk): record for record in readable.filter(pk__in=pks)}
    missing = [f"{kind} {pk}" for kind, pk in cited if (kind, pk) not in found]
    if missing:
        raise DocumentError(
            f"The text cites records that are not in this programme or that you may not read: "
            f"{', '.join(missing)}. Correct or remove those citations."
        )
    return found


def name_replacer(programme) -> NameReplacer:
    """Finds the programme's people without consent to be named, leaving those with it."""
    people = Person.objects.filter(programme=programme)
    consenting = people.filter(consents_to_be_named.condition)
    hidden = people.exclude(pk__in=consenting.values("pk")).values_list("pk", "name", "pseudonym")
    return NameReplacer((Hidden(*row) for row in hidden), consenting.values_list("name", flat=True))


@dataclass(frozen=True)
class Citing:
    """A record the authors may cite, as the editor's search lists it."""

    kind: str
    label: str
    pk: int
    title: str
    date: str

    @property
    def marker(self) -> str:
        return f"[[{self.kind}:{self.pk}]]"


def citable(programme, user, query: str, limit: int = 20) -> list[Citing]:
    """The records of ``programme`` that ``user`` may read (and so cite) whose title holds
    ``query``, at most ``limit``, by title."""
    query = query.strip()
    if not query:
        return []
    found = []
    for kind, spec in CITABLE.items():
        readable = permitted(user, spec.view_permission).filter(programme=programme)
        matching = readable.filter(**{f"{spec.title}__icontains": query}).order_by(spec.title)
        found += [
            Citing(kind, spec.label, record.pk, getattr(record, spec.title), _date(spec, record))
            for record in matching[:limit]
        ]
    return sorted(found, key=lambda c: (c.title.casefold(), c.kind, c.pk))[:limit]


def _date(spec: Citable, record) -> str:
    date_field, precision_field = spec.date
    day = getattr(record, date_field)
    if precision_field:
        return format_partial_date(day, getattr(record, precision_field))
    return date_format(day) if day else ""


# --- Printing it ------------------------------------------------------------------------------


def _reference(number: int, kind: str, record, replacer, anonymise: bool) -> Reference:
    spec = CITABLE[kind]
    title = getattr(record, spec.title)
    url = getattr(record, "url", "") or settings.SITE_URL.rstrip("/") + record.get_absolute_url()
    return Reference(
        number=number,
        label=spec.label,
        title=replacer.replace(title) if anonymise else title,
        date=_date(spec, record),
        url=url,
    )


def _blocks(body: str, numbers: dict, kind: str) -> list[dict]:
    """The chapter as HTML blocks with its figures between them."""

    def cite(match: re.Match) -> str:
        number = numbers[(match.group(1), int(match.group(2)))]
        return f"[[{number}]](#ref-{number})"

    blocks, last = [], 0
    spec = KINDS[kind]
    for match in [*FIGURE.finditer(body), None]:
        text = body[last : match.start() if match else len(body)]
        if text.strip():
            html = markdown(CITATION.sub(cite, text))
            blocks.append({"html": mark_safe(HEADING.sub(_demoted, html))})  # from markdown()
        if match:
            blocks.append({"figure": spec.chapter_templates(match.group(1))})
            last = match.end()
    return blocks


def _demoted(match: re.Match) -> str:
    return f"<{match.group(1)}h{int(match.group(2)) + 2}>"


def _logo(name: str, programme) -> str:
    """The cover's logo as a data address (the PDF engine reads no media files), the edition's
    own or else the programme's."""
    field = name or (programme.logo.name if programme.logo else "")
    if not field or not default_storage.exists(field):
        return ""
    content_type = mimetypes.guess_type(field)[0] or "image/png"
    with default_storage.open(field) as handle:
        return f"data:{content_type};base64,{base64.b64encode(handle.read()).decode()}"


def _published(day: str | None) -> str:
    return date_format(dt.date.fromisoformat(day)) if day else ""


def apply(document: Document, report_request, anonymise: bool) -> Document:
    """``document`` with the version's authored text: its cover, its chapters in the authors'
    order, and its references."""
    text, programme = report_request.text, report_request.programme
    chapters = text.get("chapters", [])
    check_figures(report_request.kind, chapters)
    cited = citations(chapters)
    records = cited_records(programme, report_request.requested_by, cited)
    numbers = {key: number for number, key in enumerate(cited, start=1)}
    replacer = name_replacer(programme)
    written = "\n".join([c["title"] + "\n" + c.get("body", "") for c in chapters])
    named = {person.pk for person in replacer.found(written)}

    def shown(value: str) -> str:
        return replacer.replace(value) if anonymise else value

    toc, printed, authored = [], [], {}
    for position, chapter in enumerate(chapters, start=1):
        if chapter["section"]:
            slug = chapter["section"]
            templates = KINDS[report_request.kind].chapter_templates(slug)
        elif chapter.get("body", "").strip():
            slug, templates = f"chapter-{position}", (AUTHORED_TEMPLATE,)
            authored[slug] = _blocks(shown(chapter["body"]), numbers, report_request.kind)
        else:
            continue  # an authored chapter not yet written prints nothing
        toc.append((slug, shown(chapter["title"])))
        printed.append((slug, shown(chapter["title"]), templates))
    references = [
        _reference(numbers[key], key[0], records[key], replacer, anonymise) for key in cited
    ]
    if references:
        toc.append(("references", "References"))
    cover = text.get("cover", {})
    context = {
        **document.context,
        "edition": True,
        "title": shown(cover["title"]),
        "subtitle": shown(cover.get("subtitle", "")),
        "cover": {
            **cover,
            "published_on": _published(cover.get("published_on")),
            "logo": _logo(cover.get("logo", ""), programme),
        },
        "toc": toc,
        "chapters": printed,
        "authored": authored,
        "references": references,
    }
    return replace(
        document,
        title=context["title"],
        context=context,
        named_people=document.named_people | (frozenset() if anonymise else frozenset(named)),
    )
