"""Report requests: saving them, handing them to the workers, rendering and recovering them.

A request is rendered exactly once however often its task is delivered. A delivery first claims
the request with one conditional UPDATE (queued, or rendering under an expired lease), which
gives it a fresh lease token; every later write, and above all the final one that makes the
request ready, is conditional on that token. A delivery that finds the request held by a live
lease comes back when the lease runs out, unless the holder was a process of this machine that
no longer exists (a worker's child killed mid-render): then it takes over at once. One that has
lost its lease stops and removes its temporary files. The PDF and its Word copy are each
written under a temporary name beside their final ones and moved into place, under the row's
lock, before the request is marked ready, so nobody ever reads half a file and a ready request
has both.
"""

import datetime as dt
import hashlib
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from car_programme.exceptions import DomainError
from car_programme.files import report_upload_to
from car_programme.links import check_same_programme
from car_programme.services import delete_file_on_commit
from car_programme.words import with_article
from reports.documents import DocumentError, build_document, parse_options
from reports.enums import ProgressStep, ReportKind, ReportStatus
from reports.kinds import KINDS, SUBJECT_FIELDS
from reports.models import ReportRequest

logger = logging.getLogger(__name__)

# A request younger than this may still be on its way to the broker (its on-commit hook has not
# run yet), so the sweeper leaves it alone.
PUBLISH_GRACE = dt.timedelta(seconds=30)
TEMPORARY_SUFFIX = ".part"
# The render task's name (reports/tasks.py): the services publish it by name, so that they
# need not import the tasks that call them.
RENDER_TASK = "reports.tasks.render_report"


class LeaseLost(Exception):
    """Another delivery holds the request now; this one must stop without writing."""


class TransientRenderError(Exception):
    """The database or the storage failed for a moment; the render is worth retrying."""


@dataclass(frozen=True)
class HeldElsewhere(Exception):
    """A live lease of another delivery holds the request for ``seconds`` more."""

    seconds: float


# --- Requesting -------------------------------------------------------------------------------


def check_target(kind, programme, site, group, event) -> None:
    subject = {"site": site, "group": group, "event": event}
    expected = KINDS[kind].target.field
    label = with_article(ReportKind(kind).label.lower()).capitalize()
    for name in SUBJECT_FIELDS:
        if name == expected and subject[name] is None:
            raise ValidationError(f"{label} needs {with_article(name)}.")
        if name != expected and subject[name] is not None:
            raise ValidationError(f"{label} is not about {with_article(name)}.")
    check_same_programme(programme, **subject)


def _next_version(*, programme, kind, site, group, event) -> int:
    latest = ReportRequest.objects.filter(
        programme=programme, kind=kind, site=site, group=group, event=event
    ).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


def request_report(
    *,
    requested_by,
    kind,
    programme,
    site=None,
    group=None,
    event=None,
    options: dict,
    edition=None,
    text: dict | None = None,
) -> ReportRequest:
    """Save a queued request as the next version of its report; publish it once committed.

    A version of an edition carries the edition's ``text`` as it stands now
    (reports.editions.edition_render)."""
    check_target(kind, programme, site, group, event)
    if edition is not None and edition.programme_id != programme.pk:
        raise DomainError(
            f"{edition} belongs to another programme: choose an edition of {programme}."
        )
    try:
        parse_options(kind, options)
    except DocumentError as error:
        raise ValidationError(str(error)) from error
    # Two people asking at once compute the same version; the unique constraint refuses one,
    # which then takes the next number.
    for attempt in range(3):
        try:
            with transaction.atomic():
                report_request = ReportRequest.objects.create(
                    programme=programme,
                    kind=kind,
                    site=site,
                    group=group,
                    event=event,
                    options=options,
                    edition=edition,
                    text=text or {},
                    requested_by=requested_by,
                    version=_next_version(
                        programme=programme, kind=kind, site=site, group=group, event=event
                    ),
                )
            break
        except IntegrityError:
            if attempt == 2:
                raise
    transaction.on_commit(partial(enqueue, report_request.pk))
    return report_request


def enqueue(report_request_id: int) -> bool:
    """Hand the render to the broker; False (logged) when the broker cannot be reached."""
    try:
        # Without a broker (eager tasks), the signature finds the task registered at start-up
        # (reports/apps.py) and runs it in-process.
        current_app.signature(RENDER_TASK, args=(report_request_id,)).apply_async()
    except (BrokerError, OSError) as error:
        logger.warning(
            "Report request %s stays queued: the broker is unreachable (%s)",
            report_request_id,
            error,
        )
        return False
    ReportRequest.objects.filter(pk=report_request_id).update(enqueued_at=timezone.now())
    return True


# --- Rendering --------------------------------------------------------------------------------


def _new_token() -> str:
    # Names the process that holds the lease, so a delivery on the same machine can tell that
    # the holder died (a worker's child killed mid-render) without waiting for the lease.
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"


