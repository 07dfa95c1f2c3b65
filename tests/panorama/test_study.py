"""The panorama's survey figures on the study's dev answers equal expected.json."""

import json

import pytest
from django.utils import timezone, translation

from reciprocite.panorama.selectors import (
    SURVEY_MIN_RESPONDENTS,
    PanoramaFilters,
    compute_panorama,
    panorama,
)
from tests.surveys.analysis_support import import_study_answers, load_study_form

pytestmark = pytest.mark.django_db

QUESTIONS = {
    "services": "services_internes",
    "external_partners": "partenaires_externes",
    "added_values": "plus_values",
    "difficulties": "difficultes",
    "survey_themes": "themes",
    "survey_cofunding": "cofinancements",
}


@pytest.fixture
def study(shared_dir):
    directory = shared_dir / "data" / "study-dev"
    expected = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    questionnaire = load_study_form("cooperations")
    import_study_answers(questionnaire, directory)
    return questionnaire, expected["cooperations"]


def test_survey_figures_equal_expected_json(study):
    _questionnaire, want = study
    with translation.override("en"):
        p = compute_panorama()
    survey = p.survey
    assert survey["form"] == "cooperations"
    assert survey["campaign"] is None
    assert survey["withheld"] is False
    assert survey["submissions"] == want["submissions"] == 44
    assert survey["repeats"] == want["repeats"]["cooperation"] == 61
    for key, question in QUESTIONS.items():
        got = {item.code: item.count for item in p.series[key].items}
        assert got == want["questions"][question], key
    zones = {item.code: item.count for item in p.series["survey_zones"].items}
    assert zones == want["zones"]["pays_partenaire"]
    assert survey["zones"] == want["zones"]["pays_partenaire"]
    assert survey["countries"] == {
        code.upper(): n for code, n in want["questions"]["pays_partenaire"].items()
    }
    assert survey["budget"] == want["questions"]["budget_annuel_eur"]
    assert survey["start_year"] == {
        k: want["questions"]["annee_debut"][k] for k in ("n", "min", "median", "mean", "max")
    }
    assert survey["respondent_types"] == want["cooperations_by_respondent_type"]
    assert survey["share_with_associations"] == want["share_with_associations"]
    assert p.sentences[-1] == (
        "The survey: 61 cooperations described by 44 authorities, 30 of them with Western Africa."
    )


def test_labels_follow_the_language(study):
    """Choice labels come from the questionnaire in the active language, zones in the reader's
    language (issue #17); the cache keeps one panorama per language."""
    labels = {}
    for language in ("fr", "en", "ar"):
        with translation.override(language):
            p = panorama()
        labels[language] = (
            {i.code: i.label for i in p.series["services"].items}["relations_internationales"],
            {i.code: i.label for i in p.series["survey_zones"].items}["Western Africa"],
        )
    assert labels == {
        "fr": ("Relations internationales", "Afrique de l'Ouest"),
        "en": ("International relations", "Western Africa"),
        "ar": ("العلاقات الدولية", "غرب أفريقيا"),  # issue #17: zones in the reader's language
    }


def test_the_page_shows_the_survey(client, study):
    client.cookies["django_language"] = "en"
    html = client.get("/panorama/").content.decode()
    assert "The survey: 61 cooperations described by 44 authorities" in html
    assert 'id="figure-chart-services"' in html
    response = client.get("/panorama/charts/survey_zones.csv")
    assert response.status_code == 200
    rows = response.content.decode("utf-8")[1:].splitlines()
    assert rows[0] == "code,label,count"
    assert rows[1] == "Western Africa,Western Africa,30"
    assert len(rows) == 1 + 6


def test_filters_reach_the_survey(study):
    _questionnaire, want = study
    maghreb = compute_panorama(PanoramaFilters(zone="Maghreb")).survey
    assert maghreb["repeats"] == want["zones"]["pays_partenaire"]["Maghreb"] == 19
    assert maghreb["zones"] == {"Maghreb": 19}
    morocco = compute_panorama(PanoramaFilters(country="MA")).survey
    assert morocco["countries"] == {"MA": 11}
    # a country no cooperation of the survey names: nothing, not an error
    nothing = compute_panorama(PanoramaFilters(country="JP")).survey
    assert nothing["submissions"] == 0 and nothing["withheld"] is False
    communes = compute_panorama(PanoramaFilters(kind="commune")).survey
    assert communes["submissions"] == want["questions"]["collectivite_type"]["commune"]


def test_few_respondents_are_withheld(study):
    # Hungary: one cooperation of the survey
    p = compute_panorama(PanoramaFilters(country="HU"))
    assert 0 < p.survey["submissions"] < SURVEY_MIN_RESPONDENTS
    assert p.survey["withheld"] is True
    assert p.survey["countries"] == {} and p.survey["budget"] is None
    assert "services" not in p.series and "survey_zones" not in p.series


def test_a_campaign_counts_its_answers_only(study, client):
    from reciprocite.surveys.models import Campaign

    questionnaire, _want = study
    campaign = Campaign.objects.create(
        questionnaire=questionnaire, title="2026", status="open", published_at=timezone.now()
    )
    p = compute_panorama(campaign=campaign)
    # the imported answers belong to the study's campaign, not to this one
    assert p.survey["campaign"] == campaign.pk
    assert p.survey["submissions"] == 0
    client.cookies["django_language"] = "en"
    html = client.get("/panorama/", {"campaign": campaign.pk}).content.decode()
    assert "No answer of the survey matches these filters." in html
    assert f'<option value="{campaign.pk}" selected>2026</option>' in html


def test_a_change_to_the_answers_is_seen_at_once(study):
    from reciprocite.surveys.models import Submission

    questionnaire, _want = study
    assert panorama().survey["submissions"] == 44
    assert panorama().survey["submissions"] == 44  # from the cache
    Submission.objects.filter(questionnaire=questionnaire).order_by("pk").last().delete()
    assert panorama().survey["submissions"] == 43


def test_the_period_filters_the_survey_on_its_start_year(study, shared_dir):
    """Counted independently from the Kobo CSV of the repeat."""
    import csv

    path = shared_dir / "data" / "study-dev" / "cooperations-cooperation.csv"
    with path.open(encoding="utf-8-sig") as fh:
        years = [int(row["cooperation/annee_debut"]) for row in csv.DictReader(fh)]
    p = compute_panorama(PanoramaFilters(year_from=2005, year_to=2010))
    assert p.survey["repeats"] == sum(1 for y in years if 2005 <= y <= 2010) == 31
    assert p.survey["start_year"]["min"] == 2005.0
    assert p.survey["start_year"]["max"] == 2010.0
