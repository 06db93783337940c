"""Charts as SVG, drawn by pygal, for the dashboards and the PDF reports alike.

A ``Chart`` holds the figures it draws (a table with column headers and rows, which is also its
accessible alternative and its CSV download) and renders them once: the same data always gives
the same SVG, kept in the cache under a hash of the data, so a dashboard pays for pygal only the
first time a figure changes.

The SVG carries a ``<title>`` and a ``<desc>`` and no script. Its colours and fonts come from one
stylesheet, pygal's own for the house style (``stylesheet()``): a page links it as
``static/reports/charts.css`` (no inline style, for the Content-Security-Policy), a PDF embeds it
with ``svg_standalone`` (WeasyPrint reads only the SVG's own style sheet).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from xml.etree import ElementTree

import pygal
import pygal.etree
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from car_programme.words import shortened
from events.selectors import StatementShare
from inquiries.enums import ActivityKind
from reports.cells import neutralise
from reports.metrics import NOT_RECORDED, Breakdown, Category, CrossTab, SiteTallies

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
# The drawings are read and rewritten here with the standard library's ElementTree; pygal would
# build them with lxml instead whenever lxml is installed (python-docx needs it), whose trees
# hold comments as elements and serialise differently.
pygal.etree.etree.to_etree()
ElementTree.register_namespace("", SVG_NAMESPACE)
ElementTree.register_namespace("xlink", XLINK_NAMESPACE)

# Each colour has at least 4.5:1 contrast on white (WCAG AA for text, beyond the 3:1 that
# graphics need), in an order that keeps neighbouring series apart.
PALETTE = (
    "#0b4f8a",
    "#b35900",
    "#2e7d32",
    "#7b2d8e",
    "#c62828",
    "#00695c",
    "#6b6b00",
    "#ad1457",
    "#455a64",
    "#5d4037",
    "#283593",
    "#8a5a00",
)

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#0b0c0c",
    foreground_subtle="#ced4da",
    colors=PALETTE,
    # Values print beyond the end of their bar, on the white background.
    value_colors=("#0b0c0c",) * len(PALETTE),
    guide_stroke_color="#ced4da",
    major_guide_stroke_color="#adb5bd",
    guide_stroke_dasharray="none",
    major_guide_stroke_dasharray="none",
    # The PDF's embedded font first: a report then needs no font of the machine that renders it.
    font_family="'Atkinson Hyperlegible', system-ui, -apple-system, 'Segoe UI', Arial, sans-serif",
    title_font_size=20,
    label_font_size=16,
    major_label_font_size=16,
    value_font_size=15,
    value_label_font_size=14,
    legend_font_size=16,
    tooltip_font_size=16,
    opacity="1",
    opacity_hover=".85",
    transition="none",
)

# Cached SVG is keyed by its data, so it never goes stale; the timeout only frees memory.
CACHE_SECONDS = 24 * 60 * 60
# Bumped when the drawing code changes, so cached drawings of the old code are not reused.
DRAWING_VERSION = 4

WIDTH = 720
# The longest category an axis prints; pygal's own truncation cuts inside words.
AXIS_LABEL_LIMIT = 40
# A legend entry takes its colour box and gap, then its words at about 0.6 em a character
# (the font's mean advance, rounded up); the plot, which pygal divides into the legend's
# columns, is the drawing less its margins and the y axis's labels.
LEGEND_BOX = 40
LEGEND_CHARACTER = 0.6 * 16
LEGEND_SPAN = WIDTH - 2 * 12 - 90
# Thicker lines than pygal's 1px, readable when the drawing is scaled down on a phone.
_HOUSE_CSS = ".pygal-chart .series .line{stroke-width:3px}"
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# pygal writes coordinates to 15 digits; a hundredth of a unit is far below a screen's pixel.
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")
_GEOMETRY = ("x", "y", "width", "height", "cx", "cy", "r", "d", "transform", "points")


@dataclass(frozen=True)
class Series:
    """One named row of values; ``links`` (same length, or empty) lead to the records counted."""

    name: str
    values: tuple[float | int | None, ...]
    links: tuple[str | None, ...] = ()

    def link(self, index: int) -> str | None:
        return self.links[index] if self.links else None


@dataclass
class DataTable:
    """Figures as a captioned table: the accessible alternative of a chart, and its CSV."""

    is_chart = False
    slug: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]
    # Parallel to ``rows``: for each cell, the URL of the records behind it, or None.
    links: tuple[tuple[str | None, ...], ...] = ()
    description: str = ""
    # What a reader needs besides the figures ("3 activities have no known date").
    note: str = ""

    # A table takes a line per row (so does a chart of horizontal bars, see Chart's).
    grows_downward = True

    @property
    def cells(self) -> list[list[tuple[object, str | None]]]:
        """Each row as (value, link) pairs, for a template to lay out; a zero links to nothing
        (its list would be empty, and a month-by-month table is mostly zeros)."""
        return [
            [
                (value, self.links[r][c] if self.links and self.links[r] and value != 0 else None)
                for c, value in enumerate(row)
            ]
            for r, row in enumerate(self.rows)
        ]

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([_safe_cell(header) for header in self.headers])
        writer.writerows([_safe_cell(value) for value in row] for row in self.rows)
        return out.getvalue()


@dataclass
class Chart(DataTable):
    """A table drawn as a chart of one ``kind`` (see ``KINDS``)."""

    is_chart = True

    @property
    def is_empty(self) -> bool:
        """Nothing to draw: no category, or nothing but zeros."""
        return not any(value for s in self.series for value in s.values)

    kind: str = "bar"
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    options: dict = field(default_factory=dict)

    @property
    def grows_downward(self) -> bool:
        return self.kind in HORIZONTAL_KINDS

    @cached_property
    def svg(self) -> SafeString:
        """The chart for a web page: styled by ``static/reports/charts.css``."""
        return mark_safe(self._drawing()["page"])

    @cached_property
    def svg_standalone(self) -> SafeString:
        """The same drawing with its stylesheet inside, for a PDF or an SVG file."""
        return mark_safe(self._drawing()["standalone"])

    def cache_key(self) -> str:
        payload = json.dumps(
            [
                DRAWING_VERSION,
                pygal.__version__,
                stylesheet(),
                self.slug,
                self.title,
                self.description,
                self.kind,
                self.categories,
                [(s.name, s.values, s.links) for s in self.series],
                self.options,
            ],
            sort_keys=True,
            default=str,
        )
        return "chart-svg:" + hashlib.sha256(payload.encode()).hexdigest()

    def _drawing(self) -> dict[str, str]:
        key = self.cache_key()
        drawing = cache.get(key)
        if drawing is None:
            drawing = _draw(self)
            cache.set(key, drawing, CACHE_SECONDS)
        return drawing


KINDS = {
    "bar": (pygal.Bar, {}),
    "hbar": (pygal.HorizontalBar, {}),
    "stacked_bar": (pygal.StackedBar, {}),
    "stacked_hbar": (pygal.HorizontalStackedBar, {}),
    "line": (pygal.Line, {"dots_size": 4}),
}

HORIZONTAL_KINDS = ("hbar", "stacked_hbar")


def chart(
    *,
    slug: str,
    title: str,
    description: str,
    kind: str,
    category_header: str,
    categories: list[str] | tuple[str, ...],
    series: list[Series] | tuple[Series, ...],
    note: str = "",
    **options,
) -> Chart:
    """A chart whose table has one row per category and one column per series."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}")
    categories = tuple(str(category) for category in categories)
    series = tuple(series)
    rows = tuple(
        (category, *(s.values[i] for s in series)) for i, category in enumerate(categories)
    )
    links = tuple((None, *(s.link(i) for s in series)) for i in range(len(categories)))
    return Chart(
        slug=slug,
        title=title,
        description=description,
        note=note,
        headers=(category_header, *(s.name for s in series)),
        rows=rows,
        links=links if any(any(row) for row in links) else (),
        kind=kind,
        categories=categories,
        series=series,
        options=options,
    )


