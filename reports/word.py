"""The editable Word copy of a report, converted from the very HTML its PDF is laid out from.

One source of truth: this module knows HTML, not reports, so a section added to a template
reaches the Word copy without a line here. It reads the page with the HTML5 parser WeasyPrint
lays the PDF out from (tinyhtml5, which keeps an inline SVG's camel-case attributes) and maps
what the report templates use onto Word's own structures, so that a team can finish the report
in Word:

- the cover (``.cover``) onto a title page: its ``h1`` in the Title style, its paragraphs as
  subtitles, its facts as term and description; the page breaks after it and after the
  contents, and before a ``section.long``, as ``print.css`` breaks the PDF's pages;
- the contents (``nav``) onto a Word table of contents whose entries, until Word updates the
  field and numbers them, are the PDF's own, linked to their chapters;
- ``h2``-``h6`` onto Heading 1-5, bookmarked under their ``id`` so that a link finds them;
- ``ul`` and ``ol`` onto Word's bullet and number lists, each ordered list numbered from 1;
- each ``table`` onto a Word table, its caption above it, its header rows repeated on every
  page, its spans merged, and its figures aligned as the PDF aligns them (``.number``);
- each inline SVG (the charts) onto a PNG picture drawn by CairoSVG in the PDF's own font,
  described by the SVG's own title and description;
- a footer "Page N of M" and a running header with the title, neither on the cover.

Any other element keeps its text, as a paragraph or inline, and is never dropped silently.
CairoSVG runs in its safe mode: no XML entities, and no URL but ``data:`` is fetched.
"""

import copy
import ctypes
import ctypes.util
import datetime as dt
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

import cairosvg
import tinyhtml5
from django.conf import settings
from django.contrib.staticfiles import finders
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

SVG = "{http://www.w3.org/2000/svg}"
XMLNS = "{http://www.w3.org/2000/xmlns/}"
# HTML collapses these, and only these: a no-break space stays.
HTML_SPACE = re.compile(r"[ \t\n\f\r]+")
SKIPPED = {"head", "script", "style", "template", "noscript"}
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "ul",
}  # fmt: skip
CONTAINERS = {
    "address", "article", "aside", "body", "details", "div", "fieldset", "figure", "footer",
    "form", "header", "main", "section", "summary",
}  # fmt: skip
HEADING_STYLES = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
HEADING_STYLES |= {"h5": "Heading 4", "h6": "Heading 5"}
LISTS = ("ul", "ol")
LINKED_SCHEMES = ("http://", "https://", "mailto:")
# The PDF's page and margins (print.css's @page); a chart spans the width between them.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(22), "right": Mm(18), "bottom": Mm(20), "left": Mm(18)}
# Charts are drawn at twice their SVG size: sharp in print at the width of the text.
CHART_SCALE = 2
BODY_FONT = "Arial"
NOTE_GREY = RGBColor(0x44, 0x44, 0x44)
# A table of this many columns or more is set smaller, as the PDF sets its wide tables.
WIDE_TABLE_COLUMNS = 6
# Column widths are reckoned in characters: a bold or a figure's is up to 0.6 of the font
# size wide, a cell's margins take about three, and its text wraps past a line of 40.
CHARACTER_WIDTH, CELL_PADDING, MAX_CELL_LINE = 0.6, 3, 40


@dataclass(frozen=True)
class Look:
    """How a run of text looks: what its enclosing inline elements say."""

    bold: bool = False
    italic: bool = False
    note: bool = False
    superscript: bool = False
    subscript: bool = False
    link: str = ""


INLINE_LOOKS = {
    "b": {"bold": True},
    "strong": {"bold": True},
    "em": {"italic": True},
    "i": {"italic": True},
    "cite": {"italic": True},
    "small": {"note": True},
    "sup": {"superscript": True},
    "sub": {"subscript": True},
}


def _classes(element) -> set[str]:
    return set(element.get("class", "").split())


def _tag(element) -> str:
    tag = element.tag
    return tag if isinstance(tag, str) else ""


def _text(element) -> str:
    return HTML_SPACE.sub(" ", "".join(element.itertext())).strip()


def _is_block_tag(tag: str) -> bool:
    return tag in BLOCKS or tag.startswith(SVG)


