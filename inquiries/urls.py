from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path(
        "groups/<int:group_pk>/activities/new/",
        views.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path(
        "groups/<int:group_pk>/attendees/add/",
        views.ActivityAttendeeAddView.as_view(),
        name="activity_attendee_add",
    ),
    path(
        "groups/<int:group_pk>/members/add/",
        views.MembershipAddView.as_view(),
        name="membership_add",
    ),
    path(
        "memberships/<int:pk>/role/",
        views.MembershipChangeRoleView.as_view(),
        name="membership_change_role",
    ),
    path("memberships/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership_end"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path(
        "activities/new/",
        views.ActivityCreateChooseView.as_view(),
        name="activity_create_choose",
    ),
    path("activities/tally/", views.TallyCreateView.as_view(), name="tally_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path(
        "attachments/<int:pk>/download/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("people/<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
]
