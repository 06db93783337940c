"""The kinds of PDF report, each declared once: what it is about, who may request it, the
sections it may print, the function that gathers its content and the template that lays it out.

The request's table constraint, the services that save and render a request, the request
pages, the options form and the rule set all read this registry, so a new kind is one entry
here, one builder in ``reports/documents/`` and one template.

This module sits just above the models of the apps a report may be about: ``reports.models``
builds its constraint from it. A builder is therefore found by its dotted path and imported
only when a report is rendered (builders read ``reports.metrics``, which reads the models).
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.db import models
from django.db.models import Q
from django.utils.module_loading import import_string

from accounts.rules import (
    Rule,
    Scope,
    can_edit_site_records,
    is_programme_manager,
    is_site_lead,
)
from events.models import Event
from inquiries.models import InquiryGroup
from reports.enums import ReportKind
from sites.models import CaseSite, Programme

# The fields of a request that name its subject; a programme's report names none of them (its
# subject is the request's programme).
SUBJECT_FIELDS = ("site", "group", "event")


@dataclass(frozen=True)
class ReportTarget:
    """What reports may be about: a group, a site, an event or a whole programme."""

    name: str
    model: type[models.Model]
    # The read rule of the target: whoever may not read it finds no report on it (404).
    view_permission: str
    # Where the target sits in the rule set, for its ``reports.request_<name>_report`` rule.
    scope: Scope
    # Who may request its reports, among its readers.
    requesters: Rule
    # The request's field naming the target; None for a programme.
    field: str | None

    @property
    def request_permission(self) -> str:
        return f"reports.request_{self.name}_report"

    @property
    def name_people_permission(self) -> str:
        return f"reports.name_people_in_{self.name}_report"

    @property
    def write_edition_permission(self) -> str:
        return f"reports.write_{self.name}_edition"

    def of(self, report_request) -> models.Model:
        """The record ``report_request`` is about."""
        return getattr(report_request, self.field or "programme")

    def programme_of(self, target) -> Programme:
        return target if self.field is None else target.programme

    def subject(self, target) -> dict:
        """The request's subject fields for ``target`` (none for a programme)."""
        return {self.field: target} if self.field else {}


# A strategy lead publishes the site report of their own site; group and event reports go with
# editing the group or event (their pages ask only that), and the whole programme's report is
# its managers'.
GROUP = ReportTarget(
    name="group",
    model=InquiryGroup,
    view_permission="inquiries.view_inquirygroup",
    scope=Scope(programme="programme", sites=("sites",)),
    requesters=can_edit_site_records,
    field="group",
)
SITE = ReportTarget(
    name="site",
    model=CaseSite,
    view_permission="sites.view_casesite",
    scope=Scope(programme="programme", sites=("id",)),
    requesters=is_programme_manager | is_site_lead,
    field="site",
)
EVENT = ReportTarget(
    name="event",
    model=Event,
    view_permission="events.view_event",
    scope=Scope(programme="programme", sites=("sites",)),
    requesters=can_edit_site_records,
    field="event",
)
PROGRAMME = ReportTarget(
    name="programme",
    model=Programme,
    view_permission="sites.view_programme",
    scope=Scope(programme="id"),
    requesters=is_programme_manager,
    field=None,
)
TARGETS = (GROUP, SITE, EVENT, PROGRAMME)


@dataclass(frozen=True)
class KindSpec:
    """One kind of report: its target and its optional sections, in the order the report
    prints them. Its builder and its templates are named after the kind."""

    kind: ReportKind
    target: ReportTarget
    sections: tuple[tuple[str, str], ...]

    @property
    def builder(self) -> str:
        """Dotted path of ``build(report_request, options, on_step) -> Document``."""
        return f"reports.documents.{self.kind}.build"

    @property
    def template_name(self) -> str:
        return f"reports/pdf/{self.kind}.html"

    def chapter_templates(self, slug: str) -> tuple[str, str]:
        """Where a section's chapter is laid out: the kind's own template, else the one the
        kinds that print it alike share (``reports/pdf/base.html`` includes the first found)."""
        name = f"_{slug.replace('-', '_')}.html"
        return (f"reports/pdf/{self.kind}/{name}", f"reports/pdf/sections/{name}")

    def build(self, report_request, options, on_step):
        """The document of ``report_request`` (see ``reports.documents.build_document``)."""
        return import_string(self.builder)(report_request, options, on_step)


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            kind=ReportKind.GROUP_LEARNING,
            target=GROUP,
            sections=(
                ("figures", "Figures"),
                ("members", "Members"),
                ("evidence", "Evidence"),
                ("outputs", "Outputs"),
                ("changes", "Changes"),
                ("themes", "Themes"),
            ),
        ),
        KindSpec(
            kind=ReportKind.SITE,
            target=SITE,
            sections=(
                ("table-b", "Proposed and delivered projects"),
                ("groups", "Groups"),
                ("engagement", "Researcher engagement"),
                ("evidence", "Evidence"),
                ("outputs", "Outputs"),
                ("changes", "Changes"),
                ("themes", "Themes"),
                ("events", "Events and feedback"),
                ("health", "Partnership health"),
            ),
        ),
        KindSpec(
            kind=ReportKind.END_OF_PROGRAMME,
            target=PROGRAMME,
            sections=(
                ("table-a", "Table A: data sources"),
                ("table-b", "Table B: proposed and delivered projects"),
                ("timeline", "Timeline of joint activities"),
                ("appendix", "Appendix: groups per site"),
                ("engagement", "Researcher engagement"),
                ("outputs", "Outputs"),
                ("changes", "Changes"),
                ("themes", "Coverage by theme"),
                ("events", "Events and feedback"),
            ),
        ),
        KindSpec(
            kind=ReportKind.EVENT,
            target=EVENT,
            sections=(
                ("attendance", "Attendance"),
                ("feedback", "Feedback"),
                ("comments", "Free-text answers"),
            ),
        ),
        KindSpec(
            kind=ReportKind.HANDOVER_PACK,
            target=GROUP,
            sections=(
                ("members", "Current members"),
                ("questions", "Open research questions"),
                ("evidence", "Key evidence and outputs"),
                ("activities", "Last and upcoming activities"),
                ("contacts", "Contacts"),
            ),
        ),
    )
}


def subject_matches_kind() -> Q:
    """The condition of ``ReportRequest``'s constraint: a request names its kind's target in
    its field and leaves every other subject field empty."""
    return reduce(
        operator.or_,
        (
            Q(kind__in=[spec.kind for spec in KINDS.values() if spec.target is target])
            & Q(**{f"{field}__isnull": field != target.field for field in SUBJECT_FIELDS})
            for target in TARGETS
        ),
    )
