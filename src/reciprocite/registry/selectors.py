"""Reads for the registry: filtered lists, facets, details and history.

The same whitelisted filters serve the pages, the API and the CLI export:

| parameter      | meaning                                                               |
|----------------|-----------------------------------------------------------------------|
| q              | words in the title or a translation (territory names: partnerships)   |
| country        | ISO 3166-1 alpha-2 code of a partner-side territory                   |
| zone           | study zone of a partner-side territory (UN M49 sub-region or Maghreb) |
| theme          | a theme code of the study's taxonomy                                  |
| authority_kind | kind of one of the territories (commune, departement, oblast…)        |
| year_from      | start year at least                                                   |
| year_to        | start year at most                                                    |
| status         | status (of the partnership, or of the project)                        |
| budget_band    | budget band in euros (project budget, or total of a partnership)      |
| kind           | kind of partnership (cooperation, twinning, one_off)                  |
| partnership    | (projects only) id of the partnership                                 |
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import ExtractYear
from django.db.models.query import ModelIterable
from django.db.models.sql.where import WhereNode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reciprocite.accounts.permissions import principal_of
from reciprocite.core.filters import FilterError, parse_id, reject_unknown, year_range
from reciprocite.core.models import AliveQuerySet
from reciprocite.territories import geography
from reciprocite.territories.models import Territory, TerritoryKind

from .models import (
    BudgetLine,
    Partnership,
    PartnershipKind,
    PartnershipParty,
    PartnershipStatus,
    PartnershipTranslation,
    Programme,
    Project,
    ProjectActor,
    ProjectFunding,
    ProjectStatus,
    ProjectTranslation,
    Replication,
    Side,
)
from .taxonomy import BUDGET_BANDS, THEMES, theme_label


@dataclass(frozen=True)
class RegistryFilters:
    q: str = ""
    country: str = ""
    zone: str = ""
    theme: str = ""
    authority_kind: str = ""
    year_from: int | None = None
    year_to: int | None = None
    status: str = ""
    budget_band: str = ""
    kind: str = ""
    partnership: int | None = None

    @classmethod
    def names(cls, *, for_projects: bool) -> tuple[str, ...]:
        names = tuple(f.name for f in fields(cls))
        return names if for_projects else tuple(n for n in names if n != "partnership")

    @classmethod
    def parse(cls, params: Mapping, *, for_projects: bool, strict: bool = False) -> RegistryFilters:
        """Read filters from query parameters; raise FilterError naming the bad parameter.

        ``strict`` (the API) also refuses parameters that are not filters (``page`` and
        ``page_size`` excepted).
        """
        allowed = cls.names(for_projects=for_projects)
        if strict:
            reject_unknown(params, set(allowed) | {"page", "page_size", "format"})

        def get(name: str) -> str:
            value = params.get(name, "")
            return (value if isinstance(value, str) else str(value)).strip()

        values: dict = {}
        q = get("q")
        if len(q) > 200:
            raise FilterError("q", _("at most 200 characters"))
        values["q"] = q
        values.update(cls.checked(get, {n: n for n in PLACE_AND_THEME}))
        # a period ending before it starts is not refused here: it lists nothing
        values.update(year_range(get, ordered=False))
        statuses = ProjectStatus.values if for_projects else PartnershipStatus.values
        if status := get("status"):
            if status not in statuses:
                raise FilterError("status", _("must be one of %s") % ", ".join(statuses))
            values["status"] = status
        if band := get("budget_band"):
            if band not in BUDGET_BANDS:
                raise FilterError("budget_band", _("must be one of %s") % ", ".join(BUDGET_BANDS))
            values["budget_band"] = band
        if kind := get("kind"):
            if kind not in PartnershipKind.values:
                raise FilterError(
                    "kind", _("must be one of %s") % ", ".join(PartnershipKind.values)
                )
            values["kind"] = kind
        if for_projects and (raw := get("partnership")):
            values["partnership"] = parse_id("partnership", raw, _("must be a partnership id"))
        return cls(**values)

    @staticmethod
    def checked(get: Callable[[str], str], names: Mapping[str, str]) -> dict[str, str]:
        """The values of the filters ``names`` given (each a field of ``PLACE_AND_THEME``
        mapped to the parameter that carries it, in the order they are checked), checked by
        the one rule of each; FilterError names the parameter. ``get(param)`` gives a
        parameter's stripped text, "" when absent. What another app's filters share with
        the registry's (the panorama's)."""
        checks = {
            "country": country_filter,
            "zone": zone_filter,
            "theme": theme_filter,
            "authority_kind": authority_kind_filter,
        }
        values = {}
        for name, param in names.items():
            if raw := get(param):
                values[name] = checks[name](param, raw)
        return values

    def as_params(self) -> dict[str, str]:
        return {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) not in ("", None)
        }

    @property
    def active(self) -> bool:
        return bool(self.as_params())


# The filters on places and themes, in the order RegistryFilters.parse checks them.
PLACE_AND_THEME = ("country", "zone", "theme", "authority_kind")


# --- the values of the filters, checked once for every page, API and command using them -------


def country_filter(param: str, raw: str) -> str:
    """An ISO 3166-1 alpha-2 code (upper case); FilterError naming ``param`` otherwise."""
    if not geography.is_country(raw):
        raise FilterError(param, _("%r is not an ISO 3166-1 alpha-2 code") % raw)
    return raw.upper()


def zone_filter(param: str, raw: str) -> str:
    if geography.zone_by_key(raw) is None:
        raise FilterError(param, _("%r is not a known zone") % raw)
    return raw


def theme_filter(param: str, raw: str) -> str:
    if raw not in THEMES:
        raise FilterError(param, _("%r is not a theme of the taxonomy") % raw)
    return raw


def authority_kind_filter(param: str, raw: str) -> str:
    if raw not in TerritoryKind.values:
        raise FilterError(param, _("%r is not a kind of authority") % raw)
    return raw


# --- the one rule of what is public, and the one rule of budget bands -------------------------


def _translated(parent: str, q: str):
    """Ids of the partnerships (or projects) whose translation's title or text holds ``q``."""
    model = PartnershipTranslation if parent == "partnership" else ProjectTranslation
    words = Q(title__icontains=q) | Q(description__icontains=q)
    if model is ProjectTranslation:
        words |= Q(summary__icontains=q)
    return model.objects.filter(words).values(f"{parent}_id")


