from django.urls import path

from car_programme.routes import record_paths
from sites import views

# The pages of the sites app; they are routed in the ``sites`` namespace with the two that read
# inquiries, by ``inquiries/site_urls.py``.
urlpatterns = [
    *record_paths("programmes", "programme", views, "Programme", ("detail",)),
    *record_paths("sites", "site", views, "CaseSite", ("list", "update")),
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
        ("create", "detail", "update", "delete"),
    ),
]
