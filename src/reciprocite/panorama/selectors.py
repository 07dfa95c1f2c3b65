"""The panorama's figures: the registry and the study's survey, aggregated.

``panorama(filters, campaign=…)`` returns a :class:`Panorama`: key figures (as numbers and as
plain sentences in the active language), counts by partner country and zone, series for the
charts (themes, kinds of French authority, start years, budget bands, co-funding, and the
survey's services, external partners, added values, difficulties and zones), partner
territories with coordinates and the replications between projects.

Only what the public sees is counted: published partnerships that are not deleted, and
their projects that are not deleted. Every figure comes from aggregate queries
(``values().annotate(Count)``): a few queries whatever the size of the registry. The
projects' figures (numbers, themes, budget bands) are summed from the figures table
(``models.PartnershipFigure``: a few rows per partnership, kept current after each
committed write of the registry by ``services.figures_refresh``) over the partnerships the
filters count. Reading never writes: the table is read as it is.

The result is cached under the registry's version stamp, the survey's answers stamp, the
filters, the campaign and the language; ``compute_panorama`` is the same without the cache
(what the benchmark measures).

Filters (query parameters of the page, the downloads and the report):

| parameter | meaning                                                                  |
|-----------|--------------------------------------------------------------------------|
| zone      | study zone of a partner-side territory (UN M49 sub-region or Maghreb)    |
| country   | ISO 3166-1 alpha-2 code of a partner-side territory                      |
| theme     | a theme code of the study's taxonomy                                     |
| kind      | kind of the French authority (commune, departement, region…)             |
| year_from | partnerships started that year or later                                  |
| year_to   | partnerships started that year or earlier                                |
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count, Q, Sum
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from reciprocite.core.filters import MAX_YEAR, MIN_YEAR, FilterError, parse_id, year_range
from reciprocite.registry import selectors as registry_selectors
from reciprocite.registry.models import (
    FunderKind,
    Partnership,
    PartnershipParty,
    Project,
    ProjectActor,
    ProjectFunding,
    Replication,
    Side,
)
from reciprocite.registry.selectors import RegistryFilters, registry_version
from reciprocite.registry.taxonomy import BUDGET_BANDS, theme_label
from reciprocite.territories import geography
from reciprocite.territories.models import TerritoryKind

from .models import FigureKind, PartnershipFigure

# Parameters the page also reads (not filters of the figures).
PAGE_PARAMS = ("campaign",)
SURVEY_FORM = "cooperations"
CACHE_SECONDS = 600
# Bumped whenever Panorama changes shape or meaning: a cached one of an older release is
# then never served (it would miss fields).
FORMAT = 5  # 5: SVG geometry never localised, labels in the language
MAX_REPLICATIONS = 500  # lines drawn on the map (the table lists the same)
MAX_POINTS = 300  # partner territories drawn on the map (the busiest; the table lists them)
# Fewer respondents than this (filters or a small campaign): the survey's figures are
# withheld, since they would tell one authority's answers.
SURVEY_MIN_RESPONDENTS = 3


# The panorama's filters are the registry's (``registry.selectors.RegistryFilters``: one
# definition of each whitelisted filter and its check), named as the page's parameters:
# field of RegistryFilters → the panorama's parameter, in the order they are checked. The
# panorama's ``kind`` is the registry's ``authority_kind``, on the French side.
REGISTRY_FILTERS = {
    "zone": "zone",
    "country": "country",
    "theme": "theme",
    "authority_kind": "kind",
}
FILTER_NAMES = (*REGISTRY_FILTERS.values(), "year_from", "year_to")


@dataclass(frozen=True)
class PanoramaFilters:
    """A view of ``RegistryFilters``: its place, theme and period filters, under the
    panorama's parameter names; a period ending before it starts is refused here."""

    zone: str | None = None
    country: str | None = None
    theme: str | None = None
    kind: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str], *, extra: tuple[str, ...] = PAGE_PARAMS):
        """Read the filters from query parameters; an unknown parameter or a bad value raises
        FilterError naming the parameter. ``extra`` names parameters allowed but not read."""
        allowed = set(FILTER_NAMES) | set(extra)
        unknown = sorted(k for k in params if k not in allowed)
        if unknown:
            raise FilterError(
                unknown[0],
                _("unknown parameter; allowed: %s") % ", ".join(sorted(allowed)),
            )

        def get(name: str) -> str:
            value = params.get(name, "")
            if isinstance(value, list | tuple):
                value = value[-1] if value else ""
            return str(value).strip()

        # the registry's checks of each value (one rule for pages, API and CLI of both apps)
        values: dict = RegistryFilters.checked(get, REGISTRY_FILTERS)
        if "authority_kind" in values:
            values["kind"] = values.pop("authority_kind")
        values.update(year_range(get))
        return cls(**values)

    def as_params(self) -> dict[str, str]:
        return {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) not in ("", None)
        }

    @property
    def active(self) -> bool:
        return bool(self.as_params())


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    count: int
    value: float | None = None


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    items: list[Item]
    unit: str = ""  # "" = counts; "EUR" = item.value is an amount in euros

    @property
    def total(self) -> int:
        return sum(i.count for i in self.items)