def translation_for_reader(original, language: str | None = None):
    """The translation of ``original`` into the reader's language (default: the active one),
    or None when the original is in that language or nobody has translated it yet."""
    language = (language or get_language() or "fr")[:2]
    if not original:
        return None
    prefetch_related_objects([original], "translations")  # one query for the whole page
    if original.language == language:
        return None
    return next((t for t in original.translations.all() if t.language == language), None)


def public_q(prefix: str = "") -> Q:
    """Published and not deleted: what anyone, signed in or not, may see of a partnership.
    ``prefix`` reaches the partnership from another model (``"partnership__"``)."""
    return Q(**{f"{prefix}deleted_at__isnull": True, f"{prefix}is_published": True})


def budget_band_q(band: str, field: str) -> Q:
    """``field`` (an amount in euros) is in the band: low bound included, high excluded."""
    _label, low, high = BUDGET_BANDS[band]
    q = Q()
    if low is not None:
        q &= Q(**{f"{field}__gte": low})
    if high is not None:
        q &= Q(**{f"{field}__lt": high})
    return q


def budget_band_case(field: str = "budget_amount", currency_field: str = "budget_currency") -> Case:
    """The band of each row's ``field`` as a SQL expression ("" when none): euros only."""
    return Case(
        *[
            When(Q(**{currency_field: "EUR"}) & budget_band_q(key, field), then=Value(key))
            for key in BUDGET_BANDS
        ],
        default=Value(""),
        output_field=CharField(),
    )


def budget_band_sql(alias: str) -> tuple[str, list]:
    """The same rule as raw SQL on the project row ``alias`` (for set-based rebuilds)."""
    whens, params = [], []
    for key, (_label, low, high) in BUDGET_BANDS.items():
        condition = f"{alias}.budget_currency = 'EUR' AND {alias}.budget_amount IS NOT NULL"
        if low is not None:
            condition += f" AND {alias}.budget_amount >= %s"
            params.append(low)
        if high is not None:
            condition += f" AND {alias}.budget_amount < %s"
            params.append(high)
        whens.append(f"WHEN {condition} THEN %s")
        params.append(key)
    return "CASE " + " ".join(whens) + " ELSE '' END", params


