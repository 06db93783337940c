from django.urls import path

from car_programme.routes import record_paths
from sites import views

app_name = "sites"

urlpatterns = [
    *record_paths(
        "sites",
        "site",
        list=views.CaseSiteListView,
        detail=views.CaseSiteDetailView,
        update=views.CaseSiteUpdateView,
    ),
    path(
        "sites/<int:pk>/projects/new/",
        views.ProposedProjectCreateView.as_view(),
        name="project_create",
    ),
    *record_paths(
        "proposed-projects",
        "project",
        update=views.ProposedProjectUpdateView,
        delete=views.ProposedProjectDeleteView,
    ),
    *record_paths(
        "organisations",
        "organisation",
        list=views.OrganisationListView,
        create=views.OrganisationCreateView,
        detail=views.OrganisationDetailView,
        update=views.OrganisationUpdateView,
        delete=views.OrganisationDeleteView,
    ),
]
