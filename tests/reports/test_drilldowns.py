"""Every linked figure of the demo's dashboards opens a list of exactly the records it counts.

The programme dashboard, every site's and every group's, each section, with and without a date
range: each figure and each chart or table cell that links to a list is followed, and the
list's count (the number it shows above its rows) must be the figure.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts.enums import RoleKind
from inquiries.models import InquiryGroup
from reports.dashboards import SECTION_SLUGS
from sites.models import CaseSite
from tests.factories.accounts import RoleFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# A range that starts and ends inside a month, so a monthly cell's link must keep to it.
RANGE = {"start": "2016-02-15", "end": "2016-11-20"}
LISTS = {
    reverse(name)
    for name in (
        "inquiries:group_list",
        "inquiries:person_list",
        "inquiries:activity_list",
        "sites:organisation_list",
        "evidence:evidence_list",
        "evidence:output_list",
        "evidence:change_list",
        "events:event_list",
    )
}
# Figures that weigh a tally by its count (a row recording two focus groups counts two): the
# list shows what its rows count beside their number.
WEIGHED = {"activities-per-month", "backstage", "Group meetings"}
WEIGHED_COUNT = re.compile(r"activit(?:y|ies), counting (\d+)")
SHOWN_COUNT = re.compile(
    r"<p>(\d+) (?:group|person|people|activit|organisation|item|output|change|event)"
)


def dashboards(programme):
    yield reverse("reports:programme_dashboard", args=[programme.slug])
    for site in CaseSite.objects.filter(programme=programme).order_by("name"):
        yield reverse("reports:site_dashboard", args=[programme.slug, site.slug])
    for group in InquiryGroup.objects.filter(programme=programme).order_by("name"):
        yield reverse("reports:group_dashboard", args=[programme.slug, group.pk])


def linked_figures(dashboard):
    """(label, value, url, weighed) of every figure and cell that links to a list."""
    for panel in dashboard.panels:
        for figure in panel.figures:
            if figure.url:
                yield figure.label, figure.value, figure.url, figure.label in WEIGHED
        for table in (*panel.tables, *panel.downloads):
            for row in table.cells:
                for value, url in row:
                    if url:
                        yield f"{table.slug}: {row[0][0]}", value, url, table.slug in WEIGHED


def listed(client, url, weighed: bool) -> int:
    """The count the list at ``url`` shows: its rows, or what they count when ``weighed``."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    (shown,) = SHOWN_COUNT.findall(page)
    assert int(shown) == response.context["paginator"].count
    counting = WEIGHED_COUNT.search(page)
    if weighed and counting:
        return int(counting.group(1))
    return int(shown)


@pytest.mark.parametrize("dates", [{}, RANGE], ids=["all dates", "a date range"])
def test_every_linked_figure_lists_exactly_what_it_counts(client, demo_programme, dates):
    manager = UserFactory()
    RoleFactory(user=manager, programme=demo_programme, site=None, role=RoleKind.PROGRAMME_MANAGER)
    client.force_login(manager)
    figures, wrong = {}, []
    for dashboard_url in dashboards(demo_programme):
        for section in SECTION_SLUGS:
            page = client.get(dashboard_url, {"section": section, **dates})
            for label, value, url, weighed in linked_figures(page.context["dashboard"]):
                if urlsplit(url).path in LISTS:
                    figures[(url, weighed, str(value))] = (dashboard_url, section, label, value)

    for (url, weighed, _), (dashboard_url, section, label, value) in figures.items():
        count = listed(client, url, weighed)
        if count != int(str(value).removeprefix("about ")):
            wrong.append((dashboard_url, section, label, value, url, count))

    assert len(figures) > 50
    assert wrong == []
