"""What a query says beyond its words: places, themes, a stage, and two questions the
network asks often — what the French side learned (reciprocity) and what was taken up
elsewhere (replication).

Recognised from the query's stems (so accents, case and inflection do not matter), in
French and English. They become *boosts* when the candidates of the full-text query are
re-ranked, never hard filters: a sheet that matches the words but not the place still comes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .text import fold, is_stop, stem, words

# Themes of registry.taxonomy.THEMES: French and English names and the everyday words for
# them (generic vocabulary of the field).
THEME_TERMS: dict[str, str] = {
    "acces_droits": "acces aux droits; access to rights; droits sociaux; etat civil; civil registration",
    "politique_familiale": "politique familiale; family policy; parentalite; parenting; familles; families; mediation familiale",
    "protection_enfance": "protection de l enfance; child protection; orphelinat; orphanage; orphelins; orphans; enfants des rues; street children; placement familial; foster care; mineurs non accompagnes; unaccompanied minors",
    "petite_enfance": "petite enfance; early childhood; creche; nursery; daycare; jardin d enfants; kindergarten; tout petits; prescolaire; preschool",
    "handicap": "handicap; handicape; handicapes; handicapees; disability; disabilities; disabled; autisme; autism; mobilite reduite",
    "personnes_agees": "personnes agees; aines; seniors; elderly; older people; old people; vieillissement; ageing; retraites; pensioners; пожилые; كبار السن",
    "jeunesse": "jeunesse; jeunes; youth; young people; adolescents; teenagers",
    "droits_femmes": "droits des femmes; women s rights; femmes; women; violences conjugales; domestic violence; egalite femmes hommes; gender",
    "insertion_emploi": "insertion; emploi; employment; jobs; chomage; unemployment; insertion professionnelle; chantier d insertion; microcredit",
    "sante": "sante; health; mutuelle; mutuelles; health insurance; sante communautaire; community health; soins",
    "logement": "logement; logements; housing; habitat; hebergement; shelter; relogement",
    "renforcement_capacites": "renforcement des capacites; capacity building; travail social; social work; travailleurs sociaux; social workers; formation des agents; staff training; professionnalisation",
}

# Stages (knowledge.taxonomy.Stage): how people ask for them.
STAGE_TERMS: dict[str, str] = {
    "s_engager": "s engager; engager; demarrer; commencer; debuter; lancer; premiers pas; get started; getting started; getting involved; start; begin; starting",
    "concevoir": "concevoir; conception; designing; design; monter un projet",
    "mettre_en_oeuvre": "mise en oeuvre; mettre en oeuvre; implementation; implementing",
    "evaluer": "evaluation; evaluer; bilan; evaluating; assessment",
    "essaimer": "essaimer; essaimage; spreading; scaling up; scale up",
}

# "What did the French side learn / change at home?"
RECIPROCITY_TERMS = (
    "appris; apprendre; transpose; transposees; transposer; transposition; "
    "ramene; inspire; inspiree; en france; chez nous; retombees; "
    "reciprocite; learned; learnt; learn; lessons; apprendre; apprend; back home; in france; french side; brought back; "
    "transferred; reciprocity; what france; inspired; inspired changes; changes in france; changed in france"
)
# Words of a reciprocity text that tell a practice crossed over to France.
RECIPROCITY_EVIDENCE = (
    "inspire inspiree inspires modele transpose transposition adopte adopted model "
    "transferred transfer experimente experimentent repris reprend retenu desormais s inspirant"
)
# "Was it taken up / replicated elsewhere?"
REPLICATION_TERMS = (
    "repris; reprise; reproduit; reproduire; duplique; dupliquer; etendu; etendue; extension; "
    "essaime; essaimage; generalise; generalisation; ailleurs; autres communes; d autres communes; "
    "taken up; replicated; replication; scaled up; scale up; spread; elsewhere; other towns; "
    "other municipalities; other cities; other towns; other villages; autres villes; rolled out; etendu a"
)

# Places people name that are not the partner countries' names.
EXCLUDED_COUNTRIES = {"FR"}


def _stem_phrase(phrase: str) -> str:
    return " ".join(stem(w) for w in words(phrase) if not is_stop(w))


def _pattern(phrases: list[str]) -> re.Pattern[str] | None:
    stems = sorted({p for p in (_stem_phrase(x) for x in phrases) if p}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"(?<!\S)(?:" + "|".join(re.escape(s) for s in stems) + r")(?!\S)")


@cache
def _tables():
    from babel import Locale

    from reciprocite.territories.geography import zones

    countries: dict[str, str] = {}
    for lang in ("fr", "en"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in EXCLUDED_COUNTRIES:
                key = _stem_phrase(name)
                if key and len(key) >= 3:
                    countries.setdefault(key, code)
    zone_table: dict[str, str] = {}
    for zone in zones():
        for name in (zone.key, zone.name_fr):
            key = _stem_phrase(name)
            if key:
                zone_table.setdefault(key, zone.key)
    zone_table.setdefault(_stem_phrase("west africa"), "Western Africa")
    zone_table.setdefault(_stem_phrase("afrique de l ouest"), "Western Africa")
    zone_table.setdefault(_stem_phrase("north africa"), "Maghreb")
    zone_table.setdefault(_stem_phrase("afrique du nord"), "Maghreb")
    themes = {code: _pattern(text.split(";")) for code, text in THEME_TERMS.items()}
    stages = {code: _pattern(text.split(";")) for code, text in STAGE_TERMS.items()}
    return (
        countries,
        _pattern(list(countries)),
        zone_table,
        _pattern(list(zone_table)),
        themes,
        stages,
        _pattern(RECIPROCITY_TERMS.split(";")),
        _pattern(REPLICATION_TERMS.split(";")),
        frozenset(stem(w) for w in words(RECIPROCITY_EVIDENCE)),
    )


@dataclass(frozen=True)
class Intent:
    countries: frozenset[str] = frozenset()
    zones: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    reciprocity: bool = False
    replication: bool = False
    evidence: frozenset[str] = field(default=frozenset())

    @property
    def any(self) -> bool:
        return bool(
            self.countries
            or self.zones
            or self.themes
            or self.stages
            or self.reciprocity
            or self.replication
        )


def _stem_text(text: str) -> str:
    return " ".join(stem(w) for w in words(text) if not is_stop(w))


def recognise(query: str) -> Intent:
    (countries, c_re, zone_table, z_re, themes, stages, recip_re, repl_re, evidence) = _tables()
    # Stop words out, as in the tables: "afrique de l'ouest" → "afriqu ouest".
    stems = " " + _stem_text(fold(query)) + " "
    found_countries = frozenset(countries[m] for m in c_re.findall(stems)) if c_re else frozenset()
    found_zones = frozenset(zone_table[m] for m in z_re.findall(stems)) if z_re else frozenset()
    return Intent(
        countries=found_countries,
        zones=found_zones,
        themes=frozenset(code for code, p in themes.items() if p and p.search(stems)),
        stages=frozenset(code for code, p in stages.items() if p and p.search(stems)),
        reciprocity=bool(recip_re and recip_re.search(stems)),
        replication=bool(repl_re and repl_re.search(stems)),
        evidence=evidence,
    )
