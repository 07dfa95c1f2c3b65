"""Cross-tabs, filters, nested repeats and bad input of surveys.analysis.

Expected figures on the dev data were counted independently from the Kobo CSV files.
"""

import uuid

import pytest

from reciprocite.surveys.analysis import (
    AnalysisError,
    analyse,
    crosstab,
    filters_from_params,
    summary,
)
from reciprocite.surveys.digest import content_digest
from reciprocite.surveys.models import Questionnaire, QuestionnaireVersion, Submission

from .analysis_support import import_study_answers, load_study_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperations(shared_dir):
    q = load_study_form("cooperations")
    import_study_answers(q, shared_dir / "data" / "study-dev")
    return q


def test_respondent_question_against_repeat_question(cooperations):
    got = crosstab(cooperations, "collectivite_type", "pays_partenaire")
    assert got["unit"] == "cooperation"
    assert got["units"] == 61
    assert got["counts"] == {
        "commune": {
            "ma": 8,
            "sn": 6,
            "ml": 4,
            "mr": 4,
            "bf": 2,
            "ci": 2,
            "dz": 2,
            "kh": 2,
            "ne": 2,
            "ps": 2,
            "bj": 1,
            "gn": 1,
            "hu": 1,
            "lb": 1,
            "md": 1,
            "tg": 1,
        },
        "departement": {"bj": 1, "ma": 1, "md": 1, "sn": 1, "tg": 1},
        "intercommunalite": {"bf": 1, "ci": 1, "cm": 1, "kh": 1, "ro": 1},
        "region": {
            "bf": 2,
            "ma": 2,
            "bj": 1,
            "ci": 1,
            "ml": 1,
            "mr": 1,
            "pl": 1,
            "sn": 1,
            "tn": 1,
        },
    }
    # the other way round: the same units, transposed
    back = crosstab(cooperations, "pays_partenaire", "collectivite_type")
    assert back["units"] == 61
    assert back["counts"]["ma"] == {"commune": 8, "region": 2, "departement": 1}


def test_crosstab_with_a_select_multiple_and_a_filter(cooperations):
    got = crosstab(cooperations, "pays_partenaire", "themes", filters={"pays_partenaire": "sn"})
    assert got["units"] == 8
    assert got["counts"] == {
        "sn": {
            "acces_droits": 3,
            "protection_enfance": 3,
            "jeunesse": 2,
            "politique_familiale": 2,
            "droits_femmes": 1,
            "handicap": 1,
            "insertion_emploi": 1,
            "renforcement_capacites": 1,
            "sante": 1,
        }
    }


def test_a_repeat_filter_keeps_matching_entries_and_their_submissions(cooperations):
    got = analyse(cooperations, filters={"pays_partenaire": "ma"})
    assert got["submissions"] == 11
    assert got["repeats"] == {"cooperation": 11}
    assert got["questions"]["pays_partenaire"]["counts"] == {"ma": 11}
    assert got["questions"]["collectivite_type"]["counts"] == {
        "commune": 8,
        "region": 2,
        "departement": 1,
    }
    assert got["questions"]["themes"]["counts"] == {
        "protection_enfance": 5,
        "handicap": 4,
        "jeunesse": 3,
        "politique_familiale": 3,
        "acces_droits": 2,
        "renforcement_capacites": 2,
        "sante": 2,
        "droits_femmes": 1,
        "petite_enfance": 1,
    }
    assert got["zones"] == {"pays_partenaire": {"Maghreb": 11}}
    assert got["cooperations_by_respondent_type"] == {"commune": 8, "region": 2, "departement": 1}


def test_respondent_filter_and_several_values(cooperations):
    region = analyse(cooperations, filters={"collectivite_type": "region"})
    assert region["submissions"] == 8
    assert region["repeats"] == {"cooperation": 11}
    assert region["questions"]["collectivite_type"]["counts"] == {"region": 8}
    either = analyse(cooperations, filters={"pays_partenaire": ["ma", "sn"]})
    assert (either["submissions"], either["repeats"]["cooperation"]) == (18, 19)
    both = analyse(cooperations, filters={"collectivite_type": "region", "pays_partenaire": "ma"})
    assert (both["submissions"], both["repeats"]["cooperation"]) == (2, 2)
    # a filter on a select_multiple keeps the entries that chose the value
    assert analyse(cooperations, filters={"themes": "logement"})["repeats"] == {"cooperation": 1}


