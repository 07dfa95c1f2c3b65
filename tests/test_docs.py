"""Docs tests: a CLI command, an API endpoint or a setting that is not documented fails."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_every_environment_setting_is_documented():
    settings_src = (ROOT / "src/reciprocite/config/settings.py").read_text()
    names = set(re.findall(r"""os\.environ(?:\.get)?\(\s*["']([A-Z_]+)["']""", settings_src))
    names |= set(re.findall(r"""os\.environ\[["']([A-Z_]+)["']\]""", settings_src))
    names |= set(re.findall(r"""env_bool\(["']([A-Z_]+)["']""", settings_src))
    names.discard("PYTEST_VERSION")  # set by pytest itself
    documented = (DOCS / "configuration.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert names and not missing, f"undocumented settings: {missing}"


def _cli_commands():
    import typer.main

    from reciprocite.cli import app

    def walk(group, prefix):
        for cmd in group.registered_commands:
            name = cmd.name or cmd.callback.__name__.replace("_", "-")
            yield f"{prefix}{name}".strip()
        for sub in group.registered_groups:
            yield from walk(sub.typer_instance, f"{prefix}{sub.name} ")

    assert typer.main  # the app is a Typer application
    return sorted(set(walk(app, "")))


def test_every_cli_command_is_documented():
    pytest.importorskip("reciprocite.cli")
    documented = "\n".join(p.read_text() for p in sorted(DOCS.glob("*.md")))
    commands = _cli_commands()
    missing = [c for c in commands if f"reciprocite {c}" not in documented]
    assert commands and not missing, f"undocumented CLI commands: {missing}"


@pytest.mark.django_db
def test_every_api_endpoint_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    documented = "\n".join(p.read_text() for p in sorted(DOCS.glob("*.md")))
    missing = []
    for path, operations in schema["paths"].items():
        short = path.removeprefix("/api/v1")
        for method in operations:
            if f"{method.upper()} {short}" not in documented:
                missing.append(f"{method.upper()} {short}")
    assert schema["paths"] and not missing, f"undocumented API endpoints: {missing}"
