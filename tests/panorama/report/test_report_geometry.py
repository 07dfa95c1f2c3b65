"""The report's figures (SVG inside the HTML WeasyPrint lays out) are drawn in French as in
English: every coordinate and length written with a "." (issue #18), the labels in the
report's language, and the bars really drawn on the PDF's pages."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from reciprocite.panorama import charts
from reciprocite.panorama.report import rendering

from .support import require_poppler

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
GEOMETRY = ("x", "y", "x1", "y1", "x2", "y2", "dy", "width", "height", "r", "cx", "cy")
GEOMETRY += ("stroke-width", "viewBox", "d", "transform")
NUMBER = r"-?(?:\d+\.?\d*|\.\d+)"


@pytest.fixture
def study_only(world, shared_dir):
    from tests.surveys.analysis_support import import_study_answers, load_study_form

    for form_id in ("perception", "cooperations"):
        import_study_answers(load_study_form(form_id), shared_dir / "data" / "study-dev")


def geometry(svg: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) outside the maps' legends (their boxes follow the words)."""
    found = []

    def walk(element, legend: bool) -> None:
        legend = legend or element.get("class") == "legend"
        for name in GEOMETRY:
            value = element.get(name)
            if value is not None and not legend:
                found.append((element.tag.rpartition("}")[2], name, value))
        for child in element:
            walk(child, legend)

    walk(ET.fromstring(svg), False)  # noqa: S314 - our own markup
    return found


def assert_svg_numbers(name: str, value: str) -> None:
    if name == "transform":
        assert re.fullmatch(rf"translate\({NUMBER},{NUMBER}\)", value), value
    elif name == "d":
        assert re.fullmatch(rf"(?:[MLlQz ,]|{NUMBER})+", value), value[:80]
    elif name == "viewBox":
        assert all(re.fullmatch(NUMBER, v) for v in value.split()), value
    else:
        assert re.fullmatch(NUMBER, value), (name, value)


def test_the_figures_given_to_weasyprint_have_the_same_geometry_in_french(
    study_only, monkeypatch, tmp_path
):
    import weasyprint

    given = []
    real = weasyprint.HTML

    def spy(*args, **kwargs):
        given.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", spy)
    pdf = rendering.render_report(language="fr")
    (french,) = given
    figures = SVG.findall(french)
    english = SVG.findall(rendering.render_html(language="en"))
    assert len(figures) == len(english) >= 8
    bars = 0
    for ours, theirs in zip(figures, english, strict=True):
        drawn = geometry(ours)
        assert drawn == geometry(theirs)
        for _tag, name, value in drawn:
            assert_svg_numbers(name, value)
        bars += sum(1 for tag, name, v in drawn if tag == "rect" and name == "width" and v != "0")
    assert bars > 20
    # the labels in French: "1 234" with a narrow space, "12,5" with a comma, never "12.5"
    labels = [t for svg in figures for t in re.findall(r"<text[^>]*>([^<]+)</text>", svg)]
    assert not [t for t in labels if re.fullmatch(r"[\d\u202f]+\.\d+", t)]

    # and the bars are on the pages: pixels of the bars' colour
    require_poppler()
    from PIL import Image

    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "24", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
    )
    target = tuple(int(charts.BAR_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    coloured = 0
    for png in sorted(tmp_path.glob("page*.png")):
        with Image.open(png) as image:
            for count, colour in image.convert("RGB").getcolors(1 << 20) or []:
                if sum(abs(a - b) for a, b in zip(colour, target, strict=True)) < 40:
                    coloured += count
    assert coloured > 200