def _holds_blocks(element) -> bool:
    return any(_is_block_tag(_tag(inner)) for inner in element.iter() if inner is not element)


def _is_block(element) -> bool:
    # An inline or unknown element that holds blocks is laid out as a container of them.
    return _is_block_tag(_tag(element)) or _holds_blocks(element)


def _bookmark_name(anchor: str, taken: set[str]) -> str:
    # Word's bookmark names: a letter first, letters, digits and _ only, 40 at most.
    base = ("h_" + re.sub(r"\W", "_", anchor))[:36]
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}_{number}"
    taken.add(name)
    return name


def _pieces(items, look: Look) -> list[list]:
    """The runs ``[text, look]`` of inline content, its white space collapsed as HTML does;
    a line break is the text ``"\\n"``."""
    pieces: list[list] = []
    for text, piece_look in _fragments(items, look):
        if text != "\n":
            text = HTML_SPACE.sub(" ", text)
            if not pieces or pieces[-1][0].endswith((" ", "\n")):
                text = text.lstrip(" ")
            if not text:
                continue
        if pieces and pieces[-1][1] == piece_look and text != "\n" and pieces[-1][0] != "\n":
            pieces[-1][0] += text
        else:
            pieces.append([text, piece_look])
    while pieces:
        pieces[-1][0] = pieces[-1][0].rstrip(" \n")
        if pieces[-1][0]:
            break
        pieces.pop()
    return pieces


def _fragments(items, look: Look) -> Iterator[tuple[str, Look]]:
    for item in items:
        if isinstance(item, str):
            yield item, look
            continue
        tag = _tag(item)
        if not tag or tag in SKIPPED or tag.startswith(SVG):
            pass
        elif tag == "br":
            yield "\n", look
        else:
            yield from _fragments(_children(item), _look_of(item, look))


def _children(element) -> list:
    """An element's content in order: its text, then each child element and the child's tail."""
    items = [element.text] if element.text else []
    for child in element:
        items.append(child)
        if child.tail:
            items.append(child.tail)
    return items


def _look_of(element, look: Look) -> Look:
    changes = dict(INLINE_LOOKS.get(_tag(element), {}))
    if "note" in _classes(element):
        changes["note"] = True
    if _tag(element) == "a" and element.get("href"):
        changes["link"] = element.get("href")
    return replace(look, **changes) if changes else look