@dataclass(frozen=True)
class Panorama:
    filters: PanoramaFilters
    sentences: list[str]
    key_figures: dict[str, int]
    countries: dict[str, int]
    zones: dict[str, int]
    series: dict[str, Series]
    points: list[tuple[float, float, str, int]]
    replications: list[tuple[tuple[float, float], tuple[float, float], str]]
    survey: dict | None = None
    # the replications as rows for the table: model, replica, their places
    replication_rows: list[dict] = field(default_factory=list)
    # True when more partner territories have coordinates than ``points`` holds (MAX_POINTS)
    points_truncated: bool = False
    # projects (not partnerships) by partner country (ISO2) and by zone
    country_projects: dict[str, int] = field(default_factory=dict)
    zone_projects: dict[str, int] = field(default_factory=dict)


# --- the registry ---------------------------------------------------------------------------


def _partnerships(f: PanoramaFilters, figures: bool = False):
    """Ids of the partnerships counted (a subquery: never read into Python). With
    ``figures`` (the figures table current) a theme is looked up there: the partnerships
    with a project of the theme are those with a count in its scope (an index range
    instead of a join of the project–theme links with the projects)."""
    qs = Partnership.objects.filter(registry_selectors.public_q())

    def parties(**lookups):
        return PartnershipParty.objects.filter(**lookups).values("partnership_id")

    if f.country:
        qs = qs.filter(pk__in=parties(side=Side.PARTNER, territory__country=f.country))
    if f.zone:
        qs = qs.filter(
            pk__in=parties(
                side=Side.PARTNER, territory__country__in=geography.countries_in_zone(f.zone)
            )
        )
    if f.kind:
        qs = qs.filter(pk__in=parties(side=Side.FRENCH, territory__kind=f.kind))
    if f.theme and figures:
        qs = qs.filter(
            pk__in=PartnershipFigure.objects.filter(scope=f.theme, kind=FigureKind.COUNT).values(
                "partnership_id"
            )
        )
    elif f.theme:
        qs = qs.filter(
            pk__in=Project.objects.filter(themes__code=f.theme, deleted_at__isnull=True).values(
                "partnership_id"
            )
        )
    if f.year_from:
        qs = qs.filter(start_date__gte=f"{f.year_from:04d}-01-01")
    if f.year_to:
        qs = qs.filter(start_date__lte=f"{f.year_to:04d}-12-31")
    return qs.order_by().values("pk")


@contextmanager
def _visible_partnerships(
    f: PanoramaFilters, figures: bool = False
) -> Iterator[tuple[RawSQL, int]]:
    """The ids of the partnerships counted, computed once into a temporary table of this
    connection (dropped on leaving): every aggregate then joins a small indexed table
    instead of evaluating the filters' subqueries again (a theme filter alone reads the
    project–theme links). Yields a subquery over it and the number of partnerships."""
    name = f"panorama_visible_{secrets.token_hex(6)}"
    sql, params = _partnerships(f, figures).query.sql_with_params()
    column = "bigint" if connection.vendor == "postgresql" else "integer"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {name} (id {column} PRIMARY KEY)")
        try:
            cursor.execute(f"INSERT INTO {name} (id) {sql}", params)  # noqa: S608
            count = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {name}")
        except BaseException:
            _drop(name)
            raise
    try:
        yield RawSQL(f"SELECT id FROM {name}", ()), count  # noqa: S608, S611 (our own name)
    finally:
        _drop(name)


