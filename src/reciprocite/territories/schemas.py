"""API representations of territories and zones (input bodies and output objects)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import ConfigDict

from reciprocite.core.api import Text, api_url, page_url

from . import geography
from .models import Territory, TerritoryKind

# --- output ---------------------------------------------------------------------------------


class TerritoryRef(Schema):
    id: int
    url: str = Field(..., description="This territory in the API.")
    html_url: str = Field(..., description="Its page on the site.")
    name: str
    kind: str
    country: str = Field(..., description="ISO 3166-1 alpha-2 code.")


class TerritoryOut(TerritoryRef):
    kind_label: str
    country_name: str = Field(..., description="In the language of the request.")
    zone: str | None = Field(..., description="Study zone key (see /zones).")
    subdivision: str = Field(..., description="ISO 3166-2 code, or empty.")
    subdivision_name: str = Field(..., description="In the language of the request, or empty.")
    official_code: str = Field(..., description="INSEE code or SIREN for French authorities.")
    latitude: float | None
    longitude: float | None
    population: int | None
    languages: list[str] = Field(..., description="ISO 639-1 codes.")
    is_fictitious: bool
    created_at: datetime
    updated_at: datetime


class CountryOut(Schema):
    code: str
    name: str = Field(..., description="In the language of the request.")
    name_fr: str
    name_en: str


class ZoneOut(Schema):
    key: str = Field(..., description="The key used by the zone filter (the English name).")
    name: str = Field(..., description="In the language of the request.")
    name_fr: str
    name_en: str
    countries: list[CountryOut]


def territory_ref(request: HttpRequest, t: Territory) -> dict:
    return {
        "id": t.pk,
        "url": api_url(request, "territory_detail", id=t.pk),
        "html_url": page_url(
            request, "territories:territory_detail", t.pk, f"/territories/{t.pk}/"
        ),
        "name": t.name,
        "kind": t.kind,
        "country": t.country,
    }


_KIND_LABELS = dict(TerritoryKind.choices)


def territory_out(request: HttpRequest, t: Territory) -> dict:
    zone = geography.zone_of(t.country)
    return territory_ref(request, t) | {
        "kind_label": str(_KIND_LABELS.get(t.kind, t.kind)),
        "country_name": geography.country_name(t.country),
        "zone": zone.key if zone else None,
        "subdivision": t.subdivision,
        "subdivision_name": geography.subdivision_name(t.subdivision) if t.subdivision else "",
        "official_code": t.official_code,
        "latitude": float(t.latitude) if t.latitude is not None else None,
        "longitude": float(t.longitude) if t.longitude is not None else None,
        "population": t.population,
        "languages": list(t.languages or []),
        "is_fictitious": t.is_fictitious,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
    }


def zone_out(zone: geography.Zone) -> dict:
    return {
        "key": zone.key,
        "name": zone.label(),
        "name_fr": zone.name_fr,
        "name_en": zone.key,
        "countries": [
            {
                "code": code,
                "name": geography.country_name(code),
                "name_fr": geography.country_name(code, "fr"),
                "name_en": geography.country_name(code, "en"),
            }
            for code in geography.countries_in_zone(zone.key)
        ],
    }


# --- input ----------------------------------------------------------------------------------

_FORBID = ConfigDict(extra="forbid")


class TerritoryIn(Schema):
    model_config = _FORBID

    name: Text = Field(..., min_length=1, max_length=200)
    kind: Text = Field(..., max_length=32, json_schema_extra={"enum": TerritoryKind.values})
    country: Text = Field(..., max_length=2, description="ISO 3166-1 alpha-2 code.")
    subdivision: Text = Field("", max_length=10, description="ISO 3166-2 code.")
    official_code: Text = Field("", max_length=32)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    population: int | None = Field(None, ge=0, le=2_147_483_647)
    languages: list[Text] = Field(default_factory=list, max_length=50)
    is_fictitious: bool = False


class TerritoryPatch(Schema):
    """Only the fields given change; ``null`` only for the fields that may be empty
    (latitude, longitude, population)."""

    model_config = _FORBID

    name: Text = Field(None, min_length=1, max_length=200)
    kind: Text = Field(None, max_length=32, json_schema_extra={"enum": TerritoryKind.values})
    country: Text = Field(None, max_length=2)
    subdivision: Text = Field(None, max_length=10)
    official_code: Text = Field(None, max_length=32)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    population: int | None = Field(None, ge=0, le=2_147_483_647)
    languages: list[Text] = Field(None, max_length=50)
    is_fictitious: bool = None
