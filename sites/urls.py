from django.urls import path

from car_programme.history import RecordHistoryView
from car_programme.routes import record_paths
from sites import views
from sites.selectors import programme_get_for_user, site_get_for_user, theme_get_for_user

# The pages of the sites app; they are routed in the ``sites`` namespace with the two that read
# inquiries, by ``inquiries/site_urls.py``.
urlpatterns = [
    *record_paths(
        "programmes",
        "programme",
        views,
        "Programme",
        ("list", "create", "detail", "update", "archive", "setup"),
        restore=views.ProgrammeArchiveView.as_view(
            restore=True, permission="sites.restore_programme"
        ),
        logo=views.ProgrammeLogoView,
        history=RecordHistoryView.as_view(
            fetch=programme_get_for_user, permission="sites.change_programme"
        ),
    ),
    path(
        "programmes/<int:pk>/sites/new/",
        views.CaseSiteCreateView.as_view(),
        name="site_create",
    ),
    *record_paths(
        "sites",
        "site",
        views,
        "CaseSite",
        ("list", "update"),
        history=RecordHistoryView.as_view(
            fetch=site_get_for_user, permission="sites.change_casesite"
        ),
    ),
    path(
        "sites/<int:pk>/projects/new/",
        views.ProposedProjectCreateView.as_view(),
        name="project_create",
    ),
    *record_paths(
        "proposed-projects", "project", views, "ProposedProject", ("update", "delete", "move")
    ),
    *record_paths(
        "organisations",
        "organisation",
        views,
        "Organisation",
        ("create", "detail", "update", "delete"),
    ),
    path("programmes/<int:pk>/themes/", views.ThemeListView.as_view(), name="theme_list"),
    path("programmes/<int:pk>/themes/new/", views.ThemeCreateView.as_view(), name="theme_create"),
    path(
        "programmes/<int:pk>/frameworks/new/",
        views.FrameworkCreateView.as_view(),
        name="framework_create",
    ),
    path(
        "programmes/<int:pk>/frameworks/rename/",
        views.FrameworkUpdateView.as_view(),
        name="framework_update",
    ),
    *record_paths(
        "themes",
        "theme",
        views,
        "Theme",
        ("update", "delete", "move"),
        history=RecordHistoryView.as_view(
            fetch=theme_get_for_user, permission="sites.change_theme"
        ),
    ),
]
