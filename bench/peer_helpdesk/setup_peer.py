"""Set up the django-helpdesk peer: its own virtual environment and a migrated template database.

Idempotent and standard library only, so any Python 3.11 can run it:

    python3 bench/peer_helpdesk/setup_peer.py          # or bench/peer_helpdesk/setup.sh
    python3 bench/peer_helpdesk/setup_peer.py --force  # rebuild venv and database

What it builds (both ignored by git, see bench/.gitignore):

- bench/.peer-venv: a venv with requirements.txt installed (django-helpdesk, and granian and
  gunicorn to serve it) from the package index pip is configured for. Rebuilt when
  requirements.txt changes.
- bench/.work/peer_helpdesk/template.sqlite3: the peer project (bench/peer_helpdesk/project)
  migrated, with one staff superuser "bench", its DRF token, and three queues. Rebuilt when
  the requirements or the project files change. Each benchmark run copies it with
  fresh_database() so every run starts from the same, empty, ticket table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PEER_DIR = Path(__file__).resolve().parent
BENCH_DIR = PEER_DIR.parent
PROJECT_DIR = PEER_DIR / "project"
REQUIREMENTS = PEER_DIR / "requirements.txt"
VENV_DIR = BENCH_DIR / ".peer-venv"
WORK_DIR = BENCH_DIR / ".work" / "peer_helpdesk"
TEMPLATE_DB = WORK_DIR / "template.sqlite3"
TEMPLATE_META = WORK_DIR / "template.json"
VENV_MARKER = VENV_DIR / ".bench-requirements.sha256"
PROJECT_FILES = ("settings.py", "urls.py", "wsgi.py", "bootstrap.py")


@dataclass(frozen=True)
class PeerInstall:
    """Where the peer lives and how to talk to it."""

    python: Path
    gunicorn: Path
    granian: Path
    project_dir: Path
    template_db: Path
    token: str  # DRF token of the "bench" user: header `Authorization: Token <token>`
    queue_ids: tuple[int, ...]
    helpdesk_version: str
    django_version: str
    gunicorn_version: str
    granian_version: str

    def server_binary(self, server: str) -> Path:
        """The peer venv's executable for a server name ("granian" or "gunicorn")."""
        return self.python.parent / server


def _log(message: str) -> None:
    print(f"[peer-setup] {message}", file=sys.stderr, flush=True)


def _sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _venv_bin(name: str) -> Path:
    return VENV_DIR / "bin" / name


def ensure_venv(force: bool = False) -> None:
    """Create bench/.peer-venv and install requirements.txt unless already done for this file."""
    wanted = _sha256(REQUIREMENTS)
    if (
        not force
        and VENV_MARKER.exists()
        and VENV_MARKER.read_text().strip() == wanted
        and _venv_bin("python").exists()
        and _venv_bin("gunicorn").exists()
        and _venv_bin("granian").exists()
    ):
        return
    if force and VENV_DIR.exists():
        shutil.rmtree(VENV_DIR)
    if not _venv_bin("python").exists():
        _log(f"creating {VENV_DIR}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV_DIR)
    _log(f"installing {REQUIREMENTS.name} into {VENV_DIR} (django-helpdesk, granian, gunicorn)")
    subprocess.run(
        [str(_venv_bin("python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(REQUIREMENTS)],
        check=True,
    )  # fmt: skip
    VENV_MARKER.write_text(wanted + "\n")


def _versions() -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json;"
        "print(json.dumps({n: m.version(n) for n in ('django-helpdesk', 'Django', 'granian', 'gunicorn')}))"
    )
    completed = subprocess.run(
        [str(_venv_bin("python")), "-c", code], capture_output=True, text=True, check=True
    )
    versions: dict[str, str] = json.loads(completed.stdout)
    return versions


def project_env(db_path: Path) -> dict[str, str]:
    """Environment variables the peer project reads (added on top of os.environ)."""
    return {
        "PEER_HELPDESK_DB": str(db_path),
        "PEER_HELPDESK_MEDIA": str(db_path.parent / "media"),
        "DJANGO_SETTINGS_MODULE": "settings",
    }


def ensure_template_db(force: bool = False) -> dict[str, Any]:
    """Migrate and seed the template database unless one exists for this venv and project."""
    fingerprint = _sha256(REQUIREMENTS, *(PROJECT_DIR / name for name in PROJECT_FILES))
    if not force and TEMPLATE_DB.exists() and TEMPLATE_META.exists():
        existing: dict[str, Any] = json.loads(TEMPLATE_META.read_text())
        if existing.get("fingerprint") == fingerprint:
            return existing
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{TEMPLATE_DB}{suffix}").unlink(missing_ok=True)
    _log(f"migrating the peer template database {TEMPLATE_DB}")
    env = dict(os.environ)
    env.update(project_env(TEMPLATE_DB))
    completed = subprocess.run(
        [str(_venv_bin("python")), "bootstrap.py"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"peer bootstrap failed:\n{completed.stdout}\n{completed.stderr}")
    seeded = json.loads(completed.stdout.strip().splitlines()[-1])
    # Fold the WAL into the main file so that the template is one self-contained file.
    with sqlite3.connect(TEMPLATE_DB) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    meta: dict[str, Any] = {"fingerprint": fingerprint, **seeded, **_versions()}
    TEMPLATE_META.write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def ensure_peer(force: bool = False) -> PeerInstall:
    """Everything the peer needs, built if missing or stale; cheap when already there."""
    ensure_venv(force=force)
    meta = ensure_template_db(force=force)
    return PeerInstall(
        python=_venv_bin("python"),
        gunicorn=_venv_bin("gunicorn"),
        granian=_venv_bin("granian"),
        project_dir=PROJECT_DIR,
        template_db=TEMPLATE_DB,
        token=str(meta["token"]),
        queue_ids=tuple(int(q) for q in meta["queue_ids"]),
        helpdesk_version=str(meta["django-helpdesk"]),
        django_version=str(meta["Django"]),
        gunicorn_version=str(meta["gunicorn"]),
        granian_version=str(meta["granian"]),
    )


def fresh_database(name: str = "run") -> Path:
    """Copy the template into bench/.work/peer_helpdesk/<name>.sqlite3 (replacing any old one)."""
    target = WORK_DIR / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(TEMPLATE_DB) as source, sqlite3.connect(target) as destination:
        source.backup(destination)
    # The backup keeps the template's journal mode (WAL) in the header; settings set it anyway.
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--force", action="store_true", help="rebuild the venv and the template database")
    args = parser.parse_args(argv)
    install = ensure_peer(force=args.force)
    print(
        json.dumps(
            {
                "venv": str(VENV_DIR),
                "template_db": str(install.template_db),
                "token": install.token,
                "queue_ids": list(install.queue_ids),
                "django-helpdesk": install.helpdesk_version,
                "Django": install.django_version,
                "granian": install.granian_version,
                "gunicorn": install.gunicorn_version,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
