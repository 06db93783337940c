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
        list=views.EvidenceItemListView,
        create=views.EvidenceItemCreateView,
        detail=views.EvidenceItemDetailView,
        update=views.EvidenceItemUpdateView,
        history=RecordHistoryView.as_view(
            fetch=evidence_get_for_user, permission="evidence.change_evidenceitem"
        ),
        delete=views.EvidenceItemDeleteView,
        download=RecordFileView.as_view(fetch=evidence_get_for_user),
    ),
    *record_paths(
        "outputs",
        "output",
        list=views.OutputListView,
        create=views.OutputCreateView,
        detail=views.OutputDetailView,
        update=views.OutputUpdateView,
        history=RecordHistoryView.as_view(
            fetch=output_get_for_user, permission="evidence.change_output"
        ),
        status=views.OutputStatusView,
        delete=views.OutputDeleteView,
        download=RecordFileView.as_view(fetch=output_get_for_user),
    ),
    *record_paths(
        "changes",
        "change",
        list=views.ChangeListView,
        create=views.ChangeCreateView,
        detail=views.ChangeDetailView,
        update=views.ChangeUpdateView,
        history=RecordHistoryView.as_view(
            fetch=change_get_for_user, permission="evidence.change_change"
        ),
        delete=views.ChangeDeleteView,
    ),
]
