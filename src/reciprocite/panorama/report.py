"""The panorama report: the study published as a PDF, in French or in English.

``render_report(language=, campaign=, progress=)`` gathers what the dashboard shows
(``selectors.panorama``), draws the maps and charts as inline SVG (``maps``, ``charts``),
analyses both questionnaires of the study (``surveys.analysis.analyse``), adds the experience
sheets selected as highlights, and lays it all out with WeasyPrint (HTML + CSS paged media:
cover, table of contents with page numbers, running headers, "page X of Y").

The CLI (``reciprocite report panorama``) and the background job ``panorama.report`` (the
button of the panorama page) both call it. Nothing is fetched from the network: the fonts are
the system's DejaVu, the CSS is inline and the URL fetcher refuses every scheme but ``data:``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_percent
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reciprocite.core import numbers
from reciprocite.knowledge.sanitize import print_html
from reciprocite.territories.geography import country_name, zone_by_key

# Steps of the work, in order: what the progress bar and the job page show.
STEPS = ("figures", "maps", "charts", "surveys", "sheets", "pdf")

NETWORK = "Réciprocité"
LANGUAGES = ("fr", "en")
TEMPLATE = "panorama/report/report.html"
CSS_FILE = (
    Path(__file__).resolve().parent.parent / "templates" / "panorama" / "report" / "report.css"
)

PERCEPTION = "perception"
COOPERATIONS = "cooperations"

Progress = Callable[[int, int, str], None]


class ReportError(Exception):
    """What stops a report, said in one line for the person who asked for it."""


def step_labels() -> dict[str, str]:
    return {
        "figures": _("Key figures"),
        "maps": _("Maps"),
        "charts": _("Charts"),
        "surveys": _("Surveys"),
        "sheets": _("Experience sheets"),
        "pdf": _("Laying out the PDF"),
    }


def report_filename(language: str, day: dt.date | None = None) -> str:
    day = day or timezone.localdate()
    return f"panorama-{language}-{day.isoformat()}.pdf"


def find_campaign(campaign_id):
    """The campaign named by ``--campaign`` or the form, or ReportError."""
    from reciprocite.surveys.models import Campaign

    if campaign_id in (None, ""):
        return None
    from reciprocite.core.filters import id_value

    pk = id_value(campaign_id)
    if pk is None:
        raise ReportError(
            _("%(value)s is not a campaign id (a whole number is expected).")
            % {"value": campaign_id}
        ) from None
    campaign = Campaign.objects.select_related("questionnaire").filter(pk=pk).first()
    if campaign is None:
        raise ReportError(_("There is no survey campaign with the id %(id)s.") % {"id": pk})
    return campaign


# --- numbers and dates in the report's language ----------------------------------------------


def number(value, language: str, decimals: int = 0) -> str:
    """A figure to read in the report's language (the text path of ``core.numbers``)."""
    return numbers.text(value, decimals, language)


@lru_cache(maxsize=8)
def _percent_pattern(language: str) -> str:
    """The language's percent pattern with one decimal ("#,##0.0 %" in French)."""
    pattern = Locale.parse(language).percent_formats[None].pattern
    return pattern.replace("#,##0", "#,##0.0", 1)


def share(value: float, language: str) -> str:
    """A share as a percentage with one decimal, halves rounded up as on the survey's analysis
    page (0.6885 → 68.9 %)."""
    rounded = Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return format_percent(rounded, format=_percent_pattern(language), locale=language)


def percent(part: int | float, whole: int | float, language: str) -> str:
    if not whole:
        return "–"
    return share(part / whole, language)


def euros(value, language: str) -> str:
    """A whole amount in euros in the language's way: "13 150 €", "€13,150"."""
    if value is None:
        return "–"
    pattern = Locale.parse(language).currency_formats["standard"].pattern
    return format_currency(
        round(value),
        "EUR",
        format=pattern.replace(".00", ""),
        locale=language,
        currency_digits=False,
    )


