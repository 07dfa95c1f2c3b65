"""One way to find a territory from outside data (survey answers, imported tables).

``territory_resolve()`` says which existing territory a (country, kind, official code, name)
designates, or that none does, or that it cannot tell: then it ranks the candidates with the
reason of each, and the caller asks a person (the review page offers a choice; imports report
the row) instead of merging silently. The rules are in this app's README:

- an official code matches only together with the kind of authority and the country (INSEE
  codes collide across kinds: région 44 Grand Est, département 44 Loire-Atlantique);
- names are compared after folding: transliteration to Latin (Arabic, Cyrillic… through
  ``anyascii``), case, accents, punctuation, hyphens and apostrophes. Equal folded names are
  a match; names in different scripts whose consonant skeleton only is equal
  (transliteration is lossy: Arabic writes no short vowels) are candidates that a person
  confirms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from anyascii import anyascii
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Territory

# Reasons, best first.
CODE = "code"
NAME = "name"
TRANSLITERATED = "transliterated"
CLOSE = "close"
REASONS = (CODE, NAME, TRANSLITERATED, CLOSE)
# A name equal after transliteration is as good as an equal name (homonyms tie).
_LEVELS = {CODE: 0, NAME: 1, TRANSLITERATED: 1, CLOSE: 2}
REASON_LABELS = {
    CODE: _("same official code and kind"),
    NAME: _("same name"),
    TRANSLITERATED: _("same name once transliterated"),
    CLOSE: _("close name (same consonants)"),
}

_ARABIC_BEFORE = str.maketrans({"ة": "a", "ى": "a", "ع": "", "ء": "", "ـ": ""})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Spellings of one sound, so that the French, English and transliterated forms meet.
_DIGRAPHS = (
    ("sch", "x"),
    ("sh", "x"),
    ("ch", "x"),
    ("kh", "k"),
    ("dj", "j"),
    ("dh", "d"),
    ("th", "t"),
    ("gh", "g"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
)
_VOWELS = re.compile(r"[aeiouyw]+")


def _latin(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").translate(_ARABIC_BEFORE)
    return anyascii(text).lower()


def name_key(text: str) -> str:
    """The folded name: Latin letters and digits, words separated by one space."""
    return " ".join(_NON_ALNUM.sub(" ", _latin(text)).split())


def name_skeleton(text: str) -> str:
    """The consonants of the folded name, one of each run (a tolerant, lossy key)."""
    letters = name_key(text).replace(" ", "")
    for digraph, sound in _DIGRAPHS:
        letters = letters.replace(digraph, sound)
    letters = _VOWELS.sub("", letters)
    letters = re.sub(r"(.)\1+", r"\1", letters)
    return letters if len(letters) >= 2 else ""


def is_latin(text: str) -> bool:
    """Whether the name is written in Latin letters (with accents) only."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return all(
        ord(ch) < 0x250 or unicodedata.combining(ch) or not ch.isalpha() for ch in decomposed
    )


def latin_pair(a: str, b: str) -> bool:
    """Both names in Latin letters: their skeletons are not compared (York is not Warwick)."""
    return is_latin(a) and is_latin(b)


@dataclass(frozen=True)
class Candidate:
    territory: Territory
    reason: str

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])


@dataclass
class Resolution:
    """``match``: the territory meant (None: a new one), when ``certain``; otherwise the
    ranked ``candidates`` are for a person to choose from (or to create a new territory)."""

    match: Territory | None
    certain: bool
    candidates: list[Candidate] = field(default_factory=list)

    def candidate(self, pk) -> Territory | None:
        for c in self.candidates:
            if str(c.territory.pk) == str(pk):
                return c.territory
        return None


def _kinds(kind) -> tuple[str, ...]:
    if kind is None or kind == "":
        return ()
    if isinstance(kind, str):
        return (kind,)
    return tuple(kind)


def decide(
    territories: Iterable[Territory],
    *,
    country: str,
    kind: str | Sequence[str] | None = None,
    code: str | None = None,
    name: str | None = None,
) -> Resolution:
    """The resolution among ``territories`` (those loaded as possibly matching)."""
    country = (country or "").upper()
    kinds = _kinds(kind)
    code = (code or "").strip().upper()
    key, skeleton = name_key(name or ""), name_skeleton(name or "")
    ranked: dict[int, tuple] = {}
    for territory in territories:
        if territory.country != country or (kinds and territory.kind not in kinds):
            continue
        reason = None
        if code and territory.official_code == code:
            reason = CODE
        elif code and territory.official_code:
            continue  # another official code: another authority, whatever its name
        elif key and territory.name_key == key:
            same_script = latin_pair(territory.name, name or "")
            reason = NAME if same_script else TRANSLITERATED
        elif (
            skeleton
            and territory.name_skeleton == skeleton
            and not latin_pair(territory.name, name or "")
        ):
            reason = CLOSE  # across scripts only: between Latin names it says too little
        if reason is None:
            continue
        kind_rank = kinds.index(territory.kind) if kinds else 0
        rank = (_LEVELS[reason], kind_rank, REASONS.index(reason), territory.pk)
        if territory.pk not in ranked or rank < ranked[territory.pk][0]:
            ranked[territory.pk] = (rank, Candidate(territory, reason))
    ordered = [c for _rank, c in sorted(ranked.values(), key=lambda item: item[0])]
    sure = [c for c in ordered if c.reason != CLOSE]
    if not ordered:
        return Resolution(match=None, certain=True)
    if sure:
        best = ranked[sure[0].territory.pk][0][:2]
        ties = [c for c in sure if ranked[c.territory.pk][0][:2] == best]
        if len(ties) == 1:
            return Resolution(match=sure[0].territory, certain=True, candidates=ordered)
    return Resolution(match=None, certain=False, candidates=ordered)


def territory_resolve(
    *,
    country: str,
    kind: str | Sequence[str] | None = None,
    code: str | None = None,
    name: str | None = None,
) -> Resolution:
    """Which existing territory these designate (see the module's docstring).

    ``kind`` is one kind, or kinds in order of preference, or None (any kind).
    """
    country = (country or "").upper()
    kinds = _kinds(kind)
    code = (code or "").strip().upper()
    key, skeleton = name_key(name or ""), name_skeleton(name or "")
    wanted = Q()
    if code:
        wanted |= Q(official_code=code)
    if key:
        wanted |= Q(name_key=key)
    if skeleton:
        wanted |= Q(name_skeleton=skeleton)
    if not wanted:
        return Resolution(match=None, certain=True)
    qs = Territory.objects.filter(wanted, country=country)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return decide(qs.order_by("pk")[:100], country=country, kind=kinds, code=code, name=name)


class TerritoryIndex:
    """The same resolution over territories loaded once (for imports of many rows)."""

    def __init__(self, territories: Iterable[Territory]):
        self.by_key: dict[tuple[str, str], list[Territory]] = {}
        for territory in territories:
            for value in (territory.name_key, territory.name_skeleton):
                if value:
                    self.by_key.setdefault((territory.country, value), []).append(territory)

    def add(self, territory: Territory) -> None:
        for value in (territory.name_key, territory.name_skeleton):
            if value:
                self.by_key.setdefault((territory.country, value), []).append(territory)

    def resolve(self, *, country: str, kind=None, name: str | None = None) -> Resolution:
        country = (country or "").upper()
        found = {
            t.pk: t
            for value in (name_key(name or ""), name_skeleton(name or ""))
            if value
            for t in self.by_key.get((country, value), [])
        }
        return decide(found.values(), country=country, kind=kind, name=name)
