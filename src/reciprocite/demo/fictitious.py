"""The fictitious part of the demo: invented authorities and partnerships.

Everything here is invented and flagged: ``is_fictitious`` on territories, partnerships,
projects and actors, and every name or title says so (« (fictive) », « (exemple fictif) »…).
No real French authority appears in an invented partnership: the French sides are invented
too (no INSEE code; SIREN numbers beginning with 99 that pass the check digit but belong to
no one; région codes 96 and 98, which no région or département uses).

The partnerships are written by hand (who, where, since when, why, which kinds of project);
the details of each project (dates, status, budget, co-funding, actors' roles) are drawn
from a random generator seeded with the partnership's title, so the demo is the same on
every machine and every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .specs import (
    ActorSpec,
    BudgetLineSpec,
    DemoContent,
    DocumentSpec,
    FunderSpec,
    FundingSpec,
    PartnershipSpec,
    ProgrammeSpec,
    ProjectSpec,
    ReplicationSpec,
    RoleSpec,
    TerritorySpec,
)

FICTITIOUS = "(exemple fictif)"
NOTE = (
    "Exemple fictif créé pour la démonstration de Réciprocité : les lieux, les personnes, les "
    "dates et les montants sont inventés."
)
LAST_YEAR = 2024  # the demo's "now": no date depends on the day it is loaded

# --- places ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A fictitious territory and the words the demo uses to speak of it."""

    territory: TerritorySpec
    short: str  # in titles: "Valbrune", "Pays de Brune"
    de: str  # "de Valbrune", "du Pays de Brune", "d'Ostreville"
    a: str  # "à Valbrune", "en Haute-Vallière"
    art: str  # as a noun phrase: "Valbrune", "le Val de Mauve"
    authority: str  # "Ville de Valbrune", "Département de la Haute-Vallière"
    suffix: str = "(fictive)"
    currency: str = "EUR"  # the local currency some of its budgets are written in


def _vowel(word: str) -> bool:
    return word[:1].upper() in "AEIOUYÂÉÈÊÎÔÛ"


def _de(short: str) -> str:
    return f"d'{short}" if _vowel(short) else f"de {short}"


# French communes: key, name, ISO 3166-2 département, latitude, longitude, population
# fmt: off
_FRENCH_COMMUNES = (
    ("valbrune", "Valbrune", "FR-35", 48.08, -1.45, 8_400),
    ("montcalvert", "Montcalvert", "FR-69", 45.88, 4.58, 12_600),
    ("brevillon", "Brévillon", "FR-76", 49.62, 0.78, 5_200),
    ("sorlanges", "Sorlanges-sur-Mauve", "FR-37", 47.22, 0.40, 3_100),
    ("chantebrie", "Chantebrie", "FR-33", 44.93, -0.38, 21_800),
    ("lorvanne", "Lorvanne", "FR-57", 49.05, 6.45, 15_300),
    ("merlanges", "Merlanges", "FR-31", 43.50, 1.22, 9_700),
    ("vireval", "Vireval", "FR-13", 43.45, 5.30, 34_500),
    ("ostreville", "Ostreville", "FR-29", 48.20, -4.10, 6_800),
)

# Other French authorities: key, territory name, kind, subdivision, official code, latitude,
# longitude, population, then how the demo speaks of it: short, "de …", "à …", as a noun
# phrase, the authority's name, and the agreement of « fictif ».
_FRENCH_AUTHORITIES = (
    ("pays_de_brune", "Communauté de communes du Pays de Brune (fictive)", "intercommunalite",
     "FR-35", "990101107", 47.98, -1.30, 41_000,
     "Pays de Brune", "du Pays de Brune", "dans le Pays de Brune", "le Pays de Brune",
     "Communauté de communes du Pays de Brune", "(fictive)"),
    ("val_de_mauve", "Communauté d'agglomération du Val de Mauve (fictive)", "intercommunalite",
     "FR-37", "990202202", 47.35, 0.55, 98_000,
     "Val de Mauve", "du Val de Mauve", "dans le Val de Mauve", "le Val de Mauve",
     "Communauté d'agglomération du Val de Mauve", "(fictive)"),
    ("rivelune", "Rivelune Métropole (fictive)", "intercommunalite",
     "FR-49", "990303307", 47.45, -0.48, 310_000,
     "Rivelune", "de Rivelune", "à Rivelune", "Rivelune Métropole",
     "Rivelune Métropole", "(fictive)"),
    ("monts_orval", "Communauté de communes des Monts d'Orval (fictive)", "intercommunalite",
     "FR-63", "990404402", 45.70, 2.95, 23_000,
     "Monts d'Orval", "des Monts d'Orval", "dans les Monts d'Orval", "les Monts d'Orval",
     "Communauté de communes des Monts d'Orval", "(fictive)"),
    ("haute_valliere", "Haute-Vallière (département fictif)", "departement",
     "", "990505505", 46.55, 2.10, 420_000,
     "Haute-Vallière", "de la Haute-Vallière", "en Haute-Vallière", "la Haute-Vallière",
     "Département de la Haute-Vallière", "(fictif)"),
    ("val_ardaine", "Val-d'Ardaine (département fictif)", "departement",
     "", "990606600", 44.65, 4.05, 330_000,
     "Val-d'Ardaine", "du Val-d'Ardaine", "dans le Val-d'Ardaine", "le Val-d'Ardaine",
     "Département du Val-d'Ardaine", "(fictif)"),
    ("cotes_brume", "Côtes-de-Brume (département fictif)", "departement",
     "", "990707705", 48.45, -3.05, 600_000,
     "Côtes-de-Brume", "des Côtes-de-Brume", "dans les Côtes-de-Brume", "les Côtes-de-Brume",
     "Département des Côtes-de-Brume", "(fictif)"),
    ("ardaine_littoral", "Ardaine-Littoral (région fictive)", "region",
     "", "96", 45.25, 0.35, 3_900_000,
     "Ardaine-Littoral", "d'Ardaine-Littoral", "en Ardaine-Littoral", "l'Ardaine-Littoral",
     "Région Ardaine-Littoral", "(fictive)"),
    ("hautes_marches", "Hautes-Marches (région fictive)", "region",
     "", "98", 48.75, 5.25, 2_800_000,
     "Hautes-Marches", "des Hautes-Marches", "dans les Hautes-Marches", "les Hautes-Marches",
     "Région des Hautes-Marches", "(fictive)"),
)

