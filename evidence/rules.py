from django.db.models import Q

from accounts.rules import (
    Scope,
    Where,
    add_rule,
    can_edit_site_records,
    can_read_site_records,
    is_lead_of_programme_wide,
    is_programme_manager,
    is_programme_researcher,
    is_site_lead,
    is_site_researcher,
)
from evidence.enums import Sensitivity
from evidence.models import Change, EvidenceItem, Output

EVIDENCE = Scope(programme="programme", sites=("sites", "group__sites"))
OUTPUT = Scope(programme="programme", sites=("sites", "groups__sites"))
CHANGE = Scope(programme="programme", sites=("sites", "group__sites"))

not_sensitive = Where(~Q(sensitivity__in=[Sensitivity.RESTRICTED, Sensitivity.PERSONAL]))
# Researchers read other sites' evidence for cross-site learning, except what is restricted
# or personal data; strategy leads never see restricted or personal evidence.
can_read_evidence = (
    is_programme_manager
    | is_site_researcher
    | (is_programme_researcher & not_sensitive)
    | (is_site_lead & not_sensitive)
)
can_read_outputs = can_read_site_records | is_lead_of_programme_wide

add_rule("evidence.view_evidenceitem", model=EvidenceItem, scope=EVIDENCE, rule=can_read_evidence)
add_rule("evidence.view_output", model=Output, scope=OUTPUT, rule=can_read_outputs)
add_rule("evidence.view_change", model=Change, scope=CHANGE, rule=can_read_site_records)
for model, scope in [(EvidenceItem, EVIDENCE), (Output, OUTPUT), (Change, CHANGE)]:
    for action in ("change", "delete"):
        add_rule(
            f"evidence.{action}_{model._meta.model_name}",
            model=model,
            scope=scope,
            rule=can_edit_site_records,
        )
