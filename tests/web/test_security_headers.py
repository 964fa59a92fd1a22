"""Every page the desk serves carries a Content-Security-Policy that refuses inline scripts, eval and
other origins; the API docs are served from the app (Swagger UI from static, no CDN); the contact form's
embed may be framed only by the desk and the configured websites; and with GEZIEN_HTTPS=1 the desk sends
HSTS and secure cookies, trusts the proxy's scheme and passes `check --deploy` without a warning."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.gezien_server import GezienServer, base_env, sqlite_data_dir

TEMPLATES = Path(__file__).parents[2] / "src" / "gezien"


def _policy(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split("; ")}


@pytest.mark.django_db
def test_desk_pages_and_the_api_docs_have_a_strict_policy(make_user: Any) -> None:
    client = Client()
    login = client.get("/login/")
    assert _policy(login)["script-src"] == "'self'"
    assert _policy(login)["frame-ancestors"] == "'none'"
    client.force_login(make_user("meike", "manager"))
    for path in ("/desk/", "/desk/notifications/", "/insights/surveys/", "/api/docs"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = _policy(response)
        assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'", path
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'", path
        assert (
            "unsafe-inline" not in policy["script-src"]
            and "unsafe-eval" not in response["Content-Security-Policy"]
        )
    docs = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs


@pytest.mark.django_db
def test_the_contact_form_embed_may_be_framed_by_the_configured_websites_only(settings: Any) -> None:
    settings.GEZIEN_WEBFORM_FRAME_ANCESTORS = "https://www.voorbeeld.nl javascript:alert(1)"
    embed = Client().get("/contact/embed/")
    policy = _policy(embed)
    assert policy["frame-ancestors"] == "'self' https://www.voorbeeld.nl"
    assert policy["script-src"] == "'self'"
    assert "X-Frame-Options" not in embed
    assert _policy(Client().get("/contact/"))["frame-ancestors"] == "'none'"


def test_no_template_holds_an_inline_script_or_event_handler() -> None:
    found = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attributes = match.group(1)
            if "src=" not in attributes and "application/json" not in attributes:
                found.append(f"{template}: {match.group(0)}")
        found += [f"{template}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+=[\"']", text)]
        found += [f"{template}: javascript: URL" for _ in re.finditer(r"href=[\"']javascript:", text)]
    assert found == []


def _https_env(data: Path) -> dict[str, str]:
    env = base_env(data, GEZIEN_HTTPS="1", GEZIEN_SECRET_KEY=secrets.token_urlsafe(50))
    env["GEZIEN_ALLOWED_HOSTS"] = "127.0.0.1,desk.voorbeeld.nl"
    return env


def test_check_deploy_is_clean_with_https(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gezien.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=_https_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.slow
def test_with_https_the_desk_sends_hsts_and_secure_cookies(
    tmp_path: Path, migrated_sqlite_template: Any
) -> None:
    data = sqlite_data_dir(migrated_sqlite_template, tmp_path / "data")
    server = GezienServer(_https_env(data), log_path=tmp_path / "server.log")
    server.start()
    try:
        status, headers, _ = server.request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
        assert "secure" in headers["set-cookie"].lower()  # the CSRF cookie
        assert "script-src 'self'" in headers["content-security-policy"]
        status, headers, _ = server.request("GET", "/login/")  # plain HTTP: to HTTPS
        assert status == 301 and headers["location"].startswith("https://")
        status, _headers, _ = server.request("GET", "/health")  # the load balancer's check, inside
        assert status in (200, 503)
    finally:
        server.stop()
    assert os.environ.get("GEZIEN_HTTPS") is None  # this process stays as it was