def _drop(name: str) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    except DatabaseError:  # an aborted transaction: its rollback removes the table
        pass


def _float(value) -> float | None:
    return float(value) if isinstance(value, Decimal | int | float) else None


def _sorted_items(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (-i.count, i.label))


def _figures(base: RawSQL, scope: str) -> tuple[dict[int, int], dict[str, int], dict]:
    """From the figures table (``models.PartnershipFigure``): the number of projects of each
    partnership counted, and the projects' themes and budget bands summed over them. The
    scope is the theme filter's code, or ``""``."""
    rows = PartnershipFigure.objects.filter(scope=scope, partnership_id__in=base).order_by()
    per_partnership = dict(
        rows.filter(kind=FigureKind.COUNT).values_list("partnership_id", "projects")
    )
    themes: dict[str, int] = {}
    bands: dict[str, tuple] = {}
    for kind, item, n, total in (
        rows.filter(kind__in=[FigureKind.BAND, FigureKind.THEME])
        .values("kind", "item")
        .annotate(n=Sum("projects"), total=Sum("budget"))
        .values_list("kind", "item", "n", "total")
    ):
        if kind == FigureKind.THEME:
            themes[item] = n
        else:
            bands[item] = (n, total)
    return per_partnership, themes, bands


def _registry(f: PanoramaFilters, figures: bool = True) -> dict:
    with _visible_partnerships(f, figures) as (base, partnerships):
        return _registry_of(f, base, partnerships, figures)


