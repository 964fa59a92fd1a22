"""Shared fixtures: people with roles, customers, API clients with real tokens."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.services import agent_create, team_ensure
from gezien.accounts.tokens import token_create
from gezien.contacts.models import ContactReason
from gezien.customers.models import Customer
from gezien.customers.services import customer_create

# The rows data migrations seed, by app label: (migration module, its forward function).
SEEDED_BY_MIGRATIONS = {
    "sla": ("gezien.insights.sla.migrations.0002_default_policies", "create"),
    "routing": ("gezien.routing.migrations.0002_seed_skills", "seed"),
    "planning": ("gezien.planning.migrations.0002_default_targets", "add_defaults"),
}
_SEEDS = {
    label: getattr(importlib.import_module(module), function)
    for label, (module, function) in SEEDED_BY_MIGRATIONS.items()
}


def _seed_again(sender: Any, apps: Any = None, **_: Any) -> None:
    """A flush (after every transactional test, and after the demo tests) empties what the data
    migrations seeded, and sends post_migrate as migrate does: seed it again there (get_or_create), so that
    every test starts from a migrated database whichever test ran before it on its worker (with xdist a
    worker runs whole files in its own order; serially pytest-django ran the transactional tests last)."""
    seed = _SEEDS.get(sender.label)
    if seed is not None:
        seed(apps or global_apps, None)  # flush sends no `apps`: the models as they are now


post_migrate.connect(_seed_again, dispatch_uid="tests_seed_again_after_flush")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test-fast` leaves out the slow and browser tests and must never load the demo organisation:
    a test that asks for it (the `demo` fixture) without either marker is refused before the run.

    On PostgreSQL the tests that never reach it are left to the SQLite run (see `_sqlite_run_only`)."""
    for item in items:
        uses_demo = "demo" in getattr(item, "fixturenames", ())
        if uses_demo and not (item.get_closest_marker("slow") or item.get_closest_marker("browser")):
            raise pytest.UsageError(f"{item.nodeid} loads the demo organisation: mark it slow")
    if not _on_postgres():
        return
    left = [item for item in items if _sqlite_run_only(item)]
    if left:
        items[:] = [item for item in items if not _sqlite_run_only(item)]
        config.hook.pytest_deselected(items=left)
    config.stash[_LEFT_TO_SQLITE] = len(left)
    if hasattr(config, "workeroutput"):  # an xdist worker: its controller prints the line
        config.workeroutput["left_to_sqlite"] = len(left)


_LEFT_TO_SQLITE = pytest.StashKey[int]()
# The fixtures through which a test reaches the test database (each asks for django_db_setup).
_DATABASE_FIXTURE = "django_db_setup"


def _on_postgres() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _sqlite_run_only(item: pytest.Item) -> bool:
    """A test that never reaches PostgreSQL runs the same in both of CI's runs: on PostgreSQL it is left
    to the SQLite run. It reaches it through the Django test database (a `db`-like fixture or the
    django_db marker) or, marked `postgres_too`, through a server, command or database of its own made
    from DATABASE_URL. A `live_desk` server always runs on its own SQLite database (base_env drops
    DATABASE_URL), so its tests belong to the SQLite run whatever else they ask for."""
    if item.get_closest_marker("postgres_too"):
        return False
    fixtures = getattr(item, "fixturenames", ())
    if "live_desk" in fixtures:
        return True
    return _DATABASE_FIXTURE not in fixtures and item.get_closest_marker("django_db") is None


def pytest_testnodedown(node: Any, error: Any) -> None:
    """The xdist controller: keep what a worker left to the SQLite run (every worker collects the same)."""
    left = getattr(node, "workeroutput", {}).get("left_to_sqlite")
    if left is not None:
        node.config.stash[_LEFT_TO_SQLITE] = left


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    left = config.stash.get(_LEFT_TO_SQLITE, 0)
    if left:
        terminalreporter.write_line(
            f"PostgreSQL run: {left} tests left to the SQLite run: they never reach PostgreSQL (no Django "
            "test database, no `postgres_too` mark) and run the same there (tests/conftest.py)"
        )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The end of the run (the xdist controller's, or the only process's): drop the demo's template
    database on PostgreSQL (tests/demo_database.py); the workers may still need it until then."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    from pytest_django.plugin import blocking_manager_key

    from tests.demo_database import drop_template

    with session.config.stash[blocking_manager_key].unblock():
        drop_template(session.config._tmp_path_factory.getbasetemp())  # type: ignore[attr-defined]


