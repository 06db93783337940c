"""The programme, site and group dashboards: who may read them, what they show, how fast."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from zeal import zeal_context, zeal_ignore

from accounts.enums import RoleKind
from car_programme import records_version
from events.enums import EventKind
from evidence.enums import Authorship, EvidenceOrder
from inquiries.enums import ActivityKind, GroupFigureKind, GroupKind, Level, MembershipRole
from inquiries.services import group_create
from reports import metrics
from reports.charts import DataTable
from reports.dashboards import DASHBOARD_SECTIONS, SECTION_SLUGS, Dashboard, Panel
from reports.rollups import theme_links_rebuild
from sites.enums import Sector
from sites.models import Organisation, Theme
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2016, 6, 30)
QUERY_BUDGET = 25


@pytest.fixture
def programme():
    return factories.ProgrammeFactory(slug="car")


@pytest.fixture
def fife(programme):
    return factories.CaseSiteFactory(programme=programme, name="Fife", slug="fife")


@pytest.fixture
def glasgow(programme):
    return factories.CaseSiteFactory(programme=programme, name="Glasgow", slug="glasgow")


def group_in(*sites, **kwargs):
    with zeal_ignore():
        group = factories.InquiryGroupFactory(programme=sites[0].programme, **kwargs)
        group.sites.set(sites)
    return group


def populate(site, *, groups):
    """``groups`` groups in ``site``, each with members of two sectors, meetings with
    attendance, a backstage tally, evidence, an output, a change, a themed event with feedback.

    Building rows one by one is not the N+1 the detector looks for in the pages. The records
    are linked with the ORM, not the services: their theme links are built as the loaders do."""
    with zeal_ignore():
        groups = _populate(site, groups=groups)
        theme_links_rebuild(site.programme)
        return groups


def _populate(site, *, groups):
    programme = site.programme
    theme = Theme.objects.filter(programme=programme).first() or factories.ThemeFactory(
        programme=programme
    )
    council = factories.OrganisationFactory(programme=programme, sector=Sector.LOCAL_AUTHORITY)
    charity = factories.OrganisationFactory(programme=programme, sector=Sector.THIRD_SECTOR)
    made = []
    for _number in range(groups):
        group = group_in(site)
        group.themes.set([theme])
        people = [
            factories.MembershipFactory(
                group=group,
                role=role,
                person__site=site,
                person__organisation=organisation,
                person__level=Level.OPERATIONAL,
            ).person
            for role, organisation in [
                (MembershipRole.CORE, council),
                (MembershipRole.CORE, charity),
                (MembershipRole.PERIPHERY, council),
            ]
        ]
        for day in (dt.date(2016, 1, 12), dt.date(2016, 5, 10)):
            meeting = factories.ActivityFactory(
                programme=programme, group=group, date=day, duration_minutes=90
            )
            for person in people:
                factories.AttendanceFactory(activity=meeting, person=person)
        factories.ActivityFactory(
            programme=programme, group=None, site=site, kind=ActivityKind.EMAIL, count=12
        )
        factories.GroupFigureFactory(group=group, value=25, label="officers")
        factories.GroupFigureFactory(
            group=group, kind=GroupFigureKind.MEETINGS, value=12, label="", source="000:1338"
        )
        factories.EvidenceItemFactory(
            programme=programme,
            group=group,
            sites=[site],
            collected_on=dt.date(2016, 2, 1),
            order=EvidenceOrder.SECOND,
            authorship=Authorship.RESEARCHER,
        )
        output = factories.OutputFactory(programme=programme, sites=[site])
        output.groups.set([group])
        factories.ChangeFactory(
            programme=programme, group=group, sites=[site], date=dt.date(2016, 3, 1)
        )
        event = factories.EventFactory(programme=programme, kind=EventKind.LEARNING_DAY)
        event.sites.set([site])
        question = factories.FeedbackQuestionFactory(
            form=factories.FeedbackFormFactory(event=event)
        )
        for score in (5, 4, 2):
            factories.FeedbackAnswerFactory(
                response=factories.FeedbackResponseFactory(form=question.form),
                question=question,
                score=score,
            )
        made.append(group)
    return made


def sign_in(client, user):
    # Django's test login reads the session twice, which the N+1 detector would take for one.
    with zeal_ignore():
        client.force_login(user)


def get(client, url, params=None):
    """One request, checked for N+1 queries on its own: the session and user lookups that every
    request repeats are not an N+1 of the test."""
    with zeal_context():
        return client.get(url, params or {})


def programme_url(programme):
    return reverse("reports:programme_dashboard", args=[programme.slug])


def site_url(site):
    return reverse("reports:site_dashboard", args=[site.programme.slug, site.slug])


def group_url(group):
    return reverse("reports:group_dashboard", args=[group.programme.slug, group.pk])


def figure(response, label):
    """A headline figure as the page shows it."""
    for panel in response.context["dashboard"].panels:
        for shown in panel.figures:
            if shown.label == label:
                return shown.value
    raise LookupError(label)


def table(response, slug):
    return response.context["dashboard"].table(slug)


# --- Access -----------------------------------------------------------------------------------


ROLES = {
    "manager": (RoleKind.PROGRAMME_MANAGER, None),
    "fife_researcher": (RoleKind.RESEARCHER, "fife"),
    "glasgow_researcher": (RoleKind.RESEARCHER, "glasgow"),
    "fife_lead": (RoleKind.STRATEGY_LEAD, "fife"),
    "glasgow_lead": (RoleKind.STRATEGY_LEAD, "glasgow"),
}


@pytest.fixture
def users(programme, fife, glasgow):
    sites = {"fife": fife, "glasgow": glasgow, None: None}
    made = {
        name: factories.user_with_role(kind, programme=programme, site=sites[site])
        for name, (kind, site) in ROLES.items()
    }
    made["other_manager"] = factories.user_with_role(
        RoleKind.PROGRAMME_MANAGER, programme=factories.ProgrammeFactory()
    )
    return made


@pytest.mark.parametrize(
    ("who", "programme_status", "fife_status", "fife_group_status"),
    [
        ("manager", 200, 200, 200),
        ("fife_researcher", 200, 200, 200),
        # Researchers read the rest of the programme: cross-site learning.
        ("glasgow_researcher", 200, 200, 200),
        ("fife_lead", 404, 200, 200),
        ("glasgow_lead", 404, 404, 404),
        ("other_manager", 404, 404, 404),
    ],
)
def test_each_role_reads_the_dashboards_it_may(
    client, users, programme, fife, who, programme_status, fife_status, fife_group_status
):
    group = group_in(fife)
    sign_in(client, users[who])

    assert get(client, programme_url(programme)).status_code == programme_status
    assert get(client, site_url(fife)).status_code == fife_status
    assert get(client, group_url(group)).status_code == fife_group_status


def test_anonymous_is_sent_to_sign_in(client, fife):
    response = get(client, site_url(fife))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_lead_of_fife_gets_404_on_glasgow_and_its_csv(client, users, glasgow):
    populate(glasgow, groups=1)
    sign_in(client, users["fife_lead"])

    assert get(client, site_url(glasgow)).status_code == 404
    csv_download = get(client, site_url(glasgow), {"chart": "headline", "format": "csv"})
    assert csv_download.status_code == 404


def test_site_filter_offers_only_sites_and_refuses_another_programmes(
    client, users, programme, fife, glasgow
):
    elsewhere = factories.CaseSiteFactory(name="Elsewhere")
    populate(fife, groups=1)
    sign_in(client, users["manager"])

    response = get(client, programme_url(programme), {"site": elsewhere.pk})

    form = response.context["form"]
    assert list(form.fields["site"].queryset) == [fife, glasgow]
    assert "site" in form.errors
    # The refused site is not applied: the figures stay the programme's.
    assert response.context["scope"].site is None
    assert figure(response, "Groups") == 1


def test_site_filter_narrows_the_programme_dashboard(client, users, programme, fife, glasgow):
    populate(fife, groups=2)
    populate(glasgow, groups=1)
    sign_in(client, users["manager"])

    everything = get(client, programme_url(programme))
    glasgow_only = get(client, programme_url(programme), {"site": glasgow.pk})

    assert figure(everything, "Groups") == 3
    assert figure(glasgow_only, "Groups") == 1


def test_no_names_without_consent_on_any_section(client, users, fife):
    group = group_in(fife)
    factories.MembershipFactory(group=group, person__name="Alison Hidden", person__site=fife)
    sign_in(client, users["fife_lead"])

    for section in SECTION_SLUGS:
        for url in (site_url(fife), group_url(group)):
            page = get(client, url, {"section": section}).content.decode()
            assert "Alison Hidden" not in page, (url, section)


# --- What the dashboards show -----------------------------------------------------------------


def test_site_dashboard_shows_metrics_figures_with_links_to_the_records(client, users, fife):
    populate(fife, groups=2)
    sign_in(client, users["fife_lead"])

    response = get(client, site_url(fife))

    expected = metrics.headline(scope=metrics.MetricScope(programme=fife.programme, site=fife))
    assert figure(response, "Groups") == expected.groups == 2
    assert figure(response, "Evidence items") == expected.evidence_items == 2
    page = response.content.decode()
    programme = f"programme={fife.programme.pk}"
    assert f'href="{reverse("inquiries:group_list")}?{programme}&amp;site={fife.pk}"' in page
    kinds = {row[0][0]: row[1] for row in table(response, "groups-by-kind").cells}
    value, url = kinds[GroupKind.CAR_INQUIRY.label]
    assert value == 2
    assert url == (
        f"{reverse('inquiries:group_list')}?{programme}&site={fife.pk}"
        f"&kind={GroupKind.CAR_INQUIRY.value}"
    )
    assert f'href="{url.replace("&", "&amp;")}"' in page


def test_group_dashboard_shows_published_totals_beside_the_recorded_figures(client, users, fife):
    (group,) = populate(fife, groups=1)
    sign_in(client, users["fife_researcher"])

    activity = get(client, group_url(group), {"section": "activity"})
    participation = get(client, group_url(group), {"section": "participation"})

    assert figure(activity, "Group meetings") == "2"
    assert table(activity, "published-meeting-counts").rows == (
        (str(group), "about 12", "meetings", "", "000:1338"),
    )
    assert table(participation, "published-head-counts").rows == (
        (str(group), "about 25", "officers", "", "000:1367 'Approx. 25 officers'"),
    )
    assert "about 12" in activity.content.decode()


def test_every_section_renders_its_charts_as_svg_with_a_data_table(client, users, fife):
    populate(fife, groups=1)
    sign_in(client, users["manager"])

    for section in SECTION_SLUGS:
        response = get(client, site_url(fife), {"section": section})
        page = response.content.decode()
        charts = [t for p in response.context["dashboard"].panels for t in p.tables if t.is_chart]
        drawn = [chart for chart in charts if not chart.is_empty]
        assert drawn, section
        assert page.count('role="img"') == len(drawn)
        assert page.count("<details") == len(drawn)
        assert "<script" not in page.split("<main", 1)[1], section
        assert "reports/charts.css" in page


def test_evidence_section_shows_table_a_linked_to_the_evidence_list(client, users, fife):
    populate(fife, groups=2)
    sign_in(client, users["fife_researcher"])

    response = get(client, site_url(fife), {"section": "evidence"})

    table_a = table(response, "table-a")
    researcher_row = next(row for row in table_a.cells if row[0][0] == Authorship.RESEARCHER.label)
    second_order = table_a.headers.index(EvidenceOrder.SECOND.label)
    value, url = researcher_row[second_order]
    assert value == 2
    assert url.startswith(reverse("evidence:evidence_list"))
    assert f"authorship={Authorship.RESEARCHER.value}" in url
    assert f"order={EvidenceOrder.SECOND.value}" in url


def test_evidence_section_lists_table_a_data_sources_in_their_rows(client, users, fife):
    populate(fife, groups=1)
    programme = fife.programme
    later = factories.EvidenceItemFactory(
        programme=programme, title="Desk notes", data_source_row=2
    )
    first = factories.EvidenceItemFactory(
        programme=programme,
        title="Context reports",
        authorship=Authorship.PRACTITIONER,
        data_source_row=1,
    )
    for item in (later, first):
        item.sites.set([fife])
    sign_in(client, users["fife_researcher"])

    response = get(client, site_url(fife), {"section": "evidence"})

    sources = table(response, "table-a-data-sources")
    assert sources.headers == ("Data", "Source/ Authors")
    assert sources.rows == (
        ("Context reports", Authorship.PRACTITIONER.label),
        ("Desk notes", Authorship.COLLABORATION.label),
    )
    assert sources.links[0] == (reverse("evidence:evidence_detail", args=[first.pk]), None)


def test_outputs_of_unknown_status_are_a_bar_linked_to_their_list(client, users, fife):
    populate(fife, groups=1)
    with zeal_ignore():
        factories.OutputFactory(programme=fife.programme, sites=[fife], status="")
    sign_in(client, users["fife_lead"])

    response = get(client, site_url(fife), {"section": "evidence"})

    by_status = table(response, "outputs-by-status")
    (value, url), *_ = next(row[1:] for row in by_status.cells if row[0][0] == "Unknown")
    assert value == 1
    assert "status=unknown" in url
    listed = client.get(url).context["outputs"]
    assert [output.status for output in listed] == [""]


def test_feedback_shares_scoring_4_or_5(client, users, fife):
    populate(fife, groups=1)
    sign_in(client, users["fife_lead"])

    response = get(client, site_url(fife), {"section": "themes"})

    shares = table(response, "feedback-statements")
    assert [row[1:4] for row in shares.rows] == [(3, 2, "67%")]


def test_date_filter_narrows_the_figures(client, users, fife):
    populate(fife, groups=2)
    sign_in(client, users["fife_lead"])

    everything = get(client, site_url(fife))
    spring = get(client, site_url(fife), {"start": "2016-04-01", "end": "2016-06-30"})

    # Two meetings a group, one in January and one in May; an email tally each (undated by
    # the factory's default date, January).
    assert figure(everything, "Activities") > figure(spring, "Activities")
    assert (
        figure(spring, "Activities")
        == metrics.headline(
            scope=metrics.MetricScope(
                programme=fife.programme,
                site=fife,
                start=dt.date(2016, 4, 1),
                end=dt.date(2016, 6, 30),
            )
        ).activities
    )
    assert "from 1 April 2016 to 30 June 2016" in spring.content.decode()


def test_an_end_before_the_start_is_refused_beside_the_field(client, users, fife):
    populate(fife, groups=1)
    sign_in(client, users["fife_lead"])

    response = get(client, site_url(fife), {"start": "2016-06-30", "end": "2016-01-01"})

    page = response.content.decode()
    assert response.context["form"].errors == {
        "end": ["The end date must be on or after the start date."]
    }
    end_field = page.index('id="id_end"')
    # Beside the field, and in the error summary at the top, which links to it.
    assert page.rindex("The end date must be on or after the start date.") > end_field
    assert '<a href="#id_end">' in page[:end_field]
    assert response.context["scope"].start is None


def test_health_panel_flags_a_quiet_group_with_evidence_but_no_output(client, users, fife):
    quiet = group_in(fife, name="Quiet group")
    factories.ActivityFactory(programme=fife.programme, group=quiet, date=dt.date(2015, 1, 1))
    factories.EvidenceItemFactory(programme=fife.programme, group=quiet, sites=[fife])
    busy = group_in(fife, name="Busy group")
    factories.ActivityFactory(programme=fife.programme, group=busy, date=dt.date.today())
    sign_in(client, users["fife_lead"])

    response = get(client, site_url(fife))

    health = table(response, "health")
    assert [row[:4] for row in health.rows] == [("Quiet group", "Yes", "", "Yes")]
    assert health.cells[0][0][1] == reverse("inquiries:group_detail", args=[quiet.pk])


def test_csv_download_holds_the_charts_data(client, users, fife):
    populate(fife, groups=2)
    sign_in(client, users["fife_lead"])

    response = get(
        client, site_url(fife), {"section": "overview", "chart": "groups-by-kind", "format": "csv"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="groups-by-kind.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Kind", "Groups"]
    assert [GroupKind.CAR_INQUIRY.label, "2"] in rows


def test_csv_download_of_headline_figures_keeps_the_date_filter(client, users, fife):
    populate(fife, groups=1)
    sign_in(client, users["fife_lead"])
    spring = {"start": "2016-04-01", "end": "2016-06-30"}

    page = get(client, site_url(fife), spring).content.decode()
    link = re.search(r'href="\?([^"]*chart=headline[^"]*)"', page).group(1)
    response = get(client, site_url(fife) + "?" + link.replace("&amp;", "&"))

    rows = dict(csv.reader(io.StringIO(response.content.decode())))
    assert "start=2016-04-01" in link
    assert rows["Activities"] == "1"


def test_unknown_chart_csv_is_404(client, users, fife):
    sign_in(client, users["fife_lead"])

    assert get(client, site_url(fife), {"chart": "nope", "format": "csv"}).status_code == 404


# --- Query counts -----------------------------------------------------------------------------


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        response = get(client, url, params)
    assert response.status_code == 200
    return len(captured)


def test_query_counts_are_within_budget_and_do_not_grow(
    client, users, programme, fife, glasgow, django_assert_max_num_queries
):
    sign_in(client, users["manager"])
    # The first signed-in request writes the session (renewed at most once a minute): not a page's.
    client.get("/")
    small_group = populate(fife, groups=1)[0]
    urls = {
        "programme": programme_url(programme),
        "site": site_url(fife),
        "group": group_url(small_group),
    }
    filters = {"start": "2015-01-01", "end": "2016-12-31"}
    cases = [
        (level, section, extra)
        for level in urls
        for section in SECTION_SLUGS
        for extra in ({}, filters)
    ]
    small = {}
    for level, section, extra in cases:
        with django_assert_max_num_queries(QUERY_BUDGET):
            small[level, section, bool(extra)] = _queries(
                client, urls[level], {"section": section, **extra}
            )

    populate(fife, groups=4)
    populate(glasgow, groups=4)
    with zeal_ignore():
        for person in factories.PersonFactory.create_batch(5, programme=programme, site=fife):
            factories.MembershipFactory(
                group=small_group, person=person, role=MembershipRole.PERIPHERY
            )
            meeting = factories.ActivityFactory(programme=programme, group=small_group)
            factories.AttendanceFactory(activity=meeting, person=person)
    for _number in range(3):
        group_in(fife, glasgow)
    # The factories write past the services, which would have moved the version on.
    records_version.touch(programme.pk)
    large = {
        (level, section, bool(extra)): _queries(client, urls[level], {"section": section, **extra})
        for level, section, extra in cases
    }

    assert large == small


def test_activities_per_month_say_how_many_have_no_known_date(client, users, fife):
    (group,) = populate(fife, groups=1)
    with zeal_ignore():
        factories.ActivityFactory(programme=fife.programme, group=group, date=None)
        factories.ActivityFactory(
            programme=fife.programme, group=group, kind=ActivityKind.EMAIL, date=None
        )
    sign_in(client, users["fife_lead"])

    response = get(client, site_url(fife), {"section": "activity"})

    # The undated email is a backstage contact, which the chart leaves to its own panel.
    assert table(response, "activities-per-month").note == "1 activity has no known date"
    assert "1 activity has no known date." in response.content.decode()
    assert figure(response, "Group meetings") == "3"


def test_joiners_per_quarter_say_how_many_have_no_known_date(client, users, fife):
    (group,) = populate(fife, groups=1)
    with zeal_ignore():
        factories.MembershipFactory(group=group, person__site=fife, joined_on=None)
    sign_in(client, users["fife_lead"])

    response = get(client, site_url(fife), {"section": "participation"})

    assert table(response, "turnover").note == "1 joiner has no known date"


def test_co_attendance_ranks_pairs_and_downloads_them_all(client, users, fife):
    populate(fife, groups=2)
    sign_in(client, users["fife_lead"])

    response = get(client, site_url(fife), {"section": "activity"})
    download = get(
        client,
        site_url(fife),
        {"section": "activity", "chart": "co-attendance-all", "format": "csv"},
    )

    council, charity = Organisation.objects.filter(programme=fife.programme).order_by("pk")
    # Both organisations attended the two meetings of each of the two groups.
    assert table(response, "co-attendance").rows == ((f"{council} and {charity}", 4),)
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows == [
        ["Organisation", "Organisation", "Activities together"],
        [council.name, charity.name, "4"],
    ]
    assert "co-attendance-all" in response.content.decode()


def test_cached_figures_follow_a_new_record(client, users, fife):
    populate(fife, groups=1)
    sign_in(client, users["fife_lead"])
    first = get(client, site_url(fife))
    warm = _queries(client, site_url(fife), {})

    group_create(
        sites=[fife], name="New inquiry", kind=GroupKind.CAR_INQUIRY, start_date=dt.date(2015, 6, 1)
    )
    after = get(client, site_url(fife))

    assert figure(first, "Groups") == 1
    assert figure(after, "Groups") == 2
    # Served from the cache, the page reads only the user, the site and its roles.
    assert warm < _queries(client, site_url(fife), {"start": "2016-01-01"})


def test_a_long_table_is_offered_as_csv_only():
    long = DataTable(slug="long", title="Long", headers=("Group",), rows=(("g",),) * 41)
    short = DataTable(slug="short", title="Short", headers=("Group",), rows=(("g",),) * 40)

    panel = Panel(slug="p", title="P", tables=[long, short])

    assert panel.tables == [short]
    assert panel.downloads == [long]
    assert Dashboard(section=DASHBOARD_SECTIONS[0], panels=[panel]).table("long") is long


def test_dashboard_index_lists_only_what_the_user_may_read(client, users, programme, fife, glasgow):
    sign_in(client, users["fife_lead"])

    page = client.get(reverse("reports:dashboard_index")).content.decode()

    assert reverse("reports:site_dashboard", args=[programme.slug, fife.slug]) in page
    assert glasgow.name not in page
    assert f'href="{reverse("reports:programme_dashboard", args=[programme.slug])}"' not in page


def test_many_sites_show_the_theme_totals_and_offer_the_grid_per_site_as_csv(
    client, users, programme, fife, glasgow, monkeypatch
):
    populate(fife, groups=1)
    populate(glasgow, groups=2)
    sign_in(client, users["manager"])
    few = get(client, programme_url(programme), {"section": "themes"})
    monkeypatch.setattr("reports.dashboards.themes.SITE_COLUMNS_SHOWN", 1)
    records_version.touch(programme.pk)  # the panel is built again, not read from the cache

    many = get(client, programme_url(programme), {"section": "themes"})

    grid = table(few, "themes-1")
    assert grid.headers[-2:] == ("Fife", "Glasgow")
    assert grid.rows[0][-2:] == (1, 2)  # the groups of each site touching the theme
    totals = table(many, "themes-1-totals")
    assert totals.headers == grid.headers[:-2]
    assert totals.rows == tuple(row[:-2] for row in grid.rows)
    assert "Fife" not in many.content.decode().split('id="panel-themes"')[1].split("</section>")[0]
    csv_rows = list(
        csv.reader(
            io.StringIO(
                get(
                    client,
                    programme_url(programme),
                    {"section": "themes", "chart": "themes-1", "format": "csv"},
                ).content.decode()
            )
        )
    )
    assert csv_rows[0][-2:] == ["Fife", "Glasgow"]
    assert [str(value) for value in grid.rows[0]] == csv_rows[1]


def test_the_programme_dashboard_links_to_each_site_until_they_are_too_many(
    client, users, programme, fife, glasgow, monkeypatch
):
    sign_in(client, users["manager"])
    fife_url = reverse("reports:site_dashboard", args=[programme.slug, fife.slug])

    few = get(client, programme_url(programme)).content.decode()
    monkeypatch.setattr("reports.views.dashboards.SITE_LINKS_SHOWN", 1)
    many = get(client, programme_url(programme)).content.decode()

    assert f'href="{fife_url}"' in few
    assert f'href="{fife_url}"' not in many
    assert f'href="{reverse("reports:dashboard_index")}"' in many
    # The filter still offers every site.
    assert f'<option value="{glasgow.pk}">Glasgow</option>' in many
