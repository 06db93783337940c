"""Who may do what, as DESIGN.md's permission section says: one table for every rule.

``TABLE`` maps each registered permission to the records it is asked of (built from the cast by
``RECORDS``) and, for each, the roles of the cast (``tests.cast.ROLES``) it allows. Each app's
``test_rules.py`` checks its own rows; ``tests/accounts/test_rules.py`` checks that the table
covers every permission registered, so a new rule cannot go untested.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Role
from accounts.rules import permitted
from evidence.enums import Sensitivity
from inquiries.enums import ConsentMethod, ConsentUse, FacilitationRole, GroupStatus
from inquiries.models import Attachment, Consent, Facilitation, GroupStatusChange, ResearchQuestion
from reports.editions import edition_create
from reports.enums import ReportKind
from reports.models import ReportRequest
from sites.models import Programme
from tests import factories
from tests.cast import ROLES

# --- Who -------------------------------------------------------------------------------------
# A superuser holds no role: the rules count them a manager of every programme.
MANAGERS = frozenset({"manager", "superuser"})
RESEARCHERS = frozenset({"fife_researcher", "glasgow_researcher"})
LEADS = frozenset({"fife_lead", "glasgow_lead"})
# A researcher edits what belongs to their site; the managers edit everything in the programme.
FIFE_EDITORS = MANAGERS | {"fife_researcher"}
# Researchers read the whole programme (cross-site learning); a strategy lead reads their site.
FIFE_READERS = MANAGERS | RESEARCHERS | {"fife_lead"}
# Reflective notes, attachments and consents are the researchers' working material.
WORKING = MANAGERS | RESEARCHERS
# Nobody writes in an archived programme but a superuser, whom Django grants everything.
NOBODY: frozenset[str] = frozenset({"superuser"})
# What concerns the whole programme (a national event, a programme-wide output, the themes).
PROGRAMME = MANAGERS | RESEARCHERS | LEADS


# --- Which records ---------------------------------------------------------------------------


def _activity(cast):
    return factories.ActivityFactory(
        programme=cast.programme, group=cast.group, notes="Reflections"
    )


def _fife_event(cast):
    return factories.event_in(cast.fife, title="Fife learning day")


def _named_person(cast):
    person = factories.PersonFactory(programme=cast.programme, site=cast.fife)
    Consent.objects.create(
        person=person,
        use=ConsentUse.NAMED,
        given_on=dt.date(2015, 6, 1),
        method=ConsentMethod.WRITTEN,
    )
    return person


def _report(cast, **fields):
    target = {"group": cast.group, "kind": ReportKind.GROUP_LEARNING, **fields}
    return ReportRequest.objects.create(
        programme=cast.programme, requested_by=cast.manager, **target
    )


def _report_naming(cast):
    report = _report(cast)
    report.named_people.set([factories.PersonFactory(programme=cast.programme, site=cast.fife)])
    return report


def _edition(cast, **target):
    return edition_create(by=cast.manager, programme=cast.programme, title="Our report", **target)


def _organisation(cast):
    organisation = factories.OrganisationFactory(programme=cast.programme)
    organisation.sites.set([cast.fife])
    return organisation


def _archived(record):
    """``record``, its programme archived: read as before, changed by nobody."""
    programme_id = getattr(record, "programme_id", record.pk)
    Programme.objects.filter(pk=programme_id).update(archived_at=timezone.now())
    return record


def _glasgow_event(cast):
    return factories.event_in(cast.glasgow, title="Glasgow learning day")


RECORDS = {
    "programme": lambda cast: cast.programme,
    "fife": lambda cast: cast.fife,
    "fife_role": lambda cast: Role.objects.get(user=cast.fife_researcher),
    "fife_invitation": lambda cast: factories.InvitationFactory(
        programme=cast.programme, sites=[cast.fife]
    ),
    # inquiries
    "fife_group": lambda cast: cast.group,
    "fife_membership": lambda cast: factories.MembershipFactory(group=cast.group),
    "fife_research_question": lambda cast: ResearchQuestion.objects.create(
        group=cast.group, text="How do sanctions reach families?"
    ),
    "fife_cycle": lambda cast: factories.CycleFactory(group=cast.group),
    "fife_status_change": lambda cast: GroupStatusChange.objects.create(
        group=cast.group, status=GroupStatus.ACTIVE, changed_on=dt.date(2015, 7, 1)
    ),
    "fife_facilitation": lambda cast: Facilitation.objects.create(
        group=cast.group, researcher=cast.fife_researcher, role=FacilitationRole.FACILITATOR
    ),
    "fife_group_figure": lambda cast: factories.GroupFigureFactory(group=cast.group),
    "fife_person": lambda cast: factories.PersonFactory(programme=cast.programme, site=cast.fife),
    "fife_person_named": _named_person,
    "fife_consent": lambda cast: _named_person(cast).consents.get(),
    "fife_activity": _activity,
    "fife_attendance": lambda cast: factories.AttendanceFactory(activity=_activity(cast)),
    "fife_attachment": lambda cast: Attachment.objects.create(
        activity=_activity(cast), file="attachments/minutes.pdf", original_name="minutes.pdf"
    ),
    # evidence
    "fife_evidence": lambda cast: factories.EvidenceItemFactory(
        programme=cast.programme, group=cast.group, sensitivity=Sensitivity.INTERNAL
    ),
    "fife_evidence_restricted": lambda cast: factories.EvidenceItemFactory(
        programme=cast.programme, group=cast.group, sensitivity=Sensitivity.RESTRICTED
    ),
    "fife_output": lambda cast: factories.OutputFactory(
        programme=cast.programme, sites=[cast.fife]
    ),
    "programme_output": lambda cast: factories.OutputFactory(programme=cast.programme),
    "fife_change": lambda cast: factories.ChangeFactory(
        programme=cast.programme, sites=[cast.fife]
    ),
    # events
    "fife_event": _fife_event,
    "glasgow_event": _glasgow_event,
    "national_event": lambda cast: factories.EventFactory(
        programme=cast.programme, title="National retreat"
    ),
    "fife_attendance_count": lambda cast: factories.AttendanceCountFactory(event=_fife_event(cast)),
    "fife_feedback_form": lambda cast: factories.FeedbackFormFactory(event=_fife_event(cast)),
    "fife_feedback_question": lambda cast: factories.FeedbackQuestionFactory(
        form=factories.FeedbackFormFactory(event=_fife_event(cast))
    ),
    # reports
    "fife_report": _report,
    "fife_report_naming": _report_naming,
    "fife_event_report_with_comments": lambda cast: _report(
        cast, group=None, kind=ReportKind.EVENT, event=_fife_event(cast), holds_comments=True
    ),
    "fife_edition": lambda cast: _edition(cast, kind=ReportKind.SITE, site=cast.fife),
    "fife_group_edition": lambda cast: _edition(
        cast, kind=ReportKind.GROUP_LEARNING, group=cast.group
    ),
    "programme_edition": lambda cast: _edition(cast, kind=ReportKind.END_OF_PROGRAMME),
    "fife_chapter": lambda cast: _edition(
        cast, kind=ReportKind.SITE, site=cast.fife
    ).chapters.first(),
    # sites
    "fife_organisation": _organisation,
    "fife_proposed_project": lambda cast: factories.ProposedProjectFactory(site=cast.fife),
    "fife_engagement_figure": lambda cast: factories.EngagementFigureFactory(site=cast.fife),
    "theme": lambda cast: factories.ThemeFactory(programme=cast.programme),
    "programme_figure": lambda cast: factories.ProgrammeFigureFactory(programme=cast.programme),
    "archived_programme": lambda cast: _archived(cast.programme),
    "archived_fife": lambda cast: _archived(cast.fife),
    "archived_theme": lambda cast: _archived(factories.ThemeFactory(programme=cast.programme)),
    "archived_fife_organisation": lambda cast: _archived(_organisation(cast)),
    "archived_fife_group": lambda cast: _archived(cast.group),
}


def _rows(app, model, record, *, read=FIFE_READERS, edit=FIFE_EDITORS, view=True):
    """A model's view, change and delete rows: by default, read and edited like its site's records.

    ``view=False`` leaves the view row to be written out, where it has more than one record.
    """
    who = (
        {"view": read, "change": edit, "delete": edit} if view else {"change": edit, "delete": edit}
    )
    return {f"{app}.{action}_{model}": {record: roles} for action, roles in who.items()}


# --- The table -------------------------------------------------------------------------------

TABLE: dict[str, dict[str, frozenset[str]]] = {
    # accounts: users and roles are the programme managers'.
    **_rows("accounts", "role", "fife_role", read=MANAGERS, edit=MANAGERS),
    "accounts.view_invitation": {"fife_invitation": MANAGERS},
    "accounts.resend_invitation": {"fife_invitation": MANAGERS},
    "accounts.withdraw_invitation": {"fife_invitation": MANAGERS},
    "accounts.manage_users": {"programme": MANAGERS},
    "accounts.invite_user": {"programme": MANAGERS},
    "accounts.add_role": {"programme": MANAGERS},
    "accounts.deactivate_user": {"programme": MANAGERS},
    # sites
    # sites: an archived programme is read as before and written by nobody.
    "sites.view_programme": {"programme": PROGRAMME, "archived_programme": PROGRAMME},
    "sites.change_programme": {"programme": MANAGERS, "archived_programme": NOBODY},
    "sites.add_programme": {"programme": frozenset({"superuser"})},
    "sites.archive_programme": {"programme": MANAGERS, "archived_programme": NOBODY},
    # A superuser may ask to restore an open programme: the service refuses.
    "sites.restore_programme": {"programme": NOBODY, "archived_programme": MANAGERS},
    "sites.view_programmefigure": {"programme_figure": PROGRAMME},
    "sites.view_casesite": {"fife": FIFE_READERS, "archived_fife": FIFE_READERS},
    "sites.change_casesite": {"fife": FIFE_EDITORS, "archived_fife": NOBODY},
    "sites.change_casesite_setup": {"fife": MANAGERS, "archived_fife": NOBODY},
    "sites.delete_casesite": {"fife": MANAGERS},
    "sites.add_casesite": {"programme": MANAGERS, "archived_programme": NOBODY},
    **_rows("sites", "organisation", "fife_organisation", view=False),
    "sites.view_organisation": {
        "fife_organisation": FIFE_READERS,
        "archived_fife_organisation": FIFE_READERS,
    },
    "sites.change_organisation": {
        "fife_organisation": FIFE_EDITORS,
        "archived_fife_organisation": NOBODY,
    },
    **_rows("sites", "proposedproject", "fife_proposed_project"),
    **_rows("sites", "engagementfigure", "fife_engagement_figure"),
    "sites.add_organisation": {"programme": MANAGERS | RESEARCHERS, "archived_programme": NOBODY},
    "sites.add_theme": {"programme": MANAGERS, "archived_programme": NOBODY},
    "sites.view_theme": {"theme": PROGRAMME, "archived_theme": PROGRAMME},
    "sites.change_theme": {"theme": MANAGERS, "archived_theme": NOBODY},
    "sites.delete_theme": {"theme": MANAGERS, "archived_theme": NOBODY},
    # inquiries
    **_rows("inquiries", "person", "fife_person"),
    "inquiries.view_person_name": {
        "fife_person": MANAGERS | RESEARCHERS,
        # A strategy lead sees the name of a person who consented to be named.
        "fife_person_named": FIFE_READERS,
    },
    "inquiries.export_person": {"fife_person": FIFE_EDITORS},
    "inquiries.erase_person": {"fife_person": MANAGERS},
    **_rows("inquiries", "inquirygroup", "fife_group", view=False),
    "inquiries.view_inquirygroup": {
        "fife_group": FIFE_READERS,
        "archived_fife_group": FIFE_READERS,
    },
    "inquiries.change_inquirygroup": {"fife_group": FIFE_EDITORS, "archived_fife_group": NOBODY},
    **_rows("inquiries", "membership", "fife_membership"),
    **_rows("inquiries", "researchquestion", "fife_research_question"),
    **_rows("inquiries", "cycle", "fife_cycle"),
    **_rows("inquiries", "groupstatuschange", "fife_status_change"),
    **_rows("inquiries", "facilitation", "fife_facilitation"),
    **_rows("inquiries", "groupfigure", "fife_group_figure"),
    **_rows("inquiries", "activity", "fife_activity"),
    "inquiries.view_activity_notes": {"fife_activity": WORKING},
    **_rows("inquiries", "attendance", "fife_attendance"),
    **_rows("inquiries", "attachment", "fife_attachment", read=WORKING),
    **_rows("inquiries", "consent", "fife_consent", read=WORKING),
    # evidence: no restricted evidence for a strategy lead, nor for another site's researcher.
    **_rows("evidence", "evidenceitem", "fife_evidence", view=False),
    "evidence.view_evidenceitem": {
        "fife_evidence": FIFE_READERS,
        "fife_evidence_restricted": FIFE_EDITORS,
    },
    **_rows("evidence", "output", "fife_output", view=False),
    "evidence.view_output": {"fife_output": FIFE_READERS, "programme_output": PROGRAMME},
    **_rows("evidence", "change", "fife_change"),
    # events: a programme-wide event concerns every site, and only the managers edit it.
    "events.view_event": {
        "fife_event": FIFE_READERS,
        "glasgow_event": MANAGERS | RESEARCHERS | {"glasgow_lead"},
        "national_event": PROGRAMME,
    },
    "events.change_event": {
        "fife_event": FIFE_EDITORS,
        "glasgow_event": MANAGERS | {"glasgow_researcher"},
        "national_event": MANAGERS,
    },
    "events.delete_event": {"fife_event": FIFE_EDITORS, "national_event": MANAGERS},
    **_rows("events", "attendancecount", "fife_attendance_count"),
    **_rows("events", "feedbackform", "fife_feedback_form"),
    **_rows("events", "feedbackquestion", "fife_feedback_question"),
    "events.add_event": {"programme": MANAGERS | RESEARCHERS},
    "events.add_programme_wide_event": {"programme": MANAGERS},
    # reports: a version that names people is for those who may see the names; free-text
    # answers of an event are for the event's editors.
    "reports.view_reportrequest": {"fife_report": FIFE_READERS},
    "reports.download_reportrequest": {
        "fife_report": FIFE_READERS,
        "fife_report_naming": MANAGERS | RESEARCHERS,
        "fife_event_report_with_comments": FIFE_EDITORS,
    },
    "reports.delete_reportrequest": {"fife_report": MANAGERS},
    "reports.request_group_report": {"fife_group": FIFE_EDITORS},
    "reports.request_site_report": {"fife": MANAGERS | {"fife_lead"}},
    "reports.request_event_report": {"fife_event": FIFE_EDITORS},
    "reports.request_programme_report": {"programme": MANAGERS},
    "reports.name_people_in_group_report": {"fife_group": FIFE_EDITORS},
    "reports.name_people_in_site_report": {"fife": FIFE_EDITORS},
    "reports.name_people_in_event_report": {"fife_event": FIFE_EDITORS},
    "reports.name_people_in_programme_report": {"programme": MANAGERS},
    "reports.export_programme": {"programme": MANAGERS},
    "reports.export_programme_notes": {"programme": WORKING},
    "reports.export_site": {"fife": MANAGERS | {"fife_researcher", "fife_lead"}},
    "reports.export_site_notes": {"fife": WORKING},
    "reports.view_programme_dashboard": {"programme": MANAGERS | RESEARCHERS},
    "reports.view_site_dashboard": {"fife": FIFE_READERS},
    "reports.view_group_dashboard": {"fife_group": FIFE_READERS},
    # editions: drafted by those who may request the kind's report on their subject and who
    # see its people's names (a draft holds them as written): a strategy lead requests their
    # site's report but writes no edition of it.
    **{
        f"reports.{action}_edition": {
            "fife_edition": MANAGERS,
            "fife_group_edition": FIFE_EDITORS,
            "programme_edition": MANAGERS,
        }
        for action in ("view", "change", "delete")
    },
    **_rows("reports", "chapter", "fife_chapter", read=MANAGERS, edit=MANAGERS),
    "reports.write_group_edition": {"fife_group": FIFE_EDITORS},
    "reports.write_site_edition": {"fife": MANAGERS},
    "reports.write_event_edition": {"fife_event": FIFE_EDITORS},
    "reports.write_programme_edition": {"programme": MANAGERS},
}


def cases(app: str) -> list:
    """The table's rows for ``app``, as test parameters with ids that read the same everywhere."""
    return [
        pytest.param(perm, record, id=f"{perm}:{record}")
        for perm in sorted(TABLE)
        if perm.startswith(f"{app}.")
        for record in sorted(TABLE[perm])
    ]


def _as(cast, role):
    return cast.user(role) or AnonymousUser()


def assert_rule(cast, perm: str, record: str) -> None:
    """``perm`` allows the table's roles on ``record``, asked of the object and of a list."""
    obj = RECORDS[record](cast)
    allowed = TABLE[perm][record]

    granted = {role for role in ROLES if _as(cast, role).has_perm(perm, obj)}
    listed = {
        role
        for role in ROLES
        if permitted(_as(cast, role), perm, type(obj).objects.all()).filter(pk=obj.pk).exists()
    }

    assert sorted(granted) == sorted(allowed), "granted by the object check"
    assert sorted(listed) == sorted(allowed), "listed by the filter"
