"""What each kind of report gathers: figures from metrics, names only as consent allows."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from accounts.enums import RoleKind
from events.enums import QuestionKind
from evidence.enums import Sensitivity
from inquiries.models import Consent, ResearchQuestion
from reports import documents
from reports.documents import common
from reports.documents.handover_pack import HANDOVER_ACTIVITIES
from reports.enums import ProgressStep, ReportKind
from reports.kinds import KINDS
from reports.models import ReportRequest
from tests import factories

pytestmark = pytest.mark.django_db

# Each request is a new version of its report.
_versions = itertools.count(1)


@pytest.fixture
def site():
    return factories.CaseSiteFactory(name="Northshire")


@pytest.fixture
def group(site):
    group, _, _ = factories.group_named_and_private(site, name="Kinship carers inquiry")
    return group


def request_for(kind, *, by=None, options=None, **target):
    programme = next(iter(target.values())).programme if target else by.programme
    return ReportRequest.objects.create(
        programme=programme,
        kind=kind,
        requested_by=getattr(by, "user", by),
        options=options or {},
        version=next(_versions),
        **target,
    )


def build(report_request):
    steps = []
    document = documents.build_document(report_request, on_step=steps.append)
    return document, steps


def manager(programme):
    return factories.RoleFactory(programme=programme, site=None, role=RoleKind.PROGRAMME_MANAGER)


def managers_group_report(group, *, anonymise):
    """A programme manager's request for ``group``'s learning report."""
    return request_for(
        ReportKind.GROUP_LEARNING,
        group=group,
        by=manager(group.programme),
        options={"anonymise": anonymise},
    )


def test_every_kind_has_a_builder_and_its_sections():
    assert set(KINDS) == set(ReportKind.values)
    for spec in KINDS.values():
        assert callable(import_string(spec.builder))
        assert spec.sections


def test_unknown_sections_are_refused():
    with pytest.raises(documents.DocumentError, match="Unknown sections"):
        documents.parse_options(ReportKind.SITE, {"sections": ["members"]})


def test_a_group_report_draws_its_charts_after_gathering(group):
    factories.ActivityFactory(programme=group.programme, group=group)

    document, steps = build(request_for(ReportKind.GROUP_LEARNING, group=group))

    assert steps == [ProgressStep.GATHERING, ProgressStep.CHARTS]
    assert "<svg" in document.context["charts"]["activities-by-kind"].svg_standalone
    assert [anchor for anchor, _ in document.context["toc"]] == [
        "story",
        "figures",
        "members",
        "evidence",
        "outputs",
        "changes",
        "themes",
    ]


def test_an_anonymised_report_names_only_who_consented(group):
    document, _ = build(managers_group_report(group, anonymise=True))

    shown = {m.shown_name for m in document.context["memberships"]}
    assert "Morag Consenting" in shown
    assert "Hamish Private" not in shown


def test_a_report_built_after_consent_is_withdrawn_shows_the_pseudonym(group, site):
    morag = group.memberships.get(person__name="Morag Consenting").person
    lead = factories.RoleFactory(programme=group.programme, site=site, role=RoleKind.STRATEGY_LEAD)
    event = factories.EventFactory(programme=group.programme)
    event.attendees.add(morag)
    group.lead = morag
    group.save(update_fields=["lead"])
    Consent.objects.filter(person=morag).update(withdrawn_on=dt.date(2016, 1, 1))

    learning, _ = build(
        request_for(ReportKind.GROUP_LEARNING, group=group, options={"anonymise": True})
    )
    by_lead, _ = build(
        request_for(ReportKind.GROUP_LEARNING, group=group, by=lead, options={"anonymise": False})
    )
    handover, _ = build(request_for(ReportKind.HANDOVER_PACK, group=group))
    event_report, _ = build(request_for(ReportKind.EVENT, event=event))

    for document in (learning, by_lead, handover):
        assert morag.pseudonym in {m.shown_name for m in document.context["memberships"]}
        assert not document.named_people
    assert not handover.context["lead"].name_shown
    assert event_report.context["attendees"] == [(morag.pseudonym, morag.organisation)]
    assert not event_report.named_people


def test_a_document_records_whom_it_names(group):
    morag = group.memberships.get(person__name="Morag Consenting").person

    anonymised, _ = build(request_for(ReportKind.GROUP_LEARNING, group=group))
    named, _ = build(managers_group_report(group, anonymise=False))

    assert anonymised.named_people == {morag.pk}
    assert named.named_people == set(group.memberships.values_list("person_id", flat=True))


def test_without_anonymising_names_follow_the_requesters_rights(group, site):
    lead = factories.RoleFactory(programme=group.programme, site=site, role=RoleKind.STRATEGY_LEAD)
    options = {"anonymise": False}

    by_manager, _ = build(
        request_for(
            ReportKind.GROUP_LEARNING, group=group, by=manager(group.programme), options=options
        )
    )
    by_lead, _ = build(
        request_for(ReportKind.GROUP_LEARNING, group=group, by=lead, options=options)
    )

    assert "Hamish Private" in {m.shown_name for m in by_manager.context["memberships"]}
    assert "Hamish Private" not in {m.shown_name for m in by_lead.context["memberships"]}


def test_sections_left_out_are_not_gathered(group):
    document, _ = build(
        request_for(ReportKind.GROUP_LEARNING, group=group, options={"sections": ["figures"]})
    )

    assert "memberships" not in document.context
    assert [anchor for anchor, _ in document.context["toc"]] == ["story", "figures"]


def test_the_date_range_narrows_the_figures(group):
    factories.ActivityFactory(programme=group.programme, group=group, date=dt.date(2015, 9, 1))
    factories.ActivityFactory(programme=group.programme, group=group, date=dt.date(2016, 3, 1))
    options = {"start": "2016-01-01", "end": "2016-12-31"}

    whole, _ = build(request_for(ReportKind.GROUP_LEARNING, group=group))
    ranged, _ = build(request_for(ReportKind.GROUP_LEARNING, group=group, options=options))

    assert whole.context["meeting_hours"].meetings == 2
    assert ranged.context["meeting_hours"].meetings == 1
    assert ranged.context["period"] == "1 January 2016 to 31 December 2016"


def test_a_site_report_holds_its_groups_and_tallies(group, site):
    factories.ActivityFactory(programme=group.programme, group=group)
    factories.ActivityFactory(
        programme=site.programme, group=None, site=site, kind="email", count=12
    )

    document, _ = build(request_for(ReportKind.SITE, site=site))

    (row,) = document.context["appendix"]
    assert (row.name, row.core, row.periphery, row.meetings) == ("Kinship carers inquiry", 1, 1, 1)
    (engagement,) = document.context["engagement"]
    assert engagement.tallies.emails == 12


def test_the_end_of_programme_appendix_is_one_table_per_site(group, site):
    other = factories.CaseSiteFactory(programme=site.programme, name="Southvale")
    factories.InquiryGroupFactory(programme=site.programme, name="Southvale PIT").sites.add(other)
    factories.InquiryGroupFactory(programme=site.programme, name="Programme board")

    document, _ = build(request_for(ReportKind.END_OF_PROGRAMME, by=manager(site.programme)))

    tables = [
        (
            table.site and table.site.name,
            [row.name for row in table.rows],
            [row.group_name for row in table.participation],
        )
        for table in document.context["appendix_tables"]
    ]
    assert tables == [
        ("Northshire", ["Kinship carers inquiry"], ["Kinship carers inquiry"]),
        ("Southvale", ["Southvale PIT"], ["Southvale PIT"]),
        (None, ["Programme board"], ["Programme board"]),
    ]


def test_long_lists_are_capped_with_the_rest_left_to_the_exports(site, monkeypatch):
    monkeypatch.setattr(common, "LIST_LIMIT", 2)
    for _ in range(3):
        factories.OutputFactory(programme=site.programme)

    document, _ = build(request_for(ReportKind.END_OF_PROGRAMME, by=manager(site.programme)))

    assert len(document.context["outputs"]) == 2
    assert document.context["outputs_more"] == 1


def test_an_event_report_keeps_published_ranges_and_anonymous_answers(site):
    event = factories.EventFactory(programme=site.programme, title="Home retreat")
    factories.AttendanceCountFactory(event=event, count=27, approximate=True)
    ranged = factories.FeedbackQuestionFactory(
        form__event=event, text="I learnt a lot", published_share_min=75, published_share_max=85
    )
    comment = factories.FeedbackQuestionFactory(
        form=ranged.form, text="What would you change?", kind=QuestionKind.FREE_TEXT
    )
    response = factories.FeedbackResponseFactory(form=ranged.form)
    factories.FeedbackAnswerFactory(
        response=response, question=comment, score=None, text="More time"
    )

    document, _ = build(request_for(ReportKind.EVENT, event=event))

    assert (document.context["row"].counted, document.context["row"].approximate) == (27, True)
    (share,) = document.context["shares"]
    assert (share.published_min, share.published_max) == (75, 85)
    assert [answer.text for answer in document.context["answers"]] == ["More time"]


def test_a_handover_pack_lists_open_questions_and_no_restricted_evidence(group):
    ResearchQuestion.objects.create(
        group=group, text="Old question", replaced_on=dt.date(2015, 1, 1)
    )
    ResearchQuestion.objects.create(group=group, text="How do carers find help?")
    factories.EvidenceItemFactory(programme=group.programme, group=group, title="Survey summary")
    factories.EvidenceItemFactory(
        programme=group.programme,
        group=group,
        title="Interview transcript",
        sensitivity=Sensitivity.PERSONAL,
    )

    document, _ = build(request_for(ReportKind.HANDOVER_PACK, group=group))

    assert [q.text for q in document.context["open_questions"]] == ["How do carers find help?"]
    assert [item.title for item in document.context["key_evidence"]] == ["Survey summary"]
    assert {m.role for m in document.context["memberships"]} == {"core", "periphery"}


def test_a_handover_pack_lists_the_activities_of_unknown_date_apart(group):
    factories.ActivityFactory(programme=group.programme, group=group, title="Dated")
    for number in range(HANDOVER_ACTIVITIES + 1):
        factories.ActivityFactory(
            programme=group.programme, group=group, date=None, title=f"Undated {number}"
        )

    document, _ = build(request_for(ReportKind.HANDOVER_PACK, group=group))

    listed = [activity.title for activity in document.context["undated_activities"]]
    assert listed == [f"Undated {n}" for n in range(HANDOVER_ACTIVITIES, 0, -1)]
    assert document.context["undated_note"] == (
        f"{HANDOVER_ACTIVITIES + 1} activities have no known date: "
        f"the {HANDOVER_ACTIVITIES} last recorded are listed."
    )
    assert "Dated" in {a.title for a in document.context["last_activities"]}


def test_gathering_a_report_costs_the_same_queries_whatever_the_size(site):
    def queries():
        report_request = request_for(ReportKind.END_OF_PROGRAMME, by=manager(site.programme))
        with CaptureQueriesContext(connection) as captured:
            build(report_request)
        return len(captured)

    factories.InquiryGroupFactory(programme=site.programme).sites.add(site)
    small = queries()
    for _ in range(3):
        group = factories.InquiryGroupFactory(programme=site.programme)
        group.sites.add(factories.CaseSiteFactory(programme=site.programme))
        factories.MembershipFactory(group=group)
        factories.ActivityFactory(programme=site.programme, group=group)
        factories.OutputFactory(programme=site.programme).groups.add(group)

    assert queries() == small


@pytest.mark.parametrize("kind", ReportKind.values)
def test_every_contents_entry_leads_to_a_heading(kind, group, site):
    event = factories.EventFactory(programme=site.programme)
    targets = {
        ReportKind.GROUP_LEARNING: {"group": group},
        ReportKind.HANDOVER_PACK: {"group": group},
        ReportKind.SITE: {"site": site},
        ReportKind.EVENT: {"event": event},
        ReportKind.END_OF_PROGRAMME: {},
    }
    report_request = request_for(kind, by=manager(site.programme), **targets[kind])

    document, _ = build(report_request)
    html = render_to_string(document.template_name, document.context)

    assert document.context["toc"]
    for anchor, label in document.context["toc"]:
        assert f'<h2 id="{anchor}">{label}</h2>' in html


def test_a_single_day_period_reads_as_one_date(group):
    options = {"start": "2016-05-02", "end": "2016-05-02"}

    document, _ = build(request_for(ReportKind.GROUP_LEARNING, group=group, options=options))

    assert document.context["period"] == "2 May 2016"
