"""Every write moves its programme's records versions on, once, by itself.

Nothing else moves it (no model signal does): every public function of every app's services
(a ``services.py``, or each module of a ``services`` package) and of the other modules that
write records (a package's modules likewise) is either a marked write (``records_write``) or
listed below as writing none, with the reason; and each marked write, called, moves its own
programme's versions on: each of those it moves by exactly one.
"""

import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

from car_programme import privacy
from events.enums import EventKind, QuestionKind
from events.services import HeadCount
from evidence.enums import OutputStatus
from inquiries.enums import (
    BACKSTAGE_KINDS,
    ActivityKind,
    ConsentMethod,
    ConsentUse,
    ContactDirection,
    GroupFigureKind,
    GroupStatus,
    LeaveReason,
    MembershipRole,
    ResearcherRole,
)
from sites.models import Programme
from tests.factories.events import EventFactory, FeedbackFormFactory, FeedbackQuestionFactory
from tests.factories.evidence import ChangeFactory, EvidenceItemFactory, OutputFactory
from tests.factories.inquiries import (
    ActivityFactory,
    CycleFactory,
    GroupFigureFactory,
    InquiryGroupFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.factories.sites import (
    CaseSiteFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProposedProjectFactory,
    ThemeFactory,
)
from tests.reports.versions import moved, versions

pytestmark = pytest.mark.django_db

# Modules that write records besides the apps' ``services.py``.
OTHER_WRITERS = (
    "car_programme.privacy",
    "inquiries.imports",
    "programme_data.loading",
    "programme_data.synthetic",
)
# Modules none of whose functions writes a record that a figure counts, and why.
WRITE_NO_RECORDS = {
    "accounts.services": "users, roles and invitations, which no figure counts",
    "car_programme.services": "helpers of the services, which write only inside a service",
    "reports.services": "report requests and their files, which no figure counts",
}
GENERATION_STEP = "a step of generate_programme, which moves the version"
# Public functions of those modules that write no record, and why.
WRITE_NOTHING = {
    "events.services.feedback_form_accepts": "a question asked of an open form",
    "car_programme.privacy.person_export": "reads the person's records",
    "inquiries.imports.read_table": "parses an uploaded file",
    "inquiries.imports.people_import_preview": "checks the rows of a file before the import",
    "inquiries.imports.attendance_import_preview": "checks the rows of a file before the import",
    "inquiries.imports.import_template": "writes the CSV file of an import's columns",
    "programme_data.loading.base.upsert": "a step of programme_load, which moves the version",
    "programme_data.loading.base.source_date": "reads a date",
    "programme_data.loading.base.coarsest": "compares date precisions",
    "programme_data.loading.base.published_values": "reads a published figure",
    "programme_data.loading.base.home_site_key": "names a site",
    "programme_data.loading.members.plan_members": "plans the seats of the member counts",
    "programme_data.loading.description_read": "reads and checks a programme description",
    "programme_data.loading.schema.checked_description": "reads and checks a description",
    "programme_data.loading.schema.record": "declares a section of the schema",
    "programme_data.loading.schema.items": "declares a list of the schema",
    "programme_data.loading.schema.choice": "declares a vocabulary of the schema",
    "programme_data.loading.schema.required": "declares a required key of the schema",
    "programme_data.loading.schema.citation_pattern": "finds an edition's citations",
    "programme_data.synthetic.base.pick": "draws a random value",
    "programme_data.synthetic.base.day_between": "draws a random date",
    "programme_data.synthetic.base.invented_word": "draws a random word",
    "programme_data.synthetic.base.invented_name": "draws a random name",
    "programme_data.synthetic.sites.site_names": "draws random names",
    "programme_data.synthetic.generate.programme_slug": "names a programme",
    "programme_data.synthetic.deletion.programme_delete": (
        "deletes a whole programme, version and all"
    ),
    "programme_data.synthetic.sites.national_organisations": GENERATION_STEP,
    "programme_data.synthetic.events.programme_events": GENERATION_STEP,
    "programme_data.synthetic.feedback.feedback_forms": GENERATION_STEP,
    "programme_data.synthetic.feedback.date_feedback_responses": GENERATION_STEP,
}
# Marked writes whose call is checked with their own tests: each writes a whole programme.
CALLED_ELSEWHERE = {
    # A new programme has no version to move on before it exists.
    "sites.services.programme_create": "tests/sites/test_setup_services.py",
    "programme_data.loading.programme_load": "tests/programme_data/test_load_demo.py",
    "programme_data.synthetic.generate.generate_programme": (
        "tests/programme_data/test_generate_synthetic.py"
    ),
}
D = dt.date(2016, 3, 1)


def with_submodules(module):
    """``module``, and every module below it when it is a package."""
    yield module
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), f"{module.__name__}."):
        yield importlib.import_module(info.name)


