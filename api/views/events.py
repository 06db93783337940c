"""Events with their attendance, and their feedback forms' results, as the events pages show
them."""

from django.db.models import Exists, OuterRef, Prefetch

from accounts.rules import permitted
from api.serializers.events import EventSerializer, FeedbackFormSerializer
from api.viewsets import RecordViewSet
from car_programme.selectors import subquery_count
from events.filters import EventFilter, FeedbackFormFilter
from events.models import AttendanceCount, FeedbackForm, FeedbackResponse
from events.selectors import event_list_for_user
from sites.models import Theme


class EventViewSet(RecordViewSet):
    """The events you may read, newest first: a programme-wide event (of no site) reaches
    every site's strategy lead. Filtered as on the events page, by what a dashboard counts:
    a site's own events, its groups' and the programme-wide ones."""

    serializer_class = EventSerializer
    view_permission = "events.view_event"
    filterset_class = EventFilter
    filter_choices = {"sites": "sites.view_casesite", "groups": "inquiries.view_inquirygroup"}
    ordering_fields = {"id": "pk", "title": "title", "start_date": "start_date"}

    def records(self):
        user = self.request.user
        outputs = permitted(user, "evidence.view_output").filter(pk=OuterRef("report_id"))
        return (
            event_list_for_user(user=user)
            .annotate(report_visible=Exists(outputs))
            .prefetch_related(
                Prefetch("groups", queryset=permitted(user, "inquiries.view_inquirygroup")),
                Prefetch("attendees", queryset=permitted(user, "inquiries.view_person")),
                Prefetch("attendance_counts", queryset=AttendanceCount.objects.order_by("pk")),
                "organisations",
                Prefetch("themes", queryset=Theme.objects.order_by("framework", "position")),
            )
        )


class FeedbackFormViewSet(RecordViewSet):
    """The feedback forms of the events you may read, with their results aggregated over
    every response (as the event page shows them): no response, no free-text answer."""

    serializer_class = FeedbackFormSerializer
    view_permission = "events.view_feedbackform"
    filterset_class = FeedbackFormFilter
    filter_choices = {"events": "events.view_event"}
    ordering_fields = {"id": "pk", "title": "title", "event": "event__start_date"}

    def records(self):
        return (
            FeedbackForm.objects.select_related("event")
            .annotate(response_count=subquery_count(FeedbackResponse.objects.all(), "form"))
            .order_by("event__start_date", "title", "pk")
        )
