"""The world map's shapes: Natural Earth 1:110m countries (public domain) through the
``world-atlas`` package (ISC licence), projected once with the Equal Earth projection and
shipped as SVG path strings per ISO 3166-1 alpha-2 code (``countries.json``, built by
``build.py``). Nothing is fetched at run time: no tile server, no CDN.
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "countries.json"

# Equal Earth (Šavrič, Patterson, Jenny 2018)
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
# the projected extent of the whole world, in projection units
X_MAX = 2.7066297319215575
Y_MAX = 1.3173627591574133
# the viewBox of the map: width 1000, height in proportion (Antarctica left out: y from -58°S)
VIEW_WIDTH = 1000.0
SOUTH_LIMIT = -58.0


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Projection units (x east, y north) of a point in degrees."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * lam
        * math.cos(theta)
        / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    )
    y = theta * (A4 * t6 * t2 + A3 * t6 + A2 * t2 + A1)
    return x, y


SCALE = VIEW_WIDTH / (2 * X_MAX)
TOP = Y_MAX * SCALE  # y of the north pole is 0 on the map
VIEW_HEIGHT = round(TOP - equal_earth(0, SOUTH_LIMIT)[1] * SCALE, 1)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map coordinates (viewBox units, y down) of a point in degrees."""
    x, y = equal_earth(lon, lat)
    return round(x * SCALE + VIEW_WIDTH / 2, 1), round(TOP - y * SCALE, 1)


@cache
def data_version() -> str:
    """A digest of the shapes: drawings cached with an older map are never served."""
    return hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()[:16]


@cache
def countries() -> dict[str, dict]:
    """ISO2 → {"name": English name, "d": SVG path}."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)["countries"]