def _registry_of(f: PanoramaFilters, base: RawSQL, partnerships: int, figures: bool) -> dict:
    # Projects counted: alive, of the partnerships counted, and with the theme when one is
    # chosen (a partnership is counted when one of its projects has it; its other projects
    # are not). ``counted(prefix)`` says it of a relation to a project.
    theme_projects = (
        Project.themes.through.objects.filter(theme_id=f.theme).values("project_id")
        if f.theme
        else None
    )

    def counted(prefix: str = "") -> Q:
        q = Q(**{f"{prefix}deleted_at__isnull": True, f"{prefix}partnership_id__in": base})
        if theme_projects is not None:
            q &= Q(**{f"{prefix}pk__in": theme_projects})
        return q

    projects = Project.objects.filter(counted())
    partner = PartnershipParty.objects.filter(partnership_id__in=base, side=Side.PARTNER)
    french = PartnershipParty.objects.filter(partnership_id__in=base, side=Side.FRENCH)

    # Countries and zones, of partnerships and of projects, from two grouped queries at the
    # level of partnerships (never of projects): the partner countries of each partnership
    # and its number of projects. A partnership (and its projects) counts once per country
    # and once per zone, whatever the number of its territories there.
    if figures:
        per_partnership, themes, bands = _figures(base, f.theme or "")
        project_count = sum(per_partnership.values())
    else:
        per_partnership = dict(
            projects.order_by()
            .values("partnership_id")
            .annotate(n=Count("pk"))
            .values_list("partnership_id", "n")
        )
    countries: dict[str, int] = defaultdict(int)
    zones: dict[str, int] = defaultdict(int)
    country_projects: dict[str, int] = defaultdict(int)
    zone_projects: dict[str, int] = defaultdict(int)
    zones_seen: set[tuple[int, str]] = set()
    pairs = partner.order_by().values_list("partnership_id", "territory__country").distinct()
    for pid, code in pairs:
        n = per_partnership.get(pid, 0)
        countries[code] += 1
        country_projects[code] += n
        zone = geography.zone_of(code)
        if zone is not None and (pid, zone.key) not in zones_seen:
            zones_seen.add((pid, zone.key))
            zones[zone.key] += 1
            zone_projects[zone.key] += n
    countries, zones = dict(countries), dict(zones)
    country_projects = {c: n for c, n in country_projects.items() if n}
    zone_projects = {z: n for z, n in zone_projects.items() if n}
    partner_territories = partner.values("territory_id").distinct().count()
    french_authorities = french.values("territory_id").distinct().count()

    if not figures:
        themes = dict(
            Project.themes.through.objects.filter(counted("project__"))
            .values("theme_id")
            .annotate(n=Count("project_id"))
            .values_list("theme_id", "n")
        )
    kinds = dict(
        french.values("territory__kind")
        .annotate(n=Count("partnership_id", distinct=True))
        .values_list("territory__kind", "n")
    )
    # by start date, then by year here: SQLite extracts a year in Python, once per row
    years: dict[int, int] = defaultdict(int)
    for start, n in (
        Partnership.objects.filter(pk__in=base, start_date__isnull=False)
        .values("start_date")
        .annotate(n=Count("pk"))
        .values_list("start_date", "n")
    ):
        years[start.year] += n
    # one scan of the projects: their number and their budget bands ("" = no band)
    if not figures:
        by_band = list(
            projects.annotate(band=registry_selectors.budget_band_case())
            .values("band")
            .annotate(n=Count("pk"), total=Sum("budget_amount"))
            .values_list("band", "n", "total")
        )
        project_count = sum(n for _band, n, _total in by_band)
        bands = {band: (n, total) for band, n, total in by_band if band}
    # Co-fundings and replications are joined to the projects only when there are some: on an
    # empty (or never analysed) table the planners scan the 100k projects to join nothing.
    has_replications = Replication.objects.exists()
    cofunding = (
        {
            kind: (n, total)
            for kind, n, total in ProjectFunding.objects.filter(counted("project__"))
            .values("funder__kind")
            .annotate(
                n=Count("project_id", distinct=True),
                total=Sum("amount", filter=Q(currency="EUR")),
            )
            .values_list("funder__kind", "n", "total")
        }
        if ProjectFunding.objects.exists()
        else {}
    )
    points = [
        (float(lat), float(lon), f"{name} ({geography.country_name(code)})", n)
        for lat, lon, name, code, n in partner.filter(
            territory__latitude__isnull=False, territory__longitude__isnull=False
        )
        .values("territory_id")
        .annotate(n=Count("partnership_id", distinct=True))
        .values_list(
            "territory__latitude",
            "territory__longitude",
            "territory__name",
            "territory__country",
            "n",
        )
        .order_by("-n", "territory__name", "territory_id")[: MAX_POINTS + 1]
    ]
    # the busiest territories only: thousands of dots would tell nothing (and weigh much)
    more_points = len(points) > MAX_POINTS
    points = points[:MAX_POINTS]
    replication_qs = Replication.objects.filter(
        counted("model__"),
        registry_selectors.public_q("replica__partnership__"),
        replica__deleted_at__isnull=True,
    )
    replication_count = replication_qs.count() if has_replications else 0
    links = (
        list(
            replication_qs.order_by("model__title", "replica__title", "pk").values_list(
                "model_id",
                "model__title",
                "model__partnership_id",
                "replica_id",
                "replica__title",
                "replica__partnership_id",
            )[:MAX_REPLICATIONS]
        )
        if replication_count
        else []
    )
    places = _places({pid for link in links for pid in (link[2], link[5])})
    project_places = _project_places(
        {(link[0], link[1]) for link in links} | {(link[3], link[4]) for link in links}
    )
    replications = []
    replication_rows = []
    for model_id, model_title, model_pid, replica_id, replica_title, replica_pid in links:
        a = project_places.get(model_id) or places.get(model_pid)
        b = project_places.get(replica_id) or places.get(replica_pid)
        replication_rows.append(
            {
                "model": model_title,
                "model_place": a[2] if a else "",
                "replica": replica_title,
                "replica_place": b[2] if b else "",
            }
        )
        if a and b and (a[0], a[1]) != (b[0], b[1]):
            replications.append(((a[0], a[1]), (b[0], b[1]), f"{model_title} → {replica_title}"))

    series = {
        "theme": Series(
            "theme",
            _("Projects by theme"),
            _sorted_items([Item(c, theme_label(c), n) for c, n in themes.items() if n]),
        ),
        "authority_kind": Series(
            "authority_kind",
            _("Partnerships by kind of French authority"),
            _sorted_items(
                [Item(k, str(dict(TerritoryKind.choices).get(k, k)), n) for k, n in kinds.items()]
            ),
        ),
        "start_year": Series(
            "start_year",
            _("Partnerships by start year"),
            [Item(str(y), str(y), years[y]) for y in sorted(years) if y],
        ),
        "budget": Series(
            "budget",
            _("Projects by budget band (euros)"),
            [
                Item(k, str(v[0]), bands[k][0], _float(bands[k][1]))
                for k, v in BUDGET_BANDS.items()
                if k in bands
            ],
            unit="EUR",
        ),
        "cofunding": Series(
            "cofunding",
            _("Co-funded projects by kind of funder"),
            _sorted_items(
                [
                    Item(k, str(dict(FunderKind.choices).get(k, k)), n, _float(total))
                    for k, (n, total) in cofunding.items()
                ]
            ),
            unit="EUR",
        ),
        "countries": Series(
            "countries",
            _("Partnerships by partner country"),
            _sorted_items(
                [Item(c, geography.country_name(c), n) for c, n in countries.items() if n]
            ),
        ),
        "zones": Series(
            "zones",
            _("Partnerships by partner zone"),
            _sorted_items([Item(z, _zone_label(z), n) for z, n in zones.items()]),
        ),
    }
    return {
        "key_figures": {
            "partnerships": partnerships,
            "projects": project_count,
            "countries": len([c for c, n in countries.items() if n]),
            "zones": len(zones),
            "partner_territories": partner_territories,
            "french_authorities": french_authorities,
            "replications": replication_count,
        },
        "more_points": more_points,
        "countries": {c: n for c, n in countries.items() if n},
        "zones": zones,
        "country_projects": country_projects,
        "zone_projects": zone_projects,
        "series": series,
        "points": points,
        "replications": replications,
        "replication_rows": replication_rows,
    }


