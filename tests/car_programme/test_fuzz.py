"""No bad value answers a server error: every page of the URLconf, its query parameters and
its forms are tried with NULs, long strings, odd unicode, huge and negative numbers and dates
out of range, signed in as a programme manager, a site researcher and a strategy lead, and
signed out.

The pages are found by following the links of the pages themselves from the home page; the
URL patterns are introspected so that every one is requested at least once (with an id that
exists where the crawl reached it, else with odd ids). Each form is posted as the page offers
it, its fields holding bad values, rotated so that each field meets every value.
"""

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from zeal import zeal_ignore

from events.enums import QuestionKind
from inquiries.enums import ActivityKind
from inquiries.models import Attachment, Consent
from reports.editions import chapter_save, edition_create
from reports.enums import ReportKind
from tests.cast import make_cast
from tests.factories.events import (
    AttendanceCountFactory,
    EventFactory,
    FeedbackAnswerFactory,
    FeedbackFormFactory,
    FeedbackQuestionFactory,
    FeedbackResponseFactory,
)
from tests.factories.evidence import ChangeFactory, EvidenceItemFactory, OutputFactory
from tests.factories.inquiries import (
    ActivityFactory,
    AttendanceFactory,
    CycleFactory,
    GroupFigureFactory,
    MembershipFactory,
)
from tests.factories.sites import (
    EngagementFigureFactory,
    OrganisationFactory,
    ProposedProjectFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

# Each value percent-encoded as it goes on the wire: a lone surrogate cannot be encoded as
# UTF-8 text, so its (invalid) bytes are written out directly.
BAD_VALUES = {
    "nul": quote("a\x00b"),
    "long": "x" * 10_000,
    "lone surrogate": "%ED%A0%80",
    "right-to-left": quote("\u202e\u200f\u0627\u0628\u062c\u200e"),
    "huge number": "9" * 30,
    "negative": "-1",
    "superscript digit": quote("²"),
    "not a number": "NaN",
    "far future": "9999-12-31",
    "year one": "0001-01-01",
    "no such day": "2016-02-30",
}
# The manager sees every page and form and tries every value on them; the other roles see
# mostly the same ones with less on them, and try a few.
THOROUGH = {"manager": True, "fife_researcher": False, "fife_lead": False, "anonymous": False}
# Parameters the views read from the query string themselves, besides their filter forms.
QUERY_NAMES = ["q", "page", "section", "chart", "format", "start", "end", "site", "group", "seen"]
# Never followed: they end the session, leave the product or are not pages of ours.
SKIPPED = ("/accounts/logout", "/admin/", "/static/", "/media/")
# Posted last: they remove the records the other forms need, or make them read-only.
DESTRUCTIVE = ("delete", "erase", "remove", "archive")
ODD_IDS = ["0", "9" * 19, "9" * 30]


class _Page(HTMLParser):
    """The links and forms of a page: ``forms`` is a list of (method, action, fields)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form = None
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = (attrs.get("method", "get").lower(), attrs.get("action") or "", {})
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form[2].setdefault(attrs["name"], [])
            elif kind not in ("file", "submit", "button", "image"):
                self._form[2].setdefault(attrs["name"], []).append(attrs.get("value", ""))
        elif tag == "select":
            self._select = attrs["name"]
            self._form[2].setdefault(self._select, [])
        elif tag == "option" and self._select is not None:
            if "selected" in attrs:
                self._form[2][self._select].append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form[2][self._textarea] = [""]

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            self._form[2][self._textarea] = [data]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _patterns(resolvers=None, prefix=""):
    """Every URL pattern of the URLconf as its full route, the administration left out."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                yield from _patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _route(path):
    try:
        return resolve(path).route
    except Resolver404:
        return None


def _encoded(fields: dict[str, list[str]], bad: dict[str, str]) -> str:
    """The form as the page offers it, the fields of ``bad`` holding their bad value."""
    pairs = []
    for name, values in fields.items():
        if name in bad:
            pairs.append(f"{quote(name)}={bad[name]}")
        else:
            pairs.extend(f"{quote(name)}={quote(value)}" for value in values)
    return "&".join(pairs)


def _rounds(names: list[str], count: int) -> list[dict[str, str]]:
    """``count`` assignments of bad values to ``names``, rotated: over len(BAD_VALUES) rounds
    each name meets every value."""
    values = list(BAD_VALUES.values())
    return [
        {name: values[(index + offset) % len(values)] for index, name in enumerate(names)}
        for offset in range(count)
    ]


class Fuzzer:
    def __init__(self, client):
        self.client = client
        self.client.raise_request_exception = False
        self.errors: list[str] = []
        self.requested: set[str] = set()

    def request(self, method, path, body=""):
        if method == "get":
            response = self.client.get(f"{path}?{body}" if body else path)
        else:
            response = self.client.post(
                path, body, content_type="application/x-www-form-urlencoded"
            )
        route = _route(urlsplit(path).path)
        if route is not None:
            self.requested.add(route)
        if response.status_code >= 500:
            self.errors.append(f"{method.upper()} {path} {body[:120]!r}: {response.status_code}")
        return response

    def crawl(self, starts, limit=200):
        """GET every page reachable from ``starts``, one per URL pattern."""
        pages, queue, seen = {}, list(starts), set()
        while queue and len(pages) < limit:
            parts = urlsplit(queue.pop(0))
            route = _route(parts.path)
            if parts.netloc or route is None or route in seen or parts.path.startswith(SKIPPED):
                continue
            seen.add(route)
            response = self.request("get", parts.path, parts.query)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            page = _Page()
            page.feed(response.content.decode())
            pages[parts.path] = page
            queue.extend(link.split("#")[0] for link in page.links)
        return pages

    def fuzz_queries(self, pages, thorough: bool):
        """Every query parameter of each page (its filter forms' and the ones views read) at
        once. Pages that take a query (a filter form, or links to themselves with one) get
        every bad value in every parameter; the others, which read none, a few."""
        for path, page in pages.items():
            names = set(QUERY_NAMES)
            takes_query = False
            for method, _action, fields in page.forms:
                if method == "get":
                    names.update(fields)
                    takes_query = True
            takes_query |= any(link.startswith(f"{path}?") for link in page.links)
            rounds = len(BAD_VALUES) if thorough and takes_query else 1
            for values in _rounds(sorted(names), rounds):
                self.request("get", path, "&".join(f"{quote(n)}={v}" for n, v in values.items()))

    def fuzz_forms(self, pages, thorough: bool):
        """Each POST form: every field with every bad value (rotated, so that one request
        holds several), then every other field only, the rest as the page offers them, so
        the checks across fields run too, then as offered, twice; the same form at another
        address, as offered."""
        forms = {}
        for path, page in pages.items():
            for method, action, fields in page.forms:
                target = urlsplit(action).path or path
                if method == "post" and not target.startswith(SKIPPED):
                    forms.setdefault((target, tuple(sorted(fields))), fields)
        ordered = sorted(forms.items(), key=lambda item: any(w in item[0][0] for w in DESTRUCTIVE))
        # A form of the same fields at another address (a record's new and edit pages) has
        # met every value at the first: at the others it is posted as offered, which reaches
        # their own service.
        checked = set()
        for (target, names), fields in ordered:
            if names in checked:
                self.request("post", target, _encoded(fields, {}))
                continue
            checked.add(names)
            for body in self._bodies(fields, names, thorough):
                self.request("post", target, body)

    @staticmethod
    def _bodies(fields, names, thorough: bool) -> list[str]:
        names = [n for n in names if n != "csrfmiddlewaretoken"]
        rounds = _rounds(names, len(BAD_VALUES) if thorough else 1)
        if thorough:
            rounds += [*_rounds(names[::2], 1), *_rounds(names[1::2], 1)]
            rounds += [{}]
        # Each body once: a form of few fields gives the same one in several rounds.
        bodies = list(dict.fromkeys(_encoded(fields, bad) for bad in rounds))
        if thorough:
            # As offered, again: the same record posted twice (a double click).
            bodies.append(_encoded(fields, {}))
        return bodies

    def fuzz_patterns(self, patterns):
        """Text parameters of the URL with every bad value; the patterns the crawl did not
        reach with odd ids (and their other parameters with a plain word)."""
        for route in patterns:
            if "<str:" in route:
                for value in BAD_VALUES.values():
                    self.request("get", "/" + re.sub(r"<str:\w+>", value, route))
            if route not in self.requested:
                for odd in ODD_IDS:
                    path = re.sub(r"<int:\w+>", odd, "/" + route)
                    self.request("get", re.sub(r"<\w+:\w+>", "x", path))


def _records(cast):
    """One record of every kind around the cast's Fife group, as the pages link to them."""
    programme, group, site = cast.group.programme, cast.group, cast.fife
    organisation = OrganisationFactory(programme=programme)
    theme = ThemeFactory(programme=programme)
    group.themes.set([theme])
    membership = MembershipFactory(
        group=group, person__site=site, person__organisation=organisation
    )
    person = membership.person
    Consent.objects.create(
        person=person, use="named", given_on=dt.date(2016, 1, 1), method="written"
    )
    CycleFactory(group=group)
    GroupFigureFactory(group=group)
    meeting = ActivityFactory(programme=programme, group=group, duration_minutes=60)
    AttendanceFactory(activity=meeting, person=person)
    Attachment.objects.create(
        activity=meeting, file=ContentFile(b"notes", name="notes.txt"), original_name="notes.txt"
    )
    ActivityFactory(programme=programme, group=None, site=site, kind=ActivityKind.EMAIL, count=3)
    EvidenceItemFactory(programme=programme, group=group, sites=[site])
    output = OutputFactory(programme=programme, sites=[site])
    output.groups.set([group])
    ChangeFactory(programme=programme, group=group, sites=[site])
    event = EventFactory(programme=programme)
    event.sites.set([site])
    event.groups.set([group])
    AttendanceCountFactory(event=event)
    form = FeedbackFormFactory(event=event)
    question = FeedbackQuestionFactory(form=form, kind=QuestionKind.LIKERT)
    FeedbackQuestionFactory(form=form, kind=QuestionKind.FREE_TEXT, text="What else?")
    FeedbackAnswerFactory(response=FeedbackResponseFactory(form=form), question=question, score=4)
    ProposedProjectFactory(site=site)
    EngagementFigureFactory(site=site)
    edition = edition_create(
        by=cast.manager, kind=ReportKind.SITE, programme=programme, site=site, title="Fife"
    )
    foreword = edition.chapters.get(title="Foreword")
    chapter_save(chapter=foreword, by=cast.manager, title="Foreword", body="Draft.")
    chapter_save(
        chapter=foreword, by=cast.manager, title="Foreword", body=f"[[output:{output.pk}]]"
    )
    return form


@pytest.mark.parametrize("role", list(THOROUGH))
def test_no_bad_value_answers_a_server_error(client, settings, role):
    # One test per role, so that parallel processes share the work.
    # The crawl is not a page's query pattern: the N+1 detector is for the page tests.
    settings.ZEAL_RAISE = False
    with zeal_ignore():
        cast = make_cast()
        feedback_form = _records(cast)
    fuzzer = Fuzzer(client)
    starts = ["/", "/search/?q=a", f"/feedback/{feedback_form.token}/"]
    if role == "anonymous":
        starts = ["/accounts/login/", "/accounts/password/reset/", *starts[2:]]
    else:
        client.force_login(getattr(cast, role))
    pages = fuzzer.crawl(starts)
    fuzzer.fuzz_queries(pages, THOROUGH[role])
    fuzzer.fuzz_forms(pages, THOROUGH[role])
    if role == "anonymous":
        # Signed out, every pattern the crawl did not reach is requested with odd ids.
        fuzzer.fuzz_patterns(list(_patterns()))
        assert set(_patterns()) <= fuzzer.requested

    assert fuzzer.errors == []
