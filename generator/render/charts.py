"""Static bar charts as SVG, drawn by pygal, for pages that show numbers (the loan statistics).

pygal draws the bars, axes and labels; what it adds for its interactive mode is taken out, so
the chart is plain markup that can sit inside a page: no <script> (pygal always writes its
config as one), no tooltip data, no comments (one carries the day it was drawn), and its
random id replaced by the chart's own, so the same numbers give the same bytes. Each chart has
one series: the bars are hatched, outlined and labelled with their value, so a black-and-white
printer loses nothing and colour carries no meaning.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
_FONTS = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'


@cache
def _pygal() -> Any:
    """pygal, imported when a chart is first drawn (40 ms: a build without statistics, and
    every other command, does without). Its import adds a legacy finder to `sys.meta_path`
    for its map plugins, which makes every later failed import warn (ImportWarning, an error
    under the tests' warning filter); no map is drawn here, so it is taken out again."""
    import pygal

    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    return pygal


@cache
def _style(size: int) -> Any:
    _pygal()
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#000000",
        foreground_strong="#000000",
        foreground_subtle="#666666",
        opacity="1",
        opacity_hover="1",
        transition="0ms",
        colors=("#3d6b99",),
        font_family=_FONTS,
        label_font_family=_FONTS,
        major_label_font_family=_FONTS,
        value_font_family=_FONTS,
        title_font_family=_FONTS,
        label_font_size=size,
        major_label_font_size=size,
        value_font_size=size,
        title_font_size=size + 3,
    )


def _hatch(chart_id: str) -> str:
    """A pattern of diagonal lines over a light fill: the bars read on any printer."""
    return (
        f'<pattern xmlns="{SVG_NS}" id="{chart_id}-hatch" width="8" height="8" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#c9d8e8"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#1f3d5c" stroke-width="3"/></pattern>'
    )


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    horizontal: bool = False,
    decimals: int = 0,
    width: int = 800,
    height: int = 400,
    font_size: int = 13,
) -> str:
    """One bar per label, its value written at its end; `chart_id` must be unique on the page
    (it is the SVG's id and prefixes its pattern's). The markup is an <svg> element for a page
    (or, with an XML declaration added, a file of its own)."""
    pygal = _pygal()
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    if horizontal:  # pygal draws the first bar at the bottom: the first label goes on top
        labels, values = list(reversed(labels)), list(reversed(values))
    # pygal measures a label as if its characters were Latin: a Chinese one is about twice
    # as wide, so the room on the left is given for the longest one
    widest = max((_width(label) for label in labels), default=0)
    chart = chart_class(
        style=_style(font_size),
        width=width,
        height=height,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        print_values_position="top",
        formatter=(lambda v: f"{v:.{decimals}f}"),
        value_formatter=(lambda v: f"{v:.{decimals}f}"),
        x_label_rotation=0 if horizontal or len(labels) <= 8 else 40,
        truncate_label=-1,
        margin=12,
        margin_left=12 + widest * font_size if horizontal else 12,
        spacing=8,
        min_scale=4,
        max_scale=8,
        range=(0, _top(values)),
        defs=[_hatch(chart_id)],
        css=[
            "file://style.css",
            "file://graph.css",
            f"inline:#{chart_id} .series .rect {{ fill: url(#{chart_id}-hatch); "
            "stroke: #000000; stroke-width: 1; } "
            # a value stays readable where it touches the hatching
            f"#{chart_id} .text-overlay text.value {{ paint-order: stroke; stroke: #ffffff; "
            "stroke-width: 4px; stroke-linejoin: round; }",
        ],
    )
    chart.uuid = "x"  # replaced below: pygal's default is random
    chart.title = title
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    return _plain(chart.render_tree(), chart_id, title)


def _width(text: str) -> float:
    """A label's width in ems of a Chinese character: Latin letters and digits count half."""
    return sum(0.55 if ord(c) < 0x2E80 else 1 for c in text)


def _top(values: Sequence[float]) -> float:
    """The axis' end: a little above the longest bar, so its label fits."""
    top = max(values, default=0)
    return top * 1.12 if top > 0 else 1


def _plain(root: etree._Element, chart_id: str, title: str) -> str:
    from lxml import etree

    for node in list(root.iter(etree.Comment)):
        node.getparent().remove(node)
    # pygal makes the children without a namespace (the root's default one applies)
    for node in list(root.iter("script", "desc", f"{{{SVG_NS}}}script", f"{{{SVG_NS}}}desc")):
        node.getparent().remove(node)
    for node in list(root.iter("g", f"{{{SVG_NS}}}g")):
        if "tooltip-overlay" in (node.get("class") or ""):
            node.getparent().remove(node)
    root.set("id", chart_id)
    root.set("role", "img")
    root.set("aria-label", title)
    text = etree.tostring(root, encoding="unicode")
    # the style sheet names the chart by pygal's id, which was set to "x" before drawing
    return text.replace("#chart-x ", f"#{chart_id} ").replace("#chart-x{", f"#{chart_id}{{")