@pytest.fixture
def team(db: None) -> Any:
    return team_ensure(name="Team Noord")


@pytest.fixture
def make_user(db: None, team: Any) -> Callable[..., User]:
    def make(username: str = "sanne", role: str = "agent", **kwargs: Any) -> User:
        return agent_create(
            username=username,
            password="geheim-wachtwoord-1",
            role=role,
            first_name=kwargs.pop("first_name", username.title()),
            last_name=kwargs.pop("last_name", "de Vries"),
            team=kwargs.pop("team", team),
        )

    return make


@pytest.fixture
def agent(make_user: Callable[..., User]) -> User:
    return make_user("sanne", "agent", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def desk(client: Client, agent: User) -> Client:
    """A browser-like client logged in as an agent."""
    client.force_login(agent)
    return client


@pytest.fixture
def customer(db: None) -> Customer:
    return customer_create(
        first_name="Annie",
        last_name="Jansen",
        identities=[("phone", "06-12345678"), ("email", "A.Jansen@Ziggo.nl"), ("address", "1234 AB|12|")],
    )


@pytest.fixture
def outgoing_mailbox(db: None, tmp_path: Any) -> Any:
    """A mailbox agents' e-mail replies leave from, written as files into a folder of the test's own
    (`file://`): for tests that answer on e-mail contacts (a reply that cannot leave is refused)."""
    from gezien.mail.models import Mailbox

    return Mailbox.objects.create(
        name="klantenservice", address="klantenservice@gezien.example", smtp_url=f"file://{tmp_path}/uit"
    )


@pytest.fixture
def reason(db: None) -> ContactReason:
    return ContactReason.objects.create(code="levering", name="Levering")


class ApiClient:
    """JSON in, JSON out, with a real bearer token; the answer keeps status and parsed body."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: Any = None, raw: str | bytes | None = None) -> Any:
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs: dict[str, Any] = {"content_type": "application/json", **self.headers}
        if data is not None:
            kwargs["data"] = data
        response = getattr(self.client, method)(path, **kwargs)
        response.json_body = (
            response.json()
            if response.content and response["Content-Type"].startswith("application/json")
            else None
        )
        return response

    def get(self, path: str) -> Any:
        return self.call("get", path)

    def post(self, path: str, body: Any = None, raw: str | bytes | None = None) -> Any:
        return self.call("post", path, body, raw)

    def patch(self, path: str, body: Any) -> Any:
        return self.call("patch", path, body)

    def delete(self, path: str) -> Any:
        return self.call("delete", path)


@pytest.fixture
def api(agent: User) -> ApiClient:
    _record, token = token_create(user=agent, name="test")
    return ApiClient(token)


@pytest.fixture
def api_as(make_user: Callable[..., User]) -> Callable[[str], ApiClient]:
    def make(role: str) -> ApiClient:
        user = make_user(f"user-{role}", role)
        return ApiClient(token_create(user=user)[1])

    return make


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    """Tests make people by the dozen, and the production hasher's slowness is not what they test. It
    stays listed after MD5, so a password hashed with it before (the demo's, the CLI's) still checks."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _no_second_factor_required(settings: Any) -> None:
    """Tests sign people in with `force_login` and the form without an authenticator app: no role needs
    two-factor sign-in here. tests/accounts/test_two_factor.py turns the requirement on (the default)."""
    settings.GEZIEN_2FA_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _token_revocation_asked_at_first_use_only(settings: Any) -> None:
    """A remembered API token is asked again every quarter second whether it was revoked (one query): on
    a slow run that lands inside a test's count of queries per request. In-process the revoking request
    drops it at once anyway; the two-process test of the quarter second runs real servers."""
    settings.GEZIEN_TOKEN_RECHECK_SECONDS = 3600


@pytest.fixture(autouse=True)
def _rules_only_analysis(settings: Any) -> None:
    """Messages are analysed by the rules alone in tests, on every database: loading the learned layer
    takes seconds, and its scores are not what these tests are about."""
    settings.GEZIEN_ANALYSIS_MODEL = "off"


@pytest.fixture(autouse=True)
def _outbox_after_each_commit(settings: Any) -> None:
    """Nothing runs beside a test to drain the outbox: it is handled right after each commit, in the
    test's own thread, on every database (as `gezien demo-data` does on SQLite). Tests of the worker
    set GEZIEN_ANALYSIS_INLINE = False and drain with `outbox_drain()`."""
    settings.GEZIEN_ANALYSIS_INLINE = True


class FakeAnalyzer:
    """Stands in for gezien.analysis.Analyzer where a test needs to know exactly what is found: a few
    words raise an emotion (with their evidence span), "opzeggen" raises churn, "overleden" bereavement."""

    layers = ("rules",)
    version = "fake-1"
    WORDS = (
        ("boos", "anger", 0.9),
        ("teleurgesteld", "disappointment", 0.7),
        ("bedankt", "appreciation", 0.8),
        ("jammer", "disappointment", 0.3),
    )

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], str]] = []
        self.fail = False

    def analyze_many(self, texts: Any, lang: Any = None, role: str = "customer") -> list[Any]:
        texts = list(texts)
        self.calls.append((texts, role))
        if self.fail:
            raise RuntimeError("the analyser broke")
        return [self._one(text, role) for text in texts]

    def _one(self, text: str, role: Any) -> Any:
        from gezien.analysis.result import EMOTIONS, Analysis, Evidence

        emotions = dict.fromkeys(EMOTIONS, 0.0)
        evidence = []
        lower = text.lower()
        for word, signal, score in self.WORDS:
            at = lower.find(word)
            if at >= 0:
                emotions[signal] = max(emotions[signal], score)
                evidence.append(
                    Evidence(signal, at, at + len(word), text[at : at + len(word)], f"nl/emotions:{word}")
                )
        negative = emotions["anger"] + emotions["disappointment"]
        return Analysis(
            text=text,
            lang="nl",
            role=role,
            register="formal" if " u " in f" {lower} " else "unknown",
            emotions=emotions,
            sentiment=max(-1.0, min(1.0, emotions["appreciation"] - negative)),
            abuse=0.0,
            life_events=frozenset({"bereavement"} if "overleden" in lower else set()),
            churn=0.8 if "opzeggen" in lower else 0.0,
            repeat=0.0,
            acts=frozenset(),
            evidence=evidence,
        )


