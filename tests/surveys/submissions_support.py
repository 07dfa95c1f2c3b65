"""Small forms for the evaluator, validation and submission tests (pyxform's markdown format)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pyxform.xls2json import parse_file_to_json

from reciprocite.surveys.structure import Structure

# A form exercising every rule: metadata, required, relevant (question, group, repeat),
# constraint with translated messages, choice_filter, or_other, range, calculate, nested
# repeats, geopoint, date/time/datetime.
SAMPLE_MD = """
| survey |
| | type | name | label::Français (fr) | label::English (en) | required | relevant | constraint | constraint_message::Français (fr) | constraint_message::English (en) | choice_filter | calculation | parameters |
| | start | start | | | | | | | | | | |
| | end | end | | | | | | | | | | |
| | today | today | | | | | | | | | | |
| | username | username | | | | | | | | | | |
| | text | collectivite_nom | Nom | Name | yes | | | | | | | |
| | text | collectivite_code | Code | Code | | | regex(., '^[0-9]{5}$') | Code à 5 chiffres | A 5-digit code | | | |
| | select_one pays | pays | Pays | Country | yes | | | | | | | |
| | select_one ville | ville | Ville | City | | | | | | pays=${pays} | | |
| | select_multiple theme or_other | themes | Thèmes | Themes | | | count-selected(.) <= 2 | Deux au plus | At most two | | | |
| | integer | age | Âge | Age | true() | | . >= 0 and . < 150 | Âge invalide | Invalid age | | | |
| | decimal | budget | Budget | Budget | | ${age} > 17 | . >= 0 | | | | | |
| | range | note_r | Note | Grade | | | | | | | | start=1 end=9 step=2 |
| | date | jour | Jour | Day | | | . <= today() | Pas dans le futur | Not in the future | | | |
| | time | heure | Heure | Time | | | | | | | | |
| | dateTime | moment | Moment | Moment | | | | | | | | |
| | geopoint | lieu | Lieu | Place | | | | | | | | |
| | calculate | double_age | | | | | | | | | ${age} * 2 | |
| | begin_group | details | Détails | Details | | ${age} >= 18 | | | | | | |
| | text | profession | Profession | Job | yes | | | | | | | |
| | end_group | | | | | | | | | | | |
| | begin_repeat | cooperation | Coopération | Cooperation | | | | | | | | |
| | select_one pays | pays_partenaire | Pays | Country | yes | | | | | | | |
| | integer | annee_debut | Année | Year | | | . >= 1950 and . <= format-date(today(), '%Y') | Année entre 1950 et aujourd'hui | Year between 1950 and now | | | |
| | calculate | rang | | | | | | | | | position(..) | |
| | text | detail_senegal | Détail | Detail | yes | ${pays_partenaire} = 'sn' | | | | | | |
| | begin_repeat | action | Action | Action | | | | | | | | |
| | text | action_nom | Nom | Name | yes | | | | | | | |
| | integer | action_annee | Année | Year | | | . >= ${annee_debut} | Après le début | After the start | | | |
| | end_repeat | | | | | | | | | | | |
| | end_repeat | | | | | | | | | | | |
| | calculate | nb_cooperations | | | | | | | | | count(${cooperation}) | |
| | calculate | somme_annees | | | | | | | | | sum(${annee_debut}) | |
| choices |
| | list_name | name | label::Français (fr) | label::English (en) | pays |
| | pays | fr | France | France | |
| | pays | sn | Sénégal | Senegal | |
| | pays | ma | Maroc | Morocco | |
| | ville | paris | Paris | Paris | fr |
| | ville | dakar | Dakar | Dakar | sn |
| | ville | thies | Thiès | Thies | sn |
| | theme | sante | Santé | Health | |
| | theme | jeunesse | Jeunesse | Youth | |
| | theme | logement | Logement | Housing | |
| settings |
| | form_id | default_language |
| | sample | Français (fr) |
"""


def survey_json(md: str = SAMPLE_MD) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.md"
        path.write_text(md, encoding="utf-8")
        return parse_file_to_json(str(path))


def structure_from_md(md: str = SAMPLE_MD) -> Structure:
    return Structure(survey_json(md))


def valid_answers() -> dict:
    """Answers to SAMPLE_MD that break no rule."""
    return {
        "collectivite_nom": "Ville de Caen",
        "collectivite_code": "14118",
        "pays": "sn",
        "ville": "dakar",
        "themes": "sante other",
        "themes_other": "Culture",
        "age": 40,
        "budget": 1500.5,
        "note_r": 5,
        "jour": "2024-05-01",
        "heure": "10:30",
        "moment": "2024-05-01T10:30:00+02:00",
        "lieu": "49.18 -0.37 12 5",
        "profession": "Maire",
        "cooperation": [
            {"pays_partenaire": "ma", "annee_debut": 2001},
            {
                "pays_partenaire": "sn",
                "annee_debut": 2010,
                "detail_senegal": "Saint-Louis",
                "action": [{"action_nom": "Crèche", "action_annee": 2012}],
            },
        ],
    }


def questionnaire_from_md(md: str = SAMPLE_MD, *, form_id: str = "sample", version: str = "1"):
    from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion

    questionnaire, _created = Questionnaire.objects.get_or_create(
        form_id=form_id, defaults={"title": "Sample", "default_language": "Français (fr)"}
    )
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, version=version, structure=survey_json(md)
    )
    return questionnaire
