"""The study's two shipped questionnaires: their rules accept the development answers and
refuse what they should, through the API, in French, English and Arabic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyxform.xls2json import parse_file_to_json

from reciprocite.accounts.models import Membership
from reciprocite.accounts.services import api_token_create
from reciprocite.interop.kobo import read_export
from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion, Submission
from reciprocite.surveys.structure import Structure
from reciprocite.surveys.validation import validate_submission

FORMS = Path(__file__).resolve().parents[2] / "src" / "reciprocite" / "surveys" / "xlsforms"
STUDY_DEV = Path("/work/shared/data/study-dev")
EXPORTS = {
    "perception": ["perception.csv"],
    "cooperations": ["cooperations.csv", "cooperations-cooperation.csv"],
}


def _structure(form_id: str) -> dict:
    return parse_file_to_json(str(FORMS / f"{form_id}.xlsx"))


@pytest.mark.skipif(not STUDY_DEV.exists(), reason="study-dev data not on this machine")
@pytest.mark.parametrize(("form_id", "count"), [("perception", 120), ("cooperations", 44)])
def test_every_development_answer_passes_the_forms_rules(form_id, count):
    structure = Structure(_structure(form_id))
    export = read_export(
        structure, [(name, (STUDY_DEV / name).read_bytes()) for name in EXPORTS[form_id]]
    )
    assert len(export.submissions) == count
    for submission in export.submissions:
        assert validate_submission(structure, submission.data, language="fr") == [], submission.row


@pytest.fixture
def auth(world):
    membership = Membership.objects.get(user=world.analyst)
    token = api_token_create(membership=membership, name="study")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _form(form_id: str) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(form_id=form_id, title=form_id)
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, version="1", structure=_structure(form_id)
    )
    return questionnaire


def _post(client, form_id, data, auth, *, uuid, language=None):
    body = {"uuid": uuid, "data": data}
    if language:
        body["language"] = language
    return client.post(
        f"/api/v1/surveys/{form_id}/submissions",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth,
    )


RESPONDENT = {
    "collectivite_nom": "Ville de Caen",
    "collectivite_type": "commune",
    "collectivite_code": "14118",
}


@pytest.mark.django_db
def test_cooperations_constraints_in_each_language(client, auth):
    _form("cooperations")
    entry = {
        "pays_partenaire": "sn",
        "annee_debut": 1900,
        "themes": "sante jeunesse",
        "budget_annuel_eur": -5,
        "plus_values": "besoins_essentiels partage_experiences enjeux_communs interculturel",
    }
    data = {**RESPONDENT, "collectivite_code": "1411", "cooperation": [{**entry}, {"themes": ""}]}
    expected_paths = [
        "collectivite_code",
        "cooperation[1]/annee_debut",
        "cooperation[1]/budget_annuel_eur",
        "cooperation[1]/plus_values",
        "cooperation[2]/pays_partenaire",
        "cooperation[2]/themes",
    ]
    messages = {}
    for language in ("fr", "en", "ar"):
        uuid = f"7d2f0a44-1b7e-4c1f-8f57-00000000000{len(messages)}"
        response = _post(client, "cooperations", data, auth, uuid=uuid, language=language)
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert list(errors) == expected_paths
        messages[language] = errors
    assert messages["fr"]["cooperation[1]/annee_debut"] == [
        "Une année entre 1950 et l'année en cours"
    ]
    assert messages["en"]["cooperation[1]/annee_debut"] == [
        "A year between 1950 and the current year"
    ]
    assert messages["ar"]["cooperation[1]/annee_debut"] == ["سنة بين 1950 والسنة الحالية"]
    assert messages["en"]["cooperation[1]/plus_values"] == ["Three answers at most"]
    assert messages["en"]["cooperation[1]/budget_annuel_eur"] == ["An amount of zero or more"]
    assert messages["en"]["cooperation[2]/themes"] == ["This question is required."]
    assert Submission.objects.count() == 0

    entry.update(annee_debut=2004, budget_annuel_eur=12000, plus_values="interculturel")
    data = {**RESPONDENT, "cooperation": [entry]}
    response = _post(
        client, "cooperations", data, auth, uuid="7d2f0a44-1b7e-4c1f-8f57-0000000000ff"
    )
    assert response.status_code == 201, response.content
    stored = Submission.objects.get().data
    assert stored["cooperation"] == [entry]
    assert stored["instanceID"] == "uuid:7d2f0a44-1b7e-4c1f-8f57-0000000000ff"


@pytest.mark.django_db
def test_perception_partner_countries_follow_the_cooperation_answer(client, auth):
    _form("perception")
    base = {**RESPONDENT, "action_sociale_pertinente": "oui", "se_reconnait_terme": "en_partie"}
    missing = _post(
        client,
        "perception",
        {**base, "a_cooperation": "oui"},
        auth,
        uuid="a4f6b9e2-5d3c-4e1a-9b8f-000000000001",
    )
    assert missing.status_code == 422
    assert missing.json()["errors"] == {"pays_partenaires": ["This question is required."]}
    # no cooperation: the countries are not relevant, dropped rather than refused
    dropped = _post(
        client,
        "perception",
        {**base, "a_cooperation": "non", "pays_partenaires": "sn ma"},
        auth,
        uuid="a4f6b9e2-5d3c-4e1a-9b8f-000000000002",
    )
    assert dropped.status_code == 201
    assert "pays_partenaires" not in Submission.objects.get().data
    wrong = _post(
        client,
        "perception",
        {**base, "a_cooperation": "oui", "pays_partenaires": "sn xx"},
        auth,
        uuid="a4f6b9e2-5d3c-4e1a-9b8f-000000000003",
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == {"pays_partenaires": ["Not among the choices: xx."]}
