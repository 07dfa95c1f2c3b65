"""A domain lexicon for decentralised cooperation in social action.

Keys are folded phrases (lower case, no accents) as people type them in English, Arabic,
Russian or French; values are French words the sheets use. It is generic vocabulary of the
field (publics, institutions, themes, stages of a cooperation), not tuned to given queries.
Phrases are matched on word boundaries in the folded query; several may match.
"""

from __future__ import annotations

import re
from functools import cache

from .text import WORD_RE, fold, stem

LEXICON: dict[str, str] = {
    # --- publics ---
    "elderly": "personnes agees aines seniors vieillissement",
    "older people": "personnes agees aines seniors",
    "old people": "personnes agees aines",
    "older persons": "personnes agees aines",
    "seniors": "personnes agees aines",
    "senior": "personnes agees aines",
    "aines": "personnes agees seniors",
    "personnes agees": "aines seniors",
    "vieux": "personnes agees",
    "vieillesse": "personnes agees vieillissement",
    "ageing": "vieillissement personnes agees",
    "aging": "vieillissement personnes agees",
    "dependency": "dependance perte autonomie",
    "dependance": "perte autonomie",
    "nursing home": "ehpad maison retraite",
    "retirement home": "ehpad maison retraite",
    "maison de retraite": "ehpad",
    "ehpad": "maison retraite",
    "disability": "handicap handicapees",
    "disabilities": "handicap handicapees",
    "disabled": "handicap handicapees",
    "handicapped": "handicap",
    "handicape": "handicap",
    "handicapes": "handicap",
    "personnes handicapees": "handicap",
    "inclusive": "inclusion inclusive",
    "autism": "autisme",
    "deaf": "sourds surdite",
    "blind": "aveugles malvoyants",
    "wheelchair": "fauteuil mobilite",
    "child": "enfant enfance",
    "children": "enfants enfance",
    "childhood": "enfance",
    "early childhood": "petite enfance creche",
    "nursery": "creche petite enfance",
    "daycare": "creche petite enfance",
    "childcare": "garde enfants creche",
    "kindergarten": "maternelle prescolaire",
    "preschool": "prescolaire maternelle",
    "creche": "petite enfance",
    "orphans": "orphelins",
    "orphanage": "orphelinat",
    "foster care": "accueil familial placement",
    "foster": "accueil familial",
    "child protection": "protection enfance",
    "street children": "enfants rues",
    "birth registration": "enregistrement naissances etat civil",
    "birth certificate": "acte naissance etat civil",
    "civil registration": "etat civil",
    "youth": "jeunes jeunesse",
    "young people": "jeunes jeunesse",
    "teenagers": "adolescents jeunes",
    "adolescents": "jeunes",
    "students": "etudiants eleves",
    "women": "femmes",
    "woman": "femmes",
    "girls": "filles",
    "gender": "egalite femmes hommes genre",
    "domestic violence": "violences conjugales intrafamiliales",
    "intimate partner violence": "violences conjugales",
    "gender based violence": "violences faites femmes",
    "violence against women": "violences faites femmes",
    "violences faites aux femmes": "violences conjugales",
    "violences conjugales": "violences faites femmes",
    "shelter": "hebergement accueil refuge",
    "migrants": "migrants migration diaspora",
    "migration": "migrants diaspora",
    "refugees": "refugies",
    "diaspora": "diaspora migrants",
    "families": "familles",
    "family": "famille familiale",
    "parents": "parents parentalite",
    "parenting": "parentalite",
    "jobseekers": "demandeurs emploi",
    "unemployed": "chomeurs demandeurs emploi",
    "unemployment": "chomage emploi",
    "homeless": "sans abri",
    "poverty": "pauvrete precarite",
    "poor": "pauvres precarite",
    "vulnerable": "vulnerables precarite",
    # --- institutions ---
    "ccas": "centre communal action sociale",
    "centre communal d action sociale": "ccas",
    "cias": "centre intercommunal action sociale",
    "social welfare centre": "ccas centre communal action sociale",
    "municipal social": "ccas centre communal action sociale",
    "social services": "services sociaux action sociale",
    "social service": "service social action sociale",
    "social action": "action sociale",
    "social work": "travail social",
    "social workers": "travailleurs sociaux",
    "social worker": "travailleurs sociaux",
    "travailleurs sociaux": "travail social",
    "caregivers": "aidants",
    "carers": "aidants",
    "home care": "aide domicile maintien",
    "home help": "aide domicile",
    "department": "departement conseil departemental",
    "county": "departement conseil departemental",
    "council": "conseil",
    "region": "region conseil regional",
    "regional": "region regional",
    "municipality": "commune ville municipalite",
    "municipalities": "communes villes",
    "city": "ville commune",
    "town": "ville commune",
    "mayor": "maire",
    "local authority": "collectivite territoriale",
    "local authorities": "collectivites territoriales",
    "local government": "collectivite territoriale",
    "elected officials": "elus",
    "ngo": "association ong",
    "ngos": "associations ong",
    "association": "associations",
    "volunteers": "benevoles",
    "volunteering": "benevolat",
    "hospital": "hopital",
    "health": "sante",
    "healthcare": "sante soins",
    "mental health": "sante mentale",
    "nutrition": "nutrition malnutrition",
    "malnutrition": "malnutrition nutrition",
    "housing": "logement habitat",
    "employment": "emploi insertion",
    "jobs": "emploi",
    "job": "emploi",
    "training": "formation",
    "vocational": "professionnelle formation",
    "microcredit": "microcredit",
    "income": "revenus activites generatrices",
    "rights": "droits",
    "access to rights": "acces droits",
    "benefits": "prestations aides",
    "social protection": "protection sociale",
    "health insurance": "couverture maladie mutuelle",
    "digital": "numerique",
    # --- cooperation ---
    "partnership": "partenariat cooperation",
    "twinning": "jumelage",
    "cooperation": "cooperation partenariat",
    "decentralised cooperation": "cooperation decentralisee",
    "decentralized cooperation": "cooperation decentralisee",
    "exchange": "echange",
    "exchanges": "echanges",
    "peer learning": "echanges pratiques pairs",
    "learned": "appris apprentissage enseignements reciprocite",
    "learnt": "appris apprentissage enseignements reciprocite",
    "learn": "apprendre enseignements",
    "lessons": "enseignements lecons",
    "lessons learned": "enseignements reciprocite",
    "reciprocity": "reciprocite",
    "appris": "reciprocite enseignements",
    "apprendre": "reciprocite enseignements",
    "ramene": "reciprocite",
    "inspire": "reciprocite inspire",
    "in france": "france",
    "at home": "reciprocite france",
    "french side": "reciprocite france",
    "taken up": "repris replication essaimage",
    "replicated": "replication essaimage repris",
    "replication": "replication essaimage",
    "scaled up": "essaimage extension",
    "scale up": "essaimage extension",
    "elsewhere": "ailleurs essaimage replication",
    "reproduit": "replication essaimage",
    "reproduire": "replication essaimage",
    "repris": "replication essaimage",
    "essaimage": "replication",
    "ailleurs": "replication essaimage",
    "evaluation": "evaluation",
    "evaluate": "evaluation",
    "assessment": "diagnostic evaluation",
    "needs assessment": "diagnostic besoins",
    "funding": "financement",
    "budget": "budget financement",
    "difficulties": "difficultes",
    "problems": "difficultes",
    "obstacles": "difficultes",
    "language": "langue",
    "staff turnover": "rotation personnel",
    "political change": "changement politique alternance",
    "election": "elections alternance",
    "distance": "distance",
    "covid": "pandemie covid",
    "pandemic": "pandemie",
    # --- places people name in English ---
    "west africa": "afrique ouest",
    "western africa": "afrique ouest",
    "north africa": "maghreb afrique nord",
    "maghreb": "maghreb afrique nord",
    "middle east": "moyen orient",
    "eastern europe": "europe est",
    "latin america": "amerique latine",
    "south east asia": "asie sud est",
    # --- Arabic ---
    "كبار السن": "personnes agees",
    "المسنين": "personnes agees",
    "المسنون": "personnes agees",
    "الإعاقة": "handicap",
    "الاعاقة": "handicap",
    "ذوي الإعاقة": "handicap",
    "الأطفال": "enfants enfance",
    "الاطفال": "enfants enfance",
    "الطفولة": "enfance",
    "الطفولة المبكرة": "petite enfance",
    "حماية الطفولة": "protection enfance",
    "النساء": "femmes",
    "المرأة": "femmes",
    "العنف": "violences",
    "الشباب": "jeunes jeunesse",
    "الصحة": "sante",
    "السكن": "logement",
    "التشغيل": "emploi insertion",
    "العمل": "emploi",
    "التكوين": "formation",
    "التدريب": "formation",
    "الحقوق": "droits",
    "الهجرة": "migrants migration",
    "التعاون": "cooperation",
    "المغرب": "maroc",
    "تونس": "tunisie",
    "الجزائر": "algerie",
    "السنغال": "senegal",
    "لبنان": "liban",
    # --- Russian ---
    "пожилые": "personnes agees",
    "пожилых": "personnes agees",
    "инвалидность": "handicap",
    "инвалидов": "handicap",
    "инвалиды": "handicap",
    "дети": "enfants enfance",
    "детей": "enfants enfance",
    "детство": "enfance",
    "женщины": "femmes",
    "женщин": "femmes",
    "насилие": "violences",
    "молодежь": "jeunes jeunesse",
    "здоровье": "sante",
    "жилье": "logement",
    "занятость": "emploi insertion",
    "обучение": "formation",
    "права": "droits",
    "сотрудничество": "cooperation",
    "армения": "armenie",
    "россия": "russie",
    "украина": "ukraine",
    "грузия": "georgie",
    "молдова": "moldavie",
}


