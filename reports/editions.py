"""Editions: the reports their authors write in the browser, drafted chapter by chapter and
rendered as versions.

An edition starts with the chapters a learning report usually has (a foreword, the approach,
findings, key messages, implications) around the kind's data chapters; the authors write,
add, remove and reorder them. Every saved draft stays in the chapter's history. Rendering takes
the text as it stands into a new version (``request_report``), which prints only that text, so
editing on never changes a version; the next version shows what changed since.
"""

import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from reports.documents import DocumentError, authored
from reports.kinds import KINDS
from reports.models import Chapter, Edition, ReportRequest
from reports.services import check_target, request_report

# Authored chapters a new edition opens and closes with; empty ones print nothing.
OPENING = ("Foreword", "Introduction", "Approach")
CLOSING = ("Key messages", "Implications")
COVER_FIELDS = (
    "title", "subtitle", "authors", "publisher", "published_on", "logo", "licence", "isbn",
    "doi", "citation", "anonymise", "start", "end",
)  # fmt: skip


def _saved(record, **fields):
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def edition_create(*, by, kind, programme, site=None, group=None, event=None, **cover) -> Edition:
    """A new edition with its usual chapters: the opening ones, the kind's data chapters in
    the kind's order, then the closing ones."""
    check_target(kind, programme, site, group, event)
    edition = _saved(
        Edition(programme=programme, kind=kind, site=site, group=group, event=event, created_by=by),
        **cover,
    )
    titles = [
        *((title, "") for title in OPENING),
        *((label, slug) for slug, label in KINDS[kind].sections),
        *((title, "") for title in CLOSING),
    ]
    Chapter.objects.bulk_create(
        Chapter(edition=edition, position=n, title=title, section=section, updated_by=by)
        for n, (title, section) in enumerate(titles, start=1)
    )
    return edition


