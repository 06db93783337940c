from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "CAR Programme Manager"
admin.site.site_title = "CAR Programme Manager"
admin.site.index_title = "Programme administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
