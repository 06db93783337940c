"""The PDF reports read back as text: their headings, their figures, and no name without consent.

Each kind is rendered through WeasyPrint on a small hand-built programme; one slow test renders
the demo's end-of-programme report and finds the working paper's published figures in it.
"""

import datetime as dt
import io
import itertools
import re
import time

import pytest
from django.template.loader import render_to_string
from django.utils.text import capfirst
from pypdf import PdfReader

from evidence.enums import Authorship, Sensitivity
from inquiries.enums import ActivityKind, LeaveReason
from inquiries.models import GroupFigure
from inquiries.services import membership_end, person_update
from reports.documents import build_document
from reports.enums import ReportKind
from reports.models import ReportRequest
from reports.rendering import render_pdf
from sites.enums import Sector
from sites.models import EngagementFigure, ProgrammeFigure
from tests import factories

_versions = itertools.count(1)


def pdf_text(report_request) -> tuple[str, int]:
    """The rendered PDF's text with its whitespace folded, and its page count."""
    document = build_document(report_request, on_step=lambda step: None)
    pdf = render_pdf(render_to_string(document.template_name, document.context))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.bytes)).pages)
    return " ".join(text.split()), pdf.pages


def world_text(world, kind, **kwargs) -> str:
    """The text of a report of ``kind`` on the ``world`` programme."""
    text, _ = pdf_text(request_for(kind, world["programme"], **kwargs))
    return text


def request_for(kind, programme, *, by=None, options=None, **target):
    return ReportRequest.objects.create(
        programme=programme,
        kind=kind,
        requested_by=by,
        options=options or {},
        version=next(_versions),
        **target,
    )


def test_a_group_learning_report_tells_the_story_and_names_only_who_consented(world):
    text = world_text(world, ReportKind.GROUP_LEARNING, group=world["group"])

    for heading in ("The group's story", "Figures", "Members", "Evidence", "Outputs", "Changes"):
        assert heading in text
    assert "How do kinship carers find support?" in text
    assert "Core members 1 Periphery members 1 Meetings 2" in text
    assert "Carers' clinic opened" in text and "Carers' survey" in text
    assert "Morag Consenting" in text
    assert "Hamish Private" not in text


def test_a_group_learning_report_prints_a_published_total_apart_from_the_counts(world):
    factories.GroupFigureFactory(
        group=world["group"], kind="meetings", value=12, label="", source="000:1338"
    )

    text = world_text(
        world, ReportKind.GROUP_LEARNING, group=world["group"], options={"sections": ["figures"]}
    )

    assert "Group meetings 2 " in text
    assert "Published totals Meetings about 12" in text
    assert "not added to the figures above. Sources: meetings, 000:1338." in text


def test_a_group_learning_report_says_how_many_joiners_no_quarter_holds(world):
    factories.MembershipFactory(group=world["group"], joined_on=None)

    text = world_text(
        world, ReportKind.GROUP_LEARNING, group=world["group"], options={"sections": ["figures"]}
    )

    assert "1 joiner has no known date: the table places them in no quarter." in text


def test_a_report_not_anonymised_names_whom_the_requester_may_see(world):
    text = world_text(
        world,
        ReportKind.GROUP_LEARNING,
        group=world["group"],
        by=world["by"],
        options={"anonymise": False, "sections": ["members"]},
    )

    assert "Hamish Private" in text


def test_the_date_range_narrows_the_printed_figures(world):
    text = world_text(
        world,
        ReportKind.GROUP_LEARNING,
        group=world["group"],
        options={"start": "2016-01-01", "sections": ["figures"]},
    )

    assert "Group meetings 1 " in text
    assert "Members" not in text.split("Contents", 1)[1].split("The group's story")[0]


def test_a_site_report_holds_table_b_groups_and_tallies(world):
    text = world_text(world, ReportKind.SITE, site=world["site"])

    assert "Table B: Northshire, proposed and delivered projects" in text
    assert "A carers' hub" in text and "A youth panel" not in text
    assert "linked to Northshire: researchers not recorded; director not recorded." in text
    assert "Kinship carers inquiry Formal CAR inquiry group from 1 June 2015 1 1 2 2 1" in text
    assert "emails 41" in text
    assert "Partnership health" in text
    assert "Hamish Private" not in text


