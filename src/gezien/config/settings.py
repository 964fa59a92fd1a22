"""Gezien settings: everything that differs between machines comes from the environment.

SQLite (WAL) when DATABASE_URL is unset; PostgreSQL when it is set (psycopg 3).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from gezien.config.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_pairs,
    env_paths,
    env_str,
    env_url,
    stored_secret_key,
)
from gezien.core.files import private_folder

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("GEZIEN_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("GEZIEN_DEBUG", False)
# Without GEZIEN_SECRET_KEY a key is made once and kept under GEZIEN_DATA_DIR, so that every server
# process and every restart signs sessions alike (a key per process logged agents out between workers).
SECRET_KEY = env_str("GEZIEN_SECRET_KEY") or stored_secret_key(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("GEZIEN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("GEZIEN_CSRF_TRUSTED_ORIGINS", [])

# The defaults of the settings an administrator changes in the desk (Meer > Instellingen, /api/settings;
# gezien.desksettings): a value saved there wins over the variable. They are read through
# `desksettings.store.desk_setting`, never here: the organisation's name and address, the opening hours and
# holidays, capacity, surveys and the contact value below. Saved values are kept per process and read
# again by the other processes within this many seconds.
GEZIEN_SETTINGS_CACHE_SECONDS = env_int("GEZIEN_SETTINGS_CACHE_SECONDS", 5)
GEZIEN_ORGANISATION_NAME = env_str("GEZIEN_ORGANISATION_NAME", "Voorbeeld Telecom")
GEZIEN_MAX_MESSAGE_CHARS = env_int("GEZIEN_MAX_MESSAGE_CHARS", 100_000)
GEZIEN_TOKEN_CACHE_SECONDS = env_int("GEZIEN_TOKEN_CACHE_SECONDS", 5)
# API tokens (accounts.tokens): how long a new one works by default (an administrator's may be made
# without an expiry), and how many requests one may make (per token; a token may carry its own limit).
GEZIEN_TOKEN_DAYS = env_int("GEZIEN_TOKEN_DAYS", 90)
GEZIEN_TOKEN_RATE = env_str("GEZIEN_TOKEN_RATE", "600/min")
# Single sign-on with OpenID Connect (accounts.oidc, docs/security.md): on when an issuer is named. The
# groups of the ID token's GEZIEN_OIDC_GROUPS_CLAIM give the role ("gezien-managers=manager,...") and,
# optionally, the team ("gezien-zuid=Team Zuid"); someone in no mapped group is not let in.
GEZIEN_OIDC_ISSUER = env_str("GEZIEN_OIDC_ISSUER", "").strip().rstrip("/")
GEZIEN_OIDC_CLIENT_ID = env_str("GEZIEN_OIDC_CLIENT_ID", "")
GEZIEN_OIDC_CLIENT_SECRET = env_str("GEZIEN_OIDC_CLIENT_SECRET", "")
GEZIEN_OIDC_GROUP_ROLES = env_pairs("GEZIEN_OIDC_GROUP_ROLES")
GEZIEN_OIDC_GROUP_TEAMS = env_pairs("GEZIEN_OIDC_GROUP_TEAMS")
GEZIEN_OIDC_GROUPS_CLAIM = env_str("GEZIEN_OIDC_GROUPS_CLAIM", "groups")
GEZIEN_OIDC_SCOPES = env_str("GEZIEN_OIDC_SCOPES", "openid profile email")
# The login button says "Inloggen met <GEZIEN_OIDC_NAME>" (default from the issuer: Microsoft, Google).
GEZIEN_OIDC_NAME = env_str("GEZIEN_OIDC_NAME", "")
# A person's permissions and role groups, remembered per process (gezien.accounts.kept); 0: never.
GEZIEN_PERMISSION_CACHE_SECONDS = env_int("GEZIEN_PERMISSION_CACHE_SECONDS", 5)
# Reverse proxies in front of Gezien whose X-Forwarded-For is trusted for the client address (the audit
# log's "from where", the login limits per address; gezien.core.client). 0: REMOTE_ADDR as it is.
GEZIEN_TRUSTED_PROXIES = env_int("GEZIEN_TRUSTED_PROXIES", 0)
AUTHENTICATION_BACKENDS = ["gezien.accounts.kept.KeptPermissionsBackend"]
# Assist: contacts about the same matter within this many days count as repeats (R7); a break offered
# after an abusive contact lasts this long (R9).
GEZIEN_REPEAT_WINDOW_DAYS = env_int("GEZIEN_REPEAT_WINDOW_DAYS", 30)
GEZIEN_BREAK_MINUTES = env_int("GEZIEN_BREAK_MINUTES", 10)
GEZIEN_ORDER_NUMBER_PATTERN = env_str("GEZIEN_ORDER_NUMBER_PATTERN", r"\bVT\d{7}\b")

# Routing (R21): how many open contacts routing gives one person at most, and how recently they must have
# been seen in the desk to count as present.
GEZIEN_ROUTING_CAPACITY = env_int("GEZIEN_ROUTING_CAPACITY", 3)
GEZIEN_ROUTING_SEEN_MINUTES = env_int("GEZIEN_ROUTING_SEEN_MINUTES", 15)
# Capacity per channel (issue 6, docs/workforce.md): how many contacts of a channel one person holds at once
# unless their routing profile says otherwise; after-contact work after a call or chat lasts this long.
GEZIEN_CAPACITY = env_str("GEZIEN_CAPACITY", "phone=1,chat=3,email=3,webform=3")
GEZIEN_AFTER_CONTACT_SECONDS = env_int("GEZIEN_AFTER_CONTACT_SECONDS", 60)
# The staffing plan (docs/workforce-planning.md): its interval (15, 30 or 60 minutes; anything else stops
# startup) and how many weeks of history the forecast learns from.
GEZIEN_PLAN_INTERVAL_MINUTES = env_int("GEZIEN_PLAN_INTERVAL_MINUTES", 30)
GEZIEN_PLAN_HISTORY_WEEKS = env_int("GEZIEN_PLAN_HISTORY_WEEKS", 8)
# Insights: how often `gezien worker` runs the periodic tick (0: never; use `gezien insights tick`).
GEZIEN_INSIGHTS_TICK_SECONDS = env_int("GEZIEN_INSIGHTS_TICK_SECONDS", 60)

# Working days and opening hours (issue 5, docs/insights-sla.md): service-level timers count in these
# hours (Europe/Amsterdam, Dutch public holidays), "N werkdagen" skips closed days and holidays. Which
# optional days count as holidays: goede_vrijdag, bevrijdingsdag (every year), bevrijdingsdag_lustrum.
GEZIEN_OPENING_HOURS = env_str("GEZIEN_OPENING_HOURS", "ma-vr 08:00-18:00; za 09:00-13:00")
GEZIEN_HOLIDAYS_EXTRA = env_str("GEZIEN_HOLIDAYS_EXTRA", "bevrijdingsdag")

# Honest resolution (issue 5, docs/insights-resolution.md): a matter is resolved when the customer does not
# come back about it within this many working days (the naive "no callback" figure uses the same window);
# handling time: minutes per agent reply on e-mail and web form, and the cap of a call or chat
# without offsets.
GEZIEN_RESOLUTION_WORKING_DAYS = env_int("GEZIEN_RESOLUTION_WORKING_DAYS", 5)
GEZIEN_EMAIL_HANDLING_MINUTES = env_int("GEZIEN_EMAIL_HANDLING_MINUTES", 6)
GEZIEN_HANDLING_CAP_MINUTES = env_int("GEZIEN_HANDLING_CAP_MINUTES", 60)

# Surveys (issue 5, docs/insights-surveys.md): NPS or CSAT after a closed contact, by a signed link.
GEZIEN_SURVEY_SEND = env_choice("GEZIEN_SURVEY_SEND", ("email", "off"), "email")
GEZIEN_SURVEY_KIND = env_str("GEZIEN_SURVEY_KIND", "nps")  # nps | csat | per channel: "phone=nps,chat=csat"
GEZIEN_SURVEY_QUIET_DAYS = env_int("GEZIEN_SURVEY_QUIET_DAYS", 30)
GEZIEN_SURVEY_VALID_DAYS = env_int("GEZIEN_SURVEY_VALID_DAYS", 14)
# Where people reach this desk from outside: every link in a mail (survey links, the departments' digest)
# and in API answers starts with it. Unset: the address `gezien serve` listens on (GEZIEN_BIND:PORT), so a
# demo's links work on its own machine; set it in production. GEZIEN_PUBLIC_URL is its former name.
_served_on = env_str("GEZIEN_BIND", "127.0.0.1").replace("0.0.0.0", "127.0.0.1")  # noqa: S104 -- not a bind
GEZIEN_BASE_URL = env_url(
    "GEZIEN_BASE_URL", env_str("GEZIEN_PUBLIC_URL") or f"http://{_served_on}:{env_int('PORT', 8000)}"
)

# Churn risk and department digests (issue 5, docs/insights-retention.md): evidence older than the window
# is ignored, and counts half after each half-life; the digest compares a week with this many before it.
GEZIEN_CHURN_WINDOW_DAYS = env_int("GEZIEN_CHURN_WINDOW_DAYS", 90)
GEZIEN_CHURN_HALF_LIFE_DAYS = env_int("GEZIEN_CHURN_HALF_LIFE_DAYS", 30)
GEZIEN_DIGEST_WEEKS = env_int("GEZIEN_DIGEST_WEEKS", 4)

# Root-cause board (issue 5, docs/insights-rootcause.md): what a contact costs (0 = not shown), and spikes.
GEZIEN_CONTACT_VALUE_EUR = env_int("GEZIEN_CONTACT_VALUE_EUR", 0)
GEZIEN_SPIKE_WEEKS = env_int("GEZIEN_SPIKE_WEEKS", 4)  # baseline: the same weekday-hours this many weeks back
GEZIEN_SPIKE_MIN_COUNT = env_int("GEZIEN_SPIKE_MIN_COUNT", 8)
GEZIEN_SPIKE_ALPHA_PER_MILLE = env_int("GEZIEN_SPIKE_ALPHA_PER_MILLE", 10)  # 10 = 0.01 after correction

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # /api/docs: Swagger UI from django-ninja's own static files (swagger-ui, Apache-2.0, the version
    # pinned by django-ninja's), not from a CDN, so the docs work offline.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "gezien.audit",
    "gezien.desksettings",
    "gezien.accounts",
    "gezien.notifications",
    "gezien.customers",
    "gezien.contacts",
    "gezien.assist",
    "gezien.knowledge",
    "gezien.replies",
    "gezien.mail",
    "gezien.webforms",
    "gezien.chat",
    "gezien.phone",
    "gezien.routing",
    "gezien.insights",
    "gezien.insights.surveys",
    "gezien.insights.sla",
    "gezien.insights.resolution",
    "gezien.insights.rootcause",
    "gezien.insights.retention",
    "gezien.presence",
    "gezien.planning",
    "gezien.wellbeing",
    "gezien.practice",
    "gezien.coaching",
    "gezien.webhooks",
    "gezien.privacy",
    "gezien.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gezien.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gezien.web.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gezien.web.middleware.SignInMiddleware",
    "gezien.presence.middleware.LastSeenMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gezien.web.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "gezien.config.urls"
WSGI_APPLICATION = "gezien.config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "gezien.web.context.desk",
            ],
        },
    }
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=env_int("GEZIEN_CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
else:
    private_folder(DATA_DIR)  # 0700 when made here; the database in it is 0600 (core.sqlite)
    DATABASES = {
        "default": {
            # Django's SQLite backend, with this process's writers queued on a lock of their own rather
            # than in SQLite's busy handler, which sleeps up to 100 ms a turn (decision 0011).
            "ENGINE": "gezien.core.sqlite",
            "NAME": env_str("GEZIEN_SQLITE_PATH", str(DATA_DIR / "gezien.sqlite3")),
            # Django's default for SQLite, said here: pytest-django only knows Django's own engine name.
            "TEST": {"NAME": ":memory:"},
            # Keep each thread's connection: opening one and running the PRAGMAs cost ~1 ms a request.
            "CONN_MAX_AGE": env_int("GEZIEN_CONN_MAX_AGE", 600),
            "OPTIONS": {
                # WAL lets the desk read while a write is in flight; IMMEDIATE avoids
                # "database is locked" upgrades from read to write inside a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000; PRAGMA cache_size=-20000;"
                    # Deleted and overwritten content is zeroed in the file, so an erased customer's
                    # words are not left in free pages (docs/privacy.md).
                    "PRAGMA secure_delete=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (mail and webhook deliveries, survey mails, catch-ups): in the database by default
# (django-tasks-db, run by `gezien worker`), or on Redis with RQ when GEZIEN_TASKS_URL names one
# ("redis://host:6379/2", needs the `redis` extra): several workers on several machines then take tasks
# from one queue, and `gezien worker` runs an RQ worker. Either way a task enqueued in a transaction
# runs only after it commits (gezien.core.tasks_rq). GEZIEN_TASKS_BACKEND names another backend class.
GEZIEN_TASKS_URL = env_str("GEZIEN_TASKS_URL", "")
_RQ_BACKEND = "gezien.core.tasks_rq.OnCommitRQBackend"
if GEZIEN_TASKS_URL and not GEZIEN_TASKS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ConfigError(f"GEZIEN_TASKS_URL={GEZIEN_TASKS_URL!r} is not a Redis address (redis://host:6379/2)")
GEZIEN_TASKS_BACKEND = env_str(
    "GEZIEN_TASKS_BACKEND", _RQ_BACKEND if GEZIEN_TASKS_URL else "django_tasks_db.DatabaseBackend"
)
if GEZIEN_TASKS_BACKEND == _RQ_BACKEND:
    if not GEZIEN_TASKS_URL:
        raise ConfigError(f"GEZIEN_TASKS_BACKEND={_RQ_BACKEND} needs GEZIEN_TASKS_URL=redis://host:6379/2")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": GEZIEN_TASKS_URL, "DEFAULT_TIMEOUT": 600}}
TASKS = {"default": {"BACKEND": GEZIEN_TASKS_BACKEND}}

# Live events (gezien.core.live, decision 0012) across server processes: "" (one process: in-process),
# "redis://host:6379/0" (Redis pub/sub) or "postgres" (LISTEN/NOTIFY on the database). `gezien serve`
# with GEZIEN_WORKERS > 1 picks "postgres" on PostgreSQL when this is unset, and refuses on SQLite.
GEZIEN_LIVE_URL = env_str("GEZIEN_LIVE_URL", "")

# The telephone system (issue 18, docs/phone.md): the adapter click-to-call and warm transfer go through
# ("asterisk", "webhook"; unset: "asterisk" when GEZIEN_CTI_AMI is set, else none), Asterisk's manager
# interface (tcp://user:secret@host:5038, or tls://...:5039) and the dialplan context its Originate and
# Atxfer dial in; the example webhook provider's command URL (phone/adapters/webhook.py).
GEZIEN_CTI_ADAPTER = env_str("GEZIEN_CTI_ADAPTER", "")
GEZIEN_CTI_AMI = env_str("GEZIEN_CTI_AMI", "")
GEZIEN_CTI_AMI_CONTEXT = env_str("GEZIEN_CTI_AMI_CONTEXT", "from-internal")
GEZIEN_CTI_WEBHOOK_URL = env_str("GEZIEN_CTI_WEBHOOK_URL", "")

# What processes remember briefly (who has a contact open, the chat's and the contact form's rate limits,
# the desk's choice lists): in this process by default; with several server processes or machines they
# must share it, so name a Redis here ("redis://host:6379/1", needs the `redis` extra).
GEZIEN_CACHE_URL = env_str("GEZIEN_CACHE_URL", "")
if GEZIEN_CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": GEZIEN_CACHE_URL}
    }

# What a transaction changed in contacts is handled after it commits, off the request (contacts.outbox:
# every new message's analysis and every listener). On the embedded SQLite default the serving process
# does it on a thread of its own (no worker to run); on PostgreSQL `gezien worker` does.
GEZIEN_ANALYSIS_INLINE = env_bool("GEZIEN_ANALYSIS_INLINE", not _database_url)
# /health (web.health): 503 with the reasons when the database refuses a write, when work waits longer
# than GEZIEN_HEALTH_BACKLOG_MINUTES (the outbox, and the task queue where workers run), when less than
# GEZIEN_HEALTH_MIN_FREE_MB is free under GEZIEN_DATA_DIR, or, where `gezien worker` does the background
# work (GEZIEN_HEALTH_WORKER; by default when the outbox is not drained inline), when no worker beat for
# GEZIEN_HEALTH_WORKER_MINUTES (the admins get a "worker" notification, once).
GEZIEN_HEALTH_BACKLOG_MINUTES = env_int("GEZIEN_HEALTH_BACKLOG_MINUTES", 10)
GEZIEN_HEALTH_MIN_FREE_MB = env_int("GEZIEN_HEALTH_MIN_FREE_MB", 200)
GEZIEN_HEALTH_WORKER = env_bool("GEZIEN_HEALTH_WORKER", not GEZIEN_ANALYSIS_INLINE)
GEZIEN_HEALTH_WORKER_MINUTES = env_int("GEZIEN_HEALTH_WORKER_MINUTES", 5)
# A drain holds the outbox rows it handles this long; rows of a drain that stopped halfway are handled
# again after it (every listener is idempotent). Longer than the slowest batch (the learned layer).
GEZIEN_OUTBOX_LEASE_SECONDS = env_int("GEZIEN_OUTBOX_LEASE_SECONDS", 60)
# The learned layer costs ~25 ms a message: too much for the request that stores the message, so inline
# analysis uses the rules alone unless asked; a worker uses the learned layer when it is installed.
# auto: when installed; on: required (unanalysed, with the install hint in the log, when missing); off: rules.
GEZIEN_ANALYSIS_MODEL = env_choice(
    "GEZIEN_ANALYSIS_MODEL", ("auto", "on", "off"), "off" if GEZIEN_ANALYSIS_INLINE else "auto"
)
# Heads refitted by `gezien analysis train`; the learned layer loads them from here when present.
GEZIEN_MODEL_DIR = Path(env_str("GEZIEN_MODEL_DIR", str(DATA_DIR / "heads"))).resolve()
# An organisation's own lexicon folders (':'-separated), on top of the shipped ones (docs/analysis.md).
GEZIEN_LEXICON_DIRS = env_paths("GEZIEN_LEXICON_DIRS")
# Our own products and plans (','-separated): a customer switching to one of them, or to
# GEZIEN_ORGANISATION_NAME, is changing plans or coming to us, not leaving (docs/analysis.md). The default
# is the demo organisation's range.
GEZIEN_OWN_PRODUCTS = env_list(
    "GEZIEN_OWN_PRODUCTS",
    [
        "Internet Start",
        "Internet Plus",
        "Internet Max",
        "Alles-in-1 Basis",
        "Alles-in-1 Plus",
        "Sim Only 10 GB",
        "Sim Only Onbeperkt",
    ],
)
# Words the kennisbank's suggestions never match on (','-separated), besides the organisation's own name
# and products, which every message may mention (docs/knowledge.md).
GEZIEN_KNOWLEDGE_STOP_WORDS = env_list("GEZIEN_KNOWLEDGE_STOP_WORDS", [])
GEZIEN_KB_REVIEW_DAYS = env_int("GEZIEN_KB_REVIEW_DAYS", 180)  # kennisbank: flag articles not reviewed since

AUTH_USER_MODEL = "accounts.User"
# The password policy (docs/security.md "Sign-in"): at least GEZIEN_PASSWORD_MIN_LENGTH characters, and
# GEZIEN_PASSWORD_MIN_LENGTH_STAFF for team leads, managers, administrators and anyone who may open the
# admin site; not a common password, not all digits, not like the person's own name or username.
GEZIEN_PASSWORD_MIN_LENGTH = env_int("GEZIEN_PASSWORD_MIN_LENGTH", 10)
GEZIEN_PASSWORD_MIN_LENGTH_STAFF = env_int("GEZIEN_PASSWORD_MIN_LENGTH_STAFF", 12)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "gezien.accounts.passwords.RoleMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in (docs/security.md "Sign-in"): after GEZIEN_LOGIN_MAX_FAILURES failed attempts for one account,
# or from one client address, within GEZIEN_LOGIN_WINDOW_MINUTES, further attempts are refused without
# checking the password until the window ends or an administrator unlocks (`gezien unlock USER`). The
# counters live in the cache: name a shared one (GEZIEN_CACHE_URL) when several processes serve.
GEZIEN_LOGIN_MAX_FAILURES = env_int("GEZIEN_LOGIN_MAX_FAILURES", 10)
GEZIEN_LOGIN_WINDOW_MINUTES = env_int("GEZIEN_LOGIN_WINDOW_MINUTES", 15)
# Password-reset mails: at most this many an hour per account and per client address (more requests get the
# same neutral page and no mail). Passkeys (WebAuthn) take their relying party from GEZIEN_BASE_URL: its host
# is the rp id, its scheme://host[:port] the only origin accepted.
GEZIEN_RESET_MAIL_MAX_PER_HOUR = env_int("GEZIEN_RESET_MAIL_MAX_PER_HOUR", 5)
# Two-factor sign-in (TOTP with recovery codes): required of people with these roles (','-separated;
# "none": of nobody), who are sent to set it up before anything else. Anyone may set it up.
_2fa_roles = env_str("GEZIEN_2FA_REQUIRED_ROLES", "manager,admin").strip()
GEZIEN_2FA_REQUIRED_ROLES = [
    role.strip() for role in _2fa_roles.split(",") if role.strip() and _2fa_roles.lower() != "none"
]
if set(GEZIEN_2FA_REQUIRED_ROLES) - {"agent", "teamlead", "manager", "admin", "department"}:
    raise ConfigError(
        f"GEZIEN_2FA_REQUIRED_ROLES={_2fa_roles!r}: "
        "the roles are agent, teamlead, manager, admin and department (or none)"
    )
GEZIEN_2FA_ISSUER = env_str("GEZIEN_2FA_ISSUER", "Gezien")  # the name authenticator apps show
# A signed-in session ends after this many minutes without a request of the person's own (the desk's
# automatic refreshes and live event streams do not count); 0: never.
GEZIEN_SESSION_IDLE_MINUTES = env_int("GEZIEN_SESSION_IDLE_MINUTES", 30)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # the landing page by role (web.navigation.landing)
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("GEZIEN_TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True
PHONE_DEFAULT_REGION = env_str("GEZIEN_PHONE_REGION", "NL")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# GEZIEN_HTTPS=1: the desk is reached over HTTPS only (behind a TLS reverse proxy that sets
# X-Forwarded-Proto, deploy/): secure cookies, HSTS (GEZIEN_HSTS_SECONDS, a year by default, with
# subdomains and preload unless GEZIEN_HSTS_SUBDOMAINS / GEZIEN_HSTS_PRELOAD say 0), plain-HTTP requests
# redirected (except /health, which a load balancer asks on the inside), and the proxy's header trusted
# for the scheme. `python -m gezien.manage check --deploy` is clean in this mode (docs/security.md).
GEZIEN_HTTPS = env_bool("GEZIEN_HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("GEZIEN_SECURE_COOKIES", GEZIEN_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if GEZIEN_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/?$"]
    SECURE_HSTS_SECONDS = env_int("GEZIEN_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GEZIEN_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("GEZIEN_HSTS_PRELOAD", True)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("GEZIEN_MAX_REQUEST_BYTES", 2 * 1024 * 1024)

EMAIL_BACKEND = env_str("GEZIEN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("GEZIEN_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("GEZIEN_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("GEZIEN_FROM_EMAIL", "klantenservice@localhost")
# With GEZIEN_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (what `make demo` uses) mails
# are written as files here instead of sent.
EMAIL_FILE_PATH = env_str("GEZIEN_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
# IMAP intake (`gezien mail fetch`, `gezien worker`): a server without IDLE is asked every this many
# seconds; a mailbox whose server fails is tried again after 5 s, doubling up to the maximum. A CA bundle
# to trust besides the system's (a self-signed server certificate on the local network).
GEZIEN_MAIL_POLL_SECONDS = env_int("GEZIEN_MAIL_POLL_SECONDS", 60)
GEZIEN_MAIL_RETRY_MAX_SECONDS = env_int("GEZIEN_MAIL_RETRY_MAX_SECONDS", 300)
GEZIEN_MAIL_CA_FILE = env_str("GEZIEN_MAIL_CA_FILE", "")

# Replies that leave by e-mail (issue 14, gezien.mail.outgoing): the mailbox used when neither the
# contact's last mail nor its team names one (a mailbox name; unset: the oldest active mailbox), how often
# a temporary failure is tried again (minutes after each failed attempt; the last repeats), and how many
# attempts in all before the delivery fails and the agent is told.
GEZIEN_MAIL_DEFAULT_MAILBOX = env_str("GEZIEN_MAIL_DEFAULT_MAILBOX", "")
GEZIEN_MAIL_RETRY_MINUTES = env_str("GEZIEN_MAIL_RETRY_MINUTES", "1,5,15,60")
GEZIEN_MAIL_MAX_ATTEMPTS = env_int("GEZIEN_MAIL_MAX_ATTEMPTS", 5)
GEZIEN_MAIL_SMTP_TIMEOUT = env_int("GEZIEN_MAIL_SMTP_TIMEOUT", 30)
# A worker sending a mail holds it this long; a mail whose worker stopped mid-send is sent again by the
# periodic job after it. Longer than any one attempt (the SMTP timeout, a large attachment).
GEZIEN_MAIL_LEASE_SECONDS = env_int("GEZIEN_MAIL_LEASE_SECONDS", 600)

# The public contact form (issue 15, gezien.webforms, /contact/ and /contact/embed/): at most this many
# posts an hour from one client address, this many characters a message and this many files a post (each
# within GEZIEN_ATTACHMENT_MAX_BYTES); the mailbox its confirmations leave from (a mailbox name; unset: the
# one a reply would use); and the websites that may show /contact/embed/ in a frame (origins separated by
# spaces, e.g. "https://www.voorbeeld.nl https://shop.voorbeeld.nl"; unset: only the desk's own pages).
GEZIEN_WEBFORM_MAX_PER_HOUR = env_int("GEZIEN_WEBFORM_MAX_PER_HOUR", 10)
GEZIEN_WEBFORM_MAX_CHARS = env_int("GEZIEN_WEBFORM_MAX_CHARS", 20_000)
GEZIEN_WEBFORM_MAX_FILES = env_int("GEZIEN_WEBFORM_MAX_FILES", 5)
GEZIEN_WEBFORM_MAILBOX = env_str("GEZIEN_WEBFORM_MAILBOX", "")
GEZIEN_WEBFORM_FRAME_ANCESTORS = env_str("GEZIEN_WEBFORM_FRAME_ANCESTORS", "")

# Webhooks (issue 15, gezien.webhooks, docs/webhooks.md): how long a receiver may take to answer, the wait
# after the first failed attempt (doubling after each next one, up to the maximum), and how many attempts
# in all before a delivery fails (the defaults try for about four hours).
GEZIEN_WEBHOOK_TIMEOUT_SECONDS = env_int("GEZIEN_WEBHOOK_TIMEOUT_SECONDS", 10)
GEZIEN_WEBHOOK_RETRY_SECONDS = env_int("GEZIEN_WEBHOOK_RETRY_SECONDS", 30)
GEZIEN_WEBHOOK_RETRY_MAX_SECONDS = env_int("GEZIEN_WEBHOOK_RETRY_MAX_SECONDS", 3600)
GEZIEN_WEBHOOK_MAX_ATTEMPTS = env_int("GEZIEN_WEBHOOK_MAX_ATTEMPTS", 10)

# Attachments on every channel (issue 14, contacts.attachments): at most this many bytes a file (25 MB),
# kept through Django's storage API: files under GEZIEN_DATA_DIR/files by default (GEZIEN_FILES_DIR), or an
# S3-compatible bucket with GEZIEN_STORAGE=s3 (the optional extra `pip install gezien[s3]`): GEZIEN_S3_BUCKET,
# GEZIEN_S3_ENDPOINT_URL (MinIO, Ceph, Garage, a cloud's S3; unset: AWS), GEZIEN_S3_REGION, GEZIEN_S3_PREFIX,
# GEZIEN_S3_ACCESS_KEY_ID and GEZIEN_S3_SECRET_ACCESS_KEY (unset: boto3's own AWS_* variables or role).
GEZIEN_ATTACHMENT_MAX_BYTES = env_int("GEZIEN_ATTACHMENT_MAX_BYTES", 25_000_000)
GEZIEN_STORAGE = env_choice("GEZIEN_STORAGE", ("files", "s3"), "files")
GEZIEN_FILES_DIR = Path(env_str("GEZIEN_FILES_DIR", str(DATA_DIR / "files"))).resolve()
FILE_UPLOAD_PERMISSIONS = 0o600  # kept attachments: the owner's only, like the database (core.files)
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
if GEZIEN_STORAGE == "s3":
    if not env_str("GEZIEN_S3_BUCKET"):
        raise ConfigError("GEZIEN_STORAGE=s3 needs GEZIEN_S3_BUCKET (the bucket the attachments go in)")
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("GEZIEN_S3_BUCKET"),
            "endpoint_url": env_str("GEZIEN_S3_ENDPOINT_URL") or None,
            "region_name": env_str("GEZIEN_S3_REGION") or None,
            "access_key": env_str("GEZIEN_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("GEZIEN_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("GEZIEN_S3_PREFIX").strip("/"),
            "file_overwrite": False,
            "default_acl": None,  # the bucket's own (private): files are only ever served through the desk
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(GEZIEN_FILES_DIR),
            "base_url": None,  # never served from a public address: only by the desk's download views
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Privacy (issue 17, gezien.privacy, docs/privacy.md): how many managers an erasure needs (1: the one who
# asks; 2: a second manager approves the request), after how many days closed contacts are anonymised by
# the tick (0: never, the default: the organisation decides its own period), and whether IBANs, card
# numbers and BSNs are masked in customers' messages before they are stored (always masked in the desk).
GEZIEN_ERASE_APPROVERS = env_int("GEZIEN_ERASE_APPROVERS", 1)
if GEZIEN_ERASE_APPROVERS not in (1, 2):
    raise ConfigError("GEZIEN_ERASE_APPROVERS is 1 or 2")
GEZIEN_RETENTION_DAYS = env_int("GEZIEN_RETENTION_DAYS", 0)
if GEZIEN_RETENTION_DAYS < 0:
    raise ConfigError("GEZIEN_RETENTION_DAYS is 0 (off) or a number of days")
GEZIEN_REDACT_AT_INTAKE = env_bool("GEZIEN_REDACT_AT_INTAKE", False)
# Call recordings (issue 18, phone.recordings, docs/phone.md): at most this many megabytes a file; removed
# with their analysis this many days after they were stored (0: kept until the contact's own retention).
GEZIEN_RECORDING_MAX_MB = env_int("GEZIEN_RECORDING_MAX_MB", 200)
GEZIEN_RECORDING_RETENTION_DAYS = env_int("GEZIEN_RECORDING_RETENTION_DAYS", 90)
if GEZIEN_RECORDING_MAX_MB < 1 or GEZIEN_RECORDING_RETENTION_DAYS < 0:
    raise ConfigError(
        "GEZIEN_RECORDING_MAX_MB is at least 1; GEZIEN_RECORDING_RETENTION_DAYS 0 (off) or days"
    )
# Mail intake (docs/mail.md): a mail without threading headers or a [#1234] token joins the sender's contact
# with the same subject from the last N days; a reply to a contact closed less than N days ago reopens it,
# a later one opens a new contact in the same kwestie.
GEZIEN_MAIL_THREAD_DAYS = env_int("GEZIEN_MAIL_THREAD_DAYS", 14)
GEZIEN_MAIL_REOPEN_DAYS = env_int("GEZIEN_MAIL_REOPEN_DAYS", 14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GEZIEN_LOG_LEVEL", "WARNING")},
}