def _add_field(paragraph, instruction: str, shown: str = "") -> None:
    """A field Word computes (PAGE, NUMPAGES), showing ``shown`` until it does."""
    _field_char(paragraph, "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    _field_char(paragraph, "separate")
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def _field_char(paragraph, kind: str):
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    run = paragraph.add_run()
    run._r.append(mark)
    return run._r


# The PDF's font (print.css), which the charts' CSS names first.
FONT_FOLDER = "vendor/fonts"


@functools.cache
def _register_fonts() -> None:
    """Let CairoSVG draw the charts in the PDF's own font, so that a picture reads as the PDF's
    chart does. CairoSVG asks fontconfig for the first family the chart's CSS names, and
    fontconfig knows only the machine's fonts until it is told of the project's files; without
    them (or without fontconfig), the machine's sans-serif stands in."""
    folder = finders.find(FONT_FOLDER) or (
        settings.STATIC_ROOT and Path(settings.STATIC_ROOT) / FONT_FOLDER
    )
    library = ctypes.util.find_library("fontconfig")
    if not folder or not Path(folder).is_dir() or not library:
        return
    add_font = ctypes.CDLL(library).FcConfigAppFontAddFile
    add_font.argtypes = (ctypes.c_void_p, ctypes.c_char_p)
    for path in sorted(Path(folder).glob("*.woff2")):
        add_font(None, str(path).encode())  # None: fontconfig's current configuration


def _png(svg) -> bytes:
    _register_fonts()
    drawing = copy.deepcopy(svg)
    for element in drawing.iter():
        # The parser keeps each xmlns declaration as an attribute, which XML may not declare.
        for name in [name for name in element.attrib if name.startswith(XMLNS)]:
            del element.attrib[name]
    source = ElementTree.tostring(drawing, encoding="utf-8")
    return cairosvg.svg2png(bytestring=source, scale=CHART_SCALE, background_color="white")


def _svg_description(svg) -> str:
    """What the drawing shows in words, for Word's alternative text: its title and description."""
    found = (svg.find(f"{SVG}{name}") for name in ("title", "desc"))
    return ": ".join(text for text in (_text(e) for e in found if e is not None) if text)


class _Writer:
    """Writes one parsed page into one Word document."""

    def __init__(self, root):
        self.root = root
        self.document = Document()
        self.break_pending = False
        self.in_contents = False
        self.style_ids: dict[str, str] = {}
        taken: set[str] = set()
        self.bookmarks = {
            element.get("id"): _bookmark_name(element.get("id"), taken)
            for element in root.iter()
            if _tag(element) in HEADING_STYLES and element.get("id")
        }
        self.bookmark_ids = iter(range(1, 1_000_000))
        self._set_up()

    # --- The document around the content --------------------------------------------------

    def _set_up(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        for side, margin in MARGINS.items():
            setattr(section, f"{side}_margin", margin)
        self.text_width = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]
        styles = self.document.styles
        normal = styles["Normal"]
        # A font every office suite has or matches metric for metric (Liberation Sans), so
        # that a table's columns come out as wide in LibreOffice as in Word.
        normal.font.name = BODY_FONT
        normal.font.size = Pt(10.5)
        self._language()
        self._style("Note", WD_STYLE_TYPE.PARAGRAPH, size=9, colour=NOTE_GREY)
        self._style("Table Text", WD_STYLE_TYPE.PARAGRAPH, size=9, space_after=0)
        self._style("Table Text Small", WD_STYLE_TYPE.PARAGRAPH, size=8, space_after=0)
        self._style("TOC 1", WD_STYLE_TYPE.PARAGRAPH, space_after=3)
        link = self._style("Hyperlink", WD_STYLE_TYPE.CHARACTER, colour=RGBColor(0x0B, 0x4F, 0x8A))
        link.font.underline = True

    def _language(self) -> None:
        """The page's language as the document's, for Word's spelling and grammar checks."""
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        marks = defaults.findall(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        for mark in marks:
            mark.set(qn("w:val"), self.root.get("lang") or "en-GB")

    def _style(self, name, kind, *, size=None, colour=None, space_after=None):
        styles = self.document.styles
        if name in [style.name for style in styles]:
            return styles[name]
        style = styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = styles["Normal"]
            if space_after is not None:
                style.paragraph_format.space_after = Pt(space_after)
        if size:
            style.font.size = Pt(size)
        if colour:
            style.font.color.rgb = colour
        return style

    def _metadata(self) -> None:
        head = self.root.find("head")
        properties = self.document.core_properties
        properties.title = _text(head.find("title")) if head.find("title") is not None else ""
        metas = {meta.get("name"): meta.get("content", "") for meta in head.iter("meta")}
        properties.author = metas.get("author", "")
        properties.last_modified_by = metas.get("generator", "")
        properties.comments = ""
        properties.revision = 1
        if created := metas.get("dcterms.created"):
            moment = dt.datetime.fromisoformat(created).astimezone(dt.UTC).replace(tzinfo=None)
            properties.created = properties.modified = moment

    def _header_and_footer(self) -> None:
        section = self.document.sections[0]
        # The cover has neither: its first-page header and footer stay empty.
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.text = self.document.core_properties.title
        header.style = self.document.styles["Header"]
        footer = section.footer.paragraphs[0]
        footer.style = self.document.styles["Footer"]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ")
        _add_field(footer, "PAGE", "1")
        footer.add_run(" of ")
        _add_field(footer, "NUMPAGES", "1")

    def write(self) -> bytes:
        self._metadata()
        self._header_and_footer()
        self._flow(self.document, self.root.find("body"))
        output = io.BytesIO()
        self.document.save(output)
        return output.getvalue()

    # --- Blocks ---------------------------------------------------------------------------

    def _style_id(self, name: str) -> str:
        # python-docx looks a style up by name for every paragraph it styles: thousands of
        # lookups in a large report, where the id, once known, is all the XML needs.
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def _paragraph(self, container, style: str | None = None):
        paragraph = container.add_paragraph()
        if style:
            paragraph._p.style = self._style_id(style)
        if self.break_pending and container is self.document:
            paragraph.paragraph_format.page_break_before = True
            self.break_pending = False
        return paragraph

    def _inline(self, container, items, *, style=None, look=Look()):
        """A paragraph of inline content; none when it holds no text."""
        pieces = _pieces(items, look)
        if not pieces:
            return None
        paragraph = self._paragraph(container, style)
        self._runs(paragraph, pieces)
        return paragraph

    def _flow(self, container, element, style=None) -> None:
        """An element's children: each run of inline content a paragraph, each block its own."""
        pending: list = []
        for item in _children(element):
            if isinstance(item, str) or not _is_block(item):
                pending.append(item)
                continue
            self._inline(container, pending, style=style)
            pending = []
            self._block(container, item, style)
        self._inline(container, pending, style=style)

    def _block(self, container, element, style=None) -> None:
        tag, classes = _tag(element), _classes(element)
        if tag in SKIPPED:
            return
        if "long" in classes:
            self.break_pending = True
        if tag.startswith(SVG):
            self._picture(container, element)
        elif tag in HEADING_STYLES:
            self._heading(container, element)
        elif tag == "nav":
            self._contents(container, element)
        elif tag in ("ul", "ol"):
            self._list(container, element)
        elif tag == "dl":
            self._terms(container, element)
        elif tag == "table":
            self._table(container, element)
        elif tag in ("caption", "figcaption"):
            self._inline(container, _children(element), style="Caption")
        elif tag == "blockquote":
            self._flow(container, element, "Quote")
        elif "cover" in classes:
            self._flow(container, element, "Subtitle")
            self.break_pending = True
        elif tag in CONTAINERS or _holds_blocks(element):
            self._flow(container, element, style)
        else:
            note = "note" in classes and container is self.document
            self._inline(container, _children(element), style="Note" if note else style)

    def _heading(self, container, element) -> None:
        style = "TOC Heading" if self.in_contents else HEADING_STYLES[_tag(element)]
        paragraph = self._inline(container, _children(element), style=style)
        if paragraph is not None and element.get("id") in self.bookmarks:
            self._bookmark(paragraph, self.bookmarks[element.get("id")])

    def _bookmark(self, paragraph, name: str) -> None:
        number = str(next(self.bookmark_ids))
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), number)
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), number)
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)

    def _contents(self, container, nav) -> None:
        """A table of contents: Word lists the headings anew once its field is updated."""
        self.in_contents = True
        for item in _children(nav):
            if isinstance(item, str) or _tag(item) not in LISTS:
                self._flow_item(container, item)
                continue
            entries = [
                self._inline(container, _children(entry), style="TOC 1")
                for entry in item
                if _tag(entry) == "li"
            ]
            entries = [entry for entry in entries if entry is not None]
            if not entries:
                entries = [self._paragraph(container, "TOC 1")]
            self._toc_field(entries[0], entries[-1])
        self.in_contents = False
        self.break_pending = True

    def _flow_item(self, container, item) -> None:
        if isinstance(item, str):
            self._inline(container, [item])
        elif _is_block(item):
            self._block(container, item)
        else:
            self._inline(container, [item])

    def _toc_field(self, first, last) -> None:
        begin = [_field_char(first, "begin")]
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = ' TOC \\o "1-3" \\h \\z \\u '
        run = first.add_run()
        run._r.append(code)
        begin += [run._r, _field_char(first, "separate")]
        position = 1 if first._p.pPr is not None else 0
        for offset, element in enumerate(begin):
            first._p.insert(position + offset, element)
        _field_char(last, "end")

    def _list(self, container, element, level: int = 0) -> None:
        numbered = _tag(element) == "ol"
        style = "List Number" if numbered else "List Bullet"
        if level:
            style += f" {min(level + 1, 3)}"
        numbering = self._restarted_numbering(style) if numbered else None
        for item in _children(element):
            if isinstance(item, str) or _tag(item) != "li":
                self._flow_item(container, item)
                continue
            content = [c for c in _children(item) if isinstance(c, str) or _tag(c) not in LISTS]
            paragraph = self._inline(container, content, style=style)
            if paragraph is not None and numbering is not None:
                properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                properties.get_or_add_ilvl().val = 0
                properties.get_or_add_numId().val = numbering
            for inner in item:
                if _tag(inner) in LISTS:
                    self._list(container, inner, level + 1)

    def _restarted_numbering(self, style: str) -> int:
        """A numbering of the style's list that starts at 1, for one list alone."""
        numbered = self.document.styles[style].element.pPr.numPr.numId.val
        definitions = self.document.part.numbering_part.element
        abstract = definitions.num_having_numId(numbered).abstractNumId.val
        numbering = definitions.add_num(abstract)
        numbering.add_lvlOverride(ilvl=0).add_startOverride(1)
        return numbering.numId

    def _terms(self, container, element) -> None:
        """Each term in bold with its descriptions after it, one paragraph per term."""
        paragraph = None
        described = False
        for item in _children(element):
            tag = "" if isinstance(item, str) else _tag(item)
            if tag == "dt":
                paragraph = self._inline(container, _children(item), look=Look(bold=True))
                described = False
            elif tag == "dd" and paragraph is not None:
                paragraph.add_run(": " if not described else "; ")
                self._runs(paragraph, _pieces(_children(item), Look()))
                described = True
            else:
                self._flow_item(container, item)

    # --- Tables ---------------------------------------------------------------------------

    def _table(self, container, element) -> None:
        caption = element.find("caption")
        if caption is not None:
            paragraph = self._inline(container, _children(caption), style="Caption")
            if paragraph is not None:
                paragraph.paragraph_format.keep_with_next = True
        rows = self._rows(element)
        grid, spans = self._grid(rows)
        columns = max((len(row) for row in grid), default=0)
        if not columns:
            return
        if self.break_pending and container is self.document:
            self._paragraph(container)
        table = container.add_table(rows=len(grid), cols=columns)
        table._tbl.tblPr.style = self._style_id("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        wide = columns >= WIDE_TABLE_COLUMNS
        widths = self._column_widths(grid, columns, 8 if wide else 9)
        for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            column.w = width
        for (header, _), table_row in zip(rows, table.rows, strict=True):
            self._row_properties(table_row, header)
            for tc, width in zip(table_row._tr.tc_lst, widths, strict=True):
                tc.width = width
        text_style = "Table Text Small" if wide else "Table Text"
        cells = [row.cells for row in table.rows]
        for (r, c), (cell_element, rowspan, colspan) in spans.items():
            target = cells[r][c]
            if rowspan > 1 or colspan > 1:
                target = target.merge(cells[r + rowspan - 1][c + colspan - 1])
            self._cell(target, cell_element, header=rows[r][0], style=text_style)

    def _column_widths(self, grid, columns: int, size: float) -> list[int]:
        """Each column's width, as a browser lays out a table of automatic width: first its
        longest word (a figure is never broken), then, from what room is left, a share after
        how much longer its longest text is (python-docx would make all columns equal)."""
        narrowest, widest = [1] * columns, [1] * columns
        for line in grid:
            for c, cell in enumerate(line):
                if cell is None or _span(cell, "colspan") > 1:
                    continue
                text = _text(cell)
                longest = max((len(word) for word in text.split()), default=0) + CELL_PADDING
                narrowest[c] = max(narrowest[c], longest)
                widest[c] = max(widest[c], min(len(text), MAX_CELL_LINE) + CELL_PADDING)
        room = self.text_width / Pt(size * CHARACTER_WIDTH)  # in characters
        # A word longer than a line (a web address) makes its column's narrowest its widest.
        slack = [max(0, wide - narrow) for wide, narrow in zip(widest, narrowest, strict=True)]
        left = room - sum(narrowest)
        chars = narrowest
        if left > 0 and sum(slack):
            share = left / sum(slack)
            chars = [n + extra * share for n, extra in zip(narrowest, slack, strict=True)]
        return [int(self.text_width * width / sum(chars)) for width in chars]

    @staticmethod
    def _rows(element) -> list[tuple[bool, object]]:
        """``(is a header row, tr)`` in reading order: head, bodies, then foot."""
        groups = {"thead": [], "tbody": [], "tfoot": []}
        for group in element:
            tag = _tag(group)
            if tag in groups:
                groups[tag].extend((tag, row) for row in group if _tag(row) == "tr")
            elif tag == "tr":
                groups["tbody"].append(("tbody", group))
        ordered = groups["thead"] + groups["tbody"] + groups["tfoot"]
        return [(tag != "tbody", row) for tag, row in ordered]

    @staticmethod
    def _grid(rows) -> tuple[list[list], dict]:
        """Where each cell sits once row and column spans are counted."""
        grid: list[list] = [[] for _ in rows]
        spans = {}
        for r, (_, row) in enumerate(rows):
            c = 0
            for cell in row:
                if _tag(cell) not in ("td", "th"):
                    continue
                while c < len(grid[r]) and grid[r][c] is not None:
                    c += 1
                rowspan = max(1, min(_span(cell, "rowspan"), len(rows) - r))
                colspan = max(1, _span(cell, "colspan"))
                for dr in range(rowspan):
                    line = grid[r + dr]
                    line.extend([None] * (c + colspan - len(line)))
                    for dc in range(colspan):
                        line[c + dc] = cell
                spans[(r, c)] = (cell, rowspan, colspan)
                c += colspan
        width = max((len(line) for line in grid), default=0)
        for line in grid:
            line.extend([None] * (width - len(line)))
        return grid, spans

    @staticmethod
    def _row_properties(table_row, header: bool) -> None:
        properties = table_row._tr.get_or_add_trPr()
        # A row is never split over two pages, as in the PDF; a header row repeats on each.
        properties.append(OxmlElement("w:cantSplit"))
        if header:
            properties.append(OxmlElement("w:tblHeader"))

    def _cell(self, cell, element, *, header: bool, style: str) -> None:
        look = Look(bold=header)
        first = cell.paragraphs[0]
        pieces = _pieces(_children(element), look)
        has_blocks = any(_is_block(item) for item in element)
        if not has_blocks:
            first._p.style = self._style_id(style)
            self._runs(first, pieces)
            paragraphs = [first]
        else:
            self._flow(cell, element, style)
            if len(cell.paragraphs) > 1 and not cell.paragraphs[0].text:
                first._p.getparent().remove(first._p)
            if cell._tc[-1].tag == qn("w:tbl"):
                # Word opens a cell that ends with a table only if a paragraph follows it.
                cell.add_paragraph()
            paragraphs = cell.paragraphs
        if "number" in _classes(element):
            for paragraph in paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    # --- Inline ---------------------------------------------------------------------------

    def _runs(self, paragraph, pieces) -> None:
        link, holder = None, paragraph._p
        for text, look in pieces:
            if look.link != link:
                link = look.link
                holder = self._hyperlink(paragraph, link) if link else None
                holder = paragraph._p if holder is None else holder
            run = paragraph.add_run()
            if text == "\n":
                run.add_break(WD_BREAK.LINE)
            else:
                run.text = text
            self._look(run, look, linked=holder is not paragraph._p)
            if holder is not paragraph._p:
                holder.append(run._r)

    def _look(self, run, look: Look, *, linked: bool) -> None:
        if look.bold:
            run.bold = True
        if look.italic:
            run.italic = True
        if look.superscript:
            run.font.superscript = True
        if look.subscript:
            run.font.subscript = True
        if look.note:
            run.font.color.rgb = NOTE_GREY
        if linked:
            run._r.style = self._style_id("Hyperlink")

    def _hyperlink(self, paragraph, href: str):
        """A Word hyperlink to a heading of the page or a web address; None for other links,
        whose text stays as it is."""
        link = OxmlElement("w:hyperlink")
        if href.startswith("#") and href[1:] in self.bookmarks:
            link.set(qn("w:anchor"), self.bookmarks[href[1:]])
        elif href.startswith(LINKED_SCHEMES):
            relation = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            link.set(qn("r:id"), relation)
        else:
            return None
        paragraph._p.append(link)
        return link

    # --- Pictures -------------------------------------------------------------------------

    def _picture(self, container, svg) -> None:
        paragraph = self._paragraph(container)
        paragraph.paragraph_format.keep_together = True
        shape = paragraph.add_run().add_picture(io.BytesIO(_png(svg)), width=self.text_width)
        description = _svg_description(svg)
        if description:
            shape._inline.docPr.set("descr", description)


def _span(cell, attribute: str) -> int:
    value = cell.get(attribute, "1")
    return int(value) if value.isdigit() else 1


def render_docx(html: str) -> bytes:
    """The Word document (DOCX bytes) of ``html``, a whole page as the PDF renders it."""
    return _Writer(tinyhtml5.parse(html, namespace_html_elements=False)).write()
