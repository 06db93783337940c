from car_programme.history import RecordHistoryView
from car_programme.mixins import RecordFileView
from car_programme.routes import record_paths
from evidence import views
from evidence.selectors import change_get_for_user, evidence_get_for_user, output_get_for_user

app_name = "evidence"

urlpatterns = [
    *record_paths(
        "evidence",
        "evidence",
        views,
        "EvidenceItem",
        ("list", "create", "detail", "update", "delete"),
        history=RecordHistoryView.as_view(
            fetch=evidence_get_for_user, permission="evidence.change_evidenceitem"
        ),
        download=RecordFileView.as_view(fetch=evidence_get_for_user),
    ),
    *record_paths(
        "outputs",
        "output",
        views,
        "Output",
        ("list", "create", "detail", "update", "status", "delete"),
        history=RecordHistoryView.as_view(
            fetch=output_get_for_user, permission="evidence.change_output"
        ),
        download=RecordFileView.as_view(fetch=output_get_for_user),
    ),
    *record_paths(
        "changes",
        "change",
        views,
        "Change",
        ("list", "create", "detail", "update", "delete"),
        history=RecordHistoryView.as_view(
            fetch=change_get_for_user, permission="evidence.change_change"
        ),
    ),
]
