"""Pages: the public panorama (/panorama/) and the downloads of its charts and maps.

Everyone may see them (``permissions.can_view_panorama``). The page reads the filters of
``selectors.PanoramaFilters`` and ``campaign`` from the query string; a bad one gives the
page with a message naming it, status 400. An htmx request gets the results alone (the
filter form stays). Each chart and map downloads as SVG (``charts/<key>.svg``) and its data
as CSV (``charts/<key>.csv``) with the same filters; the page's script adds a PNG download.
"""

from __future__ import annotations

import io

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from reciprocite.core.filters import FilterError
from reciprocite.core.http import is_partial, vary_on_htmx
from reciprocite.interop.tabular import write_csv
from reciprocite.registry.taxonomy import THEMES, theme_label
from reciprocite.territories import geography
from reciprocite.territories.models import TerritoryKind

from . import geodata, permissions, selectors
from .charts import bar_chart_svg, histogram_svg
from .maps import world_map_svg

# key → how it is drawn; the order of the page
REGISTRY_CHARTS = ("theme", "authority_kind", "start_year", "budget", "cofunding")
SURVEY_CHARTS = (
    "services",
    "external_partners",
    "added_values",
    "difficulties",
    "survey_themes",
    "survey_cofunding",
    "survey_zones",
)
HISTOGRAMS = {"start_year", "budget"}
MAPS = ("countries", "zones", "replications")
MAP_TITLES = {
    "countries": gettext_lazy("Partnerships by partner country"),
    "zones": gettext_lazy("Partnerships by partner zone"),
    "replications": gettext_lazy("Replications: from a model project to its replicas"),
}


def _read(request):
    """(filters, campaign) of the query string; FilterError names a bad parameter."""
    if not permissions.can_view_panorama(request.user):
        raise PermissionDenied
    filters = selectors.PanoramaFilters.parse(request.GET)
    campaign = selectors.campaign_by_id(request.GET.get("campaign", "").strip())
    if campaign is not None and not permissions.can_choose_campaign(request.user, campaign):
        raise FilterError("campaign", _("this campaign's figures are not public"))
    return filters, campaign


def _message(exc: FilterError) -> str:
    message = str(exc)
    prefix = f"{exc.param}: "
    if message.startswith(prefix):
        message = message[len(prefix) :]
    return _("The filter “%(param)s” is not valid: %(message)s.") % {
        "param": exc.param,
        "message": message,
    }


def _query(filters, campaign) -> str:
    from urllib.parse import urlencode

    params = filters.as_params()
    if campaign is not None:
        params["campaign"] = str(campaign.pk)
    return urlencode(params)


def chart_svg_of(p: selectors.Panorama, key: str) -> str:
    series = p.series[key]
    return histogram_svg(series) if key in HISTOGRAMS else bar_chart_svg(series)


def map_svg_of(p: selectors.Panorama, key: str) -> str:
    if key == "countries":
        return world_map_svg(p.countries, points=p.points, title=str(MAP_TITLES[key]))
    if key == "zones":
        return world_map_svg(p.zones, zones=True, title=str(MAP_TITLES[key]))
    if key == "replications":
        return world_map_svg({}, lines=p.replications, title=str(MAP_TITLES[key]))
    raise KeyError(key)


def _drawings(p: selectors.Panorama, campaign, version: str) -> dict[str, str]:
    """Every SVG of the page, kept in the cache beside the panorama (the maps cost most)."""
    key = selectors.cache_key("svg", p.filters, campaign, f"{version}|{geodata.data_version()}")
    found = cache.get(key)
    if found is None:
        found = {f"chart:{k}": chart_svg_of(p, k) for k in p.series}
        found.update({f"map:{k}": map_svg_of(p, k) for k in MAPS})
        cache.set(key, found, selectors.CACHE_SECONDS)
    return found


def _figures(p, keys, drawings, query) -> list[dict]:
    out = []
    for key in keys:
        series = p.series.get(key)
        if series is None:
            continue
        out.append(
            {
                "key": key,
                "series": series,
                "svg": mark_safe(drawings[f"chart:{key}"]),  # noqa: S308 - escaped by charts.py
                "with_value": series.unit == "EUR",
                "query": query,
            }
        )
    return out


def _options(countries: list[str], filters, campaign) -> dict:
    countries = sorted(
        set(countries) | ({filters.country} if filters.country else set()),
        key=lambda c: geography.country_name(c),
    )
    return {
        "zones": [(z.key, z.label()) for z in sorted(geography.zones(), key=lambda z: z.label())],
        "countries": [(c, geography.country_name(c)) for c in countries],
        "themes": sorted(((c, theme_label(c)) for c in THEMES), key=lambda t: t[1]),
        "kinds": list(TerritoryKind.choices),
        "campaigns": selectors.campaigns(),
        "campaign": campaign,
    }


