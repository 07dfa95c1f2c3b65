"""The collection's JSON Lines layout (fixed by issue 13), read and checked line by line.

One object a line — offers `{"ref", "lang", "authority", "authority_kind", "service",
"themes", "publics", "title", "text"}`, needs and innovations `{"ref", "lang", "authority",
"country", "themes", "publics", "title", "text"}` (innovations add
`"what_france_could_learn"`), interests like offers without `service`. Nothing is written
here: `parse` returns checked rows or raises `LineError` naming the line and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from reciprocite.registry.taxonomy import TARGET_PUBLICS, THEMES
from reciprocite.territories.geography import is_country
from reciprocite.territories.models import TerritoryKind

from .models import MAX_TEXT_CHARS, MAX_TITLE_CHARS, ServiceKind, Urgency

KINDS = ("expertise", "needs", "innovations", "interests")
REF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
MAX_LINE_CHARS = 2_000_000

REQUIRED = {
    "expertise": ("ref", "lang", "authority", "authority_kind", "themes", "title", "text"),
    "interests": ("ref", "lang", "authority", "themes", "title", "text"),
    "needs": ("ref", "lang", "authority", "country", "themes", "title", "text"),
    "innovations": ("ref", "lang", "authority", "country", "themes", "title", "text"),
}
OPTIONAL_TEXT = {
    "expertise": ("service", "could_share", "who_could_travel", "availability"),
    "interests": (),
    "needs": ("place",),
    "innovations": ("what_france_could_learn",),
}

# Words of a service's name → its kind (the layout gives the name as free text).
SERVICE_WORDS: tuple[tuple[str, str], ...] = (
    ("mdph", ServiceKind.MDPH),
    ("handicap", ServiceKind.MDPH),
    ("pmi", ServiceKind.PMI),
    ("maternelle et infantile", ServiceKind.PMI),
    ("ase", ServiceKind.ASE),
    ("aide sociale à l'enfance", ServiceKind.ASE),
    ("protection de l'enfance", ServiceKind.ASE),
    ("ccas", ServiceKind.CCAS),
    ("cias", ServiceKind.CCAS),
    ("action sociale", ServiceKind.CCAS),
    ("rsa", ServiceKind.INSERTION),
    ("insertion", ServiceKind.INSERTION),
    ("emploi", ServiceKind.INSERTION),
    ("autonomie", ServiceKind.OLDER_PEOPLE),
    ("personnes âgées", ServiceKind.OLDER_PEOPLE),
    ("seniors", ServiceKind.OLDER_PEOPLE),
    ("jeunesse", ServiceKind.YOUTH),
    ("jeunes", ServiceKind.YOUTH),
    ("mission locale", ServiceKind.YOUTH),
    ("centre social", ServiceKind.SOCIAL_CENTRE),
    ("centres sociaux", ServiceKind.SOCIAL_CENTRE),
)

# Words of a partner authority's name → its kind of territory (the layout gives none).
AUTHORITY_WORDS: tuple[tuple[str, str], ...] = (
    ("commune rurale", TerritoryKind.RURAL_COMMUNE),
    ("conseil départemental", TerritoryKind.DEPARTEMENT),
    ("département", TerritoryKind.DEPARTEMENT),
    ("province", TerritoryKind.PROVINCE),
    ("préfecture", TerritoryKind.PREFECTURE),
    ("région", TerritoryKind.REGION),
    ("region", TerritoryKind.REGION),
    ("oblast", TerritoryKind.OBLAST),
    ("область", TerritoryKind.OBLAST),
    ("district", TerritoryKind.DISTRICT),
    ("район", TerritoryKind.DISTRICT),
    ("municipal", TerritoryKind.MUNICIPALITY),
    ("commune", TerritoryKind.COMMUNE),
    ("ville", TerritoryKind.COMMUNE),
    ("city", TerritoryKind.COMMUNE),
    ("town", TerritoryKind.COMMUNE),
    ("город", TerritoryKind.COMMUNE),
    ("بلدية", TerritoryKind.COMMUNE),
    ("جماعة", TerritoryKind.COMMUNE),
    ("إقليم", TerritoryKind.PROVINCE),
    ("جهة", TerritoryKind.REGION),
)


class LineError(ValueError):
    def __init__(self, line: int, field: str, message: str):
        self.line = line
        self.field = field
        self.message = message
        super().__init__(
            _("line %(line)d, field %(field)s: %(message)s")
            % {
                "line": line,
                "field": field,
                "message": message,
            }
        )


@dataclass(frozen=True)
class Row:
    line: int
    kind: str
    ref: str
    fields: dict[str, Any]  # model fields, checked
    authority: dict[str, str]  # name, country, kind


def service_kind_of(service: str) -> str:
    folded = f" {service.casefold()} "
    for word, kind in SERVICE_WORDS:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            return str(kind)
    return str(ServiceKind.OTHER)


def authority_kind_of(name: str) -> str:
    folded = name.casefold()
    for word, kind in AUTHORITY_WORDS:
        if word in folded:
            return str(kind)
    return str(TerritoryKind.OTHER)


def _text(obj: dict[str, Any], key: str, line: int, *, required: bool, limit: int) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise LineError(line, key, _("expected a text"))
    value = value.strip()
    if required and not value:
        raise LineError(line, key, _("empty"))
    if len(value) > limit:
        raise LineError(
            line,
            key,
            _("too long: %(n)d characters, at most %(max)d") % {"n": len(value), "max": limit},
        )
    return value


def _codes(
    obj: dict[str, Any], key: str, line: int, known: Mapping[str, object], *, required: bool
) -> list[str]:
    value = obj.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LineError(line, key, _("expected a list of codes"))
    unknown = [v for v in value if v not in known]
    if unknown:
        raise LineError(
            line,
            key,
            _("unknown code(s) %(codes)s; known: %(known)s")
            % {"codes": ", ".join(unknown[:5]), "known": ", ".join(sorted(known))},
        )
    if required and not value:
        raise LineError(line, key, _("at least one code is needed"))
    return list(dict.fromkeys(value))


def parse_line(kind: str, obj: Any, line: int) -> Row:
    if not isinstance(obj, dict):
        raise LineError(line, "-", _("expected a JSON object"))
    for key in REQUIRED[kind]:
        if key not in obj:
            raise LineError(line, key, _("missing"))
    ref = _text(obj, "ref", line, required=True, limit=64)
    if not REF_RE.match(ref):
        raise LineError(line, "ref", _("letters, digits, dot, dash or underscore only"))
    lang = _text(obj, "lang", line, required=True, limit=3).lower()
    if not LANG_RE.match(lang):
        raise LineError(line, "lang", _("not an ISO 639-1 language code"))
    fields: dict[str, Any] = {
        "lang": lang,
        "title": _text(obj, "title", line, required=True, limit=MAX_TITLE_CHARS),
        "text": _text(obj, "text", line, required=True, limit=MAX_TEXT_CHARS),
        "themes": _codes(obj, "themes", line, THEMES, required=True),
        "publics": _codes(obj, "publics", line, TARGET_PUBLICS, required=False),
        "is_fictitious": bool(obj.get("fictitious", False)),
    }
    for key in OPTIONAL_TEXT[kind]:
        fields[key] = _text(obj, key, line, required=False, limit=5000)
    name = _text(obj, "authority", line, required=True, limit=200)
    if kind in ("expertise", "interests"):
        country = "FR"
        # given for offers; guessed from the name when a file leaves it out (interests)
        territory_kind = _text(obj, "authority_kind", line, required=False, limit=32)
        territory_kind = territory_kind or authority_kind_of(name)
        if territory_kind not in TerritoryKind.values:
            raise LineError(
                line,
                "authority_kind",
                _("unknown kind; known: %s") % ", ".join(TerritoryKind.values),
            )
    else:
        country = _text(obj, "country", line, required=True, limit=2).upper()
        if not is_country(country):
            raise LineError(line, "country", _("not an ISO 3166-1 alpha-2 country code"))
        territory_kind = authority_kind_of(name)
        fields["country"] = country
    if kind == "expertise":
        given = obj.get("service_kind")
        if given is not None and given not in ServiceKind.values:
            raise LineError(line, "service_kind", _("unknown kind of service"))
        fields["service_kind"] = given or service_kind_of(fields["service"])
        staff = obj.get("staff_languages", [])
        if not isinstance(staff, list) or not all(
            isinstance(v, str) and LANG_RE.match(v) for v in staff
        ):
            raise LineError(line, "staff_languages", _("expected a list of language codes"))
        fields["staff_languages"] = staff
    if kind == "needs":
        urgency = obj.get("urgency", Urgency.MEDIUM)
        if urgency not in Urgency.values:
            raise LineError(
                line, "urgency", _("unknown urgency; known: %s") % ", ".join(Urgency.values)
            )
        fields["urgency"] = urgency
    return Row(
        line=line,
        kind=kind,
        ref=ref,
        fields=fields,
        authority={"name": name, "country": country, "kind": territory_kind},
    )


def parse(kind: str, lines: Iterable[str]) -> list[Row]:
    """Checked rows of an iterable of text lines (blank lines skipped); the first bad line
    raises LineError; a ref twice is an error too."""
    if kind not in KINDS:
        raise LineError(0, "kind", _("unknown kind; known: %s") % ", ".join(KINDS))
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_CHARS:
            raise LineError(number, "-", _("line too long"))
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise LineError(number, "-", _("not JSON: %s") % exc.msg) from None
        row = parse_line(kind, obj, number)
        if row.ref in seen:
            raise LineError(
                number,
                "ref",
                _("%(ref)s already on line %(line)d")
                % {
                    "ref": row.ref,
                    "line": seen[row.ref],
                },
            )
        seen[row.ref] = number
        rows.append(row)
    return rows
