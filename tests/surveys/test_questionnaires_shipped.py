"""The study's two questionnaires shipped in the package: they load, their names are exactly
those of study/QUESTIONNAIRES.md, they need nothing the web form cannot collect, and the
build script gives the same questions as the committed files."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from reciprocite.interop.xlsform import xlsform_read, xlsform_write
from reciprocite.surveys.services.questionnaires import questionnaire_load
from reciprocite.surveys.structure import Structure, label
from reciprocite.surveys.xlsforms import build

pytestmark = pytest.mark.django_db

FORMS = Path(build.__file__).resolve().parent
LANGUAGES = ["Français (fr)", "English (en)", "العربية (ar)"]

RESPONDENT = [
    ("collectivite_nom", "text", ""),
    ("collectivite_type", "select one", "type_collectivite"),
    ("collectivite_code", "text", ""),
]
EXPECTED_QUESTIONS = {
    "perception": [
        ("start", "start", ""),
        ("end", "end", ""),
        *RESPONDENT,
        ("a_cooperation", "select one", "oui_non"),
        ("pays_partenaires", "select all that apply", "pays"),
        ("action_sociale_pertinente", "select one", "oui_non_nsp"),
        ("portes_entree", "select all that apply", "themes"),
        ("se_reconnait_terme", "select one", "reconnait"),
        ("services_sociaux_impliques", "select one", "oui_non"),
        ("commentaire", "text", ""),
    ],
    "cooperations": [
        ("start", "start", ""),
        ("end", "end", ""),
        *RESPONDENT,
        ("pays_partenaire", "select one", "pays"),
        ("autorite_partenaire", "text", ""),
        ("annee_debut", "integer", ""),
        ("themes", "select all that apply", "themes"),
        ("budget_annuel_eur", "decimal", ""),
        ("cofinancements", "select all that apply", "cofinancement"),
        ("services_internes", "select all that apply", "service_interne"),
        ("partenaires_externes", "select all that apply", "partenaire_externe"),
        ("plus_values", "select all that apply", "plus_value"),
        ("difficultes", "select all that apply", "difficulte"),
    ],
}
EXPECTED_CHOICES = {
    "type_collectivite": ["commune", "intercommunalite", "departement", "region", "autre"],
    "oui_non": ["oui", "non"],
    "oui_non_nsp": ["oui", "non", "nsp"],
    "reconnait": ["oui", "en_partie", "non"],
    "themes": [
        "acces_droits",
        "politique_familiale",
        "protection_enfance",
        "petite_enfance",
        "handicap",
        "personnes_agees",
        "jeunesse",
        "droits_femmes",
        "insertion_emploi",
        "sante",
        "logement",
        "renforcement_capacites",
        "autre",
    ],
    "cofinancement": [
        "etat_appel_projets",
        "union_europeenne",
        "fonds_propres",
        "autre_collectivite",
        "fondation",
        "autre",
    ],
    "service_interne": [
        "relations_internationales",
        "action_sociale",
        "enfance_famille",
        "sante",
        "education",
        "insertion",
        "aucun",
    ],
    "partenaire_externe": [
        "associations",
        "ong",
        "etablissements_sante",
        "universites",
        "entreprises",
        "services_etat",
        "aucun",
    ],
    "plus_value": [
        "besoins_essentiels",
        "partage_experiences",
        "enjeux_communs",
        "gouvernance_locale",
        "interculturel",
        "valoriser_expertise",
        "repenser_dispositifs",
    ],
    "difficulte": [
        "changement_politique",
        "financement",
        "rotation_personnel",
        "langue",
        "coordination_acteurs",
        "suivi_distance",
        "autre",
    ],
}
EXPECTED_LISTS = {
    "perception": {"type_collectivite", "oui_non", "pays", "oui_non_nsp", "themes", "reconnait"},
    "cooperations": {
        "type_collectivite",
        "pays",
        "themes",
        "cofinancement",
        "service_interne",
        "partenaire_externe",
        "plus_value",
        "difficulte",
    },
}


def _load(form_id):
    path = FORMS / f"{form_id}.xlsx"
    return questionnaire_load(content=path.read_bytes(), filename=path.name)


@pytest.mark.parametrize("form_id", ["perception", "cooperations"])
def test_the_shipped_form_loads_with_the_contract_names(form_id):
    version = _load(form_id)
    questionnaire = version.questionnaire
    assert questionnaire.form_id == form_id
    assert questionnaire.default_language == "Français (fr)"
    assert version.version == build.VERSION
    assert version.languages == LANGUAGES
    assert version.unsupported == []
    structure = Structure(version.structure, version.rows)
    questions = [
        (q.name, q.type, q.list_name)
        for q in structure.questions
        if not (q.path and q.path[0] == "meta")
    ]
    assert questions == EXPECTED_QUESTIONS[form_id]
    lists = version.structure["choices"]
    assert set(lists) == EXPECTED_LISTS[form_id]
    for list_name, names in EXPECTED_CHOICES.items():
        if list_name in lists:
            assert [c["name"] for c in lists[list_name]] == names, list_name
    for items in lists.values():
        for item in items:
            assert set(item["label"]) == set(LANGUAGES), item
            assert all(item["label"].values()), item
    for q in structure.questions:
        if q.node.get("label"):
            assert set(q.node["label"]) == set(LANGUAGES), q.name


def test_the_country_list_is_every_iso_country_in_lower_case():
    version = _load("cooperations")
    pays = version.structure["choices"]["pays"]
    assert sorted(c["name"] for c in pays) == sorted(c.alpha_2.lower() for c in pycountry.countries)
    senegal = next(c for c in pays if c["name"] == "sn")
    assert senegal["label"] == {
        "Français (fr)": "Sénégal",
        "English (en)": "Senegal",
        "العربية (ar)": "السنغال",
    }
    assert label(senegal, "en") == "Senegal"


def test_the_rules_of_the_study():
    perception = Structure(_load("perception").structure)
    cooperations = Structure(_load("cooperations").structure)
    code = "regex(., '^([0-9]{2}|2[AB]|97[1-6]|[0-9]{5}|2[AB][0-9]{3}|[0-9]{9})$')"
    for structure in (perception, cooperations):
        assert structure.by_name["collectivite_code"].bind["constraint"] == code
        assert structure.by_name["collectivite_nom"].bind["required"] == "yes"
        assert structure.by_name["collectivite_type"].bind["required"] == "yes"
    assert perception.by_name["pays_partenaires"].bind["relevant"] == "${a_cooperation} = 'oui'"
    assert cooperations.by_name["pays_partenaire"].repeats == ("cooperation",)
    assert cooperations.by_name["pays_partenaire"].bind["required"] == "yes"
    assert cooperations.by_name["themes"].bind["required"] == "yes"
    assert cooperations.by_name["annee_debut"].bind["constraint"] == (
        ". >= 1950 and . <= number(format-date(today(), '%Y'))"
    )
    assert cooperations.by_name["budget_annuel_eur"].bind["constraint"] == ". >= 0"
    plus_values = cooperations.by_name["plus_values"].bind
    assert plus_values["constraint"] == "count-selected(.) <= 3"
    assert plus_values["jr:constraintMsg"] == {
        "Français (fr)": "Trois réponses au plus",
        "English (en)": "Three answers at most",
        "العربية (ar)": "ثلاث إجابات على الأكثر",
    }
    for name in ("collectivite_code", "annee_debut", "budget_annuel_eur", "plus_values"):
        structure = perception if name == "collectivite_code" else cooperations
        assert set(structure.by_name[name].bind["jr:constraintMsg"]) == set(LANGUAGES)


@pytest.mark.parametrize("form_id", ["perception", "cooperations"])
def test_the_build_script_gives_the_committed_questions(form_id):
    committed = xlsform_read((FORMS / f"{form_id}.xlsx").read_bytes(), f"{form_id}.xlsx")
    rebuilt = xlsform_read(build.workbook(form_id), f"{form_id}.xlsx")
    assert rebuilt.structure == committed.structure
    assert rebuilt.rows == committed.rows


@pytest.mark.parametrize("form_id", ["perception", "cooperations"])
def test_the_shipped_form_written_back_reads_the_same(form_id):
    committed = xlsform_read((FORMS / f"{form_id}.xlsx").read_bytes(), f"{form_id}.xlsx")
    again = xlsform_read(xlsform_write(committed.structure), f"{form_id}.xlsx")
    assert again.structure == committed.structure
    assert again.rows == committed.rows


def test_the_rules_hold_through_the_server_side_validation():
    from reciprocite.surveys.validation import validate_submission

    structure = Structure(_load("cooperations").structure)
    good = {
        "collectivite_nom": "Ajaccio",
        "collectivite_type": "commune",
        "collectivite_code": "2A004",
        "cooperation": [
            {
                "pays_partenaire": "sn",
                "annee_debut": 2004,
                "themes": "sante",
                "budget_annuel_eur": 0,
                "plus_values": "interculturel",
            }
        ],
    }
    assert validate_submission(structure, good, language="en") == []
    bad = {
        "collectivite_nom": "Ajaccio",
        "collectivite_type": "commune",
        "collectivite_code": "2C004",
        "cooperation": [
            {
                "pays_partenaire": "sn",
                "annee_debut": 1949,
                "themes": "sante",
                "budget_annuel_eur": -1,
                "plus_values": "interculturel enjeux_communs gouvernance_locale "
                "valoriser_expertise",
            }
        ],
    }
    errors = validate_submission(structure, bad, language="en")
    assert sorted((e["path"], e["message"]) for e in errors) == [
        (
            "collectivite_code",
            "An INSEE code (2 or 3 characters for a department, 5 for a municipality) or a "
            "9-digit SIREN",
        ),
        ("cooperation[1]/annee_debut", "A year between 1950 and the current year"),
        ("cooperation[1]/budget_annuel_eur", "An amount of zero or more"),
        ("cooperation[1]/plus_values", "Three answers at most"),
    ]
    for code in ("14327", "2A004", "97411", "44", "2B", "974", "53", "200023414"):
        data = dict(good, collectivite_code=code)
        assert validate_submission(structure, data, language="en") == [], code
