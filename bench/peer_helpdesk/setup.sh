#!/usr/bin/env bash
# Set up the django-helpdesk peer for the benchmark: bench/.peer-venv (django-helpdesk, granian,
# gunicorn from PyPI) and a migrated template SQLite database under bench/.work/peer_helpdesk/.
# Idempotent; pass --force to rebuild. Prints the peer's token, queue ids and versions as JSON.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
exec "$python" "$here/setup_peer.py" "$@"