# --- A metric's data as a chart ---------------------------------------------------------------
# The dashboards and the PDF reports draw a metric through the same adapter; a PDF leaves out
# the links and the description, which only a page's reader meets.


def breakdown_chart(
    breakdown: Breakdown,
    *,
    slug: str,
    title: str,
    category_header: str,
    value_name: str,
    description: str = "",
    link: Callable[[str], str | None] | None = None,
    kind: str = "hbar",
    **options,
) -> Chart:
    """A bar per category; ``link(key)`` leads to a category's records ("Not recorded" has no
    link). ``options`` go to pygal, as for :func:`chart`."""
    # A breakdown is a table of one column, named after its values.
    table = CrossTab(
        row_keys=tuple(c.key for c in breakdown.categories),
        row_labels=tuple(breakdown.labels),
        column_keys=(value_name,),
        column_labels=(value_name,),
        cells=tuple((value,) for value in breakdown.values),
    )
    return crosstab_chart(
        table,
        slug=slug,
        title=title,
        category_header=category_header,
        description=description or f"{title}: {value_name.lower()} per {category_header.lower()}.",
        kind=kind,
        link=(lambda key, _: link(key) if key != NOT_RECORDED else None) if link else None,
        **options,
    )


def crosstab_chart(
    table: CrossTab,
    *,
    slug: str,
    title: str,
    category_header: str,
    description: str = "",
    kind: str = "stacked_hbar",
    link: Callable[[str, str], str | None] | None = None,
    columns: list[str] | None = None,
    note: str = "",
    **options,
) -> Chart:
    """A category per row and a series per column (only the ``columns`` keys when given);
    ``link(row_key, column_key)`` leads to a cell's records. ``options`` go to pygal."""
    series = [
        Series(
            label,
            tuple(table.column(key)),
            tuple(link(row, key) for row in table.row_keys) if link else (),
        )
        for key, label in zip(table.column_keys, table.column_labels, strict=True)
        if columns is None or key in columns
    ]
    return chart(
        slug=slug,
        title=title,
        description=description or f"{title}, per {category_header.lower()}.",
        kind=kind,
        category_header=category_header,
        categories=table.row_labels,
        series=series,
        note=note,
        **options,
    )


