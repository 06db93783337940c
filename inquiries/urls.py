from django.urls import path

from car_programme.history import RecordHistoryView
from car_programme.routes import record_paths
from inquiries.imports import ATTENDANCE_COLUMNS, ATTENDANCE_EXAMPLE, PEOPLE_COLUMNS, PEOPLE_EXAMPLE
from inquiries.selectors import activity_get_for_user, group_get_for_user, person_get_for_user
from inquiries.views import activities, groups, imports, memberships, people, privacy

app_name = "inquiries"

urlpatterns = [
    *record_paths(
        "groups",
        "group",
        groups,
        "Group",
        ("list", "create", "detail", "update", "delete", "status"),
        history=RecordHistoryView.as_view(
            fetch=group_get_for_user, permission="inquiries.change_inquirygroup"
        ),
    ),
    path(
        "groups/<int:pk>/questions/new/",
        groups.ResearchQuestionAdoptView.as_view(),
        name="research_question_adopt",
    ),
    path("groups/<int:pk>/cycles/new/", groups.CycleCreateView.as_view(), name="cycle_create"),
    *record_paths("cycles", "cycle", groups, "Cycle", ("update",)),
    path(
        "groups/<int:pk>/figures/new/",
        groups.GroupFigureCreateView.as_view(),
        name="group_figure_create",
    ),
    *record_paths("figures", "group_figure", groups, "GroupFigure", ("update", "delete")),
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
    *record_paths("memberships", "membership", memberships, "Membership", ("end",)),
    *record_paths("activities", "activity", activities, "Activity", ("list",)),
    path(
        "activities/new/",
        activities.ActivityCreateChooseView.as_view(),
        name="activity_create_choose",
    ),
    path("activities/tally/", activities.TallyCreateView.as_view(), name="tally_create"),
    *record_paths(
        "activities",
        "activity",
        activities,
        "Activity",
        ("detail", "update", "delete"),
        history=RecordHistoryView.as_view(
            fetch=activity_get_for_user, permission="inquiries.change_activity"
        ),
    ),
    path(
        "activities/<int:pk>/attendance/import/",
        imports.AttendanceImportView.as_view(),
        name="attendance_import",
    ),
    path(
        "attachments/<int:pk>/download/",
        activities.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    *record_paths(
        "people",
        "person",
        people,
        "Person",
        ("list", "create", "detail", "update", "delete"),
        history=RecordHistoryView.as_view(
            fetch=person_get_for_user, permission="inquiries.change_person"
        ),
    ),
    *record_paths("people", "person", privacy, "Person", ("export", "erase")),
    path("people/import/", imports.PeopleImportView.as_view(), name="people_import"),
    path(
        "people/import/template.csv",
        imports.ImportTemplateView.as_view(
            columns=PEOPLE_COLUMNS, example=PEOPLE_EXAMPLE, filename="people-import-template.csv"
        ),
        name="people_import_template",
    ),
    path(
        "activities/attendance/import/template.csv",
        imports.ImportTemplateView.as_view(
            columns=ATTENDANCE_COLUMNS,
            example=ATTENDANCE_EXAMPLE,
            filename="attendance-import-template.csv",
        ),
        name="attendance_import_template",
    ),
    path("people/<int:pk>/consent/", privacy.ConsentRecordView.as_view(), name="consent_record"),
    path(
        "people/<int:pk>/consent/withdraw/",
        privacy.ConsentWithdrawView.as_view(),
        name="consent_withdraw",
    ),
]
