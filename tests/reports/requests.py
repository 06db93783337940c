"""Report requests as the pages see them: who may read one, and requests in any state."""

import hashlib

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from reports.enums import ReportKind, ReportStatus
from reports.models import ReportRequest
from tests.cast import PAGE_ROLES

# The programme's roles, a manager of another programme, and nobody signed in.
ROLES = [*PAGE_ROLES[:-1], "other_manager", "anonymous"]

# Who reads a Fife group's report: its status page, panel and file.
VIEW_OUTCOMES = {
    "manager": "shown",
    "fife_researcher": "shown",
    "glasgow_researcher": "shown",
    "fife_lead": "shown",
    "glasgow_lead": "not found",
    "other_manager": "not found",
    "anonymous": "sign in",
}


def report_on(group, *, status=ReportStatus.QUEUED, version=1, pdf=None, docx=None, **fields):
    """A request for the group's learning report, in ``status``; a ready one has ``pdf``, and
    ``docx`` as its Word copy when given."""
    report = ReportRequest(
        programme=group.programme,
        kind=ReportKind.GROUP_LEARNING,
        group=group,
        version=version,
        status=status,
        options={"anonymise": True, "start": None, "end": None, "sections": []},
        **fields,
    )
    if status == ReportStatus.READY:
        report.file.save("report.pdf", ContentFile(pdf), save=False)
        report.pages = 1
        report.size_bytes = len(pdf)
        report.checksum = hashlib.sha256(pdf).hexdigest()
        if docx is not None:
            report.docx_file.save("report.docx", ContentFile(docx), save=False)
            report.docx_size_bytes = len(docx)
            report.docx_checksum = hashlib.sha256(docx).hexdigest()
        report.started_at = report.finished_at = timezone.now()
    report.save()
    return report


# The members section of a report whose people are anonymised.
ANONYMISED = {"anonymise": "on", "sections": ["members"]}


def render_group_report(client, cast, data, capture_on_commit):
    """Request the Fife group's learning report with ``data`` and render it in-process."""
    with capture_on_commit(execute=True):
        client.post(reverse("reports:report_request", args=["group_learning", cast.group.pk]), data)
    return ReportRequest.objects.get()
