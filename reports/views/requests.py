"""Pages for report requests: request a report, follow it while it renders, download it.

Requesting returns at once (the rendering runs in a Celery worker); the status page's panel
polls a fragment of itself with htmx until the report is ready or has failed, and a refresh
link does the same without JavaScript. Every request is fetched through the rule set
(``reports.view_reportrequest``), so another site's report and its file answer 404; its file
through ``reports.download_reportrequest``, which asks what the file holds (the people it names,
an event's free-text answers) of the reader. Who may request a report is asked of the report's
target (``reports.request_<target>_report``).
"""

import operator
from functools import partial, reduce

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.rules import permitted
from car_programme.mixins import RecordDeleteView, RecordFileView, RecordMixin, ServiceFormMixin
from inquiries.models import InquiryGroup
from inquiries.selectors import people_named_for
from reports.editions import previous_version, version_changes
from reports.enums import ReportStatus
from reports.forms import GroupReportChoiceForm, ReportFilterForm, ReportRequestForm
from reports.kinds import KINDS, SUBJECT_FIELDS
from reports.models import ReportRequest
from reports.services import report_delete, request_report
from sites.models import CaseSite, Programme

IN_PROGRESS = (ReportStatus.QUEUED, ReportStatus.RENDERING)


def _report_for(*, user, pk, perm: str = "reports.view_reportrequest") -> ReportRequest:
    reports = ReportRequest.objects.select_related(
        "programme", "site", "group", "event", "requested_by"
    )
    return get_object_or_404(permitted(user, perm, reports), pk=pk)


def _state(report: ReportRequest) -> str:
    """What the panel shows, in short: the poll sends it back, to learn whether it changed."""
    handed_over = "enqueued" if report.enqueued_at else "waiting"
    return f"{report.status}.{report.progress_step or '-'}.{handed_over}"


def _status_context(user, report: ReportRequest) -> dict:
    """What the status panel shows; the same whether it is a whole page or the polled part.

    A ready version the user may not download (it names people or prints answers their pages
    hide) is explained instead, with the offer of an anonymised version where they may ask.
    """
    target = report.target
    ready = report.status == ReportStatus.READY
    context = {
        "report": report,
        "target": target,
        "state": _state(report),
        "polling": report.status in IN_PROGRESS,
        "can_download": ready and user.has_perm("reports.download_reportrequest", report),
        "can_request_again": False,
    }
    if ready and not context["can_download"]:
        context |= _withheld(user, report)
    if report.status == ReportStatus.FAILED or context.get("names_hidden"):
        context["can_request_again"] = user.has_perm(
            KINDS[report.kind].target.request_permission, target
        )
        context["again_url"] = reverse("reports:report_request", args=[report.kind, target.pk])
    return context


def _withheld(user, report: ReportRequest) -> dict:
    """Why a ready version is not the user's to download, asked of the rules its download
    rule follows: names their pages show by pseudonym, answers only the event's editors read."""
    visible = people_named_for(user=user).values("pk")
    comments_hidden = report.holds_comments and not user.has_perm(
        "events.change_event", report.event
    )
    return {
        "names_hidden": report.named_people.exclude(pk__in=visible).exists(),
        "comments_hidden": comments_hidden,
    }


# --- Requesting -------------------------------------------------------------------------------