# Partner authorities: key, name, kind, country, ISO 3166-2 subdivision, latitude, longitude,
# population, languages (ISO 639-1), currency some of its budgets are written in.
_PARTNERS = (
    # West Africa
    ("ndiareme", "Ndiarème", "commune", "SN", "SN-TH", 14.78, -16.72, 28_000, ("fr", "wo"), "XOF"),
    ("sindone", "Sindoné", "commune", "SN", "SN-ZG", 12.62, -16.05, 19_000, ("fr", "wo"), "XOF"),
    ("mbelaye", "Mbélaye", "commune", "SN", "SN-LG", 15.52, -16.05, 12_000, ("fr", "wo"), "XOF"),
    ("koulinda", "Koulinda", "commune", "ML", "ML-4", 13.25, -6.05, 24_000, ("fr", "bm"), "XOF"),
    ("diabakoro", "Cercle de Diabakoro (fictif)", "district", "ML", "ML-1", 14.10, -10.70, 160_000, ("fr", "bm"), "XOF"),
    ("falabougou", "Falabougou", "rural_commune", "ML", "ML-3", 11.45, -5.55, 14_000, ("fr", "bm"), "XOF"),
    ("tangassoko", "Tangassoko", "commune", "BF", "BF-09", 11.30, -4.05, 31_000, ("fr",), "XOF"),
    ("koudiere", "Koudiéré", "rural_commune", "BF", "BF-01", 12.35, -3.55, 9_000, ("fr",), "XOF"),
    ("collines_rouges", "Région des Collines-Rouges (fictive)", "region", "BF", "BF-04", 11.75, -0.35, 1_300_000, ("fr",), "XOF"),
    ("zogbanme", "Zogbanmè", "commune", "BJ", "BJ-ZO", 7.15, 2.10, 52_000, ("fr",), "XOF"),
    ("kpessirou", "Kpéssirou", "commune", "BJ", "BJ-AK", 10.45, 1.35, 21_000, ("fr",), "XOF"),
    ("guidan_kora", "Guidan-Kora", "commune", "NE", "NE-5", 14.55, 5.45, 36_000, ("fr", "ha"), "XOF"),
    ("kossible", "Kossiblé", "commune", "CI", "CI-VB", 7.75, -5.15, 45_000, ("fr",), "XOF"),
    ("agbavikope", "Agbavikopé", "commune", "TG", "TG-M", 6.35, 1.45, 27_000, ("fr", "ee"), "XOF"),
    # Maghreb (Mauritania included, as the study counts it)
    ("ould_mbarek", "Ould Mbarek", "commune", "MR", "MR-06", 16.75, -15.35, 12_000, ("ar", "fr"), "EUR"),
    ("imi_ntilit", "Imi n'Tilit", "rural_commune", "MA", "MA-TIZ", 29.55, -9.65, 11_000, ("ar", "fr"), "MAD"),
    ("assif_ouarg", "Province d'Assif Ouarg (fictive)", "province", "MA", "MA-08", 31.05, -5.45, 290_000, ("ar", "fr"), "MAD"),
    ("beni_khalfa", "Béni Khalfa", "commune", "TN", "TN-21", 36.62, 10.62, 30_000, ("ar", "fr"), "EUR"),
    ("oued_zitoun", "Oued Zitoun", "commune", "TN", "TN-42", 35.25, 8.85, 26_000, ("ar", "fr"), "EUR"),
    ("sidi_bounaga", "Sidi Bounaga", "commune", "DZ", "DZ-15", 36.62, 4.15, 22_000, ("ar", "fr"), "EUR"),
    # Eastern Europe
    ("verkhnelessk", "Verkhnelessk", "municipality", "RU", "RU-VLG", 59.35, 38.25, 34_000, ("ru",), "EUR"),
    ("zelenohirsk", "Zelenohirsk", "municipality", "UA", "UA-46", 49.75, 24.35, 27_000, ("uk",), "EUR"),
    ("valea_mica", "Valea Mică", "commune", "RO", "RO-IS", 47.05, 27.45, 6_000, ("ro",), "EUR"),
    ("draganesti", "Drăgănești", "commune", "MD", "MD-OR", 47.40, 28.80, 4_200, ("ro",), "EUR"),
    ("borowiec", "Borowiec", "commune", "PL", "PL-06", 51.15, 22.95, 9_500, ("pl",), "EUR"),
    ("kisvarhely", "Kisvárhely", "municipality", "HU", "HU-BZ", 48.25, 20.85, 6_000, ("hu",), "EUR"),
    # Western Asia
    ("arevashogh", "Arevashogh", "municipality", "AM", "AM-LO", 40.95, 44.45, 7_000, ("hy",), "EUR"),
    ("kfar_nahle", "Kfar Nahlé", "municipality", "LB", "LB-JL", 33.82, 35.68, 15_000, ("ar", "fr"), "EUR"),
    ("beit_zeitoun", "Beit Zeitoun", "municipality", "PS", "PS-BTH", 31.66, 35.15, 11_000, ("ar",), "EUR"),
    # elsewhere
    ("morne_bleu", "Morne-Bleu", "commune", "HT", "HT-SE", 18.28, -72.45, 40_000, ("fr", "ht"), "EUR"),
    ("tan_hoa", "District de Tân Hòa (fictif)", "district", "VN", "VN-26", 16.35, 107.55, 90_000, ("vi",), "EUR"),
    ("ambohibe", "Ambohibe", "commune", "MG", "MG-T", -18.95, 47.65, 18_000, ("mg", "fr"), "EUR"),
    ("mbalengue", "Mbalengue", "commune", "CM", "CM-OU", 5.45, 10.35, 52_000, ("fr",), "XAF"),
)
# fmt: on

# how the demo speaks of the partners whose name is not simply their short name:
# short, "de …", "à …", the authority's name, the agreement of « fictif »
_PARTNER_WORDS = {
    "diabakoro": (
        "Diabakoro",
        "du cercle de Diabakoro",
        "dans le cercle de Diabakoro",
        "Conseil de cercle de Diabakoro",
        "(fictif)",
    ),
    "collines_rouges": (
        "Collines-Rouges",
        "des Collines-Rouges",
        "dans les Collines-Rouges",
        "Conseil régional des Collines-Rouges",
        "(fictive)",
    ),
    "assif_ouarg": (
        "Assif Ouarg",
        "de la province d'Assif Ouarg",
        "dans la province d'Assif Ouarg",
        "Conseil provincial d'Assif Ouarg",
        "(fictive)",
    ),
    "tan_hoa": (
        "Tân Hòa",
        "du district de Tân Hòa",
        "dans le district de Tân Hòa",
        "Comité populaire du district de Tân Hòa",
        "(fictif)",
    ),
}
_AUTHORITY_WORD = {"commune": "Commune", "rural_commune": "Commune rurale"}


