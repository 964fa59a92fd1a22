"""A real Dovecot IMAP server for the tests, on 127.0.0.1 with a throw-away configuration.

`dovecot` (session-scoped) writes a dovecot.conf in a temporary folder (plain IMAP with STARTTLS and IMAPS
on free ports, a self-signed certificate made here, users in a passwd-file, maildirs, its sockets, state
and log all under that folder) and runs `dovecot -F -c ...` until the session ends. Under root the mail
processes run as `nobody` (Dovecot never reads mail as root) and the login and internal processes as
Debian's `dovenull` and `dovecot` users; otherwise everything runs as the current user.
`imap_account` gives each test a fresh user with an empty mailbox. Without /usr/sbin/dovecot the tests
that use them are skipped (they fail instead with GEZIEN_REQUIRE_DOVECOT=1, as in CI).
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import itertools
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
_STARTUP_SECONDS = 15.0
_ACCOUNTS = 300
PASSWORD = "geheim-wachtwoord"  # every test account's
_users = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Account:
    """One IMAP user on the test server."""

    server: Dovecot
    user: str
    password: str

    def url(self, folder: str = "INBOX", *, scheme: str = "imap", password: str | None = None) -> str:
        port = self.server.imaps_port if scheme == "imaps" else self.server.port
        secret = quote(self.password if password is None else password, safe="")
        return f"{scheme}://{self.user}:{secret}@127.0.0.1:{port}/{quote(folder)}"

    @contextlib.contextmanager
    def client(self) -> Iterator[imaplib.IMAP4]:
        conn = imaplib.IMAP4("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.login(self.user, self.password)
            yield conn
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()

    def append(self, raw: bytes, folder: str = "INBOX") -> int:
        """Deliver a mail as a mail server would (APPEND); its UID."""
        with self.client() as conn:
            typ, data = conn.append(f'"{folder}"', None, None, raw)
            assert typ == "OK", data
            answer = data[0].decode() if isinstance(data[0], bytes) else str(data[0])
            return int(answer.split("APPENDUID", 1)[1].split()[1].rstrip("]"))

    def flags(self, uid: int, folder: str = "INBOX") -> set[str]:
        """The flags of one message (empty when it is no longer in the folder)."""
        with self.client() as conn:
            conn.select(f'"{folder}"', readonly=True)
            typ, data = conn.uid("FETCH", str(uid), "(FLAGS)")
            assert typ == "OK", data
            found = [item for item in data if isinstance(item, bytes) and b"FLAGS" in item]
            if not found:
                return set()
            inside = found[0].split(b"FLAGS (", 1)[1].split(b")", 1)[0]
            return set(inside.decode().split())

    def uids(self, folder: str = "INBOX") -> list[int]:
        with self.client() as conn:
            conn.select(f'"{folder}"', readonly=True)
            _typ, data = conn.uid("SEARCH", "ALL")
            return [int(word) for word in (data[0] or b"").split()]

    def create(self, folder: str) -> None:
        with self.client() as conn:
            typ, data = conn.create(f'"{folder}"')
            assert typ == "OK", data

    def delete(self, folder: str) -> None:
        with self.client() as conn:
            typ, data = conn.delete(f'"{folder}"')
            assert typ == "OK", data


class TokenServer:
    """A tiny OAuth 2 authorisation server on 127.0.0.1: `/token` answers the refresh-token grant for
    the clients registered with `client` (and the client-credentials grant, refresh token ""),
    `/tokeninfo?access_token=` tells Dovecot's oauth2 passdb whose an access token is (as Google's
    tokeninfo does)."""

    def __init__(self) -> None:
        self.clients: dict[tuple[str, str, str], str] = {}  # (client id, secret, refresh token) -> user
        self.access: dict[str, str] = {}  # access token -> user
        self.issued: list[str] = []
        self.expires_in = 3600
        self.rotate = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def answer(self, status: int, body: dict[str, object]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                user = server.access.get((query.get("access_token") or [""])[0])
                if urlsplit(self.path).path != "/tokeninfo" or user is None:
                    self.answer(401, {"error": "invalid_token"})
                else:
                    self.answer(200, {"username": user, "expires_in": 3600})

            def do_POST(self) -> None:
                form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
                field = {name: values[0] for name, values in form.items()}
                key = (
                    field.get("client_id", ""),
                    field.get("client_secret", ""),
                    field.get("refresh_token", ""),
                )
                user = server.clients.get(key)
                grant = "refresh_token" if key[2] else "client_credentials"
                if self.path != "/token" or field.get("grant_type") != grant or user is None:
                    self.answer(400, {"error": "invalid_grant"})
                    return
                token = f"toegang-{len(server.issued) + 1}-{secrets.token_hex(8)}"
                server.access[token] = user
                server.issued.append(token)
                body: dict[str, object] = {"access_token": token, "token_type": "Bearer"}
                body["expires_in"] = server.expires_in
                if server.rotate:
                    del server.clients[key]
                    rotated = secrets.token_hex(8)
                    server.clients[(key[0], key[1], rotated)] = user
                    body["refresh_token"] = rotated
                self.answer(200, body)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.http.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def client(self, user: str, *, refresh: bool = True) -> tuple[str, str, str]:
        """A registered client for `user`: (client id, client secret, refresh token or "")."""
        refresh_token = secrets.token_hex(8) if refresh else ""
        registered = (f"client-{secrets.token_hex(4)}", secrets.token_hex(8), refresh_token)
        self.clients[registered] = user
        return registered

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@dataclass
class Dovecot:
    root: Path
    port: int  # plain IMAP, STARTTLS offered
    imaps_port: int
    ca_file: str  # the self-signed certificate, to trust in an imaps test ("" when openssl is absent)
    tokens: TokenServer  # Dovecot asks it whose an XOAUTH2 access token is
    process: subprocess.Popen[bytes]
    uid: int
    gid: int

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def account(self) -> Account:
        """A user of its own with an empty mailbox (made up front: Dovecot notices a changed passwd-file
        only a second later)."""
        number = next(_users)
        if number > _ACCOUNTS:
            raise RuntimeError(f"the test server has only {_ACCOUNTS} accounts: raise _ACCOUNTS")
        return Account(self, f"klant{number}", PASSWORD)


def _certificate(root: Path) -> tuple[str, str]:
    openssl = shutil.which("openssl")
    if openssl is None:
        return "", ""
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def _config(root: Path, port: int, imaps_port: int, cert: str, key: str, tokens: TokenServer) -> str:
    me = pwd.getpwuid(os.getuid()).pw_name
    my_group = grp.getgrgid(os.getgid()).gr_name
    internal, login, group = ("dovecot", "dovenull", "dovecot") if os.getuid() == 0 else (me, me, my_group)
    ssl = f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\n" if cert else "ssl = no\n"
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = gezien-test-{port}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
default_internal_user = {internal}
default_login_user = {login}
default_internal_group = {group}
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
passdb {{
  driver = oauth2
  args = {root}/oauth2.conf.ext
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            if sock.recv(100).startswith(b"* OK"):
                return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if not os.access(DOVECOT, os.X_OK):
        if os.environ.get("GEZIEN_REQUIRE_DOVECOT") == "1":
            pytest.fail(f"Dovecot is not installed ({DOVECOT}) and GEZIEN_REQUIRE_DOVECOT=1")
        pytest.skip(f"Dovecot is not installed ({DOVECOT}); Debian: apt-get install dovecot-imapd")
    # Not under pytest's basetemp: as root that is private to root, and the mail processes run as nobody.
    root = Path(tempfile.mkdtemp(prefix="gezien-dovecot-"))
    root.chmod(0o755)
    if os.getuid() == 0:
        nobody = pwd.getpwnam("nobody")
        uid, gid = nobody.pw_uid, nobody.pw_gid
    else:
        uid, gid = os.getuid(), os.getgid()
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    os.chown(root / "mail", uid, gid)
    numbers = range(1, _ACCOUNTS + 1)
    users = (f"klant{n}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{root}/mail/klant{n}\n" for n in numbers)
    (root / "users").write_text("".join(users))
    cert, key = _certificate(root)
    port, imaps_port = _free_port(), _free_port()
    tokens = TokenServer()
    (root / "oauth2.conf.ext").write_text(
        f"tokeninfo_url = {tokens.url}/tokeninfo?access_token=\n"
        "username_attribute = username\nusername_format = %u\n"
    )
    (root / "dovecot.conf").write_text(_config(root, port, imaps_port, cert, key, tokens))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Dovecot(root, port, imaps_port, cert, tokens, process, uid, gid)
    try:
        if not _wait_for(port, process):
            process.kill()
            output = process.communicate(timeout=5)[0].decode(errors="replace")
            pytest.fail(f"Dovecot did not start:\n{output}\n{server.log()}")
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        tokens.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_account(dovecot: Dovecot) -> Account:
    """A fresh IMAP user with an empty INBOX."""
    return dovecot.account()
