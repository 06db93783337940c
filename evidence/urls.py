from django.urls import path

from car_programme.history import RecordHistoryView
from car_programme.mixins import RecordFileView
from evidence import views
from evidence.selectors import change_get_for_user, evidence_get_for_user, output_get_for_user

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.EvidenceItemListView.as_view(), name="evidence_list"),
    path("evidence/new/", views.EvidenceItemCreateView.as_view(), name="evidence_create"),
    path("evidence/<int:pk>/", views.EvidenceItemDetailView.as_view(), name="evidence_detail"),
    path("evidence/<int:pk>/edit/", views.EvidenceItemUpdateView.as_view(), name="evidence_update"),
    path(
        "evidence/<int:pk>/history/",
        RecordHistoryView.as_view(
            fetch=evidence_get_for_user, permission="evidence.change_evidenceitem"
        ),
        name="evidence_history",
    ),
    path(
        "evidence/<int:pk>/delete/", views.EvidenceItemDeleteView.as_view(), name="evidence_delete"
    ),
    path(
        "evidence/<int:pk>/file/",
        RecordFileView.as_view(fetch=evidence_get_for_user),
        name="evidence_download",
    ),
    path("outputs/", views.OutputListView.as_view(), name="output_list"),
    path("outputs/new/", views.OutputCreateView.as_view(), name="output_create"),
    path("outputs/<int:pk>/", views.OutputDetailView.as_view(), name="output_detail"),
    path("outputs/<int:pk>/edit/", views.OutputUpdateView.as_view(), name="output_update"),
    path(
        "outputs/<int:pk>/history/",
        RecordHistoryView.as_view(fetch=output_get_for_user, permission="evidence.change_output"),
        name="output_history",
    ),
    path("outputs/<int:pk>/status/", views.OutputStatusView.as_view(), name="output_status"),
    path("outputs/<int:pk>/delete/", views.OutputDeleteView.as_view(), name="output_delete"),
    path(
        "outputs/<int:pk>/file/",
        RecordFileView.as_view(fetch=output_get_for_user),
        name="output_download",
    ),
    path("changes/", views.ChangeListView.as_view(), name="change_list"),
    path("changes/new/", views.ChangeCreateView.as_view(), name="change_create"),
    path("changes/<int:pk>/", views.ChangeDetailView.as_view(), name="change_detail"),
    path("changes/<int:pk>/edit/", views.ChangeUpdateView.as_view(), name="change_update"),
    path(
        "changes/<int:pk>/history/",
        RecordHistoryView.as_view(fetch=change_get_for_user, permission="evidence.change_change"),
        name="change_history",
    ),
    path("changes/<int:pk>/delete/", views.ChangeDeleteView.as_view(), name="change_delete"),
]
