import datetime as dt

import pytest

from accounts.enums import RoleKind
from events.enums import EventKind, QuestionKind
from evidence.enums import Authorship, EvidenceOrder, OutputForm
from inquiries.enums import ActivityKind
from inquiries.models import ResearchQuestion
from reports.rendering import render_pdf
from reports.word import render_docx
from tests import factories
from tests.factories.events import EventFactory


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
