"""`reciprocite knowledge import/export` through typer's CliRunner on the test database."""

import json

import pytest
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.knowledge.models import Sheet, SheetVersion
from reciprocite.knowledge.search import search
from reciprocite.knowledge.taxonomy import Status

pytestmark = pytest.mark.django_db


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def write(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    return path


def record(ref="t-001", **fields):
    base = {
        "ref": ref,
        "lang": "fr",
        "title": "Un CCAS pour Saint-Louis",
        "french_authority": "Ville de Lille",
        "partner_authority": "Commune de Saint-Louis",
        "country": "SN",
        "themes": ["acces_droits"],
        "stage": "concevoir",
        "summary": "Créer un centre communal d'action sociale.",
        "context": "Premier paragraphe.\n\nSecond paragraphe.",
        "method": "",
        "results": "",
        "difficulties": "Des raisons politiques.",
        "reciprocity": "",
        "replication": "",
        "year_start": 2007,
    }
    base.update(fields)
    return base


def test_the_shared_corpus_imports_then_imports_again_without_duplicates(
    shared_dir, tmp_path, world
):
    corpus = shared_dir / "data/knowledge/sheets.jsonl"
    result = run("knowledge", "import", str(corpus), "--as", world.analyst.username, "--publish")
    assert result.exit_code == 0, result.output
    assert "Sheets read: 90\nCreated:     90\nUpdated:     0\nUnchanged:   0\n" in result.output
    assert Sheet.objects.count() == 90
    assert Sheet.objects.filter(status=Status.PUBLISHED).count() == 90
    assert set(Sheet.objects.values_list("language", flat=True)) == {"fr", "en", "ar", "ru"}
    assert search("enregistrement des naissances", filters=None).total >= 1
    # again, with two sheets changed: updated, nothing duplicated
    lines = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    lines[0]["title"] = lines[0]["title"] + " (mise à jour)"
    lines[5]["themes"] = ["sante"]
    changed = write(tmp_path / "sheets.jsonl", lines)
    result = run("knowledge", "import", str(changed), "--as", world.analyst.username)
    assert result.exit_code == 0, result.output
    assert "Sheets read: 90\nCreated:     0\nUpdated:     2\nUnchanged:   88\n" in result.output
    assert Sheet.objects.count() == 90
    first = Sheet.objects.get(ref=lines[0]["ref"])
    assert first.title.endswith("(mise à jour)")
    assert first.status == Status.PUBLISHED
    assert [v.number for v in first.versions.order_by("number")] == [1, 2]
    assert list(Sheet.objects.get(ref=lines[5]["ref"]).themes.values_list("code", flat=True)) == [
        "sante"
    ]


def test_publishing_existing_drafts_says_published_not_unchanged(tmp_path, world):
    source = write(tmp_path / "in.jsonl", [record(), record("t-002"), record("t-003")])
    result = run("knowledge", "import", str(source), "--as", world.analyst.username)
    assert result.exit_code == 0, result.output
    assert (
        "Sheets read: 3\nCreated:     3\nUpdated:     0\nUnchanged:   0\nPublished:   0\n"
        in result.output
    )
    assert not Sheet.objects.filter(status=Status.PUBLISHED).exists()
    # the drafts published by importing the same file with --publish (it said "Unchanged: 3")
    result = run("knowledge", "import", str(source), "--as", world.analyst.username, "--publish")
    assert result.exit_code == 0, result.output
    assert (
        "Sheets read: 3\nCreated:     0\nUpdated:     0\nUnchanged:   0\nPublished:   3\n"
        in result.output
    )
    assert Sheet.objects.filter(status=Status.PUBLISHED).count() == 3
    # once more: now nothing happens, and the figures say so
    result = run("knowledge", "import", str(source), "--as", world.analyst.username, "--publish")
    assert (
        "Sheets read: 3\nCreated:     0\nUpdated:     0\nUnchanged:   3\nPublished:   0\n"
        in result.output
    )


def test_export_then_import_into_an_empty_base_gives_the_same_file(tmp_path, world):
    source = write(
        tmp_path / "in.jsonl",
        [
            record(),
            record(
                "t-002",
                lang="en",
                title="A CCAS for Saint-Louis",
                translation_of="t-001",
                contacts="Lille, relations internationales",
                themes=["acces_droits", "renforcement_capacites"],
            ),
        ],
    )
    assert run("knowledge", "import", str(source), "--publish").exit_code == 0
    assert Sheet.objects.get(ref="t-002").translation_of == Sheet.objects.get(ref="t-001")
    first = tmp_path / "out1.jsonl"
    result = run("knowledge", "export", "--output", str(first))
    assert result.exit_code == 0, result.output
    exported = [json.loads(line) for line in first.read_text().splitlines()]
    assert exported[0] == record()
    assert exported[1]["translation_of"] == "t-001"
    assert exported[1]["contacts"] == "Lille, relations internationales"
    Sheet.objects.all().delete()
    assert run("knowledge", "import", str(first), "--publish").exit_code == 0
    second = tmp_path / "out2.jsonl"
    assert run("knowledge", "export", "-o", str(second)).exit_code == 0
    assert second.read_bytes() == first.read_bytes()


def test_export_leaves_drafts_out_unless_all(tmp_path, world):
    write(tmp_path / "in.jsonl", [record()])
    assert run("knowledge", "import", str(tmp_path / "in.jsonl")).exit_code == 0
    assert Sheet.objects.get().status == Status.DRAFT
    result = run("knowledge", "export")
    assert result.exit_code == 0 and result.stdout == ""
    result = run("knowledge", "export", "--all")
    assert json.loads(result.stdout)["ref"] == "t-001"


def test_bad_lines_are_reported_with_line_and_field_and_nothing_is_written(tmp_path, world):
    path = tmp_path / "bad.jsonl"
    good = json.dumps(record("t-010"))
    path.write_text(
        "\n".join(
            [
                good,
                json.dumps(record("t-011", stage="dormir")),
                "",
                "{not json",
                json.dumps(record("t-012", country="Narnia")),
                json.dumps(record("t-013", themes=["inconnu"])),
                json.dumps(record("t-014", colour="blue")),
                json.dumps(record("t-010")),
                json.dumps(record("t-015", translation_of="absent")),
                json.dumps(record("t-016", lang="de")),
                json.dumps({"ref": "t-017", "lang": "fr"}),
            ]
        )
    )
    result = run("knowledge", "import", str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("bad.jsonl, line 4: not valid JSON: unexpected character")
    assert len(lines) == 2
    assert lines[-1] == "Error: bad.jsonl: 1 error; nothing was written"
    path.write_text(
        "\n".join(line for i, line in enumerate(path.read_text().splitlines()) if i != 3)
    )
    result = run("knowledge", "import", str(path))
    assert result.exit_code == 1
    messages = result.output.splitlines()
    assert [m.split(":")[0] for m in messages] == [
        "bad.jsonl, line 2, field stage",
        "bad.jsonl, line 4, field country",
        "bad.jsonl, line 5, field themes",
        "bad.jsonl, line 6, field colour",
        "bad.jsonl, line 7, field ref",
        "bad.jsonl, line 9, field lang",
        "bad.jsonl, line 10, field title",
        "bad.jsonl, line 8, field translation_of",
        "Error",
    ]
    assert messages[-1] == "Error: bad.jsonl: 8 errors; nothing was written"
    assert Sheet.objects.count() == 0
    assert SheetVersion.objects.count() == 0


def test_import_refuses_a_user_who_is_not_an_analyst_and_a_missing_file(tmp_path, world):
    write(tmp_path / "in.jsonl", [record()])
    result = run("knowledge", "import", str(tmp_path / "in.jsonl"), "--as", world.outsider.username)
    assert result.exit_code == 1
    assert result.output == "Error: outsider may not import sheets (analysts and staff may)\n"
    result = run("knowledge", "import", str(tmp_path / "absent.jsonl"))
    assert result.exit_code == 1
    assert result.output == "Error: absent.jsonl: no such file\n"
    assert Sheet.objects.count() == 0


def test_reindex_counts_the_sheets(tmp_path, world):
    write(tmp_path / "in.jsonl", [record(), record("t-002")])
    run("knowledge", "import", str(tmp_path / "in.jsonl"), "--publish")
    result = run("knowledge", "reindex")
    assert result.exit_code == 0
    assert result.output == "Indexed 2 sheets.\n"
    assert sorted(h.ref for h in search("CCAS", filters=None).hits) == ["t-001", "t-002"]


def test_a_file_that_is_not_utf8_is_refused_in_one_line(tmp_path, world):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        json.dumps(record(title="Fiche é"), ensure_ascii=False)
        .encode("utf-8")
        .replace(b"\xc3\xa9", b"\xe9")
    )
    result = run("knowledge", "import", str(path))
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("latin1.jsonl: not UTF-8 text (byte ")
    assert Sheet.objects.count() == 0


# --- the same import from the web, as a background job ---------------------------------------


def test_analysts_import_from_the_web_as_a_background_job(client, tmp_path, world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reciprocite.core.models import Job

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.analyst)
    assert client.get("/knowledge/import/").status_code == 200
    body = "\n".join(json.dumps(r) for r in (record(), record("t-002"))).encode()
    response = client.post(
        "/knowledge/import/",
        {"file": SimpleUploadedFile("fiches.jsonl", body), "publish": "on"},
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE, job.error
    assert job.result["report"] == {
        "read": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "published": 2,
    }
    # in French, the language of the job (the platform's default)
    assert (
        job.result["summary"]
        == "2 fiches lues\u00a0: 2 créées, 0 mises à jour, 0 inchangées\u00a0; 2 publiées."
    )
    assert Sheet.objects.filter(status=Status.PUBLISHED).count() == 2
    assert Sheet.objects.get(ref="t-001").proposed_by == world.analyst
    assert list((tmp_path / "media/knowledge/imports").iterdir()) == []  # not kept


def test_the_web_import_says_which_drafts_it_published(client, tmp_path, world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reciprocite.core.models import Job

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.analyst)
    body = "\n".join(json.dumps(r) for r in (record(), record("t-002"))).encode()
    client.post("/knowledge/import/", {"file": SimpleUploadedFile("fiches.jsonl", body)})
    changed = "\n".join(json.dumps(r) for r in (record(), record("t-002", title="Autre"))).encode()
    client.post(
        "/knowledge/import/",
        {"file": SimpleUploadedFile("fiches.jsonl", changed), "publish": "on"},
    )
    first, second = Job.objects.order_by("created_at")
    assert first.result["summary"] == (
        "2 fiches lues\u00a0: 2 créées, 0 mises à jour, 0 inchangées\u00a0; 0 publiées."
    )
    assert second.status == Job.Status.DONE, second.error
    assert second.result["summary"] == (
        "2 fiches lues\u00a0: 0 créées, 1 mises à jour, 0 inchangées\u00a0; 2 publiées."
    )
    response = client.get(f"/jobs/{second.pk}/")
    assert (
        "2 fiches lues\u00a0: 0 créées, 1 mises à jour, 0 inchangées\u00a0; 2 publiées."
        in response.content.decode()
    )


def test_a_bad_line_fails_the_web_import_naming_it(client, tmp_path, world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reciprocite.core.models import Job

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.analyst)
    body = (json.dumps(record()) + "\n" + json.dumps(record("t-002", stage="nope"))).encode()
    client.post("/knowledge/import/", {"file": SimpleUploadedFile("fiches.jsonl", body)})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "fiches.jsonl" in job.error and "stage" in job.error
    assert Sheet.objects.count() == 0


def test_the_web_import_is_for_analysts_only(client, world):
    assert client.get("/knowledge/import/").status_code == 302
    client.force_login(world.outsider)
    assert client.get("/knowledge/import/").status_code == 403
    assert client.post("/knowledge/import/", {}).status_code == 403