@pytest.fixture
def fake_analyser(monkeypatch: pytest.MonkeyPatch) -> FakeAnalyzer:
    from gezien.contacts import analysing

    fake = FakeAnalyzer()
    monkeypatch.setattr(analysing, "analyser", lambda mode=None: fake)
    return fake


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """The desk caches small reads (the reason tree, known problems); tests must not see each other's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _desk_settings_none_saved(settings: Any) -> Any:
    """The desk's saved settings are kept per process (desksettings.store), as in a server that has read
    them once. Every test starts on a database without any (rolled back or flushed after each test), so the
    store starts as having read none: a test counting queries per request counts no first read, nor a read
    again after GEZIEN_SETTINGS_CACHE_SECONDS on a slow run. A save (or any change of a row) forgets them."""
    import time

    from gezien.desksettings import store

    settings.GEZIEN_SETTINGS_CACHE_SECONDS = 3600
    store._kept.clear()
    store._state["loaded"] = time.monotonic()
    yield
    store.desk_settings_forget()


@pytest.fixture(autouse=True)
def _no_connection_left_on_the_async_thread() -> Any:
    """`sync_to_async` outside `async_to_sync` runs on one thread that outlives the test, and so does that
    thread's database connection. On PostgreSQL a later module that restores the demo drops this worker's
    database WITH (FORCE), which kills that connection, and the next async test to use it failed with
    "terminating connection due to administrator command". Close it after every test."""
    from asgiref.sync import SyncToAsync
    from django.db import connections

    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=30)


@pytest.fixture(autouse=True)
def _no_dead_connection_carried_in() -> None:
    """On PostgreSQL a test may drop and make again the worker's database under the test process's own
    connection (a demo copied in, `gezien restore`, a server made on it): that connection is then dead,
    and every later test on the worker failed at its first query ("the connection is lost"). A connection
    that no longer answers is closed before the test, so the test opens a fresh one (as Django does at
    the start of a request)."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.in_atomic_block and not conn.is_usable():
            conn.close()


