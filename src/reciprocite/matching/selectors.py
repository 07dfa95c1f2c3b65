"""Reads of the matching app: records, their profiles for the engine, ranked matches."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from reciprocite.registry.taxonomy import public_label, theme_label
from reciprocite.territories.geography import country_name

from .engine import Engine, Match, Ties
from .engine.embedding import unpack
from .engine.features import Profile, language_centers
from .models import Expertise, Innovation, LearningInterest, MatchRecord, Need

# query kind → the kind of the records it is matched with
OPPOSITE = {
    "need": "expertise",
    "expertise": "need",
    "interest": "innovation",
    "innovation": "interest",
}
MODELS: dict[str, type[MatchRecord]] = {
    "expertise": Expertise,
    "need": Need,
    "innovation": Innovation,
    "interest": LearningInterest,
}


def profile_of(record: MatchRecord) -> Profile:
    kind = record.kind
    languages = {record.lang}
    if isinstance(record, Expertise):
        languages.update(record.staff_languages or [])
    return Profile(
        kind=str(kind),
        ref=record.ref,
        title=record.title,
        lang=record.lang,
        text=record.matching_text(),
        themes=frozenset(record.themes or ()),
        publics=frozenset(record.publics or ()),
        service_kind=getattr(record, "service_kind", "") or "",
        languages=frozenset(languages),
        country=getattr(record, "country", "") or "FR",
        authority_id=record.authority_id,
        terms=tuple((record.terms or "").split()),
        query_terms=tuple((record.query_terms or "").split()),
        passages=list(record.passages or []),
        vectors=unpack(record.vectors),
    )


def record_get(kind: str, ref: str, *, published_only: bool = True) -> MatchRecord | None:
    model = MODELS.get(kind)
    if model is None:
        return None
    qs = model.objects.filter(ref=ref)
    if published_only:
        qs = qs.filter(published=True)
    return qs.first()


def record_list(kind: str, *, published_only: bool = True) -> QuerySet[MatchRecord]:
    qs = MODELS[kind].objects.select_related("authority")
    return qs.filter(published=True) if published_only else qs


# --- engines, one per kind of candidates, rebuilt when the records change --------------

_engines: dict[tuple[str, bool], tuple[tuple[Any, ...], Engine]] = {}
_engines_lock = threading.Lock()


def _fingerprint(kind: str, published_only: bool) -> tuple[Any, ...]:
    agg = record_list(kind, published_only=published_only).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    return (agg["n"], agg["last"])


def engine_for(kind: str, *, published_only: bool = True) -> Engine:
    """The engine over the records of `kind` (published ones by default), kept in the
    process until one of them changes (count and last update as the fingerprint)."""
    key = (kind, published_only)
    fingerprint = _fingerprint(kind, published_only)
    cached = _engines.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _engines_lock:
        records = record_list(kind, published_only=published_only)
        engine = Engine((profile_of(r) for r in records), centers=centers())
        _engines[key] = (fingerprint, engine)
    return engine


_centers: tuple[tuple[Any, ...], dict[str, np.ndarray]] | None = None


def centers() -> dict[str, np.ndarray]:
    """Each language's mean passage vector over every stored record (features.
    language_centers), kept until a record changes."""
    global _centers
    fingerprint = tuple(_fingerprint(kind, published_only=False) for kind in sorted(MODELS))
    if _centers is None or _centers[0] != fingerprint:
        profiles = (
            Profile(kind=kind, ref=ref, title="", lang=lang, vectors=unpack(vectors))
            for kind, model in MODELS.items()
            for ref, lang, vectors in model.objects.values_list("ref", "lang", "vectors")
        )
        _centers = (fingerprint, language_centers(profiles))
    return _centers[1]


def ties_for(record: MatchRecord) -> Ties:
    """The registry's ties of the record's authority: the authorities in a partnership with
    it, and those that cooperated in its country, with their projects' themes."""
    from reciprocite.registry.models import PartnershipParty, Project

    authority = record.authority_id
    partnerships = PartnershipParty.objects.filter(territory_id=authority).values("partnership_id")
    partners = frozenset(
        PartnershipParty.objects.filter(partnership_id__in=partnerships)
        .exclude(territory_id=authority)
        .values_list("territory_id", flat=True)
    )
    country = getattr(record, "country", "") or record.authority.country
    cooperation: dict[int, set[str]] = {}
    in_country = PartnershipParty.objects.filter(territory__country=country).values(
        "partnership_id"
    )
    projects = Project.objects.filter(partnership_id__in=in_country).values_list(
        "partnership_id", "themes__code"
    )
    themes_of: dict[int, set[str]] = {}
    for partnership_id, code in projects:
        if code:
            themes_of.setdefault(partnership_id, set()).add(code)
    if themes_of:
        for partnership_id, territory_id in PartnershipParty.objects.filter(
            partnership_id__in=list(themes_of)
        ).values_list("partnership_id", "territory_id"):
            cooperation.setdefault(territory_id, set()).update(themes_of[partnership_id])
    return Ties(
        partners=partners,
        cooperation={k: frozenset(v) for k, v in cooperation.items()},
    )


@dataclass(frozen=True)
class Ranked:
    query: MatchRecord
    matches: list[Match]
    supported: bool


def matches_for(
    record: MatchRecord, *, limit: int = 10, mode: str = "full", published_only: bool = True
) -> Ranked:
    """The records of the opposite kind that answer `record`, best first, with reasons."""
    engine = engine_for(OPPOSITE[str(record.kind)], published_only=published_only)
    profile = profile_of(record)
    ranked = engine.rank(profile, limit=limit, mode=mode, ties=ties_for(record))
    return Ranked(record, ranked, profile.supported)


# --- reasons as sentences ------------------------------------------------------------------


def describe(reason: dict[str, Any]) -> str:
    """One reason as a sentence in the active language."""
    code = reason.get("code")
    values = reason.get("values") or []
    if code == "themes":
        return _("Shared themes: %s") % ", ".join(theme_label(v) for v in values)
    if code == "publics":
        return _("Shared publics: %s") % ", ".join(public_label(v) for v in values)
    if code == "service_kind":
        from .models import ServiceKind

        return (
            _("A service of this kind works on: %s")
            % ", ".join(theme_label(v) for v in reason.get("themes", []))
            + f" ({ServiceKind(values[0]).label})"
        )
    if code == "passages":
        return _("“%(query)s” is answered by “%(match)s”") % {
            "query": reason.get("query_passage", ""),
            "match": reason.get("match_passage", ""),
        }
    if code == "words":
        return _("Words in common: %s") % ", ".join(values)
    if code == "languages":
        return _("Languages in common: %s") % ", ".join(values)
    if code == "partnership":
        return _("The two authorities already have a partnership")
    if code == "cooperation":
        return _("Has cooperated in %(country)s on: %(themes)s") % {
            "country": country_name(str(reason.get("country", ""))),
            "themes": ", ".join(theme_label(v) for v in values),
        }
    if code == "structure_only":
        return _(
            "The language of this text (%s) is not one the platform reads: ranked on its "
            "themes and publics only"
        ) % str(reason.get("lang", ""))
    return str(code)
