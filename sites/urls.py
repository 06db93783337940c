from django.urls import path

from car_programme.routes import record_paths
from sites import views

app_name = "sites"

urlpatterns = [
    *record_paths("sites", "site", views, "CaseSite", ("list", "detail", "update")),
    path(
        "sites/<int:pk>/projects/new/",
        views.ProposedProjectCreateView.as_view(),
        name="project_create",
    ),
    *record_paths("proposed-projects", "project", views, "ProposedProject", ("update", "delete")),
    *record_paths(
        "organisations",
        "organisation",
        views,
        "Organisation",
        ("list", "create", "detail", "update", "delete"),
    ),
]
