"""What a server process carries from its start: every view and API module is imported at start (and
frozen, `gezien.config.serving`), so a heavy library imported by one of them sits in the memory of every
process, used or not. Passkeys (py_webauthn with cryptography and pyOpenSSL, ~25 MB), single sign-on
(joserfc, ~19 MB) and call recordings (libsndfile, ~20 MB) load where they are used; together they had
taken the served demo past its 250 MB (docs/performance.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

LOADED_WHERE_USED = ("webauthn", "cryptography", "OpenSSL", "joserfc", "soundfile")


@pytest.mark.postgres_too  # the desk starts with the run's DATABASE_URL (PostgreSQL's driver loaded)
def test_starting_the_desk_leaves_passkeys_sign_on_and_audio_libraries_unloaded(tmp_path: object) -> None:
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from importlib import import_module\n"
        "from django.conf import settings\n"
        "import_module(settings.ROOT_URLCONF)\n"
        "print(json.dumps(sorted(m for m in sys.modules if '.' not in m)))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gezien.config.settings", "GEZIEN_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "gezien" in loaded and "django" in loaded  # the desk did load
    assert loaded.isdisjoint(LOADED_WHERE_USED), sorted(loaded & set(LOADED_WHERE_USED))
