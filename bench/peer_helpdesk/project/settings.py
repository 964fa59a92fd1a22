"""Minimal Django project serving django-helpdesk and its REST API, for the peer benchmark.

Runs only inside bench/.peer-venv (see bench/peer_helpdesk/setup_peer.py). Everything that
varies per run comes from environment variables set by the bench:

- PEER_HELPDESK_DB: path of the SQLite database file (required).
- PEER_HELPDESK_MEDIA: folder for attachments (defaults beside the database).
- PEER_HELPDESK_CONN_MAX_AGE: seconds a database connection is kept (default 600, as
  GEZIEN_CONN_MAX_AGE for Gezien; 0 opens one per request).

The database options mirror Gezien's embedded default (src/gezien/config/settings.py):
SQLite in WAL mode, synchronous=NORMAL, IMMEDIATE transactions, persistent connections
(CONN_MAX_AGE 600), so both sides of the comparison run on the same engine with the same tuning.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DB_PATH = Path(os.environ["PEER_HELPDESK_DB"])
MEDIA_ROOT = os.environ.get("PEER_HELPDESK_MEDIA", str(DB_PATH.parent / "media"))
MEDIA_URL = "/media/"

# A bench-only key: this project never serves anything but 127.0.0.1.
SECRET_KEY = "peer-helpdesk-bench-only-not-secret"  # noqa: S105 - loopback-only bench
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",  # helpdesk builds e-mail links from the current Site
    "django.contrib.humanize",  # helpdesk templates
    "rest_framework",
    "rest_framework.authtoken",  # cheapest per-request auth helpdesk's API accepts
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DB_PATH),
        # Keep each thread's connection, as Gezien does: a deployment setting, not helpdesk's code.
        "CONN_MAX_AGE": int(os.environ.get("PEER_HELPDESK_CONN_MAX_AGE", "600")),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000; PRAGMA cache_size=-20000;"
            ),
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

SITE_ID = 1
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"

# Helpdesk mails the submitter (and any CC) on every new ticket. It still renders those
# mails from its database templates; the dummy backend only skips the delivery, which is
# outside what the benchmark measures and would need a mail server that is not there.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.invalid"

# django-helpdesk configuration.
HELPDESK_API_ENABLED = True  # registers /api/tickets/ (2.x name; older docs say ACTIVATE_API_ENDPOINT)
HELPDESK_TEAMS_MODE_ENABLED = False  # teams mode needs pinax-teams, which the API does not use
LOGIN_URL = "helpdesk:login"

REST_FRAMEWORK = {
    # Token auth is one indexed lookup per request. Basic auth would run Django's
    # PBKDF2 hasher (1,000,000 iterations) on every request and measure that instead.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