def _stems(text: str) -> str:
    return " ".join(stem(w) for w in fold(text).split())


@cache
def _compiled() -> list[tuple[re.Pattern, frozenset[str], list[str]]]:
    out = []
    for key, value in LEXICON.items():
        key_stems = _stems(" ".join(WORD_RE.findall(fold(key))))
        pattern = re.compile(r"(?<!\S)" + re.escape(key_stems) + r"(?!\S)")
        out.append((pattern, frozenset(key_stems.split()), fold(value).split()))
    return out


def expand_groups(folded_query: str) -> list[tuple[frozenset[str], list[str]]]:
    """(stems of the phrase found, French words it brings) for each lexicon phrase of the
    (folded, space-joined) query, compared stem by stem so that "personne agee" meets
    "personnes agees"; then the Arabic and Russian words of the query's French ones."""
    query_stems = _stems(folded_query)
    groups: list[tuple[frozenset[str], list[str]]] = []
    for pattern, key_stems, values in _compiled():
        if pattern.search(query_stems):
            groups.append((key_stems, values))
    # French words of the query → the Arabic and Russian entries that translate them, so a
    # French query finds the sheets written in those languages.
    stems_set = set(query_stems.split())
    for key_words, value_stems in _reverse():
        if value_stems <= stems_set:
            groups.append((frozenset(value_stems), key_words))
    return groups


def expand(folded_query: str) -> list[str]:
    """French (and Arabic/Russian) words to add to the query."""
    extra: list[str] = []
    for _key, values in expand_groups(folded_query):
        extra.extend(v for v in values if v not in extra)
    return extra


@cache
def _reverse() -> list[tuple[list[str], set[str]]]:
    out = []
    for key, value in LEXICON.items():
        if not any("\u0400" <= ch <= "\u06ff" for ch in key):
            continue
        out.append((WORD_RE.findall(fold(key)), set(_stems(value).split())))
    return out
