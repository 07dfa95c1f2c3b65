"""The installed console script, run for real in a subprocess on a temporary SQLite file."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("reciprocite")


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    if not SCRIPT.exists():
        found = shutil.which("reciprocite")
        if not found:
            pytest.skip("the reciprocite console script is not installed")
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST_")) and k != "DATABASE_URL"
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        RECIPROCITE_DATA_DIR=str(tmp_path / "var"),
        SECRET_KEY="test-only-secret-key-for-the-console-script",  # noqa: S105
    )
    return environment


def script(env, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    command = str(SCRIPT if SCRIPT.exists() else shutil.which("reciprocite"))
    return subprocess.run(
        [command, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


CSV = (
    "partnership_title;french_territories;partner_territories;project_title;themes;budget_amount\n"
    "Caen ↔ Thiès;Caen|FR|commune|14118;Thiès|SN|commune;Maison des jeunes;jeunesse;15000\n"
    "Caen ↔ Thiès;Caen|FR|commune|14118;Thiès|SN|commune;Crèche;petite_enfance;{budget}\n"
)


def test_import_and_export_on_a_fresh_database(env, tmp_path):
    bad = tmp_path / "registry.csv"
    bad.write_text("\ufeff" + CSV.format(budget="12k"), encoding="utf-8")
    result = script(env, "import", "registry", str(bad))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'registry.csv, row 3, field budget_amount: "12k" is not a number',
        "Error: registry.csv: 1 error; nothing was written",
    ]

    good = tmp_path / "good.csv"
    good.write_text(CSV.format(budget="8 000,50"), encoding="utf-8")
    result = script(env, "import", "registry", str(good))
    assert result.returncode == 0, result.stderr
    assert "Partnerships created:   1\n" in result.stdout
    assert "Projects created:       2\n" in result.stdout
    assert "Territories created:    2\n" in result.stdout

    result = script(env, "export", "registry", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("P1,Caen ↔ Thiès,cooperation,active,")
    assert ",PR2,Crèche,ongoing," in lines[1]
    assert ",petite_enfance,,8000.50,EUR," in lines[1]

    again = script(env, "import", "registry", str(good))
    assert again.returncode == 0
    assert "Projects unchanged:     2\n" in again.stdout

    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(os.urandom(4096))
    result = script(env, "import", "registry", str(garbage))
    assert result.returncode == 1
    assert result.stderr == "Error: garbage.xlsx: not an XLSX workbook (it is not a zip archive)\n"


def test_a_broken_database_url_is_one_line(env):
    env["DATABASE_URL"] = "nosuchdb://x"
    result = script(env, "export", "registry")
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Error: cannot start: ")


def test_demo_twice(env):
    first = script(env, "demo")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Demo data loaded.\n")
    second = script(env, "demo")
    assert second.returncode == 0, second.stderr
    assert "created:       0\n" in second.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_health(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:  # 503 when degraded: the body says why
        assert exc.code == 503
        return json.loads(exc.read())


def test_serve_answers_then_stops(env, tmp_path):
    port = free_port()
    command = str(SCRIPT if SCRIPT.exists() else shutil.which("reciprocite"))
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [command, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status, body = None, b""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    status, body = response.status, response.read()
                break
            except urllib.error.HTTPError as exc:
                status = exc.code
                break
            except OSError:
                time.sleep(0.3)
        log.seek(0)
        output = log.read()
        assert server.poll() is None, output
        assert status == 200, output
        assert b"<html" in body.lower()
        assert "gunicorn" in output.lower() or "Booting worker" in output
        health = read_health(port)
        assert health["database"] == "ok", health
        assert health["worker"]["needed"] is True, health
        css = f"http://127.0.0.1:{port}/static/reciprocite/css/site.css"
        with urllib.request.urlopen(css, timeout=5) as response:  # whitenoise, from the finders
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/css")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
        log.close()
    assert server.returncode is not None
