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
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string

from car_programme.validators import checked_logo
from reports.documents import DocumentError, authored, build_document
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
    logo = cover.get("logo")
    if isinstance(logo, FieldFile):
        del cover["logo"]  # the stored logo, as a form posts it back
    elif "logo" in cover and not logo:
        cover["logo"] = ""
    elif logo:
        checked_logo(logo)
    # A replaced logo stays in storage: a version queued before may still print it.
    return _saved(edition, **cover)


def edition_delete(*, edition: Edition) -> None:
    """Delete the edition and its chapters; its versions stay, each with the text it printed."""
    edition.delete()


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


def chapter_restore(*, chapter: Chapter, by, history_id: int) -> Chapter:
    """Bring back an earlier draft of the chapter as a new draft; the history keeps them all."""
    draft = chapter.history.get(history_id=history_id)
    return chapter_save(chapter=chapter, by=by, title=draft.title, body=draft.body)


def sections_to_add(edition: Edition) -> list[tuple[str, str]]:
    """The kind's data chapters the edition does not hold, in the kind's order."""
    held = set(edition.chapters.exclude(section="").values_list("section", flat=True))
    return [(slug, label) for slug, label in KINDS[edition.kind].sections if slug not in held]


# --- Rendering --------------------------------------------------------------------------------


def _cover(edition: Edition) -> dict:
    return {
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
    }


def edition_text(edition: Edition) -> dict:
    """The cover and chapters as they stand: what a version prints and compares."""
    return {
        "cover": _cover(edition),
        "chapters": [
            {"title": c.title, "section": c.section, "body": c.body}
            for c in Chapter.objects.filter(edition=edition).order_by("position", "pk")
        ],
    }


@dataclass(frozen=True)
class NameWarning:
    """A person the text names who has not consented to be named, as it writes them, and
    where (``places``: "the cover", or the titles of the chapters that name them)."""

    name: str
    pseudonym: str
    written: tuple[str, ...]
    places: tuple[str, ...]


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
    parts = {"the cover": f"{text['cover']['title']}\n{text['cover']['subtitle']}"}
    for chapter in text["chapters"]:
        parts.setdefault(chapter["title"], "")
        parts[chapter["title"]] += f"\n{chapter['title']}\n{chapter['body']}"
    replacer = authored.name_replacer(edition.programme)
    forms, places = {}, {}
    for place, written in parts.items():
        for person, found in replacer.found(written).items():
            forms.setdefault(person, set()).update(found)
            places.setdefault(person, []).append(place)
    return sorted(
        (
            NameWarning(p.name, p.pseudonym, tuple(sorted(forms[p])), tuple(places[p]))
            for p in forms
        ),
        key=lambda warning: warning.name,
    )


def _version_options(edition: Edition, by, chapters: list[dict]) -> dict:
    """What a version of ``chapters`` is rendered with: the edition's names and dates, and the
    data chapters and placed figures, which are what the build gathers."""
    target = KINDS[edition.kind].target
    sections = [c["section"] for c in chapters if c["section"]]
    may_name = by.has_perm(target.name_people_permission, edition.target)
    return {
        "anonymise": edition.anonymise or not may_name,
        "start": edition.start.isoformat() if edition.start else None,
        "end": edition.end.isoformat() if edition.end else None,
        "sections": list(dict.fromkeys(sections + authored.figures(chapters))),
    }


def version_fields(edition: Edition, by) -> dict:
    """What a version of the edition requested by ``by`` now holds: its subject, its text as
    it stands, and the options its build reads; raises ValidationError with what stops it."""
    text = edition_text(edition)
    problems = edition_problems(edition, by, text)
    if problems:
        raise ValidationError(problems)
    return {
        "kind": edition.kind,
        "programme": edition.programme,
        "site": edition.site,
        "group": edition.group,
        "event": edition.event,
        "edition": edition,
        "text": text,
        "options": _version_options(edition, by, text["chapters"]),
    }


def edition_render(*, edition: Edition, by) -> ReportRequest:
    """Queue a new version of the edition that prints its text as it stands now."""
    return request_report(requested_by=by, **version_fields(edition, by))


@dataclass(frozen=True)
class Preview:
    title: str
    html: str


def chapter_preview(*, edition: Edition, by, title: str, body: str) -> Preview:
    """The chapter ``title`` / ``body`` as a version of the edition would print it: built by the
    same pipeline as a render (an unsaved version holding this chapter alone), so its citations
    are numbered from [1] in the order it cites them, names are replaced as the version would
    replace them, and its figures are drawn from the records. Raises DocumentError with what
    stops it from rendering."""
    chapters = [{"title": title, "section": "", "body": body}]
    version = ReportRequest(
        programme=edition.programme,
        kind=edition.kind,
        site=edition.site,
        group=edition.group,
        event=edition.event,
        requested_by=by,
        text={"cover": _cover(edition), "chapters": chapters},
        options=_version_options(edition, by, chapters),
    )
    document = build_document(version, on_step=lambda step: None)
    printed = document.context["chapters"]
    if not printed:
        return Preview(title=title, html="")
    slug, shown_title, _templates = printed[0]
    # On a web page the charts take the page's stylesheet (no inline style under the CSP).
    context = {**document.context, "slug": slug, "on_page": True}
    return Preview(title=shown_title, html=render_to_string(authored.AUTHORED_TEMPLATE, context))


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


def version_changes(
    report_request: ReportRequest, user, previous: ReportRequest
) -> list[TextChange]:
    """What changed since ``previous``, as ``user`` may read it: names of people without
    consent to be named are shown by pseudonym unless the version names them and the user may
    see names on its subject."""
    changes = text_changes(report_request, previous)
    target = KINDS[report_request.kind].target
    named = not report_request.options.get("anonymise", True) and user.has_perm(
        target.name_people_permission, report_request.target
    )
    if named:
        return changes
    replacer = authored.name_replacer(report_request.programme)
    return [
        TextChange(replacer.replace(c.title), tuple(replacer.replace(line) for line in c.lines))
        for c in changes
    ]


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