def feedback_chart(
    shares: list[StatementShare], *, slug: str, description: str, value_name: str, **options
) -> Chart:
    """The share scoring 4 or 5 of each statement that has a scored response, out of 100."""
    scored = Breakdown(
        tuple(
            Category(str(share.question_id), share.text, round(share.share))
            for share in shares
            if share.share is not None
        )
    )
    return breakdown_chart(
        scored,
        slug=slug,
        title="Share scoring 4 or 5",
        category_header="Statement",
        value_name=value_name,
        description=description,
        range=(0, 100),
        **options,
    )


# The backstage contacts of SiteTallies, in the order a tallies chart stacks them.
TALLY_KINDS = (
    ("emails", ActivityKind.EMAIL),
    ("calls", ActivityKind.PHONE_CALL),
    ("one_to_ones", ActivityKind.ONE_TO_ONE),
)


def tallies_chart(
    tallies: list[SiteTallies],
    *,
    slug: str,
    description: str,
    names: tuple[str, str, str],
    link: Callable[[str, str], str | None] | None = None,
) -> Chart:
    """Backstage contacts per site, stacked in the order of ``TALLY_KINDS`` under ``names``;
    ``link(site_id, kind)`` (the id as text) leads to a site's contacts of one kind."""
    table = CrossTab(
        row_keys=tuple(str(t.site_id) for t in tallies),
        row_labels=tuple(t.site_name for t in tallies),
        column_keys=tuple(kind for _, kind in TALLY_KINDS),
        column_labels=names,
        cells=tuple(tuple(getattr(t, attribute) for attribute, _ in TALLY_KINDS) for t in tallies),
    )
    return crosstab_chart(
        table,
        slug=slug,
        title="Backstage contacts per site",
        category_header="Site",
        description=description,
        link=link,
    )


@functools.cache
def stylesheet() -> str:
    """pygal's CSS for the house style, as ``static/reports/charts.css`` holds it: the same
    for every chart (all the palette's series colours, no per-chart rule)."""
    sample = pygal.Bar(**_config(series_count=len(PALETTE), legend_columns=3))
    for index in range(len(PALETTE)):
        sample.add(str(index), [1])
    return _shared_style(sample, _child(_child(sample.render_tree(), "defs"), "style")).text


