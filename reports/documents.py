"""What each kind of report says: the data gathered for one request, ready for its template.

``build_document`` reads the database only; rendering and storage belong to reports.services.
It announces the steps it reaches through ``on_step`` so the request page can show progress.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone

from inquiries.enums import ConsentUse
from inquiries.models import Consent, InquiryGroup
from inquiries.selectors import group_list_with_counts
from reports.enums import ProgressStep, ReportKind

OnStep = Callable[[ProgressStep], None]


class DocumentError(Exception):
    """The request cannot be turned into a document; the message says what to change."""


@dataclass
class Document:
    title: str
    template_name: str
    context: dict = field(default_factory=dict)


# The optional sections of each kind, in the order the report prints them.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    ReportKind.GROUP_LEARNING: [("members", "Members")],
}


def sections_for(kind: str) -> list[tuple[str, str]]:
    return list(SECTIONS.get(kind, []))


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
        start = self.start.strftime("%-d %B %Y") if self.start else "the start"
        end = self.end.strftime("%-d %B %Y") if self.end else "today"
        return f"{start} to {end}"


def parse_options(kind: str, options: dict) -> Options:
    """The options of a request, checked; raises DocumentError with a message for a person."""
    known = {slug for slug, _label in sections_for(kind)}
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


def _base_context(report_request, options: Options, *, title: str) -> dict:
    return {
        "title": title,
        "kind_label": ReportKind(report_request.kind).label,
        "programme": report_request.programme,
        "version": report_request.version,
        "generated_at": timezone.localtime(),
        "period": options.period,
        "anonymised": options.anonymise,
        "sections": options.sections,
    }


def _group_learning(report_request, options: Options, on_step: OnStep) -> Document:
    on_step(ProgressStep.GATHERING)
    on = options.end or timezone.localdate()
    group = group_list_with_counts(
        queryset=InquiryGroup.objects.filter(pk=report_request.group_id), on=on
    ).get()
    named = Consent.objects.filter(
        person=OuterRef("person_id"), use=ConsentUse.NAMED, withdrawn_on__isnull=True
    )
    memberships = list(
        group.memberships.select_related("person")
        .annotate(consents_to_be_named=Exists(named))
        .order_by("role", "person__pseudonym")
    )
    for membership in memberships:
        person = membership.person
        visible = not options.anonymise or membership.consents_to_be_named
        membership.shown_name = person.name if visible else person.pseudonym
    title = f"{group.name}: learning report"
    toc = [("story", "The group's story")]
    if "members" in options.sections:
        toc.append(("members", "Members"))
    return Document(
        title=title,
        template_name="reports/pdf/group_learning.html",
        context={
            **_base_context(report_request, options, title=title),
            "group": group,
            "status_changes": list(group.status_changes.order_by("changed_on", "pk")),
            "memberships": memberships,
            "toc": toc,
        },
    )


BUILDERS: dict[str, Callable[..., Document]] = {
    ReportKind.GROUP_LEARNING: _group_learning,
}


def build_document(report_request, *, on_step: OnStep) -> Document:
    builder = BUILDERS.get(report_request.kind)
    if builder is None:
        raise DocumentError(
            f"{ReportKind(report_request.kind).label}s cannot be produced yet by this version."
        )
    options = parse_options(report_request.kind, report_request.options or {})
    return builder(report_request, options, on_step)
