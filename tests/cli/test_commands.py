"""The reciprocite command, run in the test process (typer's CliRunner) on the test database."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import sys
import zipfile

import pytest
from typer.testing import CliRunner

from reciprocite import cli
from reciprocite.accounts.models import Membership, User
from reciprocite.accounts.services import api_token_authenticate
from reciprocite.registry.models import Funder, Partnership, PartnershipParty, Project
from reciprocite.territories.models import Territory

pytestmark = pytest.mark.django_db

REFS = ("partnership_ref", "project_ref")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli.app, list(args), input=input)


def counts() -> dict[str, int]:
    return {
        "partnerships": Partnership.all_objects.count(),
        "parties": PartnershipParty.objects.count(),
        "projects": Project.all_objects.count(),
        "territories": Territory.all_objects.count(),
        "funders": Funder.objects.count(),
    }


def figures(output: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"^([A-Z][\w ]+):\s+(\d+)$", output, re.M)}


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def without_refs(rows: list[dict]) -> list[dict]:
    return sorted(
        ({k: v for k, v in row.items() if k not in REFS} for row in rows),
        key=lambda r: (r["partnership_title"], r["project_title"]),
    )


def wipe_registry() -> None:
    """Hard-delete partnerships and projects (ids are not reused: references name nothing)."""
    Project.all_objects.all().delete()
    Partnership.all_objects.all().delete()


def test_help_needs_no_database():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("serve", "demo", "import", "export", "token", "user", "manage"):
        assert command in result.output


# --- export and import --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_round_trips(world, tmp_path, fmt):
    exported = tmp_path / f"registry.{fmt}"
    result = run(
        "export", "registry", "--format", fmt, "--output", str(exported), "--include-unpublished"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Exported 3 rows to {exported}\n"
    before = counts()

    result = run("import", "registry", str(exported))
    assert result.exit_code == 0, result.output
    assert figures(result.stdout) == {
        "Partnerships created": 0,
        "Partnerships updated": 0,
        "Partnerships unchanged": 2,
        "Projects created": 0,
        "Projects updated": 0,
        "Projects unchanged": 3,
        "Territories created": 0,
        "Funders created": 0,
    }
    assert counts() == before

    first = run("export", "registry", "--include-unpublished").stdout
    wipe_registry()
    result = run("import", "registry", str(exported))
    assert result.exit_code == 0, result.output
    assert figures(result.stdout)["Partnerships created"] == 2
    assert figures(result.stdout)["Projects created"] == 3
    assert counts() == before
    second = run("export", "registry", "--include-unpublished").stdout
    assert without_refs(csv_rows(second)) == without_refs(csv_rows(first))
    assert [r["partnership_ref"] for r in csv_rows(second)] != [
        r["partnership_ref"] for r in csv_rows(first)
    ]


def test_export_to_stdout_with_filters(world):
    result = run("export", "registry")
    assert result.exit_code == 0
    rows = csv_rows(result.stdout)
    assert [r["project_title"] for r in rows] == [
        "Bureau de l'emploi de Tikhvine",
        "Centre d'aide médico-psychologique pour la jeunesse",
    ]  # the unpublished partnership is left out
    result = run("export", "registry", "--theme", "jeunesse", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["layout"], document["version"]) == ("reciprocite-registry", 1)
    assert [r["themes"] for r in document["rows"]] == ["jeunesse sante"]
    assert document["rows"][0]["partnership_is_published"] is True
    assert document["rows"][0]["project_end_date"] is None
    result = run(
        "export", "registry", "--include-unpublished", "--country", "sn", "--delimiter", ";"
    )
    assert result.stdout.splitlines()[1].startswith(
        f"P{world.lille_saint_louis.pk};Lille ↔ Saint-Louis;"
    )
    result = run("export", "registry", "--as", "lille_editor", "--status", "delayed")
    assert [r["project_title"] for r in csv_rows(result.stdout)] == [
        "Centre communal d'action sociale de Saint-Louis"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--status", "bogus"],
            "--status: must be one of planned, ongoing, delayed, completed, cancelled",
        ),
        (["--country", "XX"], "--country: 'XX' is not an ISO 3166-1 alpha-2 code"),
        (["--year-from", "1200"], "--year-from: must be a year between 1900 and 2100"),
        (["--format", "xlsx"], "--format xlsx needs --output FILE"),
        (["--delimiter", "|"], "--delimiter: use ',' or ';' (or 'tab')"),
        (["--as", "nobody"], "no active user named 'nobody'"),
        (
            ["--output", "/nonexistent/dir/x.csv"],
            "/nonexistent/dir/x.csv: no such directory /nonexistent/dir",
        ),
    ],
)
def test_export_refusals(world, args, message):
    result = run("export", "registry", *args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


GOOD_ROW = (
    "ext-{n},Caen ↔ Ville {n},cooperation,Caen|FR|commune|14118,Ville {n}|SN|commune,"
    "Projet {n},jeunesse,{budget}\n"
)
HEADER = (
    "partnership_ref,partnership_title,partnership_kind,french_territories,partner_territories,"
    "project_title,themes,budget_amount\n"
)


def test_a_bad_row_stops_everything(world, tmp_path):
    path = tmp_path / "registry.csv"
    rows = [GOOD_ROW.format(n=n, budget="1000") for n in range(5)]
    rows.append(GOOD_ROW.format(n=5, budget="12k"))  # row 7
    rows.append(GOOD_ROW.format(n=6, budget="5").replace("jeunesse", "jeunesse nope"))
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    before = counts()
    result = run("import", "registry", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'registry.csv, row 7, field budget_amount: "12k" is not a number',
        'registry.csv, row 8, field themes: unknown code "nope" (known codes: acces_droits '
        "politique_familiale protection_enfance petite_enfance handicap personnes_agees jeunesse "
        "droits_femmes insertion_emploi sante logement renforcement_capacites autre)",
        "Error: registry.csv: 2 errors; nothing was written",
    ]
    assert counts() == before
    # Fixed, the same file goes in whole; --dry-run checks without writing.
    path.write_text(HEADER + "".join(rows[:5]), encoding="utf-8")
    result = run("import", "registry", str(path), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == (
        "registry.csv: 5 rows are valid (5 partnerships, 6 new territories); "
        "nothing was written (--dry-run)\n"
    )
    assert counts() == before
    result = run("import", "registry", str(path), "--as", "analyst")
    assert result.exit_code == 0
    assert figures(result.stdout)["Partnerships created"] == 5
    assert counts()["partnerships"] == before["partnerships"] + 5


def test_import_as_a_user_without_the_right(world, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text(HEADER + GOOD_ROW.format(n=1, budget="1"), encoding="utf-8")
    result = run("import", "registry", str(path), "--as", "outsider")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "registry.csv, row 2, field partnership_ref: you may not create this partnership",
        "Error: registry.csv: 1 error; nothing was written",
    ]


def test_hostile_files_are_refused_with_one_line(world, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(60 * 1024 * 1024)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (30 * 1024 * 1024))
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 64)
    long_cell = tmp_path / "long.csv"
    long_cell.write_text(
        HEADER.replace("\n", "") + "\n" + "x," * 7 + "y" * 40_000 + "\n", encoding="utf-8"
    )
    huge_field = tmp_path / "huge.csv"
    huge_field.write_text(HEADER + '"' + "z\n" * 1_000_000 + '"\n', encoding="utf-8")
    not_json = tmp_path / "broken.json"
    not_json.write_text('[{"partnership_title": ', encoding="utf-8")
    expected = {
        big: "big.csv: the file is 60.0 MB; the limit is 50.0 MB",
        bomb: "bomb.xlsx: xl/worksheets/sheet1.xml expands ",
        garbage: "garbage.csv: binary data, not a CSV, XLSX or JSON file",
        long_cell: "long.csv: row 2: a cell is longer than 32767 characters",
        huge_field: "huge.csv: row 2: a cell is longer than 32767 characters",
        not_json: "broken.json: not valid JSON (line 1, column 24: Expecting value)",
        tmp_path / "missing.csv": "missing.csv: no such file",
    }
    before = counts()
    for path, message in expected.items():
        result = run("import", "registry", str(path))
        assert result.exit_code == 1, path
        assert result.stderr.startswith(f"Error: {message}"), result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert "Traceback" not in result.output
    assert counts() == before


# --- twin towns -----------------------------------------------------------------------------------


def test_twinnings_of_the_real_file(shared_dir, db):
    path = shared_dir / "data/real/twinnings/twin_cities_france.csv"
    result = run("import", "twinnings", str(path))
    assert result.exit_code == 0, result.output
    # names are folded with their punctuation too: "Villeneuve-d'Ascq" and "Villeneuve d'Ascq",
    # "La Ferté-Macé" and "La Ferté Macé", "La Valette-du-Var" and "La Valette du Var" are
    # one town each (3 pairs listed twice more, 3 territories fewer)
    assert figures(result.stdout) == {
        "Pairs read": 3794,
        "Pairs listed twice": 285,
        "Pairs resolved": 3482,
        "Partnerships created": 3482,
        "Partnerships already present": 0,
        "Territories created": 4681,
        "Territories reused": 0,
        "Rows not imported": 27,
    }
    assert (
        Partnership.objects.filter(kind="twinning", is_published=True, status="active").count()
        == 3482
    )
    assert PartnershipParty.objects.count() == 2 * 3482
    assert Territory.objects.filter(country="FR", kind="commune").count() == 1504
    report = result.stdout[result.stdout.index("Not imported") :]
    for line in (
        "France ↔ France",
        "France ↔ Réunion, France",
        "France ↔ Guadeloupe, France",
        "France ↔ Martinique, France",
        "France ↔ French Polynesia",
        "France ↔ New Caledonia",
        "France ↔ Mayotte",
    ):
        assert line in report
    assert re.search(r"France ↔ France\s+│\s+12 │ 962, 963, 1279", report)
    assert Partnership.objects.filter(title__contains="Gjakova").count() == 1  # Kosovo, XK
    lille = Partnership.objects.filter(title__startswith="Lille ↔ ").values_list("title", flat=True)
    assert "Lille ↔ Saint-Louis" in set(lille)

    again = run("import", "twinnings", str(path))
    assert again.exit_code == 0
    assert figures(again.stdout) == {
        "Pairs read": 3794,
        "Pairs listed twice": 285,
        "Pairs resolved": 3482,
        "Partnerships created": 0,
        "Partnerships already present": 3482,
        "Territories created": 0,
        "Territories reused": 4681,
        "Rows not imported": 27,
    }
    assert Partnership.objects.count() == 3482


def test_twinnings_wrong_file(world, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text(HEADER, encoding="utf-8")
    result = run("import", "twinnings", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "registry.csv, field city1: missing column (required)"
    assert result.stderr.splitlines()[-1] == "Error: registry.csv: 8 errors; nothing was written"


# --- users and tokens -----------------------------------------------------------------------------


def test_token_create_prints_the_secret_once(world):
    result = run(
        "token",
        "create",
        "--user",
        "herouville_editor",
        "--organisation",
        "ville-dherouville",
        "--role",
        "member_editor",
        "--name",
        "nightly sync",
    )
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("rcp_") and len(result.stdout.splitlines()) == 1
    assert "Store the secret now: it is not shown again." in result.stderr
    membership = api_token_authenticate(secret)
    assert (membership.user.username, membership.organisation.slug) == (
        "herouville_editor",
        "ville-dherouville",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--user", "nobody", "--organisation", "ville-dherouville", "--role", "member_editor"],
            "no active user named 'nobody'",
        ),
        (
            ["--user", "outsider", "--organisation", "nowhere", "--role", "analyst"],
            "no organisation with the slug 'nowhere'",
        ),
        (
            ["--user", "outsider", "--organisation", "reseau", "--role", "boss"],
            "--role: must be one of analyst, member_editor, partner_editor",
        ),
        (
            [
                "--user",
                "outsider",
                "--organisation",
                "ville-dherouville",
                "--role",
                "member_editor",
            ],
            "outsider is not member_editor of ville-dherouville: add the membership first "
            "(reciprocite user create … --organisation --role, or the admin site)",
        ),
    ],
)
def test_token_create_refusals(world, args, message):
    result = run("token", "create", *args, "--name", "x")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


def test_user_create_from_stdin_and_prompt(db):
    result = run(
        "user",
        "create",
        "alice",
        "--password-stdin",
        "--email",
        "a@example.org",
        input="Tres-long-secret-42\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "Created user alice.\n"
    alice = User.objects.get(username="alice")
    assert alice.check_password("Tres-long-secret-42") and not alice.is_superuser
    result = run(
        "user",
        "create",
        "root",
        "--admin",
        input="Autre-secret-tres-long\nAutre-secret-tres-long\n",
    )
    assert result.exit_code == 0, result.output
    assert User.objects.get(username="root").is_superuser
    assert run("user", "create", "bot", "--no-password").exit_code == 0
    assert not User.objects.get(username="bot").has_usable_password()


def test_user_create_with_membership_then_token(world):
    result = run(
        "user", "create", "sync", "--no-password", "--organisation", "reseau", "--role", "analyst"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "Created user sync.\nMember of reseau as analyst.\n"
    assert Membership.objects.filter(user__username="sync", role="analyst").count() == 1
    token = run(
        "token",
        "create",
        "--user",
        "sync",
        "--organisation",
        "reseau",
        "--role",
        "analyst",
        "--name",
        "t",
    )
    assert token.exit_code == 0


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["analyst", "--password-stdin"],
            "Long-enough-pass-1\n",
            "a user named 'analyst' already exists",
        ),
        (
            ["carol", "--password-stdin"],
            "short\n",
            "This password is too short. It must contain at least 8 characters.",
        ),
        (["carol", "--password-stdin"], "\n", "no password on stdin"),
        (
            ["carol", "--password-stdin", "--no-password"],
            "",
            "--password-stdin and --no-password cannot go together",
        ),
        (
            ["carol", "--no-password", "--organisation", "reseau"],
            "",
            "--organisation and --role go together",
        ),
        (
            ["bad name!", "--no-password"],
            "",
            "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
        ),
    ],
)
def test_user_create_refusals(world, args, stdin, message):
    result = run("user", "create", *args, input=stdin)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert not User.objects.filter(username__in=["carol", "bad name!"]).exists()


# --- Django's commands and the demo ---------------------------------------------------------------


def test_manage_passes_through(db, capsys):
    result = run("manage", "check")
    assert result.exit_code == 0
    assert "System check identified no issues" in result.output + capsys.readouterr().out
    result = run("manage", "nosuchcommand")
    assert result.exit_code == 1
    assert "Unknown command: 'nosuchcommand'" in result.output + capsys.readouterr().err


def test_demo_is_idempotent(db):
    first = run("demo")
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("Demo data loaded.\n")
    before = counts()
    assert before["partnerships"] > 0
    second = run("demo")
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith("Demo data loaded.\n")
    assert counts() == before


def test_demo_missing_is_one_line(db, monkeypatch):
    monkeypatch.setitem(sys.modules, "reciprocite.demo", None)
    result = run("demo")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the demo data is not available in this installation (no reciprocite.demo)\n"
    )


def test_serve_refuses_a_taken_port(db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
