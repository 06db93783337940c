"""People, as the inquiries app's pages show them."""

from api.serializers.inquiries import PersonSerializer
from api.viewsets import RecordViewSet
from inquiries.filters import PersonFilter
from inquiries.selectors import label_order, person_list_for_user


class PersonViewSet(RecordViewSet):
    """The people you may read. ``label`` is a person's name where you may see it (you work
    with the programme's people, or they consented to be named) and their pseudonym otherwise;
    ``name`` and the contact and background fields are then null. Filtered as on the people
    page, by who takes part in a site's groups (``in_site``) or in one group between two dates
    too; ordered by what you see of each person (``label``), never by a hidden name."""

    serializer_class = PersonSerializer
    view_permission = "inquiries.view_person"
    filterset_class = PersonFilter
    filter_choices = {
        "sites": "sites.view_casesite",
        "organisations": "sites.view_organisation",
        "groups": "inquiries.view_inquirygroup",
    }
    ordering_fields = {"id": "pk", "label": label_order(), "pseudonym": "pseudonym_sort"}

    def records(self):
        return person_list_for_user(user=self.request.user)
