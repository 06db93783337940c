from django.urls import path

from sites import views

app_name = "sites"

urlpatterns = [
    path("sites/", views.CaseSiteListView.as_view(), name="site_list"),
    path("sites/<int:pk>/", views.CaseSiteDetailView.as_view(), name="site_detail"),
    path("sites/<int:pk>/edit/", views.CaseSiteUpdateView.as_view(), name="site_update"),
    path(
        "sites/<int:pk>/projects/new/",
        views.ProposedProjectCreateView.as_view(),
        name="project_create",
    ),
    path(
        "proposed-projects/<int:pk>/edit/",
        views.ProposedProjectUpdateView.as_view(),
        name="project_update",
    ),
    path(
        "proposed-projects/<int:pk>/delete/",
        views.ProposedProjectDeleteView.as_view(),
        name="project_delete",
    ),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path(
        "organisations/<int:pk>/delete/",
        views.OrganisationDeleteView.as_view(),
        name="organisation_delete",
    ),
]