def writer_modules():
    root = Path(settings.BASE_DIR)
    apps = {path.parent.name for path in root.glob("*/services.py")}
    apps |= {path.parent.parent.name for path in root.glob("*/services/__init__.py")}
    names = [f"{app}.services" for app in sorted(apps)] + list(OTHER_WRITERS)
    return [
        found
        for name in names
        if name not in WRITE_NO_RECORDS
        for found in with_submodules(importlib.import_module(name))
    ]


def public_functions():
    for module in writer_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{module.__name__}.{name}", function


def write_services():
    for path, function in public_functions():
        if path not in WRITE_NOTHING and path not in CALLED_ELSEWHERE:
            yield path.rpartition(".")[2], function


def test_every_public_function_of_a_writer_moves_the_version_or_writes_nothing():
    unmarked = [
        path
        for path, function in public_functions()
        if path not in WRITE_NOTHING and not getattr(function, "moves_records_version", False)
    ]
    assert unmarked == []


def test_the_lists_of_functions_that_write_nothing_name_real_functions():
    paths = {path for path, _ in public_functions()}
    assert set(WRITE_NOTHING) | set(CALLED_ELSEWHERE) <= paths


@pytest.fixture
def world():
    site = CaseSiteFactory(name="Fife")
    programme = site.programme
    group = InquiryGroupFactory(programme=programme, name="Welfare PIT")
    group.sites.set([site])
    person = PersonFactory(programme=programme, site=site)
    event = EventFactory(programme=programme)
    form = FeedbackFormFactory(event=event)
    return SimpleNamespace(
        programme=programme,
        other=ProgrammeFactory(),
        site=site,
        group=group,
        person=person,
        event=event,
        form=form,
        question=FeedbackQuestionFactory(form=form, kind=QuestionKind.LIKERT, text="Useful"),
    )


def archived(programme):
    Programme.objects.filter(pk=programme.pk).update(archived_at=timezone.now())
    programme.refresh_from_db()
    return programme


def first_of_two(factory, **fields):
    """The first of two records of one list in order (themes of a framework, Table B)."""
    first = factory(**fields, position=1)
    factory(**fields, position=2)
    return first


