"""deploy/ stays true to the code: the compose file parses and runs what the units run, every setting it
names is one the code reads, every setting the code reads is documented in deploy/gezien.env, and the
settings production needs are set in the env file and in the compose file."""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SRC = ROOT / "src" / "gezien"

# What production must set (placeholders in gezien.env): PostgreSQL, a secret key of its own, the desk's
# name and origin, secure cookies, the proxy's client address trusted, a data folder, and Redis for live
# events, the cache and the tasks.
REQUIRED = {
    "DATABASE_URL",
    "GEZIEN_SECRET_KEY",
    "GEZIEN_ALLOWED_HOSTS",
    "GEZIEN_CSRF_TRUSTED_ORIGINS",
    "GEZIEN_BASE_URL",
    "GEZIEN_SECURE_COOKIES",
    "GEZIEN_TRUSTED_PROXIES",
    "GEZIEN_DATA_DIR",
    "GEZIEN_LIVE_URL",
    "GEZIEN_CACHE_URL",
    "GEZIEN_TASKS_URL",
}
# Set by compose.yaml itself for every Gezien container (the other containers' addresses).
COMPOSE_SET = {"DATABASE_URL", "GEZIEN_DATA_DIR", "GEZIEN_LIVE_URL", "GEZIEN_CACHE_URL", "GEZIEN_TASKS_URL"}
# A mailbox's server secrets: GEZIEN_MAIL_<MAILBOX>_<IMAP|SMTP>_<USER|PASSWORD|TOKEN> (gezien.mail.servers).
MAILBOX_SECRET = re.compile(r"GEZIEN_MAIL_[A-Z0-9_]+_(IMAP|SMTP)_(USER|PASSWORD|TOKEN)")
READ = re.compile(
    r"""(?:\benv_[a-z]+|os\.environ\.get|os\.getenv|os\.environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)
NAMED = re.compile(r"\b(GEZIEN_[A-Z0-9_]*[A-Z0-9]|DATABASE_URL)\b")


def _read_by_the_code() -> set[str]:
    """Every environment variable the package reads by name (settings, the cli, the ASGI entry...)."""
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        names |= set(READ.findall(path.read_text(encoding="utf-8")))
    return names


def _documented() -> tuple[set[str], set[str]]:
    """The settings in gezien.env: (set on a line of their own, named in a `# NAME=` line)."""
    set_here, documented = set(), set()
    for line in (DEPLOY / "gezien.env").read_text(encoding="utf-8").splitlines():
        if match := re.match(r"([A-Z][A-Z0-9_]+)=", line):
            set_here.add(match[1])
        elif match := re.match(r"#\s*([A-Z][A-Z0-9_]+)=", line):
            documented.add(match[1])
    return set_here, documented


def _compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8")))


def test_every_setting_deploy_names_is_read_by_the_code() -> None:
    read = _read_by_the_code()
    named: set[str] = set()
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            named |= set(NAMED.findall(path.read_text(encoding="utf-8")))
    unknown = {name for name in named - read if not MAILBOX_SECRET.fullmatch(name)}
    assert not unknown, f"deploy/ names settings no code reads: {sorted(unknown)}"


def test_every_setting_the_code_reads_is_documented_in_the_env_file() -> None:
    set_here, documented = _documented()
    missing = {n for n in _read_by_the_code() if n.startswith("GEZIEN_") or n == "DATABASE_URL"} - (
        set_here | documented
    )
    assert not missing, f"add to deploy/gezien.env (with a comment and the default): {sorted(missing)}"


def test_the_required_settings_are_set_in_the_env_file_and_for_every_gezien_container() -> None:
    set_here, _documented_only = _documented()
    assert set_here >= REQUIRED, sorted(REQUIRED - set_here)
    services = _compose()["services"]
    gezien = {name: s for name, s in services.items() if str(s.get("image", "")).startswith("gezien")}
    assert set(gezien) == {"migrate", "web-1", "web-2", "worker"}
    for name, service in gezien.items():
        assert [entry["path"] for entry in service["env_file"]] == ["gezien.local.env"], name
        assert set(service["environment"]) >= COMPOSE_SET, name
        assert service["environment"]["GEZIEN_TASKS_URL"].startswith("redis://redis:6379/"), name


def test_compose_runs_what_the_units_run() -> None:
    compose = _compose()
    services = compose["services"]
    assert services["postgres"]["image"] == "postgres:15" and services["redis"]["image"].startswith("redis:")
    assert "--appendonly" in services["redis"]["command"]  # queued tasks survive a restart of Redis
    assert services["migrate"]["command"] == ["gezien", "migrate", "--quiet"]
    for web in ("web-1", "web-2"):
        assert services[web]["command"] == ["gezien", "serve"]
        assert services[web]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["worker"]["command"] == ["gezien", "worker"]
    assert services["worker"]["deploy"]["replicas"] == 2
    caddy = (DEPLOY / "Caddyfile.compose").read_text(encoding="utf-8")
    assert "reverse_proxy web-1:8000 web-2:8000" in caddy
    for volume in ("./Caddyfile.compose:/etc/caddy/Caddyfile:ro",):
        assert volume in services["caddy"]["volumes"]
    assert set(compose["volumes"]) >= {"gezien-data", "postgres-data", "redis-data"}

    units = {}
    for path in (DEPLOY / "systemd").iterdir():
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(path.read_text(encoding="utf-8"))
        units[path.name] = parser
    web, worker = units["gezien-web@.service"], units["gezien-worker@.service"]
    assert web["Service"]["ExecStart"] == "/opt/gezien/.venv/bin/gezien serve"
    assert worker["Service"]["ExecStart"] == "/opt/gezien/.venv/bin/gezien worker"
    for unit in (web, worker, units["gezien-migrate.service"], units["gezien-backup.service"]):
        assert unit["Service"]["EnvironmentFile"] == "/etc/gezien/gezien.env"
        assert unit["Service"]["User"] == "gezien" and unit["Service"]["UMask"] == "0077"
    # The proxy sends to exactly the web processes the target starts.
    wanted = units["gezien.target"]["Unit"]["Wants"]
    ports = re.findall(r"gezien-web@(\d+)\.service", (DEPLOY / "systemd" / "gezien.target").read_text())
    assert ports and wanted
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", (DEPLOY / "Caddyfile").read_text(encoding="utf-8"))
    assert upstreams is not None
    assert upstreams[1].split() == [f"127.0.0.1:{port}" for port in ports]
