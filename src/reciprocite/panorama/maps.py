"""The world map as SVG drawn on the server (Natural Earth shapes shipped in ``geodata``).

A choropleth in five classes (a colour-blind-safe sequential blue palette, ColorBrewer
"Blues", with a legend), optionally by zone (every country coloured by its zone's figure),
points (partner territories) and lines (replications). Every country path has a
``<title>`` naming it with its figure; the page gives the data table as text alternative.
Coordinates and lengths are written by ``core.numbers.geometry`` (never localised), the
figures of titles and legend by ``charts.number`` (in the reader's language); the map is
laid out left to right in every language (``direction="ltr"``).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping

from django.utils.html import escape
from django.utils.translation import gettext as _

from reciprocite.core.numbers import geometry as g
from reciprocite.territories import geography

from . import geodata
from .charts import FONT, number

# ColorBrewer Blues (sequential, safe for every kind of colour vision), the five darker of
# its nine steps: even the first class stands out from "no data" (near white) and the sea.
PALETTE = ("#c6dbef", "#6baed6", "#3182bd", "#08519c", "#08306b")
NO_DATA = "#f4f4f4"
BORDER = "#7a7a7a"
POINT = "#b2182b"  # red, distinct from the blues for every kind of colour vision
LINE = "#b2182b"


def classes(values: Iterable[int], k: int = 5) -> list[tuple[int, int]]:
    """Up to ``k`` classes [low, high] over the positive values (quantiles of the distinct
    values, so that each class is used and bounds are whole numbers)."""
    distinct = sorted({int(v) for v in values if v and v > 0})
    if not distinct:
        return []
    if len(distinct) <= k:
        return [(v, v) for v in distinct]
    bounds = []
    for i in range(k):
        lo = distinct[math.floor(i * len(distinct) / k)]
        hi = distinct[math.floor((i + 1) * len(distinct) / k) - 1]
        bounds.append((lo, hi))
    # make them contiguous: each class starts after the previous one's end
    fixed = []
    for lo, hi in bounds:
        if fixed and lo <= fixed[-1][1]:
            lo = fixed[-1][1] + 1
        if lo <= hi:
            fixed.append((lo, hi))
    fixed[-1] = (fixed[-1][0], distinct[-1])
    return fixed


def class_of(value: int, bounds: list[tuple[int, int]]) -> int | None:
    if not value:
        return None
    for n, (_lo, hi) in enumerate(bounds):
        if value <= hi:
            return n
    return len(bounds) - 1 if bounds else None


def _colour(n: int | None, count: int) -> str:
    if n is None:
        return NO_DATA
    # fewer classes than five: spread them over the palette, darkest last
    index = n if count == 5 else round(n * 4 / max(1, count - 1)) if count > 1 else 4
    return PALETTE[index]


def world_map_svg(
    values: Mapping[str, int],
    *,
    points: Iterable[tuple[float, float, str, int]] = (),
    lines: Iterable[tuple[tuple[float, float], tuple[float, float], str]] = (),
    width: int = 960,
    title: str = "",
    zones: bool = False,
) -> str:
    """A world map. ``values`` are by ISO2 code, or by zone key when ``zones`` is true."""
    shapes = geodata.countries()
    view_w, view_h = geodata.VIEW_WIDTH, geodata.VIEW_HEIGHT
    legend_h = 40
    height = round(width * (view_h + legend_h) / view_w)
    bounds = classes(values.values())
    title = title or _("World map")
    ident = "map-" + hashlib.sha256(f"{title}|{zones}".encode()).hexdigest()[:8]
    with_data = sum(1 for v in values.values() if v)
    desc = (
        _("%(n)d zones with data; the figures are in the table after the map.")
        if zones
        else _("%(n)d countries with data; the figures are in the table after the map.")
    ) % {"n": with_data}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" width="{g(width)}" '
        f'height="{g(height)}" viewBox="0 0 {g(view_w)} {g(view_h + legend_h)}" '
        f'direction="ltr" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="{escape(FONT)}" font-size="11">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
        f'<rect width="{g(view_w)}" height="{g(view_h + legend_h)}" fill="#ffffff"/>',
        f'<g class="countries" stroke="{BORDER}" stroke-width="0.4" stroke-linejoin="round">',
    ]
    for code, shape in shapes.items():
        if zones:
            zone = geography.zone_of(code)
            key = zone.key if zone else None
            value = values.get(key, 0) if key else 0
            name = geography.country_name(code) + (f" — {zone.label()}" if zone else "")
        else:
            value = values.get(code, 0)
            name = geography.country_name(code)
        n = class_of(value, bounds)
        figure = number(value) if value else _("no data")
        css = f"c{n}" if n is not None else "c-none"
        out.append(
            f'<path class="{css}" data-code="{code}" fill="{_colour(n, len(bounds))}" '
            f'd="{shape["d"]}"><title>{escape(name)}: {escape(figure)}</title></path>'
        )
    out.append("</g>")
    line_list = list(lines)
    if line_list:
        out.append(
            f'<g class="lines" fill="none" stroke="{LINE}" stroke-width="1.2" opacity="0.85">'
        )
        for (lat1, lon1), (lat2, lon2), label in line_list:
            x1, y1 = geodata.project(lon1, lat1)
            x2, y2 = geodata.project(lon2, lat2)
            # a gentle arc, so that lines between the same places stay apart from the borders
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2 - 0.15 * math.hypot(x2 - x1, y2 - y1)
            out.append(
                f'<path d="M{g(x1)},{g(y1)}Q{g(mx, 1)},{g(my, 1)} {g(x2)},{g(y2)}">'
                f"<title>{escape(label)}</title></path>"
                f'<circle cx="{g(x2)}" cy="{g(y2)}" r="2" fill="{LINE}"/>'
            )
        out.append("</g>")
    point_list = list(points)
    if point_list:
        top = max((p[3] for p in point_list), default=1) or 1
        out.append(f'<g class="points" fill="{POINT}" fill-opacity="0.8" stroke="#ffffff">')
        for lat, lon, label, count in point_list:
            x, y = geodata.project(lon, lat)
            r = round(2 + 4 * math.sqrt(count / top), 1)
            out.append(
                f'<circle cx="{g(x)}" cy="{g(y)}" r="{g(r, 1)}" stroke-width="0.6">'
                f"<title>{escape(label)}: {number(count)}</title></circle>"
            )
        out.append("</g>")
    out.append(_legend(bounds, view_h, point_list, line_list))
    out.append("</svg>")
    return "".join(out)


def _legend(bounds, top: float, points, lines) -> str:
    y = top + 10
    parts = [f'<g class="legend" transform="translate(10,{g(y)})">']
    x = 0
    for n, (lo, hi) in enumerate(bounds):
        text = number(lo) if lo == hi else f"{number(lo)}–{number(hi)}"
        parts.append(
            f'<rect class="c{n}" x="{g(x)}" y="0" width="18" height="12" '
            f'fill="{_colour(n, len(bounds))}" stroke="{BORDER}" stroke-width="0.4"/>'
            f'<text x="{g(x + 22)}" y="10" fill="#1a1a1a">{text}</text>'
        )
        x += 30 + 7 * len(text)
    parts.append(
        f'<rect x="{g(x)}" y="0" width="18" height="12" fill="{NO_DATA}" stroke="{BORDER}" '
        f'stroke-width="0.4"/><text x="{g(x + 22)}" y="10" unicode-bidi="plaintext" '
        f'fill="#1a1a1a">'
        f"{escape(_('no data'))}</text>"
    )
    x += 40 + 7 * len(_("no data"))
    if points:
        parts.append(
            f'<circle cx="{g(x + 6)}" cy="6" r="5" fill="{POINT}"/>'
            f'<text x="{g(x + 16)}" y="10" unicode-bidi="plaintext" fill="#1a1a1a">'
            f"{escape(_('partner territory'))}</text>"
        )
        x += 30 + 7 * len(_("partner territory"))
    if lines:
        parts.append(
            f'<line x1="{g(x)}" y1="6" x2="{g(x + 18)}" y2="6" stroke="{LINE}" '
            f'stroke-width="1.5"/><text x="{g(x + 22)}" y="10" unicode-bidi="plaintext" '
            f'fill="#1a1a1a">{escape(_("replication"))}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
