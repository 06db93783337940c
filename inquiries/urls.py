from django.urls import path

from inquiries.views import GroupDetailView, GroupListView

app_name = "inquiries"

urlpatterns = [
    path("groups/", GroupListView.as_view(), name="group_list"),
    path("groups/<int:pk>/", GroupDetailView.as_view(), name="group_detail"),
]