def _french_places() -> tuple[Place, ...]:
    places = []
    for key, name, sub, lat, lon, pop in _FRENCH_COMMUNES:
        territory = TerritorySpec(
            key, f"{name} (fictive)", "commune", "FR", sub, "", lat, lon, pop, ("fr",), True
        )
        places.append(Place(territory, name, _de(name), f"à {name}", name, f"Ville de {name}"))
    for key, name, kind, sub, code, lat, lon, pop, *words in _FRENCH_AUTHORITIES:
        territory = TerritorySpec(key, name, kind, "FR", sub, code, lat, lon, pop, ("fr",), True)
        places.append(Place(territory, *words))
    return tuple(places)


def _partner_places() -> tuple[Place, ...]:
    places = []
    for key, name, kind, country, sub, lat, lon, pop, languages, currency in _PARTNERS:
        if key in _PARTNER_WORDS:
            short, de, a, authority, suffix = _PARTNER_WORDS[key]
        else:
            short, de, a, suffix = name, _de(name), f"à {name}", "(fictive)"
            authority = f"{_AUTHORITY_WORD.get(kind, 'Municipalité')} {_de(name)}"
            name = f"{name} (fictive)"
        territory = TerritorySpec(key, name, kind, country, sub, "", lat, lon, pop, languages, True)
        places.append(Place(territory, short, de, a, short, authority, suffix, currency))
    return tuple(places)


FRENCH_PLACES = _french_places()
PARTNER_PLACES = _partner_places()
PLACES = {place.territory.key: place for place in FRENCH_PLACES + PARTNER_PLACES}

# --- kinds of project -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    title: str
    themes: tuple[str, ...]
    publics: tuple[str, ...]
    budget: tuple[int, int]  # euros
    summary: str
    results: str
    association: str | None = None  # a partner-side association that takes part
    expert: bool = False  # the French side's social service lends its expertise


