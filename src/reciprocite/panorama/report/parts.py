"""The document's parts: sections, figures (a chart or a map with its table), tables; and the
bar charts sized for the PDF's pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .formatting import number, percent

if TYPE_CHECKING:
    from ..selectors import Series


@dataclass
class Row:
    label: str
    count: str
    share: str = ""


@dataclass
class Table:
    """A data table: what a chart or a map says, as text (its text alternative)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    numeric: bool = True  # the columns after the first hold figures
    wide: bool = False  # amounts: too wide to sit beside a chart


@dataclass
class Figure:
    title: str
    svg: str = ""
    table: Table | None = None
    note: str = ""
    kind: str = "bar"  # bar, histogram or map

    @property
    def side_by_side(self) -> bool:
        """A bar chart with a short table: the two side by side, to save pages."""
        return bool(
            self.kind == "bar"
            and self.svg
            and self.table
            and len(self.table.rows) <= SIDE_ROWS
            and not self.table.wide
        )


@dataclass
class Section:
    id: str
    title: str
    intro: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    survey_facts: list[tuple[str, str]] = field(default_factory=list)


def count_table(
    caption: str,
    items: Iterable[tuple[str, int]],
    *,
    whole: int | None,
    language: str,
    first_column: str,
    note: str = "",
    limit: int | None = None,
) -> Table:
    items = list(items)
    rows = []
    shown = items[:limit] if limit else items
    for label_text, count in shown:
        row = [label_text, number(count, language)]
        if whole is not None:
            row.append(percent(count, whole, language))
        rows.append(row)
    if limit and len(items) > limit:
        rest = sum(c for _l, c in items[limit:])
        row = [_("Others (%(n)s)") % {"n": len(items) - limit}, number(rest, language)]
        if whole is not None:
            row.append(percent(rest, whole, language))
        rows.append(row)
    columns = [first_column, _("Count")]
    if whole is not None:
        columns.append(_("Share"))
    return Table(caption=caption, columns=columns, rows=rows, note=note)


def chart_series(key: str, title: str, items: list[tuple[str, str, int]], unit: str = "") -> Series:
    from ..selectors import Item, Series

    return Series(
        key=key, title=title, items=[Item(c, label, n) for c, label, n in items], unit=unit
    )


# Bar charts: 480 units wide beside their table, 640 above a long or wide one; either way
# their text (13 units) comes out at about 8 pt (report.css sizes them).
CHART_WIDTH = 480
STACKED_CHART_WIDTH = 640
HISTOGRAM_WIDTH = 640
SIDE_ROWS = 16


def label_characters(width: int) -> int:
    """Bar labels at most this long: the chart keeps 38 % of its width for them, and DejaVu
    Sans (the PDF's font) is wider than the screen fonts the chart's own cut assumes."""
    return int(width * 0.38 / 8.4)


def _fitted(series: Series, width: int) -> Series:
    """The series with labels short enough for the PDF (the table gives them in full)."""
    from dataclasses import replace

    limit = label_characters(width)

    def fit(text: str) -> str:
        return text if len(text) <= limit else text[: limit - 1] + "…"

    return replace(series, items=[replace(i, label=fit(i.label)) for i in series.items])


def bar_chart(series: Series, max_items: int = 15, *, side: bool = True) -> str:
    from .. import charts

    if not series.items:
        return ""
    width = CHART_WIDTH if side else STACKED_CHART_WIDTH
    return charts.bar_chart_svg(_fitted(series, width), width=width, max_items=max_items)
