"""Writes for territories."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from .models import Territory

EDITABLE_FIELDS = (
    "name",
    "kind",
    "country",
    "subdivision",
    "official_code",
    "latitude",
    "longitude",
    "population",
    "languages",
    "is_fictitious",
)


def _normalise(fields: dict) -> dict:
    """Coordinates given as floats or strings become decimals of 6 places (about 10 cm)."""
    for key in ("latitude", "longitude"):
        value = fields.get(key)
        if value is not None and value != "":
            try:
                fields[key] = Decimal(str(value)).quantize(Decimal("0.000001"))
            except (InvalidOperation, ValueError):
                pass  # left as is: full_clean() names the field
    return fields


def _with_author(instance, actor):
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor
    return instance


def territory_create(*, actor=None, **fields) -> Territory:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown territory fields: {', '.join(sorted(unknown))}")
    territory = Territory(**_normalise(fields))
    territory.full_clean()
    _with_author(territory, actor).save()
    return territory


def territory_update(*, actor=None, territory: Territory, **fields) -> Territory:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown territory fields: {', '.join(sorted(unknown))}")
    for key, value in _normalise(fields).items():
        setattr(territory, key, value)
    territory.full_clean()
    _with_author(territory, actor).save()
    return territory


class AmbiguousTerritory(ValueError):
    """Outside data may designate one of several territories: a person has to choose."""

    def __init__(self, resolution):
        self.resolution = resolution
        super().__init__("the territory is ambiguous: a person has to choose")


@transaction.atomic
def territory_get_or_create(
    *, actor=None, name: str, country: str, kind: str, official_code: str = "", **fields
) -> tuple[Territory, bool]:
    """Reuse the territory that ``resolve.territory_resolve()`` finds for certain, else create
    one; raises ``AmbiguousTerritory`` when it cannot tell (nothing is created)."""
    from .resolve import territory_resolve

    resolution = territory_resolve(
        country=country, kind=kind, code=official_code, name=name.strip()
    )
    if not resolution.certain:
        raise AmbiguousTerritory(resolution)
    if resolution.match is not None:
        return resolution.match, False
    return (
        territory_create(
            actor=actor,
            name=name.strip(),
            country=country.upper(),
            kind=kind,
            official_code=official_code,
            **fields,
        ),
        True,
    )