def clock_from(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> datetime:
    """Let the desk's clock (`django.utils.timezone.now`) run on from `moment` for the rest of a test: a
    test that says "today", "this week" or "an hour ago" then means the same at whatever hour it runs."""
    real = timezone.now
    started = real()
    monkeypatch.setattr(timezone, "now", lambda: moment + (real() - started))
    return moment


def _files_in(location: Any) -> dict[str, Any]:
    return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}


@pytest.fixture(scope="session", autouse=True)
def _attachments_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Attachments the tests store (contacts.attachments) go to a folder of the run's own, never to the
    checkout's var/files (a test that commits keeps its files)."""
    from django.conf import settings
    from django.test.utils import override_settings

    location = tmp_path_factory.mktemp("files")
    override = override_settings(STORAGES={**settings.STORAGES, "default": _files_in(location)})
    override.enable()  # its setting_changed signal makes the storages anew
    yield location
    override.disable()


@pytest.fixture
def attachment_files(settings: Any, tmp_path: Any) -> Any:
    """The attachments' storage in a folder of this test's own, to look at what was written."""
    location = tmp_path / "files"
    location.mkdir()
    settings.STORAGES = {**settings.STORAGES, "default": _files_in(location)}
    return location


# --------------------------------------------------------------------------- a real `gezien serve`


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A SQLite database migrated once per run (per xdist worker), copied for every real server."""
    from tests.gezien_server import migrated_sqlite

    return migrated_sqlite(tmp_path_factory.mktemp("gezien-template"))


@pytest.fixture
def live_desk(tmp_path: Any, migrated_sqlite_template: Any) -> Any:
    """A started `gezien serve` (ASGI, one process, the in-process live bus) on a free 127.0.0.1 port
    with a fresh migrated SQLite database: tests/gezien_server.py (`url()`, `gezien(...)` for CLI
    commands on its database, `login()`, `restart()`)."""
    from tests.gezien_server import GezienServer, base_env, sqlite_data_dir

    data_dir = sqlite_data_dir(migrated_sqlite_template, tmp_path / "live-desk")
    server = GezienServer(base_env(data_dir), log_path=tmp_path / "live-desk.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A throw-away redis-server on loopback for this run (per xdist worker: no events cross runs);
    skipped where redis-server is missing, unless GEZIEN_REQUIRE_REDIS is set (CI)."""
    from tests.gezien_server import redis_available, redis_server

    if not redis_available():
        if os.environ.get("GEZIEN_REQUIRE_REDIS"):
            pytest.fail("redis-server is missing (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def gezien_servers(tmp_path: Any, migrated_sqlite_template: Any) -> Any:
    """A factory: `gezien_servers(count, database="sqlite"|"postgres", live_url="", cache_url="", env={})`
    starts `count` `gezien serve` processes sharing one database (SQLite file, or a fresh PostgreSQL
    database on the server of DATABASE_URL), the live transport `live_url`, the cache `cache_url` and
    further settings `env`; all are stopped afterwards."""
    from contextlib import ExitStack

    from tests.gezien_server import GezienServer, base_env, gezien_command, postgres_database, sqlite_data_dir

    started: list[Any] = []
    stack = ExitStack()

    def start(
        count: int = 2,
        *,
        database: str = "sqlite",
        live_url: str = "",
        cache_url: str = "",
        env: dict[str, str] | None = None,
    ) -> list[Any]:
        settings_env = dict(env or {})
        data_dir = tmp_path / f"servers-{len(started)}"
        if database == "postgres":
            if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
                pytest.skip("needs PostgreSQL (DATABASE_URL)")
            data_dir.mkdir()
            env = base_env(data_dir, DATABASE_URL=stack.enter_context(postgres_database()), **settings_env)
            gezien_command(env, "migrate", "--quiet")
        else:
            env = base_env(sqlite_data_dir(migrated_sqlite_template, data_dir), **settings_env)
        if live_url:
            env["GEZIEN_LIVE_URL"] = live_url
        if cache_url:
            env["GEZIEN_CACHE_URL"] = cache_url
        servers = [GezienServer(dict(env), log_path=data_dir / f"server-{i}.log") for i in range(count)]
        for server in servers:
            started.append(server)
            server.start()
        return servers

    try:
        yield start
    finally:
        for server in started:
            server.stop()
        stack.close()
