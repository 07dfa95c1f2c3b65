"""Build the study's two questionnaires as XLSForm files: ``perception.xlsx`` and
``cooperations.xlsx`` next to this script.

    python -m reciprocite.surveys.xlsforms.build      # rewrites both files

The names of questions and choices are a contract (``study/QUESTIONNAIRES.md``); labels are
in French, English and Arabic. The ``pays`` list is every ISO 3166-1 country of pycountry,
its alpha-2 code in lower case, with the country's name from babel (CLDR) in each language.
Change the data below, not the workbooks, then run the script again (raise ``VERSION`` when
the questions change: a loaded version is never overwritten).
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERSION = "2026.1"
LANGUAGES = [("fr", "Français (fr)"), ("en", "English (en)"), ("ar", "العربية (ar)")]
DEFAULT_LANGUAGE = "Français (fr)"

# A French authority's official code: INSEE code of a commune (5 characters: 2 digits or
# 2A/2B, then 3 digits; overseas 97xxx), of a département (2 digits, 2A, 2B, or 971…976),
# of a région (2 digits), or a SIREN (9 digits).
CODE_CONSTRAINT = "regex(., '^([0-9]{2}|2[AB]|97[1-6]|[0-9]{5}|2[AB][0-9]{3}|[0-9]{9})$')"
# 1950 ≤ year ≤ the current year (of the day the answer is checked)
YEAR_CONSTRAINT = ". >= 1950 and . <= number(format-date(today(), '%Y'))"


def t(fr: str, en: str, ar: str) -> dict[str, str]:
    return {"fr": fr, "en": en, "ar": ar}


CHOICES: dict[str, list[tuple[str, dict]]] = {
    "type_collectivite": [
        ("commune", t("Commune", "Municipality", "بلدية")),
        ("intercommunalite", t("Intercommunalité", "Inter-municipal body", "تجمع بلديات")),
        ("departement", t("Département", "Department", "مقاطعة")),
        ("region", t("Région", "Region", "جهة")),
        ("autre", t("Autre", "Other", "أخرى")),
    ],
    "oui_non": [("oui", t("Oui", "Yes", "نعم")), ("non", t("Non", "No", "لا"))],
    "oui_non_nsp": [
        ("oui", t("Oui", "Yes", "نعم")),
        ("non", t("Non", "No", "لا")),
        ("nsp", t("Ne sait pas", "Don't know", "لا أعرف")),
    ],
    "reconnait": [
        ("oui", t("Oui", "Yes", "نعم")),
        ("en_partie", t("En partie", "Partly", "جزئيا")),
        ("non", t("Non", "No", "لا")),
    ],
    "themes": [
        ("acces_droits", t("Accès aux droits", "Access to rights", "الوصول إلى الحقوق")),
        ("politique_familiale", t("Politique familiale", "Family policy", "السياسة الأسرية")),
        ("protection_enfance", t("Protection de l'enfance", "Child protection", "حماية الطفولة")),
        ("petite_enfance", t("Petite enfance", "Early childhood", "الطفولة المبكرة")),
        ("handicap", t("Handicap", "Disability", "الإعاقة")),
        ("personnes_agees", t("Personnes âgées", "Older people", "كبار السن")),
        ("jeunesse", t("Jeunesse", "Youth", "الشباب")),
        ("droits_femmes", t("Droits des femmes", "Women's rights", "حقوق المرأة")),
        (
            "insertion_emploi",
            t("Insertion et emploi", "Social inclusion and employment", "الإدماج والتشغيل"),
        ),
        ("sante", t("Santé", "Health", "الصحة")),
        ("logement", t("Logement", "Housing", "السكن")),
        (
            "renforcement_capacites",
            t("Renforcement des capacités", "Capacity building", "تعزيز القدرات"),
        ),
        ("autre", t("Autre", "Other", "أخرى")),
    ],
    "cofinancement": [
        (
            "etat_appel_projets",
            t("Appel à projets de l'État", "State call for projects", "طلب مشاريع من الدولة"),
        ),
        ("union_europeenne", t("Union européenne", "European Union", "الاتحاد الأوروبي")),
        ("fonds_propres", t("Fonds propres", "Own funds", "أموال ذاتية")),
        (
            "autre_collectivite",
            t("Autre collectivité", "Another local government", "جماعة محلية أخرى"),
        ),
        ("fondation", t("Fondation", "Foundation", "مؤسسة خيرية")),
        ("autre", t("Autre", "Other", "أخرى")),
    ],
    "service_interne": [
        (
            "relations_internationales",
            t("Relations internationales", "International relations", "العلاقات الدولية"),
        ),
        ("action_sociale", t("Action sociale", "Social services", "العمل الاجتماعي")),
        ("enfance_famille", t("Enfance et famille", "Children and families", "الطفولة والأسرة")),
        ("sante", t("Santé", "Health", "الصحة")),
        ("education", t("Éducation", "Education", "التعليم")),
        ("insertion", t("Insertion", "Social inclusion", "الإدماج")),
        ("aucun", t("Aucun", "None", "لا شيء")),
    ],
    "partenaire_externe": [
        ("associations", t("Associations", "Associations", "جمعيات")),
        ("ong", t("ONG", "NGOs", "منظمات غير حكومية")),
        (
            "etablissements_sante",
            t("Établissements de santé", "Health facilities", "مؤسسات صحية"),
        ),
        ("universites", t("Universités", "Universities", "جامعات")),
        ("entreprises", t("Entreprises", "Businesses", "مقاولات")),
        ("services_etat", t("Services de l'État", "State services", "مصالح الدولة")),
        ("aucun", t("Aucun", "None", "لا شيء")),
    ],
    "plus_value": [
        (
            "besoins_essentiels",
            t(
                "Répondre aux besoins essentiels des populations partenaires",
                "Meet the essential needs of partner populations",
                "تلبية الاحتياجات الأساسية لسكان الشريك",
            ),
        ),
        (
            "partage_experiences",
            t(
                "Partager des expériences et des compétences",
                "Share experience and competence",
                "تبادل الخبرات والكفاءات",
            ),
        ),
        (
            "enjeux_communs",
            t(
                "Faire émerger des enjeux communs aux deux territoires",
                "Bring common issues of both territories to light",
                "إبراز القضايا المشتركة بين الإقليمين",
            ),
        ),
        (
            "gouvernance_locale",
            t(
                "Renforcer la gouvernance locale",
                "Strengthen local governance",
                "تعزيز الحكامة المحلية",
            ),
        ),
        (
            "interculturel",
            t("Dialogue interculturel", "Intercultural dialogue", "الحوار بين الثقافات"),
        ),
        (
            "valoriser_expertise",
            t(
                "Valoriser l'expertise de la collectivité",
                "Showcase the authority's expertise",
                "إبراز خبرة الجماعة",
            ),
        ),
        (
            "repenser_dispositifs",
            t(
                "Repenser ses propres dispositifs",
                "Rethink one's own arrangements",
                "إعادة التفكير في آلياتها الخاصة",
            ),
        ),
    ],
    "difficulte": [
        (
            "changement_politique",
            t("Changement politique", "Political change", "التغيير السياسي"),
        ),
        ("financement", t("Financement", "Funding", "التمويل")),
        ("rotation_personnel", t("Rotation du personnel", "Staff turnover", "تغيير الموظفين")),
        ("langue", t("Langue", "Language", "اللغة")),
        (
            "coordination_acteurs",
            t("Coordination des acteurs", "Coordinating the actors", "تنسيق الفاعلين"),
        ),
        ("suivi_distance", t("Suivi à distance", "Remote follow-up", "المتابعة عن بعد")),
        ("autre", t("Autre", "Other", "أخرى")),
    ],
}


def countries() -> list[tuple[str, dict]]:
    """Every ISO 3166-1 country: (alpha-2 in lower case, labels), in French alphabetical order."""
    import pycountry
    from babel import Locale

    locales = {code: Locale(code) for code, _ in LANGUAGES}
    rows = []
    for country in pycountry.countries:
        code = country.alpha_2
        labels = {
            lang: locale.territories.get(code) or country.name for lang, locale in locales.items()
        }
        rows.append((code.lower(), labels))

    def french_key(row):
        text = unicodedata.normalize("NFKD", row[1]["fr"])
        return "".join(c for c in text if not unicodedata.combining(c)).lower()

    return sorted(rows, key=french_key)


REQUIRED_MESSAGE = None  # pyxform's default "This field is required"

RESPONDENT = [
    {"type": "start", "name": "start"},
    {"type": "end", "name": "end"},
    {
        "type": "text",
        "name": "collectivite_nom",
        "label": t(
            "Nom de votre collectivité", "Name of your local authority", "اسم جماعتكم المحلية"
        ),
        "required": "yes",
    },
    {
        "type": "select_one type_collectivite",
        "name": "collectivite_type",
        "label": t("Type de collectivité", "Type of authority", "نوع الجماعة"),
        "required": "yes",
    },
    {
        "type": "text",
        "name": "collectivite_code",
        "label": t(
            "Code officiel de la collectivité",
            "Official code of the authority",
            "الرمز الرسمي للجماعة",
        ),
        "hint": t(
            "Code INSEE de la commune (14327, 2A004, 97411), du département (44, 2A, 974) ou "
            "de la région (2 chiffres), ou SIREN (9 chiffres)",
            "INSEE code of the municipality (14327, 2A004, 97411), of the department (44, 2A, "
            "974) or of the region (2 digits), or SIREN (9 digits)",
            "رمز INSEE للبلدية (14327، 2A004، 97411) أو للمقاطعة (44، 2A، 974) أو للجهة "
            "(رقمان)، أو رقم SIREN (9 أرقام)",
        ),
        "constraint": CODE_CONSTRAINT,
        "constraint_message": t(
            "Un code INSEE (2 ou 3 caractères pour un département, 5 pour une commune) ou un "
            "SIREN de 9 chiffres",
            "An INSEE code (2 or 3 characters for a department, 5 for a municipality) or a "
            "9-digit SIREN",
            "رمز INSEE (حرفان أو ثلاثة للمقاطعة، خمسة للبلدية) أو رقم SIREN من 9 أرقام",
        ),
    },
]

PERCEPTION = [
    *RESPONDENT,
    {
        "type": "select_one oui_non",
        "name": "a_cooperation",
        "label": t(
            "Votre collectivité mène-t-elle des actions de coopération décentralisée ?",
            "Does your authority run any decentralised cooperation?",
            "هل تقوم جماعتكم بأنشطة للتعاون اللامركزي؟",
        ),
        "required": "yes",
    },
    {
        "type": "select_multiple pays",
        "name": "pays_partenaires",
        "label": t("Avec quels pays ?", "With which countries?", "مع أي بلدان؟"),
        "required": "yes",
        "relevant": "${a_cooperation} = 'oui'",
    },
    {
        "type": "select_one oui_non_nsp",
        "name": "action_sociale_pertinente",
        "label": t(
            "L'action sociale est-elle un champ pertinent pour la coopération ?",
            "Is social action a relevant field for cooperation?",
            "هل العمل الاجتماعي مجال مناسب للتعاون؟",
        ),
        "required": "yes",
    },
    {
        "type": "select_multiple themes",
        "name": "portes_entree",
        "label": t(
            "Par quelles portes d'entrée l'aborder ?",
            "Through which entry points should it be approached?",
            "من أي مداخل يمكن تناوله؟",
        ),
    },
    {
        "type": "select_one reconnait",
        "name": "se_reconnait_terme",
        "label": t(
            "Votre collectivité se reconnaît-elle dans le terme « action sociale » ?",
            "Does your authority recognise itself in the term “social action”?",
            "هل تجد جماعتكم نفسها في مصطلح «العمل الاجتماعي»؟",
        ),
        "required": "yes",
    },
    {
        "type": "select_one oui_non",
        "name": "services_sociaux_impliques",
        "label": t(
            "Vos services sociaux sont-ils impliqués dans vos coopérations ?",
            "Are your own social services involved in your cooperation?",
            "هل مصالحكم الاجتماعية مشاركة في تعاونكم؟",
        ),
    },
    {
        "type": "text",
        "name": "commentaire",
        "label": t("Commentaire", "Comment", "تعليق"),
        "appearance": "multiline",
    },
]

COOPERATIONS = [
    *RESPONDENT,
    {
        "type": "begin_repeat",
        "name": "cooperation",
        "label": t("Coopération", "Cooperation", "تعاون"),
    },
    {
        "type": "select_one pays",
        "name": "pays_partenaire",
        "label": t("Pays partenaire", "Partner country", "البلد الشريك"),
        "required": "yes",
    },
    {
        "type": "text",
        "name": "autorite_partenaire",
        "label": t("Collectivité partenaire", "Partner authority", "الجماعة الشريكة"),
    },
    {
        "type": "integer",
        "name": "annee_debut",
        "label": t("Année de début", "Start year", "سنة البداية"),
        "constraint": YEAR_CONSTRAINT,
        "constraint_message": t(
            "Une année entre 1950 et l'année en cours",
            "A year between 1950 and the current year",
            "سنة بين 1950 والسنة الحالية",
        ),
    },
    {
        "type": "select_multiple themes",
        "name": "themes",
        "label": t("Thèmes", "Themes", "المواضيع"),
        "required": "yes",
    },
    {
        "type": "decimal",
        "name": "budget_annuel_eur",
        "label": t("Budget annuel (euros)", "Annual budget (euros)", "الميزانية السنوية (باليورو)"),
        "constraint": ". >= 0",
        "constraint_message": t(
            "Un montant positif ou nul", "An amount of zero or more", "مبلغ موجب أو صفر"
        ),
    },
    {
        "type": "select_multiple cofinancement",
        "name": "cofinancements",
        "label": t("Cofinancements", "Co-funding", "التمويل المشترك"),
    },
    {
        "type": "select_multiple service_interne",
        "name": "services_internes",
        "label": t(
            "Services de la collectivité mobilisés",
            "The authority's own services involved",
            "مصالح الجماعة المعبأة",
        ),
    },
    {
        "type": "select_multiple partenaire_externe",
        "name": "partenaires_externes",
        "label": t("Partenaires extérieurs", "External partners", "الشركاء الخارجيون"),
    },
    {
        "type": "select_multiple plus_value",
        "name": "plus_values",
        "label": t(
            "Plus-values perçues (3 au plus)",
            "Perceived added value (3 at most)",
            "القيمة المضافة المتصورة (3 على الأكثر)",
        ),
        "constraint": "count-selected(.) <= 3",
        "constraint_message": t(
            "Trois réponses au plus", "Three answers at most", "ثلاث إجابات على الأكثر"
        ),
    },
    {
        "type": "select_multiple difficulte",
        "name": "difficultes",
        "label": t("Difficultés rencontrées", "Difficulties met", "الصعوبات المواجهة"),
    },
    {"type": "end_repeat"},
]

FORMS = {
    "perception": {
        "title": "Perception de l'action sociale dans la coopération décentralisée",
        "survey": PERCEPTION,
        "lists": ["type_collectivite", "oui_non", "pays", "oui_non_nsp", "themes", "reconnait"],
    },
    "cooperations": {
        "title": "Les coopérations décentralisées dans le champ social",
        "survey": COOPERATIONS,
        "lists": [
            "type_collectivite",
            "pays",
            "themes",
            "cofinancement",
            "service_interne",
            "partenaire_externe",
            "plus_value",
            "difficulte",
        ],
    },
}

TRANSLATED = ["label", "hint", "constraint_message"]
PLAIN = ["required", "relevant", "constraint", "appearance"]


def workbook(form_id: str) -> bytes:
    """The XLSForm of ``form_id`` as .xlsx bytes."""
    import openpyxl

    form = FORMS[form_id]
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    columns = ["type", "name"]
    for column in TRANSLATED:
        columns += [f"{column}::{header}" for _, header in LANGUAGES]
    columns += PLAIN
    survey.append(columns)
    for row in form["survey"]:
        values = [row["type"], row.get("name")]
        for column in TRANSLATED:
            texts = row.get(column) or {}
            values += [texts.get(code) for code, _ in LANGUAGES]
        values += [row.get(column) for column in PLAIN]
        survey.append(values)

    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *[f"label::{header}" for _, header in LANGUAGES]])
    for list_name in form["lists"]:
        items = countries() if list_name == "pays" else CHOICES[list_name]
        for name, labels in items:
            choices.append([list_name, name, *[labels[code] for code, _ in LANGUAGES]])

    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([form["title"], form_id, VERSION, DEFAULT_LANGUAGE])

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    for form_id in FORMS:
        path = HERE / f"{form_id}.xlsx"
        path.write_bytes(workbook(form_id))
        print(path)


if __name__ == "__main__":
    main()
