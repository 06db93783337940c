from django.contrib import admin
from django.urls import include, path

from car_programme.views import HomeView, SearchView, favicon, healthz

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("search/", SearchView.as_view(), name="search"),
    path("favicon.ico", favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("", include("inquiries.site_urls")),
    path("", include("inquiries.urls")),
    path("", include("evidence.urls")),
    path("", include("events.urls")),
    path("", include("reports.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]
