"""Charts as standalone SVG drawn on the server: sober, accessible, downloadable.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (the figures in
words), the xmlns to be saved as a file, and text escaped (labels come from the data).
The page puts each chart in a ``<figure>`` followed by its data table.

Numbers go through ``core.numbers``: ``geometry`` for every coordinate and length (never
localised, or a browser drops "153,5"), ``text`` for the figures drawn as labels (in the
active language). The drawing is laid out left to right in every language
(``direction="ltr"`` on the root, or an Arabic page would flip every ``text-anchor``), and
labels of the data get ``unicode-bidi="plaintext"``: an Arabic label reads right to left
with its ellipsis and brackets in place.
"""

from __future__ import annotations

import hashlib

from django.utils.html import escape
from django.utils.translation import gettext as _

from reciprocite.core.numbers import geometry as g
from reciprocite.core.numbers import text

from .selectors import Item, Series

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
BAR_COLOUR = "#1d4f7a"  # 8.6:1 on white
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#595959"  # 7:1 on white
ROW = 24


def _id(series: Series, kind: str) -> str:
    digest = hashlib.sha256(f"{series.key}|{series.title}|{kind}".encode()).hexdigest()[:8]
    return f"chart-{series.key}-{digest}"


def number(value: float | int) -> str:
    """A figure drawn as text, in the active language: 12345 → "12 345" in French,
    "12,345" in English; 12.5 → "12,5" in French."""
    return text(value, decimals=2)


def describe(series: Series, max_items: int | None = None) -> str:
    items = series.items if max_items is None else series.items[:max_items]
    if not items:
        return _("No data.")
    return "; ".join(f"{i.label}: {number(i.count)}" for i in items) + "."


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(series: Series, width: int, height: int, kind: str, desc: str) -> list[str]:
    ident = _id(series, kind)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{g(width)}" height="{g(height)}" viewBox="0 0 {g(width)} {g(height)}" '
        f'direction="ltr" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="{escape(FONT)}" font-size="13">',
        f'<title id="{ident}-t">{escape(series.title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
        f'<rect width="{g(width)}" height="{g(height)}" fill="#ffffff"/>',
    ]


