"""Security headers on every response, HTTPS settings, security.txt, and templates that keep
to the Content-Security-Policy (no inline script, style or handler)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "reciprocite"
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value.strip()
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/partnerships/",
        "/accounts/login/",
        "/admin/login/",
        "/api/v1/docs",
        "/api/v1/openapi.json",
        "/api/v1/partnerships",
        "/static/reciprocite/css/site.css",
        "/no-such-page/",
        "/healthz",
    ],
)
def test_every_response_has_a_strict_csp_and_a_permissions_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), path
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "nonce-" not in csp  # no template asked for one
    assert _csp(response) == EXPECTED_CSP
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_api_docs_load_only_local_assets(client):
    html = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert sources
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    # the only <script> with a body is Swagger's settings, JSON, which a browser does not run
    bodies = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    for attributes, body in bodies:
        if body.strip():
            assert 'type="application/json"' in attributes, attributes


def test_a_nonce_asked_for_by_a_template_is_in_the_header(rf):
    from django.template import engines

    from reciprocite.core.security import SecurityHeadersMiddleware

    def view(request):
        from django.http import HttpResponse

        template = engines["django"].from_string('<script nonce="{{ csp_nonce }}"></script>')
        return HttpResponse(template.render({}, request))

    request = rf.get("/")
    response = SecurityHeadersMiddleware(view)(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert len(nonce) >= 16
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]
    other = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert nonce not in other["Content-Security-Policy"]  # one per response


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_under_https_http_is_redirected_but_the_health_probe_is_not(client):
    redirect = client.get("/partnerships/?page=2")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/partnerships/?page=2"
    probe = client.get("/healthz")
    assert probe.status_code == 200 and probe.json()["status"] == "ok"
    assert client.get("/livez").status_code == 200
    secure = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _settings_under(env: dict[str, str], tmp_path) -> dict[str, str]:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "RECIPROCITE_"))}
    clean.pop("DEBUG", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    clean.update(env, RECIPROCITE_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_secure_ssl_turns_on_cookies_redirect_and_hsts(tmp_path):
    expected = "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"
    assert _settings_under({"SECURE_SSL": "1"}, tmp_path) == expected
    # the older name still works
    assert _settings_under({"RECIPROCITE_HTTPS": "1"}, tmp_path) == expected
    assert (
        _settings_under({"SECURE_SSL": "1", "SECURE_HSTS_SECONDS": "3600"}, tmp_path)
        == "True True True 3600 ('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert _settings_under({}, tmp_path) == "False False False 0 None"


# The "production settings" of docs/configuration.md (the secret key is made up here).
PRODUCTION = {
    "ALLOWED_HOSTS": "reciprocite.example.org",
    "SECURE_SSL": "1",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "RECIPROCITE_SITE_URL": "https://reciprocite.example.org",
}


def _check_deploy(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "RECIPROCITE_"))}
    clean.pop("DEBUG", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    clean.update(env, RECIPROCITE_DATA_DIR=str(tmp_path))
    cli = Path(sys.executable).with_name("reciprocite")
    return subprocess.run(
        [str(cli), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    documented = (ROOT / "docs" / "configuration.md").read_text()
    for name, value in PRODUCTION.items():
        assert f"{name}={value}" in documented, name
    result = _check_deploy({**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50)}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_complains_without_https_and_with_debug(tmp_path):
    result = _check_deploy({"DEBUG": "1"}, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W018"):
        assert warning in output, warning


@pytest.mark.django_db
@override_settings(RECIPROCITE_SECURITY_CONTACT="securite@reseau.example.org")
def test_security_txt_names_the_contact(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert lines["Contact"] == "mailto:securite@reseau.example.org"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lines["Expires"])
    assert client.post("/.well-known/security.txt").status_code == 405


@pytest.mark.django_db
@override_settings(RECIPROCITE_SECURITY_CONTACT="https://reseau.example.org/securite")
def test_security_txt_takes_an_address_too(client):
    body = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: https://reseau.example.org/securite\n" in body


# -- the sources keep to the policy -----------------------------------------------------------

INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= handler"),
    (re.compile(r"\s(?:data-)?hx-on", re.I), "an hx-on handler"),
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I),
        "an inline script",
    ),
    (re.compile(r"<style", re.I), "a <style> element"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
]
# not pages: e-mails, and the report's HTML that WeasyPrint turns into a PDF
NOT_PAGES = ("surveys/email/", "panorama/report/")


def test_no_template_has_inline_script_style_or_handler():
    found = []
    for path in sorted((PACKAGE / "templates").rglob("*.html")):
        relative = path.relative_to(PACKAGE / "templates").as_posix()
        if relative.startswith(NOT_PAGES):
            continue
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{relative}:{line}: {what}")
    assert not found, "\n".join(found)


def test_no_python_writes_style_attributes_into_pages():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or path.parent.name == "report" or path.name == "report.py":
            continue
        text = path.read_text()
        for match in re.finditer(r"""\sstyle=\\?["']""", text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(PACKAGE)}:{line}")
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_only_a_questionnaire_may_ask_for_the_position_and_only_for_our_origin(client):
    from tests.surveys import collect_support as cs

    _invitation, path = cs.invite(cs.cooperations(), language="fr")
    form = client.get(path)
    assert form.status_code == 200
    assert "geolocation=(self)" in form["Permissions-Policy"]
    assert "camera=()" in form["Permissions-Policy"]
    home = client.get("/")
    assert "geolocation=()" in home["Permissions-Policy"]
    assert "(self)" not in home["Permissions-Policy"]