# --- Drawing ----------------------------------------------------------------------------------


def _legend(names: list[str]) -> tuple[list[str], int]:
    """The legend's entries and its columns: as many columns (up to three) as the longest entry
    leaves room for, so that no entry runs into the next, and an entry longer than the whole
    width shortened at a word (the chart's table holds it in full)."""
    limit = int((LEGEND_SPAN - LEGEND_BOX) / LEGEND_CHARACTER)
    shown = [_fitted(name, limit) for name in names]
    widest = LEGEND_BOX + LEGEND_CHARACTER * max((len(name) for name in shown), default=0)
    return shown, max(1, min(len(names), 3, int(LEGEND_SPAN // widest)))


def _fitted(text: str, limit: int) -> str:
    try:
        return shortened(text, limit)
    except ValueError:
        return text


def _config(*, series_count: int, legend_columns: int, **options) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": WIDTH,
        "show_legend": series_count > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": legend_columns,
        "truncate_legend": -1,
        # Labels are shortened at a word boundary before they reach pygal (_axis_label), which
        # would cut them inside a word.
        "truncate_label": -1,
        "margin": 12,
        "css": ("file://style.css", "file://graph.css", f"inline:{_HOUSE_CSS}"),
        **options,
    }


def _draw(chart: Chart) -> dict[str, str]:
    cls, defaults = KINDS[chart.kind]
    horizontal = chart.grows_downward
    stacked = chart.kind.startswith("stacked")
    many = len(chart.categories)
    names, columns = _legend([s.name for s in chart.series])
    # Each row of the legend below the plot needs its own room.
    legend_rows = -(-len(names) // columns) if len(names) > 1 else 0
    options = {
        **defaults,
        "title": chart.title,
        "print_values": not stacked and chart.kind != "line" and len(chart.series) == 1,
        "print_values_position": "top",
        "height": max(260, 110 + 34 * many * (1 if stacked else len(chart.series)))
        + 28 * legend_rows
        if horizontal
        # Rotated labels and the legend below the plot need room.
        else 420 + 28 * legend_rows,
        **chart.options,
    }
    if not horizontal and many > 12:
        # Months or quarters over years: every nth label, the others would overlap.
        options.setdefault("x_label_rotation", 45)
        options.setdefault("show_minor_x_labels", False)
        options.setdefault("x_labels_major_every", -(-many // 12))
    elif not horizontal and many > 6:
        options.setdefault("x_label_rotation", 30)
    options.setdefault("y_labels", _whole_number_ticks(chart, stacked=stacked))
    if options.get("x_label_rotation"):
        # pygal leaves too little room under rotated labels for a legend below them.
        options.setdefault("margin_bottom", 48)
    graph = cls(**_config(series_count=len(chart.series), legend_columns=columns, **options))
    # pygal stacks horizontal bars from the bottom up: reversed, they read in the table's order.
    order = list(range(many))[::-1] if horizontal else list(range(many))
    graph.x_labels = [_axis_label(chart.categories[i]) for i in order]
    for s, name in zip(chart.series, names, strict=True):
        graph.add(
            name,
            [
                {"value": s.values[i], "xlink": {"href": s.link(i), "target": "_self"}}
                if s.link(i)
                else s.values[i]
                for i in order
            ],
        )
    root = graph.render_tree()
    defs = _child(root, "defs")
    style = _child(defs, "style")
    # Every chart shares one stylesheet (see stylesheet()), so a PDF embeds the page's CSS.
    style.text = stylesheet()
    for script in [e for e in defs if _local(e.tag) == "script"]:
        defs.remove(script)
    _strip_interactivity(root)
    _trim(root)
    _describe(root, chart)
    defs.remove(style)
    page = _serialise(root)
    defs.append(style)
    return {"page": page, "standalone": _serialise(root)}


def _axis_label(category: str) -> str:
    """A category as its axis prints it: whole words, at most AXIS_LABEL_LIMIT characters; the
    full wording is in the chart's table. A single longer word stays whole."""
    try:
        return shortened(category, AXIS_LABEL_LIMIT)
    except ValueError:
        return category


def _shared_style(graph, style: ElementTree.Element) -> ElementTree.Element:
    """One stylesheet for every chart (and the linked charts.css): pygal scopes its rules to
    the drawing's random id, here to the class all its drawings carry."""
    scoped = re.sub(rf"#chart-{re.escape(str(graph.uuid))}", ".pygal-chart", style.text or "")
    style.text = scoped.strip() + "\n"
    return style


def _whole_number_ticks(chart: Chart, *, stacked: bool) -> list[int] | None:
    """Ticks at whole numbers for counts (pygal would label 0.2, 0.4... under a count of 3)."""
    columns = [[value or 0 for value in s.values] for s in chart.series]
    if not all(isinstance(value, int) for column in columns for value in column):
        return None
    if stacked:
        top = max((sum(values) for values in zip(*columns, strict=True)), default=0)
    else:
        top = max((max(column, default=0) for column in columns), default=0)
    # Steps of 1, 2 or 5 times a power of ten, at most eight of them up to the top.
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if step * 8 >= top:
                return list(range(0, top + step, step))
        magnitude *= 10


def _strip_interactivity(root: ElementTree.Element) -> None:
    """Drop what only pygal's script would use: the tooltip layer (which carries the one inline
    style attribute), the per-point hidden descriptions and the legend's ids, which every chart
    of a page would repeat."""
    for element in root.iter():
        if element.get("id", "").startswith("activate-serie"):
            del element.attrib["id"]
    for parent in root.iter():
        for child in list(parent):
            name = _local(child.tag)
            if name == "desc" or (name == "g" and "tooltip-overlay" in child.get("class", "")):
                parent.remove(child)


def _trim(root: ElementTree.Element) -> None:
    """Leave out what draws nothing, and the digits no screen or printer resolves: a month-by-
    month chart of twelve kinds is mostly empty bars, each with its link (the table keeps every
    figure, zeros included)."""
    for parent in root.iter():
        for child in list(parent):
            if _local(child.tag) == "g" and child.get("class") == "bar" and _draws_nothing(child):
                parent.remove(child)
    for element in root.iter():
        _drop_defaults(element)
        for name in _GEOMETRY:
            if name in element.attrib:
                element.set(name, _LONG_NUMBER.sub(_rounded, element.get(name)))


def _drop_defaults(element: ElementTree.Element) -> None:
    """Attributes that say what a browser does anyway, and the class only pygal's script used,
    repeated on every bar."""
    if element.get("target") == "_self":
        del element.attrib["target"]
    for corner in ("rx", "ry"):
        if element.get(corner) == "0":
            del element.attrib[corner]
    if "tooltip-trigger" in element.get("class", ""):
        element.set("class", element.get("class").replace(" tooltip-trigger", ""))


def _draws_nothing(bar: ElementTree.Element) -> bool:
    rects = [e for e in bar.iter() if _local(e.tag) == "rect"]
    return bool(rects) and all(
        float(rect.get("width", 1)) == 0 or float(rect.get("height", 1)) == 0 for rect in rects
    )


def _rounded(match: re.Match) -> str:
    return f"{float(match.group()):.2f}".rstrip("0").rstrip(".")


def _describe(root: ElementTree.Element, chart: Chart) -> None:
    """An image with a title and a description, for screen readers (the table follows)."""
    title_id, desc_id = f"chart-{chart.slug}-title", f"chart-{chart.slug}-desc"
    root.set("id", f"chart-{chart.slug}")
    root.set("role", "img")
    root.set("aria-labelledby", f"{title_id} {desc_id}")
    title = _child(root, "title")
    title.set("id", title_id)
    desc = ElementTree.Element("desc", id=desc_id)
    desc.text = chart.description or chart.title
    root.insert(list(root).index(title) + 1, desc)


def _serialise(root: ElementTree.Element) -> str:
    markup = ElementTree.tostring(root, encoding="unicode")
    # pygal stamps each drawing with the date: same data, same bytes.
    return _COMMENT.sub("", markup)


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element:
    for child in element:
        if isinstance(child.tag, str) and _local(child.tag) == name:
            return child
    raise LookupError(f"pygal drew no <{name}>")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _safe_cell(value):
    return "" if value is None else neutralise(value)
