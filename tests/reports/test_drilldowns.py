"""Every linked figure of the demo's dashboards opens a list of exactly the records it counts.

The programme dashboard, every site's and every group's, each section, with and without a date
range: each figure and each chart or table cell that links to a list is followed, and the
list's count (the number it shows above its rows) must be the figure.

Dashboards and lists are asked for their context through their views, as the pages would be
for the signed-in user, without drawing them; the first and the last link to each list are
opened through the client as well, to check that the page shows that count. Every link of a
figure that is not zero is counted; of the zero ones (most cells of a cross-table), the first and
the last of each table of each dashboard.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse
from zeal import zeal_context

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
WEIGHED_COUNT = re.compile(r"activit(?:y|ies), counting (?:at least )?(\d+|unknown)")
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


def number(value) -> int:
    """A figure as a number: "about 12" and "at least 12" are 12; "unknown" (a count of records
    that give no number) counts none of them."""
    text = str(value).removeprefix("about ").removeprefix("at least ")
    return 0 if text == "unknown" else int(text)


def context_of(user, url, params=None):
    """The context the view at ``url`` gives its template for ``user``, the page not drawn."""
    match = resolve(urlsplit(url).path)
    request = RequestFactory().get(url, params)
    request.user = user
    # Watched on its own for N+1 queries, as the middleware watches each request.
    with zeal_context():
        return match.func(request, *match.args, **match.kwargs).context_data


def counted(user, url, weighed: bool) -> int:
    """The count the list at ``url`` shows ``user``: its rows, or what they count when weighed."""
    context = context_of(user, url)
    count = context["paginator"].count
    return context.get("contacts", count) if weighed else count


def listed(client, url, weighed: bool) -> int:
    """The count the list at ``url`` shows: its rows, or what they count when ``weighed``."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    (shown,) = SHOWN_COUNT.findall(page)
    assert int(shown) == response.context["paginator"].count
    counting = WEIGHED_COUNT.search(page)
    if weighed and counting:
        return number(counting.group(1))
    return int(shown)


def links_to_check(user, programme, dates) -> dict:
    """{(url, weighed, value): (dashboard, section, label, value)} of the links to count."""
    checked, zeros = {}, {}
    for dashboard_url in dashboards(programme):
        for section in SECTION_SLUGS:
            params = {"section": section, **dates}
            dashboard = context_of(user, dashboard_url, params)["dashboard"]
            for label, value, url, weighed in linked_figures(dashboard):
                if urlsplit(url).path not in LISTS:
                    continue
                key, where = (url, weighed, str(value)), (dashboard_url, section, label, value)
                if number(value):
                    checked[key] = where
                else:
                    table = (dashboard_url, section, label.split(":")[0])
                    zeros.setdefault(table, {})[key] = where
    for cells in zeros.values():
        for key in {*list(cells)[:1], *list(cells)[-1:]}:
            checked.setdefault(key, cells[key])
    return checked


def opened_pages(figures) -> set[str]:
    """The links to open as pages: the first and the last to each list, weighed or not."""
    by_list: dict[tuple[str, bool], list[str]] = {}
    for url, weighed, _ in figures:
        by_list.setdefault((urlsplit(url).path, weighed), []).append(url)
    return {url for urls in by_list.values() for url in (urls[0], urls[-1])}


@pytest.mark.parametrize("dates", [{}, RANGE], ids=["all dates", "a date range"])
def test_every_linked_figure_lists_exactly_what_it_counts(client, demo_programme, dates):
    manager = UserFactory()
    RoleFactory(user=manager, programme=demo_programme, site=None, role=RoleKind.PROGRAMME_MANAGER)
    client.force_login(manager)
    figures = links_to_check(manager, demo_programme, dates)

    opened, wrong = opened_pages(figures), []
    for (url, weighed, _), (dashboard_url, section, label, value) in figures.items():
        count = listed(client, url, weighed) if url in opened else counted(manager, url, weighed)
        if count != number(value):
            wrong.append((dashboard_url, section, label, value, url, count))

    assert len(figures) > 50
    assert {urlsplit(url).path for url in opened} == LISTS
    assert wrong == []
