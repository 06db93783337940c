from accounts.rules import (
    Scope,
    add_rule,
    can_edit_site_records,
    can_read_site_records,
    is_lead_of_programme_wide,
)
from events.models import AttendanceCount, Event, FeedbackForm, FeedbackQuestion

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
