from django.urls import path

from car_programme.history import RecordHistoryView
from inquiries.selectors import activity_get_for_user, group_get_for_user, person_get_for_user
from inquiries.views import activities, groups, imports, memberships, people, privacy

app_name = "inquiries"

urlpatterns = [
    path("groups/", groups.GroupListView.as_view(), name="group_list"),
    path("groups/new/", groups.GroupCreateView.as_view(), name="group_create"),
    path("groups/<int:pk>/", groups.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", groups.GroupUpdateView.as_view(), name="group_update"),
    path("groups/<int:pk>/delete/", groups.GroupDeleteView.as_view(), name="group_delete"),
    path("groups/<int:pk>/status/", groups.GroupStatusView.as_view(), name="group_status"),
    path(
        "groups/<int:pk>/questions/new/",
        groups.ResearchQuestionAdoptView.as_view(),
        name="research_question_adopt",
    ),
    path("groups/<int:pk>/cycles/new/", groups.CycleCreateView.as_view(), name="cycle_create"),
    path("cycles/<int:pk>/edit/", groups.CycleUpdateView.as_view(), name="cycle_update"),
    path(
        "groups/<int:pk>/history/",
        RecordHistoryView.as_view(
            fetch=group_get_for_user, permission="inquiries.change_inquirygroup"
        ),
        name="group_history",
    ),
    path(
        "groups/<int:group_pk>/activities/new/",
        activities.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path(
        "groups/<int:group_pk>/attendees/add/",
        activities.ActivityAttendeeAddView.as_view(),
        name="activity_attendee_add",
    ),
    path(
        "groups/<int:group_pk>/members/add/",
        memberships.MembershipAddView.as_view(),
        name="membership_add",
    ),
    path(
        "memberships/<int:pk>/role/",
        memberships.MembershipChangeRoleView.as_view(),
        name="membership_change_role",
    ),
    path(
        "memberships/<int:pk>/end/", memberships.MembershipEndView.as_view(), name="membership_end"
    ),
    path("activities/", activities.ActivityListView.as_view(), name="activity_list"),
    path(
        "activities/new/",
        activities.ActivityCreateChooseView.as_view(),
        name="activity_create_choose",
    ),
    path("activities/tally/", activities.TallyCreateView.as_view(), name="tally_create"),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path(
        "activities/<int:pk>/attendance/import/",
        imports.AttendanceImportView.as_view(),
        name="attendance_import",
    ),
    path(
        "activities/<int:pk>/history/",
        RecordHistoryView.as_view(
            fetch=activity_get_for_user, permission="inquiries.change_activity"
        ),
        name="activity_history",
    ),
    path(
        "activities/<int:pk>/edit/", activities.ActivityUpdateView.as_view(), name="activity_update"
    ),
    path(
        "activities/<int:pk>/delete/",
        activities.ActivityDeleteView.as_view(),
        name="activity_delete",
    ),
    path(
        "attachments/<int:pk>/download/",
        activities.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("people/", people.PersonListView.as_view(), name="person_list"),
    path("people/new/", people.PersonCreateView.as_view(), name="person_create"),
    path("people/import/", imports.PeopleImportView.as_view(), name="people_import"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person_detail"),
    path(
        "people/<int:pk>/history/",
        RecordHistoryView.as_view(fetch=person_get_for_user, permission="inquiries.change_person"),
        name="person_history",
    ),
    path("people/<int:pk>/edit/", people.PersonUpdateView.as_view(), name="person_update"),
    path("people/<int:pk>/delete/", people.PersonDeleteView.as_view(), name="person_delete"),
    path("people/<int:pk>/consent/", privacy.ConsentRecordView.as_view(), name="consent_record"),
    path(
        "people/<int:pk>/consent/withdraw/",
        privacy.ConsentWithdrawView.as_view(),
        name="consent_withdraw",
    ),
    path("people/<int:pk>/export/", privacy.PersonExportView.as_view(), name="person_export"),
    path("people/<int:pk>/erase/", privacy.PersonEraseView.as_view(), name="person_erase"),
]
