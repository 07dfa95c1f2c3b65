"""reciprocite survey analysis: the same document as the API, readable tables, errors."""

import json

import pytest
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.surveys.analysis import analyse

from .analysis_support import import_study_answers, load_study_form

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


@pytest.fixture
def cooperations(shared_dir):
    q = load_study_form("cooperations")
    import_study_answers(q, shared_dir / "data" / "study-dev")
    return q


def test_json_is_the_analysis_document(cooperations, shared_dir):
    result = run("survey", "analysis", "cooperations", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document == analyse(cooperations, cached=False)
    expected = json.loads((shared_dir / "data/study-dev/expected.json").read_text())
    assert (
        document["share_with_associations"] == expected["cooperations"]["share_with_associations"]
    )
    assert document["questions"]["annee_debut"]["mean"] == 2004.61


def test_json_with_filter_and_crosstab(cooperations, client):
    result = run(
        "survey",
        "analysis",
        "cooperations",
        "--json",
        "--filter",
        "collectivite_type:region",
        "--crosstab",
        "collectivite_type,pays_partenaire",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["submissions"] == 8
    assert document["crosstab"]["units"] == 11
    assert document["crosstab"]["counts"]["region"]["ma"] == 2


def test_readable_tables(cooperations):
    result = run("survey", "analysis", "cooperations")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == ["Form: cooperations", "Submissions: 44", "Repeat cooperation: 61 entries"]
    assert "collectivite_type (select_one, 44 answered)" in lines
    start = lines.index("pays_partenaire by zone")
    assert lines[start + 1 : start + 3] == ["  Western Africa      30", "  Maghreb             19"]
    assert "  median  13150.0" in lines
    assert "share_only_international_relations_service: 0.6885" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "Error: no questionnaire with form id 'nope'\n"),
        (
            ["cooperations", "--filter", "pays_partenaire:zz"],
            "Error: --filter: zz is not a choice of pays_partenaire.\n",
        ),
        (
            ["cooperations", "--crosstab", "collectivite_type"],
            "Error: --crosstab: expected two question names: row,column.\n",
        ),
    ],
)
def test_errors_are_one_line(cooperations, args, message):
    result = run("survey", "analysis", *args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert result.stdout == ""


def test_campaign_restricts_the_document(cooperations):
    from .analysis_support import campaign_with_answer

    campaign, answer = campaign_with_answer(cooperations)
    result = run("survey", "analysis", "cooperations", "--campaign", str(campaign.pk), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document == analyse(cooperations, campaign=campaign, cached=False)
    assert document["submissions"] == 1
    assert document["repeats"] == {"cooperation": len(answer.data.get("cooperation", []))}
    result = run("survey", "analysis", "cooperations", "--campaign", str(campaign.pk))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "Submissions: 1"


def test_unknown_or_foreign_campaign_is_one_line(cooperations):
    from reciprocite.surveys.models import Campaign

    perception = load_study_form("perception")
    other = Campaign.objects.create(questionnaire=perception, title="Perception 2026")
    result = run("survey", "analysis", "cooperations", "--campaign", str(other.pk), "--json")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: --campaign: the questionnaire cooperations has no campaign {other.pk}.\n"
    )
    assert result.stdout == ""
    result = run("survey", "analysis", "cooperations", "--campaign", "x")
    assert result.exit_code == 1
    assert result.stderr == "Error: --campaign: expected a campaign number, got “x”.\n"