TEMPLATES: dict[str, Template] = {
    "maison_femmes": Template(
        "Maison des femmes {de_p}",
        ("droits_femmes", "acces_droits"),
        ("femmes", "associations"),
        (15_000, 60_000),
        "Un lieu d'accueil, d'écoute et d'orientation pour les femmes {de_p} : permanences "
        "juridiques, alphabétisation, activités génératrices de revenus.",
        "La maison reçoit chaque semaine plusieurs dizaines de femmes ; une permanence "
        "juridique y est assurée.",
        "Association des femmes",
    ),
    "creche": Template(
        "Crèche communautaire {de_p}",
        ("petite_enfance",),
        ("enfants", "familles", "femmes"),
        (8_000, 45_000),
        "Une crèche gérée avec les familles, et la formation de ses éducatrices, pour que les "
        "mères puissent travailler ou se former.",
        "La crèche accueille une quarantaine d'enfants ; six éducatrices ont été formées.",
        "Collectif des mères éducatrices",
        expert=True,
    ),
    "etat_civil": Template(
        "Enregistrement à l'état civil des enfants {de_p}",
        ("acces_droits", "protection_enfance"),
        ("enfants", "familles"),
        (3_000, 20_000),
        "Audiences foraines et équipement des centres d'état civil : chaque enfant doit avoir un "
        "acte de naissance pour être inscrit à l'école.",
        "Plusieurs centaines d'enfants ont reçu un acte de naissance ; les registres sont tenus "
        "à jour.",
    ),
    "insertion_jeunes": Template(
        "Chantier d'insertion pour les jeunes {de_p}",
        ("insertion_emploi", "jeunesse"),
        ("jeunes", "demandeurs_emploi"),
        (10_000, 80_000),
        "Des jeunes sans qualification remettent en état des équipements publics tout en "
        "suivant une formation et un accompagnement vers l'emploi.",
        "La plupart des jeunes accompagnés ont trouvé un emploi ou une formation dans l'année.",
        "Association des jeunes pour l'emploi",
    ),
    "handicap_ecole": Template(
        "Scolarisation des enfants handicapés {a_p}",
        ("handicap", "protection_enfance"),
        ("personnes_handicapees", "enfants", "professionnels"),
        (10_000, 60_000),
        "Former des enseignants et des auxiliaires, aménager des classes, pour accueillir des "
        "enfants handicapés à l'école ordinaire.",
        "Une vingtaine d'enfants handicapés sont scolarisés dans des classes ordinaires.",
        "Association des parents d'enfants handicapés",
        expert=True,
    ),
    "aide_domicile": Template(
        "Service d'aide à domicile pour les personnes âgées {de_p}",
        ("personnes_agees", "sante"),
        ("personnes_agees", "professionnels"),
        (12_000, 70_000),
        "Création d'un service municipal d'aide à domicile et formation des aides à domicile, "
        "en s'appuyant sur les pratiques des services {de_f}.",
        "Le service emploie une quinzaine d'aides à domicile formées.",
        "Association d'aide aux aînés",
        expert=True,
    ),
    "sante_communautaire": Template(
        "Case de santé communautaire {de_p}",
        ("sante",),
        ("population", "familles", "femmes"),
        (20_000, 150_000),
        "Construction et équipement d'une case de santé, formation d'agents de santé "
        "communautaire et création d'une mutuelle pour les familles.",
        "La case de santé assure les consultations prénatales et la vaccination des enfants du "
        "secteur.",
        "Mutuelle de santé communautaire",
    ),
    "formation": Template(
        "Formation croisée des travailleurs sociaux {de_f} et {de_p}",
        ("renforcement_capacites",),
        ("professionnels",),
        (2_000, 15_000),
        "Stages réciproques et ateliers communs : les travailleurs sociaux des deux territoires "
        "comparent leurs façons d'accueillir et d'accompagner.",
        "Deux sessions ont réuni une trentaine de professionnels ; un guide commun de l'accueil "
        "a été rédigé.",
        expert=True,
    ),
    "guichet_social": Template(
        "Guichet social municipal {de_p}",
        ("acces_droits", "renforcement_capacites"),
        ("population", "elus_agents"),
        (10_000, 50_000),
        "Un guichet unique à la mairie pour informer les habitants de leurs droits et les "
        "orienter vers les services sociaux et les associations.",
        "Le guichet reçoit en moyenne vingt personnes par jour.",
        expert=True,
    ),
    "logement": Template(
        "Amélioration de l'habitat des familles vulnérables {de_p}",
        ("logement",),
        ("familles",),
        (30_000, 150_000),
        "Réhabilitation de logements insalubres avec les familles qui les habitent, et fonds "
        "d'urgence pour les familles sinistrées.",
        "Une cinquantaine de logements ont été réhabilités.",
    ),
    "familles": Template(
        "Soutien aux familles monoparentales {de_p}",
        ("politique_familiale", "droits_femmes"),
        ("familles", "femmes", "enfants"),
        (5_000, 30_000),
        "Accompagner les mères seules : garde d'enfants, aide aux démarches, groupes de parole.",
        "Une centaine de familles ont été accompagnées.",
        "Association d'entraide familiale",
    ),
    "diaspora": Template(
        "Accueil des familles originaires {de_p} {a_f}",
        ("acces_droits", "autre"),
        ("migrants", "familles"),
        (3_000, 20_000),
        "Réciprocité : les services {de_f} s'appuient sur leurs partenaires {de_p} pour mieux "
        "accueillir et comprendre les familles de la diaspora installées près d'eux.",
        "Des médiateurs ont été formés ; les services disposent d'un livret d'accueil bilingue.",
    ),
    "enfants_rue": Template(
        "Centre d'accueil pour les enfants des rues {de_p}",
        ("protection_enfance",),
        ("enfants", "jeunes"),
        (15_000, 90_000),
        "Accueil de jour, retour à l'école et médiation familiale pour les enfants qui vivent "
        "dans la rue, avec les éducateurs du territoire.",
        "La moitié des enfants accueillis ont retrouvé leur famille ou une place à l'école.",
        "Association de protection de l'enfance",
        expert=True,
    ),
    "bureau_emploi": Template(
        "Bureau municipal de l'emploi {de_p}",
        ("insertion_emploi",),
        ("demandeurs_emploi", "jeunes"),
        (20_000, 100_000),
        "Un bureau qui recense les offres locales, accompagne les demandeurs d'emploi et "
        "organise des formations courtes.",
        "Le bureau a accompagné plusieurs centaines de demandeurs d'emploi.",
    ),
    "cadre_concertation": Template(
        "Cadre de concertation sur l'action sociale {de_p}",
        ("renforcement_capacites", "acces_droits"),
        ("associations", "elus_agents"),
        (2_000, 12_000),
        "Un espace régulier de dialogue entre la collectivité, les associations et les services "
        "sociaux, présidé par l'élu·e en charge des affaires sociales.",
        "Le cadre se réunit chaque trimestre ; il a dressé la carte des acteurs sociaux du "
        "territoire.",
        "Réseau des associations sociales",
    ),
    "maison_jeunes": Template(
        "Maison des jeunes {de_p}",
        ("jeunesse",),
        ("jeunes",),
        (10_000, 70_000),
        "Un lieu d'activités culturelles et sportives, d'information et d'orientation pour les "
        "jeunes, géré avec eux.",
        "La maison compte plusieurs centaines d'adhérents.",
        "Association des jeunes",
    ),
    "cooperative_femmes": Template(
        "Coopérative de transformation agricole des femmes {de_p}",
        ("droits_femmes", "insertion_emploi"),
        ("femmes",),
        (8_000, 40_000),
        "Une unité de transformation, une formation à la gestion et l'accès au crédit pour un "
        "groupement de femmes productrices.",
        "Le groupement vend sa production sur les marchés de la région ; les revenus de ses "
        "membres ont augmenté.",
        "Groupement des femmes productrices",
    ),
    "analyse_besoins": Template(
        "Analyse des besoins sociaux {de_p}",
        ("renforcement_capacites", "autre"),
        ("elus_agents", "population"),
        (4_000, 25_000),
        "Un diagnostic partagé des besoins sociaux du territoire, mené avec les habitants, pour "
        "choisir les priorités de la coopération.",
        "Le diagnostic a été présenté au conseil ; il fonde le programme d'action suivant.",
        expert=True,
    ),
    "echange_aines": Template(
        "Leçons {de_p} pour {art_f} : la solidarité de voisinage auprès des aînés",
        ("personnes_agees", "renforcement_capacites"),
        ("personnes_agees", "professionnels"),
        (2_000, 12_000),
        "Réciprocité : les services {de_f} étudient les réseaux de voisins qui entourent les "
        "personnes âgées {de_p} pour repenser leurs propres visites de convivialité.",
        "Un réseau de voisins solidaires a été expérimenté dans deux quartiers.",
        expert=True,
    ),
    "centre_handicap": Template(
        "Centre de jour pour les personnes handicapées {de_p}",
        ("handicap", "sante"),
        ("personnes_handicapees", "familles"),
        (15_000, 80_000),
        "Un centre de jour pour l'accueil, la rééducation et l'orientation des personnes "
        "handicapées, et la formation de son équipe.",
        "Le centre suit une soixantaine de personnes et leurs familles.",
        "Association des parents d'enfants handicapés",
        expert=True,
    ),
    "aines_centre": Template(
        "Centre de jour pour les aînés {de_p}",
        ("personnes_agees",),
        ("personnes_agees", "familles"),
        (10_000, 60_000),
        "Un lieu de rencontre, de repas et de soins pour les personnes âgées isolées, qui "
        "soulage aussi les familles.",
        "Le centre accueille chaque jour une trentaine de personnes âgées.",
        "Association d'aide aux aînés",
    ),
    "soutien_psy": Template(
        "Soutien psychologique aux familles déplacées accueillies {a_p}",
        ("sante", "acces_droits"),
        ("familles", "enfants", "migrants"),
        (20_000, 120_000),
        "Des psychologues et des travailleurs sociaux accompagnent les familles déplacées ; les "
        "équipes locales sont formées à l'écoute des traumatismes.",
        "Plusieurs centaines de familles ont été accompagnées ; une équipe locale a pris le "
        "relais.",
        expert=True,
    ),
    "desinstitutionnalisation": Template(
        "Des foyers aux familles d'accueil {a_p}",
        ("protection_enfance", "politique_familiale"),
        ("enfants", "familles", "professionnels"),
        (15_000, 70_000),
        "Accompagner la fermeture progressive d'un internat pour enfants en développant "
        "l'accueil familial et le soutien aux parents.",
        "Les enfants de l'internat vivent désormais en famille ou dans de petites unités.",
        "Association de protection de l'enfance",
        expert=True,
    ),
    "retour_femmes": Template(
        "Espace femmes {de_f}, sur le modèle de la maison des femmes {de_p}",
        ("droits_femmes", "acces_droits"),
        ("femmes", "migrants"),
        (3_000, 20_000),
        "Réciprocité : les services {de_f} adaptent à leurs quartiers le modèle de la maison "
        "des femmes {de_p}, pour les femmes isolées.",
        "L'espace a ouvert ; il est animé avec des associations de femmes du quartier.",
    ),
}