# The arguments of one call of each write service, built on ``world`` (w).
CALLS = {
    "programme_update": lambda w: {"programme": w.programme, "by": None, "description": "New"},
    "programme_archive": lambda w: {"programme": w.programme, "by": None},
    "programme_restore": lambda w: {"programme": archived(w.programme), "by": None},
    "site_create": lambda w: {"programme": w.programme, "by": None, "name": "Glasgow"},
    "proposed_project_move": lambda w: {
        "project": first_of_two(ProposedProjectFactory, site=w.site),
        "up": False,
        "by": None,
    },
    "theme_create": lambda w: {
        "programme": w.programme,
        "framework": "Christie pillars",
        "by": None,
        "name": "Prevention",
    },
    "framework_create": lambda w: {
        "programme": w.programme,
        "framework": "Key messages",
        "themes": ["Place"],
        "by": None,
    },
    "framework_rename": lambda w: {
        "programme": w.programme,
        "framework": ThemeFactory(programme=w.programme).framework,
        "new_name": "Pillars",
        "by": None,
    },
    "theme_update": lambda w: {
        "theme": ThemeFactory(programme=w.programme),
        "by": None,
        "name": "Renamed",
    },
    "theme_move": lambda w: {
        "theme": first_of_two(ThemeFactory, programme=w.programme),
        "up": False,
        "by": None,
    },
    "theme_delete": lambda w: {"theme": ThemeFactory(programme=w.programme), "by": None},
    "site_update": lambda w: {"site": w.site, "by": None, "population": 5000},
    "proposed_project_create": lambda w: {"site": w.site, "by": None, "title": "Housing"},
    "proposed_project_update": lambda w: {
        "project": ProposedProjectFactory(site=w.site),
        "by": None,
        "title": "Renamed",
    },
    "proposed_project_delete": lambda w: {
        "project": ProposedProjectFactory(site=w.site),
        "by": None,
    },
    "organisation_create": lambda w: {
        "programme": w.programme,
        "sites": [w.site],
        "by": None,
        "name": "Fife Council",
    },
    "organisation_update": lambda w: {
        "organisation": OrganisationFactory(programme=w.programme),
        "sites": [w.site],
        "by": None,
        "name": "Renamed council",
    },
    "organisation_delete": lambda w: {
        "organisation": OrganisationFactory(programme=w.programme),
        "by": None,
    },
    "membership_add": lambda w: {
        "group": w.group,
        "person": w.person,
        "role": MembershipRole.CORE,
        "joined_on": D,
    },
    "membership_end": lambda w: {
        "membership": MembershipFactory(group=w.group),
        "left_on": D,
        "reason": LeaveReason.CAPACITY,
    },
    "membership_change_role": lambda w: {
        "membership": MembershipFactory(group=w.group),
        "role": MembershipRole.PERIPHERY,
        "as_of": D,
    },
    "group_status_change": lambda w: {"group": w.group, "status": GroupStatus.ACTIVE, "on": D},
    "person_create": lambda w: {"programme": w.programme, "name": "Ann Example"},
    "person_update": lambda w: {"person": w.person, "job_title": "Analyst"},
    "person_delete": lambda w: {"person": PersonFactory(programme=w.programme)},
    "membership_add_new_person": lambda w: {
        "group": w.group,
        "name": "Ann Example",
        "role": MembershipRole.CORE,
        "joined_on": D,
    },
    "activity_log": lambda w: {
        "group": w.group,
        "kind": ActivityKind.GROUP_MEETING,
        "date": D,
        "researcher_roles": [ResearcherRole.MEETING_FACILITATION],
    },
    # Only the researcher roles, written by bulk_create: the case the signals missed.
    "activity_update": lambda w: {
        "activity": ActivityFactory(programme=w.programme, group=w.group),
        "researcher_roles": [ResearcherRole.MEETING_FACILITATION],
    },
    "activity_delete": lambda w: {
        "activity": ActivityFactory(programme=w.programme, group=w.group)
    },
    "tally_record": lambda w: {
        "site": w.site,
        "kind": next(iter(BACKSTAGE_KINDS)),
        "direction": ContactDirection.choices[0][0],
        "count": 3,
        "week_start": D,
    },
    "group_create": lambda w: {"sites": [w.site], "name": "New inquiry"},
    "group_update": lambda w: {
        "group": w.group,
        "sites": [w.site],
        "name": w.group.name,
        "topic": "Sanctions",
    },
    "group_delete": lambda w: {"group": InquiryGroupFactory(programme=w.programme)},
    "group_figure_record": lambda w: {
        "group": w.group,
        "kind": GroupFigureKind.MEETINGS,
        "value": 4,
        "source": "000:1367",
    },
    "group_figure_update": lambda w: {"figure": GroupFigureFactory(group=w.group), "value": 30},
    "group_figure_delete": lambda w: {"figure": GroupFigureFactory(group=w.group)},
    "research_question_adopt": lambda w: {"group": w.group, "text": "Why?", "adopted_on": D},
    "cycle_create": lambda w: {"group": w.group, "number": 7},
    "cycle_update": lambda w: {"cycle": CycleFactory(group=w.group), "number": 8},
    "evidence_create": lambda w: {
        "programme": w.programme,
        "sites": [w.site],
        "by": None,
        "title": "Survey",
    },
    "evidence_update": lambda w: {
        "item": EvidenceItemFactory(programme=w.programme),
        "sites": [w.site],
        "group": None,
        "activity": None,
        "themes": [],
        "by": None,
        "title": "Renamed survey",
    },
    "evidence_delete": lambda w: {
        "item": EvidenceItemFactory(programme=w.programme),
        "by": None,
    },
    "output_create": lambda w: {
        "programme": w.programme,
        "sites": [w.site],
        "groups": [],
        "by": None,
        "title": "Briefing",
    },
    "output_update": lambda w: {
        "output": OutputFactory(programme=w.programme, sites=[w.site]),
        "sites": [w.site],
        "groups": [],
        "authors": [],
        "themes": [],
        "by": None,
        "title": "Renamed briefing",
    },
    "output_change_status": lambda w: {
        "output": OutputFactory(programme=w.programme, sites=[w.site]),
        "status": OutputStatus.CONSULTATION,
        "on": D,
        "by": None,
    },
    "output_delete": lambda w: {
        "output": OutputFactory(programme=w.programme, sites=[w.site]),
        "by": None,
    },
    "change_create": lambda w: {
        "programme": w.programme,
        "sites": [w.site],
        "by": None,
        "title": "New referral route",
    },
    "change_update": lambda w: {
        "change": ChangeFactory(programme=w.programme, sites=[w.site]),
        "sites": [w.site],
        "group": None,
        "evidence": [],
        "outputs": [],
        "earlier_changes": [],
        "themes": [],
        "by": None,
        "title": "Renamed route",
    },
    "change_delete": lambda w: {
        "change": ChangeFactory(programme=w.programme, sites=[w.site]),
        "by": None,
    },
    "event_create": lambda w: {
        "programme": w.programme,
        "title": "Learning day",
        "kind": EventKind.LEARNING_DAY,
        "start_date": D,
    },
    "event_update": lambda w: {
        "event": w.event,
        "sites": [w.site],
        "groups": [],
        "themes": [],
        "location": "Perth",
    },
    "event_delete": lambda w: {"event": EventFactory(programme=w.programme)},
    "event_record_attendance": lambda w: {
        "event": w.event,
        "attendees": [],
        "counts": [HeadCount(count=12)],
    },
    "feedback_form_create": lambda w: {"event": w.event, "title": "After the day"},
    "feedback_question_add": lambda w: {
        "form": w.form,
        "kind": QuestionKind.LIKERT,
        "text": "I learnt a lot",
    },
    "feedback_form_close": lambda w: {"form": w.form},
    "feedback_form_reopen": lambda w: {"form": FeedbackFormFactory(event=w.event, is_open=False)},
    "feedback_question_update": lambda w: {
        "question": w.question,
        "kind": QuestionKind.LIKERT,
        "text": "Very useful",
        "position": 2,
    },
    "feedback_question_delete": lambda w: {"question": w.question},
    # The answers are written by bulk_create: the other case the signals missed.
    "feedback_response_submit": lambda w: {"form": w.form, "answers": {w.question.pk: 5}},
    "consent_record": lambda w: {
        "person": w.person,
        "use": ConsentUse.NAMED,
        "given_on": D,
        "method": ConsentMethod.WRITTEN,
        "by": None,
    },
    "consent_withdraw": lambda w: {
        "person": privacy.consent_record(
            person=w.person,
            use=ConsentUse.NAMED,
            given_on=D,
            method=ConsentMethod.WRITTEN,
            by=None,
        ).person,
        "on": D,
        "by": None,
    },
    "person_erase": lambda w: {"person": PersonFactory(programme=w.programme), "by": None},
    "people_import": lambda w: {
        "site": w.site,
        "content": (
            "name,pseudonym,group,role,joined_on\n"
            f"Ann Example,F-901,{w.group.name},core,2016-03-01\n"
        ).encode(),
        "by": None,
    },
    "attendance_import": lambda w: {
        "activity": ActivityFactory(programme=w.programme, group=w.group),
        "content": f"person\n{w.person.name}\n".encode(),
        "by": None,
    },
}


def test_every_write_service_is_called_below():
    assert sorted(name for name, _ in write_services()) == sorted(CALLS)


@pytest.mark.parametrize(("name", "service"), list(write_services()))
def test_every_write_service_moves_its_programme_on_once(name, service, world):
    kwargs = CALLS[name](world)
    before, other_before = versions(world.programme), versions(world.other)

    service(**kwargs)

    steps = moved(before, versions(world.programme))
    assert steps
    assert set(steps.values()) == {1}
    assert versions(world.other) == other_before
