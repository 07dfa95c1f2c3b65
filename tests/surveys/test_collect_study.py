"""The study's shipped ``cooperations`` XLSForm answered through the web form: loaded with
questionnaire_load, walked page by page from a personal link, stored once."""

from __future__ import annotations

from pathlib import Path

import pytest

from reciprocite.surveys.models import Submission
from reciprocite.surveys.services.questionnaires import questionnaire_load
from tests.surveys import collect_support as cs
from tests.surveys.test_collect import h1, post

pytestmark = pytest.mark.django_db

FORMS = Path(__file__).resolve().parents[2] / "src" / "reciprocite" / "surveys" / "xlsforms"


def test_the_shipped_cooperations_form_walked_and_submitted(client):
    path = FORMS / "cooperations.xlsx"
    version = questionnaire_load(content=path.read_bytes(), filename=path.name)
    questionnaire = version.questionnaire
    invitation, url = cs.invite(questionnaire)

    first = client.get(url)
    assert first.status_code == 200
    html = first.content.decode()
    assert "Page 1 sur 2" in html
    assert '<label for="q-collectivite_nom">Nom de votre collectivité' in html
    moved = post(
        client,
        url,
        first,
        collectivite_nom="Ville de Caen",
        collectivite_type="commune",
        collectivite_code="14118",
    )
    assert moved.status_code == 302

    page = client.get(url)
    assert h1(page) == "Coopération"
    post(client, url, page, action="add:cooperation")
    page = client.get(url)
    html = page.content.decode()
    # 249 countries: a drop-down list, not 249 radio buttons
    assert (
        '<select id="q-cooperation-0-pays_partenaire" name="cooperation.0.pays_partenaire"' in html
    )
    broken = post(
        client,
        url,
        page,
        action="submit",
        **{
            "cooperation.0.pays_partenaire": "ma",
            "cooperation.0.annee_debut": "1900",
            "cooperation.0.themes": ["acces_droits"],
            "cooperation.0.plus_values": [
                "besoins_essentiels",
                "partage_experiences",
                "enjeux_communs",
                "interculturel",
            ],
        },
    )
    assert broken.status_code == 200
    html = broken.content.decode()
    assert 'id="q-cooperation-0-annee_debut-error"' in html
    assert 'id="q-cooperation-0-plus_values-error"' in html
    assert Submission.objects.count() == 0
    done = post(
        client,
        url,
        broken,
        action="submit",
        **{
            "cooperation.0.pays_partenaire": "ma",
            "cooperation.0.annee_debut": "2012",
            "cooperation.0.themes": ["acces_droits", "sante"],
            "cooperation.0.budget_annuel_eur": "12000",
        },
    )
    assert done.status_code == 200
    assert h1(done) == "Merci, vos réponses ont bien été reçues"
    submission = Submission.objects.get()
    assert submission.version == version
    assert submission.data["cooperation"] == [
        {
            "pays_partenaire": "ma",
            "annee_debut": 2012,
            "themes": "acces_droits sante",
            "budget_annuel_eur": 12000,
        }
    ]
    assert submission.data["collectivite_code"] == "14118"
    invitation.refresh_from_db()
    assert invitation.status == "submitted"