class ReportRequestCreateView(RecordMixin, ServiceFormMixin, FormView):
    """The options of one kind of report on one target; posting queues it and moves on to its
    status page at once. The target is out of sight (404) to whoever may not read it, and
    refused (403) to a reader who may not request this report."""

    template_name = "reports/reportrequest_form.html"
    form_class = ReportRequestForm

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in KINDS:
            raise Http404("No such kind of report.")
        self.spec = KINDS[kwargs["kind"]]
        self.permission = self.spec.target.request_permission
        return super().dispatch(request, *args, **kwargs)

    def get_record(self):
        target = self.spec.target
        targets = permitted(self.request.user, target.view_permission, target.model.objects)
        return get_object_or_404(targets, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        target = self.spec.target
        return {
            **super().get_form_kwargs(),
            "kind": self.spec.kind,
            "may_name_people": self.request.user.has_perm(
                target.name_people_permission, self.object
            ),
            "programme": target.programme_of(self.object),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.spec.kind, target=self.object, **kwargs)

    def save(self, form):
        target = self.spec.target
        return request_report(
            requested_by=self.request.user,
            kind=self.spec.kind,
            programme=target.programme_of(self.object),
            options=form.options,
            **target.subject(self.object),
        )

    def get_success_url(self) -> str:
        return reverse("reports:report_detail", args=[self.saved.pk])


# --- Following and downloading ----------------------------------------------------------------


class ReportRequestDetailView(RecordMixin, TemplateView):
    template_name = "reports/reportrequest_detail.html"
    fetch = staticmethod(_report_for)

    def get_context_data(self, **kwargs):
        user = self.request.user
        report = self.object
        chosen = set(report.options.get("sections") or ())
        choices = KINDS[report.kind].sections
        return super().get_context_data(
            **_status_context(user, report),
            has_sections=bool(choices),
            sections=[label for slug, label in choices if slug in chosen],
            can_delete=user.has_perm("reports.delete_reportrequest", report),
            **_edition_context(user, report),
            **kwargs,
        )


def _edition_context(user, report: ReportRequest) -> dict:
    """For a version of an edition: what changed in its text since the previous version."""
    if report.edition_id is None:
        return {}
    previous = previous_version(report)
    return {
        "previous": previous,
        "changes": version_changes(report, user, previous) if previous else None,
        "edition": permitted(user, "reports.view_edition").filter(pk=report.edition_id).first(),
    }


class ReportRequestStatusView(RecordMixin, TemplateView):
    """The status panel alone, which the page's panel polls while the report is on its way.

    Nothing new since the last poll answers 204, which htmx leaves in place: a panel swapped
    every two seconds would be read out again and again by a screen reader.
    """

    template_name = "reports/_reportrequest_status.html"
    fetch = staticmethod(_report_for)

    def get(self, request, *args, **kwargs):
        report = self.object
        if request.GET.get("seen") == _state(report):
            response = HttpResponse(status=204)
        else:
            response = self.render_to_response(_status_context(request.user, report))
        # The panel changes while the report renders: a cached copy would stop the updates.
        add_never_cache_headers(response)
        return response


class ReportDownloadView(RecordFileView):
    """The PDF of a ready report, or its Word copy (``file_field="docx_file"``), as an attachment
    no browser will render or sniff; 404 to a reader of the request whose pages would not show
    what the files hold. Both hold the same content, so one rule decides for both."""

    fetch = staticmethod(partial(_report_for, perm="reports.download_reportrequest"))

    def file_title(self):
        report = self.object
        return f"{report.get_kind_display()} {report.target} v{report.version}"

    def get(self, request, *args, **kwargs):
        if self.object.status != ReportStatus.READY or not getattr(self.object, self.file_field):
            raise Http404("This report has no such file yet.")
        return super().get(request, *args, **kwargs)


# --- Deleting ---------------------------------------------------------------------------------


class ReportRequestDeleteView(RecordDeleteView):
    """Deleting a request deletes its file; one still on its way stays."""

    context_object_name = "report"
    fetch = staticmethod(_report_for)
    permission = "reports.delete_reportrequest"
    success_message = "%(title)s deleted."
    success_url = reverse_lazy("reports:report_list")

    def get_context_data(self, **kwargs):
        report = self.object
        return super().get_context_data(
            target=report.target, in_progress=report.status in IN_PROGRESS, **kwargs
        )

    def label(self):
        report = self.object
        return f"{report.get_kind_display()} of {report.target}, version {report.version}"

    def delete_record(self):
        report_delete(report_request=self.object)

    def refused(self, error):
        messages.error(self.request, str(error))
        return redirect("reports:report_detail", pk=self.object.pk)


# --- The programme's reports ------------------------------------------------------------------


TARGET_FIELDS = ("programme", "kind", *SUBJECT_FIELDS)


class ReportRequestListView(LoginRequiredMixin, TemplateView):
    """Reports the user may see, newest first, each target's versions together.

    The page is a page of targets (a kind of report on one group, site, event or programme),
    ordered by their latest request, so the past versions of a report stay beside the latest.
    """

    template_name = "reports/reportrequest_list.html"
    paginate_by = 10

    def get_context_data(self, **kwargs):
        user = self.request.user
        programmes = permitted(user, "sites.view_programme", Programme.objects.order_by("name"))
        filter_form = ReportFilterForm(self.request.GET or None, programmes=programmes)
        reports = permitted(user, "reports.view_reportrequest")
        if filter_form.is_valid():
            chosen = {name: value for name, value in filter_form.cleaned_data.items() if value}
            reports = reports.filter(**chosen)
        targets = (
            reports.values(*TARGET_FIELDS)
            .annotate(latest=Max("requested_at"))
            .order_by("-latest", *TARGET_FIELDS)
        )
        page = Paginator(targets, self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            filter={"form": filter_form},
            page_obj=page,
            reports=self._versions(reports, page.object_list),
            requestable_programmes=permitted(user, "reports.request_programme_report", programmes),
            requestable_sites=permitted(
                user, "reports.request_site_report", CaseSite.objects.order_by("name", "pk")
            ).select_related("programme"),
            edition_sites=set(
                permitted(user, "reports.write_site_edition").values_list("pk", flat=True)
            ),
            group_report_form=_group_report_form(user),
            **kwargs,
        )

    @staticmethod
    def _versions(reports, targets) -> list[dict]:
        """The requests of the page's targets, in one query, grouped by target in page order."""
        if not targets:
            return []
        keys = [tuple(target[name] for name in TARGET_FIELDS) for target in targets]
        matching = reduce(
            operator.or_, (Q(**{name: t[name] for name in TARGET_FIELDS}) for t in targets)
        )
        grouped = {key: [] for key in keys}
        versions = reports.filter(matching).select_related(
            "programme", "site", "group", "event", "requested_by"
        )
        for report in versions.order_by("-version", "-pk"):
            key = (
                report.programme_id,
                report.kind,
                report.site_id,
                report.group_id,
                report.event_id,
            )
            grouped[key].append(report)
        return [{"versions": versions} for versions in grouped.values() if versions]


def _requestable_groups(user):
    groups = InquiryGroup.objects.order_by("name", "pk")
    return permitted(user, "reports.request_group_report", groups)


def _group_report_form(user) -> GroupReportChoiceForm | None:
    """The choice of a group report, for a reader who may request one on some group."""
    groups = _requestable_groups(user)
    return GroupReportChoiceForm(groups=groups) if groups.exists() else None


class GroupReportChoiceView(LoginRequiredMixin, View):
    """From the reports page: the chosen kind of group report, on the chosen group, at its own
    request page, or its new edition's page for "Write an edition" (both ask the rules again);
    a bad choice goes back to the reports page."""

    def get(self, request):
        form = GroupReportChoiceForm(request.GET, groups=_requestable_groups(request.user))
        if not form.is_valid():
            messages.error(request, "Choose a kind of report and one of your groups.")
            return redirect("reports:report_list")
        group = form.cleaned_data["group"]
        page = "reports:edition_create" if request.GET.get("edition") else "reports:report_request"
        return redirect(page, kind=form.cleaned_data["kind"], pk=group.pk)


urlpatterns = [
    path("reports/", ReportRequestListView.as_view(), name="report_list"),
    path(
        "reports/request/<str:kind>/<int:pk>/",
        ReportRequestCreateView.as_view(),
        name="report_request",
    ),
    path("reports/request/group/", GroupReportChoiceView.as_view(), name="report_request_group"),
    path("reports/<int:pk>/", ReportRequestDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/status/", ReportRequestStatusView.as_view(), name="report_status"),
    path("reports/<int:pk>/download/", ReportDownloadView.as_view(), name="report_download"),
    path(
        "reports/<int:pk>/download/docx/",
        ReportDownloadView.as_view(file_field="docx_file"),
        name="report_download_docx",
    ),
    path("reports/<int:pk>/delete/", ReportRequestDeleteView.as_view(), name="report_delete"),
]
