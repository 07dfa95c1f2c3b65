"""The chapters of what the panorama's dashboard shows: key figures (the registry's and the
survey's headline), maps (countries, zones, replications) and the registry's charts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from reciprocite.territories.geography import country_name

from .formatting import euros, number, share, zone_label

if TYPE_CHECKING:
    from ..selectors import Panorama, Series

from .parts import HISTOGRAM_WIDTH, SIDE_ROWS, Figure, Section, Table, bar_chart, count_table


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


def survey_key_figures(survey: dict[str, Any] | None, language: str) -> list[tuple[str, str]]:
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


def _series_figure(series: Series, language: str, *, histogram: bool) -> Figure:
    from .. import charts

    wide = series.unit == "EUR"
    if histogram:
        svg = charts.histogram_svg(series, width=HISTOGRAM_WIDTH)
    else:
        svg = bar_chart(series, side=not wide and len(series.items) <= SIDE_ROWS)
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


def maps_section(data: Panorama, language: str) -> Section:
    from .. import maps

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
                table=count_table(
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
                table=count_table(
                    _("Partnerships by zone"),
                    [(zone_label(key, language), n) for key, n in zones],
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


def _replication_table(rows: list[dict[str, str]]) -> Table:
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


def charts_section(data: Panorama, language: str) -> Section:
    section = Section("charts", _("The partnerships in figures"))
    for key in REGISTRY_SERIES:
        series = data.series.get(key)
        if series is None or not series.items or not any(i.count for i in series.items):
            continue
        section.figures.append(_series_figure(series, language, histogram=key in HISTOGRAMS))
    return section
