"""The bar charts of the analysis page (surveys/analysis/_chart.html) in every language.

Regression of issue #18: in French and Russian the template wrote the lengths with a decimal
comma (width="153,5"), which the browser rejects: the bars vanished and the counts were drawn
at x=0, over the labels. The geometry is now the same in every language, and only the
figures a person reads follow the language."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from reciprocite.surveys.views.analysis import CHART_WIDTH, _bars

LANGUAGES = ("en", "fr", "ar", "ru")
GEOMETRY = ("x", "y", "width", "height", "viewBox")
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")

ROWS = [
    {"label": "Oui", "count": 1416},
    {"label": "نعم، إلى حدّ ما (جزئياً)", "count": 59},
    {"label": "Скорее нет", "count": 7},
    {"label": "A label much longer than twenty-eight characters", "count": 3},
]


def render(language: str) -> ET.Element:
    with translation.override(language):
        html = render_to_string(
            "surveys/analysis/_chart.html",
            {"chart": _bars(ROWS, "Réponses"), "chart_id": "chart-q", "chart_width": CHART_WIDTH},
        )
    return ET.fromstring(html)  # noqa: S314 - our own markup


def geometry(root: ET.Element) -> list[tuple[str, str, str]]:
    return [
        (element.tag, name, element.get(name))
        for element in root.iter()
        for name in GEOMETRY
        if element.get(name) is not None
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_bars_are_drawn_with_the_same_geometry_in_every_language(language):
    english, drawn = geometry(render("en")), geometry(render(language))
    assert drawn == english
    for _tag, name, value in drawn:
        numbers = value.split() if name == "viewBox" else [value]
        assert all(NUMBER.fullmatch(n) for n in numbers), (name, value)
    widths = [float(v) for tag, name, v in drawn if tag == "rect" and name == "width"]
    assert widths[0] == 300 and widths[1] == round(59 / 1416 * 300, 1) > 0
    assert len(widths) == 4 and not widths[1].is_integer()


def test_counts_are_written_in_the_readers_language_and_laid_out_left_to_right():
    counts = {}
    for language in LANGUAGES:
        root = render(language)
        svg = root.find("svg")
        assert svg.get("direction") == "ltr"  # an Arabic page must not flip text-anchor
        texts = svg.findall("g/text")
        labels, figures = texts[0::2], texts[1::2]
        assert all(t.get("unicode-bidi") == "plaintext" for t in labels)
        assert labels[1].text == "نعم، إلى حدّ ما (جزئياً)"
        counts[language] = [t.text for t in figures]
        counts[language].append(svg.find("g/title").text)
    assert counts["en"] == ["1,416", "59", "7", "3", "Oui: 1,416"]
    assert counts["fr"] == ["1\u202f416", "59", "7", "3", "Oui: 1\u202f416"]
    assert counts["ru"] == ["1\xa0416", "59", "7", "3", "Oui: 1\xa0416"]
    assert counts["ar"] == ["1,416", "59", "7", "3", "Oui: 1,416"]


def test_the_geometry_filter_never_localises():
    from django.template import Context, Template

    template = Template(
        "{% load reciprocite_numbers %}{{ a|geometry }} {{ b|geometry:1 }} {{ c|geometry }} "
        "{{ n|number_text:1 }} {{ p|percent_text }}"
    )
    values = {"a": 153.5, "b": 12.345, "c": "not a number", "n": 12345.5, "p": 12.5}
    with translation.override("fr"):
        assert template.render(Context(values)) == "153.5 12.3 0 12\u202f345,5 12,5\xa0%"
    with translation.override("ru"):
        assert template.render(Context(values)) == "153.5 12.3 0 12\xa0345,5 12,5\xa0%"
