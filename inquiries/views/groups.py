"""Inquiry group pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from accounts.rules import permitted
from inquiries.filters import GroupFilter
from inquiries.selectors import (
    group_get_for_user,
    group_list_for_user,
    group_story,
)


class GroupListView(LoginRequiredMixin, ListView):
    template_name = "inquiries/inquirygroup_list.html"
    context_object_name = "groups"
    paginate_by = 25

    def get_queryset(self):
        sites = permitted(self.request.user, "sites.view_casesite").order_by("name")
        self.filterset = GroupFilter(
            self.request.GET or None,
            queryset=group_list_for_user(user=self.request.user),
            sites=sites,
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class GroupDetailView(LoginRequiredMixin, DetailView):
    template_name = "inquiries/inquirygroup_detail.html"
    context_object_name = "group"

    def get_object(self, queryset=None):
        return group_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        story = group_story(group=self.object, user=self.request.user)
        return super().get_context_data(story=story, **kwargs)
