import operator
from functools import reduce

from django.db.models import Q

from accounts import rules
from inquiries.models import InquiryGroup, Person
from inquiries.rules import PERSON, can_read_working_material, can_see_names
from reports.kinds import GROUP, KINDS, PROGRAMME, SITE, TARGETS
from reports.models import Chapter, Edition, ReportRequest
from sites.models import CaseSite, Programme

REPORT = rules.Scope(programme="programme", sites=("site", "group__sites", "event__sites"))
# Where a report's event sits: its free-text answers are for the event's editors, as on its page.
REPORT_EVENT = rules.Scope(programme="event__programme", sites=("event__sites",))


class _NamesOnlyVisible(rules.Rule):
    """Versions naming nobody whose name the user may not see: the pages' name rule, asked of
    every person the version names (``ReportRequest.named_people``)."""

    def q(self, access, scope):
        visible = Person.objects.filter(can_see_names.q(access, PERSON)).values("pk")
        return ~Q(named_people__in=Person.objects.exclude(pk__in=visible))

    def possible(self, access):
        return True


class _CommentsVisible(rules.Rule):
    """Versions without an event's free-text answers, or of an event the user edits."""

    def q(self, access, scope):
        return Q(holds_comments=False) | rules.can_edit_site_records.q(access, REPORT_EVENT)

    def possible(self, access):
        return True


rules.add_rule(
    "reports.view_reportrequest",
    model=ReportRequest,
    scope=REPORT,
    rule=rules.can_read_site_records,
)
# Who may download a version follows from what its file holds: a reader of the request, when
# every person it names is one whose name their pages show, and, if it prints an event's
# free-text answers, when they edit the event. Everyone else gets 404 and may ask for an
# anonymised version.
rules.add_rule(
    "reports.download_reportrequest",
    model=ReportRequest,
    scope=REPORT,
    rule=rules.can_read_site_records & _NamesOnlyVisible() & _CommentsVisible(),
)
rules.add_rule(
    "reports.delete_reportrequest",
    model=ReportRequest,
    scope=REPORT,
    rule=rules.is_programme_manager,
)

# --- Report requests --------------------------------------------------------------------------
# Asked of the report's target: who may request a report on this group, site, event or
# programme (reports/kinds.py says who, per target).
for _target in TARGETS:
    rules.add_rule(
        _target.request_permission,
        model=_target.model,
        scope=_target.scope,
        rule=_target.requesters,
    )
    # Names of people appear only for those who work with them; anyone else's report is
    # anonymised whatever the form says (pseudonyms unless a person consented to be named).
    rules.add_rule(
        _target.name_people_permission,
        model=_target.model,
        scope=_target.scope,
        rule=rules.is_programme_manager | rules.is_site_researcher,
    )

# --- Editions ---------------------------------------------------------------------------------
# An edition is drafted by those who may request its kind of report on its subject and who see
# the names of its people: its drafts hold the authors' text as written, names and all, which a
# strategy lead (who sees people by pseudonym) may not read. Once rendered, a version is governed
# by the report rules above.
EDITION = REPORT
IN_EDITION = rules.Scope(
    programme="edition__programme",
    sites=("edition__site", "edition__group__sites", "edition__event__sites"),
)
_NAMERS = rules.is_programme_manager | rules.is_site_researcher


def _authors_of_kind(kind_field: str) -> rules.Rule:
    """Each target's authors, asked of the editions whose kind is about that target."""
    return reduce(
        operator.or_,
        (
            rules.Where(
                Q(**{f"{kind_field}__in": [s.kind for s in KINDS.values() if s.target is target]})
            )
            & target.requesters
            & _NAMERS
            for target in TARGETS
        ),
    )


for _target in TARGETS:
    rules.add_rule(
        _target.write_edition_permission,
        model=_target.model,
        scope=_target.scope,
        rule=_target.requesters & _NAMERS,
    )
for _model, _scope, _kind_field in (
    (Edition, EDITION, "kind"),
    (Chapter, IN_EDITION, "edition__kind"),
):
    _authors = _authors_of_kind(_kind_field)
    rules.add_record_rules(_model, scope=_scope, read=_authors, edit=_authors)

# --- Exports ----------------------------------------------------------------------------------
# Who may download a programme's or a site's data (reports/exports/). Each dataset is then
# cut by its records' own view rules, so a strategy lead's export of their site holds no more
# than their pages show. Another site's or programme's export is out of sight (404).
_EXPORT_TARGETS = {
    "programme": (Programme, rules.Scope(programme="id"), rules.is_programme_manager),
    "site": (
        CaseSite,
        rules.Scope(programme="programme", sites=("id",)),
        rules.is_programme_manager | rules.is_site_researcher | rules.is_site_lead,
    ),
}
for _target, (_model, _scope, _rule) in _EXPORT_TARGETS.items():
    rules.add_rule(f"reports.export_{_target}", model=_model, scope=_scope, rule=_rule)
    # Reflective notes are working material: their column is left out for anyone else.
    rules.add_rule(
        f"reports.export_{_target}_notes",
        model=_model,
        scope=_scope,
        rule=can_read_working_material,
    )

# --- Dashboards -------------------------------------------------------------------------------
# The programme dashboard spans every site, so it is for those who work across the programme
# (a strategy lead always leads a site, and reads that site's dashboard); a site's or a group's
# dashboard is read by whoever reads the site's records.
rules.add_rule(
    "reports.view_programme_dashboard",
    model=Programme,
    scope=PROGRAMME.scope,
    rule=rules.is_programme_manager | rules.is_programme_researcher,
)
rules.add_rule(
    "reports.view_site_dashboard",
    model=CaseSite,
    scope=SITE.scope,
    rule=rules.can_read_site_records,
)
rules.add_rule(
    "reports.view_group_dashboard",
    model=InquiryGroup,
    scope=GROUP.scope,
    rule=rules.can_read_site_records,
)
