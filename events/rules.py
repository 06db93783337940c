from accounts import rules
from events.models import AttendanceCount, Event, FeedbackForm, FeedbackQuestion
from sites.models import Programme

EVENT = rules.Scope(programme="programme", sites=("sites",))
IN_EVENT = rules.Scope(programme="event__programme", sites=("event__sites",))
IN_FORM = rules.Scope(programme="form__event__programme", sites=("form__event__sites",))

# Programme-wide events (national retreats) concern every site, so every site's lead sees them.
can_read_events = rules.can_read_site_records | rules.is_lead_of_programme_wide

for model, scope in [
    (Event, EVENT),
    (AttendanceCount, IN_EVENT),
    (FeedbackForm, IN_EVENT),
    (FeedbackQuestion, IN_FORM),
]:
    rules.add_record_rules(model, scope=scope, read=can_read_events)

# Who may record a new event in a programme: its managers (for any site, or programme-wide)
# and its researchers (for their own sites: which sites a user may pick is
# "sites.change_casesite").
PROGRAMME = rules.Scope(programme="id")
rules.add_rule(
    "events.add_event",
    model=Programme,
    scope=PROGRAMME,
    rule=rules.is_programme_manager | rules.is_programme_researcher,
)
rules.add_rule(
    "events.add_programme_wide_event",
    model=Programme,
    scope=PROGRAMME,
    rule=rules.is_programme_manager,
)
