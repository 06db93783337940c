from accounts.rules import (
    Scope,
    add_rule,
    can_edit_site_records,
    can_read_site_records,
    is_programme_lead,
    is_programme_manager,
    is_programme_researcher,
)
from sites.models import CaseSite, EngagementFigure, Organisation, Programme, ProposedProject, Theme

PROGRAMME = Scope(programme="id")
CASE_SITE = Scope(programme="programme", sites=("id",))
ORGANISATION = Scope(programme="programme", sites=("sites",))
IN_SITE = Scope(programme="site__programme", sites=("site",))
THEME = Scope(programme="programme")

anyone_in_programme = is_programme_manager | is_programme_researcher | is_programme_lead

add_rule("sites.view_programme", model=Programme, scope=PROGRAMME, rule=anyone_in_programme)
add_rule("sites.change_programme", model=Programme, scope=PROGRAMME, rule=is_programme_manager)

add_rule("sites.view_casesite", model=CaseSite, scope=CASE_SITE, rule=can_read_site_records)
add_rule("sites.change_casesite", model=CaseSite, scope=CASE_SITE, rule=can_edit_site_records)
add_rule("sites.delete_casesite", model=CaseSite, scope=CASE_SITE, rule=is_programme_manager)

for model, scope in [
    (Organisation, ORGANISATION),
    (ProposedProject, IN_SITE),
    (EngagementFigure, IN_SITE),
]:
    name = f"sites.%s_{model._meta.model_name}"
    add_rule(name % "view", model=model, scope=scope, rule=can_read_site_records)
    for action in ("change", "delete"):
        add_rule(name % action, model=model, scope=scope, rule=can_edit_site_records)

# Who may record a new organisation in a programme: its managers (with or without a site) and
# its researchers (for their own sites: which sites a user may pick is "sites.change_casesite").
add_rule(
    "sites.add_organisation",
    model=Programme,
    scope=PROGRAMME,
    rule=is_programme_manager | is_programme_researcher,
)

add_rule("sites.view_theme", model=Theme, scope=THEME, rule=anyone_in_programme)
add_rule("sites.change_theme", model=Theme, scope=THEME, rule=is_programme_manager)
add_rule("sites.delete_theme", model=Theme, scope=THEME, rule=is_programme_manager)
