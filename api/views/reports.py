"""Report requests, as the reports pages request, follow and download them."""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.rules import permitted
from api.serializers.reports import ReportRequestCreateSerializer, ReportRequestSerializer
from api.viewsets import RecordViewSet, ServiceDestroyMixin
from reports.filters import ReportRequestFilter
from reports.forms import ReportRequestForm
from reports.kinds import KINDS
from reports.models import ReportRequest
from reports.services import report_delete, request_report


class ReportRequestViewSet(ServiceDestroyMixin, RecordViewSet):
    """The reports you may read, newest first, every version of each. ``POST`` requests one
    (as its request page does: its target is found among those you may read, then asked
    who may request this kind of report on it, 404 otherwise) and answers at once, queued: a
    worker renders it, and its ``status`` says when it is ready to download. The programme's
    managers delete a version once it is ready or has failed."""

    serializer_class = ReportRequestSerializer
    view_permission = "reports.view_reportrequest"
    write_permissions = {
        # The rule of the kind's target (``reports.request_<target>_report``), asked in
        # ``create`` once the kind is known.
        "create": "reports.request_<target>_report",
        "destroy": "reports.delete_reportrequest",
    }
    filterset_class = ReportRequestFilter
    filter_choices = {"programmes": "sites.view_programme"}
    ordering_fields = {"id": "pk", "requested_at": "requested_at", "version": "version"}

    def records(self):
        downloadable = permitted(self.request.user, "reports.download_reportrequest").filter(
            pk=OuterRef("pk")
        )
        return (
            ReportRequest.objects.select_related("programme")
            .annotate(downloadable=Exists(downloadable))
            .order_by("-requested_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return ReportRequestCreateSerializer
        return ReportRequestSerializer

    @extend_schema(responses={201: ReportRequestSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target_of = KINDS[data["kind"]].target
        targets = permitted(request.user, target_of.view_permission, target_of.model.objects)
        target = targets.filter(pk=data["target"]).first()
        if target is None:
            raise ValidationError({"target": f"There is no {target_of.name} {data['target']}."})
        self.require(target_of.request_permission, target)
        report = request_report(
            requested_by=request.user,
            kind=data["kind"],
            programme=target_of.programme_of(target),
            options=self._options(data, target),
            **target_of.subject(target),
        )
        shown = self.get_queryset().get(pk=report.pk)
        answer = ReportRequestSerializer(shown, context=self.get_serializer_context())
        return Response(answer.data, status=status.HTTP_201_CREATED)

    def _options(self, data: dict, target) -> dict:
        """The options as the request page's form checks and shapes them (its sections, its
        date range within the programme's): the same words for the same mistakes, and names
        only for those who may see them, whatever ``anonymise`` says."""
        spec = KINDS[data["kind"]]
        fields = {
            "anonymise": data["anonymise"],
            "start": data.get("start") or "",
            "end": data.get("end") or "",
            "sections": data.get("sections", [slug for slug, _label in spec.sections]),
        }
        form = ReportRequestForm(
            {name: value for name, value in fields.items() if value not in (False, "")},
            kind=spec.kind,
            may_name_people=self.request.user.has_perm(spec.target.name_people_permission, target),
            programme=spec.target.programme_of(target),
        )
        if not form.is_valid():
            raise ValidationError(
                {field: [str(error) for error in errors] for field, errors in form.errors.items()}
            )
        return form.options

    def delete_record(self, record):
        report_delete(report_request=record)