def _zone_label(key: str) -> str:
    zone = geography.zone_by_key(key)
    return zone.label() if zone else key


def _project_places(projects: set[tuple[int, str]]) -> dict[int, tuple[float, float, str]]:
    """The place of a project from its actors' territories (with coordinates): the one its
    title names, else the first abroad, else none (the partnership's place is used)."""
    titles = dict(projects)
    found: dict[int, list[tuple[float, float, str, str]]] = {}
    rows = (
        ProjectActor.objects.filter(
            project_id__in=list(titles),
            actor__territory__latitude__isnull=False,
            actor__territory__longitude__isnull=False,
        )
        .order_by("project_id", "pk")
        .values_list(
            "project_id",
            "actor__territory__latitude",
            "actor__territory__longitude",
            "actor__territory__name",
            "actor__territory__country",
        )
    )
    for pid, lat, lon, name, country in rows:
        found.setdefault(pid, []).append((float(lat), float(lon), name, country))
    places = {}
    for pid, candidates in found.items():
        title = geography.fold(titles[pid])
        named = [c for c in candidates if _bare(c[2]) and _bare(c[2]) in title]
        abroad = [c for c in candidates if c[3] != "FR"]
        chosen = (named or abroad or [None])[0]
        if chosen is not None:
            places[pid] = chosen[:3]
    return places


def _bare(name: str) -> str:
    """A territory's name without what follows it in brackets, folded: "Koulinda (fictive)"
    → "koulinda"."""
    return geography.fold(name.split("(")[0].strip())


def _places(partnership_ids: set[int]) -> dict[int, tuple[float, float, str]]:
    """One place per partnership: its partner-side territory with coordinates (else its
    French one), the first by name."""
    places: dict[int, tuple[float, float, str]] = {}
    rows = (
        PartnershipParty.objects.filter(
            partnership_id__in=partnership_ids,
            territory__latitude__isnull=False,
            territory__longitude__isnull=False,
        )
        .order_by("partnership_id", "territory__name", "pk")
        .values_list(
            "partnership_id",
            "side",
            "territory__latitude",
            "territory__longitude",
            "territory__name",
        )
    )
    for pid, side, lat, lon, name in rows:
        current = places.get(pid)
        if current is None or (side == Side.PARTNER and current[3] != Side.PARTNER):
            places[pid] = (float(lat), float(lon), name, side)
    return {pid: (lat, lon, name) for pid, (lat, lon, name, _side) in places.items()}


# --- the survey -----------------------------------------------------------------------------

