"""The SVG of charts and maps: well formed, accessible, safe."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from reciprocite.panorama import geodata
from reciprocite.panorama.charts import bar_chart_svg, histogram_svg
from reciprocite.panorama.maps import PALETTE, classes, world_map_svg
from reciprocite.panorama.selectors import Item, Series

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup


def test_bar_chart_is_labelled_and_escapes_labels():
    series = Series("x", "Things <b>", [Item("a", "A & <script>", 10), Item("b", "B", 5)])
    svg = bar_chart_svg(series)
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Things <b>"
    assert root.find(f"{NS}desc").text == "A & <script>: 10; B: 5."
    assert "<script>" not in svg
    bars = root.findall(f"{NS}g/{NS}rect")
    widths = [float(b.get("width")) for b in bars]
    assert widths[1] == round(widths[0] / 2, 1) > 0
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == ["A & <script>", "10", "B", "5"]


def test_bar_chart_folds_the_tail_into_others():
    items = [Item(str(n), f"L{n}", 100 - n) for n in range(20)]
    root = parse(bar_chart_svg(Series("x", "T", items), max_items=5))
    labels = [t.text for t in root.iter(f"{NS}text")][::2]
    assert labels == ["L0", "L1", "L2", "L3", "Others"]
    assert [t.text for t in root.iter(f"{NS}text")][-1] == "1,416"  # 96 + 95 + … + 81


def test_histogram_and_empty_series():
    series = Series("y", "Years", [Item("1990", "1990", 2), Item("1991", "1991", 4)])
    root = parse(histogram_svg(series))
    heights = [float(r.get("height")) for r in root.findall(f"{NS}g/{NS}rect")]
    assert heights[1] == 2 * heights[0]
    empty = parse(bar_chart_svg(Series("z", "None", [])))
    assert [t.text for t in empty.iter(f"{NS}text")] == ["No data."]


def test_map_has_a_titled_path_per_country_and_five_classes():
    values = {"SN": 1, "MA": 2, "TN": 3, "RU": 5, "ML": 8, "BF": 13, "FR": 0}
    root = parse(world_map_svg(values, title="Partnerships"))
    paths = root.findall(f"{NS}g[@class='countries']/{NS}path")
    assert len(paths) == len(geodata.countries()) >= 170
    assert all(p.find(f"{NS}title") is not None for p in paths)
    by_code = {p.get("data-code"): p for p in paths}
    assert {"XK", "SN", "FR", "RU", "CY", "SO"} <= set(by_code)
    assert "AQ" not in by_code
    assert by_code["SN"].find(f"{NS}title").text == "Senegal: 1"
    assert by_code["FR"].find(f"{NS}title").text == "France: no data"
    assert by_code["FR"].get("class") == "c-none"
    assert {by_code[c].get("class") for c in ("SN", "MA", "TN", "RU", "ML", "BF")} == {
        "c0",
        "c1",
        "c2",
        "c3",
        "c4",
    }
    assert by_code["BF"].get("fill") == PALETTE[4]
    legend = root.find(f"{NS}g[@class='legend']")
    assert [r.get("class") for r in legend.findall(f"{NS}rect")][:5] == [
        "c0",
        "c1",
        "c2",
        "c3",
        "c4",
    ]


def test_classes_are_contiguous_and_cover_the_values():
    assert classes([]) == []
    assert classes([3, 1, 1]) == [(1, 1), (3, 3)]
    bounds = classes(range(1, 101))
    assert len(bounds) == 5
    assert bounds[0][0] == 1 and bounds[-1][1] == 100
    assert all(b[0] == a[1] + 1 for a, b in zip(bounds, bounds[1:], strict=False))


def test_zone_map_points_and_lines():
    svg = world_map_svg(
        {"Maghreb": 4, "Western Africa": 2},
        zones=True,
        points=[(14.7, -17.4, "Dakar", 3)],
        lines=[((49.2, -0.33), (59.6, 33.5), "A → B")],
    )
    root = parse(svg)
    paths = {p.get("data-code"): p for p in root.findall(f"{NS}g[@class='countries']/{NS}path")}
    assert paths["MA"].find(f"{NS}title").text == "Morocco — Maghreb: 4"
    assert paths["SN"].find(f"{NS}title").text == "Senegal — Western Africa: 2"
    assert paths["MA"].get("class") == "c1" and paths["SN"].get("class") == "c0"
    circle = root.find(f"{NS}g[@class='points']/{NS}circle")
    assert circle.find(f"{NS}title").text == "Dakar: 3"
    assert root.find(f"{NS}g[@class='lines']/{NS}path/{NS}title").text == "A → B"


def test_histogram_runs_at_an_even_pace_of_years():
    series = Series("y", "Years", [Item("1990", "1990", 2), Item("1994", "1994", 1)])
    root = parse(histogram_svg(series))
    bars = root.findall(f"{NS}g/{NS}rect")
    assert [b.get("height") for b in bars][1:4] == ["0"] * 3
    titles = [g.find(f"{NS}title").text for g in root.findall(f"{NS}g")]
    assert titles == ["1990: 2", "1991: 0", "1992: 0", "1993: 0", "1994: 1"]
    many = Series("y", "Years", [Item(str(y), str(y), 1) for y in range(1975, 2025)])
    labels = [t.text for t in parse(histogram_svg(many)).iter(f"{NS}tspan")]
    assert labels == [
        "1975",
        "1980",
        "1985",
        "1990",
        "1995",
        "2000",
        "2005",
        "2010",
        "2015",
        "2020",
    ]


def test_histogram_wraps_long_labels_on_two_lines():
    series = Series(
        "budget", "Budget", [Item("a", "€10,000 – €50,000", 3), Item("b", "€1 million and more", 1)]
    )
    root = parse(histogram_svg(series, width=200))
    texts = [
        [span.text for span in text.iter(f"{NS}tspan")]
        for text in root.iter(f"{NS}text")
        if text.find(f"{NS}tspan") is not None
    ]
    assert texts == [["€10,000 –", "€50,000"], ["€1 million", "and more"]]


def test_rings_across_the_antimeridian_are_split():
    from reciprocite.panorama.geodata.build import split_antimeridian

    fiji = [
        (178.0, -17.0),
        (180.0, -16.0),
        (-180.0, -16.0),
        (-179.0, -17.0),
        (-180.0, -18.0),
        (180.0, -18.0),
        (178.0, -17.0),
    ]
    pieces = split_antimeridian(fiji)
    assert sorted(pieces) == sorted(
        [
            [(-180.0, -16.0), (-179.0, -17.0), (-180.0, -18.0)],
            [(180.0, -18.0), (178.0, -17.0), (180.0, -16.0)],
        ]
    )
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
    assert split_antimeridian(square) == [square]


def test_no_path_of_the_shipped_map_jumps_across_the_world():
    """Rings are "Mx,yl dx,dy dx,dy … z": every point stays on the map, and a step of more
    than half the map's width would be a streak across it."""
    import re

    number = r"(-?(?:\d+\.?\d*|\.\d+))"
    for code, shape in geodata.countries().items():
        rings = re.findall(r"M([^l]+)l([^z]+)z", shape["d"])
        assert rings and "".join(f"M{a}l{b}z" for a, b in rings) == shape["d"], code
        for start, steps in rings:
            x, y = (float(v) for v in start.split(","))
            for dx, dy in re.findall(number + "," + number, steps):
                assert abs(float(dx)) < geodata.VIEW_WIDTH / 2, code
                x, y = x + float(dx), y + float(dy)
                assert -1 <= x <= geodata.VIEW_WIDTH + 1, code
                assert -1 <= y <= geodata.VIEW_HEIGHT + 1, code


