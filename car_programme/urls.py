from django.contrib import admin
from django.urls import path

from car_programme.views import HomeView, healthz

admin.site.site_header = "CAR Programme Manager"
admin.site.site_title = "CAR Programme Manager"
admin.site.index_title = "Programme administration"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
