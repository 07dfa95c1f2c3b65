"""The demo content: the four real cooperations, the demo accounts, and (from fictitious.py)
the invented partnerships that make lists, facets and maps worth looking at.

The four cooperations were presented at the thematic conference « Action sociale et
coopération décentralisée » (Cités Unies France); they are summarised here in our own words.
Only what the speakers said is stated as fact. Where the demo needs a date the speakers did not
give, it takes the 1st of January of the year they gave (or of the month, for Hérouville) and
the text says the date is indicative; amounts on real records are illustrative and say so;
specifics the speakers did not give (a named town, a named association) are fictitious records
marked « exemple fictif ».
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from .specs import (
    ActorSpec,
    BudgetLineSpec,
    DemoContent,
    DocumentSpec,
    FunderSpec,
    OrganisationSpec,
    PartnershipSpec,
    ProgrammeSpec,
    ProjectSpec,
    ReplicationSpec,
    RoleSpec,
    TerritorySpec,
    UserSpec,
)

DEMO_PASSWORD = "reciprocite-demo"  # noqa: S105 - the documented password of the demo accounts

SOURCE = (
    "Source : conférence thématique « Action sociale et coopération décentralisée » "
    "(Cités Unies France, avec l'Assemblée des départements de France)."
)
FICTITIOUS_NOTE = "Exemple fictif : les détails de cette fiche sont inventés pour la démonstration."

# --- territories -------------------------------------------------------------------------------

REAL_TERRITORIES = (
    TerritorySpec(
        key="herouville",
        name="Hérouville-Saint-Clair",
        kind="commune",
        country="FR",
        subdivision="FR-14",
        official_code="14327",
        latitude=49.2036,
        longitude=-0.3306,
        population=22_000,
        languages=("fr",),
    ),
    TerritorySpec(
        key="tikhvine",
        name="Tikhvine",
        kind="municipality",
        country="RU",
        subdivision="RU-LEN",
        latitude=59.6447,
        longitude=33.5294,
        population=57_000,
        languages=("ru",),
    ),
    TerritorySpec(
        key="leningrad_oblast",
        name="Oblast de Leningrad",
        kind="oblast",
        country="RU",
        subdivision="RU-LEN",
        latitude=60.05,
        longitude=31.75,
        population=2_000_000,
        languages=("ru",),
    ),
    TerritorySpec(
        key="lille",
        name="Lille",
        kind="commune",
        country="FR",
        subdivision="FR-59",
        official_code="59350",
        latitude=50.6292,
        longitude=3.0573,
        population=236_000,
        languages=("fr",),
    ),
    TerritorySpec(
        key="saint_louis",
        name="Saint-Louis",
        kind="commune",
        country="SN",
        subdivision="SN-SL",
        latitude=16.0179,
        longitude=-16.4896,
        languages=("fr", "wo"),
    ),
    TerritorySpec(
        key="loire_atlantique",
        name="Loire-Atlantique",
        kind="departement",
        country="FR",
        subdivision="FR-44",
        official_code="44",
        latitude=47.2184,
        longitude=-1.5536,
        population=1_450_000,
        languages=("fr",),
    ),
    TerritorySpec(
        key="agadir",
        name="Agadir Ida-Outanane",
        kind="prefecture",
        country="MA",
        subdivision="MA-AGD",
        latitude=30.4278,
        longitude=-9.5981,
        population=600_000,
        languages=("ar", "fr"),
    ),
    TerritorySpec(
        key="chtouka",
        name="Chtouka Aït Baha",
        kind="province",
        country="MA",
        subdivision="MA-CHT",
        latitude=30.2150,
        longitude=-9.3720,
        population=371_000,
        languages=("ar", "fr"),
    ),
    TerritorySpec(
        key="ait_amira",
        name="Aït Amira",
        kind="rural_commune",
        country="MA",
        subdivision="MA-CHT",
        latitude=30.1667,
        longitude=-9.4833,
        languages=("ar", "fr"),
    ),
)

# --- actors of the real cooperations -------------------------------------------------------------

REAL_ACTORS = (
    ActorSpec(
        "herouville_city",
        "Ville d'Hérouville-Saint-Clair",
        "municipal_service",
        "herouville",
        "La commune porte le partenariat avec Tikhvine depuis 1991.",
    ),
    ActorSpec(
        "herouville_experts",
        "Experts bénévoles de la ville d'Hérouville-Saint-Clair",
        "other",
        "herouville",
        "Des bénévoles mettent leur expérience professionnelle au service du partenariat.",
    ),
    ActorSpec(
        "tikhvine_employment_office",
        "Bureau de l'emploi de Tikhvine",
        "state_service",
        "tikhvine",
    ),
    ActorSpec(
        "tikhvine_city",
        "Administration municipale de Tikhvine",
        "municipal_service",
        "tikhvine",
    ),
    ActorSpec(
        "lille_dri",
        "Direction des relations internationales de la Ville de Lille",
        "municipal_service",
        "lille",
        "Pilote directement le programme avec l'agence de développement communal de "
        "Saint-Louis depuis 2010.",
    ),
    ActorSpec(
        "saint_louis_adc",
        "Agence de développement communal de Saint-Louis",
        "municipal_service",
        "saint_louis",
        "Interlocuteur technique de la Ville de Lille à Saint-Louis.",
    ),
    ActorSpec(
        "saint_louis_correspondent",
        "Correspondant de la Ville de Lille à Saint-Louis",
        "correspondent",
        "saint_louis",
        "Poste créé quand les deux villes ont choisi de travailler directement de service à "
        "service.",
    ),
    ActorSpec(
        "lille_operator",
        "Opérateur associatif du programme Lille – Saint-Louis",
        "operator",
        "lille",
        "Avant 2010, une association portait l'essentiel du programme (environ 90 %) ; "
        "quelques actions lui restent confiées ou le sont à d'autres associations.",
    ),
    ActorSpec(
        "saint_louis_elu_social",
        "Élu·e de Saint-Louis en charge de l'action sociale",
        "elected_official",
        "saint_louis",
    ),
    ActorSpec(
        "saint_louis_elu_sante",
        "Élu·e de Saint-Louis en charge de la santé",
        "elected_official",
        "saint_louis",
    ),
    ActorSpec(
        "saint_louis_associations",
        "Associations et société civile de Saint-Louis",
        "association",
        "saint_louis",
        "Les associations du territoire prennent part aux cadres de concertation thématiques.",
    ),
    ActorSpec(
        "loire_atlantique_si",
        "Département de Loire-Atlantique — solidarité internationale",
        "municipal_service",
        "loire_atlantique",
    ),
    ActorSpec(
        "agadir_council",
        "Conseil préfectoral d'Agadir Ida-Outanane",
        "other",
        "agadir",
    ),
    ActorSpec(
        "chtouka_council",
        "Conseil provincial de Chtouka Aït Baha",
        "other",
        "chtouka",
    ),
    ActorSpec(
        "franco_moroccan_platform",
        "Plateforme sociale franco-marocaine",
        "association",
        None,
        "Née en 2010 d'une délégation d'associations ; elle existe à Agadir et en "
        "Loire-Atlantique.",
    ),
    ActorSpec(
        "loire_atlantique_associations",
        "Associations de Loire-Atlantique engagées au Maroc",
        "association",
        "loire_atlantique",
    ),
    ActorSpec(
        "agadir_associations",
        "Associations d'Agadir œuvrant pour la mère et l'enfant",
        "association",
        "agadir",
    ),
    ActorSpec(
        "ait_amira_president",
        "Président de la commune rurale d'Aït Amira",
        "elected_official",
        "ait_amira",
    ),
    ActorSpec(
        "ait_amira_associations",
        "Associations d'Aït Amira pour les femmes et les enfants",
        "association",
        "ait_amira",
        "Soutenues par la commune en vertu de sa convention-cadre.",
    ),
    # invented pairs of associations, to show what a binôme looks like (demo/coordination.py)
    ActorSpec(
        "binome_premiers_pas",
        "Association Premiers Pas Estuaire (exemple fictif)",
        "association",
        "loire_atlantique",
        FICTITIOUS_NOTE,
        fictitious=True,
    ),
    ActorSpec(
        "binome_tifawin",
        "Association Tifawin Petite Enfance (exemple fictif)",
        "association",
        "agadir",
        FICTITIOUS_NOTE,
        fictitious=True,
    ),
    ActorSpec(
        "binome_liens",
        "Association Liens Solidaires Nantes (exemple fictif)",
        "association",
        "loire_atlantique",
        FICTITIOUS_NOTE,
        fictitious=True,
    ),
    ActorSpec(
        "binome_amal",
        "Association Amal pour les femmes d'Agadir (exemple fictif)",
        "association",
        "agadir",
        FICTITIOUS_NOTE,
        fictitious=True,
    ),
    ActorSpec(
        "binome_parents",
        "Association Parents Ensemble Saint-Nazaire (exemple fictif)",
        "association",
        "loire_atlantique",
        FICTITIOUS_NOTE,
        fictitious=True,
    ),
    ActorSpec(
        "binome_atfal",
        "Association Atfal Souss (exemple fictif)",
        "association",
        "agadir",
        FICTITIOUS_NOTE,
        fictitious=True,
    ),
)

REAL_FUNDERS = (
    FunderSpec(
        "mae_triennal",
        "Ministère des Affaires étrangères — appel à projets triennal",
        "etat_appel_projets",
    ),
    FunderSpec("ville_lille", "Ville de Lille", "fonds_propres"),
    FunderSpec("region_npdc", "Région Nord-Pas-de-Calais", "autre_collectivite"),
    FunderSpec("departement_44", "Département de Loire-Atlantique", "fonds_propres"),
)

# --- 1. Hérouville-Saint-Clair ↔ Tikhvine --------------------------------------------------------

HEROUVILLE_TIKHVINE = "Hérouville-Saint-Clair ↔ Tikhvine"
EMPLOYMENT_OFFICE = (
    "Régénération du premier bureau de l'emploi de l'oblast de Leningrad, à Tikhvine"
)
EMPLOYMENT_SPREAD = "Extension du modèle aux autres bureaux de l'emploi de l'oblast de Leningrad"
YOUTH_CENTRE = "Centre d'aide médico-psychologique pour les jeunes en difficulté de Tikhvine"
YOUTH_SPREAD = "Duplication du centre d'aide médico-psychologique dans la région"

_herouville_tikhvine = PartnershipSpec(
    title=HEROUVILLE_TIKHVINE,
    kind="cooperation",
    status="active",
    start_date=date(1991, 10, 1),
    french=("herouville",),
    partners=("tikhvine", "leningrad_oblast"),
    description=(
        "Le partenariat est né à l'automne 1991, deux mois avant la fin de l'Union soviétique "
        "(le 1er octobre est une date indicative). Avec la disparition de la planification "
        "centrale, la grande usine qui faisait vivre Tikhvine et finançait ses services sociaux "
        "a perdu presque tous ses emplois au milieu des années 1990. Hérouville-Saint-Clair "
        "s'est alors engagée dans l'action sociale, à partir de 1996 : emploi, jeunes en "
        "difficulté, scolarisation des enfants handicapés, aide à domicile. Plusieurs "
        "réalisations ont servi de modèle ailleurs dans l'oblast de Leningrad, qui figure ici "
        "comme partie associée à la diffusion de ces modèles.\n\n" + SOURCE
    ),
    projects=(
        ProjectSpec(
            title=EMPLOYMENT_OFFICE,
            themes=("insertion_emploi", "renforcement_capacites"),
            publics=("demandeurs_emploi", "professionnels"),
            status="completed",
            start_date=date(1996, 1, 1),
            summary=(
                "Première action sociale du partenariat : remettre en état de marche le premier "
                "bureau de l'emploi de l'oblast, à Tikhvine, quand la ville perdait son "
                "principal employeur."
            ),
            results=(
                "Le bureau rénové a servi de modèle à tous les autres bureaux de l'emploi de "
                "l'oblast de Leningrad."
            ),
            roles=(
                RoleSpec("herouville_city", "lead"),
                RoleSpec("herouville_experts", "expert"),
                RoleSpec("tikhvine_employment_office", "beneficiary"),
            ),
        ),
        ProjectSpec(
            title=EMPLOYMENT_SPREAD,
            themes=("insertion_emploi",),
            publics=("demandeurs_emploi", "professionnels"),
            status="completed",
            summary=(
                "Les autres bureaux de l'emploi de l'oblast ont été organisés sur le modèle de "
                "celui de Tikhvine."
            ),
        ),
        ProjectSpec(
            title="Bureau de l'emploi de Boksitogorsk (exemple fictif)",
            themes=("insertion_emploi",),
            publics=("demandeurs_emploi",),
            status="completed",
            start_date=date(1999, 3, 1),
            end_date=date(2000, 6, 30),
            summary=(
                "Illustration inventée d'un bureau réorganisé sur le modèle de Tikhvine : "
                "accueil unique, fichier des offres, ateliers de recherche d'emploi."
            ),
            description=FICTITIOUS_NOTE,
            fictitious=True,
        ),
        ProjectSpec(
            title="Bureau de l'emploi de Volkhov (exemple fictif)",
            themes=("insertion_emploi",),
            publics=("demandeurs_emploi", "jeunes"),
            status="completed",
            start_date=date(2000, 2, 1),
            end_date=date(2001, 12, 31),
            summary=(
                "Illustration inventée : reprise du modèle de Tikhvine avec un accueil "
                "spécifique pour les jeunes sans qualification."
            ),
            description=FICTITIOUS_NOTE,
            fictitious=True,
        ),
        ProjectSpec(
            title=YOUTH_CENTRE,
            themes=("jeunesse", "sante"),
            publics=("jeunes", "familles"),
            status="ongoing",
            summary=(
                "Un centre d'aide médicale et psychologique pour les jeunes en difficulté, créé "
                "à Tikhvine dans le cadre du partenariat ; il fonctionne toujours."
            ),
            results="Le centre a été dupliqué dans d'autres villes de la région.",
            roles=(
                RoleSpec("herouville_city", "lead"),
                RoleSpec("tikhvine_city", "partner"),
                RoleSpec("herouville_experts", "expert"),
            ),
        ),
        ProjectSpec(
            title=YOUTH_SPREAD,
            themes=("jeunesse", "sante"),
            publics=("jeunes",),
            status="completed",
            summary="D'autres villes de la région ont ouvert un centre sur le modèle de Tikhvine.",
        ),
        ProjectSpec(
            title="Centre médico-psychologique pour les jeunes de Kirichi (exemple fictif)",
            themes=("jeunesse", "sante"),
            publics=("jeunes", "familles"),
            status="ongoing",
            start_date=date(2004, 9, 1),
            summary=(
                "Illustration inventée d'une duplication du centre de Tikhvine : consultations "
                "de psychologues et de médecins, accueil des familles."
            ),
            description=FICTITIOUS_NOTE,
            fictitious=True,
        ),
        ProjectSpec(
            title="Premier chantier d'inclusion d'enfants handicapés à l'école ordinaire",
            themes=("handicap", "protection_enfance"),
            publics=("personnes_handicapees", "enfants", "professionnels"),
            status="completed",
            summary=(
                "Pour la première fois, des enfants handicapés de Tikhvine ont été accueillis "
                "dans des classes ordinaires plutôt qu'à part."
            ),
            roles=(RoleSpec("herouville_city", "lead"), RoleSpec("tikhvine_city", "partner")),
        ),
        ProjectSpec(
            title="Développement de l'aide à domicile",
            themes=("personnes_agees", "sante"),
            publics=("personnes_agees", "professionnels"),
            status="completed",
            summary=(
                "Appui à la création de services d'aide à domicile pour les personnes âgées et "
                "dépendantes de Tikhvine."
            ),
            roles=(RoleSpec("herouville_city", "lead"), RoleSpec("tikhvine_city", "partner")),
        ),
    ),
    documents=(
        DocumentSpec(
            "Convention de partenariat Hérouville-Saint-Clair – Tikhvine (date indicative)",
            signed_on=date(1991, 10, 1),
        ),
    ),
)

# --- 2. Lille ↔ Saint-Louis ------------------------------------------------------------------------

LILLE_SAINT_LOUIS = "Lille ↔ Saint-Louis"
PROGRAMME_2010_2012 = "Programme triennal 2010–2012"
CCAS = "Centre communal d'action sociale (CCAS) de Saint-Louis"

_lille_lines = tuple(
    BudgetLineSpec(year, funder, Decimal(amount))
    for year, funder, amount in (
        (2010, "mae_triennal", 50_000),
        (2011, "mae_triennal", 50_000),
        (2012, "mae_triennal", 50_000),
        (2010, "ville_lille", 65_000),
        (2011, "ville_lille", 70_000),
        (2012, "ville_lille", 70_000),
        (2010, "region_npdc", 20_000),
        (2011, "region_npdc", 20_000),
        (2012, "region_npdc", 15_000),
    )
)

_lille_saint_louis = PartnershipSpec(
    title=LILLE_SAINT_LOUIS,
    kind="cooperation",
    status="active",
    start_date=date(1978, 1, 1),
    french=("lille",),
    partners=("saint_louis",),
    description=(
        "Les deux villes sont partenaires depuis 1978 (le 1er janvier est une date indicative). "
        "Depuis 2007, leur coopération passe aussi par des programmes cofinancés par le "
        "ministère des Affaires étrangères au titre de ses appels à projets triennaux, dans "
        "un projet plus large porté par la Région Nord-Pas-de-Calais (un des dossiers de Lille "
        "traitait de l'appui institutionnel par thème).\n\n"
        "Avec le programme 2010–2012, Lille et Saint-Louis ont changé de méthode : au lieu de "
        "confier l'essentiel du programme à un opérateur associatif, la direction des relations "
        "internationales de Lille travaille directement avec l'agence de développement "
        "communal de Saint-Louis, un correspondant est installé sur place, et chaque thème "
        "(action sociale, santé…) a son cadre de concertation, présidé par l'élu·e de "
        "Saint-Louis qui en a la charge. Les deux villes en retiennent une meilleure "
        "compréhension de leurs méthodes respectives et un besoin fort de coordination entre "
        "les nombreux acteurs.\n\n" + SOURCE
    ),
    programmes=(
        ProgrammeSpec(
            title="Programme triennal 2007–2009",
            start_year=2007,
            end_year=2009,
            description=(
                "Premier programme cofinancé par l'appel à projets triennal du ministère des "
                "Affaires étrangères. Un opérateur associatif en portait l'essentiel ; "
                "l'action sociale était conduite directement par les services de la ville."
            ),
        ),
        ProgrammeSpec(
            title=PROGRAMME_2010_2012,
            start_year=2010,
            end_year=2012,
            description=(
                "Cofinancé par l'appel à projets triennal du ministère des Affaires étrangères, "
                "par la Ville de Lille et par la Région Nord-Pas-de-Calais. Les montants des "
                "lignes budgétaires sont illustratifs (données de démonstration) : ils ne "
                "reproduisent pas le budget réel du programme."
            ),
            lines=_lille_lines,
        ),
    ),
    projects=(
        ProjectSpec(
            title=CCAS,
            themes=("acces_droits", "renforcement_capacites"),
            publics=("population", "familles", "elus_agents"),
            status="delayed",
            programme=PROGRAMME_2010_2012,
            summary=(
                "Mettre en place à Saint-Louis un centre communal d'action sociale, sur le "
                "modèle des CCAS français."
            ),
            description=(
                "Prévu dès le premier programme triennal, le projet n'a pas abouti pour des "
                "raisons politiques ; il a été repris dans le programme 2010–2012, qui n'était "
                "pas encore achevé au moment de la conférence."
            ),
            roles=(
                RoleSpec("lille_dri", "lead"),
                RoleSpec("saint_louis_adc", "partner"),
                RoleSpec("saint_louis_elu_social", "partner"),
            ),
        ),
        ProjectSpec(
            title="Cadres de concertation thématiques (action sociale, santé…)",
            themes=("renforcement_capacites", "acces_droits", "sante"),
            publics=("associations", "elus_agents", "population"),
            status="ongoing",
            programme=PROGRAMME_2010_2012,
            summary=(
                "Un cadre de concertation par thème de la coopération, animé et présidé par "
                "l'élu·e de Saint-Louis chargé·e du thème : autant d'espaces de dialogue entre "
                "la commune, les associations et la société civile."
            ),
            roles=(
                RoleSpec("saint_louis_elu_social", "chair", "Cadre de concertation action sociale"),
                RoleSpec("saint_louis_elu_sante", "chair", "Cadre de concertation santé"),
                RoleSpec("saint_louis_associations", "partner"),
                RoleSpec("lille_dri", "partner"),
            ),
        ),
        ProjectSpec(
            title="Pilotage direct entre services et correspondant à Saint-Louis",
            themes=("renforcement_capacites",),
            publics=("elus_agents",),
            status="ongoing",
            programme=PROGRAMME_2010_2012,
            summary=(
                "Relation directe entre la direction des relations internationales de Lille et "
                "l'agence de développement communal de Saint-Louis, avec un correspondant "
                "installé sur place ; elle facilite aussi l'accès aux directions thématiques."
            ),
            roles=(
                RoleSpec("lille_dri", "lead"),
                RoleSpec("saint_louis_adc", "partner"),
                RoleSpec("saint_louis_correspondent", "correspondent"),
                RoleSpec(
                    "lille_operator",
                    "operator",
                    "Portait environ 90 % du programme jusqu'en 2009",
                ),
            ),
        ),
    ),
    documents=(
        DocumentSpec(
            "Convention de jumelage Lille – Saint-Louis (date indicative)",
            signed_on=date(1978, 1, 1),
        ),
        DocumentSpec(
            "Convention de partenariat du programme triennal 2010–2012 (date indicative)",
            signed_on=date(2010, 1, 1),
        ),
    ),
)

# --- 3. Loire-Atlantique ↔ Agadir Ida-Outanane ------------------------------------------------------

LOIRE_ATLANTIQUE_AGADIR = "Loire-Atlantique ↔ Agadir Ida-Outanane"
LOIRE_ATLANTIQUE_CHTOUKA = "Loire-Atlantique ↔ Chtouka Aït Baha"
AIT_AMIRA_CENTRES = "Centres pour les femmes et les enfants dans les douars d'Aït Amira"

_MOROCCO_CONTEXT = (
    "Le Maroc modernise son économie, ses institutions et sa politique sociale (réforme du "
    "Code de la famille, protection sociale) pour réduire les disparités. Après l'eau, "
    "l'électricité et les autres infrastructures de base, les collectivités partenaires se "
    "tournent vers les services sociaux de base. Le Département y travaille avec elles sur la "
    "petite enfance, le handicap, la jeunesse et les femmes vulnérables, avec un axe commun : "
    "le renforcement des capacités. La réciprocité est voulue : les échanges doivent profiter "
    "aussi à la Loire-Atlantique."
)

_loire_atlantique_agadir = PartnershipSpec(
    title=LOIRE_ATLANTIQUE_AGADIR,
    kind="cooperation",
    status="active",
    start_date=date(1992, 1, 1),
    french=("loire_atlantique",),
    partners=("agadir",),
    description=(
        "Coopération décentralisée du Département (alors conseil général) avec le conseil "
        "préfectoral d'Agadir Ida-Outanane depuis 1992 (le 1er janvier est une date "
        "indicative). " + _MOROCCO_CONTEXT + "\n\n" + SOURCE
    ),
    projects=(
        ProjectSpec(
            title="Services sociaux de base : petite enfance, handicap, jeunesse, femmes vulnérables",
            themes=(
                "petite_enfance",
                "handicap",
                "jeunesse",
                "droits_femmes",
                "renforcement_capacites",
            ),
            publics=("enfants", "personnes_handicapees", "jeunes", "femmes"),
            status="ongoing",
            summary=(
                "Les quatre publics de la coopération, avec le renforcement des capacités des "
                "institutions locales comme fil conducteur."
            ),
            roles=(
                RoleSpec("loire_atlantique_si", "lead"),
                RoleSpec("agadir_council", "partner"),
            ),
        ),
        ProjectSpec(
            title="Délégation d'associations sur la prise en charge de la mère et de l'enfant",
            themes=("petite_enfance", "sante", "droits_femmes"),
            publics=("associations", "femmes", "enfants"),
            status="completed",
            start_date=date(2010, 1, 1),
            end_date=date(2010, 12, 31),
            summary=(
                "En 2010, le Département a fait venir une délégation d'associations pour "
                "débattre de la prise en charge de la mère et de l'enfant au Maroc."
            ),
            results=(
                "Les associations ont décidé de travailler ensemble : la plateforme sociale "
                "franco-marocaine est née de cette rencontre."
            ),
            roles=(
                RoleSpec("loire_atlantique_si", "lead"),
                RoleSpec("loire_atlantique_associations", "partner"),
                RoleSpec("agadir_associations", "partner"),
            ),
        ),
        ProjectSpec(
            title="Plateforme sociale franco-marocaine",
            themes=("renforcement_capacites", "petite_enfance", "droits_femmes"),
            publics=("associations",),
            status="ongoing",
            summary=(
                "Une plateforme d'associations, à Agadir et en Loire-Atlantique, devenue un "
                "appui structurant pour la société civile : on y apprend à agir ensemble, "
                "chacun gardant son identité."
            ),
            roles=(
                RoleSpec("franco_moroccan_platform", "lead"),
                RoleSpec("loire_atlantique_si", "partner"),
            ),
        ),
        ProjectSpec(
            title="Binômes associatifs franco-marocains",
            themes=("renforcement_capacites", "petite_enfance", "handicap"),
            publics=("associations", "professionnels"),
            status="ongoing",
            summary=(
                "Des associations de Loire-Atlantique et d'Agadir travaillent deux par deux "
                "sur un même public ; la réciprocité prend ici une forme concrète."
            ),
            roles=(
                RoleSpec("franco_moroccan_platform", "partner"),
                RoleSpec("binome_premiers_pas", "partner", "Exemple fictif de binôme"),
                RoleSpec("binome_tifawin", "partner", "Exemple fictif de binôme"),
            ),
        ),
        ProjectSpec(
            title="Échanges et formations croisées de professionnels du social",
            themes=("renforcement_capacites",),
            publics=("professionnels", "migrants"),
            status="ongoing",
            summary=(
                "Échanges et formations croisées : en découvrant les codes culturels de leurs "
                "partenaires, les professionnels de Loire-Atlantique apprennent aussi à mieux "
                "comprendre les familles originaires du Maroc qui vivent sur leur territoire."
            ),
            roles=(
                RoleSpec("loire_atlantique_si", "lead"),
                RoleSpec("franco_moroccan_platform", "partner"),
            ),
        ),
    ),
    documents=(
        DocumentSpec(
            "Convention de coopération Loire-Atlantique – Agadir Ida-Outanane (date indicative)",
            signed_on=date(1992, 1, 1),
        ),
    ),
)

# --- 3 bis and 4. Loire-Atlantique ↔ Chtouka Aït Baha, with the rural commune of Aït Amira --------

_loire_atlantique_chtouka = PartnershipSpec(
    title=LOIRE_ATLANTIQUE_CHTOUKA,
    kind="cooperation",
    status="active",
    start_date=date(2009, 1, 1),
    french=("loire_atlantique",),
    partners=("chtouka", "ait_amira"),
    description=(
        "Coopération décentralisée du Département avec le conseil provincial de Chtouka Aït "
        "Baha depuis 2009 (le 1er janvier est une date indicative). " + _MOROCCO_CONTEXT + "\n\n"
        "La commune rurale d'Aït Amira, dans la province, à environ 25 km d'Agadir, est "
        "partie au partenariat : elle travaille d'abord pour les droits des femmes, souvent "
        "venues de loin, qui forment plus de 65 % de la main-d'œuvre agricole de la région, et "
        "pour leurs enfants.\n\n" + SOURCE
    ),
    projects=(
        ProjectSpec(
            title="Appui aux services sociaux de base de la province",
            themes=(
                "petite_enfance",
                "handicap",
                "jeunesse",
                "droits_femmes",
                "renforcement_capacites",
            ),
            publics=("enfants", "personnes_handicapees", "jeunes", "femmes", "elus_agents"),
            status="ongoing",
            start_date=date(2009, 1, 1),
            summary=(
                "Les mêmes axes qu'avec Agadir, appliqués à une province plus rurale, avec le "
                "renforcement des capacités du conseil provincial."
            ),
            roles=(
                RoleSpec("loire_atlantique_si", "lead"),
                RoleSpec("chtouka_council", "partner"),
            ),
        ),
        ProjectSpec(
            title=AIT_AMIRA_CENTRES,
            themes=("droits_femmes", "protection_enfance", "acces_droits"),
            publics=("femmes", "enfants", "familles"),
            status="ongoing",
            summary=(
                "Plus de cinq centres construits avec le soutien du Département de "
                "Loire-Atlantique, dans différents douars de la commune, pour que les enfants "
                "des ouvrières agricoles ne quittent pas l'école."
            ),
            roles=(
                RoleSpec("ait_amira_president", "lead"),
                RoleSpec("loire_atlantique_si", "partner"),
                RoleSpec("ait_amira_associations", "operator"),
            ),
        ),
        ProjectSpec(
            title="Papiers d'état civil pour les enfants des mères en situation précaire",
            themes=("acces_droits", "protection_enfance"),
            publics=("femmes", "enfants"),
            status="ongoing",
            summary=(
                "Sans papiers, un enfant ne peut pas rester à l'école : la commune aide les "
                "mères en situation précaire à obtenir l'état civil de leurs enfants."
            ),
            roles=(
                RoleSpec("ait_amira_president", "lead"),
                RoleSpec("ait_amira_associations", "partner"),
            ),
        ),
        ProjectSpec(
            title="Droits des ouvrières agricoles d'Aït Amira",
            themes=("droits_femmes", "acces_droits", "logement"),
            publics=("femmes",),
            status="ongoing",
            summary=(
                "La commune reçoit tous les jours de nombreuses ouvrières agricoles. Le droit "
                "de travailler est acquis ; restent à conquérir le logement, les soins, "
                "l'alphabétisation et l'école pour leurs enfants."
            ),
            roles=(
                RoleSpec("ait_amira_president", "lead"),
                RoleSpec("ait_amira_associations", "partner"),
            ),
        ),
    ),
    documents=(
        DocumentSpec(
            "Convention de coopération Loire-Atlantique – Chtouka Aït Baha (date indicative)",
            signed_on=date(2009, 1, 1),
        ),
        DocumentSpec(
            "Convention-cadre d'Aït Amira pour le soutien aux associations œuvrant pour les "
            "femmes et les enfants",
        ),
    ),
)

REAL_PARTNERSHIPS = (
    _herouville_tikhvine,
    _lille_saint_louis,
    _loire_atlantique_agadir,
    _loire_atlantique_chtouka,
)

REAL_REPLICATIONS = (
    ReplicationSpec(
        (HEROUVILLE_TIKHVINE, EMPLOYMENT_OFFICE),
        (HEROUVILLE_TIKHVINE, EMPLOYMENT_SPREAD),
        "Le bureau de Tikhvine a servi de modèle à l'ensemble des bureaux de l'emploi de l'oblast.",
    ),
    ReplicationSpec(
        (HEROUVILLE_TIKHVINE, EMPLOYMENT_OFFICE),
        (HEROUVILLE_TIKHVINE, "Bureau de l'emploi de Boksitogorsk (exemple fictif)"),
        "Exemple fictif",
    ),
    ReplicationSpec(
        (HEROUVILLE_TIKHVINE, EMPLOYMENT_OFFICE),
        (HEROUVILLE_TIKHVINE, "Bureau de l'emploi de Volkhov (exemple fictif)"),
        "Exemple fictif",
    ),
    ReplicationSpec(
        (HEROUVILLE_TIKHVINE, YOUTH_CENTRE),
        (HEROUVILLE_TIKHVINE, YOUTH_SPREAD),
        "Le centre a été dupliqué dans la région.",
    ),
    ReplicationSpec(
        (HEROUVILLE_TIKHVINE, YOUTH_CENTRE),
        (
            HEROUVILLE_TIKHVINE,
            "Centre médico-psychologique pour les jeunes de Kirichi (exemple fictif)",
        ),
        "Exemple fictif",
    ),
)

# --- demo accounts --------------------------------------------------------------------------------

NETWORK = "Réseau Réciprocité (démo)"

ORGANISATIONS = (
    OrganisationSpec(NETWORK, "reseau-reciprocite-demo", "network", None, "reseau@example.org"),
    OrganisationSpec(
        "Ville d'Hérouville-Saint-Clair (démo)",
        "herouville-saint-clair-demo",
        "member",
        "herouville",
        "herouville@example.org",
    ),
    OrganisationSpec("Ville de Lille (démo)", "lille-demo", "member", "lille", "lille@example.org"),
    OrganisationSpec(
        "Département de Loire-Atlantique (démo)",
        "loire-atlantique-demo",
        "member",
        "loire_atlantique",
        "loire-atlantique@example.org",
    ),
    OrganisationSpec(
        "Ville de Saint-Louis (démo)",
        "saint-louis-demo",
        "partner",
        "saint_louis",
        "saint-louis@example.org",
    ),
    OrganisationSpec(
        "Ville de Tikhvine (démo)", "tikhvine-demo", "partner", "tikhvine", "tikhvine@example.org"
    ),
)

USERS = (
    UserSpec("admin", "admin@example.org", None, None, is_superuser=True),
    UserSpec("analyste", "analyste@example.org", NETWORK, "analyst"),
    UserSpec(
        "herouville",
        "herouville@example.org",
        "Ville d'Hérouville-Saint-Clair (démo)",
        "member_editor",
    ),
    UserSpec("lille", "lille@example.org", "Ville de Lille (démo)", "member_editor"),
    UserSpec(
        "loire-atlantique",
        "loire-atlantique@example.org",
        "Département de Loire-Atlantique (démo)",
        "member_editor",
    ),
    UserSpec(
        "saint-louis", "saint-louis@example.org", "Ville de Saint-Louis (démo)", "partner_editor"
    ),
    UserSpec(
        "tikhvine",
        "tikhvine@example.org",
        "Ville de Tikhvine (démo)",
        "partner_editor",
        preferred_language="ru",
    ),
)


@cache
def demo_content() -> DemoContent:
    """Everything the demo holds, built once (deterministic: no clock, seeded randomness)."""
    from . import fictitious

    made = fictitious.build()
    return DemoContent(
        territories=REAL_TERRITORIES + made.territories,
        actors=REAL_ACTORS + made.actors,
        funders=REAL_FUNDERS + made.funders,
        partnerships=REAL_PARTNERSHIPS + made.partnerships,
        replications=REAL_REPLICATIONS + made.replications,
        organisations=ORGANISATIONS,
        users=USERS,
    )
