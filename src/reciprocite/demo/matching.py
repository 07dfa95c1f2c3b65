"""Demo content of matching, in our own words: the partners' needs behind the conference's
cooperations, two of their innovations, the domestic offers and learning interests of the
demo's French members, and ledger entries of what each side learned.

The needs and what the ledger says were learned follow what the conference's speakers said
(Saint-Louis's municipal social action centre, Chtouka Aït Baha's early childhood and
disability, Aït Amira's civil registration for children, the Loire-Atlantique professionals
who learned the cultural codes of the families they serve at home). Every wording, service
name, figure and detail is invented for the demo: each record is flagged ``is_fictitious``
and its title says so in its own language.

Written through the matching app's services: the records by ``records_import`` (the service
behind ``reciprocite matching import``, idempotent by ``ref``, published, vectors computed
for new or changed texts only; the editing organisation is given with the other fields),
the ledger by ``ledger_entry_add`` (matched on project + authority + side; only created). A
second load writes nothing.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from reciprocite.accounts.models import Organisation
from reciprocite.matching import services
from reciprocite.matching.imports import LineError, Row, parse_line
from reciprocite.matching.models import LedgerEntry
from reciprocite.registry.models import Project
from reciprocite.territories.models import Territory

from .content import (
    CCAS,
    EMPLOYMENT_OFFICE,
    HEROUVILLE_TIKHVINE,
    LILLE_SAINT_LOUIS,
    LOIRE_ATLANTIQUE_AGADIR,
    demo_content,
)

FICTIF = {
    "fr": "(exemple fictif)",
    "ar": "(مثال وهمي)",
    "ru": "(вымышленный пример)",
    "en": "(fictitious example)",
}

# The demo territories' organisations (content.ORGANISATIONS): who edits each record.
ORGANISATIONS = {
    "Lille": "Ville de Lille (démo)",
    "Loire-Atlantique": "Département de Loire-Atlantique (démo)",
    "Hérouville-Saint-Clair": "Ville d'Hérouville-Saint-Clair (démo)",
    "Saint-Louis": "Ville de Saint-Louis (démo)",
    "Tikhvine": "Ville de Tikhvine (démo)",
}

NEEDS: tuple[dict[str, Any], ...] = (
    {
        "ref": "demo-need-saint-louis-ccas",
        "lang": "fr",
        "authority": "Saint-Louis",
        "country": "SN",
        "place": "Saint-Louis",
        "urgency": "high",
        "themes": ["acces_droits", "renforcement_capacites"],
        "publics": ["familles", "population", "elus_agents"],
        "title": "Organiser l'accueil et l'orientation au centre municipal d'action sociale",
        "text": (
            "Le centre municipal d'action sociale de Saint-Louis, créé avec la Ville de Lille, "
            "reçoit chaque jour des familles qui viennent pour une aide d'urgence, un acte "
            "d'état civil, une prise en charge de soins ou une inscription scolaire. Ses agents "
            "d'accueil n'ont ni fiche commune ni procédure écrite pour les orienter vers le bon "
            "service. Nous voulons former l'équipe d'accueil à l'entretien et à l'orientation, "
            "tenir un dossier unique par famille, suivre les demandes et organiser des visites "
            "à domicile pour les personnes qui ne peuvent pas se déplacer."
        ),
    },
    {
        "ref": "demo-need-chtouka-petite-enfance",
        "lang": "ar",
        "authority": "Chtouka Aït Baha",
        "country": "MA",
        "place": "إقليم اشتوكة آيت باها",
        "urgency": "medium",
        "themes": ["petite_enfance", "handicap"],
        "publics": ["enfants", "personnes_handicapees", "familles"],
        "title": "الكشف المبكر عن الإعاقة لدى الأطفال الصغار ومرافقة أسرهم",
        "text": (
            "يعمل الإقليم على تطوير خدمات الطفولة المبكرة في الجماعات القروية. كثير من الأطفال "
            "في وضعية إعاقة لا يتم التعرف على حالتهم إلا عند دخول المدرسة. نحتاج إلى تكوين "
            "المربيات في التعليم الأولي والعاملين في المراكز الصحية على الكشف المبكر عن "
            "اضطرابات النمو، وإلى طريقة لتوجيه الأسر نحو الفحص والترويض، وإلى دعم الآباء "
            "والأمهات في مرافقة أطفالهم وإدماجهم في الروض والمدرسة العادية."
        ),
    },
    {
        "ref": "demo-need-ait-amira-etat-civil",
        "lang": "fr",
        "authority": "Aït Amira",
        "country": "MA",
        "place": "Douars de la commune d'Aït Amira",
        "urgency": "high",
        "themes": ["acces_droits", "protection_enfance"],
        "publics": ["enfants", "familles", "femmes"],
        "title": "Inscrire à l'état civil les enfants des douars",
        "text": (
            "Dans les douars éloignés de la commune, des enfants n'ont pas d'acte de naissance : "
            "la déclaration n'a pas été faite dans les délais, les parents ne savent pas quelles "
            "pièces fournir ou le bureau est trop loin. Sans acte, l'enfant ne peut pas être "
            "inscrit à l'école ni bénéficier des aides. La commune cherche une méthode pour "
            "recenser ces enfants, informer les mères dans les centres pour les femmes et les "
            "enfants, tenir des permanences mobiles et accompagner les déclarations tardives "
            "jusqu'au jugement."
        ),
    },
)

INNOVATIONS: tuple[dict[str, Any], ...] = (
    {
        "ref": "demo-innovation-tikhvine-jeunes",
        "lang": "ru",
        "authority": "Tikhvine",
        "country": "RU",
        "themes": ["jeunesse", "sante"],
        "publics": ["jeunes", "familles"],
        "title": "Единый центр медико-психологической помощи молодёжи",
        "text": (
            "В Тихвине центр помощи молодёжи в трудной ситуации объединяет в одном месте "
            "психолога, социального работника и врача. Подросток или его родители приходят "
            "без направления, и команда вместе составляет план помощи: консультации, работа с "
            "семьёй, связь со школой и службой занятости. Центр продолжает работать много лет "
            "и был повторён в других городах области."
        ),
        "what_france_could_learn": (
            "Как одна команда разных специалистов принимает молодых людей без направления и "
            "ведёт их вместе с семьёй, не отправляя из одной службы в другую."
        ),
    },
    {
        "ref": "demo-innovation-agadir-mediatrices",
        "lang": "fr",
        "authority": "Agadir Ida-Outanane",
        "country": "MA",
        "themes": ["droits_femmes", "petite_enfance", "acces_droits"],
        "publics": ["femmes", "familles", "associations"],
        "title": "Des médiatrices de quartier entre les familles et les services",
        "text": (
            "Les associations d'Agadir qui travaillent pour la mère et l'enfant s'appuient sur "
            "des femmes du quartier, formées comme médiatrices : elles connaissent les familles, "
            "parlent leur langue, les accompagnent à la consultation ou au bureau, et "
            "expliquent aux professionnels les habitudes et les réticences des familles."
        ),
        "what_france_could_learn": (
            "Recourir à des médiatrices issues des familles pour que les services sociaux et de "
            "santé gagnent la confiance des familles éloignées des institutions."
        ),
    },
)

OFFERS: tuple[dict[str, Any], ...] = (
    {
        "ref": "demo-offer-lille-ccas-accueil",
        "lang": "fr",
        "authority": "Lille",
        "authority_kind": "commune",
        "service": "Centre communal d'action sociale (CCAS) de Lille",
        "themes": ["acces_droits", "renforcement_capacites"],
        "publics": ["familles", "population", "elus_agents"],
        "title": "Accueil, orientation et accès aux droits au CCAS",
        "text": (
            "Le CCAS reçoit les habitants dans ses points d'accueil de quartier. Les agents "
            "d'accueil mènent un premier entretien, ouvrent un dossier unique, orientent vers "
            "les aides légales et facultatives et les partenaires, et suivent les demandes "
            "jusqu'à leur réponse. Des travailleurs sociaux font des visites à domicile pour les "
            "personnes isolées."
        ),
        "could_share": (
            "Le référentiel d'accueil et d'orientation, le modèle de dossier unique, un module "
            "de formation des agents d'accueil, l'accueil de stagiaires en immersion."
        ),
        "who_could_travel": "Une responsable d'accueil et un formateur interne.",
        "staff_languages": ["fr", "en"],
        "availability": "Deux missions par an.",
    },
    {
        "ref": "demo-offer-lille-etat-civil",
        "lang": "fr",
        "authority": "Lille",
        "authority_kind": "commune",
        "service": "Service de l'état civil et des démarches citoyennes",
        "service_kind": "other",
        "themes": ["acces_droits"],
        "publics": ["enfants", "familles", "migrants"],
        "title": "Déclarations de naissance et rattrapage des actes manquants",
        "text": (
            "Le service enregistre les naissances, délivre les actes et aide les familles à "
            "reconstituer un acte manquant : liste des pièces, rendez-vous, lien avec le "
            "tribunal pour les jugements déclaratifs. Il tient des permanences dans les "
            "maternités et les mairies de quartier."
        ),
        "could_share": "Les procédures écrites, les fiches d'information aux familles.",
        "staff_languages": ["fr"],
    },
    {
        "ref": "demo-offer-loire-atlantique-pmi",
        "lang": "fr",
        "authority": "Loire-Atlantique",
        "authority_kind": "departement",
        "service": "Protection maternelle et infantile (PMI)",
        "themes": ["petite_enfance", "sante", "handicap"],
        "publics": ["enfants", "familles", "femmes"],
        "title": "Consultations de jeunes enfants et repérage précoce des troubles du développement",
        "text": (
            "Les médecins et puéricultrices de PMI suivent les enfants de moins de six ans en "
            "consultation et à domicile, font les bilans de santé à l'école maternelle et "
            "repèrent tôt les troubles du développement ou du handicap. Ils orientent les "
            "familles vers le diagnostic et les soins, et forment les assistantes maternelles "
            "et les professionnels des crèches."
        ),
        "could_share": (
            "Les outils de repérage précoce, une formation des éducatrices de la petite enfance, "
            "l'accueil de professionnels partenaires en consultation."
        ),
        "who_could_travel": "Une puéricultrice et une médecin de PMI.",
        "staff_languages": ["fr", "ar"],
    },
    {
        "ref": "demo-offer-loire-atlantique-mdph",
        "lang": "fr",
        "authority": "Loire-Atlantique",
        "authority_kind": "departement",
        "service": "Maison départementale des personnes handicapées (MDPH)",
        "themes": ["handicap", "petite_enfance", "acces_droits"],
        "publics": ["personnes_handicapees", "enfants", "familles"],
        "title": "Accompagner les parents d'enfants handicapés et l'inclusion à l'école",
        "text": (
            "La MDPH évalue les besoins des enfants handicapés avec leurs parents, construit "
            "leur projet personnalisé de scolarisation et organise l'accompagnement à l'école "
            "ordinaire. Elle anime des groupes de parents et travaille avec les associations."
        ),
        "could_share": "La démarche d'évaluation avec les familles, l'animation des groupes de parents.",
        "staff_languages": ["fr"],
    },
    {
        "ref": "demo-offer-herouville-insertion",
        "lang": "fr",
        "authority": "Hérouville-Saint-Clair",
        "authority_kind": "commune",
        "service": "Service insertion et emploi",
        "themes": ["insertion_emploi", "jeunesse"],
        "publics": ["demandeurs_emploi", "jeunes"],
        "title": "Accompagnement vers l'emploi et chantiers d'insertion",
        "text": (
            "Le service reçoit les demandeurs d'emploi et les jeunes sans qualification, "
            "construit avec eux un parcours vers l'emploi et organise des chantiers "
            "d'insertion avec les entreprises et les associations de la ville."
        ),
        "could_share": "L'expérience de bénévoles anciens conseillers à l'emploi.",
        "staff_languages": ["fr", "ru"],
    },
)

INTERESTS: tuple[dict[str, Any], ...] = (
    {
        "ref": "demo-interest-herouville-jeunes",
        "lang": "fr",
        "authority": "Hérouville-Saint-Clair",
        "authority_kind": "commune",
        "themes": ["jeunesse", "sante"],
        "publics": ["jeunes", "familles"],
        "title": "Un lieu unique pour les jeunes en difficulté et leurs familles",
        "text": (
            "Nos jeunes en difficulté passent d'un service à l'autre : la mission locale, le "
            "centre médico-psychologique, l'éducateur. Nous aimerions apprendre comment une "
            "équipe réunissant psychologue, travailleur social et médecin accueille les jeunes "
            "sans orientation préalable et travaille avec les parents."
        ),
    },
    {
        "ref": "demo-interest-loire-atlantique-mediation",
        "lang": "en",
        "authority": "Loire-Atlantique",
        "authority_kind": "departement",
        "themes": ["acces_droits", "droits_femmes", "petite_enfance"],
        "publics": ["familles", "femmes", "migrants"],
        "title": "Mediation with families of Moroccan origin",
        "text": (
            "Our social workers and child health nurses want to learn from partners how "
            "neighbourhood mediators, often mothers themselves, help families who distrust "
            "public services and explain their customs to professionals."
        ),
    },
)

# (partnership, project, authority, side, organisation, fields)
LEDGER: tuple[tuple[str, str, str, str, str | None, dict[str, Any]], ...] = (
    (
        LOIRE_ATLANTIQUE_AGADIR,
        "Échanges et formations croisées de professionnels du social",
        "Loire-Atlantique",
        "french",
        "Département de Loire-Atlantique (démo)",
        {
            "lang": "fr",
            "themes": ["renforcement_capacites", "acces_droits"],
            "change_kind": "practice",
            "learned": (
                "En découvrant à Agadir les codes culturels de l'accompagnement des familles, "
                "les professionnels de Loire-Atlantique ont compris autrement les familles "
                "originaires du Maroc qu'ils suivent dans le département."
            ),
            "changed_at_home": (
                "Les entretiens d'accueil laissent plus de place à la famille élargie et les "
                "équipes font appel à une interprète dès le premier rendez-vous "
                "(exemple fictif)."
            ),
            "evidence": "Compte rendu de la formation croisée (exemple fictif).",
        },
    ),
    (
        LOIRE_ATLANTIQUE_AGADIR,
        "Plateforme sociale franco-marocaine",
        "Agadir Ida-Outanane",
        "partner",
        None,
        {
            "lang": "ar",
            "themes": ["renforcement_capacites"],
            "change_kind": "practice",
            "learned": (
                "تعلمت جمعيات أكادير العمل في شبكة مع الجمعيات والمصالح الاجتماعية للمقاطعة، "
                "كل جمعية تحافظ على هويتها."
            ),
            "changed_at_home": "تجتمع الجمعيات كل ثلاثة أشهر لتنسيق عملها (مثال وهمي).",
        },
    ),
    (
        HEROUVILLE_TIKHVINE,
        EMPLOYMENT_OFFICE,
        "Tikhvine",
        "partner",
        "Ville de Tikhvine (démo)",
        {
            "lang": "ru",
            "themes": ["insertion_emploi", "renforcement_capacites"],
            "change_kind": "service",
            "learned": (
                "Специалисты бюро занятости узнали, как французские коллеги ведут "
                "индивидуальную консультацию и сопровождают человека до трудоустройства."
            ),
            "changed_at_home": (
                "Бюро открыло приём с консультантом для каждого ищущего работу "
                "(вымышленный пример)."
            ),
        },
    ),
    (
        LILLE_SAINT_LOUIS,
        CCAS,
        "Lille",
        "french",
        "Ville de Lille (démo)",
        {
            "lang": "fr",
            "themes": ["acces_droits"],
            "change_kind": "none",
            "learned": (
                "Au contact du centre de Saint-Louis, les agents du CCAS de Lille ont vu le rôle "
                "des associations de quartier et des chefs de famille dans l'accès aux droits "
                "(exemple fictif)."
            ),
        },
    ),
)


def _kinds() -> dict[str, str]:
    """The demo territories' kinds by name, so that the import resolves its authorities to
    them (it guesses a partner's kind from words of the name, which these names lack)."""
    return {spec.name: spec.kind for spec in demo_content().territories}


def _rows(kind: str, records: tuple[dict[str, Any], ...]) -> list[Row]:
    """The records as the import's checked rows, with the demo's authority kinds and the
    editing organisation (a model field the JSON Lines layout has no column for)."""
    kinds = _kinds()
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=ORGANISATIONS.values())
    }
    rows = []
    for line, obj in enumerate(records, start=1):
        obj = {**obj, "fictitious": True, "title": f"{obj['title']} {FICTIF[obj['lang']]}"}
        row = parse_line(kind, obj, line)
        name = row.authority["name"]
        authority = {**row.authority, "kind": kinds.get(name, row.authority["kind"])}
        organisation = organisations.get(ORGANISATIONS.get(name, ""))
        fields = {**row.fields, "organisation": organisation}
        rows.append(dataclasses.replace(row, authority=authority, fields=fields))
    return rows


