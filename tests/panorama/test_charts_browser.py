# ruff: noqa: F811 - the browser fixtures are imported from tests/browser/support.py
"""The panorama's charts and maps in a real Chromium, in French, English, Arabic and Russian:
the same bars and shapes in every language (issue #18), drawn left to right even on an
Arabic page, none empty."""

from __future__ import annotations

from tests.browser.charts_support import assert_same_bars, charts_in
from tests.browser.support import (  # noqa: F401 - fixtures used by name
    MARKS,
    _taxonomy,
    browser,
    page,
)

pytestmark = MARKS

LANGUAGES = ("en", "fr", "ar", "ru")

MAP_JS = """
() => Array.from(document.querySelectorAll('figure.panorama-map svg')).map(svg => {
  const box = svg.getBoundingClientRect();
  const size = el => { const b = el.getBoundingClientRect();
    return [b.width / box.width, b.height / box.width]; };
  return {
    width: box.width,
    countries: size(svg.querySelector('g.countries')),
    coloured: Array.from(svg.querySelectorAll('g.countries path:not(.c-none)')).map(size),
    marks: Array.from(svg.querySelectorAll('g.points circle, g.lines path')).map(size),
  };
})
"""


def test_panorama_charts_are_the_same_in_four_languages(page, world):
    bars = {
        lang: charts_in(page, lang, "/panorama/", "#figure-chart-theme svg") for lang in LANGUAGES
    }
    assert_same_bars(bars, labels_left=True)
    every = {
        lang: charts_in(page, lang, "/panorama/", "#panorama-results .panorama-chart svg")
        for lang in LANGUAGES
    }
    assert len(every["en"]) >= 3
    assert_same_bars(every, labels_left=False)


def test_panorama_maps_are_the_same_in_four_languages(page, world):
    drawn = {}
    for language in LANGUAGES:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base}])
        assert page.goto(page.base + "/panorama/").status == 200
        drawn[language] = page.evaluate(MAP_JS)
    english = drawn["en"]
    assert len(english) == 3 and english[0]["coloured"]
    for language, maps in drawn.items():
        for drawing, reference in zip(maps, english, strict=True):
            assert abs(drawing["width"] - reference["width"]) < 1, language
            for key in ("countries", "coloured", "marks"):
                ours, theirs = drawing[key], reference[key]
                flat = ours if key == "countries" else [v for pair in ours for v in pair]
                expected = theirs if key == "countries" else [v for pair in theirs for v in pair]
                assert len(flat) == len(expected), (language, key)
                assert all(v > 0 for v in flat), (language, key)
                assert all(abs(a - b) < 0.002 for a, b in zip(flat, expected, strict=True))
