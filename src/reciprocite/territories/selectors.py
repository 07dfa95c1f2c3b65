"""Reads for territories."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from reciprocite.core.filters import FilterError

from . import geography
from .models import Territory

TERRITORY_FILTERS = ("q", "country", "zone", "kind")


def territory_list(*, filters: dict | None = None) -> QuerySet[Territory]:
    filters = filters or {}
    qs = Territory.objects.all()
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q[:200]) | Q(official_code__iexact=q[:32]))
    if country := filters.get("country"):
        if not geography.is_country(country):
            raise FilterError("country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
        qs = qs.filter(country=country.upper())
    if zone := filters.get("zone"):
        if geography.zone_by_key(zone) is None:
            raise FilterError("zone", f"{zone!r} is not a known zone")
        qs = qs.filter(country__in=geography.countries_in_zone(zone))
    if kind := filters.get("kind"):
        from .models import TerritoryKind

        if kind not in TerritoryKind.values:
            raise FilterError("kind", f"{kind!r} is not one of {', '.join(TerritoryKind.values)}")
        qs = qs.filter(kind=kind)
    return qs.order_by("name", "id")