def test_the_shapes_are_package_data():
    """pyproject's package-data puts countries.json and the licence in the wheel."""
    import tomllib
    from fnmatch import fnmatch
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["reciprocite"]
    for name in ("countries.json", "LICENSE-world-atlas.txt", "NOTICE.txt"):
        assert (geodata.DATA_FILE.parent / name).is_file()
        assert any(fnmatch(f"panorama/geodata/{name}", p) for p in patterns), name


# --- the same drawing in every language: geometry never localised, labels in the language ---

LANGUAGES = ("en", "fr", "ar", "ru")
# the attributes that carry geometry (numbers a browser parses, whatever the page's language)
GEOMETRY = (
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "dx",
    "dy",
    "width",
    "height",
    "r",
    "cx",
    "cy",
    "stroke-width",
    "font-size",
    "viewBox",
    "points",
    "d",
    "transform",
)
SVG_NUMBER = r"-?(?:\d+\.?\d*|\.\d+)"


def _drawings() -> dict[str, str]:
    """Every kind of drawing, with lengths that are not whole numbers (7 of 9, 1 of 3…)."""
    counts = [Item("a", "Réseau « Afrique » (UE)", 1416), Item("b", "Santé…", 9)]
    counts += [Item("c", "نعم", 7), Item("d", "Ещё", 3), Item("e", "Tail", 2.5)]
    years = [Item(str(y), str(y), n) for y, n in ((2001, 7), (2002, 3), (2005, 1234))]
    return {
        "bar": bar_chart_svg(Series("x", "Counts", counts), width=610),
        "histogram": histogram_svg(Series("y", "Years", years), width=617),
        "map": world_map_svg(
            {"SN": 1, "MA": 2, "TN": 3, "RU": 5, "ML": 8, "BF": 1234},
            points=[(14.7, -17.4, "Dakar", 3), (33.6, -7.6, "Casablanca", 7)],
            lines=[((49.2, -0.33), (59.6, 33.5), "A → B")],
            width=777,
        ),
        "zones": world_map_svg({"Maghreb": 4, "Western Africa": 2}, zones=True, width=801),
    }


