"""Editions: authored chapters with citations and figures, rendered through the real services
into a PDF read back as text, anonymised in the text too, and compared version to version."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from docx import Document as WordDocument
from PIL import Image
from pypdf import PdfReader

from accounts.enums import RoleKind
from evidence.models import Output
from inquiries.models import Person
from reports import editions, metrics, services
from reports.enums import ReportKind, ReportStatus
from reports.kinds import KINDS
from reports.models import Chapter, ReportRequest
from tests import factories


def _edition(world, **cover):
    return editions.edition_create(
        by=world["by"],
        kind=ReportKind.END_OF_PROGRAMME,
        programme=world["programme"],
        title=cover.pop("title", "Learning together in Northshire"),
        **cover,
    )


def _write(edition, **bodies):
    """Save a draft of each chapter named (by its title, spaces as underscores)."""
    chapters = {chapter.title: chapter for chapter in Chapter.objects.filter(edition=edition)}
    for key, body in bodies.items():
        title = key.replace("_", " ")
        editions.chapter_save(chapter=chapters[title], by=None, title=title, body=body)


def _rendered(edition, by) -> tuple[ReportRequest, str]:
    """A version rendered through the services as a worker renders it, and its text."""
    version = editions.edition_render(edition=edition, by=by)
    services.render(version.pk)
    version.refresh_from_db()
    assert version.status == ReportStatus.READY, version.error
    with version.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return version, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_new_edition_has_the_usual_chapters_around_the_kinds_data_chapters(world):
    edition = _edition(world)

    titles = list(edition.chapters.values_list("title", "section"))
    data = [(label, slug) for slug, label in KINDS[ReportKind.END_OF_PROGRAMME].sections]
    assert titles == [
        ("Foreword", ""),
        ("Introduction", ""),
        ("Approach", ""),
        *data,
        ("Key messages", ""),
        ("Implications", ""),
    ]


def test_an_edition_prints_its_chapters_citations_figure_and_references(world):
    programme = world["programme"]
    output = Output.objects.get(title="Carers' briefing")
    change = programme.changes.get(title="Carers' clinic opened")
    edition = _edition(
        world,
        subtitle="What the partnership learnt",
        authors="Ann Author\nNorthshire University",
        publisher="The Northshire Partnership",
        licence="Creative Commons Attribution 4.0",
        citation="Author, A. (2017) Learning together. Northshire.",
    )
    _write(
        edition,
        Introduction=f"The briefing [[output:{output.pk}]] came first.",
        Key_messages=f"The clinic [[change:{change.pk}]] followed the briefing "
        f"[[output:{output.pk}]].\n\n"
        "[[figure:table-b]]\n\nThat is the table.",
    )
    Chapter.objects.filter(edition=edition, section="timeline").delete()

    version, text = _rendered(edition, world["by"])

    cover, rest = text.split("Contents", 1)
    for fact in (
        "Learning together in Northshire",
        "What the partnership learnt",
        "Ann Author, Northshire University",
        "The Northshire Partnership",
        "Creative Commons Attribution 4.0",
        "Author, A. (2017) Learning together.",
    ):
        assert fact in cover
    # The chapters in the authors' order; unwritten ones and the removed one print nothing.
    body = rest.split("Page 2 of", 1)[1]
    assert "Introduction The briefing [1] came first. Table A: data sources" in body
    assert body.index("Table A: data sources") < body.index("Key messages The clinic [2]")
    assert "That is the table. References" in body
    assert "Foreword" not in rest and "Timeline of joint activities" not in rest
    # Each citation numbered in the order first cited, each record listed once.
    assert "The clinic [2] followed the briefing [1]." in body
    references = body.split("That is the table. References", 1)[1]
    assert references.count("Carers' briefing") == 1
    assert references.index("Carers' briefing. Output.") < references.index(
        "Carers' clinic opened. Change."
    )
    assert "http://127.0.0.1:8000" + output.get_absolute_url() in references
    # The placed figure is the metrics layer's Table B for the edition's scope.
    rows = metrics.table_b(scope=metrics.MetricScope(programme=programme))
    # The chapter's own text, not its name in a page's running header.
    message = rest.split("Key messages The clinic", 1)[1]
    for site in rows:
        assert f"Table B: {site.site_name}, proposed and delivered projects" in message
        for project in site.proposed:
            assert project.title in message
    assert message.index("Table B:") < message.index("That is the table.")
    printed = {chapter["title"]: chapter["body"] for chapter in version.text["chapters"]}
    assert printed["Key messages"] == Chapter.objects.get(title="Key messages").body


def test_an_anonymised_edition_prints_pseudonyms_for_names_written_in_its_text(world):
    private = Person.objects.get(name="Hamish Private")
    edition = _edition(world, title="What Hamish Private taught us")
    _write(
        edition,
        Foreword="Hamish Private and Morag Consenting led it; Hamish Privateer did not.",
    )

    warnings = editions.edition_name_warnings(edition)
    _version, text = _rendered(edition, world["by"])

    assert [(w.name, w.pseudonym) for w in warnings] == [("Hamish Private", private.pseudonym)]
    assert "Hamish Private " not in text and "Hamish Private and" not in text
    assert f"What {private.pseudonym} taught us" in text
    assert f"{private.pseudonym} and Morag Consenting led it; Hamish Privateer did not." in text


def test_a_version_that_names_people_is_for_those_who_may_see_them(world):
    edition = _edition(world, anonymise=False)
    _write(edition, Foreword="Hamish Private led it.")

    version, text = _rendered(edition, world["by"])

    assert "Hamish Private led it." in text
    assert set(version.named_people.values_list("name", flat=True)) >= {"Hamish Private"}


def test_an_edition_cannot_cite_a_record_of_another_programme(world):
    elsewhere = factories.OutputFactory(title="Someone else's briefing")
    edition = _edition(world)
    _write(edition, Foreword=f"See [[output:{elsewhere.pk}]] and [[figure:no-such]].")

    with pytest.raises(ValidationError) as refused:
        editions.edition_render(edition=edition, by=world["by"])

    assert f"output {elsewhere.pk}" in str(refused.value)
    assert "no figure called no-such" in str(refused.value)
    assert not ReportRequest.objects.filter(edition=edition).exists()


def test_a_later_version_shows_what_changed_in_its_text(world):
    edition = _edition(world)
    _write(edition, Foreword="First line.\nSecond line.")
    first = editions.edition_render(edition=edition, by=world["by"])
    _write(edition, Foreword="First line.\nA better second line.")
    editions.chapter_add(edition=edition, by=None, title="Afterword", body="Thanks.")
    second = editions.edition_render(edition=edition, by=world["by"])

    assert editions.previous_version(second) == first
    changes = {
        c.title: c.lines for c in editions.text_changes(second, editions.previous_version(second))
    }

    assert set(changes) == {"Foreword", "Afterword"}
    assert (
        "-Second line." in changes["Foreword"] and "+A better second line." in changes["Foreword"]
    )
    assert changes["Afterword"][-1] == "+Thanks."
    assert first.text["chapters"][0]["body"] == "First line.\nSecond line."


def test_chapters_move_within_their_edition(world):
    edition = _edition(world)
    implications = edition.chapters.get(title="Implications")

    editions.chapter_move(chapter=implications, by=None, offset=-100)

    assert edition.chapters.order_by("position").first().title == "Implications"
    positions = list(edition.chapters.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))


def test_the_word_copy_of_an_edition_holds_its_chapters_references_and_figure(world):
    output = Output.objects.get(title="Carers' briefing")
    change = world["programme"].changes.get(title="Carers' clinic opened")
    edition = _edition(world, publisher="The Northshire Partnership")
    _write(
        edition,
        Introduction=f"The briefing [[output:{output.pk}]] came first.",
        Key_messages=f"The clinic [[change:{change.pk}]] and [[output:{output.pk}]].\n\n"
        "[[figure:table-b]]",
    )

    version, _text = _rendered(edition, world["by"])
    document = WordDocument(version.docx_file.path)

    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    printed = [h for h in headings if h in ("Introduction", "Key messages", "References")]
    assert printed == ["Introduction", "Key messages", "References"]
    paragraphs = [p.text for p in document.paragraphs]
    assert "The briefing [1] came first." in paragraphs
    assert "The clinic [2] and [1]." in paragraphs
    references = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert [r.split(".")[0] for r in references[-2:]] == [
        "Carers' briefing",
        "Carers' clinic opened",
    ]
    assert document.core_properties.title == "Learning together in Northshire"
    # The placed figure is a real Word table holding the metrics' Table B rows.
    rows = metrics.table_b(scope=metrics.MetricScope(programme=world["programme"]))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {project.title for site in rows for project in site.proposed} <= cells


def test_the_cover_prints_the_editions_logo_in_both_copies(world):
    image = io.BytesIO()
    Image.new("RGB", (120, 40), "#0b4f8a").save(image, format="PNG")
    edition = _edition(world)
    edition.logo.save("logo.png", ContentFile(image.getvalue()))

    version, _text = _rendered(edition, world["by"])

    with version.file.open("rb") as handle:
        cover = PdfReader(io.BytesIO(handle.read())).pages[0]
    assert [picture.image.size for picture in cover.images] == [(120, 40)]
    document = WordDocument(version.docx_file.path)
    assert len(document.inline_shapes) >= 1


def test_a_version_rendered_by_someone_who_may_not_name_people_is_anonymised(world):
    lead = factories.user_with_role(RoleKind.STRATEGY_LEAD, site=world["site"])
    edition = _edition(world, anonymise=False)

    fields = editions.version_fields(edition, lead)

    assert fields["options"]["anonymise"] is True
    assert editions.version_fields(edition, world["by"])["options"]["anonymise"] is False