# --- the partnerships -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str
    french: tuple[str, ...]
    partners: tuple[str, ...]
    kind: str
    status: str
    start: int
    end: int | None
    blurb: str
    projects: tuple  # template codes, or (code, start year) to pin a year
    programme: tuple[int, int] | None = None
    published: bool = True


ROWS = (
    Row(
        "valbrune_ndiareme",
        ("valbrune", "pays_de_brune"),
        ("ndiareme",),
        "twinning",
        "active",
        2006,
        None,
        "Jumelage d'une petite ville bretonne et de sa communauté de communes avec une commune "
        "de la région de Thiès, tourné vers les droits des femmes et la petite enfance.",
        (("maison_femmes", 2008), "creche", "cadre_concertation"),
        programme=(2019, 2021),
    ),
    Row(
        "montcalvert_koulinda",
        ("montcalvert",),
        ("koulinda",),
        "cooperation",
        "active",
        1986,
        None,
        "Coopération ancienne avec une commune de la région de Ségou : d'abord l'eau et les "
        "écoles, puis la santé, l'emploi des jeunes et les femmes depuis les années 2000.",
        ("sante_communautaire", "insertion_jeunes", ("cooperative_femmes", 2003)),
    ),
    Row(
        "brevillon_tangassoko",
        ("brevillon",),
        ("tangassoko",),
        "twinning",
        "active",
        1979,
        None,
        "L'un des plus anciens jumelages de la démonstration : échanges scolaires d'abord, "
        "petite enfance et jeunesse aujourd'hui.",
        ("creche", "maison_jeunes"),
    ),
    Row(
        "sorlanges_koudiere",
        ("sorlanges",),
        ("koudiere",),
        "twinning",
        "ended",
        1995,
        2012,
        "Jumelage porté par un comité bénévole très actif, arrêté faute de relève ; la case de "
        "santé construite ensemble fonctionne toujours.",
        ("sante_communautaire", "logement"),
    ),
    Row(
        "valdemauve_zogbanme",
        ("val_de_mauve",),
        ("zogbanme",),
        "cooperation",
        "active",
        2011,
        None,
        "L'agglomération a choisi l'appui institutionnel : un guichet social à la mairie, puis "
        "l'accueil des enfants handicapés à l'école.",
        (("guichet_social", 2012), "handicap_ecole", "formation"),
        programme=(2016, 2018),
    ),
    Row(
        "chantebrie_sindone",
        ("chantebrie",),
        ("sindone",),
        "cooperation",
        "active",
        2008,
        None,
        "Coopération centrée sur la protection de l'enfance en Casamance ; sa méthode "
        "d'enregistrement des naissances a été reprise par d'autres partenariats.",
        ("enfants_rue", ("etat_civil", 2009), "formation"),
    ),
    Row(
        "lorvanne_valea",
        ("lorvanne",),
        ("valea_mica",),
        "twinning",
        "active",
        1992,
        None,
        "Né au début des années 1990, le jumelage a accompagné la création des services sociaux "
        "de la commune roumaine.",
        (("aide_domicile", 1996), "handicap_ecole"),
    ),
    Row(
        "merlanges_guidan",
        ("merlanges",),
        ("guidan_kora",),
        "cooperation",
        "suspended",
        2007,
        None,
        "Coopération suspendue pour des raisons de sécurité : plus de missions sur place, mais "
        "les échanges continuent à distance.",
        ("sante_communautaire", ("cooperative_femmes", 2010)),
    ),
    Row(
        "vireval_beni_khalfa",
        ("vireval",),
        ("beni_khalfa",),
        "cooperation",
        "active",
        2013,
        None,
        "Une coopération pensée dans les deux sens : beaucoup d'habitants de Vireval sont "
        "originaires du cap Bon.",
        ("insertion_jeunes", ("maison_femmes", 2014), "diaspora", ("retour_femmes", 2019)),
    ),
    Row(
        "ostreville_morne_bleu",
        ("ostreville",),
        ("morne_bleu",),
        "cooperation",
        "active",
        2010,
        None,
        "Coopération née de la solidarité après le séisme de 2010, devenue un partenariat "
        "durable sur l'habitat et l'enfance.",
        ("logement", "enfants_rue"),
    ),
    Row(
        "rivelune_kossible",
        ("rivelune",),
        ("kossible",),
        "cooperation",
        "active",
        2015,
        None,
        "La métropole aide une commune ivoirienne en forte croissance à organiser ses services "
        "sociaux et d'emploi.",
        ("analyse_besoins", "bureau_emploi", "cadre_concertation"),
        programme=(2021, 2023),
    ),
    Row(
        "monts_orval_falabougou",
        ("monts_orval",),
        ("falabougou",),
        "cooperation",
        "active",
        2009,
        None,
        "Coopération entre deux territoires agricoles, où les femmes productrices tiennent la "
        "première place.",
        ("cooperative_femmes", ("etat_civil", 2014), "creche"),
    ),
    Row(
        "haute_valliere_diabakoro",
        ("haute_valliere",),
        ("diabakoro",),
        "cooperation",
        "active",
        2002,
        None,
        "Le département met au service du cercle son expérience de la protection maternelle et "
        "infantile et du soutien aux familles.",
        ("sante_communautaire", "familles", "formation"),
        programme=(2014, 2016),
    ),
    Row(
        "haute_valliere_imi_ntilit",
        ("haute_valliere",),
        ("imi_ntilit",),
        "cooperation",
        "active",
        2017,
        None,
        "Deuxième coopération du département, avec une commune rurale de l'Anti-Atlas ; elle "
        "reprend des outils éprouvés ailleurs.",
        (("maison_femmes", 2019), "creche"),
    ),
    Row(
        "val_ardaine_verkhnelessk",
        ("val_ardaine",),
        ("verkhnelessk",),
        "cooperation",
        "suspended",
        1998,
        None,
        "Coopération suspendue depuis 2022 ; elle avait développé l'aide à domicile et "
        "l'inclusion scolaire, et nourri une réflexion réciproque sur le vieillissement.",
        ("aide_domicile", "handicap_ecole", "echange_aines"),
    ),
    Row(
        "val_ardaine_oued_zitoun",
        ("val_ardaine",),
        ("oued_zitoun",),
        "cooperation",
        "active",
        2012,
        None,
        "Coopération ouverte en 2012 avec une commune de l'intérieur tunisien, sur l'emploi des "
        "jeunes et les droits des femmes.",
        ("insertion_jeunes", "maison_femmes"),
    ),
    Row(
        "cotes_brume_assif_ouarg",
        ("cotes_brume",),
        ("assif_ouarg",),
        "cooperation",
        "active",
        2005,
        None,
        "Le département et la province travaillent sur le handicap et la petite enfance, avec "
        "un fort volet de formation croisée.",
        ("centre_handicap", "creche", "formation"),
        programme=(2018, 2020),
    ),
    Row(
        "cotes_brume_draganesti",
        ("cotes_brume",),
        ("draganesti",),
        "cooperation",
        "active",
        2019,
        None,
        "Coopération récente sur la fermeture des internats pour enfants et le maintien à "
        "domicile des aînés.",
        ("desinstitutionnalisation", ("aide_domicile", 2020)),
    ),
    Row(
        "ardaine_collines_rouges",
        ("ardaine_littoral",),
        ("collines_rouges",),
        "cooperation",
        "active",
        2004,
        None,
        "Coopération de région à région sur la formation professionnelle et l'insertion des "
        "jeunes.",
        ("bureau_emploi", "insertion_jeunes", "analyse_besoins"),
        programme=(2020, 2022),
    ),
    Row(
        "ardaine_tan_hoa",
        ("ardaine_littoral",),
        ("tan_hoa",),
        "cooperation",
        "active",
        2014,
        None,
        "Coopération sur le handicap et le vieillissement, deux défis que les deux territoires "
        "partagent.",
        ("centre_handicap", "aines_centre"),
    ),
    Row(
        "hautes_marches_zelenohirsk",
        ("hautes_marches",),
        ("zelenohirsk",),
        "cooperation",
        "active",
        2022,
        None,
        "Partenariat de solidarité ouvert en 2022 avec une ville qui accueille des familles "
        "déplacées.",
        ("soutien_psy", "logement"),
    ),
    Row(
        "hautes_marches_borowiec",
        ("hautes_marches",),
        ("borowiec",),
        "cooperation",
        "ended",
        2004,
        2010,
        "Coopération nouée au moment de l'élargissement de l'Union européenne, close après deux "
        "programmes.",
        ("bureau_emploi", "aines_centre"),
    ),
    Row(
        "lorvanne_kisvarhely",
        ("lorvanne",),
        ("kisvarhely",),
        "twinning",
        "active",
        1990,
        None,
        "Jumelage d'amitié devenu, avec le temps, un échange entre services sociaux.",
        ("aines_centre", "maison_jeunes"),
    ),
    Row(
        "chantebrie_mbalengue",
        ("chantebrie",),
        ("mbalengue",),
        "cooperation",
        "planned",
        2024,
        None,
        "Coopération en préparation : une première mission a permis de choisir les priorités.",
        ("analyse_besoins", "creche"),
    ),
    Row(
        "merlanges_agbavikope",
        ("merlanges",),
        ("agbavikope",),
        "cooperation",
        "active",
        2016,
        None,
        "Coopération de commune à commune sur les droits des femmes et l'enregistrement des "
        "naissances.",
        ("cooperative_femmes", ("etat_civil", 2018)),
    ),
    Row(
        "vireval_kfar_nahle",
        ("vireval",),
        ("kfar_nahle",),
        "one_off",
        "ended",
        2007,
        2008,
        "Action ponctuelle de soutien aux familles après le conflit de 2006.",
        ("soutien_psy",),
    ),
    Row(
        "montcalvert_beit_zeitoun",
        ("montcalvert",),
        ("beit_zeitoun",),
        "cooperation",
        "active",
        2010,
        None,
        "Coopération sur le handicap et la jeunesse, menée avec un réseau de villes ; fiche non "
        "publiée, visible des seuls membres concernés.",
        ("centre_handicap", "maison_jeunes"),
        published=False,
    ),
    Row(
        "brevillon_ambohibe",
        ("brevillon",),
        ("ambohibe",),
        "cooperation",
        "active",
        2018,
        None,
        "Coopération récente, née de l'engagement d'une association de la diaspora malgache.",
        ("creche", "sante_communautaire", "diaspora"),
    ),
    Row(
        "sorlanges_arevashogh",
        ("sorlanges",),
        ("arevashogh",),
        "twinning",
        "active",
        1975,
        None,
        "Le plus ancien jumelage de la démonstration : les familles des deux villes "
        "s'accueillent depuis près de cinquante ans.",
        ("aines_centre", "familles"),
    ),
    Row(
        "val_de_mauve_ould_mbarek",
        ("val_de_mauve",),
        ("ould_mbarek",),
        "cooperation",
        "active",
        2021,
        None,
        "L'agglomération transpose en Mauritanie le guichet social mis au point avec Zogbanmè.",
        (("guichet_social", 2022), "maison_femmes"),
    ),
    Row(
        "rivelune_sidi_bounaga",
        ("rivelune",),
        ("sidi_bounaga",),
        "cooperation",
        "planned",
        2023,
        None,
        "Projet de coopération en cours de définition autour de l'insertion des jeunes ; fiche "
        "non publiée.",
        ("insertion_jeunes",),
        published=False,
    ),
    Row(
        "ostreville_mbelaye",
        ("ostreville",),
        ("mbelaye",),
        "cooperation",
        "active",
        2012,
        None,
        "Coopération rurale ; l'enregistrement des naissances y reprend la méthode de Chantebrie "
        "et Sindoné.",
        (("etat_civil", 2015), "maison_jeunes"),
    ),
    Row(
        "monts_orval_kpessirou",
        ("monts_orval",),
        ("kpessirou",),
        "one_off",
        "ended",
        2019,
        2020,
        "Mission ponctuelle d'appui à un centre de santé.",
        ("sante_communautaire",),
    ),
)

