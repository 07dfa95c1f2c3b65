"""GET /api/v1/surveys/{form_id}/analysis through the real stack: tokens, filters, cross-tabs."""

import json

import pytest

from reciprocite.accounts import services as accounts
from reciprocite.accounts.models import Role
from reciprocite.surveys.analysis import analyse

from .analysis_support import import_study_answers, load_study_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperations(shared_dir):
    q = load_study_form("cooperations")
    import_study_answers(q, shared_dir / "data" / "study-dev")
    return q


@pytest.fixture
def tokens(world):
    def token_of(user, name):
        return accounts.api_token_create(membership=user.memberships.get(), name=name)[1]

    platform = accounts.organisation_create(name="Plateforme", kind="network")
    accounts.membership_add(user=world.admin, organisation=platform, role=Role.MEMBER_EDITOR)
    return {
        "admin": token_of(world.admin, "admin"),
        "analyst": token_of(world.analyst, "analyst"),
        "editor": token_of(world.herouville_editor, "editor"),
        "partner": token_of(world.tikhvine_editor, "partner"),
    }


def get(client, path, token=None, **params):
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get("/api/v1/surveys" + path, params, **headers)


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_analysts_and_admins_read_the_document(client, cooperations, tokens, shared_dir, who):
    response = get(client, "/cooperations/analysis", tokens[who])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == analyse(cooperations, cached=False)
    expected = json.loads((shared_dir / "data/study-dev/expected.json").read_text())
    assert body["submissions"] == 44
    assert body["repeats"] == {"cooperation": 61}
    assert body["zones"] == expected["cooperations"]["zones"]
    assert body["questions"]["budget_annuel_eur"]["median"] == 13150.0


def test_anonymous_callers_are_asked_for_a_token(client, cooperations):
    response = get(client, "/cooperations/analysis")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize("who", ["editor", "partner"])
def test_editors_may_not_read_analyses(client, cooperations, tokens, who):
    response = get(client, "/cooperations/analysis", tokens[who])
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This token may not read the analysis of a questionnaire "
        "(it acts with the role of its membership only)."
    }


def test_unknown_form_is_404(client, tokens, world):
    response = get(client, "/nope/analysis", tokens["analyst"])
    assert response.status_code == 404
    assert response.json() == {"detail": "No questionnaire with the form id nope."}


def test_filters_and_crosstab(client, cooperations, tokens):
    response = get(
        client,
        "/cooperations/analysis",
        tokens["analyst"],
        filter=["pays_partenaire:ma", "collectivite_type:region"],
        crosstab="collectivite_type,pays_partenaire",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["submissions"] == 2
    assert body["repeats"] == {"cooperation": 2}
    assert body["crosstab"] == {
        "row": "collectivite_type",
        "column": "pays_partenaire",
        "unit": "cooperation",
        "units": 2,
        "counts": {"region": {"ma": 2}},
    }


@pytest.mark.parametrize(
    ("params", "param", "detail"),
    [
        (
            {"filter": "pays_partenaire"},
            "filter",
            "filter: pays_partenaire: expected question:value.",
        ),
        (
            {"filter": "pays_partenaire:zz"},
            "filter",
            "filter: zz is not a choice of pays_partenaire.",
        ),
        ({"filter": "x:1"}, "filter", "filter: the form has no question named x."),
        (
            {"crosstab": "collectivite_type"},
            "crosstab",
            "crosstab: expected two question names: row,column.",
        ),
        (
            {"crosstab": "collectivite_type,annee_debut"},
            "crosstab",
            "crosstab: annee_debut is not a select question; cross-tabs take two select questions.",
        ),
        ({"filter": "themes:\x00"}, "filter", "filter: must not contain NUL characters"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, cooperations, tokens, params, param, detail):
    response = get(client, "/cooperations/analysis", tokens["analyst"], **params)
    assert response.status_code == 400
    assert response.json() == {"detail": detail, "param": param}


def test_campaign_keeps_the_answers_given_through_it(client, cooperations, tokens):
    from .analysis_support import campaign_with_answer

    campaign, answer = campaign_with_answer(cooperations)
    entries = len(answer.data.get("cooperation", []))
    response = get(client, "/cooperations/analysis", tokens["analyst"], campaign=str(campaign.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == analyse(cooperations, campaign=campaign, cached=False)
    assert (body["submissions"], body["repeats"]) == (1, {"cooperation": entries})
    kind = answer.data["collectivite_type"]
    assert body["questions"]["collectivite_type"]["counts"][kind] == 1
    assert body["questions"]["collectivite_type"]["answered"] == 1
    # with a cross-tab, the same restriction
    response = get(
        client,
        "/cooperations/analysis",
        tokens["analyst"],
        campaign=str(campaign.pk),
        crosstab="collectivite_type,pays_partenaire",
    )
    assert response.json()["crosstab"]["units"] == entries
    # editors are still refused, campaign or not
    response = get(client, "/cooperations/analysis", tokens["editor"], campaign=str(campaign.pk))
    assert response.status_code == 403


def test_unknown_or_foreign_campaign_is_refused_naming_it(client, cooperations, tokens):
    from reciprocite.surveys.models import Campaign

    from .analysis_support import load_study_form

    perception = load_study_form("perception")
    other = Campaign.objects.create(questionnaire=perception, title="Perception 2026")
    response = get(client, "/cooperations/analysis", tokens["analyst"], campaign=str(other.pk))
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"campaign: the questionnaire cooperations has no campaign {other.pk}.",
        "param": "campaign",
    }
    response = get(client, "/cooperations/analysis", tokens["analyst"], campaign="999999")
    assert response.status_code == 404
    response = get(client, "/cooperations/analysis", tokens["analyst"], campaign="two")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "campaign: expected a campaign number, got “two”.",
        "param": "campaign",
    }
