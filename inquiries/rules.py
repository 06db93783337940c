from django.db.models import Q

from accounts import rules
from inquiries import models
from inquiries.enums import ConsentUse

PERSON = rules.Scope(programme="programme", sites=("site", "memberships__group__sites"))
GROUP = rules.Scope(programme="programme", sites=("sites",))
IN_GROUP = rules.Scope(programme="group__programme", sites=("group__sites",))
ACTIVITY = rules.Scope(programme="programme", sites=("site", "group__sites"))
IN_ACTIVITY = rules.Scope(
    programme="activity__programme", sites=("activity__site", "activity__group__sites")
)
CONSENT = rules.Scope(programme="person__programme", sites=("person__site",))

# Researchers work with the people of the whole programme; a strategy lead sees a person's
# name only where the person has consented to be named, and a pseudonym otherwise.
consents_to_be_named = rules.Where(
    Q(consents__use=ConsentUse.NAMED, consents__withdrawn_on__isnull=True)
)
can_see_names = (
    rules.is_programme_manager
    | rules.is_programme_researcher
    | (rules.is_site_lead & consents_to_be_named)
)
# Reflective notes and attachments are the researchers' working material.
can_read_working_material = rules.is_programme_manager | rules.is_programme_researcher

rules.add_record_rules(models.Person, scope=PERSON)
rules.add_rule("inquiries.view_person_name", model=models.Person, scope=PERSON, rule=can_see_names)
rules.add_rule(
    "inquiries.export_person", model=models.Person, scope=PERSON, rule=rules.can_edit_site_records
)

rules.add_record_rules(models.InquiryGroup, scope=GROUP)
for model in (
    models.Membership,
    models.ResearchQuestion,
    models.Cycle,
    models.GroupStatusChange,
    models.Facilitation,
    models.GroupFigure,
):
    rules.add_record_rules(model, scope=IN_GROUP)

rules.add_record_rules(models.Activity, scope=ACTIVITY)
rules.add_rule(
    "inquiries.view_activity_notes",
    model=models.Activity,
    scope=ACTIVITY,
    rule=can_read_working_material,
)
rules.add_record_rules(models.Attendance, scope=IN_ACTIVITY)
rules.add_record_rules(models.Attachment, scope=IN_ACTIVITY, read=can_read_working_material)
rules.add_record_rules(models.Consent, scope=CONSENT, read=can_read_working_material)
# Erasure cannot be undone: it is the programme's data controller's act, not a site's.
rules.add_rule(
    "inquiries.erase_person", model=models.Person, scope=PERSON, rule=rules.is_programme_manager
)