# model → replica, as (row key, template code) pairs
REPLICATIONS = (
    (("chantebrie_sindone", "etat_civil"), ("monts_orval_falabougou", "etat_civil")),
    (("chantebrie_sindone", "etat_civil"), ("merlanges_agbavikope", "etat_civil")),
    (("chantebrie_sindone", "etat_civil"), ("ostreville_mbelaye", "etat_civil")),
    (("valbrune_ndiareme", "maison_femmes"), ("haute_valliere_imi_ntilit", "maison_femmes")),
    (("valdemauve_zogbanme", "guichet_social"), ("val_de_mauve_ould_mbarek", "guichet_social")),
    (("lorvanne_valea", "aide_domicile"), ("cotes_brume_draganesti", "aide_domicile")),
    (("vireval_beni_khalfa", "maison_femmes"), ("vireval_beni_khalfa", "retour_femmes")),
    (("montcalvert_koulinda", "cooperative_femmes"), ("merlanges_guidan", "cooperative_femmes")),
)

# --- shared funders and actors ----------------------------------------------------------------------

SHARED_FUNDERS = (
    FunderSpec("union_europeenne", "Union européenne", "union_europeenne"),
    FunderSpec("fondation", "Fondation Entraide et Territoires (fictive)", "fondation"),
)
EXTERNAL_FUNDERS = ("mae_triennal", "union_europeenne", "fondation")
OPERATOR = ActorSpec(
    "ong_villes_solidarites",
    "ONG Villes et Solidarités (exemple fictif)",
    "operator",
    None,
    NOTE,
    fictitious=True,
)