def bar_chart_svg(series: Series, *, width: int = 640, max_items: int = 15) -> str:
    """Horizontal bars, most frequent first (as the series is ordered), each labelled with
    its count; items beyond ``max_items`` are summed into "Others"."""
    items = list(series.items)
    if len(items) > max_items:
        rest = items[max_items - 1 :]
        items = items[: max_items - 1]
        items.append(Item("others", _("Others"), sum(i.count for i in rest)))
    label_width = max(120, int(width * 0.38))
    value_room = 70
    bar_room = max(40, width - label_width - value_room - 10)
    top = max((i.count for i in items), default=0) or 1
    height = max(1, len(items)) * ROW + 16
    limit = max(10, label_width // 8)  # DejaVu Sans at 13 px: about 8 px a character
    out = _open(series, width, height, "bar", describe(series, max_items))
    if not items:
        out.append(f'<text x="10" y="24" fill="{TEXT_COLOUR}">{escape(_("No data."))}</text></svg>')
        return "".join(out)
    out.append(
        f'<line x1="{g(label_width)}" y1="4" x2="{g(label_width)}" y2="{g(height - 8)}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    for n, item in enumerate(items):
        y = 8 + n * ROW
        length = round(item.count / top * bar_room, 1)
        label = escape(_shorten(item.label, limit))
        out.append(
            f"<g><title>{escape(item.label)}: {number(item.count)}</title>"
            f'<text x="{g(label_width - 6)}" y="{g(y + 13)}" text-anchor="end" '
            f'unicode-bidi="plaintext" fill="{TEXT_COLOUR}">{label}</text>'
            f'<rect x="{g(label_width)}" y="{g(y)}" width="{g(length)}" height="{g(ROW - 8)}" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{g(label_width + length + 5)}" y="{g(y + 13)}" fill="{TEXT_COLOUR}">'
            f"{number(item.count)}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)


def _wrap(text: str, limit: int) -> list[str]:
    """At most two lines of about ``limit`` characters, cut at spaces (then shortened)."""
    if len(text) <= limit:
        return [text]
    words, first = text.split(" "), ""
    while words and len(f"{first} {words[0]}".strip()) <= limit:
        first = f"{first} {words.pop(0)}".strip()
    if not first:
        return [_shorten(text, limit)]
    return [first, _shorten(" ".join(words), limit)] if words else [first]


def _fill_years(items: list[Item]) -> list[Item]:
    """Years with no item get an empty bar, so that the axis runs at an even pace."""
    if len(items) < 2 or not all(i.code.isdigit() for i in items):
        return items
    by_year = {int(i.code): i for i in items}
    return [
        by_year.get(year, Item(str(year), str(year), 0))
        for year in range(min(by_year), max(by_year) + 1)
    ]


def histogram_svg(series: Series, *, width: int = 640) -> str:
    """Vertical bars in the order of the series (years, budget bands), a count above each
    bar when there is room, labels below (every few years when they are many)."""
    items = _fill_years(list(series.items))
    height = 240
    left, right, top_margin, bottom = 44, 10, 22, 46
    plot_w = width - left - right
    plot_h = height - top_margin - bottom
    out = _open(series, width, height, "hist", describe(series))
    if not items:
        out.append(f'<text x="10" y="24" fill="{TEXT_COLOUR}">{escape(_("No data."))}</text></svg>')
        return "".join(out)
    top = max(i.count for i in items) or 1
    slot = plot_w / len(items)
    bar = max(1.0, slot * 0.8)
    every = max(1, round(len(items) / max(1, plot_w // 56)))
    base = top_margin + plot_h
    out.append(
        f'<line x1="{g(left)}" y1="{g(base)}" x2="{g(width - right)}" y2="{g(base)}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        f'<text x="{g(left - 6)}" y="{g(top_margin + 4)}" text-anchor="end" '
        f'fill="{AXIS_COLOUR}">{number(top)}</text>'
        f'<text x="{g(left - 6)}" y="{g(base)}" text-anchor="end" fill="{AXIS_COLOUR}">'
        f"{number(0)}</text>"
    )
    limit = max(4, int(slot * every // 7))
    years = all(i.code.isdigit() for i in items)
    if years:  # label round years: every 1, 2, 5, 10… years
        step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100) if s >= every), 100)
        limit = max(limit, 4)
    for n, item in enumerate(items):
        x = round(left + n * slot + (slot - bar) / 2, 1)
        h = round(item.count / top * plot_h, 1)
        centre = round(x + bar / 2, 1)
        parts = [
            f"<g><title>{escape(item.label)}: {number(item.count)}</title>"
            f'<rect x="{g(x)}" y="{g(base - h, 1)}" width="{g(bar, 1)}" height="{g(h)}" '
            f'fill="{BAR_COLOUR}"/>'
        ]
        if slot >= 26:
            parts.append(
                f'<text x="{g(centre)}" y="{g(base - h - 4, 1)}" text-anchor="middle" '
                f'fill="{TEXT_COLOUR}" font-size="11">{number(item.count)}</text>'
            )
        if (int(item.code) % step == 0) if years else (n % every == 0):
            lines = _wrap(item.label, limit)
            spans = "".join(
                f'<tspan x="{g(centre)}" dy="{0 if k == 0 else 13}">{escape(line)}</tspan>'
                for k, line in enumerate(lines)
            )
            parts.append(
                f'<text x="{g(centre)}" y="{g(base + 16)}" text-anchor="middle" '
                f'unicode-bidi="plaintext" fill="{TEXT_COLOUR}" font-size="11">{spans}</text>'
            )
        parts.append("</g>")
        out.append("".join(parts))
    out.append("</svg>")
    return "".join(out)
