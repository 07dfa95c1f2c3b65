from __future__ import annotations

import pytest
from typer.testing import CliRunner

from reciprocite.cli import app
from tests.surveys.conftest import smtp_server  # noqa: F401 - a fixture, used by name

pytestmark = pytest.mark.django_db


def test_digest_dry_run_and_send(coordination, smtp_server):  # noqa: F811
    runner = CliRunner()
    result = runner.invoke(app, ["coordination", "digest", "--week", "2030-04-01", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "people with a digest: 3" in result.output
    assert smtp_server.messages == []
    result = runner.invoke(app, ["coordination", "digest", "--week", "2030-04-01"])
    assert "e-mails sent:         3" in result.output
    assert len(smtp_server.messages) == 3


def test_a_bad_week_is_one_line_and_exit_1(db):
    result = CliRunner().invoke(app, ["coordination", "digest", "--week", "someday"])
    assert result.exit_code == 1
    assert "--week: 'someday' is not a date (YYYY-MM-DD)" in result.output


def test_reminders(coordination, smtp_server):  # noqa: F811
    result = CliRunner().invoke(app, ["coordination", "reminders"])
    assert result.exit_code == 0, result.output
    assert "meetings reminded:" in result.output