# rough exchange rates, only to write some invented budgets in local currency
RATES = {"XOF": Decimal("655.957"), "XAF": Decimal("655.957"), "MAD": Decimal("10.8")}


def _round(amount: Decimal, currency: str) -> Decimal:
    step = Decimal(100_000) if currency in ("XOF", "XAF") else Decimal(500)
    return max(step, (amount / step).to_integral_value() * step)


def _funder(place: Place) -> FunderSpec:
    kind = "fonds_propres" if place.territory.country == "FR" else "autre_collectivite"
    return FunderSpec(f"funder:{place.territory.key}", f"{place.authority} {place.suffix}", kind)


def _service(place: Place) -> ActorSpec:
    t = place.territory
    if t.country == "FR":
        label = {
            "commune": "Service des relations internationales",
            "intercommunalite": "Mission coopération internationale",
            "departement": "Direction de la solidarité internationale",
            "region": "Direction des relations internationales",
        }[t.kind]
    elif t.country == "VN":
        label = "Service du travail, des invalides et des affaires sociales"
    else:
        label = "Service des affaires sociales"
    return ActorSpec(
        f"service:{t.key}",
        f"{label} — {place.authority} {FICTITIOUS}",
        "municipal_service",
        t.key,
        NOTE,
        fictitious=True,
    )


def _expert(place: Place) -> ActorSpec:
    label = {
        "commune": "Centre communal d'action sociale",
        "intercommunalite": "Centre intercommunal d'action sociale",
        "departement": "Direction de l'enfance et des familles",
        "region": "Direction de la formation professionnelle",
    }[place.territory.kind]
    return ActorSpec(
        f"expert:{place.territory.key}",
        f"{label} — {place.authority} {FICTITIOUS}",
        "municipal_service",
        place.territory.key,
        NOTE,
        fictitious=True,
    )


def _association(place: Place, stem: str) -> ActorSpec:
    return ActorSpec(
        f"association:{place.territory.key}:{stem}",
        f"{stem} {place.de} {FICTITIOUS}",
        "association",
        place.territory.key,
        NOTE,
        fictitious=True,
    )


