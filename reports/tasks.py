"""Celery tasks of the reports: thin wrappers that turn service outcomes into retries.

Each task has an explicit name, which the broker's messages, the routing (CELERY_TASK_ROUTES)
and the beat schedule use; the services publish the render by that name.
"""

from celery import shared_task
from celery.signals import worker_init
from django.conf import settings

from reports import services

# Seconds before the first retry after a transient failure; doubled each time, capped.
RETRY_BASE = 5
RETRY_CAP = 300


@worker_init.connect
def _import_the_renderer(**kwargs) -> None:
    """A worker renders: WeasyPrint is imported once, before the pool forks its processes,
    rather than by each process on its first render (the services import it lazily)."""
    import reports.rendering  # noqa: F401


@shared_task(
    name=services.RENDER_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=6,
    soft_time_limit=settings.REPORTS_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_HARD_TIME_LIMIT,
)
def render_report(self, report_request_id: int) -> None:
    try:
        services.render(report_request_id)
    except services.HeldElsewhere as held:
        if self.request.is_eager:
            return  # in-process, the holder is a live request of this site: it will finish
        # Another delivery is rendering it: look again once its lease has run out, in case
        # that delivery died without anyone noticing.
        raise self.retry(countdown=held.seconds + 1) from None
    except services.TransientRenderError as error:
        # In-process (eager) runs cannot wait and retry later, so they give up at once.
        if self.request.is_eager or self.request.retries >= self.max_retries:
            services.give_up(report_request_id, str(error))
            return
        countdown = min(RETRY_CAP, RETRY_BASE * 2**self.request.retries)
        raise self.retry(exc=error, countdown=countdown) from None


# Named in the beat schedule (CELERY_BEAT_SCHEDULE).
@shared_task(name="reports.tasks.sweep_reports")
def sweep_reports() -> int:
    return services.sweep()
