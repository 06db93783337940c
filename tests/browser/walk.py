"""The main pages of a signed-in role: each section of the navigation and the first detail
page of each kind of record the sections link to. The browser walks (content security policy,
accessibility) open the same pages."""

from urllib.parse import urlsplit

# A detail page of each kind, and each dashboard, is reached from the navigation's pages.
DETAIL_LINKS = (
    "main a[href^='/sites/'], main a[href^='/groups/'], main a[href^='/activities/'], "
    "main a[href^='/people/'], main a[href^='/events/'], main a[href^='/evidence/'], "
    "main a[href^='/outputs/'], main a[href^='/changes/'], main a[href^='/dashboards/'], "
    "main a[href^='/reports/'], main a[href^='/exports/'], main a[href^='/organisations/'], "
    "main a[href^='/programmes/']"
)


def links(browser, selector: str) -> list[str]:
    hrefs = browser.page.locator(selector).evaluate_all("as => as.map(a => a.href)")
    return [urlsplit(href)._replace(scheme="", netloc="").geturl() for href in hrefs]


def main_pages(browser, visit) -> dict[str, object]:
    """Opens, with ``visit(browser, path)``, the signed-in user's home, each section of the
    navigation and a detail page of each kind they link to; answers what ``visit`` answered
    for each path."""
    found = {}
    browser.goto("/")
    sections = ["/", *links(browser, "nav[aria-label='Main'] a")]
    details = []
    for path in sections:
        found[path] = visit(browser, path)
        # The first record of each kind the section links to (a site, a group, a dashboard).
        kinds = set()
        for link in links(browser, DETAIL_LINKS):
            kind = link.split("/")[1]
            if kind not in kinds and link not in sections + details and "download" not in link:
                kinds.add(kind)
                details.append(link)
    for path in details:
        found[path] = visit(browser, path)

    assert len(sections) >= 12 and len(details) > 10, (sections, details)
    return found
