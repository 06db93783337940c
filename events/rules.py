from accounts.rules import (
    Scope,
    add_rule,
    can_edit_site_records,
    can_read_site_records,
    is_lead_of_programme_wide,
    is_programme_manager,
    is_programme_researcher,
)
from events.models import AttendanceCount, Event, FeedbackForm, FeedbackQuestion
from sites.models import Programme

EVENT = Scope(programme="programme", sites=("sites",))
IN_EVENT = Scope(programme="event__programme", sites=("event__sites",))
IN_FORM = Scope(programme="form__event__programme", sites=("form__event__sites",))

# Programme-wide events (national retreats) concern every site, so every site's lead sees them.
can_read_events = can_read_site_records | is_lead_of_programme_wide

for model, scope in [
    (Event, EVENT),
    (AttendanceCount, IN_EVENT),
    (FeedbackForm, IN_EVENT),
    (FeedbackQuestion, IN_FORM),
]:
    name = f"events.%s_{model._meta.model_name}"
    add_rule(name % "view", model=model, scope=scope, rule=can_read_events)
    for action in ("change", "delete"):
        add_rule(name % action, model=model, scope=scope, rule=can_edit_site_records)

# Who may record a new event in a programme: its managers (for any site, or programme-wide)
# and its researchers (for their own sites: which sites a user may pick is
# "sites.change_casesite").
PROGRAMME = Scope(programme="id")
add_rule(
    "events.add_event",
    model=Programme,
    scope=PROGRAMME,
    rule=is_programme_manager | is_programme_researcher,
)
add_rule(
    "events.add_programme_wide_event", model=Programme, scope=PROGRAMME, rule=is_programme_manager
)
