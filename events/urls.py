from django.urls import path

from car_programme.history import RecordHistoryView
from car_programme.routes import record_paths
from events import views
from events.selectors import event_get_for_user

app_name = "events"

urlpatterns = [
    *record_paths(
        "events",
        "event",
        views,
        "Event",
        ("list", "create", "detail", "update", "delete", "attendance"),
        history=RecordHistoryView.as_view(
            fetch=event_get_for_user, permission="events.change_event"
        ),
    ),
    path(
        "events/<int:pk>/feedback/new/",
        views.FeedbackFormCreateView.as_view(),
        name="feedbackform_create",
    ),
    path(
        "events/feedback/<int:pk>/",
        views.FeedbackFormDetailView.as_view(),
        name="feedbackform_detail",
    ),
    path(
        "events/feedback/<int:pk>/close/",
        views.FeedbackFormCloseView.as_view(),
        name="feedbackform_close",
    ),
    path(
        "events/feedback/<int:pk>/reopen/",
        views.FeedbackFormReopenView.as_view(),
        name="feedbackform_reopen",
    ),
    path(
        "events/feedback/<int:pk>/questions/<int:question_pk>/edit/",
        views.FeedbackQuestionUpdateView.as_view(),
        name="feedbackquestion_update",
    ),
    path(
        "events/feedback/<int:pk>/questions/<int:question_pk>/delete/",
        views.FeedbackQuestionDeleteView.as_view(),
        name="feedbackquestion_delete",
    ),
    # The public link: no sign-in, only the token.
    path("feedback/<str:token>/", views.FeedbackRespondView.as_view(), name="feedback_respond"),
    path(
        "feedback/<str:token>/thanks/",
        views.FeedbackThanksView.as_view(),
        name="feedback_thanks",
    ),
]
