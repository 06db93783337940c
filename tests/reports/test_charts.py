"""Charts: accessible SVG drawn by pygal, the same in a page and a PDF, with their data."""

import csv
import io
import itertools
from pathlib import Path
from xml.etree import ElementTree

import pytest
import weasyprint
from django.conf import settings
from django.core.cache import cache
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from reports import charts
from reports.charts import KINDS, Series, chart
from reports.rendering import render_pdf

SVG = "{http://www.w3.org/2000/svg}"


def groups_by_kind(kind="hbar", **options):
    return chart(
        slug="groups-by-kind",
        title="Groups by kind",
        description="The number of groups of each kind.",
        kind=kind,
        category_header="Kind",
        categories=["CAR inquiry group", "Strategy group"],
        series=[
            Series("Active", (3, 1), ("/groups/?kind=car_inquiry&status=active", None)),
            Series("Concluded", (2, 0)),
        ],
        **options,
    )


def small_chart(slug, categories, series, **options):
    """A chart titled after ``slug``: a bar chart of kinds unless ``options`` say otherwise."""
    fields = {
        "title": slug.capitalize(),
        "description": "",
        "kind": "bar",
        "category_header": "Kind",
    }
    return chart(slug=slug, categories=categories, series=series, **(fields | options))


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_draws_valid_svg_with_a_title_and_a_description(kind):
    drawn = groups_by_kind(kind)

    root = ElementTree.fromstring(str(drawn.svg))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.text == "Groups by kind"
    assert desc.text == "The number of groups of each kind."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.find(f".//{SVG}g[@class='plot']") is not None


def test_page_svg_has_no_script_and_no_inline_style():
    drawn = groups_by_kind("stacked_bar")

    markup = str(drawn.svg)

    assert "<script" not in markup
    assert "<style" not in markup
    assert "style=" not in markup
    assert not markup.startswith("<?xml")


def test_standalone_svg_carries_the_same_stylesheet_as_the_page():
    drawn = groups_by_kind()

    style = ElementTree.fromstring(str(drawn.svg_standalone)).find(f"{SVG}defs/{SVG}style")

    assert style.text == charts.stylesheet()
    assert ".pygal-chart .color-0" in style.text
    assert charts.PALETTE[0] in style.text


def test_static_stylesheet_is_pygals_for_the_house_style():
    # Regenerate: python -c "from reports.charts import *; print(stylesheet(), end='')"
    path = Path(settings.BASE_DIR) / "static" / "reports" / "charts.css"

    assert path.read_text() == charts.stylesheet()


def test_a_linked_value_is_a_link_to_its_records():
    root = ElementTree.fromstring(str(groups_by_kind("bar").svg))

    links = root.findall(f".//{SVG}a")

    assert [a.get("{http://www.w3.org/1999/xlink}href") for a in links] == [
        "/groups/?kind=car_inquiry&status=active"
    ]


def test_table_and_csv_hold_the_charted_data():
    drawn = groups_by_kind()

    assert drawn.headers == ("Kind", "Active", "Concluded")
    assert drawn.rows == (("CAR inquiry group", 3, 2), ("Strategy group", 1, 0))
    assert drawn.cells[0][1] == (3, "/groups/?kind=car_inquiry&status=active")
    assert drawn.cells[1][1] == (1, None)
    assert list(csv.reader(io.StringIO(drawn.to_csv()))) == [
        ["Kind", "Active", "Concluded"],
        ["CAR inquiry group", "3", "2"],
        ["Strategy group", "1", "0"],
    ]


def test_csv_neutralises_cells_a_spreadsheet_would_run():
    drawn = small_chart(
        "risky",
        ["=HYPERLINK(1)", "@SUM(A1)", "Plain"],
        [Series("Count", (1, 2, None))],
        kind="hbar",
        category_header="Name",
    )

    rows = list(csv.reader(io.StringIO(drawn.to_csv())))

    assert rows[1:] == [["'=HYPERLINK(1)", "1"], ["'@SUM(A1)", "2"], ["Plain", ""]]


def test_same_data_draws_the_same_svg_and_is_drawn_once():
    first = str(groups_by_kind().svg)
    cached = cache.get(groups_by_kind().cache_key())
    cache.clear()
    again = str(groups_by_kind().svg)

    assert cached["page"] == first
    assert again == first
    assert groups_by_kind().cache_key() != groups_by_kind("bar").cache_key()


