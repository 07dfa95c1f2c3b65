"""Test support for the analysis tests: the study's two questionnaires and their dev answers.

The questionnaires come from the shipped XLSForm files through the XLSFORM helper's
``questionnaire_load`` when both exist; otherwise they are built here from
../shared/study/QUESTIONNAIRES.md (an XLSForm written with openpyxl, converted by pyxform).
The answers come through the KOBO helper's ``submissions_import`` when it exists; otherwise a
small reader of the Kobo CSV layout builds Submission rows in the contract's data shape.
"""

from __future__ import annotations

import csv
import importlib
import io
import tempfile
import uuid
from pathlib import Path

import openpyxl

from reciprocite.surveys.digest import content_digest
from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion, Submission
from reciprocite.surveys.structure import Structure

PACKAGE_FORMS = Path(__file__).resolve().parents[2] / "src" / "reciprocite" / "surveys" / "xlsforms"

LANGS = ("Français (fr)", "English (en)")
RESPONDENT = [
    ("text", "collectivite_nom", "Nom de la collectivité", "Name of the authority", "yes"),
    ("select_one type_collectivite", "collectivite_type", "Type", "Kind", "yes"),
    ("text", "collectivite_code", "Code officiel", "Official code", ""),
]
PERCEPTION = [
    ("select_one oui_non", "a_cooperation", "Coopération ?", "Cooperation?", ""),
    ("select_multiple pays", "pays_partenaires", "Pays", "Countries", ""),
    ("select_one oui_non_nsp", "action_sociale_pertinente", "Pertinente ?", "Relevant?", ""),
    ("select_multiple themes", "portes_entree", "Portes d'entrée", "Entry points", ""),
    ("select_one reconnait", "se_reconnait_terme", "Se reconnaît ?", "Recognises?", ""),
    ("select_one oui_non", "services_sociaux_impliques", "Services ?", "Services?", ""),
    ("text", "commentaire", "Commentaire", "Comment", ""),
]
COOPERATIONS = [
    ("begin_repeat", "cooperation", "Coopération", "Cooperation", ""),
    ("select_one pays", "pays_partenaire", "Pays partenaire", "Partner country", "yes"),
    ("text", "autorite_partenaire", "Autorité partenaire", "Partner authority", ""),
    ("integer", "annee_debut", "Année de début", "Start year", ""),
    ("select_multiple themes", "themes", "Thèmes", "Themes", "yes"),
    ("decimal", "budget_annuel_eur", "Budget annuel", "Annual budget", ""),
    ("select_multiple cofinancement", "cofinancements", "Cofinancements", "Co-funding", ""),
    ("select_multiple service_interne", "services_internes", "Services", "Services", ""),
    ("select_multiple partenaire_externe", "partenaires_externes", "Partenaires", "Partners", ""),
    ("select_multiple plus_value", "plus_values", "Plus-values", "Added values", ""),
    ("select_multiple difficulte", "difficultes", "Difficultés", "Difficulties", ""),
    ("end_repeat", "", "", "", ""),
]
LISTS = {
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


def _countries() -> list[str]:
    import pycountry

    return sorted(c.alpha_2.lower() for c in pycountry.countries)


def study_xlsform(form_id: str) -> bytes:
    """The XLSForm of ``perception`` or ``cooperations`` as QUESTIONNAIRES.md describes it."""
    wb = openpyxl.Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", *(f"label::{lang}" for lang in LANGS), "required"])
    body = PERCEPTION if form_id == "perception" else COOPERATIONS
    for row in RESPONDENT + body:
        survey.append(list(row))
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", *(f"label::{lang}" for lang in LANGS)])
    for list_name, names in {**LISTS, "pays": _countries()}.items():
        for name in names:
            choices.append([list_name, name, name, name])
    settings = wb.create_sheet("settings")
    settings.append(["form_id", "form_title", "version", "default_language"])
    settings.append([form_id, form_id.capitalize(), "1", LANGS[0]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _structure_of(content: bytes) -> dict:
    from pyxform.xls2json import parse_file_to_json

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as fh:
        fh.write(content)
        fh.flush()
        return parse_file_to_json(fh.name)


def _loader():
    try:
        module = importlib.import_module("reciprocite.surveys.services.questionnaires")
    except ImportError:
        return None
    return getattr(module, "questionnaire_load", None)


def load_study_form(form_id: str) -> Questionnaire:
    """One of the study's questionnaires: the shipped XLSForm through questionnaire_load when
    both exist, else built from QUESTIONNAIRES.md."""
    load = _loader()
    shipped = PACKAGE_FORMS / f"{form_id}.xlsx"
    if load is not None and shipped.is_file():
        version = load(content=shipped.read_bytes(), filename=shipped.name, form_id=form_id)
        return version.questionnaire
    content = study_xlsform(form_id)
    structure = _structure_of(content)
    q = Questionnaire.objects.create(form_id=form_id, title=form_id.capitalize())
    QuestionnaireVersion.objects.create(
        questionnaire=q, version="1", structure=structure, xlsform=content
    )
    return q


# --- answers ---------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _typed(structure: Structure, name: str, value: str):
    q = structure.by_name.get(name)
    if value == "" or q is None:
        return None
    if q.type == "integer":
        return int(value)
    if q.type == "decimal":
        return float(value)
    return value


def _answers(structure: Structure, row: dict, repeat: str) -> dict:
    data = {}
    for header, value in row.items():
        if header.startswith("_"):
            continue
        name = header.split("/")[-1]
        q = structure.by_name.get(name)
        # Kobo's 0/1 columns "question/choice" repeat the select_multiple column
        if q is None or q.repeat != repeat or header.count("/") > len(q.path):
            continue
        typed = _typed(structure, name, value)
        if typed is not None:
            data[name] = typed
    return data


def import_study_answers(questionnaire: Questionnaire, directory: Path) -> int:
    """The dev answers of ``questionnaire`` from ``directory`` (Kobo CSV layout)."""
    form_id = questionnaire.form_id
    files = sorted(directory.glob(f"{form_id}*.csv"))
    try:
        imports = importlib.import_module("reciprocite.surveys.services.imports")
        submissions_import = imports.submissions_import
    except (ImportError, AttributeError):
        submissions_import = None
    if submissions_import is not None:
        submissions_import(
            questionnaire=questionnaire, files=[(f.name, f.read_bytes()) for f in files]
        )
        return Submission.objects.filter(questionnaire=questionnaire).count()
    version = questionnaire.current_version
    structure = Structure(version.structure, version.rows or {})
    main = _read_csv(directory / f"{form_id}.csv")
    docs = {row["_uuid"]: _answers(structure, row, "") for row in main}
    by_index = {row["_index"]: row["_uuid"] for row in main}
    for repeat in structure.repeat_nodes:
        path = directory / f"{form_id}-{repeat}.csv"
        if not path.is_file():
            continue
        for row in _read_csv(path):
            owner = row.get("_submission__uuid") or by_index[row["_parent_index"]]
            docs[owner].setdefault(repeat, []).append(_answers(structure, row, repeat))
    Submission.objects.bulk_create(
        Submission(
            questionnaire=questionnaire,
            version=version,
            uuid=uuid.UUID(key),
            data=data,
            content_digest=content_digest(data),
            source="import",
        )
        for key, data in docs.items()
    )
    return len(docs)
