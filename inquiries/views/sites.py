"""The pages of the ``sites`` namespace that read inquiries: a site's page, with its groups and
their derived figures as on the group list, and the organisation list, which filters by who
takes part in the groups (``inquiries/site_urls.py`` routes them with the sites app's pages)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from accounts.rules import permitted
from car_programme.mixins import RecordMixin
from inquiries.filters import OrganisationFilter
from inquiries.selectors import group_list_for_user
from sites.selectors import organisation_list_for_user, site_get_for_user, site_page


class CaseSiteDetailView(RecordMixin, DetailView):
    template_name = "sites/casesite_detail.html"
    context_object_name = "site"
    fetch = staticmethod(site_get_for_user)

    def get_context_data(self, **kwargs):
        site = self.object
        user = self.request.user
        return super().get_context_data(
            page=site_page(site=site, user=user),
            groups=group_list_for_user(user=user).filter(sites=site),
            can_edit=user.has_perm("sites.change_casesite", site),
            **kwargs,
        )


class OrganisationListView(LoginRequiredMixin, ListView):
    template_name = "sites/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        self.filterset = OrganisationFilter(
            self.request.GET or None,
            queryset=organisation_list_for_user(user=user),
            sites=permitted(user, "sites.view_casesite").order_by("name"),
            groups=permitted(user, "inquiries.view_inquirygroup").order_by("name"),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        can_add = self.request.user.has_perm("sites.add_organisation")
        return super().get_context_data(filter=self.filterset, can_add=can_add, **kwargs)
