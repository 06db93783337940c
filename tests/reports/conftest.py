import datetime as dt
import os
import subprocess

import pytest
from django.db import connection

from accounts.enums import RoleKind
from events.enums import EventKind, QuestionKind
from evidence.enums import Authorship, EvidenceOrder, OutputForm
from inquiries.enums import ActivityKind
from inquiries.models import ResearchQuestion
from reports.rendering import render_pdf
from reports.word import render_docx
from tests import factories
from tests.factories.events import EventFactory
from tests.workers import Worker, database_url, worker_command

# Shorter than production's, the lease still longer than the hard limit: a render lost by a
# worker's test is taken over within seconds.
WORKER_LIMITS = {
    "REPORTS_SOFT_TIME_LIMIT": "40",
    "REPORTS_HARD_TIME_LIMIT": "45",
    "REPORTS_LEASE_SECONDS": "50",
}


@pytest.fixture(scope="module")
def pdf_bytes():
    return render_pdf("<html><body><h1>Fife Welfare PIT</h1></body></html>").bytes


@pytest.fixture(scope="module")
def docx_bytes():
    return render_docx("<html><body><h1>Fife Welfare PIT</h1></body></html>")


@pytest.fixture
def event(cast):
    event = EventFactory(programme=cast.programme, title="Fife learning day")
    event.sites.set([cast.fife])
    return event


@pytest.fixture
def world(db):
    """Two sites, a group with a consenting and a private member, and a bit of everything."""
    site = factories.CaseSiteFactory(name="Northshire")
    programme = site.programme
    other = factories.CaseSiteFactory(programme=programme, name="Southvale")
    group, named, private = factories.group_named_and_private(site, name="Kinship carers inquiry")
    ResearchQuestion.objects.create(group=group, text="How do kinship carers find support?")
    for day in (dt.date(2015, 9, 1), dt.date(2016, 3, 1)):
        meeting = factories.ActivityFactory(programme=programme, group=group, date=day)
        meeting.attendance.create(person=private)
    factories.ActivityFactory(
        programme=programme, group=None, site=site, kind=ActivityKind.EMAIL, count=41
    )
    project = factories.ProposedProjectFactory(site=site, title="A carers' hub")
    group.proposed_projects.add(project)
    factories.ProposedProjectFactory(site=other, title="A youth panel")
    evidence = factories.EvidenceItemFactory(
        programme=programme,
        group=group,
        title="Carers' survey",
        order=EvidenceOrder.FIRST,
        authorship=Authorship.PRACTITIONER,
    )
    output = factories.OutputFactory(
        programme=programme, title="Carers' briefing", form=OutputForm.FORMAL
    )
    output.groups.add(group)
    change = factories.ChangeFactory(
        programme=programme, group=group, title="Carers' clinic opened"
    )
    change.evidence.add(evidence)
    retreat = factories.EventFactory(
        programme=programme, title="Spring retreat", kind=EventKind.NATIONAL_RETREAT
    )
    retreat.attendees.add(named, private)
    factories.AttendanceCountFactory(event=retreat, count=27, approximate=True)
    statement = factories.FeedbackQuestionFactory(
        form__event=retreat, text="I learnt a lot", published_share_min=75, published_share_max=85
    )
    comment = factories.FeedbackQuestionFactory(
        form=statement.form, text="What would you change?", kind=QuestionKind.FREE_TEXT
    )
    factories.FeedbackAnswerFactory(
        response=factories.FeedbackResponseFactory(form=statement.form),
        question=comment,
        score=None,
        text="More time for reflection",
    )
    manager = factories.RoleFactory(
        programme=programme, site=None, role=RoleKind.PROGRAMME_MANAGER
    ).user
    return {"programme": programme, "site": site, "group": group, "event": retreat, "by": manager}


@pytest.fixture
def start_worker(transactional_db, tmp_path, settings):
    """Starts workers on the test database; every one is killed before the database is reset.

    ``start(broker_url, **env)`` adds ``env`` to the worker's environment.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("A worker process cannot open the test's in-memory SQLite: set DATABASE_URL.")
    started = []

    def start(broker_url: str, **env: str) -> Worker:
        number = len(started) + 1
        log = tmp_path / f"worker-{number}.log"
        environment = {
            **os.environ,
            **WORKER_LIMITS,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **env,
        }
        with open(log, "wb") as output:
            process = subprocess.Popen(
                worker_command(f"pipeline-test-{number}"),
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()
        # Shown with a failing test's output.
        print(f"--- {worker.log.name} ---\n{worker.log.read_text()[-4000:]}")