def test_counts_are_labelled_with_whole_numbers():
    root = ElementTree.fromstring(str(groups_by_kind("stacked_bar").svg))

    ticks = [
        text.text for text in root.findall(f".//{SVG}g[@class='axis y always_show']//{SVG}text")
    ]

    # The stacked columns reach 5 (3 + 2).
    assert ticks == ["0", "1", "2", "3", "4", "5"]


def test_a_chart_of_zeros_is_empty():
    assert not groups_by_kind().is_empty
    assert small_chart("nothing", ["A"], [Series("Count", (0,))]).is_empty


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown chart kind"):
        groups_by_kind("pie")


def test_weasyprint_renders_the_chart_into_a_pdf():
    drawn = groups_by_kind()
    html = f"<html><body><h1>Report</h1><figure>{drawn.svg_standalone}</figure></body></html>"

    pdf = weasyprint.HTML(string=html).write_pdf()

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Groups by kind" in text
    assert "CAR inquiry group" in text


def test_a_chart_in_a_report_uses_only_the_fonts_the_project_embeds():
    html = (
        '<html><head><link rel="stylesheet" href="/static/reports/print.css"></head>'
        f"<body>{groups_by_kind().svg_standalone}</body></html>"
    )
    reader = PdfReader(io.BytesIO(render_pdf(html).bytes))

    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.startswith("Atkinson-Hyperlegible") for name in fonts)


def test_two_charts_of_a_page_share_no_id():
    first = groups_by_kind("bar")
    second = small_chart(
        "other",
        ["A", "B"],
        [Series(name="Groups", values=(3, 2)), Series(name="Teams", values=(1, 2))],
        description="Another chart of the same page.",
    )

    def ids(drawn):
        return {e.get("id") for e in ElementTree.fromstring(str(drawn.svg)).iter() if e.get("id")}

    assert ids(first) and not ids(first) & ids(second)


def test_a_long_category_is_shortened_on_its_axis_at_a_word_boundary():
    long_title = "Collaborative learning days across the CPP (one a national WWS learning event)"
    drawn = small_chart(
        "titles",
        [long_title, "Supercalifragilisticexpialidociousness" * 2],
        [Series("Activities", (2, 1))],
    )

    labels = [
        "".join(text.itertext())
        for text in ElementTree.fromstring(str(drawn.svg)).iter(f"{SVG}text")
    ]
    assert "Collaborative learning days across the…" in labels
    assert "Supercalifragilisticexpialidociousness" * 2 in labels
    assert drawn.rows[0][0] == long_title


def _text_width(text: str, size: float) -> float:
    """``text``'s width in the reports' font, from its advance widths."""
    font = TTFont(
        Path(settings.BASE_DIR) / "static/vendor/fonts/atkinson-hyperlegible-latin-400-normal.woff2"
    )
    advances, cmap = font["hmtx"], font.getBestCmap()
    return sum(advances[cmap[ord(c)]][0] for c in text) * size / font["head"].unitsPerEm


def _legend_entries(drawn) -> list[tuple[float, float, str]]:
    root = ElementTree.fromstring(str(drawn.svg_standalone))
    entries = []
    for legend in root.iter(f"{SVG}g"):
        if "legend" in (legend.get("class") or "").split():
            text = next(legend.iter(f"{SVG}text"))
            entries.append((float(text.get("y")), float(text.get("x")), "".join(text.itertext())))
    return entries


@pytest.mark.parametrize("kind", ["stacked_hbar", "bar", "line"])
@pytest.mark.parametrize(
    "names",
    [
        ("First order (generated by the group)", "Second order (captured by researchers)"),
        ("Practitioner only", "Researcher only", "Practitioner and researcher collaboration"),
        ("Emails", "Calls", "In person"),
        tuple(f"A rather long series name number {n} of several" for n in range(5)),
    ],
)
def test_a_legend_entry_never_runs_into_the_next(kind, names):
    drawn = small_chart(
        "legend",
        ["One", "Two"],
        [Series(name, (n + 1, n + 2)) for n, name in enumerate(names)],
        kind=kind,
    )

    entries = sorted(_legend_entries(drawn))
    assert len(entries) == len(names)
    width = charts.WIDTH
    for (y, x, text), (next_y, next_x, _next) in itertools.pairwise(entries):
        end = x + _text_width(text, charts.STYLE.legend_font_size)
        assert end <= (next_x - 10 if next_y == y else width), (text, end, next_x)