class _Builder:
    def __init__(self) -> None:
        self.actors: dict[str, ActorSpec] = {OPERATOR.key: OPERATOR}
        self.funders: dict[str, FunderSpec] = {f.key: f for f in SHARED_FUNDERS}
        self.partnerships: list[PartnershipSpec] = []
        self.project_titles: dict[tuple[str, str], tuple[str, str]] = {}

    def actor(self, spec: ActorSpec) -> str:
        self.actors.setdefault(spec.key, spec)
        return spec.key

    def funder(self, spec: FunderSpec) -> str:
        self.funders.setdefault(spec.key, spec)
        return spec.key

    # --- one partnership ---

    def partnership(self, row: Row) -> None:
        french = [PLACES[k] for k in row.french]
        partners = [PLACES[k] for k in row.partners]
        fr, p = french[0], partners[0]
        title = (
            f"{' et '.join(x.short for x in french)} ↔ "
            f"{' et '.join(x.short for x in partners)} {FICTITIOUS}"
        )
        rng = random.Random(f"reciprocite-demo:{row.key}")  # noqa: S311 - demo data, not security
        start = date(row.start, rng.randint(1, 12), 1)
        end = date(row.end, 12, 31) if row.end else None
        words = {
            "de_p": p.de,
            "a_p": p.a,
            "de_f": fr.de,
            "a_f": fr.a,
            "art_f": fr.art,
        }
        fr_funder = self.funder(_funder(fr))
        p_funder = self.funder(_funder(p))
        lead = self.actor(_service(fr))
        partner_service = self.actor(_service(p))
        committee = self.actor(
            ActorSpec(
                f"committee:{row.key}",
                (
                    f"Comité de jumelage {fr.short} – {p.short} {FICTITIOUS}"
                    if row.kind == "twinning"
                    else f"Association {fr.short} Solidarité {p.short} {FICTITIOUS}"
                ),
                "association",
                fr.territory.key,
                NOTE,
                fictitious=True,
            )
        )
        correspondent = None
        if rng.random() < 0.35:
            correspondent = self.actor(
                ActorSpec(
                    f"correspondent:{row.key}",
                    f"Correspondant·e {fr.de} {p.a} {FICTITIOUS}",
                    "correspondent",
                    p.territory.key,
                    NOTE,
                    fictitious=True,
                )
            )

        programme = None
        if row.programme:
            a, b = row.programme
            external = rng.choice(("mae_triennal", "union_europeenne"))
            lines = []
            for budget_year in range(a, b + 1):
                lines.append(
                    BudgetLineSpec(budget_year, fr_funder, Decimal(rng.randint(20, 60) * 1_000))
                )
                lines.append(
                    BudgetLineSpec(budget_year, external, Decimal(rng.randint(10, 40) * 1_000))
                )
                local = Decimal(rng.randint(2, 8) * 1_000)
                if p.currency != "EUR":
                    local = _round(local * RATES[p.currency], p.currency)
                lines.append(BudgetLineSpec(budget_year, p_funder, local, p.currency))
            programme = ProgrammeSpec(
                title=f"Programme d'action {a}–{b} {FICTITIOUS}",
                start_year=a,
                end_year=b,
                description=(
                    "Programme pluriannuel de la coopération, avec ses lignes budgétaires par "
                    "année et par financeur. " + NOTE
                ),
                lines=tuple(lines),
            )

        projects = []
        in_programme_left = 2 if programme else 0  # the first two projects not pinned to a year
        for index, item in enumerate(row.projects):
            code, pinned = (item, None) if isinstance(item, str) else item
            template = TEMPLATES[code]
            in_programme = bool(in_programme_left and pinned is None)
            in_programme_left -= in_programme
            year = pinned or (programme.start_year if programme and in_programme else None)
            projects.append(
                self.project(
                    row,
                    rng,
                    template,
                    words,
                    year=year,
                    start=start,
                    end=end,
                    programme=programme.title if programme and in_programme else "",
                    fundings_from=(fr_funder, p_funder),
                    roles=self.roles(
                        rng,
                        template,
                        code,
                        index,
                        fr,
                        p,
                        lead,
                        partner_service,
                        committee,
                        correspondent,
                    ),
                    currency=p.currency,
                )
            )
            self.project_titles[(row.key, code)] = (title, projects[-1].title)

        documents = [
            DocumentSpec(
                f"Convention de coopération {fr.short} – {p.short} {FICTITIOUS}",
                "convention",
                start,
            )
        ]
        if row.status == "ended":
            documents.append(
                DocumentSpec(f"Rapport de fin de coopération {FICTITIOUS}", "report", end)
            )

        self.partnerships.append(
            PartnershipSpec(
                title=title,
                kind=row.kind,
                status=row.status,
                start_date=start,
                end_date=end,
                french=row.french,
                partners=row.partners,
                description=f"{row.blurb}\n\n{NOTE}",
                is_published=row.published,
                fictitious=True,
                programmes=(programme,) if programme else (),
                projects=tuple(projects),
                documents=tuple(documents),
            )
        )

    def roles(
        self, rng, template, code, index, fr, p, lead, partner_service, committee, correspondent
    ):
        roles = [RoleSpec(lead, "lead"), RoleSpec(partner_service, "partner")]
        if template.association:
            association = self.actor(_association(p, template.association))
            roles.append(RoleSpec(association, rng.choice(("partner", "operator", "beneficiary"))))
        if template.expert:
            roles.append(RoleSpec(self.actor(_expert(fr)), "expert"))
        if code == "cadre_concertation":
            chair = self.actor(
                ActorSpec(
                    f"chair:{p.territory.key}",
                    f"Élu·e aux affaires sociales — {p.authority} {FICTITIOUS}",
                    "elected_official",
                    p.territory.key,
                    NOTE,
                    fictitious=True,
                )
            )
            roles.append(RoleSpec(chair, "chair"))
        if index == 0:
            roles.append(RoleSpec(committee, "partner", "Mobilise les habitants et les bénévoles"))
            if correspondent:
                roles.append(RoleSpec(correspondent, "correspondent"))
        if rng.random() < 0.15:
            roles.append(RoleSpec(OPERATOR.key, "operator"))
        return tuple(roles)

    def project(
        self,
        row,
        rng,
        template,
        words,
        *,
        year,
        start,
        end,
        programme,
        fundings_from,
        roles,
        currency,
    ):
        last = min(end.year if end else LAST_YEAR, LAST_YEAR)
        if row.status == "planned":
            year = year or max(row.start, LAST_YEAR) + rng.randint(0, 1)
        elif year is None:
            year = rng.randint(start.year, max(start.year, last))
        project_start = max(date(year, rng.randint(1, 12), 1), start)
        status = self.status(row.status, project_start.year, rng)
        project_end = None
        if status in ("completed", "cancelled"):
            project_end = date(project_start.year + rng.randint(1, 3), rng.randint(1, 12), 28)
            if end and project_end > end:
                project_end = end
            if project_end.year > LAST_YEAR:
                project_end = date(LAST_YEAR, 12, 31)
            project_end = max(project_end, project_start)

        budget, budget_currency, fundings = None, "EUR", ()
        if rng.random() < 0.9:
            low, high = template.budget
            budget = Decimal(rng.randint(low // 500, high // 500) * 500)
            if currency != "EUR" and rng.random() < 0.3:
                budget_currency = currency
                budget = _round(budget * RATES[currency], currency)
            fundings = self.fundings(rng, budget, budget_currency, *fundings_from)

        return ProjectSpec(
            title=f"{template.title.format(**words)} {FICTITIOUS}",
            themes=template.themes,
            publics=template.publics,
            status=status,
            start_date=project_start,
            end_date=project_end,
            budget_amount=budget,
            budget_currency=budget_currency,
            summary=template.summary.format(**words),
            description=NOTE,
            results=template.results.format(**words) if status == "completed" else "",
            programme=programme,
            fundings=fundings,
            roles=roles,
            fictitious=True,
        )

    @staticmethod
    def status(partnership_status: str, year: int, rng) -> str:
        roll = rng.random()
        if partnership_status == "planned":
            return "planned"
        if partnership_status == "ended":
            return "completed" if roll < 0.85 else "cancelled"
        if partnership_status == "suspended":
            if year < 2020:
                return "completed" if roll < 0.8 else "cancelled"
            return "delayed"
        if year <= 2018:
            return "completed" if roll < 0.8 else ("ongoing" if roll < 0.95 else "cancelled")
        if year <= 2023:
            return "ongoing" if roll < 0.6 else ("completed" if roll < 0.85 else "delayed")
        return "planned" if roll < 0.5 else "ongoing"

    @staticmethod
    def fundings(rng, budget, currency, fr_funder, p_funder):
        unit = Decimal(100_000) if currency in ("XOF", "XAF") else Decimal(100)
        parts = []
        partner_share = Decimal(rng.randint(5, 15)) / 100
        partner = (budget * partner_share / unit).to_integral_value() * unit
        if rng.random() < 0.6:
            external_share = Decimal(rng.randint(25, 45)) / 100
            external = (budget * external_share / unit).to_integral_value() * unit
            if external > 0:
                parts.append(FundingSpec(rng.choice(EXTERNAL_FUNDERS), external, currency))
        french = budget - partner - sum((f.amount for f in parts), Decimal(0))
        parts.insert(0, FundingSpec(fr_funder, french, currency))
        if partner > 0:
            parts.append(FundingSpec(p_funder, partner, currency))
        return tuple(parts)


def build() -> DemoContent:
    builder = _Builder()
    for row in ROWS:
        builder.partnership(row)
    replications = tuple(
        ReplicationSpec(
            builder.project_titles[model],
            builder.project_titles[replica],
            f"Reprise d'un modèle {FICTITIOUS}",
        )
        for model, replica in REPLICATIONS
    )
    return DemoContent(
        territories=tuple(place.territory for place in FRENCH_PLACES + PARTNER_PLACES),
        actors=tuple(builder.actors.values()),
        funders=tuple(builder.funders.values()),
        partnerships=tuple(builder.partnerships),
        replications=replications,
        organisations=(),
        users=(),
    )
