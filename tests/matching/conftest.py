"""A small collection in the issue's layout: a few offers, needs in four languages (and one
in a language the platform does not read), innovations and interests."""

import json

import pytest

OFFERS = [
    {
        "ref": "t-ex-pmi",
        "lang": "fr",
        "authority": "Département du Val-Test",
        "authority_kind": "departement",
        "service": "PMI (protection maternelle et infantile)",
        "themes": ["petite_enfance", "sante"],
        "publics": ["enfants", "femmes", "familles"],
        "title": "Visites à domicile des puéricultrices après la naissance",
        "text": "Nos puéricultrices rendent visite aux mères et aux nouveau-nés à domicile "
        "dans la semaine qui suit la naissance : pesée du bébé, allaitement, vaccins. "
        "Nous pouvons former des agents de santé de proximité.",
    },
    {
        "ref": "t-ex-etatcivil",
        "lang": "fr",
        "authority": "Ville de Testville",
        "authority_kind": "commune",
        "service": "Service de l'état civil",
        "themes": ["acces_droits"],
        "publics": ["enfants", "familles"],
        "title": "Déclaration des naissances à la maternité",
        "text": "Notre service d'état civil tient une permanence à la maternité : chaque "
        "naissance est déclarée avant la sortie, l'acte de naissance est remis aux parents.",
    },
    {
        "ref": "t-ex-seniors",
        "lang": "fr",
        "authority": "Ville de Testville",
        "authority_kind": "commune",
        "service": "CCAS",
        "themes": ["personnes_agees"],
        "publics": ["personnes_agees"],
        "title": "Portage de repas et lutte contre l'isolement des aînés",
        "text": "Le centre communal d'action sociale livre des repas aux personnes âgées "
        "isolées et organise des visites de bénévoles.",
    },
    {
        "ref": "t-ex-emploi",
        "lang": "fr",
        "authority": "Département du Val-Test",
        "authority_kind": "departement",
        "service": "Insertion et RSA",
        "themes": ["insertion_emploi"],
        "publics": ["demandeurs_emploi", "jeunes"],
        "title": "Accompagnement des allocataires du RSA vers l'emploi",
        "text": "Des conseillers accompagnent les allocataires vers la formation et "
        "l'emploi, avec des chantiers d'insertion.",
    },
]

NEEDS = [
    {
        "ref": "t-nd-fr",
        "lang": "fr",
        "authority": "Commune de Testkolda",
        "country": "SN",
        "themes": ["petite_enfance", "sante"],
        "publics": ["femmes", "enfants"],
        "title": "Suivre les mères après l'accouchement",
        "text": "Beaucoup de femmes accouchent à la maison et ne reviennent pas au poste de "
        "santé. Nous voulons organiser des visites aux accouchées et à leurs bébés.",
    },
    {
        "ref": "t-nd-ar",
        "lang": "ar",
        "authority": "Commune de Testamira",
        "country": "MA",
        "themes": ["acces_droits"],
        "publics": ["enfants"],
        "title": "تسجيل المواليد في الحالة المدنية",
        "text": "كثير من الأطفال في الجماعة غير مسجلين في الحالة المدنية. نريد أن يتم تسجيل "
        "كل ولادة في المستشفى قبل خروج الأم.",
    },
    {
        "ref": "t-nd-ru",
        "lang": "ru",
        "authority": "Город Тествин",
        "country": "RU",
        "themes": ["personnes_agees"],
        "publics": ["personnes_agees"],
        "title": "Одинокие пожилые люди",
        "text": "Многие пожилые люди живут одни. Мы хотим организовать доставку горячего "
        "питания и посещения волонтёров.",
    },
    {
        "ref": "t-nd-en",
        "lang": "en",
        "authority": "Town of Testbridge",
        "country": "GH",
        "themes": ["insertion_emploi"],
        "publics": ["jeunes"],
        "title": "Jobs for young people out of school",
        "text": "Many young people leave school without a job. We want counsellors who guide "
        "them to training and work.",
    },
    {
        "ref": "t-nd-es",
        "lang": "es",
        "authority": "Municipio de Testa",
        "country": "PE",
        "themes": ["personnes_agees"],
        "publics": ["personnes_agees"],
        "title": "Personas mayores solas",
        "text": "Muchas personas mayores viven solas y necesitan comidas a domicilio.",
    },
]

INNOVATIONS = [
    {
        "ref": "t-in-marraines",
        "lang": "fr",
        "authority": "Commune de Testkolda",
        "country": "SN",
        "themes": ["sante", "petite_enfance"],
        "publics": ["femmes"],
        "title": "Les marraines de quartier",
        "text": "Des femmes respectées du quartier suivent les femmes enceintes et les "
        "incitent à consulter.",
        "what_france_could_learn": "S'appuyer sur des pairs reconnus pour atteindre les "
        "familles éloignées de la PMI.",
    },
    {
        "ref": "t-in-tontine",
        "lang": "en",
        "authority": "Town of Testbridge",
        "country": "GH",
        "themes": ["insertion_emploi"],
        "publics": ["femmes"],
        "title": "Village savings groups",
        "text": "Women save together every week and lend to one another to start small trades.",
        "what_france_could_learn": "Des groupes d'épargne solidaire pour l'insertion.",
    },
]

INTERESTS = [
    {
        "ref": "t-li-relais",
        "lang": "fr",
        "authority": "Département du Val-Test",
        "authority_kind": "departement",
        "themes": ["sante"],
        "publics": ["familles"],
        "title": "Apprendre des relais de santé communautaires",
        "text": "Nous voulons comprendre comment des habitantes deviennent relais de santé "
        "auprès des femmes enceintes.",
    },
    {
        "ref": "t-li-epargne",
        "lang": "fr",
        "authority": "Ville de Testville",
        "authority_kind": "commune",
        "themes": ["insertion_emploi"],
        "publics": ["femmes"],
        "title": "L'épargne collective des femmes",
        "text": "Comment des groupes d'épargne permettent aux femmes de créer une activité.",
    },
]

COLLECTION = {
    "expertise": OFFERS,
    "needs": NEEDS,
    "innovations": INNOVATIONS,
    "interests": INTERESTS,
}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def collection(db, tmp_path):
    """The small collection imported and published through the service."""
    from reciprocite.matching.imports import parse
    from reciprocite.matching.services import records_import

    for kind, rows in COLLECTION.items():
        lines = [json.dumps(r, ensure_ascii=False) for r in rows]
        records_import(kind=kind, rows=parse(kind, lines), publish=True)
    return COLLECTION
