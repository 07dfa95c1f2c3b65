"""API: the panorama's figures as JSON (GET /api/v1/panorama), public like the page.

The same filters as the page (``selectors.PanoramaFilters`` and ``campaign``); an unknown
parameter or a bad value is a 400 naming it. Labels follow Accept-Language.
"""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from ninja import Router

from reciprocite.core.api import ERRORS_ANY, ApiError, ErrorOut
from reciprocite.core.filters import FilterError

from . import permissions, selectors

router = Router(tags=["panorama"])


def panorama_document(p: selectors.Panorama) -> dict:
    """The panorama as plain JSON data."""
    return {
        "filters": p.filters.as_params(),
        "sentences": p.sentences,
        "key_figures": p.key_figures,
        "countries": p.countries,
        "zones": p.zones,
        "series": {
            key: {
                "title": s.title,
                "unit": s.unit,
                "items": [asdict(i) for i in s.items],
            }
            for key, s in p.series.items()
        },
        "points": [
            {"latitude": lat, "longitude": lon, "label": label, "partnerships": n}
            for lat, lon, label, n in p.points
        ],
        "points_truncated": p.points_truncated,
        "replications": p.replication_rows,
        "survey": p.survey,
    }


@router.get(
    "/panorama",
    response={200: dict, 400: ErrorOut, 403: ErrorOut, **ERRORS_ANY},
    summary="The panorama's figures (public)",
)
def panorama(request):
    """Key figures, counts by country and zone, the charts' series, partner territories,
    replications and the survey's figures (see docs/panorama.md)."""
    if not permissions.can_view_panorama(request.user):
        raise ApiError(403, _("You may not see the panorama."))
    filters = selectors.PanoramaFilters.parse(request.GET)
    campaign = selectors.campaign_by_id(request.GET.get("campaign", "").strip())
    if campaign is not None and not permissions.can_choose_campaign(request.user, campaign):
        raise FilterError("campaign", _("this campaign's figures are not public"))
    return panorama_document(selectors.panorama(filters, campaign=campaign))
