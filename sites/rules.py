from accounts import rules
from sites.models import (
    CaseSite,
    EngagementFigure,
    Organisation,
    Programme,
    ProgrammeFigure,
    ProposedProject,
    Theme,
)

PROGRAMME = rules.Scope(programme="id")
CASE_SITE = rules.Scope(programme="programme", sites=("id",))
ORGANISATION = rules.Scope(programme="programme", sites=("sites",))
IN_SITE = rules.Scope(programme="site__programme", sites=("site",))
# A record of the programme as a whole (a theme, a published figure), of no site.
OF_PROGRAMME = rules.Scope(programme="programme")

anyone_in_programme = (
    rules.is_programme_manager | rules.is_programme_researcher | rules.is_programme_lead
)

rules.add_rule("sites.view_programme", model=Programme, scope=PROGRAMME, rule=anyone_in_programme)
rules.add_rule(
    "sites.change_programme", model=Programme, scope=PROGRAMME, rule=rules.is_programme_manager
)
# A new programme is the installation's to make, before anyone holds a role in it; it is not a
# write in a programme, so no programme's archive stops it.
rules.add_rule(
    "sites.add_programme", model=Programme, scope=PROGRAMME, rule=rules.is_superuser, writes=False
)
# Its managers archive a programme (then read-only, as every write rule says) and restore it.
rules.add_rule(
    "sites.archive_programme", model=Programme, scope=PROGRAMME, rule=rules.is_programme_manager
)
rules.add_rule(
    "sites.restore_programme",
    model=Programme,
    scope=PROGRAMME,
    rule=rules.is_programme_manager & rules.in_archived_programme,
    writes=False,
)
# A figure published of the whole programme is read by whoever reads the programme; it is
# changed only in the administration.
rules.add_rule(
    "sites.view_programmefigure",
    model=ProgrammeFigure,
    scope=OF_PROGRAMME,
    rule=anyone_in_programme,
)

rules.add_rule(
    "sites.view_casesite", model=CaseSite, scope=CASE_SITE, rule=rules.can_read_site_records
)
rules.add_rule(
    "sites.change_casesite", model=CaseSite, scope=CASE_SITE, rule=rules.can_edit_site_records
)
rules.add_rule(
    "sites.delete_casesite", model=CaseSite, scope=CASE_SITE, rule=rules.is_programme_manager
)
# Setting a programme up is its managers' work: its sites, and a site's name, lead researchers
# and director (its researchers keep its context and Table B current).
rules.add_rule(
    "sites.add_casesite", model=Programme, scope=PROGRAMME, rule=rules.is_programme_manager
)
rules.add_rule(
    "sites.change_casesite_setup",
    model=CaseSite,
    scope=CASE_SITE,
    rule=rules.is_programme_manager,
)

for model, scope in [
    (Organisation, ORGANISATION),
    (ProposedProject, IN_SITE),
    (EngagementFigure, IN_SITE),
]:
    rules.add_record_rules(model, scope=scope)

# Who may record a new organisation in a programme: its managers (with or without a site) and
# its researchers (for their own sites: which sites a user may pick is "sites.change_casesite").
rules.add_rule(
    "sites.add_organisation",
    model=Programme,
    scope=PROGRAMME,
    rule=rules.is_programme_manager | rules.is_programme_researcher,
)

rules.add_rule("sites.add_theme", model=Programme, scope=PROGRAMME, rule=rules.is_programme_manager)
rules.add_rule("sites.view_theme", model=Theme, scope=OF_PROGRAMME, rule=anyone_in_programme)
rules.add_rule(
    "sites.change_theme", model=Theme, scope=OF_PROGRAMME, rule=rules.is_programme_manager
)
rules.add_rule(
    "sites.delete_theme", model=Theme, scope=OF_PROGRAMME, rule=rules.is_programme_manager
)
