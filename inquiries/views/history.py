"""History pages of inquiry records."""

from car_programme.history import RecordHistoryView
from inquiries.selectors import activity_get_for_user, group_get_for_user, person_get_for_user


class GroupHistoryView(RecordHistoryView):
    action_permission = "inquiries.change_inquirygroup"

    def fetch(self, request, pk):
        return group_get_for_user(user=request.user, pk=pk)


class PersonHistoryView(RecordHistoryView):
    # Only editors get in, and editors may see names; the pseudonym still labels the page
    # like the person's own page does.
    action_permission = "inquiries.change_person"

    def fetch(self, request, pk):
        return person_get_for_user(user=request.user, pk=pk)

    def label(self) -> str:
        return self.object.name if self.object.name_visible else self.object.pseudonym


class ActivityHistoryView(RecordHistoryView):
    action_permission = "inquiries.change_activity"

    def fetch(self, request, pk):
        return activity_get_for_user(user=request.user, pk=pk)
