"""The Word copy of a report, rendered through the services as a worker renders it and read
back with python-docx: its headings, tables, chart, lists, footer and cover, and no name without
consent."""

import hashlib
import io
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import html as lxml_html
from PIL import Image

from reports import services
from reports.documents import build_document
from reports.enums import ReportKind, ReportStatus
from reports.word import render_docx
from tests.reports.test_report_pdfs import request_for

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def rendered(kind, world, **kwargs):
    """A request of ``kind`` on the world's programme, rendered by ``services.render``."""
    report_request = request_for(kind, world["programme"], **kwargs)
    services.render(report_request.pk)
    report_request.refresh_from_db()
    assert report_request.status == ReportStatus.READY, report_request.error
    return report_request


def opened(report_request):
    return Document(report_request.docx_file.path)


def page_of(report_request) -> str:
    """The HTML the PDF is laid out from, rendered again for the test to read."""
    document = build_document(report_request, on_step=lambda step: None)
    return render_to_string(document.template_name, document.context)


def styled(document, prefix: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(prefix)]


def html_tables(page: str) -> list[list[list[str]]]:
    """Each table of the page as its rows of cell texts (lxml, not the converter's parser)."""
    tree = lxml_html.fromstring(page)
    tables = []
    for table in tree.iter("table"):
        rows = [
            [" ".join(cell.text_content().split()) for cell in row if cell.tag in ("td", "th")]
            for row in table.iter("tr")
        ]
        tables.append(rows)
    return tables


def docx_rows(table) -> list[list[str]]:
    # A merged cell is one cell however many grid columns it spans.
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        rows.append([" ".join(cell.text.split()) for cell in cells])
    return rows


def test_the_group_report_reads_back_as_an_editable_word_document(world):
    report_request = rendered(ReportKind.GROUP_LEARNING, world, group=world["group"])
    document = opened(report_request)
    context = build_document(report_request, on_step=lambda step: None).context
    chapters = [label for _, label in context["toc"]]

    # The cover: its title paragraph is the report's title, and the contents start a new page.
    styles = [p.style.name for p in document.paragraphs]
    title = document.paragraphs[styles.index("Title")]
    assert title.text == document.core_properties.title
    assert world["group"].name in title.text
    contents = document.paragraphs[styles.index("TOC Heading")]
    assert contents.paragraph_format.page_break_before
    # Chapters are Word headings, in the order of the PDF's contents.
    assert styled(document, "Heading 1") == chapters
    assert styled(document, "TOC Heading") == ["Contents"]
    assert styled(document, "TOC 1") == chapters
    assert "Morag Consenting" in "\n".join(docx_text(document))
    assert "Hamish Private" not in "\n".join(docx_text(document))