def test_the_appendix_prints_a_published_total_beside_the_derived_counts(world):
    factories.GroupFigureFactory(
        group=world["group"], value=25, label="carers", source="000:1367 'Approx. 25'"
    )

    text = world_text(world, ReportKind.SITE, site=world["site"])

    assert "from 1 June 2015 1 1 2 2 1 about 25 carers" in text
    assert "not added to the Core, Periphery and Meetings columns" in text
    assert "Kinship carers inquiry: about 25 carers, from 000:1367 'Approx. 25'" in text


def test_sections_left_out_are_not_printed(world):
    text = world_text(world, ReportKind.SITE, site=world["site"], options={"sections": ["health"]})

    assert "Partnership health" in text
    assert "Table B" not in text and "Researcher engagement" not in text


def test_the_end_of_programme_report_regenerates_the_tables(world):
    text = world_text(world, ReportKind.END_OF_PROGRAMME)

    for heading in (
        "Table A: data sources",
        "Table B: Northshire",
        "Table B: Southvale",
        "Timeline of joint activities",
        "The groups of Northshire",
        "Researcher engagement in Northshire",
        "Changes by type and level",
        "Coverage by theme",
    ):
        assert heading in text
    assert "Backstage contacts per site" in text  # the chart's own title, drawn as SVG text
    assert "I learnt a lot \u2013 75% to 85% (published)" in text
    assert "Spring retreat" in text and "about 27" in text
    assert "Hamish Private" not in text


def test_the_end_of_programme_report_prints_each_groups_participation_and_the_sectors(world):
    group = world["group"]
    health = factories.OrganisationFactory(programme=world["programme"], sector=Sector.NHS)
    member = group.memberships.get(person__name="Morag Consenting")
    person_update(person=member.person, organisation=health)
    membership_end(membership=member, left_on=dt.date(2016, 6, 1), reason=LeaveReason.CAPACITY)
    factories.ActivityFactory(
        programme=world["programme"], group=group, date=dt.date(2016, 5, 1), duration_minutes=90
    ).attendance.create(person=member.person)

    text = world_text(world, ReportKind.END_OF_PROGRAMME, options={"sections": ["appendix"]})

    # Two people, both joined and one left; 1.5 hours in the one timed meeting; one attendee
    # at each of the three meetings.
    assert "Participation in the groups of Northshire" in text
    assert "Kinship carers inquiry 2 2 1 1.5 1.0" in text
    assert "The participation tables are counted from the records" in text
    assert (
        "Organisations and sectors of the people who took part Sector Organisations People "
        "NHS 1 1 Not recorded \u2013 1 Total 1 2"
    ) in text
    assert "None recorded: Local authority, Police," in text


def test_table_a_prints_the_listed_data_sources_in_their_rows_and_nothing_else(world):
    programme = world["programme"]
    factories.EvidenceItemFactory(programme=programme, title="Fieldnotes", data_source_row=2)
    factories.EvidenceItemFactory(
        programme=programme,
        title="Minutes",
        authorship=Authorship.PRACTITIONER,
        data_source_row=1,
    )
    factories.EvidenceItemFactory(
        programme=programme,
        title="Secret notes",
        sensitivity=Sensitivity.RESTRICTED,
        data_source_row=3,
    )

    text = world_text(world, ReportKind.END_OF_PROGRAMME, options={"sections": ["table-a"]})

    assert (
        "Table A: data sources Data Source/ Authors Minutes Practitioner only "
        "Fieldnotes Practitioner and researcher collaboration Evidence by authorship" in text
    )
    assert "Carers' survey" not in text and "Secret notes" not in text


def test_a_report_made_after_the_programme_gives_its_figures_at_the_programmes_end(world):
    programme = world["programme"]
    programme.start_date, programme.end_date = dt.date(2015, 1, 1), dt.date(2017, 12, 31)
    programme.save(update_fields=["start_date", "end_date"])

    text = world_text(world, ReportKind.END_OF_PROGRAMME, options={"sections": ["timeline"]})

    assert "Groups active at the end of the programme (December 2017) 1" in text
    assert "Core members at the end of the programme (December 2017) 1" in text
    assert not re.search(r"\bnow\b", text)


def test_a_report_to_a_date_gives_its_figures_on_that_date(world):
    text = world_text(
        world,
        ReportKind.END_OF_PROGRAMME,
        options={"end": "2016-03-03", "sections": ["timeline"]},
    )

    assert "Groups active on 3 March 2016 1" in text
    assert "Periphery members on 3 March 2016" in text


