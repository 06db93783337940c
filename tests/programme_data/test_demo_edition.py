"""The demo's end-of-programme edition: loaded once, its citations the demo's records that the
seeds name (seed:line), and rendered into a PDF whose References list them."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from accounts.enums import RoleKind
from reports import editions, services
from reports.documents import authored
from reports.enums import ReportKind, ReportStatus
from reports.models import Edition
from tests.factories import ProgrammeFactory
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db

# The seed documents (seeds/README.md) live beside the project, not in it.
SEEDS = Path(os.environ.get("CAR_SEEDS", "/work/shared/seeds"))
TITLE = (
    "Collaborative Action Research and public services: insights into methods, findings and"
    " implications for public service reform"
)

# Each record the edition cites, by its kind and title, with the seed lines that name it and
# the words of that name which the record's title (or, for a change, its description) holds.
CITED = {
    ("output", TITLE): ("000", 3, 3, TITLE),
    ("output", "Key messages about public service reform in Scotland"): (
        "004", 2, 5, "Key messages about public service reform in Scotland"
    ),
    ("output", "Collaborative Action Retreat Report: Summary of Retreat Held in June 2015"): (
        "000", 921, 921, "Collaborative Action Retreat Report: Summary of Retreat Held in June 2015"
    ),
    (
        "output",
        '"Challenge Current Practice and Assumptions! Make waves!!" What Works Scotland'
        " Collaborative Learning Event 23 & 24 February 2016",
    ): ("000", 923, 923, '"Challenge Current Practice and Assumptions! Make waves!!"'),
    (
        "output",
        "Learning about community capacity-building from the Community Links Worker approach in"
        " Insch, Aberdeenshire (2013-16): a collaborative action research inquiry (cycle 1)",
    ): (
        "000", 1024, 1025,
        "Learning about community capacity-building from the Community Links Worker approach in"
        " Insch, Aberdeenshire (2013-16): a collaborative action research inquiry (cycle 1)",
    ),
    ("output", "Schools Partnership inquiry team report"): (
        "000", 704, 704, "Schools Partnership inquiry team report"
    ),
    (
        "output",
        "Insights from 'Your Community' \u2013 a place-based approach to public service reform",
    ): (
        "000", 704, 704,
        "Insights from 'Your Community' \u2013 a place-based approach to public service reform",
    ),
    ("output", "Participatory Budgeting evaluation toolkit"): (
        "000", 1243, 1243, "evaluation toolkit"
    ),
    ("output", "Info-graphic on what works in community-led action planning"): (
        "000", 706, 706, "info-graphic on what works in community-led action planning"
    ),
    (
        "output",
        "Public service reform and participatory budgeting: How can Scotland learn from"
        " international evidence?",
    ): (
        "000", 926, 926,
        "Public service reform and participatory budgeting: How can Scotland learn from"
        " international evidence?",
    ),
    ("output", "Operation Modulus: Putting Christie into Practice in Gorbals"): (
        "000", 927, 927, "Operation Modulus: Putting Christie into Practice in Gorbals"
    ),
    ("output", "Inquiring into Multi-layered, Preventative Partnership"): (
        "000", 1035, 1035, "Inquiring into Multi-layered, Preventative Partnership"
    ),
    (
        "output",
        "Evaluability Assessment of Thriving Places: a Report for Glasgow Community Planning"
        " Partnership",
    ): (
        "000", 925, 925,
        "Evaluability Assessment of Thriving Places: a Report for Glasgow Community Planning"
        " Partnership",
    ),
    ("event", "National event 1"): ("000", 388, 388, "National event 1"),
    ("event", "National event 2: first collaborative retreat"): (
        "000", 401, 401, "National event 2"
    ),
    ("event", "National event 3: What Works Scotland Collaborative Learning Event"): (
        "000", 415, 415, "National event 3"
    ),
    ("event", "Facilitation training \u2013 dialogue and deliberation (training for trainers)"): (
        "000", 1355, 1355, "facilitation training \u2013 dialogue and deliberation"
    ),
    ("event", "Paris Participatory Budgeting learning visit"): (
        "000", 462, 462, "Paris Participatory Budgeting"
    ),
    ("event", "National WWS learning event on preventative spend"): (
        "000", 1127, 1129, "learning event on preventative spend"
    ),
    ("evidence", "Partnership Working Across UK Public Services (Cook, 2015)"): (
        "000", 931, 931, "Partnership Working Across UK Public Services"
    ),
    (
        "evidence",
        "Review of First Generation Participatory Budgeting in Scotland (Harkins & Escobar, 2016)",
    ): ("000", 1009, 1009, "Review of First Generation Participatory Budgeting in Scotland"),
    (
        "change",
        "Glasgow/Fife PB visit disseminated to PB practitioners across Scotland and beyond",
    ): ("000", 874, 874, "multiple disseminations by inquiry group participants"),
    ("change", "Theory of change shifted practitioners beyond performance measurement"): (
        "000", 665, 665,
        "reflecting on their assumptions about how planned interventions might lead to change",
    ),
    ("change", "Multi-layered preventative partnership working developed over time"): (
        "000", 745, 745,
        "multi-layered preventative partnership working developed from early scoping work",
    ),
    (
        "change",
        "Fife strategy group shared CAR learning with the CPP Board and senior management",
    ): ("000", 721, 721, "recommended future ways of working to meet 'Christie'"),
    (
        "change",
        "Evaluability Assessment built a shared theory of change among about 25 officers",
    ): (
        "000", 722, 722,
        "brought together 25 officers working at multiple levels in the CPP to develop a theory"
        " of change",
    ),
    ("change", "Spaces for dialogue across departments and partners"): (
        "000", 723, 723, "a development day on community-led planning"
    ),
    ("change", "Local staff upskilled to use the sanctions database"): (
        "000", 1201, 1201, "upskilled local staff to continue to use the"
    ),
    ("change", "Case study group members developed research skills"): (
        "000", 733, 733, "the writing of other CAR group members"
    ),
    ("change", "Development days supported the CPP's review of its partnership structures"): (
        "000", 1126, 1126, "consider how to build stronger partnership-working"
    ),
    (
        "change",
        "Your Community evaluation led to a national facilitative leadership programme",
    ): ("000", 876, 876, "into a national programme of facilitative leadership"),
    (
        "change",
        "Fife practitioners took ownership of group dynamics and collaborative leadership",
    ): ("000", 753, 753, "took ownership for group dynamics and collaborative leadership"),
    ("change", "Collaborative dissertations mainstreamed within the University of Glasgow"): (
        "000", 1261, 1261, "mainstreamed within the University"
    ),
}  # fmt: skip


def _plain(text: str) -> str:
    """Text as compared: no emphasis marks, straight quotes, single spaces, one case."""
    text = text.replace("*", "").replace("\u2018", "'").replace("\u2019", "'")
    return " ".join(text.split()).casefold()


def _seed_lines(seed: str, first: int, last: int) -> str:
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    return "\n".join(path.read_text(encoding="utf-8").splitlines()[first - 1 : last])


def _edition(programme) -> Edition:
    return Edition.objects.get(programme=programme, kind=ReportKind.END_OF_PROGRAMME)


def _cited_records(edition) -> dict:
    chapters = editions.edition_text(edition)["chapters"]
    manager = user_with_role(RoleKind.PROGRAMME_MANAGER, programme=edition.programme)
    cited = authored.citations(chapters)
    return authored.cited_records(edition.programme, manager, cited)


def test_the_demo_has_one_edition_with_the_working_papers_title_page(demo_programme):
    edition = _edition(demo_programme)

    # 000:3 the title, 000:5 the authors, 000:36 "published by What Works Scotland"; nothing
    # else of the cover is in the seeds.
    assert edition.title == TITLE
    assert edition.authors.splitlines() == [
        "Richard Brunner",
        "Hayley Bennett",
        "Claire Bynner",
        "James Henderson",
    ]
    assert edition.publisher == "What Works Scotland"
    assert (edition.subtitle, edition.published_on, edition.licence, edition.citation) == (
        "",
        None,
        "",
        "",
    )


def test_the_demo_edition_follows_the_working_papers_order(demo_programme):
    edition = _edition(demo_programme)

    chapters = list(edition.chapters.values_list("title", "section"))

    # 000:53-81: foreword, introduction, section 1 (with Tables A and B and the timeline of
    # joint activities), section 2's findings, then the appendix of the sites' groups.
    assert chapters == [
        ("Foreword", ""),
        ("Introduction", ""),
        ("Approach", ""),
        ("Timeline of joint activities", "timeline"),
        ("Findings", ""),
        ("Researcher engagement", "engagement"),
        ("Outputs", "outputs"),
        ("Changes", "changes"),
        ("Coverage by theme", "themes"),
        ("Events and feedback", "events"),
        ("Key messages", ""),
        ("Implications", ""),
        ("Appendix: groups per site", "appendix"),
    ]
    approach = edition.chapters.get(title="Approach").body
    assert authored.figures([{"body": approach}]) == ["table-a", "table-b"]


def test_every_citation_is_a_demo_record_the_seeds_name(demo_programme):
    edition = _edition(demo_programme)

    records = _cited_records(edition)

    titles = {
        (kind, getattr(record, authored.CITABLE[kind].title)): record
        for (kind, _pk), record in records.items()
    }
    assert set(titles) == set(CITED)
    for (kind, title), (_seed, _first, _last, named) in CITED.items():
        holds = title if kind != "change" else f"{title} {titles[(kind, title)].description}"
        assert _plain(named) in _plain(holds), (kind, title)


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not in {SEEDS}")
def test_the_seed_lines_name_each_cited_record():
    for seed, first, last, named in CITED.values():
        assert _plain(named) in _plain(_seed_lines(seed, first, last)), (seed, first, named)


def test_every_key_message_cites_the_records_of_its_theme(demo_programme):
    body = _edition(demo_programme).chapters.get(title="Key messages").body

    # 004:77-116: the eight messages, in order, each with at least one record of the demo.
    themes = re.findall(r"^\d\. \*\*(\w+)\.\*\*(.*)$", body, flags=re.MULTILINE)
    assert [theme for theme, _text in themes] == [
        "Participation",
        "Partnership",
        "Governance",
        "Workforce",
        "Leadership",
        "Prevention",
        "Place",
        "Evidence",
    ]
    assert all(authored.CITATION.search(text) for _theme, text in themes)


def test_the_demo_edition_renders_with_its_references(demo_programme):
    edition = _edition(demo_programme)
    manager = user_with_role(RoleKind.PROGRAMME_MANAGER, programme=demo_programme)

    version = editions.edition_render(edition=edition, by=manager)
    services.render(version.pk)
    version.refresh_from_db()

    assert version.status == ReportStatus.READY, version.error
    with version.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # The contents list names the References first; the pages after print it in their header.
    _cover_and_contents, _chapters, references = text.split("References", 2)
    for _kind, title in CITED:
        assert " ".join(title.split()[:6]) in references, title
    assert "[[" not in text
    # The tables placed in the Approach print there, where the working paper has them.
    approach = text.split("Evidence of two orders", 1)[1].split("Working across the four", 1)[0]
    assert approach.index("Table A: data sources") < approach.index("What the sites proposed")
    assert "Table B:" in approach.split("What the sites proposed", 1)[1]


def test_loading_the_demo_again_keeps_one_edition_as_it_was(demo_programme):
    edition = _edition(demo_programme)
    bodies = list(edition.chapters.values_list("pk", "body"))

    # Another programme's edition of the same title, with a chapter the file does not list.
    neighbour = editions.edition_create(
        by=None,
        kind=ReportKind.END_OF_PROGRAMME,
        programme=ProgrammeFactory(),
        title=edition.title,
    )
    neighbour_chapters = list(neighbour.chapters.values_list("pk", "title", "body"))

    call_command("load_demo", stdout=io.StringIO())

    assert Edition.objects.filter(programme=demo_programme).count() == 1
    assert list(edition.chapters.values_list("pk", "body")) == bodies
    assert list(neighbour.chapters.values_list("pk", "title", "body")) == neighbour_chapters
