"""The site page and the organisation list, with what they show from inquiries: the site's
groups with their derived figures, as on the group list, and the filters by who takes part in
the groups (``inquiries/site_urls.py`` routes them with the sites app's pages)."""

from accounts.rules import permitted
from inquiries.filters import OrganisationScopeFilter
from inquiries.selectors import group_list_for_user
from sites import views


class CaseSiteDetailView(views.CaseSiteDetailView):
    def get_context_data(self, **kwargs):
        groups = group_list_for_user(user=self.request.user).filter(sites=self.object)
        return super().get_context_data(groups=groups, **kwargs)


class OrganisationListView(views.OrganisationListView):
    filterset_class = OrganisationScopeFilter

    def filter_choices(self) -> dict:
        groups = permitted(self.request.user, "inquiries.view_inquirygroup").order_by("name")
        return {**super().filter_choices(), "groups": groups}
