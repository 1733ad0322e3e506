"""Charts of the dashboards, the statistics page and the reports (OPS-1, OPS-3, SUP-14).

Drawn on the server as SVG by pygal (a PyPI package installed with baomi, nothing copied into
the repository, nothing loaded from outside): the browser shows the SVG inline, and the same
SVG becomes a PNG (cairosvg, on the system's cairo) for the docx and PDF reports, so a figure
looks the same everywhere. No JavaScript.

A chart is a pure function of its numbers and labels, so rendered charts are kept in a small
in-process cache keyed by exactly those: it can never show stale numbers.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
COLOURS = ("#8b1a1a", "#c0392b", "#d35400", "#6d4c41", "#455a64", "#2e7d32", "#0b5cad", "#9a6700")
LEVEL_COLOURS = {
    "public": "#2e7d32", "internal": "#455a64", "work_secret": "#6d4c41", "confidential": "#d35400",
    "secret": "#c0392b", "top_secret": "#8b0000",
}  # fmt: skip


def _style(colours: tuple[str, ...] = COLOURS) -> Any:
    from pygal.style import Style

    return Style(
        font_family=FONT, background="transparent", plot_background="transparent", foreground="#1f2328",
        foreground_strong="#1f2328", foreground_subtle="#d9dde3", colors=colours, label_font_size=12,
        major_label_font_size=12, value_font_size=11, legend_font_size=12, title_font_size=14,
        tooltip_font_size=12,
    )  # fmt: skip


def _common(width: int, height: int, title: str) -> dict[str, Any]:
    return {
        "width": width, "height": height, "title": title or None, "disable_xml_declaration": True, "js": [],
        "show_legend": False, "print_values": True, "margin": 8, "explicit_size": False,
        "no_data_text": "—", "truncate_label": -1,
    }  # fmt: skip


#: Steps between two graduations of a count's axis, smallest first (then ×10).
_STEPS = (1, 2, 5)


def _count_axis(largest: int) -> dict[str, Any]:
    """The value axis of a count: whole numbers from zero, at most six graduations. pygal's own
    scale labelled every unit of a small count (17 overlapping labels in a 190-pixel panel) and
    cut a count of 2 into fifths (0.4 carriers)."""
    top = max(int(largest), 1)
    scale = 1
    while True:
        for step in (n * scale for n in _STEPS):
            if -(-top // step) <= 5:
                ticks = list(range(0, -(-top // step) * step + 1, step))
                return {"y_labels": ticks, "range": (0, ticks[-1])}
        scale *= 10


@functools.lru_cache(maxsize=512)
def _bar(labels: tuple[str, ...], values: tuple[int, ...], title: str, horizontal: bool, colours: tuple[str, ...],
         width: int, height: int) -> str:  # fmt: skip
    import pygal

    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        style=_style(colours), **_common(width, height, title), **_count_axis(max(values, default=0))
    )
    if horizontal:
        # pygal draws horizontal bars bottom-up: reverse so the first label is on top.
        labels, values, colours = labels[::-1], values[::-1], colours[::-1]
    chart.x_labels = list(labels)
    chart.add("", [{"value": v, "color": colours[i % len(colours)]} for i, v in enumerate(values)])
    return _without_script(str(chart.render(is_unicode=True)))


@functools.lru_cache(maxsize=256)
def _lines(labels: tuple[str, ...], series: tuple[tuple[str, tuple[int, ...]], ...], title: str, width: int,
           height: int) -> str:  # fmt: skip
    import pygal

    largest = max((v for _name, values in series for v in values), default=0)
    chart = pygal.Line(style=_style(), **{**_common(width, height, title), "show_legend": True,
                                          "legend_at_bottom": True, "print_values": False,
                                          **_count_axis(largest)})  # fmt: skip
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _without_script(str(chart.render(is_unicode=True)))


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def _without_script(svg: str) -> str:
    """pygal writes its tooltip config as an inline ``<script>`` even with ``js=[]``: the charts
    are static here, and the Content-Security-Policy admits no inline script (issue 11 §6).
    Labels are XML-escaped by pygal, so no ``</script>`` can come from the data."""
    return _SCRIPT.sub("", svg)


def bar(labels: list[str], values: list[int], *, title: str = "", horizontal: bool = False,
        colours: list[str] | None = None, width: int = 520, height: int = 260) -> SafeString:  # fmt: skip
    """A bar chart (distribution by level, department ranking) as inline SVG."""
    svg = _bar(tuple(str(x) for x in labels), tuple(int(v) for v in values), str(title), horizontal,
               tuple(colours or COLOURS), width, height)  # fmt: skip
    return mark_safe(svg)  # noqa: S308 - pygal builds it with an XML library: labels are escaped


def lines(labels: list[str], series: list[tuple[str, list[int]]], *, title: str = "", width: int = 620,
          height: int = 280) -> SafeString:  # fmt: skip
    """A line chart of monthly trends as inline SVG."""
    svg = _lines(tuple(str(x) for x in labels), tuple((str(n), tuple(int(v) for v in vs)) for n, vs in series),
                 str(title), width, height)  # fmt: skip
    return mark_safe(svg)  # noqa: S308 - pygal builds it with an XML library: labels are escaped


def level_colours(levels: list[str]) -> list[str]:
    return [LEVEL_COLOURS.get(lv, COLOURS[0]) for lv in levels]


def png(svg: str, *, scale: float = 2.0) -> bytes:
    """The same chart as PNG, for the docx and PDF reports."""
    import cairosvg

    return bytes(cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale))