@require_GET
def dashboard(request):
    """The panorama page: key figures, maps, charts with their tables, filters."""
    partial = is_partial(request)
    error = None
    try:
        filters, campaign = _read(request)
    except FilterError as exc:
        error = _message(exc)
        filters, campaign = selectors.PanoramaFilters(), None
    context = {
        "filters": filters,
        "filter_error": error,
    }
    version = selectors.data_version(campaign)
    if error is None:
        p = selectors.panorama(filters, campaign=campaign, version=version)
        drawings = _drawings(p, campaign, version)
        query = _query(filters, campaign)
        context.update(
            panorama=p,
            query=query,
            registry_figures=_figures(p, REGISTRY_CHARTS, drawings, query),
            survey_figures=_figures(p, SURVEY_CHARTS, drawings, query),
            maps={k: mark_safe(drawings[f"map:{k}"]) for k in MAPS},  # noqa: S308
            country_rows=_country_rows(p),
            zone_rows=[
                {"label": i.label, "count": i.count, "projects": p.zone_projects.get(i.code, 0)}
                for i in p.series["zones"].items
            ],
        )
    if partial:
        template = "panorama/_results.html"  # the form stays as it is
    else:
        template = "panorama/dashboard.html"
        # every partner country of the registry, whatever the filters
        context["options"] = _options(selectors.partner_countries(version), filters, campaign)
    response = render(request, template, context, status=400 if error else 200)
    return vary_on_htmx(response)


def _country_rows(p) -> list[dict]:
    rows = []
    for item in p.series["countries"].items:
        zone = geography.zone_of(item.code)
        rows.append(
            {
                "code": item.code,
                "label": item.label,
                "zone": zone.label() if zone else "",
                "count": item.count,
                "projects": p.country_projects.get(item.code, 0),
            }
        )
    return rows


# --- downloads ---------------------------------------------------------------------------------


def _download(request):
    try:
        filters, campaign = _read(request)
    except FilterError as exc:
        return None, None, HttpResponse(_message(exc), status=400, content_type="text/plain")
    return selectors.panorama(filters, campaign=campaign), campaign, None


def _filename(key: str, p, extension: str) -> str:
    suffix = "-".join(v for v in p.filters.as_params().values())
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in f"{key}-{suffix}".strip("-"))
    return f"panorama-{safe}.{extension}"


def _svg_response(svg: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _csv_response(header: list[str], rows: list[list], filename: str) -> HttpResponse:
    """The rows as CSV (UTF-8 with a BOM, formulas escaped: ``interop.tabular.write_csv``);
    numbers as Python writes them, None as an empty cell."""
    out = io.StringIO()
    write_csv(
        header,
        (
            {c: "" if v is None else str(v) for c, v in zip(header, row, strict=True)}
            for row in rows
        ),
        out,
        bom=True,
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def chart_svg(request, key: str):
    p, _campaign, error = _download(request)
    if error:
        return error
    if key not in p.series:
        raise Http404
    return _svg_response(chart_svg_of(p, key), _filename(key, p, "svg"))


@require_GET
def chart_csv(request, key: str):
    p, _campaign, error = _download(request)
    if error:
        return error
    series = p.series.get(key)
    if series is None:
        raise Http404
    header = ["code", "label", "count"]
    if series.unit == "EUR":
        header.append("amount_eur")
    rows = [
        [i.code, i.label, i.count, *([i.value] if series.unit == "EUR" else [])]
        for i in series.items
    ]
    return _csv_response(header, rows, _filename(key, p, "csv"))


@require_GET
def map_svg(request, key: str):
    p, _campaign, error = _download(request)
    if error:
        return error
    if key not in MAPS:
        raise Http404
    return _svg_response(map_svg_of(p, key), _filename(f"map-{key}", p, "svg"))


@require_GET
def map_csv(request, key: str):
    p, _campaign, error = _download(request)
    if error:
        return error
    if key == "countries":
        header = ["code", "country", "zone", "partnerships", "projects"]
        rows = [
            [r["code"], r["label"], r["zone"], r["count"], r["projects"]] for r in _country_rows(p)
        ]
    elif key == "zones":
        header = ["zone", "label", "partnerships", "projects"]
        rows = [
            [i.code, i.label, i.count, p.zone_projects.get(i.code, 0)]
            for i in p.series["zones"].items
        ]
    elif key == "replications":
        header = ["model", "model_place", "replica", "replica_place"]
        rows = [
            [r["model"], r["model_place"], r["replica"], r["replica_place"]]
            for r in p.replication_rows
        ]
    else:
        raise Http404
    return _csv_response(header, rows, _filename(f"map-{key}", p, "csv"))