def band_of(amount) -> str | None:
    if amount is None:
        return None
    for key, (_label, low, high) in BUDGET_BANDS.items():
        if (low is None or amount >= low) and (high is None or amount < high):
            return key
    return None


def _party_in(field: str, **lookups) -> Q:
    """``field`` (a partnership id) is among the partnerships having a party that matches.

    An uncorrelated ``IN (subquery)``: both databases evaluate it once, where a correlated
    EXISTS would run once per row of a 100k-project list.
    """
    parties = PartnershipParty.objects.filter(**lookups).values("partnership_id")
    return Q(**{f"{field}__in": parties})


def _visibility(viewer, prefix: str = "") -> Q:
    """What the viewer may see: published and alive records, plus their own as editors.

    ``prefix`` is "partnership__" when filtering projects: a join the databases plan well
    (SQLite walks the title index and stops after one page).
    """
    p = principal_of(viewer)
    alive = Q(**{f"{prefix}deleted_at__isnull": True})
    if p.is_admin or p.is_analyst:
        return alive
    published = Q(**{f"{prefix}is_published": True})
    if p.editor_territory_ids:
        own = _party_in(f"{prefix}id" if prefix else "pk", territory_id__in=p.editor_territory_ids)
        return alive & (published | own)
    return public_q(prefix)


def _visible_partnerships(qs: QuerySet, viewer) -> QuerySet:
    return qs.filter(_visibility(viewer))


def visibility_scope(viewer) -> str:
    """A key naming what the viewer sees, for caches of figures over visible records."""
    p = principal_of(viewer)
    if p.is_admin or p.is_analyst:
        return "all"
    if p.editor_territory_ids:
        return "ed-" + "-".join(str(i) for i in sorted(p.editor_territory_ids))
    return "public"


def _eur_total_subquery(partnership_ref: str = "pk") -> Subquery:
    totals = (
        Project.objects.filter(partnership=OuterRef(partnership_ref), budget_currency="EUR")
        .order_by()
        .values("partnership")
        .annotate(total=Sum("budget_amount"))
        .values("total")
    )
    return Subquery(totals)


# --- partnerships -----------------------------------------------------------------------------


def partnership_list(*, filters: RegistryFilters = RegistryFilters(), viewer=None) -> QuerySet:
    qs = _visible_partnerships(Partnership.objects.all(), viewer)
    f = filters
    if f.q:
        qs = qs.filter(
            Q(title__icontains=f.q)
            | _party_in("pk", territory__name__icontains=f.q)
            | Q(pk__in=_translated("partnership", f.q))
        )
    if f.country:
        qs = qs.filter(_party_in("pk", side=Side.PARTNER, territory__country=f.country))
    if f.zone:
        qs = qs.filter(
            _party_in(
                "pk", side=Side.PARTNER, territory__country__in=geography.countries_in_zone(f.zone)
            )
        )
    if f.authority_kind:
        qs = qs.filter(_party_in("pk", territory__kind=f.authority_kind))
    if f.theme:
        qs = qs.filter(pk__in=Project.objects.filter(themes__code=f.theme).values("partnership_id"))
    if f.year_from:
        qs = qs.filter(start_date__gte=f"{f.year_from:04d}-01-01")
    if f.year_to:
        qs = qs.filter(start_date__lte=f"{f.year_to:04d}-12-31")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    qs = qs.annotate(
        eur_budget=_eur_total_subquery(),
        project_count=Subquery(
            Project.objects.filter(partnership=OuterRef("pk"))
            .order_by()
            .values("partnership")
            .annotate(n=Count("pk"))
            .values("n")
        ),
    )
    if f.budget_band:
        qs = qs.filter(budget_band_q(f.budget_band, "eur_budget"))
    return _with_cached_count(
        qs.prefetch_related(
            Prefetch("parties", queryset=PartnershipParty.objects.select_related("territory"))
        ).order_by("title", "id")
    )