def docx_text(document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def test_the_word_tables_hold_the_figures_of_the_page(world):
    report_request = rendered(ReportKind.SITE, world, site=world["site"])
    document = opened(report_request)
    page = page_of(report_request)

    assert [docx_rows(table) for table in document.tables] == html_tables(page)
    table_b = next(t for t in document.tables if docx_rows(t)[0][0] == "Proposed project")
    assert docx_rows(table_b)[:2] == [
        ["Proposed project", "Outcome", "Delivered by"],
        ["A carers' hub", "Not recorded", "Kinship carers inquiry"],
    ]
    header = table_b.rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None
    assert table_b.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None


def test_a_chart_becomes_a_picture_and_the_footer_numbers_the_pages(world):
    report_request = rendered(ReportKind.END_OF_PROGRAMME, world)
    document = opened(report_request)

    assert len(document.inline_shapes) >= 1
    shape = document.inline_shapes[0]
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    image = document.part.related_parts[blip.embed].blob
    assert image.startswith(PNG_SIGNATURE)
    width, height = Image.open(io.BytesIO(image)).size
    assert width >= 1000 and 200 <= height <= 3 * width
    assert shape.width.mm == pytest.approx(210 - 2 * 18, abs=0.5)  # the text's width
    assert shape._inline.docPr.get("descr")
    footer = document.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert document.sections[0].different_first_page_header_footer


def test_each_ordered_list_is_a_word_list_numbered_from_one():
    page = (
        "<html lang='en-GB'><head><title>Lists</title></head><body><main>"
        "<h2 id='a'>First</h2><ol class='references'><li>One <em>cited</em></li><li>Two</li></ol>"
        "<p>Between <a href='#a'>the first</a> and <a href='https://example.org/'>a site</a>."
        "</p><ol><li>Again one</li></ol><ul><li>A bullet</li></ul><custom-box>Kept text"
        "</custom-box></main></body></html>"
    )
    document = Document(io.BytesIO(render_docx(page)))

    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["One cited", "Two", "Again one"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2]
    definitions = document.part.numbering_part.element
    for num_id in (ids[0], ids[2]):
        override = definitions.num_having_numId(num_id).find(qn("w:lvlOverride"))
        assert override.find(qn("w:startOverride")).get(qn("w:val")) == "1"
    assert styled(document, "List Bullet") == ["A bullet"]
    assert "Kept text" in [p.text for p in document.paragraphs]
    links = document.element.body.findall(".//" + qn("w:hyperlink"))
    assert links[0].get(qn("w:anchor")) == "h_a"
    assert document.part.rels[links[1].get(qn("r:id"))].target_ref == "https://example.org/"


def test_the_anonymised_word_copy_names_only_who_consented(world):
    report_request = rendered(
        ReportKind.GROUP_LEARNING, world, group=world["group"], options={"sections": ["members"]}
    )
    text = "\n".join(docx_text(opened(report_request)))

    assert "Morag Consenting" in text
    assert "Hamish Private" not in text
    assert report_request.named_people.get().name == "Morag Consenting"


def test_a_ready_request_holds_both_files_with_their_checksums(world):
    report_request = rendered(ReportKind.GROUP_LEARNING, world, group=world["group"])

    pdf = Path(report_request.file.path).read_bytes()
    docx = Path(report_request.docx_file.path).read_bytes()
    assert report_request.checksum == hashlib.sha256(pdf).hexdigest()
    assert report_request.docx_checksum == hashlib.sha256(docx).hexdigest()
    assert report_request.docx_size_bytes == len(docx)
    assert report_request.docx_file.name.endswith(".docx")
    assert report_request.file.name.endswith(".pdf")


def test_spanning_cells_are_merged_and_a_cell_may_hold_blocks():
    page = (
        "<html lang='en-GB'><head><title>Spans</title></head><body><table>"
        "<caption>Spans</caption><thead><tr><th>A</th><th>B</th><th>C</th></tr></thead>"
        "<tbody><tr><td rowspan='2'>Tall</td><td colspan='2'>Wide</td></tr>"
        "<tr><td>b2</td><td class='number'>3</td></tr>"
        "<tr><td colspan='3'><p>First</p><table><tr><td>Inner</td></tr></table></td></tr>"
        f"<tr><td>{'https://example.org/' + 'a' * 60}</td><td>x</td><td>y</td></tr>"
        "</tbody></table></body></html>"
    )
    document = Document(io.BytesIO(render_docx(page)))

    table = document.tables[0]
    assert docx_rows(table)[:3] == [["A", "B", "C"], ["Tall", "Wide"], ["Tall", "b2", "3"]]
    # One cell two rows tall (Word's vertical merge), one two columns wide (a grid span).
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc
    assert table.rows[2]._tr.tc_lst[0].vMerge == "continue"
    assert table.cell(1, 1)._tc is table.cell(1, 2)._tc
    assert table.cell(1, 1)._tc.grid_span == 2
    last = table.cell(3, 0)
    assert last.paragraphs[0].text == "First"
    assert last.tables[0].cell(0, 0).text == "Inner"
    assert last._tc[-1].tag == qn("w:p")
    assert table.cell(2, 2).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert styled(document, "Caption") == ["Spans"]
    widths = [column.w for column in table._tbl.tblGrid.gridCol_lst]
    assert all(width > 0 for width in widths) and widths[0] > widths[1] + widths[2]
    languages = document.styles.element.findall(".//" + qn("w:lang"))
    assert {mark.get(qn("w:val")) for mark in languages} == {"en-GB"}


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        (ReportKind.SITE, "site"),
        (ReportKind.EVENT, "event"),
        (ReportKind.HANDOVER_PACK, "group"),
        (ReportKind.END_OF_PROGRAMME, None),
    ],
)
def test_every_kind_has_its_chapters_as_word_headings_and_all_its_text(world, kind, target):
    report_request = rendered(kind, world, **({target: world[target]} if target else {}))
    document = opened(report_request)
    context = build_document(report_request, on_step=lambda step: None).context

    assert styled(document, "Heading 1") == [label for _, label in context["toc"]]
    # Every word of the page's body is in the Word copy (tables cell by cell, in order).
    body = lxml_html.fromstring(page_of(report_request)).find("body")
    for drawing in list(body.iter("svg")):
        drawing.drop_tree()  # a chart is a picture in Word: its text is drawn, not typed
    # The page is rendered again for the test, a minute later perhaps: its cover's time moved.
    body.find_class("cover-meta")[0].drop_tree()
    # A term is followed by a colon in Word ("Version: 1"), where the PDF sets it apart.
    page_words = {word.strip(":;,.") for word in " ".join(body.itertext()).split()}
    text = " ".join(docx_text(document))
    assert page_words <= {word.strip(":;,.") for word in text.split()}
    assert "Hamish Private" not in text


def test_a_chart_is_drawn_in_the_pdfs_own_font():
    def picture(family: str) -> bytes:
        page = (
            "<html><body><figure><svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 300 40'"
            f" width='300' height='40'><text x='5' y='30' font-family=\"'{family}', sans-serif\""
            " font-size='20'>Kinship carers inquiry</text></svg></figure></body></html>"
        )
        document = Document(io.BytesIO(render_docx(page)))
        blip = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
        return document.part.related_parts[blip.embed].blob

    # The vendored Atkinson Hyperlegible, not the machine's sans-serif that an unknown family
    # falls back to.
    assert picture("Atkinson Hyperlegible") != picture("No Such Family")