def edition_update(*, edition: Edition, by, **cover) -> Edition:
    unknown = set(cover) - set(COVER_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of an edition's cover: {', '.join(sorted(unknown))}")
    return _saved(edition, **cover)


@transaction.atomic
def chapter_add(*, edition: Edition, by, title: str, section: str = "", body: str = "") -> Chapter:
    """A chapter at the end of the edition: authored, or one of the kind's data chapters."""
    known = dict(KINDS[edition.kind].sections)
    if section and section not in known:
        raise ValidationError({"section": "This kind of report has no such data chapter."})
    # The edition's row is locked so that two chapters added at once get different places.
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    last = edition.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = Chapter(edition=edition, position=last + 1, section=section, updated_by=by, body=body)
    return _saved(chapter, title=title or known.get(section, ""))


def chapter_save(*, chapter: Chapter, by, title: str, body: str) -> Chapter:
    """Save a draft of the chapter; the previous one stays in its history."""
    if chapter.section and body.strip():
        raise ValidationError({"body": "A data chapter prints the records: it has no text."})
    return _saved(chapter, title=title, body=body, updated_by=by)


@transaction.atomic
def chapter_move(*, chapter: Chapter, by, offset: int) -> None:
    """Move the chapter ``offset`` places up (negative) or down, within the edition."""
    chapters = list(
        Chapter.objects.select_for_update()
        .filter(edition=chapter.edition_id)
        .order_by("position", "pk")
    )
    index = next(i for i, c in enumerate(chapters) if c.pk == chapter.pk)
    moved = chapters.pop(index)
    chapters.insert(max(0, min(len(chapters), index + offset)), moved)
    for position, each in enumerate(chapters, start=1):
        if each.position != position:
            Chapter.objects.filter(pk=each.pk).update(position=position)


def chapter_delete(*, chapter: Chapter) -> None:
    chapter.delete()


# --- Rendering --------------------------------------------------------------------------------


def edition_text(edition: Edition) -> dict:
    """The cover and chapters as they stand: what a version prints and compares."""
    return {
        "cover": {
            "title": edition.title,
            "subtitle": edition.subtitle,
            "authors": [line.strip() for line in edition.authors.splitlines() if line.strip()],
            "publisher": edition.publisher,
            "published_on": edition.published_on.isoformat() if edition.published_on else None,
            "logo": edition.logo.name if edition.logo else "",
            "licence": edition.licence,
            "isbn": edition.isbn,
            "doi": edition.doi,
            "citation": edition.citation,
        },
        "chapters": [
            {"title": c.title, "section": c.section, "body": c.body}
            for c in Chapter.objects.filter(edition=edition).order_by("position", "pk")
        ],
    }


@dataclass(frozen=True)
class NameWarning:
    """A person the text names who has not consented to be named, as it writes them."""

    name: str
    pseudonym: str
    written: tuple[str, ...]


def edition_problems(edition: Edition, user, text: dict | None = None) -> list[str]:
    """What stops the edition (or its ``text``) from rendering: citations of records the user
    may not cite, and figures its kind does not have."""
    chapters = (text or edition_text(edition))["chapters"]
    problems = []
    for check in (
        lambda: authored.check_figures(edition.kind, chapters),
        lambda: authored.cited_records(edition.programme, user, authored.citations(chapters)),
    ):
        try:
            check()
        except DocumentError as error:
            problems.append(str(error))
    return problems


def edition_name_warnings(edition: Edition) -> list[NameWarning]:
    """Everyone without consent to be named whom the text names: an anonymised version prints
    their pseudonym instead, any other version their name."""
    text = edition_text(edition)
    written = "\n".join(
        [text["cover"]["title"], text["cover"]["subtitle"]]
        + [f"{c['title']}\n{c['body']}" for c in text["chapters"]]
    )
    found = authored.name_replacer(edition.programme).found(written)
    return sorted(
        (NameWarning(p.name, p.pseudonym, tuple(sorted(forms))) for p, forms in found.items()),
        key=lambda warning: warning.name,
    )


def version_fields(edition: Edition, by) -> dict:
    """What a version of the edition requested by ``by`` now holds: its subject, its text as
    it stands, and the options its build reads; raises ValidationError with what stops it."""
    text = edition_text(edition)
    problems = edition_problems(edition, by, text)
    if problems:
        raise ValidationError(problems)
    target = KINDS[edition.kind].target
    chapters = text["chapters"]
    sections = [c["section"] for c in chapters if c["section"]]
    may_name = by.has_perm(target.name_people_permission, edition.target)
    return {
        "kind": edition.kind,
        "programme": edition.programme,
        "site": edition.site,
        "group": edition.group,
        "event": edition.event,
        "edition": edition,
        "text": text,
        "options": {
            "anonymise": edition.anonymise or not may_name,
            "start": edition.start.isoformat() if edition.start else None,
            "end": edition.end.isoformat() if edition.end else None,
            # The data chapters and the figures placed in the text: what the build gathers.
            "sections": list(dict.fromkeys(sections + authored.figures(chapters))),
        },
    }


def edition_render(*, edition: Edition, by) -> ReportRequest:
    """Queue a new version of the edition that prints its text as it stands now."""
    return request_report(requested_by=by, **version_fields(edition, by))


# --- Comparing versions -----------------------------------------------------------------------


@dataclass(frozen=True)
class TextChange:
    """One part of the text (the cover, a chapter) that differs from the previous version."""

    title: str
    lines: tuple[str, ...]


def previous_version(report_request: ReportRequest) -> ReportRequest | None:
    if report_request.edition_id is None:
        return None
    return (
        ReportRequest.objects.filter(
            edition=report_request.edition_id, version__lt=report_request.version
        )
        .order_by("-version")
        .first()
    )


def _parts(text: dict) -> dict[str, str]:
    cover = text.get("cover", {})
    parts = {"Cover": "\n".join(f"{k}: {v}" for k, v in cover.items() if v and k != "logo")}
    for chapter in text.get("chapters", []):
        kind = f"data chapter: {chapter['section']}" if chapter["section"] else chapter["body"]
        parts[chapter["title"]] = kind
    return parts


def text_changes(report_request: ReportRequest, previous: ReportRequest) -> list[TextChange]:
    """What changed in the text from ``previous`` to ``report_request``, part by part, as
    unified-diff lines; chapters added or removed show all their lines."""
    before, after = _parts(previous.text), _parts(report_request.text)
    changes = []
    for title in [*after, *(t for t in before if t not in after)]:
        old, new = before.get(title, ""), after.get(title, "")
        if old != new:
            diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1)
            changes.append(TextChange(title, tuple(list(diff)[2:])))
    return changes