def long_date(day: dt.date, language: str) -> str:
    return format_date(day, format="long", locale=language)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_of_pages_css() -> str:
    """``"Page " counter(page) " of " counter(pages)`` in the active language (any order)."""
    marker = "\x00"
    text = _("Page %(page)s of %(pages)s") % {
        "page": f"{marker}P{marker}",
        "pages": f"{marker}N{marker}",
    }
    parts = []
    for i, piece in enumerate(text.split(marker)):
        if i % 2:
            parts.append("counter(page)" if piece == "P" else "counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


# --- the document's parts --------------------------------------------------------------------


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


def _count_table(
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


def _series(key: str, title: str, items: list[tuple[str, str, int]], unit: str = ""):
    from .selectors import Item, Series

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


def _fitted(series, width: int):
    """The series with labels short enough for the PDF (the table gives them in full)."""
    from dataclasses import replace

    limit = label_characters(width)

    def fit(text: str) -> str:
        return text if len(text) <= limit else text[: limit - 1] + "…"

    return replace(series, items=[replace(i, label=fit(i.label)) for i in series.items])


def _bar_chart(series, max_items: int = 15, *, side: bool = True) -> str:
    from . import charts

    if not series.items:
        return ""
    width = CHART_WIDTH if side else STACKED_CHART_WIDTH
    return charts.bar_chart_svg(_fitted(series, width), width=width, max_items=max_items)


def key_figure_labels() -> dict[str, str]:
    return {
        "partnerships": _("Partnerships"),
        "projects": _("Projects"),
        "french_authorities": _("French authorities"),
        "partner_territories": _("Partner territories"),
        "countries": _("Partner countries"),
        "zones": _("Zones"),
        "replications": _("Replications"),
    }


def survey_key_figures(survey: dict | None, language: str) -> list[tuple[str, str]]:
    """The survey's headline figures (the panorama's survey summary), unless withheld."""
    if not survey or survey.get("withheld") or not survey.get("submissions"):
        return []
    facts = [(_("Cooperations described"), number(survey.get("repeats"), language))]
    facts.append((_("Authorities that answered"), number(survey["submissions"], language)))
    start = survey.get("start_year") or {}
    if start.get("median") is not None:
        facts.append((_("Median start year"), str(int(start["median"]))))
    budget = survey.get("budget") or {}
    if budget.get("median") is not None:
        facts.append((_("Median annual budget"), euros(budget["median"], language)))
    if survey.get("share_with_associations") is not None:
        facts.append(
            (_("Mobilise associations"), share(survey["share_with_associations"], language))
        )
    alone = survey.get("share_only_international_relations_service")
    if alone is not None:
        facts.append((_("International relations service alone"), share(alone, language)))
    return facts


# --- the registry part (the panorama the dashboard shows) ------------------------------------

# Series of the dashboard shown in the report's chart chapter, in this order; the survey
# series (services, added values…) are shown with the survey's own figures instead.
REGISTRY_SERIES = ("theme", "authority_kind", "start_year", "budget", "cofunding")
HISTOGRAMS = ("start_year", "budget")


def _first_columns() -> dict[str, str]:
    return {
        "theme": _("Theme"),
        "authority_kind": _("Kind of authority"),
        "start_year": _("Start year"),
        "budget": _("Budget band"),
        "cofunding": _("Kind of funder"),
    }


def _series_figure(series, language: str, *, histogram: bool) -> Figure:
    from . import charts

    wide = series.unit == "EUR"
    if histogram:
        svg = charts.histogram_svg(series, width=HISTOGRAM_WIDTH)
    else:
        svg = _bar_chart(series, side=not wide and len(series.items) <= SIDE_ROWS)
    first = _first_columns().get(series.key, _("Value"))
    if series.unit == "EUR":
        rows = [
            [item.label, number(item.count, language), number(item.value, language)]
            for item in series.items
        ]
        columns = [first, _("Projects"), _("Amount (euros)")]
    else:
        rows = [[item.label, number(item.count, language)] for item in series.items]
        columns = [first, _("Count")]
    table = Table(caption=series.title, columns=columns, rows=rows, wide=wide)
    return Figure(
        title=series.title, svg=svg, table=table, kind="histogram" if histogram else "bar"
    )


def _maps_section(data, language: str) -> Section:
    from . import maps

    section = Section("maps", _("Where the cooperations are"))
    countries = sorted(data.countries.items(), key=lambda kv: (-kv[1], kv[0]))
    partnerships = data.key_figures.get("partnerships") or 0
    total = partnerships
    shares_note = _(
        "Shares of the %(n)s partnerships; a partnership with partners in two countries "
        "counts in each."
    ) % {"n": number(partnerships, language)}
    if countries:
        section.figures.append(
            Figure(
                title=_("Partnerships by partner country"),
                svg=maps.world_map_svg(
                    data.countries,
                    points=data.points,
                    width=960,
                    title=_("Partnerships by partner country"),
                ),
                table=_count_table(
                    _("Partnerships by partner country"),
                    [(country_name(code, language), n) for code, n in countries],
                    whole=total,
                    language=language,
                    first_column=_("Country"),
                ),
                kind="map",
                note=shares_note,
            )
        )
    zones = sorted(data.zones.items(), key=lambda kv: (-kv[1], kv[0]))
    if zones:
        section.figures.append(
            Figure(
                title=_("Partnerships by zone"),
                svg=maps.world_map_svg(
                    data.zones, width=960, title=_("Partnerships by zone"), zones=True
                ),
                table=_count_table(
                    _("Partnerships by zone"),
                    [(_zone_label(key, language), n) for key, n in zones],
                    whole=partnerships,
                    language=language,
                    first_column=_("Zone"),
                ),
                kind="map",
                note=shares_note,
            )
        )
    rows = list(getattr(data, "replication_rows", None) or ())
    if rows:
        section.figures.append(
            Figure(
                title=_("Replications: from a model project to its replicas"),
                svg=maps.world_map_svg(
                    {}, lines=data.replications, width=960, title=_("Replications")
                ),
                table=_replication_table(rows),
                kind="map",
            )
        )
    return section


def _zone_label(key: str, language: str) -> str:
    zone = zone_by_key(key)
    return zone.label(language) if zone else key


def _replication_table(rows: list[dict]) -> Table:
    def place(title: str, where: str) -> str:
        return f"{title} ({where})" if where else title

    return Table(
        caption=_("Replications"),
        columns=[_("Model project"), _("Replicated as")],
        rows=[
            [place(r["model"], r["model_place"]), place(r["replica"], r["replica_place"])]
            for r in rows
        ],
        numeric=False,
    )


def _charts_section(data, language: str) -> Section:
    section = Section("charts", _("The partnerships in figures"))
    for key in REGISTRY_SERIES:
        series = data.series.get(key)
        if series is None or not series.items or not any(i.count for i in series.items):
            continue
        section.figures.append(_series_figure(series, language, histogram=key in HISTOGRAMS))
    return section


# --- the surveys -----------------------------------------------------------------------------


def _perception_questions() -> list[tuple[str, str]]:
    return [
        ("a_cooperation", _("Does the authority run a decentralised cooperation?")),
        ("action_sociale_pertinente", _("Is social action a relevant field for cooperation?")),
        ("portes_entree", _("Through which entry points is it approached?")),
        (
            "se_reconnait_terme",
            _("Does the authority recognise itself in the term “social action”?"),
        ),
        (
            "services_sociaux_impliques",
            _("Are its own social services involved in its cooperation?"),
        ),
    ]


def _cooperation_questions() -> list[tuple[str, str]]:
    return [
        ("collectivite_type", _("Respondents by kind of authority")),
        ("pays_partenaire", _("Partner countries")),
        ("themes", _("Themes of the cooperations")),
        ("cofinancements", _("Co-funding")),
        ("services_internes", _("The authority's own services mobilised")),
        ("partenaires_externes", _("External partners mobilised")),
        ("plus_values", _("Added value seen by the members")),
        ("difficultes", _("Difficulties met")),
    ]


def _numeric_questions() -> list[tuple[str, str, int]]:
    return [
        ("annee_debut", _("Start year of the cooperations"), 0),
        ("budget_annuel_eur", _("Annual budget of the cooperations (euros)"), 0),
    ]


@dataclass
class SurveyPart:
    section: Section
    questionnaire: object | None = None
    document: dict | None = None
    campaign: object | None = None


def _structure_and_labels(questionnaire, language: str):
    from reciprocite.surveys.analysis import is_country_list
    from reciprocite.surveys.structure import Structure, label

    version = questionnaire.current_version
    structure = Structure(version.structure, version.rows or {})

    def choice_labels(name: str) -> dict[str, str]:
        q = structure.by_name.get(name)
        if q is None:
            return {}
        choices = structure.choices(q)
        countries = is_country_list(choices)
        out = {}
        for choice in choices:
            code = str(choice.get("name", ""))
            text = label(choice, language, structure.default_language)
            if countries:
                text = country_name(code, language)
            out[code] = text
        return out

    return structure, choice_labels


def _select_figure(
    key, title, figures, labels, language, *, unit_word: str, multiple: bool, limit=15
):
    counts = figures.get("counts", {})
    answered = figures.get("answered", 0)
    items = [(code, labels.get(code, code), n) for code, n in counts.items()]
    note = ""
    if multiple:
        note = _(
            "Several answers possible: shares of the %(n)s %(units)s that answered, "
            "so they add up to more than 100%%."
        ) % {"n": number(answered, language), "units": unit_word}
    else:
        note = _("Shares of the %(n)s %(units)s that answered.") % {
            "n": number(answered, language),
            "units": unit_word,
        }
    series = _series(key, title, items)
    return Figure(
        title=title,
        svg=_bar_chart(series, max_items=limit, side=len(items) <= SIDE_ROWS),
        table=_count_table(
            title,
            [(label_text, n) for _c, label_text, n in items],
            whole=answered,
            language=language,
            first_column=_("Answer"),
        ),
        note=note,
    )


def _survey_section(form_id: str, language: str, campaign) -> SurveyPart:
    from reciprocite.surveys.analysis import analyse
    from reciprocite.surveys.models import Questionnaire

    if form_id == PERCEPTION:
        section = Section("perception", _("Survey of all members: how social action is seen"))
    else:
        section = Section(
            "cooperations", _("Survey of cooperating members: the cooperations described")
        )
    questionnaire = Questionnaire.objects.filter(form_id=form_id).first()
    if questionnaire is None or questionnaire.current_version is None:
        section.intro.append(_("This questionnaire is not loaded on the platform: no figures yet."))
        return SurveyPart(section)
    own_campaign = (
        campaign if campaign is not None and campaign.questionnaire_id == questionnaire.pk else None
    )
    document = analyse(questionnaire, campaign=own_campaign)
    part = SurveyPart(section, questionnaire, document, own_campaign)
    submissions = document["submissions"]
    if not submissions:
        section.intro.append(_("No answers have been recorded yet."))
        return part
    from .selectors import SURVEY_MIN_RESPONDENTS

    if submissions < SURVEY_MIN_RESPONDENTS:
        # as on the panorama page: so few answers would tell one authority's answers
        section.intro.append(
            _("The figures are withheld: fewer than %(n)s authorities answered.")
            % {"n": SURVEY_MIN_RESPONDENTS}
        )
        return part
    structure, choice_labels = _structure_and_labels(questionnaire, language)
    questions = document["questions"]
    if form_id == PERCEPTION:
        section.intro.append(
            _("%(n)s authorities answered the questionnaire.")
            % {"n": number(submissions, language)}
        )
        unit_word = _("authorities")
        specs = _perception_questions()
    else:
        entries = document["repeats"].get("cooperation", 0)
        section.intro.append(
            _("%(n)s authorities answered and described %(m)s cooperations.")
            % {"n": number(submissions, language), "m": number(entries, language)}
        )
        unit_word = _("cooperations")
        specs = _cooperation_questions()
    if own_campaign is not None:
        section.intro.append(
            _("Answers given through the campaign “%(title)s” only.")
            % {"title": own_campaign.title}
        )
    for name, title in specs:
        figures = questions.get(name)
        if not figures or "counts" not in figures or not figures["counts"]:
            continue
        q = structure.by_name.get(name)
        units = _("authorities") if (q is None or not q.repeat) else unit_word
        section.figures.append(
            _select_figure(
                f"{form_id}-{name}",
                title,
                figures,
                choice_labels(name),
                language,
                unit_word=units,
                multiple=figures["type"] == "select_multiple",
            )
        )
        if name == "pays_partenaire" or (form_id == PERCEPTION and name == "a_cooperation"):
            section.figures.extend(_zone_figures(document, form_id, language, structure))
    if form_id == COOPERATIONS:
        section.facts.extend(_number_facts(questions, language))
        section.facts.extend(_indicator_facts(document, language, choice_labels))
    return part


def _zone_figures(document, form_id, language, structure) -> list[Figure]:
    figures = []
    for name, counts in document.get("zones", {}).items():
        if not counts:
            continue
        title = _("Partner countries by zone")
        items = [(key, _zone_label(key, language), n) for key, n in counts.items()]
        q = structure.by_name.get(name)
        whole = None
        if q is not None:
            whole = document["questions"].get(name, {}).get("answered")
        note = _(
            "Each answer is counted once per zone, even when it names two countries of one zone."
        )
        figures.append(
            Figure(
                title=title,
                svg=_bar_chart(
                    _series(f"{form_id}-{name}-zones", title, items),
                    side=len(items) <= SIDE_ROWS,
                ),
                table=_count_table(
                    title,
                    [(label_text, n) for _k, label_text, n in items],
                    whole=whole,
                    language=language,
                    first_column=_("Zone"),
                ),
                note=note,
            )
        )
    return figures


def _number_facts(questions, language) -> list[tuple[str, str]]:
    facts = []
    for name, title, decimals in _numeric_questions():
        figures = questions.get(name)
        if not figures or not figures.get("n"):
            continue
        is_year = name == "annee_debut"

        def show(value, is_year=is_year, decimals=decimals):
            if value is None:
                return "–"
            return str(int(value)) if is_year else number(value, language, decimals)

        facts.append(
            (
                title,
                _("%(n)s answers; from %(min)s to %(max)s, median %(median)s, mean %(mean)s")
                % {
                    "n": number(figures["n"], language),
                    "min": show(figures["min"]),
                    "max": show(figures["max"]),
                    "median": show(figures["median"]),
                    "mean": show(figures["mean"]) if is_year else number(figures["mean"], language),
                },
            )
        )
    return facts


def _indicator_facts(document, language, choice_labels) -> list[tuple[str, str]]:
    facts = []
    only = document.get("share_only_international_relations_service")
    if only is not None:
        facts.append(
            (
                _("Cooperations run by the international relations service alone"),
                share(only, language),
            )
        )
    assoc = document.get("share_with_associations")
    if assoc is not None:
        facts.append(
            (
                _("Cooperations that mobilise associations"),
                share(assoc, language),
            )
        )
    by_type = document.get("cooperations_by_respondent_type") or {}
    if by_type:
        labels = choice_labels("collectivite_type")
        facts.append(
            (
                _("Cooperations by kind of authority"),
                ", ".join(f"{labels.get(k, k)} {number(n, language)}" for k, n in by_type.items()),
            )
        )
    return facts


# --- the experience sheets -------------------------------------------------------------------


def highlighted_sheets(language: str) -> list[dict]:
    """Published highlights, each in the report's language when a published translation
    exists, else in its own language (``knowledge.selectors``)."""
    from reciprocite.knowledge.selectors import highlighted_sheets_in

    return [
        _sheet_view(sheet, original, language)
        for sheet, original in highlighted_sheets_in(language)
    ]


def _sheet_view(sheet, original, language: str) -> dict:
    from reciprocite.knowledge.taxonomy import Stage

    themes = [t.label if hasattr(t, "label") else str(t) for t in sheet.themes.all()] or [
        t.label if hasattr(t, "label") else str(t) for t in original.themes.all()
    ]
    parties = " – ".join(p for p in (sheet.french_authority, sheet.partner_authority) if p)
    facts = []
    if parties:
        facts.append((_("Authorities"), parties))
    country = sheet.country or original.country
    if country:
        facts.append((_("Partner country"), country_name(country, language)))
    year = sheet.year_start or original.year_start
    if year:
        facts.append((_("Since"), str(year)))
    stage = sheet.stage or original.stage
    if stage:
        facts.append((_("Stage"), str(Stage(stage).label)))
    if themes:
        facts.append((_("Themes"), ", ".join(themes)))
    blocks = []
    for name, title in (
        ("summary", _("Summary")),
        ("results", _("Results")),
        ("reciprocity", _("Reciprocity: what the French side learned or changed at home")),
    ):
        text = print_html(getattr(sheet, name, ""))
        if text.strip():
            blocks.append((title, text))
    return {
        "id": f"sheet-{sheet.pk}",
        "title": sheet.title,
        "language": sheet.language,
        "facts": facts,
        "blocks": blocks,
        "fictitious": sheet.is_fictitious,
    }


# --- the whole document ----------------------------------------------------------------------


def report_context(
    *, language: str = "fr", campaign=None, progress: Progress | None = None, today=None
) -> dict:
    """Everything the template shows, in the active language (call inside override)."""
    from .selectors import PanoramaFilters, panorama

    total = len(STEPS)
    labels = step_labels()

    def step(i: int) -> None:
        if progress is not None:
            progress(i, total, labels[STEPS[i]] if i < total else _("Done"))

    today = today or timezone.localdate()
    step(0)
    # The dashboard's survey is the cooperations questionnaire: a campaign of the other
    # questionnaire only narrows that questionnaire's chapter.
    survey_campaign = campaign
    if campaign is not None and campaign.questionnaire.form_id != COOPERATIONS:
        survey_campaign = None
    data = panorama(PanoramaFilters(), campaign=survey_campaign)
    sections: list[Section] = []
    key = Section("key-figures", _("Key figures"))
    key.intro = list(data.sentences)
    key.facts = [
        (label_text, number(data.key_figures[name], language))
        for name, label_text in key_figure_labels().items()
        if name in data.key_figures
    ]
    key.survey_facts = survey_key_figures(data.survey, language)
    sections.append(key)
    step(1)
    maps = _maps_section(data, language)
    if maps.figures:
        sections.append(maps)
    step(2)
    charts_section = _charts_section(data, language)
    if charts_section.figures:
        sections.append(charts_section)
    step(3)
    perception = _survey_section(PERCEPTION, language, campaign)
    cooperations = _survey_section(COOPERATIONS, language, campaign)
    sections += [perception.section, cooperations.section]
    step(4)
    sheets = highlighted_sheets(language)
    method = _method_section(data, perception, cooperations, campaign, language, today)
    step(5)
    title = _("Panorama of decentralised cooperation in the social field")
    toc = [(s.id, s.title) for s in sections]
    if sheets:
        toc.append(("sheets", _("Highlighted experiences")))
    toc.append((method.id, method.title))
    return {
        "language": language,
        "title": title,
        "network": NETWORK,
        "subtitle": _(
            "Local governments cooperating across borders on social action: where, who, how, "
            "and what they learn from each other"
        ),
        "date_text": long_date(today, language),
        "created_iso": today.isoformat(),
        "date_css": _css_string(long_date(today, language)),
        "keywords": ", ".join(
            (_("decentralised cooperation"), _("social action"), _("local governments"))
        ),
        "year": today.year,
        "campaign": campaign,
        "sections": sections,
        "sheets": sheets,
        "method": method,
        "toc": toc,
        "css": CSS_FILE.read_text(encoding="utf-8"),
        "page_of_pages": page_of_pages_css(),
        "running_title": _css_string(f"{NETWORK} — {_('Panorama')}"),
    }


def _method_section(
    data, perception: SurveyPart, cooperations: SurveyPart, campaign, language, today
) -> Section:
    section = Section("method", _("Method and sources"))
    section.intro.append(
        _(
            "The study has two stages. A first, short questionnaire (“perception”) goes to all "
            "the members of the network: does the authority cooperate, is social action a "
            "relevant field for it, through which entry points, does it recognise itself in "
            "the term. A second questionnaire (“cooperations”) goes to the members that "
            "cooperate in the social field and describes each cooperation: partner country, "
            "start year, themes, budget, funding, services and partners mobilised, added "
            "value, difficulties."
        )
    )
    section.intro.append(
        _(
            "The questionnaires are collected on the platform (web forms sent by e-mail "
            "invitation) or imported from KoboToolbox exports; the figures count every answer "
            "stored, a cooperation being counted once per entry of the second questionnaire."
        )
    )
    responses = []
    for part, name in ((perception, "perception"), (cooperations, "cooperations")):
        if part.document is None:
            continue
        text = _("Questionnaire “%(form)s”: %(n)s answers") % {
            "form": name,
            "n": number(part.document["submissions"], language),
        }
        entries = part.document["repeats"].get("cooperation")
        if entries:
            text += _(", describing %(m)s cooperations") % {"m": number(entries, language)}
        if part.campaign is not None:
            text += _(" (campaign “%(title)s”)") % {"title": part.campaign.title}
        responses.append(text + ".")
    if responses:
        section.facts.append((_("Responses"), " ".join(responses)))
    section.facts.append(
        (
            _("Zones"),
            _(
                "Partner countries are grouped by the regions of the United Nations (M49 "
                "standard); Algeria, Libya, Morocco, Mauritania and Tunisia form the Maghreb. A "
                "cooperation naming two countries of one zone counts once for that zone."
            ),
        )
    )
    section.facts.append(
        (
            _("Registry"),
            _(
                "The partnerships, projects and replications published in the Réciprocité "
                "registry on %(date)s, entered by the member authorities and their partners; "
                "records marked “fictitious” are invented for illustration."
            )
            % {"date": long_date(today, language)},
        )
    )
    section.facts.append(
        (
            _("Maps"),
            _(
                "Country shapes from Natural Earth (public domain), drawn without any map "
                "server; borders do not imply any position on the status of a territory."
            ),
        )
    )
    if campaign is not None:
        section.facts.append(
            (
                _("Campaign"),
                _("%(title)s (id %(id)s)") % {"title": campaign.title, "id": campaign.pk},
            )
        )
    return section


def _url_fetcher():
    from weasyprint.urls import URLFetcher

    # Only data: URLs: no remote font, image or stylesheet, and no local file either.
    return URLFetcher(allowed_protocols={"data"})


def render_html(
    *, language: str = "fr", campaign=None, progress: Progress | None = None, today=None
) -> str:
    if language not in LANGUAGES:
        raise ReportError(_("%(lang)s is not a report language (fr or en).") % {"lang": language})
    with translation.override(language):
        context = report_context(
            language=language, campaign=campaign, progress=progress, today=today
        )
        return render_to_string(TEMPLATE, context)


def render_report(
    *, language: str = "fr", campaign=None, progress: Progress | None = None, today=None
) -> bytes:
    """The PDF of the panorama report (bytes)."""
    from weasyprint import HTML

    html = render_html(language=language, campaign=campaign, progress=progress, today=today)
    pdf = HTML(string=html, base_url="data:,", url_fetcher=_url_fetcher()).write_pdf(pdf_tags=True)
    if progress is not None:
        with translation.override(language):
            progress(len(STEPS), len(STEPS), _("Done"))
    return pdf