SURVEY_SERIES = {
    # series key → question of the `cooperations` form (titles: _survey_titles)
    "services": "services_internes",
    "external_partners": "partenaires_externes",
    "added_values": "plus_values",
    "difficulties": "difficultes",
    "survey_themes": "themes",
    "survey_cofunding": "cofinancements",
}
# The study's respondent types where they differ from the registry's kinds of territory.
SURVEY_KINDS = {"other": "autre"}


def _survey_titles() -> dict[str, str]:
    return {
        "services": _("Services of the authority mobilised"),
        "external_partners": _("External partners"),
        "added_values": _("Added values for the territory"),
        "difficulties": _("Difficulties met"),
        "survey_themes": _("Cooperations by theme (survey)"),
        "survey_cofunding": _("Co-funding (survey)"),
        "survey_zones": _("Cooperations by partner zone (survey)"),
        "survey_budget": _("Cooperations by annual budget band (survey)"),
    }


def survey_questionnaire():
    from reciprocite.surveys.models import Questionnaire

    return Questionnaire.objects.filter(form_id=SURVEY_FORM).first()


def _survey_filters(plan, f: PanoramaFilters) -> dict | None:
    """The dashboard's filters as the analysis' filters; None when nothing can match."""
    from reciprocite.surveys.analysis import SELECT_KINDS

    out: dict[str, list[str]] = {}

    def choices(name: str) -> set[str] | None:
        q = plan.structure.by_name.get(name)
        if q is None or q.kind not in SELECT_KINDS:
            return None
        return {str(c.get("name")) for c in plan.structure.choices(q)}

    def add(name: str, wanted: list[str]) -> bool:
        known = choices(name)
        if known is None:
            return True  # the form cannot be filtered on it: ignored
        lowered = {k.lower(): k for k in known}
        values = sorted({lowered[w.lower()] for w in wanted if w.lower() in lowered})
        if not values:
            return False
        out[name] = values
        return True

    if f.country and f.zone and f.country not in geography.countries_in_zone(f.zone):
        return None
    if f.country or f.zone:
        wanted = [f.country] if f.country else geography.countries_in_zone(f.zone)
        if not add("pays_partenaire", wanted):
            return None
    if f.theme and not add("themes", [f.theme]):
        return None
    if f.kind and not add("collectivite_type", [SURVEY_KINDS.get(f.kind, f.kind)]):
        return None
    if (f.year_from or f.year_to) and "annee_debut" in plan.structure.by_name:
        low, high = f.year_from or MIN_YEAR, f.year_to or MAX_YEAR
        out["annee_debut"] = [str(y) for y in range(low, high + 1)]
    return out