def _holder_is_dead(token: str) -> bool:
    host, _, rest = token.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _claim(report_request_id: int) -> str | None:
    """Take the request for this delivery; its lease token, or None when there is nothing to do.

    Raises HeldElsewhere while another delivery's lease runs.
    """
    now = timezone.now()
    token = _new_token()
    claimable = Q(status=ReportStatus.QUEUED) | Q(
        status=ReportStatus.RENDERING, lease_expires_at__lt=now
    )
    claim = {
        "status": ReportStatus.RENDERING,
        "lease_token": token,
        "lease_expires_at": now + dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS),
        "attempts": F("attempts") + 1,
        "started_at": now,
        "progress_step": "",
        "error": "",
    }
    within_attempts = Q(pk=report_request_id, attempts__lt=settings.REPORTS_MAX_ATTEMPTS)
    if ReportRequest.objects.filter(claimable, within_attempts).update(**claim):
        return token
    row = (
        ReportRequest.objects.filter(pk=report_request_id)
        .values("status", "lease_expires_at", "lease_token", "attempts")
        .first()
    )
    if row is None or row["status"] in (ReportStatus.READY, ReportStatus.FAILED):
        return None
    if row["status"] == ReportStatus.RENDERING and row["lease_expires_at"] > now:
        held = ReportRequest.objects.filter(
            within_attempts, status=ReportStatus.RENDERING, lease_token=row["lease_token"]
        )
        if _holder_is_dead(row["lease_token"]) and held.update(**claim):
            return token
        raise HeldElsewhere((row["lease_expires_at"] - now).total_seconds())
    # Claimable but out of attempts: every earlier render died (time limit, lost worker).
    ReportRequest.objects.filter(claimable, pk=report_request_id).update(
        status=ReportStatus.FAILED,
        finished_at=now,
        lease_token="",
        lease_expires_at=None,
        error=(
            f"The report was started {row['attempts']} times and never finished: it may be too "
            "large to lay out within the time limit. Choose a shorter date range or fewer "
            "sections, then request it again."
        ),
    )
    return None


def _holding(report_request_id: int, token: str):
    return ReportRequest.objects.filter(
        pk=report_request_id, lease_token=token, status=ReportStatus.RENDERING
    )


def _record_step(report_request_id: int, token: str, step: ProgressStep) -> None:
    if not _holding(report_request_id, token).update(progress_step=step):
        raise LeaseLost


def _fail(report_request_id: int, token: str, reason: str) -> None:
    now = timezone.now()
    _holding(report_request_id, token).update(
        status=ReportStatus.FAILED,
        error=reason,
        finished_at=now,
        lease_token="",
        lease_expires_at=None,
    )


def _release(report_request_id: int, token: str) -> None:
    """Give the request back to the queue for a retry; harmless when the database is down.

    An attempt that ended this way did not die, so it does not count towards the limit.
    """
    try:
        _holding(report_request_id, token).update(
            status=ReportStatus.QUEUED,
            progress_step="",
            lease_token="",
            lease_expires_at=None,
            attempts=F("attempts") - 1,
        )
    except (OperationalError, InterfaceError):
        logger.warning("Could not release report request %s; its lease will expire", token)


def _temporary_beside(final: Path, token: str) -> Path:
    return final.with_name(f".{final.stem}.{token.rsplit(':', 1)[-1]}{TEMPORARY_SUFFIX}")


