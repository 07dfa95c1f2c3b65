"""The survey chapters reproduce ../shared/data/study-dev/expected.json: every count of every
question the report shows, its share of the answers, the zones and the study's indicators
— read from the report's tables (the HTML the PDF is laid out from)."""

from __future__ import annotations

import html as html_lib
import json
import re

import pytest
from django.utils import translation

from reciprocite.panorama.report import rendering, surveys

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<tr><th scope="row">(.*?)</th><td class="num">(.*?)</td>(?:<td class="num">(.*?)</td>)?</tr>'
)


def tables(page: str, chapter: str) -> dict[str, list[tuple[str, str, str | None]]]:
    """Caption → rows (label, count, share) of the tables of one chapter."""
    start = page.index(f'<section class="chapter" id="{chapter}">')
    section = page[start : page.index("</section>", start)]
    found = {}
    for caption, body in re.findall(r"<caption>(.*?)</caption>(.*?)</table>", section, re.S):
        found[html_lib.unescape(caption)] = [
            (html_lib.unescape(a), b, c or None) for a, b, c in ROW.findall(body)
        ]
    return found


@pytest.fixture
def study_only(world, shared_dir):
    from tests.surveys.analysis_support import import_study_answers, load_study_form

    for form_id in ("perception", "cooperations"):
        import_study_answers(load_study_form(form_id), shared_dir / "data" / "study-dev")
    return json.loads((shared_dir / "data/study-dev/expected.json").read_text("utf-8"))


def test_the_survey_tables_match_expected_json(study_only):
    expected = study_only
    page = rendering.render_html(language="en")
    with translation.override("en"):
        chapters = {
            "perception": dict(surveys._perception_questions()),
            "cooperations": dict(surveys._cooperation_questions()),
        }
    for form_id, questions in chapters.items():
        found = tables(page, form_id)
        for name, title in questions.items():
            want = expected[form_id]["questions"][name]
            rows = found[title]
            # every choice chosen, with its count (the chart groups the tail as "Others")
            assert sorted(int(r[1]) for r in rows) == sorted(want.values()), name
            if name in (
                "a_cooperation",
                "action_sociale_pertinente",
                "se_reconnait_terme",
                "services_sociaux_impliques",
                "collectivite_type",
            ):
                # single answers: the shares are of everyone who answered, as in the PDF
                whole = sum(want.values())
                for _label, count, share in rows:
                    assert share == f"{100 * int(count) / whole:.1f}%", (name, count, share)

    zones = tables(page, "cooperations")["Partner countries by zone"]
    assert (
        {label: int(n) for label, n, _s in zones}
        == {
            "Western Africa": 30,
            "Maghreb": 19,
            "Eastern Europe": 5,
            "South-eastern Asia": 3,
            "Western Asia": 3,
            "Middle Africa": 1,
        }
        == expected["cooperations"]["zones"]["pays_partenaire"]
    )
    # the study's indicators, as percentages with one decimal
    assert "68.9%" in page and "75.4%" in page  # 0.6885 and 0.7541
    # cooperations by the kind of the answering authority (the form's English labels)
    assert (
        "Cooperations by kind of authority</dt><dd>Municipality 40, Region 11, Department 5, "
        "Inter-municipal body 5</dd>"
    ) in page
    assert expected["cooperations"]["cooperations_by_respondent_type"] == {
        "commune": 40,
        "region": 11,
        "departement": 5,
        "intercommunalite": 5,
    }
    numbers = expected["cooperations"]["questions"]["annee_debut"]
    assert (
        f"{numbers['n']} answers; from {int(numbers['min'])} to {int(numbers['max'])}, "
        f"median {int(numbers['median'])}"
    ) in page
