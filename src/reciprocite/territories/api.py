"""API for territories (/territories) and world zones (/zones). Thin: selectors, services and
permission predicates do the work."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Path as PathParam
from ninja import Query, Router, Schema, Status

from reciprocite.accounts.authentication import bearer, optional_membership
from reciprocite.core.api import (
    COUNTRY_CODE,
    ERRORS_ANY,
    ERRORS_READ,
    ERRORS_WRITE,
    MAX_ID,
    OPTIONAL_BEARER,
    PageOut,
    PageParams,
    check_query_params,
    choice,
    forbidden,
    not_found,
    paginate,
)
from reciprocite.core.filters import reject_unknown

from . import geography, permissions, selectors, services
from .models import Territory, TerritoryKind
from .schemas import (
    TerritoryIn,
    TerritoryOut,
    TerritoryPatch,
    ZoneOut,
    territory_out,
    zone_out,
)

router = Router(tags=["territories"])

TerritoryId = PathParam(..., ge=1, le=MAX_ID, description="Territory id.")


class TerritoryPageOut(PageOut):
    results: list[TerritoryOut]


class TerritoryQuery(Schema):
    """The filters of /territories, checked by ``selectors.territory_list`` (400 naming one)."""

    q: str | None = Query(None, description="Words of the name, or an exact official code.")
    country: COUNTRY_CODE = Query(None, description="ISO 3166-1 alpha-2 code.")
    zone: choice(z.key for z in geography.zones()) = Query(
        None, description="Study zone key (see /zones)."
    )
    kind: choice(TerritoryKind.values) = Query(None, description="Kind of authority.")


def _get(territory_id: int, membership=None) -> Territory:
    territory = Territory.objects.filter(pk=territory_id).first()
    if territory is None or not permissions.can_view_territory(membership, territory):
        raise not_found("territory", territory_id)
    return territory


@router.get(
    "/territories",
    response={200: TerritoryPageOut, **ERRORS_READ},
    url_name="territory_list",
    summary="List territories",
    openapi_extra=OPTIONAL_BEARER,
)
def territory_list(request, filters: Query[TerritoryQuery], paging: Query[PageParams]):
    """Territories (local authorities), by name; public reference data."""
    optional_membership(request)
    check_query_params(request)
    reject_unknown(request.GET, {*selectors.TERRITORY_FILTERS, "page", "page_size"})
    qs = selectors.territory_list(filters=request.GET)
    return paginate(
        request,
        qs,
        page=paging.page,
        page_size=paging.page_size,
        serialize=lambda t: territory_out(request, t),
    )


@router.get(
    "/territories/{id}",
    response={200: TerritoryOut, **ERRORS_READ},
    url_name="territory_detail",
    summary="One territory",
    openapi_extra=OPTIONAL_BEARER,
)
def territory_detail(request, id: int = TerritoryId):
    return territory_out(request, _get(id, optional_membership(request)))


@router.post(
    "/territories",
    response={201: TerritoryOut, **ERRORS_WRITE},
    auth=bearer,
    url_name="territory_create",
    summary="Create a territory",
)
def territory_create(request, body: TerritoryIn):
    """Any editor, analyst or administrator token may add a territory."""
    membership = request.auth
    if not permissions.can_create_territory(membership):
        raise forbidden(
            _(
                "This token may not create territories "
                "(it acts with the role of its membership only)."
            )
        )
    with transaction.atomic():
        territory = services.territory_create(actor=membership.user, **body.dict())
    return Status(201, territory_out(request, territory))


@router.patch(
    "/territories/{id}",
    response={200: TerritoryOut, **ERRORS_WRITE},
    auth=bearer,
    url_name="territory_update",
    summary="Change a territory",
)
def territory_update(request, body: TerritoryPatch, id: int = TerritoryId):
    """Analysts, administrators and the editors of that territory's authority."""
    membership = request.auth
    territory = _get(id, membership)
    if not permissions.can_edit_territory(membership, territory):
        raise forbidden(
            _(
                "This token may not edit this territory "
                "(it acts with the role of its membership only)."
            )
        )
    fields = body.dict(exclude_unset=True)
    with transaction.atomic():
        services.territory_update(actor=membership.user, territory=territory, **fields)
    return territory_out(request, territory)


@router.get(
    "/zones",
    response={200: list[ZoneOut], **ERRORS_ANY},
    url_name="zone_list",
    summary="World zones",
)
def zone_list(request):
    """The study's zones (UN M49 sub-regions, with the Maghreb as one zone) and their
    countries; a zone's ``key`` is the value of the ``zone`` filter."""
    return [zone_out(zone) for zone in geography.zones()]