def test_an_event_report_counts_attendance_and_keeps_answers_anonymous(world):
    text = world_text(world, ReportKind.EVENT, event=world["event"])

    assert "Head count about 27" in text
    assert "I learnt a lot \u2013 75% to 85% (published)" in text
    assert "More time for reflection" in text
    assert "Morag Consenting" in text
    assert "Hamish Private" not in text


def test_a_handover_pack_gives_a_newcomer_the_open_questions_and_contacts(world):
    text = world_text(world, ReportKind.HANDOVER_PACK, group=world["group"])

    for heading in ("The group so far", "Current members", "Open research questions", "Contacts"):
        assert heading in text
    assert "How do kinship carers find support?" in text
    assert "Carers' briefing" in text
    assert "Hamish Private" not in text


def test_a_handover_pack_prints_an_activity_of_unknown_date(world):
    factories.ActivityFactory(
        programme=world["programme"], group=world["group"], date=None, title="Kitchen table talk"
    )

    text = world_text(
        world, ReportKind.HANDOVER_PACK, group=world["group"], options={"sections": ["activities"]}
    )

    assert "Date unknown Date Activity Phase date unknown Kitchen table talk" in text
    assert "1 activity has no known date." in text


# --- The demo programme ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_report(demo_programme, django_db_blocker):
    """The demo's end-of-programme PDF, rendered once for the module (it takes a while)."""
    with django_db_blocker.unblock():
        report_request = ReportRequest(
            programme=demo_programme, kind=ReportKind.END_OF_PROGRAMME, options={}, version=1
        )
        started = time.perf_counter()
        text, pages = pdf_text(report_request)
    return {"text": text, "pages": pages, "seconds": time.perf_counter() - started}


@pytest.mark.slow
@pytest.mark.parametrize("site", ["Aberdeenshire", "Fife", "Glasgow", "West Dunbartonshire"])
def test_the_demo_report_has_table_b_for_each_site(demo_report, site):
    assert f"Table B: {site}, proposed and delivered projects" in demo_report["text"]
    assert f"The groups of {site}" in demo_report["text"]


def test_the_demo_retreat_report_prints_its_published_comment_summaries(db, demo_programme):
    retreat = demo_programme.events.get(title__startswith="National event 2")

    text, _ = pdf_text(request_for(ReportKind.EVENT, demo_programme, event=retreat))

    assert "Published summary of comments" in text
    assert "research planning" in text  # 001:199-202, what was valuable
    assert "greater variety of activity and pace" in text  # 001:213-216


def test_the_demo_perth_report_prints_its_key_themes(db, demo_programme):
    perth = demo_programme.events.get(title__startswith="National event 3")

    text, _ = pdf_text(request_for(ReportKind.EVENT, demo_programme, event=perth))

    # 002:8-13, the key themes identified at the Perth event
    assert "Key themes and outcomes" in text
    assert "developing cross-CPP Communities of Practice" in text


@pytest.mark.slow
def test_the_demo_report_prints_each_sites_context(demo_report):
    text = demo_report["text"]

    # 000:1275 West Dunbartonshire "circa 90,000"; 000:1086 Aberdeenshire's employment sectors
    assert "West Dunbartonshire Community Planning Partnership" in text  # 000:1373
    assert "circa 90,000" in text  # as the page prints it, and the seed
    assert "Key employment sectors include the oil industry, fishing, agriculture" in text


@pytest.mark.slow
def test_the_demo_timeline_prints_each_events_place_and_description(demo_report):
    # 000:386-393, the timeline's first national event
    assert (
        "National event 1 Presentations by CPP leads on CPP contexts and potential CAR projects."
        " National event / retreat Edinburgh"
    ) in demo_report["text"]


@pytest.mark.slow
def test_the_demo_report_names_each_sites_researcher_and_director(demo_report):
    # 000:370 "Fife Researcher: Dr Hayley Bennett Director: Chris Chapman"
    assert (
        "The programme's people linked to Fife: researcher Hayley Bennett; director Chris "
        "Chapman" in demo_report["text"]
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("group", "core", "periphery", "meetings"),
    [
        ("Welfare Partnership Innovation Team", 14, 34, "22 meetings"),  # 000:1334
        ("Family Partnership Innovation Team", 20, 4, "15 meetings"),  # 000:1337
        ("Schools Partnership Innovation Team", 9, 2, "about 12 meetings"),  # 000:1338
    ],
)
def test_the_demo_report_prints_the_published_appendix_figures(
    demo_report, group, core, periphery, meetings
):
    # The meetings are a published total: beside the recorded rows' count (none), not in it.
    pattern = rf"{group} Formal CAR inquiry group [^|]*? {core} {periphery} 0 \d+ \d+ {meetings}"
    assert re.search(pattern, demo_report["text"])