def _load_records(kind: str, records: tuple[dict[str, Any], ...]) -> tuple[int, int]:
    from .loader import DemoLoadError

    try:
        report = services.records_import(kind=kind, rows=_rows(kind, records), publish=True)
    except LineError as exc:
        raise DemoLoadError(f"matching {kind}: {exc}") from exc
    return report.created, report.updated


def _load_ledger() -> int:
    created = 0
    for partnership, title, authority_name, side, organisation_name, fields in LEDGER:
        project = Project.objects.get(partnership__title=partnership, title=title)
        authority = Territory.objects.get(name=authority_name, is_fictitious=False)
        if LedgerEntry.objects.filter(project=project, authority=authority, side=side).exists():
            continue
        organisation = (
            Organisation.objects.filter(name=organisation_name).first()
            if organisation_name
            else None
        )
        services.ledger_entry_add(
            project=project,
            authority=authority,
            side=side,
            organisation=organisation,
            published=True,
            is_fictitious=True,
            **fields,
        )
        created += 1
    return created


def load_matching() -> dict[str, int]:
    """Load the demo's needs, innovations, offers, interests and ledger entries (idempotent).

    Returns {"needs", "innovations", "offers", "interests", "ledger", "created",
    "updated"} (short keys: ``reciprocite demo`` prints them aligned with the others)."""
    created = updated = 0
    for kind, records in (
        ("needs", NEEDS),
        ("innovations", INNOVATIONS),
        ("expertise", OFFERS),
        ("interests", INTERESTS),
    ):
        new, changed = _load_records(kind, records)
        created += new
        updated += changed
    created += _load_ledger()
    return {
        "needs": len(NEEDS),
        "innovations": len(INNOVATIONS),
        "offers": len(OFFERS),
        "interests": len(INTERESTS),
        "ledger": len(LEDGER),
        "created": created,
        "updated": updated,
    }
