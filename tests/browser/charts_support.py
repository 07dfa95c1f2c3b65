"""Bar charts as Chromium draws them, to compare them across languages (issue #18)."""

from __future__ import annotations

# What every bar chart of a page draws, read from Chromium's layout: for each chart its
# width, and for each bar its size relative to the chart, with the boxes of its label and
# count (a label must end left of its bar, a count start right of it).
CHARTS_JS = """
(selector) => Array.from(document.querySelectorAll(selector)).map(svg => {
  const box = svg.getBoundingClientRect();
  return {
    width: box.width,
    bars: Array.from(svg.querySelectorAll('g')).filter(g => g.querySelector('rect')).map(g => {
      const rect = g.querySelector('rect').getBoundingClientRect();
      const texts = Array.from(g.querySelectorAll(':scope > text'))
        .map(t => t.getBoundingClientRect());
      return {
        width: rect.width / box.width, height: rect.height / box.width,
        left: rect.left, right: rect.right,
        texts: texts.map(t => ({left: t.left, right: t.right, width: t.width})),
      };
    }),
  };
})
"""


def charts_in(tab, language: str, path: str, selector: str) -> list[dict]:
    """The charts matching ``selector`` on ``path`` in ``language`` (the switcher's cookie)."""
    tab.context.add_cookies([{"name": "django_language", "value": language, "url": tab.base}])
    assert tab.goto(tab.base + path).status == 200
    assert tab.locator("html").get_attribute("lang") == language
    return tab.evaluate(CHARTS_JS, selector)


def assert_same_bars(drawn: dict[str, list[dict]], *, labels_left: bool) -> None:
    """The same charts and bars, of the same sizes, in every language. With ``labels_left``
    (horizontal bar charts) every bar is drawn, its label on its left and its count on its
    right (an Arabic page does not flip them)."""
    english = drawn["en"]
    assert english and any(chart["bars"] for chart in english)
    for chart in english:  # a chart with bars draws some (a histogram's empty years draw none)
        assert not chart["bars"] or any(bar["height"] * bar["width"] for bar in chart["bars"])
    for language, charts in drawn.items():
        assert len(charts) == len(english), language
        for chart, reference in zip(charts, english, strict=True):
            assert abs(chart["width"] - reference["width"]) < 1, language
            assert len(chart["bars"]) == len(reference["bars"]), language
            for bar, expected in zip(chart["bars"], reference["bars"], strict=True):
                if labels_left:  # horizontal bars: one for each choice chosen
                    assert bar["width"] > 0 and bar["height"] > 0, (language, bar)
                assert abs(bar["width"] - expected["width"]) < 0.002, (language, bar, expected)
                assert abs(bar["height"] - expected["height"]) < 0.002, (language, bar)
                if labels_left:
                    label, count = bar["texts"]
                    assert label["right"] <= bar["left"] + 1, (language, label, bar)
                    assert count["left"] >= bar["right"] - 1, (language, count, bar)
                    assert count["width"] > 0, language