def test_filters_from_params():
    assert filters_from_params(["pays_partenaire:ma", "pays_partenaire:sn", "themes:sante"]) == {
        "pays_partenaire": ["ma", "sn"],
        "themes": ["sante"],
    }
    with pytest.raises(AnalysisError) as exc:
        filters_from_params(["pays_partenaire"])
    assert exc.value.param == "filter"
    assert str(exc.value) == "filter: pays_partenaire: expected question:value."


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda q: analyse(q, filters={"nope": "x"}),
            "filter: the form has no question named nope.",
        ),
        (
            lambda q: analyse(q, filters={"pays_partenaire": "zz"}),
            "filter: zz is not a choice of pays_partenaire.",
        ),
        (
            lambda q: analyse(q, filters={"annee_debut": "soon"}),
            "filter: annee_debut: a number is expected.",
        ),
        (
            lambda q: analyse(q, filters={"collectivite_nom": "Caen"}),
            "filter: collectivite_nom is not a select or number question (it is text).",
        ),
        (
            lambda q: crosstab(q, "collectivite_type", "annee_debut"),
            "crosstab: annee_debut is not a select question; cross-tabs take two select questions.",
        ),
        (
            lambda q: crosstab(q, "collectivite_type", "missing"),
            "crosstab: the form has no question named missing.",
        ),
    ],
)
def test_bad_questions_and_filters_are_named(cooperations, call, message):
    with pytest.raises(AnalysisError) as exc:
        call(cooperations)
    assert str(exc.value) == message


def test_a_number_filter(cooperations):
    got = analyse(cooperations, filters={"annee_debut": "1978"})
    assert got["repeats"] == {"cooperation": 2}
    assert got["questions"]["annee_debut"]["n"] == 2


def test_summary():
    assert summary([3, 1, 2, 10]) == {
        "n": 4,
        "min": 1.0,
        "median": 2.5,
        "mean": 4.0,
        "max": 10.0,
        "sum": 16.0,
    }
    assert summary([]) == {
        "n": 0,
        "min": None,
        "median": None,
        "mean": None,
        "max": None,
        "sum": None,
    }


# --- a small form with nested repeats and odd values ---------------------------------------


NESTED = {
    "type": "survey",
    "name": "data",
    "id_string": "nested",
    "children": [
        {
            "type": "select one",
            "name": "kind",
            "choices": [{"name": "a"}, {"name": "b"}],
        },
        {
            "type": "group",
            "name": "g",
            "children": [
                {
                    "type": "repeat",
                    "name": "project",
                    "children": [
                        {"type": "select one", "name": "country", "list_name": "pays"},
                        {
                            "type": "repeat",
                            "name": "action",
                            "children": [
                                {"type": "decimal", "name": "cost"},
                                {
                                    "type": "select all that apply",
                                    "name": "tags",
                                    "choices": [{"name": "x"}, {"name": "y"}],
                                },
                            ],
                        },
                    ],
                }
            ],
        },
    ],
    "choices": {"pays": [{"name": "sn"}, {"name": "ml"}, {"name": "ma"}]},
}


@pytest.fixture
def nested(db):
    q = Questionnaire.objects.create(form_id="nested", title="Nested")
    version = QuestionnaireVersion.objects.create(questionnaire=q, version="1", structure=NESTED)
    answers = [
        {
            "kind": "a",
            "project": [
                {"country": "sn", "action": [{"cost": 10, "tags": "x y"}, {"cost": "2.5"}]},
                {"country": "ma", "action": [{"cost": 4, "tags": "y"}]},
            ],
        },
        {"kind": "b", "project": [{"country": "ml", "action": []}, {"country": "zz"}]},
        # odd values never crash: a list where a choice is expected, a text for a number
        {"kind": ["a"], "project": "not a list"},
        {"project": [{"country": "sn", "action": [{"cost": "n/a", "tags": "x"}]}]},
    ]
    for data in answers:
        Submission.objects.create(
            questionnaire=q,
            version=version,
            uuid=uuid.uuid4(),
            data=data,
            content_digest=content_digest(data),
            source="api",
        )
    return q


