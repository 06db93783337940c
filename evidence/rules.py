from django.db.models import Q

from accounts import rules
from evidence.enums import Sensitivity
from evidence.models import Change, EvidenceItem, Output

EVIDENCE = rules.Scope(programme="programme", sites=("sites", "group__sites"))
OUTPUT = rules.Scope(programme="programme", sites=("sites", "groups__sites"))
CHANGE = rules.Scope(programme="programme", sites=("sites", "group__sites"))

not_sensitive = rules.Where(~Q(sensitivity__in=[Sensitivity.RESTRICTED, Sensitivity.PERSONAL]))
# Researchers read other sites' evidence for cross-site learning, except what is restricted
# or personal data; strategy leads never see restricted or personal evidence.
can_read_evidence = (
    rules.is_programme_manager
    | rules.is_site_researcher
    | (rules.is_programme_researcher & not_sensitive)
    | (rules.is_site_lead & not_sensitive)
)
can_read_outputs = rules.can_read_site_records | rules.is_lead_of_programme_wide

rules.add_record_rules(EvidenceItem, scope=EVIDENCE, read=can_read_evidence)
rules.add_record_rules(Output, scope=OUTPUT, read=can_read_outputs)
rules.add_record_rules(Change, scope=CHANGE)