def _facet(counts: Mapping, labels: Mapping | None = None, order: list | None = None) -> list[dict]:
    keys = order if order is not None else sorted(counts, key=lambda k: (-counts[k], str(k)))
    return [
        {
            "value": key,
            "label": str(labels.get(key, key)) if labels else str(key),
            "count": counts[key],
        }
        for key in keys
        if counts.get(key)
    ]


def _party_facets(partnership_counts: Mapping[int, int]) -> dict[str, dict]:
    """Country, zone and authority-kind counts, each partnership counted once per value."""
    country: dict[str, int] = defaultdict(int)
    zone: dict[str, int] = defaultdict(int)
    kind: dict[str, int] = defaultdict(int)
    partnership_kind: dict[str, int] = defaultdict(int)
    seen: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    rows = PartnershipParty.objects.filter(partnership_id__in=list(partnership_counts)).values_list(
        "partnership_id", "side", "territory__country", "territory__kind", "partnership__kind"
    )
    for pid, side, code, tkind, pkind in rows.iterator(chunk_size=5000):
        n = partnership_counts[pid]
        marks = seen[pid]
        if not marks["partnership"]:
            marks["partnership"].add(pid)
            partnership_kind[pkind] += n
        if side == Side.PARTNER:
            if code not in marks["country"]:
                marks["country"].add(code)
                country[code] += n
            z = geography.zone_of(code)
            if z and z.key not in marks["zone"]:
                marks["zone"].add(z.key)
                zone[z.key] += n
        if tkind not in marks["kind"]:
            marks["kind"].add(tkind)
            kind[tkind] += n
    return {"country": country, "zone": zone, "authority_kind": kind, "kind": partnership_kind}