def test_nested_repeats_are_counted_at_their_level(nested):
    got = analyse(nested, cached=False)
    assert got["submissions"] == 4
    assert got["repeats"] == {"project": 5, "action": 4}
    # a one-element list where a choice was expected counts as that choice
    assert got["questions"]["kind"] == {
        "type": "select_one",
        "counts": {"a": 2, "b": 1},
        "answered": 3,
    }
    assert got["questions"]["country"]["counts"] == {"sn": 2, "ma": 1, "ml": 1, "zz": 1}
    assert got["questions"]["cost"] == {
        "type": "decimal",
        "n": 3,
        "min": 2.5,
        "median": 4.0,
        "mean": 5.5,
        "max": 10.0,
        "sum": 16.5,
    }
    assert got["questions"]["tags"] == {
        "type": "select_multiple",
        "counts": {"x": 2, "y": 2},
        "answered": 3,
    }
    # zz is no country: it has no zone
    assert got["zones"] == {"country": {"Western Africa": 3, "Maghreb": 1}}


def test_nested_crosstab_and_filter(nested):
    got = crosstab(nested, "kind", "tags")
    assert got == {
        "row": "kind",
        "column": "tags",
        "unit": "action",
        "units": 2,
        "counts": {"a": {"x": 1, "y": 2}},
    }
    got = crosstab(nested, "country", "tags", filters={"tags": "x"})
    assert got["counts"] == {"sn": {"x": 2, "y": 1}}
    filtered = analyse(nested, filters={"tags": "x"})
    assert filtered["submissions"] == 2
    assert filtered["repeats"] == {"project": 2, "action": 2}


def test_questions_in_sibling_repeats_cannot_be_crossed(db):
    structure = {
        "type": "survey",
        "name": "data",
        "children": [
            {
                "type": "repeat",
                "name": "r1",
                "children": [{"type": "select one", "name": "a", "choices": [{"name": "x"}]}],
            },
            {
                "type": "repeat",
                "name": "r2",
                "children": [{"type": "select one", "name": "b", "choices": [{"name": "x"}]}],
            },
        ],
    }
    q = Questionnaire.objects.create(form_id="siblings", title="Siblings")
    QuestionnaireVersion.objects.create(questionnaire=q, version="1", structure=structure)
    with pytest.raises(AnalysisError) as exc:
        crosstab(q, "a", "b")
    assert str(exc.value) == "crosstab: a and b are in separate repeats: no entry answers both."


def test_a_questionnaire_without_version_is_named(db):
    q = Questionnaire.objects.create(form_id="empty", title="Empty")
    with pytest.raises(AnalysisError) as exc:
        analyse(q)
    assert str(exc.value) == "form: the questionnaire empty has no version loaded."


def test_the_cache_sees_new_answers(nested):
    first = analyse(nested)
    assert first["submissions"] == 4
    version = nested.current_version
    data = {"kind": "b"}
    Submission.objects.create(
        questionnaire=nested,
        version=version,
        uuid=uuid.uuid4(),
        data=data,
        content_digest=content_digest(data),
        source="api",
    )
    second = analyse(nested)
    assert second["submissions"] == 5
    assert second["questions"]["kind"]["counts"] == {"a": 2, "b": 2}


def test_odd_entries_in_the_study_repeat_are_skipped(cooperations):
    data = {"collectivite_type": "region", "cooperation": [{"pays_partenaire": "ma"}, "junk", 3]}
    Submission.objects.create(
        questionnaire=cooperations,
        version=cooperations.current_version,
        uuid=uuid.uuid4(),
        data=data,
        content_digest=content_digest(data),
        source="api",
    )
    got = analyse(cooperations)
    assert got["submissions"] == 45
    assert got["repeats"] == {"cooperation": 62}
    assert got["cooperations_by_respondent_type"] == {
        "commune": 40,
        "region": 12,
        "departement": 5,
        "intercommunalite": 5,
    }
    assert got["questions"]["pays_partenaire"]["counts"]["ma"] == 12
    # the shares are over the 62 entries now
    assert got["share_with_associations"] == round(46 / 62, 4)
