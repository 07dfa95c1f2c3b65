"""Demo content of the knowledge base: the conference's experiences as sheets, and a starter
toolbox whose files (PDF through WeasyPrint, XLSX through openpyxl) are generated at load time.

The sheets retell, in our own words, what the speakers of the conference « Action sociale et
coopération décentralisée » said; where a sheet goes beyond what was said (a method step that
is common practice, an advice), it says so as advice, not as a fact of the cooperation. The
tools are written for the demo: generic templates a local government can adapt.

Loading is idempotent: sheets and tools are matched on their ref; a row that already holds
the demo's values is not saved again; files are generated only when a tool lacks them.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field

from reciprocite.knowledge import services
from reciprocite.knowledge.models import Sheet, Tool
from reciprocite.knowledge.sanitize import text_to_html
from reciprocite.knowledge.taxonomy import Status
from reciprocite.registry.models import Partnership, Project, Side

from .content import (
    AIT_AMIRA_CENTRES,
    CCAS,
    EMPLOYMENT_OFFICE,
    EMPLOYMENT_SPREAD,
    HEROUVILLE_TIKHVINE,
    LILLE_SAINT_LOUIS,
    LOIRE_ATLANTIQUE_AGADIR,
    LOIRE_ATLANTIQUE_CHTOUKA,
    SOURCE,
    YOUTH_CENTRE,
    YOUTH_SPREAD,
)

CIVIL_STATUS = "Papiers d'état civil pour les enfants des mères en situation précaire"
CONSULTATION = "Cadres de concertation thématiques (action sociale, santé…)"
DIRECT_STEERING = "Pilotage direct entre services et correspondant à Saint-Louis"
PLATFORM = "Plateforme sociale franco-marocaine"
PAIRS = "Binômes associatifs franco-marocains"
DELEGATION = "Délégation d'associations sur la prise en charge de la mère et de l'enfant"
CROSS_TRAINING = "Échanges et formations croisées de professionnels du social"


@dataclass(frozen=True)
class SheetSpec:
    ref: str
    title: str
    partnership: str
    projects: tuple[str, ...]
    french_authority: str
    partner_authority: str
    country: str
    themes: tuple[str, ...]
    stage: str
    year_start: int | None
    sections: dict[str, str]
    contacts: str = ""
    is_highlight: bool = False
    language: str = "fr"
    translation_of: str = ""


@dataclass(frozen=True)
class ToolSpec:
    ref: str
    title: str
    kind: str
    stages: tuple[str, ...]
    difficulties: tuple[str, ...]
    themes: tuple[str, ...]
    description: str
    file_title: str
    file_kind: str  # "pdf" or "xlsx"
    body: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())  # PDF: (heading, lines)
    sheets: tuple[tuple[str, tuple[str, ...], tuple[tuple, ...]], ...] = field(default=())


# --- the sheets ---------------------------------------------------------------------------------

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        ref="demo-tikhvine-bureau-emploi",
        title="Tikhvine : un bureau de l'emploi remis sur pied devient le modèle de l'oblast",
        partnership=HEROUVILLE_TIKHVINE,
        projects=(EMPLOYMENT_OFFICE, EMPLOYMENT_SPREAD),
        french_authority="Ville d'Hérouville-Saint-Clair",
        partner_authority="Ville de Tikhvine (oblast de Leningrad)",
        country="RU",
        themes=("insertion_emploi", "renforcement_capacites"),
        stage="essaimer",
        year_start=1996,
        is_highlight=True,
        sections={
            "summary": (
                "Au milieu des années 1990, Tikhvine perd la grande usine qui employait 20 000 "
                "personnes et finançait les services de la ville. Hérouville-Saint-Clair, "
                "partenaire depuis 1991, choisit l'action sociale et commence par l'emploi : "
                "le premier bureau de l'emploi de l'oblast de Leningrad est remis en état de "
                "marche, puis sert de modèle à tous les autres bureaux de l'oblast."
            ),
            "context": (
                "Le partenariat naît deux mois avant la fin de l'Union soviétique. Avec la "
                "disparition de la planification centrale, les structures sociales portées par "
                "les entreprises s'effondrent : l'usine de Tikhvine n'a plus que 2 000 salariés "
                "en 1995, et plus aucun deux ans plus tard. L'aide humanitaire ne suffit pas ; "
                "il faut des services capables d'accompagner des milliers de personnes privées "
                "d'emploi.\n\n"
                "La situation d'urgence a aussi ouvert un espace pour innover : tout était à "
                "construire, et les partenaires russes étaient demandeurs de solutions qui "
                "marchent."
            ),
            "method": (
                "La ville d'Hérouville-Saint-Clair s'engage dans l'action sociale à partir de "
                "1996, avec l'appui d'experts bénévoles. Le premier chantier porte sur le bureau "
                "de l'emploi de Tikhvine : organisation de l'accueil des demandeurs d'emploi, "
                "méthodes d'accompagnement, formation des agents.\n\n"
                "Conseil pour qui veut s'en inspirer : partir d'un service existant, même "
                "affaibli, plutôt que d'en créer un de toutes pièces ; il a déjà une place dans "
                "l'organisation locale."
            ),
            "results": (
                "Le bureau rénové a fonctionné et a servi de modèle à l'ensemble des bureaux de "
                "l'emploi de l'oblast de Leningrad. La confiance acquise a permis d'ouvrir "
                "d'autres chantiers : un centre d'aide médico-psychologique pour les jeunes, "
                "l'accueil d'enfants handicapés à l'école ordinaire, l'aide à domicile."
            ),
            "difficulties": (
                "Le contexte était celui d'une implosion des structures sociales : besoins "
                "immenses, moyens publics très faibles, règles qui changeaient vite. Le "
                "partenariat a avancé par un projet concret et visible à la fois, plutôt que par "
                "un programme d'ensemble."
            ),
            "reciprocity": (
                "L'expérience a montré aux équipes françaises ce que leur savoir-faire en "
                "matière d'insertion pouvait apporter ailleurs, et les a obligées à le "
                "formuler simplement, sans le cadre institutionnel français."
            ),
            "replication": (
                "Le modèle a été étendu à tous les bureaux de l'emploi de l'oblast de Leningrad."
            ),
        },
        contacts=(
            "Ville d'Hérouville-Saint-Clair, service des relations internationales (fiche de "
            "démonstration : coordonnées à compléter)."
        ),
    ),
    SheetSpec(
        ref="demo-tikhvine-bureau-emploi-en",
        language="en",
        translation_of="demo-tikhvine-bureau-emploi",
        title="Tikhvin: an employment office brought back to life becomes the region's model",
        partnership=HEROUVILLE_TIKHVINE,
        projects=(EMPLOYMENT_OFFICE, EMPLOYMENT_SPREAD),
        french_authority="City of Hérouville-Saint-Clair",
        partner_authority="City of Tikhvin (Leningrad oblast)",
        country="RU",
        themes=("insertion_emploi", "renforcement_capacites"),
        stage="essaimer",
        year_start=1996,
        sections={
            "summary": (
                "In the mid-1990s Tikhvin lost the large factory that employed 20,000 people and "
                "paid for the town's services. Hérouville-Saint-Clair, its partner since 1991, "
                "turned to social action and started with jobs: the first employment office of "
                "the Leningrad oblast was put back in working order, then served as the model "
                "for every other employment office in the oblast."
            ),
            "context": (
                "The partnership began two months before the end of the Soviet Union. When "
                "central planning disappeared, the social services run by companies collapsed: "
                "the Tikhvin factory had 2,000 employees left in 1995 and none two years later."
            ),
            "method": (
                "From 1996 the city of Hérouville-Saint-Clair worked on social action with "
                "volunteer experts, starting with the Tikhvin employment office: how job seekers "
                "are received, how they are supported, how the staff are trained."
            ),
            "results": (
                "The renovated office became the model for all the employment offices of the "
                "Leningrad oblast, and opened the way to further projects."
            ),
            "replication": "Extended to every employment office of the Leningrad oblast.",
        },
    ),
    SheetSpec(
        ref="demo-tikhvine-centre-jeunes",
        title="Un centre d'aide médico-psychologique pour les jeunes en difficulté à Tikhvine",
        partnership=HEROUVILLE_TIKHVINE,
        projects=(YOUTH_CENTRE, YOUTH_SPREAD),
        french_authority="Ville d'Hérouville-Saint-Clair",
        partner_authority="Ville de Tikhvine (oblast de Leningrad)",
        country="RU",
        themes=("jeunesse", "sante"),
        stage="essaimer",
        year_start=None,
        is_highlight=True,
        sections={
            "summary": (
                "Après le bureau de l'emploi, le partenariat Hérouville-Saint-Clair – Tikhvine "
                "a créé un centre d'aide médico-psychologique pour la jeunesse en difficulté. "
                "Le centre existe toujours, fonctionne bien, et a été dupliqué dans la région."
            ),
            "context": (
                "La crise économique des années 1990 touche durement les familles de Tikhvine ; "
                "les jeunes en sont les premières victimes (décrochage, souffrance psychique, "
                "conduites à risque), sans lieu pour les écouter et les soigner."
            ),
            "method": (
                "Le centre réunit une prise en charge psychologique et médicale pour les jeunes "
                "et un accueil de leurs familles. Le savoir-faire des professionnels "
                "français de la jeunesse et du soin a été mis à disposition de l'équipe locale, "
                "qui a porté le projet.\n\n"
                "Conseil : associer dès le départ les services de santé et d'éducation de la "
                "ville partenaire, qui orienteront les jeunes vers le centre."
            ),
            "results": (
                "Le centre est toujours ouvert des années plus tard et fonctionne très bien, "
                "signe que la ville se l'est approprié."
            ),
            "difficulties": (
                "Créer un service nouveau dans une ville dont les finances s'étaient effondrées : "
                "le projet a réussi parce qu'il répondait à un besoin reconnu localement et "
                "qu'il a été porté par les acteurs de Tikhvine, pas seulement par le partenaire "
                "français."
            ),
            "reciprocity": (
                "Pour les professionnels français, un regard neuf sur l'accueil des jeunes en "
                "souffrance quand les moyens sont rares : ce qui compte d'abord, c'est un lieu "
                "identifié et une équipe stable."
            ),
            "replication": "Le centre a été dupliqué ailleurs dans la région.",
        },
    ),
    SheetSpec(
        ref="demo-saint-louis-ccas",
        title="Créer un CCAS à Saint-Louis du Sénégal : un projet retardé par la politique",
        partnership=LILLE_SAINT_LOUIS,
        projects=(CCAS,),
        french_authority="Ville de Lille",
        partner_authority="Commune de Saint-Louis",
        country="SN",
        themes=("acces_droits", "renforcement_capacites"),
        stage="concevoir",
        year_start=2007,
        is_highlight=True,
        sections={
            "summary": (
                "L'axe « action sociale » du programme triennal Lille – Saint-Louis visait à "
                "mettre en place un centre communal d'action sociale (CCAS) à Saint-Louis, sur "
                "le modèle français. Faute d'accord politique, le projet n'a pas abouti dans le "
                "premier programme ; il a été repris dans le programme 2010–2012."
            ),
            "context": (
                "Lille et Saint-Louis sont jumelées depuis 1978. Depuis 2007, leur coopération "
                "s'inscrit dans les appels à projets triennaux cofinancés par le ministère des "
                "Affaires étrangères, avec un dossier sur l'appui institutionnel par thème."
            ),
            "method": (
                "Le projet devait s'appuyer sur l'expérience du CCAS de Lille : statut, "
                "missions, instance de décision associant élus et société civile, accueil des "
                "habitants. Dans le programme 2010–2012, il est porté directement par les "
                "services des deux villes plutôt que par un opérateur."
            ),
            "results": (
                "Au moment de la conférence, le CCAS n'était pas encore en place ; le programme "
                "2010–2012 n'était pas achevé."
            ),
            "difficulties": (
                "Le projet a été bloqué pour des raisons politiques : créer une institution "
                "nouvelle suppose une décision de la commune et un portage par ses élus. Il a "
                "été reporté au programme suivant plutôt qu'abandonné, et la méthode a changé : "
                "relation directe entre services, correspondant sur place, cadres de "
                "concertation présidés par les élus de Saint-Louis.\n\n"
                "Leçon à retenir : une institution ne se transpose pas ; il faut que les élus "
                "du partenaire la veuillent et en définissent eux-mêmes la forme."
            ),
            "reciprocity": (
                "Expliquer ce qu'est un CCAS à un partenaire oblige à clarifier les concepts que "
                "l'on met derrière les mots : la coopération a amélioré la compréhension des "
                "méthodes de travail des uns et des autres."
            ),
        },
        contacts="Ville de Lille, direction des relations internationales.",
    ),
    SheetSpec(
        ref="demo-saint-louis-concertation",
        title="Des cadres de concertation thématiques présidés par les élus de Saint-Louis",
        partnership=LILLE_SAINT_LOUIS,
        projects=(CONSULTATION, DIRECT_STEERING),
        french_authority="Ville de Lille",
        partner_authority="Commune de Saint-Louis",
        country="SN",
        themes=("renforcement_capacites", "acces_droits", "sante"),
        stage="mettre_en_oeuvre",
        year_start=2010,
        sections={
            "summary": (
                "Pour son programme 2010–2012, Lille change d'organisation : relation directe "
                "entre ses relations internationales et l'agence de développement communal de "
                "Saint-Louis, un correspondant sur place, et un cadre de concertation par thème "
                "(action sociale, santé…), animé et présidé par l'élu de Saint-Louis chargé du "
                "thème."
            ),
            "context": (
                "Jusqu'en 2009, un opérateur associatif portait environ 90 % du programme ; "
                "seuls quelques volets, dont l'action sociale, étaient suivis directement par "
                "les directions de la ville de Lille."
            ),
            "method": (
                "D'un commun accord, les deux villes ont choisi de travailler de service à "
                "service. Un correspondant a été installé à Saint-Louis. Sur chaque thème de la "
                "coopération, un cadre de concertation réunit la commune, les associations et la "
                "société civile ; l'élu thématique de Saint-Louis l'anime et le préside.\n\n"
                "La charte d'un cadre de concertation de la boîte à outils propose une trame "
                "pour en fixer la composition, le rythme et les règles."
            ),
            "results": (
                "Une meilleure compréhension des méthodes de travail et des concepts de chacun ; "
                "un accès plus facile aux directions thématiques de Lille grâce au lien direct "
                "entre services ; autant d'espaces de dialogue entre la commune et sa société "
                "civile que de thèmes."
            ),
            "difficulties": (
                "Multiplier les acteurs multiplie les interventions : la cohérence entre eux "
                "devient un enjeu fort. La coordination des acteurs est essentielle et doit être "
                "organisée explicitement (qui informe qui, qui décide)."
            ),
            "reciprocity": (
                "Travailler en direct a rapproché les services lillois de la coopération : ils "
                "découvrent d'autres façons de faire et les concepts qu'un partenaire met derrière "
                "les mêmes mots."
            ),
        },
        contacts="Ville de Lille, direction des relations internationales.",
    ),
    SheetSpec(
        ref="demo-agadir-plateforme-sociale",
        title="Une plateforme sociale franco-marocaine et des binômes d'associations",
        partnership=LOIRE_ATLANTIQUE_AGADIR,
        projects=(DELEGATION, PLATFORM, PAIRS, CROSS_TRAINING),
        french_authority="Département de Loire-Atlantique",
        partner_authority="Conseil préfectoral d'Agadir Ida-Outanane",
        country="MA",
        themes=("renforcement_capacites", "petite_enfance", "droits_femmes"),
        stage="mettre_en_oeuvre",
        year_start=2010,
        is_highlight=True,
        sections={
            "summary": (
                "En 2010, le Département de Loire-Atlantique a fait venir une délégation "
                "d'associations pour débattre de la prise en charge de la mère et de l'enfant "
                "au Maroc. Les associations ont décidé de construire ensemble : une plateforme "
                "sociale franco-marocaine est née, à Agadir et en Loire-Atlantique, et des "
                "binômes associatifs travaillent en réciprocité."
            ),
            "context": (
                "Le Maroc modernise ses politiques sociales (réforme du Code de la famille, "
                "protection sociale). Après les infrastructures de base (eau, électricité), les "
                "collectivités partenaires se tournent vers les services sociaux : petite "
                "enfance, handicap, jeunesse, femmes vulnérables, avec le renforcement des "
                "capacités comme axe transversal."
            ),
            "method": (
                "Une rencontre d'associations des deux territoires, soutenue par le "
                "Département, sur un sujet précis (la mère et l'enfant) ; puis une plateforme "
                "commune, et des binômes associatifs qui échangent et se forment mutuellement. "
                "Des formations croisées de professionnels du social complètent le dispositif."
            ),
            "results": (
                "La plateforme est devenue un élément important de l'appui à la société civile. "
                "Elle montre qu'on peut apprendre ensemble à faire du commun sans renier sa "
                "singularité."
            ),
            "difficulties": (
                "Faire travailler ensemble des associations de cultures et de moyens très "
                "différents : l'apprentissage des codes culturels de l'autre a été au cœur des "
                "échanges."
            ),
            "reciprocity": (
                "La réciprocité est au cœur du processus : par les binômes, les échanges et les "
                "formations, des professionnels de Loire-Atlantique apprennent à mieux "
                "comprendre les codes culturels des populations qui vivent près d'eux. Un enjeu "
                "gagnant-gagnant."
            ),
        },
        contacts="Département de Loire-Atlantique, service solidarité internationale.",
    ),
    SheetSpec(
        ref="demo-ait-amira-centres-etat-civil",
        title="Aït Amira : des centres dans les douars et des papiers pour que les enfants "
        "restent à l'école",
        partnership=LOIRE_ATLANTIQUE_CHTOUKA,
        projects=(AIT_AMIRA_CENTRES, CIVIL_STATUS),
        french_authority="Département de Loire-Atlantique",
        partner_authority="Commune rurale d'Aït Amira (province de Chtouka Aït Baha)",
        country="MA",
        themes=("droits_femmes", "protection_enfance", "acces_droits"),
        stage="mettre_en_oeuvre",
        year_start=2009,
        sections={
            "summary": (
                "La commune rurale d'Aït Amira, à 25 km d'Agadir, travaille d'abord pour les "
                "droits des ouvrières agricoles. Avec le soutien du Département de "
                "Loire-Atlantique, elle a construit plus de cinq centres dans différents douars "
                "pour que les enfants de ces femmes ne quittent pas l'école, et elle aide les "
                "mères en situation précaire à obtenir les papiers d'état civil de leurs enfants."
            ),
            "context": (
                "Les femmes, venues pour la plupart de loin, forment plus de 65 % de la "
                "main-d'œuvre agricole de la région. Elles ont conquis le droit au travail ; "
                "restent le logement, la santé, l'alphabétisation et l'éducation de leurs "
                "enfants. Chaque jour, des dizaines d'entre elles viennent consulter la commune."
            ),
            "method": (
                "La commune a adopté une convention-cadre par laquelle elle soutient toute "
                "association travaillant pour les femmes et les enfants. Les centres sont "
                "construits dans les douars, au plus près des familles. Pour qu'un enfant reste "
                "à l'école, il lui faut des papiers : la commune accompagne les mères dans les "
                "démarches d'état civil."
            ),
            "results": (
                "Plus de cinq centres construits ; des mères accompagnées pour obtenir l'état "
                "civil de leurs enfants, condition de leur scolarité."
            ),
            "difficulties": (
                "Des familles éloignées des services et des démarches administratives qu'elles "
                "ne connaissent pas : la réponse a été de rapprocher les centres des douars et de "
                "s'appuyer sur les associations."
            ),
            "reciprocity": (
                "Pour un département français, l'accès aux papiers des enfants est aussi une "
                "question de ses propres services sociaux : l'expérience d'Aït Amira éclaire "
                "l'accompagnement des familles étrangères ou éloignées des démarches."
            ),
        },
        contacts="Commune rurale d'Aït Amira ; Département de Loire-Atlantique.",
    ),
)


# --- the toolbox --------------------------------------------------------------------------------

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        ref="outil-convention-cooperation",
        title="Modèle de convention de coopération décentralisée à visée sociale",
        kind="convention",
        stages=("s_engager", "concevoir"),
        difficulties=("changement_politique", "financement"),
        themes=("renforcement_capacites",),
        description=(
            "Une trame de convention entre une collectivité française et sa partenaire : "
            "objet, principes de réciprocité, gouvernance, engagements de chacun, financement, "
            "suivi et évaluation, durée et renouvellement. Les clauses de gouvernance aident à "
            "traverser un changement de majorité."
        ),
        file_title="Modèle de convention (PDF)",
        file_kind="pdf",
        body=(
            (
                "Article 1 — Objet",
                (
                    "La présente convention organise la coopération entre [collectivité "
                    "française] et [collectivité partenaire] dans le champ de l'action sociale.",
                ),
            ),
            (
                "Article 2 — Principes",
                (
                    "Réciprocité des échanges : chaque partie s'engage à partager son "
                    "expérience et à tirer les enseignements de celle de l'autre.",
                    "Respect des compétences de chaque collectivité et des choix de ses élus.",
                ),
            ),
            (
                "Article 3 — Gouvernance",
                (
                    "Un comité de pilotage paritaire se réunit au moins une fois par an.",
                    "Chaque partie désigne un élu référent et un agent technique référent ; "
                    "un changement de personne est notifié à l'autre partie sous un mois.",
                ),
            ),
            (
                "Article 4 — Financement",
                (
                    "Le programme d'actions et son budget sont annexés ; les cofinancements "
                    "recherchés y figurent.",
                ),
            ),
            (
                "Article 5 — Suivi et évaluation",
                ("Un bilan annuel partagé est établi ; une évaluation croisée à mi-parcours.",),
            ),
            (
                "Article 6 — Durée",
                ("La convention est conclue pour trois ans, renouvelable par accord exprès.",),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-charte-concertation",
        title="Charte d'un cadre de concertation thématique",
        kind="charter",
        stages=("concevoir", "mettre_en_oeuvre"),
        difficulties=("coordination_acteurs",),
        themes=("renforcement_capacites", "acces_droits"),
        description=(
            "Pour réunir, sur un thème de la coopération, la commune partenaire, ses "
            "associations et la société civile, sous la présidence de l'élu du thème : "
            "composition, rôle, rythme des réunions, règles de parole et de décision, "
            "compte rendu."
        ),
        file_title="Charte du cadre de concertation (PDF)",
        file_kind="pdf",
        body=(
            (
                "Objet",
                (
                    "Le cadre de concertation est un espace de dialogue sur [thème] entre la "
                    "commune, les associations du territoire et les habitants.",
                ),
            ),
            (
                "Présidence et animation",
                ("L'élu chargé du thème préside ; un agent de la commune assure le secrétariat.",),
            ),
            (
                "Membres",
                (
                    "Services de la commune concernés ; associations actives sur le thème ; "
                    "représentants des usagers ; partenaire de coopération (observateur).",
                ),
            ),
            (
                "Fonctionnement",
                (
                    "Au moins trois réunions par an ; ordre du jour diffusé une semaine avant.",
                    "Chacun s'exprime ; les avis sont consignés ; la décision reste à la commune.",
                    "Un compte rendu est diffusé à tous les membres sous quinze jours.",
                ),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-grille-besoins",
        title="Grille d'analyse des besoins sociaux d'un territoire partenaire",
        kind="needs_grid",
        stages=("s_engager", "concevoir"),
        difficulties=("coordination_acteurs", "suivi_distance"),
        themes=("acces_droits", "petite_enfance", "handicap", "jeunesse"),
        description=(
            "Un classeur à remplir avec le partenaire : publics, besoins observés, services "
            "existants, acteurs, manques, priorités. Pour décider ensemble avant d'agir."
        ),
        file_title="Grille d'analyse des besoins (XLSX)",
        file_kind="xlsx",
        sheets=(
            (
                "Besoins",
                (
                    "Public",
                    "Besoin observé",
                    "Source (qui le dit ?)",
                    "Service existant",
                    "Acteurs",
                    "Manque",
                    "Priorité (1-3)",
                ),
                (
                    ("Petite enfance", "", "", "", "", "", ""),
                    ("Personnes handicapées", "", "", "", "", "", ""),
                    ("Jeunes en difficulté", "", "", "", "", "", ""),
                    ("Femmes vulnérables", "", "", "", "", "", ""),
                    ("Personnes âgées", "", "", "", "", "", ""),
                ),
            ),
            (
                "Acteurs",
                ("Acteur", "Type", "Rôle possible", "Contact"),
                (("", "commune / association / État / autre", "", ""),),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-budget-programme",
        title="Modèle de budget d'un programme triennal de coopération",
        kind="budget",
        stages=("concevoir",),
        difficulties=("financement",),
        themes=("renforcement_capacites",),
        description=(
            "Un budget par année et par poste (missions, formations, équipement, "
            "coordination), avec les cofinancements attendus et les totaux calculés."
        ),
        file_title="Budget du programme (XLSX)",
        file_kind="xlsx",
        sheets=(
            (
                "Budget",
                ("Poste", "Année 1 (€)", "Année 2 (€)", "Année 3 (€)", "Total (€)"),
                (
                    ("Missions d'échange", 0, 0, 0, "=SUM(B2:D2)"),
                    ("Formations croisées", 0, 0, 0, "=SUM(B3:D3)"),
                    ("Équipement", 0, 0, 0, "=SUM(B4:D4)"),
                    ("Coordination et correspondant", 0, 0, 0, "=SUM(B5:D5)"),
                    ("Évaluation", 0, 0, 0, "=SUM(B6:D6)"),
                    ("Total", "=SUM(B2:B6)", "=SUM(C2:C6)", "=SUM(D2:D6)", "=SUM(E2:E6)"),
                ),
            ),
            (
                "Cofinancements",
                ("Financeur", "Nature", "Montant (€)", "Statut (demandé / acquis)"),
                (
                    ("Collectivité française", "fonds propres", 0, ""),
                    ("Collectivité partenaire", "fonds propres / valorisation", 0, ""),
                    ("Appel à projets de l'État", "subvention", 0, ""),
                ),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-guide-service-social",
        title="Guide : créer un service social communal avec une commune partenaire",
        kind="guide",
        stages=("concevoir", "mettre_en_oeuvre"),
        difficulties=("changement_politique", "rotation_personnel"),
        themes=("acces_droits", "renforcement_capacites"),
        description=(
            "Les étapes pour accompagner la création d'un service comparable à un CCAS, tirées "
            "de l'expérience de Saint-Louis : la volonté des élus d'abord, une forme adaptée, "
            "des agents formés, un lien avec les associations."
        ),
        file_title="Guide de création d'un service social (PDF)",
        file_kind="pdf",
        body=(
            (
                "1. Vérifier la volonté politique",
                (
                    "Le service doit être voulu par les élus du partenaire ; sans décision de "
                    "la commune, le projet s'arrête (Saint-Louis l'a montré).",
                ),
            ),
            (
                "2. Définir la forme avec le partenaire",
                (
                    "Ne pas transposer le CCAS français : partir des missions souhaitées et du "
                    "droit local.",
                ),
            ),
            (
                "3. Former et stabiliser l'équipe",
                (
                    "Former au moins deux agents, pour que le départ d'un seul ne suffise pas à "
                    "tout arrêter.",
                ),
            ),
            (
                "4. Associer la société civile",
                (
                    "Un cadre de concertation sur l'action sociale relie le service aux "
                    "associations.",
                ),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-guide-binomes",
        title="Guide des binômes associatifs franco-étrangers",
        kind="guide",
        stages=("mettre_en_oeuvre",),
        difficulties=("langue", "coordination_acteurs"),
        themes=("renforcement_capacites", "droits_femmes"),
        description=(
            "Former des paires d'associations des deux territoires, sur un même public : "
            "choisir les binômes, fixer des objectifs communs, organiser les échanges et les "
            "formations croisées, apprendre les codes culturels de l'autre."
        ),
        file_title="Guide des binômes associatifs (PDF)",
        file_kind="pdf",
        body=(
            (
                "Constituer les binômes",
                (
                    "Deux associations qui travaillent avec le même public (mères, enfants, "
                    "jeunes) ; une rencontre préalable, souvent lors d'une délégation.",
                ),
            ),
            (
                "Fixer des objectifs communs",
                (
                    "Un objectif par binôme, écrit ensemble, et ce que chacun veut apprendre de "
                    "l'autre.",
                ),
            ),
            (
                "Échanger et se former",
                ("Visites croisées, formations partagées, interprétariat prévu au budget.",),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-suivi-distance",
        title="Tableau de suivi des actions à distance",
        kind="other",
        stages=("mettre_en_oeuvre", "evaluer"),
        difficulties=("suivi_distance", "rotation_personnel"),
        themes=("renforcement_capacites",),
        description=(
            "Un tableau partagé entre les deux équipes : action, responsable de chaque côté, "
            "échéance, état d'avancement, difficulté rencontrée, décision attendue."
        ),
        file_title="Tableau de suivi (XLSX)",
        file_kind="xlsx",
        sheets=(
            (
                "Suivi",
                (
                    "Action",
                    "Responsable (France)",
                    "Responsable (partenaire)",
                    "Échéance",
                    "État",
                    "Difficulté",
                    "Décision attendue",
                ),
                (("", "", "", "", "à faire / en cours / fait", "", ""),),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-evaluation-reciprocite",
        title="Grille d'évaluation croisée et de réciprocité",
        kind="needs_grid",
        stages=("evaluer",),
        difficulties=("autre",),
        themes=("renforcement_capacites",),
        description=(
            "Pour évaluer à deux voix : ce que l'action a changé chez le partenaire, et ce "
            "que la collectivité française a appris ou changé chez elle."
        ),
        file_title="Grille d'évaluation croisée (XLSX)",
        file_kind="xlsx",
        sheets=(
            (
                "Évaluation",
                ("Question", "Réponse du partenaire", "Réponse française", "Preuve / exemple"),
                (
                    ("Qu'est-ce qui a changé pour les habitants ?", "", "", ""),
                    ("Le service existera-t-il sans nous ?", "", "", ""),
                    ("Qu'avons-nous appris de l'autre ?", "", "", ""),
                    ("Qu'avons-nous changé chez nous ?", "", "", ""),
                    ("Qu'est-ce qui a bloqué, et comment l'avons-nous surmonté ?", "", "", ""),
                ),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-guide-essaimage",
        title="Guide : faire essaimer un modèle dans la région du partenaire",
        kind="guide",
        stages=("essaimer",),
        difficulties=("financement", "coordination_acteurs"),
        themes=("insertion_emploi", "jeunesse"),
        description=(
            "Comment un service réussi dans une ville devient le modèle d'une région, à partir "
            "des exemples de Tikhvine (bureau de l'emploi, centre pour les jeunes)."
        ),
        file_title="Guide de l'essaimage (PDF)",
        file_kind="pdf",
        body=(
            (
                "Montrer que cela marche",
                ("Un premier service qui fonctionne, visible, dont les résultats se mesurent.",),
            ),
            (
                "Associer l'échelon régional",
                (
                    "L'autorité régionale (l'oblast, la province) décide de la diffusion : "
                    "l'inviter tôt.",
                ),
            ),
            (
                "Documenter le modèle",
                (
                    "Une fiche de procédure, une formation type, un budget type pour les villes "
                    "qui reprennent le modèle.",
                ),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-passation",
        title="Check-list de passation lors d'un changement d'équipe ou de majorité",
        kind="other",
        stages=("mettre_en_oeuvre",),
        difficulties=("changement_politique", "rotation_personnel"),
        themes=("renforcement_capacites",),
        description=(
            "Ce qu'il faut transmettre pour qu'une coopération survive au départ d'un agent ou "
            "à une élection : conventions, contacts, engagements en cours, calendrier, budget."
        ),
        file_title="Check-list de passation (PDF)",
        file_kind="pdf",
        body=(
            (
                "Documents",
                (
                    "Convention en vigueur et ses annexes ; derniers comptes rendus du comité de "
                    "pilotage ; budget et cofinancements.",
                ),
            ),
            (
                "Personnes",
                (
                    "Liste des contacts des deux côtés, avec leur rôle ; présentation du nouvel "
                    "interlocuteur au partenaire.",
                ),
            ),
            (
                "Engagements",
                ("Actions en cours, échéances, décisions attendues ; ce qui a été promis.",),
            ),
        ),
    ),
    ToolSpec(
        ref="outil-glossaire",
        title="Glossaire de l'action sociale pour travailler avec un partenaire",
        kind="guide",
        stages=("s_engager", "concevoir"),
        difficulties=("langue",),
        themes=("acces_droits",),
        description=(
            "Les mots de l'action sociale française expliqués simplement (CCAS, aide sociale à "
            "l'enfance, insertion…), pour s'assurer qu'on parle de la même chose."
        ),
        file_title="Glossaire (PDF)",
        file_kind="pdf",
        body=(
            (
                "CCAS",
                (
                    "Centre communal d'action sociale : établissement public de la commune qui "
                    "anime l'action sociale locale et instruit les demandes d'aide.",
                ),
            ),
            (
                "Aide sociale à l'enfance",
                (
                    "Service du département qui protège les enfants en danger et soutient leurs "
                    "familles.",
                ),
            ),
            (
                "Insertion",
                (
                    "Accompagnement vers l'emploi et l'autonomie de personnes qui en sont "
                    "éloignées.",
                ),
            ),
        ),
    ),
)


# --- files ----------------------------------------------------------------------------------------

PDF_STYLE = """
@page { size: A4; margin: 2cm; @bottom-center { content: "Réciprocité — " counter(page); font-family: "DejaVu Sans", sans-serif; font-size: 9pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.45; color: #1a1a1a; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
h2 { font-size: 13pt; margin-top: 1.2em; border-bottom: 1px solid #999; }
.note { color: #444; font-size: 9.5pt; }
"""


def render_pdf(spec: ToolSpec) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    parts = [
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>",
        f"<title>{html.escape(spec.title)}</title><style>{PDF_STYLE}</style></head><body>",
        f"<h1>{html.escape(spec.title)}</h1>",
        f"<p>{html.escape(spec.description)}</p>",
    ]
    for heading, lines in spec.body:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.extend(f"<p>{html.escape(line)}</p>" for line in lines)
    parts.append(
        "<p class='note'>Outil de démonstration de la plateforme Réciprocité, à adapter "
        "librement.</p></body></html>"
    )
    return HTML(
        string="".join(parts), base_url="data:,", url_fetcher=URLFetcher(allowed_protocols={"data"})
    ).write_pdf()


def render_xlsx(spec: ToolSpec) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the default sheet
    for title, header, rows in spec.sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for index, name in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
                14, len(str(name)) + 4
            )
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- loading --------------------------------------------------------------------------------------


def _party(partnership, side: str):
    """The first territory of a side of the partnership (by id: stable across loads)."""
    if partnership is None:
        return None
    party = partnership.parties.filter(side=side).order_by("pk").select_related("territory").first()
    return party.territory if party else None


def _sheet_fields(spec: SheetSpec, originals: dict[str, Sheet]) -> tuple[dict, list, list]:
    partnership = Partnership.objects.filter(title=spec.partnership).first()
    projects = []
    if partnership is not None:
        projects = list(
            Project.objects.filter(partnership=partnership, title__in=spec.projects).order_by("pk")
        )
    sections = dict(spec.sections)
    # the source of every sheet, with the contacts (kept out of the searched sections)
    contacts = "\n\n".join(part for part in (spec.contacts, SOURCE) if part)
    fields = {
        "title": spec.title,
        "language": spec.language,
        "french_authority": spec.french_authority,
        "partner_authority": spec.partner_authority,
        "country": spec.country,
        "stage": spec.stage,
        "year_start": spec.year_start,
        "is_highlight": spec.is_highlight,
        "partnership": partnership,
        "french_territory": _party(partnership, Side.FRENCH),
        "partner_territory": _party(partnership, Side.PARTNER),
        "translation_of": originals.get(spec.translation_of) if spec.translation_of else None,
        "contacts": text_to_html(contacts),
    }
    for name in (
        "summary",
        "context",
        "method",
        "results",
        "difficulties",
        "reciprocity",
        "replication",
    ):
        fields[name] = text_to_html(sections.get(name, ""))
    return services._clean_fields(fields), sorted(spec.themes), projects


def _differs(sheet: Sheet, fields: dict, themes: list, projects: list) -> bool:
    for name, value in fields.items():
        if getattr(sheet, name) != value:
            return True
    if sorted(sheet.themes.values_list("code", flat=True)) != themes:
        return True
    return sorted(sheet.projects.values_list("pk", flat=True)) != sorted(p.pk for p in projects)


def load_sheets(actor=None) -> tuple[int, int]:
    created = updated = 0
    originals: dict[str, Sheet] = {}
    for spec in sorted(SHEETS, key=lambda s: bool(s.translation_of)):
        fields, themes, projects = _sheet_fields(spec, originals)
        sheet = Sheet.objects.filter(ref=spec.ref).first()
        if sheet is None:
            sheet = services.sheet_create(
                actor=actor,
                ref=spec.ref,
                themes=themes,
                projects=projects,
                status=Status.PUBLISHED,
                note="Démo",
                **fields,
            )
            created += 1
        else:
            if _differs(sheet, fields, themes, projects):
                services.sheet_update(
                    actor=actor, sheet=sheet, themes=themes, projects=projects, **fields
                )
                updated += 1
            if sheet.status != Status.PUBLISHED:
                services.sheet_transition(actor=actor, sheet=sheet, to=Status.PUBLISHED)
                updated += 1
        originals[spec.ref] = sheet
    return created, updated


def _tool_fields(spec: ToolSpec) -> dict:
    return {
        "title": spec.title,
        "language": "fr",
        "kind": spec.kind,
        "description": text_to_html(spec.description),
        "stages": list(spec.stages),
        "difficulties": list(spec.difficulties),
        "status": Status.PUBLISHED,
    }


def load_tools(actor=None) -> tuple[int, int]:
    created = updated = 0
    for spec in TOOLS:
        fields = _tool_fields(spec)
        tool = Tool.objects.filter(ref=spec.ref).first()
        if tool is None:
            tool = services.tool_create(actor=actor, ref=spec.ref, themes=spec.themes, **fields)
            created += 1
        else:
            clean = services._clean_tool(fields)
            same = all(getattr(tool, k) == v for k, v in clean.items()) and sorted(
                tool.themes.values_list("code", flat=True)
            ) == sorted(spec.themes)
            if not same:
                services.tool_update(actor=actor, tool=tool, themes=spec.themes, **fields)
                updated += 1
        if not tool.files.filter(title=spec.file_title).exists():
            data = render_pdf(spec) if spec.file_kind == "pdf" else render_xlsx(spec)
            services.tool_file_add(
                actor=actor,
                tool=tool,
                title=spec.file_title,
                filename=f"{spec.ref}.{spec.file_kind}",
                data=data,
            )
            created += 1
    return created, updated


def load_knowledge(actor=None) -> dict[str, int]:
    """Load the demo sheets and tools (idempotent); counts and created/updated rows."""
    sheets_created, sheets_updated = load_sheets(actor)
    tools_created, tools_updated = load_tools(actor)
    return {
        "sheets": len(SHEETS),
        "tools": len(TOOLS),
        "created": sheets_created + tools_created,
        "updated": sheets_updated + tools_updated,
    }