def _survey(f: PanoramaFilters, campaign=None) -> tuple[dict | None, dict[str, Series]]:
    from reciprocite.surveys.analysis import analyse, plan_of
    from reciprocite.surveys.structure import label

    questionnaire = campaign.questionnaire if campaign is not None else survey_questionnaire()
    if questionnaire is None or questionnaire.current_version is None:
        return None, {}
    plan = plan_of(questionnaire)
    filters = _survey_filters(plan, f)
    if filters is None:
        document = {"submissions": 0, "repeats": {}, "questions": {}, "zones": {}}
    else:
        document = analyse(
            questionnaire, filters=filters or None, campaign=campaign, published_only=True
        )
    language = (get_language() or "fr")[:2]
    structure = plan.structure
    titles = _survey_titles()

    def labels_of(name: str) -> dict[str, str]:
        q = structure.by_name.get(name)
        if q is None:
            return {}
        out = {}
        for choice in structure.choices(q):
            key = str(choice.get("name", ""))
            text = label(choice, language, structure.default_language)
            if geography.is_country(key) and text == key:
                text = geography.country_name(key, language)
            out[key] = text
        return out

    series: dict[str, Series] = {}
    questions = document.get("questions", {})
    for key, question in SURVEY_SERIES.items():
        if question not in structure.by_name:
            continue
        counts = questions.get(question, {}).get("counts", {})
        labels = labels_of(question)
        series[key] = Series(
            key,
            titles[key],
            _sorted_items([Item(c, labels.get(c, c), n) for c, n in counts.items()]),
        )
    zone_counts = document.get("zones", {}).get("pays_partenaire", {})
    series["survey_zones"] = Series(
        "survey_zones",
        titles["survey_zones"],
        _sorted_items([Item(z, _zone_label(z), n) for z, n in zone_counts.items()]),
    )
    repeats = document.get("repeats", {})
    withheld = 0 < document.get("submissions", 0) < SURVEY_MIN_RESPONDENTS
    if withheld:
        series, questions, zone_counts = {}, {}, {}
    budget = questions.get("budget_annuel_eur")
    survey = {
        "form": questionnaire.form_id,
        "title": questionnaire.title,
        "campaign": campaign.pk if campaign is not None else None,
        "campaign_title": str(campaign) if campaign is not None else "",
        "withheld": withheld,
        "submissions": document.get("submissions", 0),
        "repeats": 0
        if withheld
        else repeats.get("cooperation", sum(repeats.values()) if repeats else 0),
        "countries": {
            c.upper(): n
            for c, n in questions.get("pays_partenaire", {}).get("counts", {}).items()
            if geography.is_country(c)
        },
        "zones": dict(zone_counts),
        "budget": {k: budget[k] for k in ("n", "min", "median", "mean", "max", "sum")}
        if budget
        else None,
        "start_year": {
            k: questions["annee_debut"][k] for k in ("n", "min", "median", "mean", "max")
        }
        if "annee_debut" in questions
        else None,
        "respondent_types": {} if withheld else document.get("cooperations_by_respondent_type", {}),
        "share_only_international_relations_service": None
        if withheld
        else document.get("share_only_international_relations_service"),
        "share_with_associations": None if withheld else document.get("share_with_associations"),
    }
    return survey, series


# --- sentences ------------------------------------------------------------------------------


def _sentences(figures: dict, zones: Series, survey: dict | None) -> list[str]:
    n = figures["partnerships"]
    out = [
        ngettext(
            "%(n)d partnership of %(a)d French authority",
            "%(n)d partnerships of %(a)d French authorities",
            n,
        )
        % {"n": n, "a": figures["french_authorities"]}
        + " "
        + ngettext(
            "with %(t)d partner territory in %(c)d country.",
            "with %(t)d partner territories in %(c)d countries.",
            figures["countries"],
        )
        % {"t": figures["partner_territories"], "c": figures["countries"]}
    ]
    if n:
        out.append(
            ngettext(
                "%(n)d project is recorded.",
                "%(n)d projects are recorded.",
                figures["projects"],
            )
            % {"n": figures["projects"]}
        )
    if zones.items:
        top = zones.items[0]
        out.append(
            ngettext(
                "%(n)d partnership is with %(zone)s, the first zone.",
                "%(n)d partnerships are with %(zone)s, the first zone.",
                top.count,
            )
            % {"n": top.count, "zone": top.label}
        )
    if figures["replications"]:
        out.append(
            ngettext(
                "%(n)d project was replicated elsewhere.",
                "%(n)d replications of a project elsewhere.",
                figures["replications"],
            )
            % {"n": figures["replications"]}
        )
    if survey and survey["withheld"]:
        out.append(
            _("The survey's figures are withheld: fewer than %(n)d authorities answered.")
            % {"n": SURVEY_MIN_RESPONDENTS}
        )
    elif survey and survey["submissions"]:
        sentence = ngettext(
            "The survey: %(c)d cooperation described by %(a)d authority",
            "The survey: %(c)d cooperations described by %(a)d authorities",
            survey["repeats"],
        ) % {"c": survey["repeats"], "a": survey["submissions"]}
        if survey["zones"]:
            zone, count = next(iter(survey["zones"].items()))
            sentence += ngettext(
                ", %(n)d of them with %(zone)s.",
                ", %(n)d of them with %(zone)s.",
                count,
            ) % {"n": count, "zone": _zone_label(zone)}
        else:
            sentence += "."
        out.append(sentence)
    return out


# --- the panorama ---------------------------------------------------------------------------