@pytest.mark.slow
def test_the_demo_report_prints_fifes_engagement_and_the_retreat_range(demo_report):
    text = demo_report["text"]

    fife = text.split("Researcher engagement in Fife", 1)[1]
    assert "weeks of engagement 90" in fife
    assert "emails 703" in fife and "phone calls 68" in fife
    assert "additional in-person meetings 30 Published" in fife  # 000:1190, not one-to-ones
    assert text.count("75% to 85% (published)") == 3
    assert demo_report["pages"] <= 60


def published_in_the_demo(programme) -> list[tuple[str, str]]:
    """``(what, printed form)`` of every published figure the demo holds: a group's total in
    Appendix B, a site's engagement figure and the programme's own, each as the report prints it,
    qualifier and all."""
    figures = [
        (f"{figure.group}: {figure}", f"{figure.shown} {figure.label or figure.get_kind_display()}")
        for figure in GroupFigure.objects.filter(group__programme=programme).select_related("group")
    ]
    figures += [
        (f"{figure.site}: {figure.label}", f"{figure.label} {figure.shown} Published")
        for figure in EngagementFigure.objects.filter(site__programme=programme).select_related(
            "site"
        )
    ]
    figures += [
        (figure.label, f"{capfirst(figure.label)} {figure.shown} Published")
        for figure in ProgrammeFigure.objects.filter(programme=programme)
    ]
    return figures


@pytest.mark.slow
def test_the_demo_report_prints_every_published_figure_with_its_qualifier(
    db, demo_report, demo_programme
):
    """Every total the seeds publish and the demo holds is printed where its table is, as
    published: "about 12 meetings", "25+", "more than 60" (each record names its seed line in
    ``source``), apart from the counts derived from dated rows."""
    figures = published_in_the_demo(demo_programme)
    text = demo_report["text"].replace("\u2011", "-")

    assert len(figures) > 20
    assert any(printed.startswith(("about ", "more than ")) for _, printed in figures)
    assert [what for what, printed in figures if printed.lower() not in text.lower()] == []


def pdf_pages(report_request) -> list[list[str]]:
    """The rendered PDF's pages, each as its lines of text."""
    document = build_document(report_request, on_step=lambda step: None)
    pdf = render_pdf(render_to_string(document.template_name, document.context))
    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(pdf.bytes)).pages]


def test_a_long_title_keeps_the_running_header_to_one_line(world):
    group = world["group"]
    group.name = "A very long inquiry name " * 8
    group.save()

    pages = pdf_pages(request_for(ReportKind.GROUP_LEARNING, world["programme"], group=group))

    # Wrapped, the title would print over several lines apart from the chapter's name.
    assert any(
        line.startswith("A very long inquiry name A very long")
        and line.endswith("The group's story")
        for line in pages[2]
    ), pages[2]


def test_short_chapters_share_a_page(world):
    pages = pdf_pages(
        request_for(ReportKind.GROUP_LEARNING, world["programme"], group=world["group"])
    )

    # Cover, contents and eight chapters: a page each would make ten.
    assert len(pages) <= 7


def test_a_report_groups_the_thousands_of_its_counts(world):
    factories.ActivityFactory(
        programme=world["programme"],
        group=None,
        site=world["site"],
        kind=ActivityKind.EMAIL,
        count=1234,
    )

    text = world_text(world, ReportKind.SITE, site=world["site"])

    assert "emails 1,275" in text


def test_tables_fold_the_kinds_without_records_into_a_note(world):
    report_request = request_for(
        ReportKind.END_OF_PROGRAMME,
        world["programme"],
        options={"sections": ["outputs", "changes"]},
    )
    text, _pages = pdf_text(report_request)
    charts = build_document(report_request, on_step=lambda step: None).context["charts"]

    assert "Outputs by kind Kind Outputs Research report 1 Total 1" in text
    assert "None recorded: Event report, Briefing, Blog post," in text
    assert "Briefing 0" not in text
    assert "Practice change 0 1 0 0 0 0 1 Total" in text
    assert "None recorded: Systems change, Research skills," in text
    assert list(charts["outputs-by-kind"].categories) == ["Research report"]
    assert list(charts["changes"].categories) == ["Practice change"]
