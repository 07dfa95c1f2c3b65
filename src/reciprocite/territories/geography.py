"""Countries (ISO 3166 through pycountry), subdivisions and world zones.

Zones are the UN M49 sub-regions, except that DZ, LY, MA, MR and TN form the zone
"Maghreb" (the study's rule). The table ships in ``data/zones.csv``.

Names in the reader's language: zones through the project's gettext catalogues (context
"world zone"; the UN's own M49 names in French, Arabic and Russian), countries through
Babel's CLDR names, subdivisions through pycountry's ``iso3166-2`` catalogues (the ISO name,
often the local one, where these have no translation).
"""

from __future__ import annotations

import csv
import gettext
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from django.utils import translation
from django.utils.translation import get_language, pgettext, pgettext_lazy

ZONES_FILE = Path(__file__).parent / "data" / "zones.csv"


ZONE_CONTEXT = "world zone"
# The zones' names for makemessages: the English M49 name is the msgid, the catalogues hold
# the French, Arabic and Russian ones (the French equal the zone_fr column of zones.csv).
ZONE_NAMES = (
    pgettext_lazy("world zone", "Antarctica"),
    pgettext_lazy("world zone", "Australia and New Zealand"),
    pgettext_lazy("world zone", "Caribbean"),
    pgettext_lazy("world zone", "Central America"),
    pgettext_lazy("world zone", "Central Asia"),
    pgettext_lazy("world zone", "Eastern Africa"),
    pgettext_lazy("world zone", "Eastern Asia"),
    pgettext_lazy("world zone", "Eastern Europe"),
    pgettext_lazy("world zone", "Maghreb"),
    pgettext_lazy("world zone", "Melanesia"),
    pgettext_lazy("world zone", "Micronesia"),
    pgettext_lazy("world zone", "Middle Africa"),
    pgettext_lazy("world zone", "Northern Africa"),
    pgettext_lazy("world zone", "Northern America"),
    pgettext_lazy("world zone", "Northern Europe"),
    pgettext_lazy("world zone", "Polynesia"),
    pgettext_lazy("world zone", "South America"),
    pgettext_lazy("world zone", "South-eastern Asia"),
    pgettext_lazy("world zone", "Southern Africa"),
    pgettext_lazy("world zone", "Southern Asia"),
    pgettext_lazy("world zone", "Southern Europe"),
    pgettext_lazy("world zone", "Western Africa"),
    pgettext_lazy("world zone", "Western Asia"),
    pgettext_lazy("world zone", "Western Europe"),
)


def _language(language: str | None) -> str:
    return (language or get_language() or "fr")[:2]


def _in_language(language: str, translate):
    """``translate()`` with ``language`` active (the active one when it is already)."""
    if language == (get_language() or "")[:2]:
        return translate()
    with translation.override(language):
        return translate()


@dataclass(frozen=True)
class Zone:
    key: str  # English M49 name (or "Maghreb"): the key used in data documents
    name_fr: str

    def label(self, language: str | None = None) -> str:
        """The zone's name in ``language`` (default: the active one), English when missing."""
        language = _language(language)
        if language == "en":
            return self.key
        return str(_in_language(language, lambda: pgettext(ZONE_CONTEXT, self.key)))


@cache
def _zone_table() -> dict[str, Zone]:
    with ZONES_FILE.open(encoding="utf-8") as fh:
        return {row["iso2"]: Zone(row["zone"], row["zone_fr"]) for row in csv.DictReader(fh)}


def zone_of(country: str) -> Zone | None:
    """The study zone of an ISO 3166-1 alpha-2 country code (any case)."""
    return _zone_table().get((country or "").upper())


@cache
def zones() -> tuple[Zone, ...]:
    return tuple(sorted(set(_zone_table().values()), key=lambda z: z.key))


def zone_by_key(key: str) -> Zone | None:
    return next((z for z in zones() if z.key == key), None)


def countries_in_zone(key: str) -> list[str]:
    return sorted(code for code, zone in _zone_table().items() if zone.key == key)


# Codes in use that ISO 3166 has not assigned (yet): Kosovo's user-assigned XK, which the
# UN M49 table, the EU and IATI use.
EXTRA_COUNTRIES = {"XK": "Kosovo"}