def compute_panorama(
    filters: PanoramaFilters | None = None, *, campaign=None, figures: bool = True
) -> Panorama:
    """The panorama computed from the database (no cache). The projects' figures are summed
    from the figures table (``models.PartnershipFigure``, kept current by the registry's
    announcements: ``services``); with
    ``figures=False`` they are counted from the projects themselves by SQL aggregates — the
    reference the tests and the benchmark compare the table with."""
    f = filters or PanoramaFilters()
    reg = _registry(f, figures)
    survey, survey_series = _survey(f, campaign)
    series = dict(reg["series"])
    series.update(survey_series)
    return Panorama(
        filters=f,
        sentences=_sentences(reg["key_figures"], reg["series"]["zones"], survey),
        key_figures=reg["key_figures"],
        countries=reg["countries"],
        zones=reg["zones"],
        country_projects=reg["country_projects"],
        zone_projects=reg["zone_projects"],
        series=series,
        points=reg["points"],
        replications=reg["replications"],
        survey=survey,
        replication_rows=reg["replication_rows"],
        points_truncated=reg["more_points"],
    )


def data_version(campaign=None) -> str:
    """Changes whenever a figure of the panorama may change: the registry's stamp, the
    replications and co-fundings, and the survey's answers."""
    from reciprocite.surveys.analysis import version_stamp

    r, f = Replication._meta.db_table, ProjectFunding._meta.db_table
    sql = (
        f"SELECT (SELECT MAX(id) FROM {r}), (SELECT COUNT(*) FROM {r}), "  # noqa: S608
        f"(SELECT MAX(id) FROM {f}), (SELECT COUNT(*) FROM {f})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        extra = cursor.fetchone()
    questionnaire = campaign.questionnaire if campaign is not None else survey_questionnaire()
    survey = version_stamp(questionnaire) if questionnaire is not None else "-"
    return repr((registry_version(), extra, survey))


def cache_key(kind: str, filters: PanoramaFilters, campaign, version: str) -> str:
    """A cache key for something computed from the panorama of these filters, campaign,
    data version (``data_version``) and the active language."""
    raw = repr(
        (
            FORMAT,
            kind,
            version,
            sorted(filters.as_params().items()),
            campaign.pk if campaign is not None else None,
            get_language(),
        )
    )
    return f"panorama:{kind}:" + hashlib.sha256(raw.encode()).hexdigest()


def panorama(
    filters: PanoramaFilters | None = None, *, campaign=None, version: str | None = None
) -> Panorama:
    """The panorama, from the cache when the data has not changed since it was computed.
    ``version`` is ``data_version(campaign)`` when the caller has it already."""
    f = filters or PanoramaFilters()
    version = version or data_version(campaign)
    key = cache_key("figures", f, campaign, version)
    found = cache.get(key)
    if found is not None:
        return found
    result = compute_panorama(f, campaign=campaign)
    cache.set(key, result, CACHE_SECONDS)
    return result


def partner_countries(version: str | None = None) -> list[str]:
    """ISO codes of the partner countries of the published partnerships, whatever the
    filters (the country filter's choices): one DISTINCT query, cached under the data's
    version."""
    version = version or data_version()
    key = "panorama:countries:" + hashlib.sha256(repr((FORMAT, version)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = sorted(
            PartnershipParty.objects.filter(
                registry_selectors.public_q("partnership__"), side=Side.PARTNER
            )
            .order_by()
            .values_list("territory__country", flat=True)
            .distinct()
        )
        cache.set(key, found, CACHE_SECONDS)
    return found


def campaigns():
    """Published campaigns of the survey's questionnaire, for the selector (newest first):
    the figures of the others are not public."""
    from reciprocite.surveys.models import Campaign

    return list(
        Campaign.objects.filter(questionnaire__form_id=SURVEY_FORM, published_at__isnull=False)
        .select_related("questionnaire")
        .order_by("-created_at", "-pk")
    )


def campaign_by_id(raw: str | None):
    """The campaign of the ``campaign`` parameter; FilterError when it is not one of the
    survey's campaigns."""
    if not raw:
        return None
    from reciprocite.surveys.models import Campaign

    pk = parse_id("campaign", raw, _("must be a campaign id"))
    found = (
        Campaign.objects.filter(pk=pk, questionnaire__form_id=SURVEY_FORM)
        .select_related("questionnaire")
        .first()
    )
    if found is None:
        raise FilterError("campaign", _("no campaign of the survey has this id"))
    return found
