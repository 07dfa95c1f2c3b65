"""`reciprocite matching import`: the collection's layout, idempotent by ref, all or nothing."""

import json

import pytest
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.matching.models import Expertise, Need
from reciprocite.territories.models import Territory

from .conftest import NEEDS, OFFERS, write_jsonl

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def test_import_creates_then_is_idempotent(tmp_path):
    path = write_jsonl(tmp_path / "expertise.jsonl", OFFERS)
    result = run("matching", "import", "--kind", "expertise", "--publish", str(path))
    assert result.exit_code == 0, result.output
    assert "Created:       4" in result.stdout
    assert Expertise.objects.filter(published=True).count() == 4
    pmi = Expertise.objects.get(ref="t-ex-pmi")
    assert pmi.service_kind == "pmi"
    assert pmi.authority.name == "Département du Val-Test"
    assert pmi.authority.country == "FR"
    assert pmi.authority.kind == "departement"
    assert len(pmi.passages) >= 2 and pmi.vectors and pmi.text_hash
    # two offers of one authority share its territory
    assert Territory.objects.filter(name="Ville de Testville").count() == 1

    again = run("matching", "import", "--kind", "expertise", "--publish", str(path))
    assert again.exit_code == 0, again.output
    assert "Unchanged:     4" in again.stdout
    assert "Vectors built: 0" in again.stdout
    assert Expertise.objects.count() == 4


def test_changed_text_refreshes_its_features_only(tmp_path):
    path = write_jsonl(tmp_path / "expertise.jsonl", OFFERS)
    assert run("matching", "import", "--kind", "expertise", str(path)).exit_code == 0
    before = Expertise.objects.get(ref="t-ex-pmi")
    other = Expertise.objects.get(ref="t-ex-seniors").text_hash
    changed = [dict(o) for o in OFFERS]
    changed[0]["text"] = "Des puéricultrices et des sages-femmes visitent les accouchées."
    write_jsonl(path, changed)
    result = run("matching", "import", "--kind", "expertise", str(path))
    assert result.exit_code == 0, result.output
    assert "Updated:       1" in result.stdout
    assert "Vectors built: 1" in result.stdout
    after = Expertise.objects.get(ref="t-ex-pmi")
    assert after.text_hash != before.text_hash
    assert "sages-femmes" in after.passages[1]
    assert Expertise.objects.get(ref="t-ex-seniors").text_hash == other


def test_partner_authorities_resolved_by_name_and_country(tmp_path):
    path = write_jsonl(tmp_path / "needs.jsonl", NEEDS)
    result = run("matching", "import", "--kind", "needs", str(path))
    assert result.exit_code == 0, result.output
    need = Need.objects.get(ref="t-nd-ar")
    assert (need.authority.name, need.authority.country) == ("Commune de Testamira", "MA")
    assert need.authority.kind == "commune"
    assert need.country == "MA" and need.published is False
    # an unsupported language is stored, without vectors
    spanish = Need.objects.get(ref="t-nd-es")
    assert spanish.lang == "es" and not spanish.vectors and spanish.terms


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"themes": ["petite_enfance", "education"]}, "themes", "unknown code(s) education"),
        ({"text": ""}, "text", "empty"),
        ({"text": "mot " * 50_000}, "text", "too long: 199999 characters, at most 20000"),
        ({"country": "XX"}, "country", "not an ISO 3166-1 alpha-2 country code"),
        ({"lang": "french"}, "lang", "too long"),
        ({"publics": "enfants"}, "publics", "expected a list of codes"),
        ({"ref": "a b"}, "ref", "letters, digits"),
    ],
)
def test_one_bad_line_writes_nothing(tmp_path, change, field, message):
    rows = [dict(r) for r in NEEDS]
    rows[2].update(change)
    path = write_jsonl(tmp_path / "needs.jsonl", rows)
    result = run("matching", "import", "--kind", "needs", str(path))
    assert result.exit_code == 1
    assert f"needs.jsonl: line 3, field {field}:" in result.stderr
    assert message in result.stderr
    assert "nothing was written" in result.stderr
    assert Need.all_objects.count() == 0
    assert not Territory.objects.filter(country="SN").exists()


def test_missing_field_broken_json_and_duplicate_ref(tmp_path):
    row = {k: v for k, v in NEEDS[0].items() if k != "title"}
    path = write_jsonl(tmp_path / "needs.jsonl", [row])
    result = run("matching", "import", "--kind", "needs", str(path))
    assert result.exit_code == 1 and "line 1, field title: missing" in result.stderr

    path.write_text(json.dumps(NEEDS[0]) + "\n{not json\n", "utf-8")
    result = run("matching", "import", "--kind", "needs", str(path))
    assert result.exit_code == 1 and "line 2, field -: not JSON" in result.stderr

    write_jsonl(path, [NEEDS[0], NEEDS[0]])
    result = run("matching", "import", "--kind", "needs", str(path))
    assert result.exit_code == 1 and "line 2, field ref: t-nd-fr already on line 1" in (
        result.stderr
    )
    assert Need.all_objects.count() == 0


def test_unknown_kind_and_missing_file(tmp_path):
    result = run("matching", "import", "--kind", "sheets", str(tmp_path / "x.jsonl"))
    assert result.exit_code == 2
    result = run("matching", "import", "--kind", "needs", str(tmp_path / "x.jsonl"))
    assert result.exit_code == 1 and "no such file" in result.stderr