def _geometry(svg: str) -> list[tuple[str, str, str, bool]]:
    """(tag, attribute, value, in the legend) in document order. The legend's boxes follow
    its translated words ("no data", "нет данных"), so only they may move with the language."""
    found = []

    def walk(element, legend: bool) -> None:
        legend = legend or element.get("class") == "legend"
        for name in GEOMETRY:
            value = element.get(name)
            if value is not None:
                found.append((element.tag.rpartition("}")[2], name, value, legend))
        for child in element:
            walk(child, legend)

    walk(parse(svg), False)
    return found


def _numbers_of(name: str, value: str) -> list[float]:
    """The numbers of a geometry attribute; fails on anything a browser would reject."""
    import re

    if name == "transform":
        match = re.fullmatch(rf"translate\(({SVG_NUMBER}),({SVG_NUMBER})\)", value)
        assert match, value
        return [float(v) for v in match.groups()]
    if name == "d":
        assert re.fullmatch(rf"(?:[MLlQz]|{SVG_NUMBER}|[ ,])+", value), value[:80]
        return [float(v) for v in re.findall(SVG_NUMBER, value)]
    parts = value.replace(",", " ").split() if name in ("viewBox", "points") else [value]
    assert name in ("viewBox", "points") or "," not in value, (name, value)
    return [float(v) for v in parts]  # raises on "153,5"


@pytest.mark.parametrize("kind", ["bar", "histogram", "map", "zones"])
def test_geometry_is_the_same_in_every_language(kind):
    drawn = {}
    for language in LANGUAGES:
        with translation.override(language):
            drawn[language] = _geometry(_drawings()[kind])
    assert drawn["en"]
    for language in LANGUAGES:
        for _tag, name, value, _legend in drawn[language]:
            _numbers_of(name, value)
        drawing = [found for found in drawn[language] if not found[3]]
        assert drawing == [found for found in drawn["en"] if not found[3]], language
    sizes = [float(v) for tag, name, v, _ in drawn["en"] if tag == "rect" and name == "width"]
    assert any(not size.is_integer() for size in sizes) or kind in ("map", "zones")


@pytest.mark.parametrize("kind", ["bar", "histogram", "map", "zones"])
def test_drawings_are_laid_out_left_to_right_even_in_arabic(kind):
    """An Arabic page is dir="rtl": without direction="ltr" on the drawing, every
    text-anchor flips and the labels land on the bars. Labels of the data read in their own
    direction (unicode-bidi="plaintext")."""
    with translation.override("ar"):
        root = parse(_drawings()[kind])
    assert root.get("direction") == "ltr"
    if kind == "bar":
        labels = [t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
        assert [t.text for t in labels][:3] == ["Réseau « Afrique » (UE)", "Santé…", "نعم"]
        assert all(t.get("unicode-bidi") == "plaintext" for t in labels)


def test_labels_are_in_the_readers_language():
    series = Series("x", "T", [Item("a", "A", 1416), Item("b", "B", 12.5)])
    written = {}
    for language in LANGUAGES:
        with translation.override(language):
            root = parse(bar_chart_svg(series))
            written[language] = [t.text for t in root.iter(f"{NS}text")][1::2]
            written[language].append(root.find(f"{NS}desc").text)
    assert written["en"] == ["1,416", "12.5", "A: 1,416; B: 12.5."]
    assert written["fr"] == ["1\u202f416", "12,5", "A: 1\u202f416; B: 12,5."]
    assert written["ru"] == ["1\xa0416", "12,5", "A: 1\xa0416; B: 12,5."]
    assert written["ar"] == ["1,416", "12.5", "A: 1,416; B: 12.5."]  # Latin digits, as CLDR
    with translation.override("fr"):
        root = parse(world_map_svg({"SN": 1234}, title="T"))
    titles = {p.get("data-code"): p.find(f"{NS}title").text for p in root.iter(f"{NS}path")}
    assert titles["SN"] == "Sénégal: 1\u202f234"
    legend = [t.text for t in root.find(f"{NS}g[@class='legend']").iter(f"{NS}text")]
    assert legend[0] == "1\u202f234"


def test_the_two_formatters():
    from reciprocite.core.numbers import geometry, percent_text, text

    with translation.override("fr"):
        assert [geometry(v) for v in (153.5, 300.0, 1e-7, -0.0, 1234567.891, 2)] == [
            "153.5",
            "300",
            "0",
            "0",
            "1234567.89",
            "2",
        ]
        assert [geometry(v) for v in (None, "x", float("nan"), float("inf"))] == ["0"] * 4
        assert geometry(12.345, 1) == "12.3"
        assert text(12345.5, 1) == "12\u202f345,5"
        assert percent_text(12.5) == "12,5\xa0%"
        assert text(None) == "–"
    with translation.override("en"):
        assert text(12345.5, 1) == "12,345.5" and percent_text(12.5) == "12.5%"
    with translation.override("ru"):
        assert text(12345.5, 1) == "12\xa0345,5"
