"""Writes for territories."""

from __future__ import annotations

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


def _with_author(instance, actor):
    if actor is not None and getattr(actor, "pk", None):
        instance._history_user = actor
    return instance


def territory_create(*, actor=None, **fields) -> Territory:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown territory fields: {', '.join(sorted(unknown))}")
    territory = Territory(**fields)
    territory.full_clean()
    _with_author(territory, actor).save()
    return territory


def territory_update(*, actor=None, territory: Territory, **fields) -> Territory:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown territory fields: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        setattr(territory, key, value)
    territory.full_clean()
    _with_author(territory, actor).save()
    return territory


@transaction.atomic
def territory_get_or_create(
    *, actor=None, name: str, country: str, kind: str, official_code: str = "", **fields
) -> tuple[Territory, bool]:
    """Reuse a territory by official code (when given) or by country, kind and exact name."""
    country = country.upper()
    qs = Territory.objects.filter(country=country)
    existing = None
    if official_code:
        existing = qs.filter(official_code=official_code.strip().upper()).first()
    if existing is None:
        existing = qs.filter(name__iexact=name.strip(), kind=kind).first()
    if existing is not None:
        return existing, False
    return (
        territory_create(
            actor=actor,
            name=name.strip(),
            country=country,
            kind=kind,
            official_code=official_code,
            **fields,
        ),
        True,
    )