def _decades(year_counts) -> tuple[dict, dict]:
    decades: dict[int, int] = defaultdict(int)
    for year, n in year_counts:
        if year:
            decades[year // 10 * 10] += n
    ordered = sorted(decades)
    return {d: decades[d] for d in ordered}, {d: f"{d}–{d + 9}" for d in ordered}


def _format_facets(raw: dict, statuses, status_labels) -> dict[str, list[dict]]:
    zone_labels = {z.key: z.label() for z in geography.zones()}
    country_labels = {c: geography.country_name(c) for c in raw["country"]}
    decade_counts, decade_labels = _decades(raw["years"])
    return {
        "country": _facet(raw["country"], country_labels),
        "zone": _facet(raw["zone"], zone_labels),
        "theme": _facet(raw["theme"], {code: theme_label(code) for code in THEMES}),
        "authority_kind": _facet(raw["authority_kind"], dict(TerritoryKind.choices)),
        "decade": _facet(decade_counts, decade_labels, order=list(decade_counts)),
        "status": _facet(raw["status"], dict(status_labels), order=list(statuses)),
        "budget_band": _facet(
            raw["budget_band"],
            {k: v[0] for k, v in BUDGET_BANDS.items()},
            order=list(BUDGET_BANDS),
        ),
        "kind": _facet(raw["kind"], dict(PartnershipKind.choices), order=PartnershipKind.values),
    }


def registry_version() -> str:
    """A stamp that changes whenever a record the facets count changes.

    Services save the partnership or project they touch (``updated_at``), soft deletion
    included; parties are counted too since the admin may edit them alone.
    """
    # Table names come from the models' metadata, never from input.
    p, pr, t, pp = (m._meta.db_table for m in (Partnership, Project, Territory, PartnershipParty))
    sql = (
        f"SELECT (SELECT MAX(updated_at) FROM {p}), (SELECT MAX(updated_at) FROM {pr}), "  # noqa: S608
        f"(SELECT MAX(updated_at) FROM {t}), (SELECT MAX(id) FROM {pp}), "
        f"(SELECT COUNT(*) FROM {pp})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        stamps = cursor.fetchone()
    return repr(stamps)


FACET_CACHE_SECONDS = 600


def _cache_key(kind: str, qs: QuerySet) -> str | None:
    """None for a query known to be empty (``x__in=[]``, a ``[0:0]`` slice): nothing to cache."""
    if qs.query.is_empty():
        return None
    try:
        sql = str(qs.query)
    except EmptyResultSet:
        return None
    digest = hashlib.sha256(f"{registry_version()}|{sql}".encode()).hexdigest()
    return f"registry:{kind}:{digest}"


def _cached_counts(kind: str, qs: QuerySet, compute):
    """Facet counts are costly on large lists (a scan of every matching row): they are kept
    in the cache under the exact SQL of the list and the registry's version stamp, so a
    change to the data is seen at once."""
    key = _cache_key(kind, qs)
    if key is None:
        return compute(qs)
    raw = cache.get(key)
    if raw is None:
        raw = compute(qs)
        cache.set(key, raw, FACET_CACHE_SECONDS)
    return raw


class _ListQuerySet(AliveQuerySet):
    """A filtered list whose count and pages are cached like the facets.

    Counting 100k visible projects through the filters, or sorting the 15k that match a
    theme to show twenty, costs 15-40 ms at each request. The count and the ids of a page
    (a slice, as the paginator takes) are kept under the list's SQL and the registry's
    version stamp; the twenty rows themselves are always read fresh, by primary key.
    """

    def count(self) -> int:
        if self._result_cache is not None:
            return len(self._result_cache)
        return _cached_counts("count", self, lambda qs: AliveQuerySet.count(qs))

    def _fetch_all(self) -> None:
        pageable = (
            self._result_cache is None
            and self.query.is_sliced
            and self._iterable_class is ModelIterable
            and not self._fields
        )
        if not pageable:
            return super()._fetch_all()
        key = _cache_key("page", self)
        ids = cache.get(key) if key else None
        if ids is None:  # a first visit: the query as written, then remember its ids
            super()._fetch_all()
            if key:
                cache.set(key, [obj.pk for obj in self._result_cache], FACET_CACHE_SECONDS)
            return None
        fresh = self._chain()
        fresh.query.clear_limits()
        fresh.query.clear_ordering(force=True)
        # The ids were chosen by these very filters under this version of the data: read
        # the rows by primary key alone (the filters' subqueries cost more than the page).
        # Joins kept in the query are single-valued (foreign keys), so no row repeats.
        fresh.query.where = WhereNode()
        fresh = fresh.filter(pk__in=ids)
        rows = {obj.pk: obj for obj in fresh._iterable_class(fresh)}
        self._result_cache = [rows[pk] for pk in ids if pk in rows]
        return super()._fetch_all()  # prefetches


def _with_cached_count(qs: QuerySet) -> QuerySet:
    qs = qs.all()
    qs.__class__ = _ListQuerySet
    return qs


def partnership_facets(qs: QuerySet) -> dict[str, list[dict]]:
    """Facet counts over a filtered partnership list (as returned by partnership_list)."""
    raw = _cached_counts("partnership-facets", qs, _partnership_facet_counts)
    return _format_facets(raw, PartnershipStatus.values, PartnershipStatus.choices)


def _partnership_facet_counts(qs: QuerySet) -> dict:
    base = qs.order_by().values("pk")
    rows = list(
        Partnership.objects.filter(pk__in=base)
        .annotate(year=ExtractYear("start_date"))
        .values_list("pk", "status", "year")
    )
    status: dict = defaultdict(int)
    years: dict = defaultdict(int)
    for _pk, st, year in rows:
        status[st] += 1
        years[year] += 1
    theme = dict(
        Project.themes.through.objects.filter(
            project__partnership_id__in=base, project__deleted_at__isnull=True
        )
        .values("theme_id")
        .annotate(n=Count("project__partnership_id", distinct=True))
        .values_list("theme_id", "n")
    )
    totals = (
        Project.objects.filter(partnership_id__in=base, budget_currency="EUR")
        .order_by()
        .values("partnership_id")
        .annotate(total=Sum("budget_amount"))
        .values_list("total", flat=True)
    )
    bands: dict = defaultdict(int)
    for total in totals:
        if (band := band_of(total)) is not None:
            bands[band] += 1
    raw = _party_facets({pk: 1 for pk, *_rest in rows})
    raw.update(status=status, years=list(years.items()), theme=theme, budget_band=bands)
    return {
        key: dict(value) if isinstance(value, defaultdict) else value for key, value in raw.items()
    }


def _project_prefetches(viewer) -> list:
    """What a project's page shows: themes, publics, co-fundings, actors' roles and the
    replications both ways — only towards projects the viewer may see."""
    alive_replica = Q(replica__deleted_at__isnull=True) & _visibility(
        viewer, prefix="replica__partnership__"
    )
    alive_model = Q(model__deleted_at__isnull=True) & _visibility(
        viewer, prefix="model__partnership__"
    )
    return [
        "themes",
        "publics",
        Prefetch("fundings", queryset=ProjectFunding.objects.select_related("funder")),
        Prefetch("roles", queryset=ProjectActor.objects.select_related("actor__territory")),
        Prefetch(
            "replication_links",
            queryset=Replication.objects.filter(alive_replica).select_related(
                "replica__partnership"
            ),
        ),
        Prefetch(
            "model_links",
            queryset=Replication.objects.filter(alive_model).select_related("model__partnership"),
        ),
    ]


def partnership_detail(*, pk: int, viewer=None) -> Partnership | None:
    """A partnership with everything its page shows, or None when absent or not visible."""
    from .permissions import can_view_partnership

    projects = (
        Project.objects.select_related("programme")
        .prefetch_related(*_project_prefetches(viewer))
        .order_by("start_date", "title")
    )
    programmes = Programme.objects.prefetch_related(
        Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("funder"))
    )
    partnership = (
        Partnership.objects.filter(pk=pk)
        .prefetch_related(
            Prefetch("parties", queryset=PartnershipParty.objects.select_related("territory")),
            Prefetch("projects", queryset=projects),
            Prefetch("programmes", queryset=programmes),
            "documents",
        )
        .first()
    )
    if partnership is None or not can_view_partnership(viewer, partnership):
        return None
    return partnership


# --- projects -----------------------------------------------------------------------------------


def project_list(*, filters: RegistryFilters = RegistryFilters(), viewer=None) -> QuerySet:
    qs = Project.objects.filter(_visibility(viewer, prefix="partnership__"))
    f = filters
    if f.q:
        qs = qs.filter(
            Q(title__icontains=f.q)
            | Q(summary__icontains=f.q)
            | Q(pk__in=_translated("project", f.q))
        )
    if f.country:
        qs = qs.filter(_party_in("partnership_id", side=Side.PARTNER, territory__country=f.country))
    if f.zone:
        qs = qs.filter(
            _party_in(
                "partnership_id",
                side=Side.PARTNER,
                territory__country__in=geography.countries_in_zone(f.zone),
            )
        )
    if f.authority_kind:
        qs = qs.filter(_party_in("partnership_id", territory__kind=f.authority_kind))
    if f.theme:
        qs = qs.filter(
            pk__in=Project.themes.through.objects.filter(theme_id=f.theme).values("project_id")
        )
    if f.year_from:
        qs = qs.filter(start_date__gte=f"{f.year_from:04d}-01-01")
    if f.year_to:
        qs = qs.filter(start_date__lte=f"{f.year_to:04d}-12-31")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.budget_band:
        qs = qs.filter(Q(budget_currency="EUR") & budget_band_q(f.budget_band, "budget_amount"))
    if f.kind:
        qs = qs.filter(partnership__kind=f.kind)
    if f.partnership:
        qs = qs.filter(partnership_id=f.partnership)
    return _with_cached_count(
        qs.select_related("partnership").prefetch_related("themes").order_by("title", "id")
    )


def project_facets(qs: QuerySet) -> dict[str, list[dict]]:
    """Facet counts over a filtered project list (as returned by project_list)."""
    raw = _cached_counts("project-facets", qs, _project_facet_counts)
    return _format_facets(raw, ProjectStatus.values, ProjectStatus.choices)


def _project_facet_counts(qs: QuerySet) -> dict:
    """Three queries whatever the filters: one grouped scan of the projects (partnership,
    status, start year, budget band), one of their themes, one of the parties."""
    base = qs.order_by().values("pk")
    grouped = (
        Project.objects.filter(pk__in=base)
        .order_by()
        .annotate(year=ExtractYear("start_date"), band=budget_band_case("budget_amount"))
        .values_list("partnership_id", "status", "year", "band")
        .annotate(n=Count("pk"))
    )
    per_partnership: dict[int, int] = defaultdict(int)
    status: dict = defaultdict(int)
    years: dict = defaultdict(int)
    bands: dict = defaultdict(int)
    for pid, st, year, band, n in grouped:
        per_partnership[pid] += n
        status[st] += n
        years[year] += n
        if band:
            bands[band] += n
    theme = dict(
        Project.themes.through.objects.filter(project_id__in=base)
        .values("theme_id")
        .annotate(n=Count("pk"))
        .values_list("theme_id", "n")
    )
    raw = _party_facets(per_partnership)
    raw.update(status=status, years=list(years.items()), theme=theme, budget_band=bands)
    return {
        key: dict(value) if isinstance(value, defaultdict) else value for key, value in raw.items()
    }


def project_detail(*, pk: int, viewer=None) -> Project | None:
    from .permissions import can_view_project

    project = (
        Project.objects.filter(pk=pk)
        .select_related("partnership", "programme")
        .prefetch_related(
            *_project_prefetches(viewer),
            Prefetch(
                "partnership__parties",
                queryset=PartnershipParty.objects.select_related("territory"),
            ),
        )
        .first()
    )
    if project is None or project.partnership.is_deleted or not can_view_project(viewer, project):
        return None
    return project


# --- figures and history --------------------------------------------------------------------


def registry_key_figures(*, viewer=None) -> dict[str, int]:
    partnerships = partnership_list(viewer=viewer)
    base = partnerships.order_by().values("pk")
    countries = (
        PartnershipParty.objects.filter(partnership_id__in=base, side=Side.PARTNER)
        .values("territory__country")
        .distinct()
        .count()
    )
    territories = (
        PartnershipParty.objects.filter(partnership_id__in=base)
        .values("territory_id")
        .distinct()
        .count()
    )
    return {
        "partnerships": Partnership.objects.filter(pk__in=base).count(),
        "projects": Project.objects.filter(partnership_id__in=base).count(),
        "countries": countries,
        "territories": territories,
        "replications": Replication.objects.filter(
            model__partnership_id__in=base,
            model__deleted_at__isnull=True,
            replica__deleted_at__isnull=True,
        ).count(),
    }


def _changes(record) -> list[str]:
    previous = record.prev_record
    if record.history_type != "~" or previous is None:
        return []
    delta = record.diff_against(previous)
    return [change.field for change in delta.changes]


def partnership_history(*, partnership: Partnership, limit: int = 200) -> list[dict]:
    """Who changed what and when, on the partnership and everything under it, newest first."""
    project_ids = list(
        Project.all_objects.filter(partnership=partnership).values_list("pk", flat=True)
    )
    programme_ids = list(
        Programme.all_objects.filter(partnership=partnership).values_list("pk", flat=True)
    )
    sources = [
        (Partnership.history.filter(id=partnership.pk), "partnership", _("Partnership")),
        (PartnershipParty.history.filter(partnership_id=partnership.pk), "party", _("Territory")),
        (Programme.history.filter(id__in=programme_ids), "programme", _("Programme")),
        (
            BudgetLine.history.filter(programme_id__in=programme_ids),
            "budget_line",
            _("Budget line"),
        ),
        (Project.history.filter(id__in=project_ids), "project", _("Project")),
        (ProjectFunding.history.filter(project_id__in=project_ids), "funding", _("Co-funding")),
        (ProjectActor.history.filter(project_id__in=project_ids), "actor_role", _("Actor's role")),
        (Replication.history.filter(model_id__in=project_ids), "replication", _("Replication")),
    ]
    actions = {"+": "created", "~": "changed", "-": "removed"}
    action_labels = {"created": _("created"), "changed": _("changed"), "removed": _("removed")}
    entries = []
    for history, model, label in sources:
        for record in history.select_related("history_user").order_by("-history_date")[:limit]:
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "model": model,
                    "what": label,
                    "object": str(record.instance) if hasattr(record, "instance") else "",
                    "action": actions[record.history_type],
                    "action_label": action_labels[actions[record.history_type]],
                    "fields": _changes(record),
                    "deleted": getattr(record, "deleted_at", None) is not None,
                }
            )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:limit]
