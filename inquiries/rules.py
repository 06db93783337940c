from django.db.models import Q

from accounts.rules import (
    Scope,
    Where,
    add_rule,
    can_edit_site_records,
    can_read_site_records,
    is_programme_manager,
    is_programme_researcher,
    is_site_lead,
)
from inquiries import models
from inquiries.enums import ConsentUse

PERSON = Scope(programme="programme", sites=("site", "memberships__group__sites"))
GROUP = Scope(programme="programme", sites=("sites",))
IN_GROUP = Scope(programme="group__programme", sites=("group__sites",))
ACTIVITY = Scope(programme="programme", sites=("site", "group__sites"))
IN_ACTIVITY = Scope(
    programme="activity__programme", sites=("activity__site", "activity__group__sites")
)
CONSENT = Scope(programme="person__programme", sites=("person__site",))

# Researchers work with the people of the whole programme; a strategy lead sees a person's
# name only where the person has consented to be named, and a pseudonym otherwise.
consents_to_be_named = Where(Q(consents__use=ConsentUse.NAMED, consents__withdrawn_on__isnull=True))
can_see_names = (
    is_programme_manager | is_programme_researcher | (is_site_lead & consents_to_be_named)
)
# Reflective notes and attachments are the researchers' working material.
can_read_working_material = is_programme_manager | is_programme_researcher


def _read_and_edit(model, scope, *, read=can_read_site_records):
    name = f"inquiries.%s_{model._meta.model_name}"
    add_rule(name % "view", model=model, scope=scope, rule=read)
    for action in ("change", "delete"):
        add_rule(name % action, model=model, scope=scope, rule=can_edit_site_records)


_read_and_edit(models.Person, PERSON)
add_rule("inquiries.view_person_name", model=models.Person, scope=PERSON, rule=can_see_names)
add_rule("inquiries.export_person", model=models.Person, scope=PERSON, rule=can_edit_site_records)

_read_and_edit(models.InquiryGroup, GROUP)
for model in (
    models.Membership,
    models.ResearchQuestion,
    models.Cycle,
    models.GroupStatusChange,
    models.Facilitation,
):
    _read_and_edit(model, IN_GROUP)

_read_and_edit(models.Activity, ACTIVITY)
add_rule(
    "inquiries.view_activity_notes",
    model=models.Activity,
    scope=ACTIVITY,
    rule=can_read_working_material,
)
_read_and_edit(models.Attendance, IN_ACTIVITY)
_read_and_edit(models.Attachment, IN_ACTIVITY, read=can_read_working_material)
_read_and_edit(models.Consent, CONSENT, read=can_read_working_material)
# Erasure cannot be undone: it is the programme's data controller's act, not a site's.
add_rule("inquiries.erase_person", model=models.Person, scope=PERSON, rule=is_programme_manager)
