from accounts.rules import Scope, add_rule, can_read_site_records, is_programme_manager
from reports.models import ReportRequest

REPORT = Scope(programme="programme", sites=("site", "group__sites", "event__sites"))

add_rule(
    "reports.view_reportrequest", model=ReportRequest, scope=REPORT, rule=can_read_site_records
)
add_rule(
    "reports.delete_reportrequest", model=ReportRequest, scope=REPORT, rule=is_programme_manager
)
