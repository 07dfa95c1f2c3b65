"""Build ``countries.json`` from world-atlas's ``countries-110m.json`` (run once; the result
is committed and shipped as package data).

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m reciprocite.panorama.geodata.build /tmp/package/countries-110m.json

Decodes the TopoJSON arcs (quantized, delta-encoded), projects every point with Equal
Earth (``geodata.project``), simplifies (points closer than 0.4 unit dropped, rings smaller
than a unit dropped), writes each ring as relative steps and maps the ISO 3166-1 numeric ids to alpha-2 codes with pycountry.
World-atlas has no id for Kosovo (XK), Northern Cyprus (drawn with CY) and Somaliland (drawn
with SO); Antarctica is left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

from reciprocite.panorama.geodata import DATA_FILE, VIEW_HEIGHT, VIEW_WIDTH, project

NAMELESS = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
LEFT_OUT = {"AQ"}
MIN_STEP = 0.4


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    dx, dy = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for px, py in arc:
            x += px
            y += py
            points.append((x * scale_x + dx, y * scale_y + dy))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def split_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian (a step of more than 180° of longitude: Fiji,
    Chukotka) as one ring per side, each closed along the ±180° meridian; others as they are.
    """
    jumps = [i for i in range(1, len(points)) if abs(points[i][0] - points[i - 1][0]) > 180]
    if not jumps:
        return [points]
    # start the walk right after a jump, so that every run lies on one side
    start = jumps[0]
    walk = points[start:] + points[1:start]
    runs: list[list[tuple[float, float]]] = [[walk[0]]]
    for previous, point in zip(walk, walk[1:], strict=False):
        if abs(point[0] - previous[0]) > 180:
            runs.append([])
        runs[-1].append(point)
    sides: dict[bool, list[tuple[float, float]]] = {}
    for run in runs:
        east = sum(lon for lon, _lat in run) > 0
        sides.setdefault(east, []).extend(run)
    return [ring for ring in sides.values() if len(ring) >= 3]


def ring_path(points) -> str:
    projected = [project(lon, max(lat, -89.9)) for lon, lat in points]
    kept = [projected[0]]
    for p in projected[1:]:
        q = kept[-1]
        if abs(p[0] - q[0]) + abs(p[1] - q[1]) >= MIN_STEP:
            kept.append(p)
    if len(kept) < 3:
        return ""
    xs, ys = [p[0] for p in kept], [p[1] for p in kept]
    if max(xs) - min(xs) < 1 and max(ys) - min(ys) < 1:
        return ""
    # relative steps between the rounded points (no drift), as SVG's implicit "l" pairs:
    # a third of the size of absolute coordinates
    x0, y0 = kept[0]
    steps = []
    for (ax, ay), (bx, by) in zip(kept, kept[1:], strict=False):
        steps.append(f"{_num(bx - ax)},{_num(by - ay)}")
    return f"M{x0:g},{y0:g}l" + " ".join(steps) + "z"


def _num(value: float) -> str:
    """A step rounded to 0.1, short: 1.2, -.4, 3, 0."""
    text = f"{round(value, 1):g}"
    if text == "-0":
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def code_of(geometry: dict) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    if name in NAMELESS:
        return NAMELESS[name]
    numeric = geometry.get("id")
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_2 if country else None


def build(source: Path) -> dict:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    shapes: dict[str, dict] = {}
    unknown = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = code_of(geometry)
        if code is None:
            unknown.append(geometry.get("properties", {}).get("name"))
            continue
        if code in LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        parts = [
            ring_path(piece)
            for polygon in polygons
            for ring in polygon
            for piece in split_antimeridian(ring_points(ring, arcs))
        ]
        path = "".join(p for p in parts if p)
        if not path:
            continue
        entry = shapes.setdefault(code, {"name": pycountry_name(code), "d": ""})
        entry["d"] += path
    if unknown:
        raise SystemExit(f"no ISO code for: {', '.join(map(str, unknown))}")
    return {
        "source": "Natural Earth 1:110m (public domain) via world-atlas 2.0.2 (ISC)",
        "projection": "Equal Earth",
        "width": VIEW_WIDTH,
        "height": VIEW_HEIGHT,
        "countries": dict(sorted(shapes.items())),
    }


def pycountry_name(code: str) -> str:
    if code == "XK":
        return "Kosovo"
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m reciprocite.panorama.geodata.build countries-110m.json")
    source = Path(argv[0])
    document = build(source)
    DATA_FILE.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(f"{len(document['countries'])} countries → {DATA_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