def _write_synced(path: Path, content: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _store(report_request_id: int, token: str, report_request, document, pdf, docx) -> None:
    """Write the PDF and its Word copy beside their final names, then move both into place and
    mark the request ready with what the files hold, all under the row's lock and only while
    this delivery holds the lease: a request is ready with both files or with neither."""
    names = {
        "file": report_upload_to(report_request, "report.pdf"),
        "docx_file": report_upload_to(report_request, "report.docx"),
    }
    contents = {"file": pdf.bytes, "docx_file": docx}
    written: list[tuple[Path, Path]] = []
    moved: list[Path] = []
    try:
        for field, name in names.items():
            final = Path(default_storage.path(name))
            final.parent.mkdir(parents=True, exist_ok=True)
            written.append((_temporary_beside(final, token), final))
            _write_synced(written[-1][0], contents[field])
        with transaction.atomic():
            if not _holding(report_request_id, token).select_for_update().exists():
                raise LeaseLost
            for temporary, final in written:
                os.replace(temporary, final)
                moved.append(final)
            _holding(report_request_id, token).update(
                status=ReportStatus.READY,
                progress_step="",
                file=names["file"],
                pages=pdf.pages,
                size_bytes=len(pdf.bytes),
                checksum=hashlib.sha256(pdf.bytes).hexdigest(),
                docx_file=names["docx_file"],
                docx_size_bytes=len(docx),
                docx_checksum=hashlib.sha256(docx).hexdigest(),
                holds_comments=document.holds_comments,
                finished_at=timezone.now(),
                lease_token="",
                lease_expires_at=None,
            )
            report_request.named_people.set(document.named_people)
    except BaseException:
        for temporary, final in written:
            (final if final in moved else temporary).unlink(missing_ok=True)
        raise


def render(report_request_id: int) -> None:
    """Render one request if this delivery can claim it.

    Raises HeldElsewhere (come back later) and TransientRenderError (retry); every other
    failure marks the request failed with a reason a person can act on.
    """
    try:
        token = _claim(report_request_id)
    except (OperationalError, InterfaceError) as error:
        raise TransientRenderError(f"The database could not be reached ({error}).") from error
    if token is None:
        return
    # WeasyPrint takes a second or two to import: only a render needs it, not every process
    # that starts Django (the web server, manage.py, a worker that has nothing to render).
    from reports.rendering import render_pdf
    from reports.word import render_docx

    on_step = partial(_record_step, report_request_id, token)
    try:
        report_request = ReportRequest.objects.select_related("programme").get(pk=report_request_id)
        document = build_document(report_request, on_step=on_step)
        on_step(ProgressStep.LAYOUT)
        html = render_to_string(document.template_name, document.context)
        pdf = render_pdf(html)
        # The Word copy is converted from the same page, so it holds what the PDF holds.
        _store(report_request_id, token, report_request, document, pdf, render_docx(html))
    except LeaseLost:
        logger.info("Report request %s: another delivery took it over", report_request_id)
    except (OperationalError, InterfaceError) as error:
        _release(report_request_id, token)
        raise TransientRenderError(f"The database could not be reached ({error}).") from error
    except OSError as error:
        _release(report_request_id, token)
        raise TransientRenderError(
            f"The report could not be stored ({error.strerror or error})."
        ) from error
    except DocumentError as error:
        _fail(report_request_id, token, str(error))
    except SoftTimeLimitExceeded:
        _fail(
            report_request_id,
            token,
            f"The report took longer than {settings.REPORTS_SOFT_TIME_LIMIT} seconds to lay "
            "out and was stopped. Choose a shorter date range or fewer sections, then request "
            "it again.",
        )
    except Exception as error:
        logger.exception("Report request %s failed", report_request_id)
        _fail(
            report_request_id,
            token,
            f"The report could not be produced because of an internal error "
            f"({type(error).__name__}). Request it again; if it fails again, tell the "
            "programme's administrator.",
        )


def give_up(report_request_id: int, reason: str) -> None:
    """Fail a request whose transient failure could not be retried away."""
    ReportRequest.objects.filter(
        pk=report_request_id, status__in=[ReportStatus.QUEUED, ReportStatus.RENDERING]
    ).update(
        status=ReportStatus.FAILED,
        error=f"{reason} Request the report again later.",
        finished_at=timezone.now(),
        lease_token="",
        lease_expires_at=None,
    )


# --- Recovering -------------------------------------------------------------------------------


def _remove_abandoned_files(older_than: dt.datetime) -> None:
    """Temporary files of renders that died between writing and moving them."""
    folder = Path(default_storage.path("reports"))
    if not folder.is_dir():
        return
    cutoff = older_than.timestamp()
    for path in folder.glob(f".*{TEMPORARY_SUFFIX}"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def sweep(now: dt.datetime | None = None) -> int:
    """Publish again the requests nobody is working on; the number handed to the broker.

    Those are: requests never handed to the broker (it was down), requests handed to it long
    ago and never started (their message was lost), and renders whose lease expired (their
    worker died as a whole, so the broker may not hand the message back for hours).
    """
    now = now or timezone.now()
    expired = ReportRequest.objects.filter(status=ReportStatus.RENDERING, lease_expires_at__lt=now)
    requeued = [
        pk
        for pk in expired.values_list("pk", flat=True)
        if expired.filter(pk=pk).update(
            status=ReportStatus.QUEUED, progress_step="", lease_token="", lease_expires_at=None
        )
    ]
    stranded = ReportRequest.objects.filter(status=ReportStatus.QUEUED).filter(
        Q(enqueued_at__isnull=True, requested_at__lt=now - PUBLISH_GRACE)
        | Q(enqueued_at__lt=now - dt.timedelta(seconds=settings.REPORTS_REQUEUE_AFTER))
    )
    pks = requeued + [
        pk
        for pk in stranded.order_by("requested_at").values_list("pk", flat=True)
        if pk not in requeued
    ]
    published = 0
    for pk in pks:
        if not enqueue(pk):
            break
        published += 1
    _remove_abandoned_files(now - dt.timedelta(seconds=settings.REPORTS_LEASE_SECONDS))
    return published


def report_delete(*, report_request: ReportRequest) -> None:
    """Delete a settled request, and its PDF and Word copy once the deletion is committed."""
    if report_request.status in (ReportStatus.QUEUED, ReportStatus.RENDERING):
        # A worker may be writing its files: deleting now could leave an orphan behind.
        raise DomainError("A report can be deleted once it is ready or has failed.")
    files = (report_request.file, report_request.docx_file)
    with transaction.atomic():
        report_request.delete()
        for file in files:
            delete_file_on_commit(file)