def is_country(code: str) -> bool:
    if not code or len(code) != 2:
        return False
    code = code.upper()
    return code in EXTRA_COUNTRIES or pycountry.countries.get(alpha_2=code) is not None


@cache
def _country_names_fr() -> dict[str, str]:
    try:
        from babel import Locale

        return dict(Locale("fr").territories)
    except Exception:  # pragma: no cover - babel always ships French
        return {}


@cache
def _pycountry_catalogue(domain: str, language: str) -> gettext.NullTranslations:
    """pycountry's gettext catalogue of ``domain`` (iso3166-1, iso3166-2) in ``language``."""
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    """The name of a country in ``language`` (default: the active one): Babel's CLDR name,
    else pycountry's ``iso3166-1`` catalogue, else the ISO (English) name."""
    code = (code or "").upper()
    language = _language(language)
    try:
        from babel import Locale

        name = Locale(language).territories.get(code)
    except Exception:
        name = None
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return EXTRA_COUNTRIES.get(code, code)
    return _pycountry_catalogue("iso3166-1", language).gettext(country.name)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    codes = [c.alpha_2 for c in pycountry.countries] + list(EXTRA_COUNTRIES)
    items = [(code, country_name(code, language)) for code in codes]
    return sorted(items, key=lambda item: _fold(item[1]))


def subdivision_name(code: str, language: str | None = None) -> str:
    """The name of an ISO 3166-2 subdivision in ``language`` (default: the active one), from
    pycountry's catalogues; its ISO name where they have none; the code when unknown."""
    sub = pycountry.subdivisions.get(code=(code or "").upper()) if code else None
    if sub is None:
        return code or ""
    return _pycountry_catalogue("iso3166-2", _language(language)).gettext(sub.name)


def subdivision_choices(country: str, language: str | None = None) -> list[tuple[str, str]]:
    subs = pycountry.subdivisions.get(country_code=(country or "").upper()) or []
    items = ((s.code, subdivision_name(s.code, language)) for s in subs)
    return sorted(items, key=lambda item: _fold(item[1]))


def is_subdivision_of(code: str, country: str) -> bool:
    sub = pycountry.subdivisions.get(code=code)
    return sub is not None and sub.country_code == (country or "").upper()


def is_language(code: str) -> bool:
    return pycountry.languages.get(alpha_2=code) is not None


def _fold(text: str) -> str:
    """Lower case without accents, for sorting and matching names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


fold = _fold

# Names used by public lists (Wikipedia's twin-town lists among them) that pycountry's
# fuzzy search does not resolve to the right code.
COUNTRY_ALIASES = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "republic of ireland": "IE",
    "ireland": "IE",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "vietnam": "VN",
    "palestine": "PS",
    "kosovo": "XK",
    "taiwan": "TW",
    "syria": "SY",
    "moldova": "MD",
    "cape verde": "CV",
    "georgia (country)": "GE",
    "georgia": "GE",
    "congo": "CG",
    "democratic republic of the congo": "CD",
    "czech republic": "CZ",
    "turkey": "TR",
    "madagaskar": "MG",
    "bolivia": "BO",
    "iran": "IR",
    "laos": "LA",
    "tanzania": "TZ",
    "venezuela": "VE",
    "united states": "US",
    "united kingdom": "GB",
}


@cache
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                index.setdefault(_fold(value), c.alpha_2)
    for code, name in _country_names_fr().items():
        if len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code):
            index.setdefault(_fold(name), code)
    return index


def resolve_country(name: str) -> str | None:
    """An ISO alpha-2 code for a country name in English or French, or None.

    "Réunion, France" or "Wales, United Kingdom": the part before the comma is tried first
    (Réunion has its own ISO code), then the part after it.
    """
    if not name or not name.strip():
        return None
    text = name.strip()
    if len(text) == 2 and is_country(text):
        return text.upper()
    candidates = [text] + [part.strip() for part in text.split(",") if part.strip()]
    for candidate in candidates:
        folded = _fold(candidate)
        if folded in COUNTRY_ALIASES:
            return COUNTRY_ALIASES[folded]
        if folded in _name_index():
            return _name_index()[folded]
    return None
