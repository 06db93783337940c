"""Each key of the demo description has a home: the keys the loader once dropped are held
and shown (cited as seed:line)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.enums import RoleKind
from car_programme.dates import DatePrecision
from events.models import Event
from inquiries.enums import MembershipRole
from inquiries.models import Activity, Membership
from reports import documents
from reports.enums import ReportKind
from reports.models import ReportRequest
from sites.models import CaseSite, EngagementFigure, ProgrammeFigure
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db


def test_the_programme_holds_its_published_figures_with_qualifier_and_source(demo_programme):
    figures = ProgrammeFigure.objects.filter(programme=demo_programme)

    assert [(f.value, f.qualifier, f.source) for f in figures] == [
        (60, "more than", "000:317"),  # "more than 60 PLC sessions"
        (100, "more than", "004:69-70"),  # "more than 100 publications"
        (9, "", "000:22"),  # "A further nine areas"
    ]
    assert figures[0].figure() == "more than 60 PLC sessions held over three years"


def test_the_programme_holds_its_learning_community(demo_programme):
    # 000:315 "from mid-2015 the researchers initiated a professional learning community (PLC)"
    assert demo_programme.learning_community_name.startswith("Professional learning community")
    assert "co-ordinate, shape and develop" in demo_programme.learning_community_description
    assert demo_programme.learning_community_start.year == 2015
    assert demo_programme.learning_community_start_precision == DatePrecision.YEAR


def test_engagement_figures_keep_their_source(demo_programme):
    fife = CaseSite.objects.get(programme=demo_programme, name="Fife")
    sources = dict(EngagementFigure.objects.filter(site=fife).values_list("label", "source"))

    assert sources["practitioners engaged with"] == "000:1185"
    assert sources["weeks of engagement"] == "000:1183"


def test_a_site_keeps_the_notes_of_its_engagement(demo_programme):
    sites = dict(
        CaseSite.objects.filter(programme=demo_programme).values_list("name", "engagement_notes")
    )

    # 000:1193 "Establishing a Knowledge Hub (and delivering KHub training)"; 000:1171
    assert sites["Fife"].startswith("Establishing a Knowledge Hub (and delivering KHub training)")
    assert "critical reflection research template" in sites["Fife"]
    # 000:1241 strategic liaison with the Head of Democratic Services
    assert sites["Glasgow"].startswith("Strategic liaison with the Head of Democratic Services")
    # 000:1148 "What Works Scotland national events, including ... the prevention seminar series"
    assert "prevention seminar series" in sites["Aberdeenshire"]
    # 000:440 "participants from more remote areas such as Aberdeenshire and West Dunbartonshire
    # were more limited in their ability to attend some of the national WWS events"
    for remote in ("Aberdeenshire", "West Dunbartonshire"):
        assert "more limited in their ability to attend" in sites[remote]


def test_a_tally_keeps_its_published_response_rate(demo_programme):
    tally = Activity.objects.get(
        programme=demo_programme, title="incoming emails (99.5% response rate)"
    )

    # 000:1184 "703 incoming emails (99.5% response rate)"
    assert (tally.count, tally.notes) == (703, "Response rate as published: 99.5%.")


def test_an_event_keeps_its_date_note(demo_programme):
    event = Event.objects.get(
        programme=demo_programme, title__startswith="Community Conversations That Matter"
    )

    # 000:1377: the timing column says November 2015, the presenter's column August 2016, so
    # the date is unknown and the note gives both.
    assert event.start_date is None
    assert "'One-day event November 2015'" in event.date_note
    assert "'August, 2016'" in event.date_note


def test_a_published_count_that_includes_the_researchers_counts_them_once(demo_programme):
    memberships = Membership.objects.filter(
        group__programme=demo_programme,
        group__short_name="Beyond Action Learning",
        role=MembershipRole.CORE,
    )

    # 000:1317 "Team of three people from HSCP, NHS Grampian, What Works Scotland"
    assert memberships.count() == 3
    named = memberships.filter(person__user__isnull=False).values_list("person__name", flat=True)
    assert list(named) == ["James Henderson"]


def test_the_pages_show_the_date_note_and_the_engagement_notes(client, demo_programme):
    fife = CaseSite.objects.get(programme=demo_programme, name="Fife")
    event = Event.objects.get(programme=demo_programme, date_note__contains="August, 2016")
    client.force_login(user_with_role(RoleKind.PROGRAMME_MANAGER, programme=demo_programme))

    site_page = client.get(reverse("sites:site_detail", args=[fife.pk])).content.decode()
    event_page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()

    assert "Establishing a Knowledge Hub (and delivering KHub training)" in site_page
    assert "About the dates:" in event_page and "August, 2016" in event_page


def test_the_end_of_programme_report_prints_the_programme_figures_and_notes(demo_programme):
    manager = user_with_role(RoleKind.PROGRAMME_MANAGER, programme=demo_programme)
    report_request = ReportRequest.objects.create(
        programme=demo_programme, kind=ReportKind.END_OF_PROGRAMME, requested_by=manager
    )

    document = documents.build_document(report_request, on_step=lambda step: None)
    html = render_to_string(document.template_name, document.context)

    assert "Published figures of the programme" in html
    assert "more than 60" in html and "Published (000:317)" in html
    assert "Professional learning community (PLC) of the CAR researchers" in html
    assert "Establishing a Knowledge Hub (and delivering KHub training)" in html
