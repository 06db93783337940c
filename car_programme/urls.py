from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import include, path

from car_programme.views import HomeView, SearchView, favicon, healthz

admin.site.site_header = "CAR Programme Manager"
admin.site.site_title = "CAR Programme Manager"
admin.site.index_title = "Programme administration"
# Wide changelists (groups with their figures) need the room more than a second menu does.
admin.site.enable_nav_sidebar = False
# Access is decided by Role and the rule set, never by Django's permission groups, which would
# also be confused with inquiry groups.
admin.site.unregister(Group)

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("search/", SearchView.as_view(), name="search"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("", include("sites.urls")),
    path("", include("inquiries.urls")),
    path("", include("evidence.urls")),
    path("", include("events.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
