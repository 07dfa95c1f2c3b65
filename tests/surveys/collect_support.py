"""Test support for the collection tests: small XLSForms written with openpyxl, loaded as
questionnaires, and a campaign with one personal invitation.

The ``cooperations`` form here keeps the contract's names (QUESTIONNAIRES.md) with a few
choices per list, labels in French, English and Arabic; ``widgets`` holds every widget the
web form supports (table-list, nested repeats, geopoint, relevance, choice filter…).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import openpyxl

from reciprocite.accounts.services import organisation_create
from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion
from reciprocite.surveys.services.campaigns import campaign_create, campaign_open
from reciprocite.surveys.services.invitations import invitation_create

HEAD = [
    "type",
    "name",
    "label::Français (fr)",
    "label::English (en)",
    "label::العربية (ar)",
    "hint::Français (fr)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Français (fr)",
    "constraint_message::English (en)",
    "appearance",
    "choice_filter",
    "calculation",
    "parameters",
]

COOPERATIONS_SURVEY = [
    {"type": "start", "name": "start"},
    {"type": "end", "name": "end"},
    {"type": "today", "name": "today"},
    {"type": "username", "name": "username"},
    {"type": "deviceid", "name": "deviceid"},
    {
        "type": "begin_group",
        "name": "repondant",
        "fr": "Votre collectivité",
        "en": "Your authority",
        "ar": "جماعتكم",
        "appearance": "field-list",
    },
    {
        "type": "text",
        "name": "collectivite_nom",
        "fr": "Nom de la collectivité",
        "en": "Name of the authority",
        "ar": "اسم الجماعة",
        "required": "yes",
    },
    {
        "type": "select_one type_collectivite",
        "name": "collectivite_type",
        "fr": "Type de collectivité",
        "en": "Kind of authority",
        "ar": "نوع الجماعة",
        "required": "yes",
    },
    {
        "type": "text",
        "name": "collectivite_code",
        "fr": "Code officiel",
        "en": "Official code",
        "ar": "الرمز الرسمي",
        "hint_fr": "Code INSEE ou SIREN",
        "constraint": r"regex(., '^([0-9]{5}|2[AB][0-9]{3}|[0-9]{2,3}|2[AB]|[0-9]{9})$')",
        "msg_fr": "Un code INSEE ou un SIREN",
        "msg_en": "An INSEE code or a SIREN",
    },
    {"type": "end_group"},
    {
        "type": "begin_repeat",
        "name": "cooperation",
        "fr": "Coopération",
        "en": "Cooperation",
        "ar": "تعاون",
    },
    {
        "type": "select_one pays",
        "name": "pays_partenaire",
        "fr": "Pays partenaire",
        "en": "Partner country",
        "ar": "البلد الشريك",
        "required": "yes",
        "appearance": "minimal",
    },
    {
        "type": "text",
        "name": "autorite_partenaire",
        "fr": "Autorité partenaire",
        "en": "Partner authority",
        "ar": "السلطة الشريكة",
    },
    {
        "type": "integer",
        "name": "annee_debut",
        "fr": "Année de début",
        "en": "Start year",
        "ar": "سنة البداية",
        "constraint": ". >= 1950 and . <= 2100",
        "msg_fr": "L'année doit être comprise entre 1950 et aujourd'hui.",
        "msg_en": "The year must be between 1950 and today.",
    },
    {
        "type": "select_multiple themes",
        "name": "themes",
        "fr": "Thèmes",
        "en": "Themes",
        "ar": "المواضيع",
        "required": "yes",
    },
    {
        "type": "decimal",
        "name": "budget_annuel_eur",
        "fr": "Budget annuel (euros)",
        "en": "Annual budget (euros)",
        "ar": "الميزانية السنوية",
        "constraint": ". >= 0",
    },
    {
        "type": "select_multiple plus_value",
        "name": "plus_values",
        "fr": "Plus-values",
        "en": "Added values",
        "ar": "القيمة المضافة",
        "constraint": "count-selected(.) <= 3",
        "msg_fr": "Trois au plus.",
        "msg_en": "Three at most.",
    },
    {"type": "end_repeat"},
    {"type": "calculate", "name": "nb_cooperations", "calculation": "count(${cooperation})"},
    {"type": "note", "name": "merci", "fr": "Merci !", "en": "Thank you!", "ar": "شكرا"},
]

CHOICES = {
    "type_collectivite": [
        ("commune", "Commune", "Municipality", "بلدية"),
        ("departement", "Département", "Department", "محافظة"),
        ("region", "Région", "Region", "جهة"),
    ],
    "pays": [
        ("ma", "Maroc", "Morocco", "المغرب"),
        ("ru", "Russie", "Russia", "روسيا"),
        ("sn", "Sénégal", "Senegal", "السنغال"),
    ],
    "themes": [
        ("jeunesse", "Jeunesse", "Youth", "الشباب"),
        ("sante", "Santé", "Health", "الصحة"),
        ("insertion_emploi", "Insertion et emploi", "Employment", "التشغيل"),
    ],
    "plus_value": [
        ("besoins_essentiels", "Besoins essentiels", "Essential needs", "الحاجات"),
        ("partage_experiences", "Partage d'expériences", "Sharing experience", "التجارب"),
        ("enjeux_communs", "Enjeux communs", "Common issues", "القضايا"),
        ("interculturel", "Interculturel", "Intercultural", "الثقافات"),
    ],
}

WIDGETS_SURVEY = [
    {"type": "begin_group", "name": "g_types", "fr": "Types", "en": "Types"},
    {"type": "date", "name": "q_date", "fr": "Date", "en": "Date"},
    {"type": "time", "name": "q_time", "fr": "Heure", "en": "Time"},
    {"type": "datetime", "name": "q_datetime", "fr": "Date et heure", "en": "Date and time"},
    {
        "type": "range",
        "name": "q_range",
        "fr": "Note",
        "en": "Score",
        "parameters": "start=0 end=10 step=1",
    },
    {"type": "geopoint", "name": "q_geo", "fr": "Lieu", "en": "Place"},
    {"type": "integer", "name": "q_int", "fr": "Entier", "en": "Whole number"},
    {"type": "end_group"},
    {"type": "begin_group", "name": "g_rules", "fr": "Règles", "en": "Rules"},
    {"type": "select_one oui_non", "name": "q_has", "fr": "Avez-vous ?", "en": "Do you have?"},
    {
        "type": "text",
        "name": "q_which",
        "fr": "Lequel ?",
        "en": "Which one?",
        "relevant": "${q_has} = 'oui'",
        "required": "yes",
    },
    {"type": "select_one zone", "name": "q_zone", "fr": "Zone", "en": "Zone"},
    {
        "type": "select_one ville",
        "name": "q_ville",
        "fr": "Ville",
        "en": "City",
        "choice_filter": "zone = ${q_zone}",
    },
    {"type": "select_multiple fruit or_other", "name": "q_fruit", "fr": "Fruits", "en": "Fruit"},
    {"type": "end_group"},
    {
        "type": "begin_group",
        "name": "g_grid",
        "fr": "Grille",
        "en": "Grid",
        "appearance": "table-list",
    },
    {"type": "select_one oui_non", "name": "q_grid_a", "fr": "Ligne A", "en": "Row A"},
    {"type": "select_one oui_non", "name": "q_grid_b", "fr": "Ligne B", "en": "Row B"},
    {"type": "end_group"},
    {"type": "begin_repeat", "name": "menage", "fr": "Ménage", "en": "Household"},
    {"type": "text", "name": "menage_nom", "fr": "Nom du ménage", "en": "Household name"},
    {"type": "begin_repeat", "name": "personne", "fr": "Personne", "en": "Person"},
    {"type": "integer", "name": "age", "fr": "Âge", "en": "Age"},
    {"type": "end_repeat"},
    {"type": "end_repeat"},
]

WIDGETS_CHOICES = {
    "oui_non": [("oui", "Oui", "Yes", "نعم"), ("non", "Non", "No", "لا")],
    "zone": [("nord", "Nord", "North", "ش"), ("sud", "Sud", "South", "ج")],
    "ville": [
        ("lille", "Lille", "Lille", "ل", "nord"),
        ("arras", "Arras", "Arras", "ا", "nord"),
        ("nice", "Nice", "Nice", "ن", "sud"),
    ],
    "fruit": [("pomme", "Pomme", "Apple", "ت"), ("poire", "Poire", "Pear", "ك")],
}


def xlsform(survey: list[dict], choices: dict, form_id: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(HEAD)
    for row in survey:
        sheet.append(
            [
                row["type"],
                row.get("name", ""),
                row.get("fr", ""),
                row.get("en", ""),
                row.get("ar", ""),
                row.get("hint_fr", ""),
                row.get("required", ""),
                row.get("relevant", ""),
                row.get("constraint", ""),
                row.get("msg_fr", ""),
                row.get("msg_en", ""),
                row.get("appearance", ""),
                row.get("choice_filter", ""),
                row.get("calculation", ""),
                row.get("parameters", ""),
            ]
        )
    sheet = workbook.create_sheet("choices")
    sheet.append(
        ["list_name", "name", "label::Français (fr)", "label::English (en)", "label::العربية (ar)"]
        + ["zone"]
    )
    for list_name, entries in choices.items():
        for entry in entries:
            sheet.append([list_name, *entry])
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "form_title", "default_language", "version"])
    settings.append([form_id, form_id.capitalize(), "Français (fr)", "1"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def load_questionnaire(content: bytes, form_id: str, title: str) -> Questionnaire:
    """Questionnaire and version rows from an XLSForm, through pyxform."""
    from pyxform.xls2json import parse_file_to_json

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{form_id}.xlsx"
        path.write_bytes(content)
        structure = parse_file_to_json(str(path))
    questionnaire = Questionnaire.objects.create(
        form_id=form_id, title=title, default_language="Français (fr)"
    )
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, version="1", structure=structure
    )
    return questionnaire


def cooperations() -> Questionnaire:
    return load_questionnaire(
        xlsform(COOPERATIONS_SURVEY, CHOICES, "cooperations"),
        "cooperations",
        "Coopérations sociales",
    )


def widgets() -> Questionnaire:
    return load_questionnaire(
        xlsform(WIDGETS_SURVEY, WIDGETS_CHOICES, "widgets"), "widgets", "Widgets"
    )


def invite(questionnaire, *, name="Ville de Caen", language="fr", open_campaign=True):
    """An open campaign on ``questionnaire`` and one invitation; returns (invitation, url)."""
    organisation = organisation_create(
        name=name, kind="member", contact_email=f"dri@{name.split()[-1].lower()}.test"
    )
    campaign = campaign_create(questionnaire=questionnaire, title="Étude 2026")
    if open_campaign:
        campaign_open(campaign=campaign)
    invitation, secret = invitation_create(
        campaign=campaign,
        organisation=organisation,
        email=organisation.contact_email,
        language=language,
    )
    return invitation, f"/surveys/r/{secret}/"
