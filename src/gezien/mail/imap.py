"""IMAP intake: read a mailbox's folder, store every new mail before anything else happens to it, and only
then flag it \\Seen (or move it to `?processed=FOLDER`).

Bookkeeping on the mailbox: `imap_uidvalidity` and `imap_last_uid`. Each round asks the folder for the UIDs
above `imap_last_uid`, fetches each with BODY.PEEK[] (which leaves the \\Seen flag alone), hands them in
batches to `intake.ingest_many` (which commits a batch's raw mails in a transaction of their own first, then
handles them), flags or moves each, and then advances `imap_last_uid`. A process that stops anywhere in
between fetches the mail again next time; the InboundMail unique (mailbox, uidvalidity, uid) and the
Message-ID make it one mail. When the server's UIDVALIDITY changes (the folder was rebuilt), the whole
folder is read again on the same guarantee.

`watch` keeps one mailbox's connection open: IDLE where the server has it (RFC 2177, renewed every
`GEZIEN_MAIL_POLL_SECONDS`, when the mailbox's URL is also looked at again), else a NOOP and a look every
`GEZIEN_MAIL_POLL_SECONDS`. An error (server away, wrong password)
is written on the mailbox (`fetch_error`, `fetched_at`) and logged, and the mailbox is tried again after a
back-off; `watch_all` runs one thread per active mailbox with an IMAP URL, so one failing mailbox never
stops the others.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import select
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.mail.intake import BATCH, IngestResult, RawMail, ingest_many
from gezien.mail.models import Mailbox
from gezien.mail.oauth import oauth_forget, oauth_refreshes, oauth_token
from gezien.mail.servers import MailServer, server_parse, xoauth2_string

logger = logging.getLogger(__name__)

BATCH_BYTES = 20 * 1024 * 1024  # a batch of fetched mails is stored once it holds this much (or BATCH mails)
IDLE_MAX_SECONDS = 25 * 60  # RFC 2177: a client re-issues IDLE at least every 29 minutes
RETRY_FIRST_SECONDS = 5.0
COMMAND_TIMEOUT_SECONDS = 60.0
_WAKE_SECONDS = 0.5  # how often a waiting loop looks at its stop event


class FetchFailed(Exception):
    """The server refused something the intake needs (sign-in, the folder, a fetch)."""


@dataclass
class FetchReport:
    """One round of one mailbox: the mails that came in and what became of them, or the error."""

    mailbox: str
    results: list[IngestResult] = field(default_factory=list)
    error: str = ""

    def outcomes(self) -> Counter[str]:
        return Counter(str(result.outcome) for result in self.results)

    def line(self) -> str:
        """What `gezien mail fetch` prints for it."""
        counted = ", ".join(f"{outcome} {n}" for outcome, n in sorted(self.outcomes().items()))
        line = f"{self.mailbox}: {len(self.results)} mail(s)" + (f" ({counted})" if counted else "")
        return f"{line}; error: {self.error}" if self.error else line


Report = Callable[[FetchReport], None]


# -- the connection ------------------------------------------------------------------------------------


class _Reader:
    """imaplib's reader with a buffer of our own, so that IDLE can tell whether a line is waiting (a
    buffered `socket.makefile` hides bytes it already read, and a timed-out one cannot be read again)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = bytearray()

    def _fill(self) -> bool:
        data = self._sock.recv(65536)
        self._buffer += data
        return bool(data)

    def _take(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def readline(self, limit: int = -1) -> bytes:
        start = 0
        while True:
            end = self._buffer.find(b"\n", start)
            if end >= 0:
                size = end + 1
                return self._take(size if limit < 0 else min(size, limit))
            if 0 <= limit <= len(self._buffer):
                return self._take(limit)
            start = len(self._buffer)
            if not self._fill():
                return self._take(len(self._buffer))

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            if not self._fill():
                break
        return self._take(len(self._buffer) if size < 0 else size)

    def waiting(self, timeout: float) -> bool:
        """Whether a line can be read now or within `timeout` seconds."""
        if self._buffer or (isinstance(self._sock, ssl.SSLSocket) and self._sock.pending()):
            return True
        ready, _w, _x = select.select([self._sock], [], [], timeout)
        return bool(ready)

    def close(self) -> None:
        """The socket is closed by imaplib's shutdown."""


class _Imap(imaplib.IMAP4):
    def open(self, host: str = "", port: int = 143, timeout: float | None = None) -> None:
        super().open(host, port, timeout)
        self.file = _Reader(self.sock)  # type: ignore[assignment]

    def starttls(self, ssl_context: ssl.SSLContext | None = None) -> tuple[Literal["OK"], list[None]]:
        answer = super().starttls(ssl_context)
        self.file = _Reader(self.sock)  # type: ignore[assignment]
        return answer


class _ImapSSL(imaplib.IMAP4_SSL):
    def open(self, host: str = "", port: int | None = 993, timeout: float | None = None) -> None:
        super().open(host, port, timeout)
        self.file = _Reader(self.sock)  # type: ignore[assignment]


def _ssl_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.GEZIEN_MAIL_CA_FILE:
        context.load_verify_locations(cafile=settings.GEZIEN_MAIL_CA_FILE)
    return context


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(data: Sequence[object]) -> str:
    parts = [item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item) for item in data]
    return " ".join(part for part in parts if part and part != "None")


@dataclass
class Session:
    """A signed-in connection with the mailbox's folder selected."""

    conn: imaplib.IMAP4
    server: MailServer
    capabilities: frozenset[str]
    uidvalidity: int
    processed: str  # the folder handled mail moves to; "" = flag it \Seen and leave it

    def close(self) -> None:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            self.conn.logout()


def mailbox_server(mailbox: Mailbox) -> MailServer:
    """The mailbox's IMAP server, raising `gezien.core.errors.Invalid` for a URL that cannot be used."""
    return server_parse(mailbox.imap_url, kind="imap", mailbox=mailbox.name)


def processed_folder(imap_url: str) -> str:
    """The folder named by `?processed=FOLDER` in the URL ("" when none)."""
    return (parse_qs(urlsplit(imap_url.strip()).query).get("processed") or [""])[0]


def session_open(mailbox: Mailbox, *, timeout: float = COMMAND_TIMEOUT_SECONDS) -> Session:
    """Connect, sign in (password, or XOAUTH2 with an access token) and select the folder."""
    server = mailbox_server(mailbox)
    if server.security == "ssl":
        conn: imaplib.IMAP4 = _ImapSSL(server.host, server.port, ssl_context=_ssl_context(), timeout=timeout)
    else:
        conn = _Imap(server.host, server.port, timeout=timeout)
    try:
        if server.security == "starttls":
            conn.starttls(ssl_context=_ssl_context())
        _sign_in(conn, server, mailbox.name)
        typ, data = conn.capability()
        capabilities = frozenset(_text(data).upper().split()) if typ == "OK" else frozenset()
        typ, data = conn.select(_quoted(server.folder))
        if typ != "OK":
            raise FetchFailed(
                _("De map %(folder)s kan niet worden geopend: %(error)s")
                % {"folder": server.folder, "error": _text(data)}
            )
        _typ, validity = conn.response("UIDVALIDITY")
        if not validity or validity[0] is None:
            raise FetchFailed(_("De server gaf geen UIDVALIDITY voor de map."))
        return Session(conn, server, capabilities, int(validity[0]), processed_folder(mailbox.imap_url))
    except BaseException:
        with contextlib.suppress(OSError):
            conn.shutdown()
        raise


def _sign_in(conn: imaplib.IMAP4, server: MailServer, mailbox: str) -> None:
    try:
        if server.auth == "xoauth2":
            token = oauth_token(mailbox, "imap", fixed=server.password)
            if not token:
                raise FetchFailed(
                    _("Geen toegangstoken: zet GEZIEN_MAIL_<MAILBOX>_IMAP_TOKEN of een refresh token.")
                )
            answered = []

            def respond(_challenge: bytes) -> bytes:
                # The first answer is the token; a second challenge is the server's error (JSON), to
                # which the client answers empty to get the tagged NO.
                answered.append(1)
                return xoauth2_string(server.user, token) if len(answered) == 1 else b""

            conn.authenticate("XOAUTH2", respond)
        elif server.auth == "password":
            conn.login(server.user, server.password)
        else:
            raise FetchFailed(_("Geen gebruikersnaam in het adres of de omgeving."))
    except imaplib.IMAP4.error as error:
        if server.auth == "xoauth2" and oauth_refreshes(mailbox, "imap"):
            oauth_forget(mailbox, "imap")
        refused = {"user": server.user, "error": _describe(error)}
        raise FetchFailed(_("Aanmelden geweigerd voor %(user)s: %(error)s") % refused) from None


# -- one round -----------------------------------------------------------------------------------------


def fetch_new(
    mailbox: Mailbox, session: Session, *, into: list[IngestResult] | None = None
) -> list[IngestResult]:
    """Store every mail above the mailbox's last UID; flag or move each after it is stored. Raises when a
    mail cannot be fetched or stored: the mails before it are done (and in `into`), it and those after
    wait for the next round (nothing is flagged that was not stored)."""
    conn = session.conn
    if mailbox.imap_uidvalidity != session.uidvalidity:
        if mailbox.imap_uidvalidity is not None:
            logger.warning(
                "Mailbox %s: UIDVALIDITY changed from %s to %s; reading the folder again.",
                mailbox.name,
                mailbox.imap_uidvalidity,
                session.uidvalidity,
            )
        mailbox.imap_uidvalidity, mailbox.imap_last_uid = session.uidvalidity, 0
        Mailbox.objects.filter(pk=mailbox.pk).update(imap_uidvalidity=session.uidvalidity, imap_last_uid=0)
    typ, data = conn.uid("SEARCH", "UID", f"{mailbox.imap_last_uid + 1}:*")
    if typ != "OK":
        raise _refused("UID SEARCH", data)
    # `N:*` always matches the folder's last message, even when its UID is below N.
    uids = sorted(uid for uid in (int(word) for word in _text(data).split()) if uid > mailbox.imap_last_uid)
    results = [] if into is None else into
    batch: list[tuple[int, bytes | None]] = []  # fetched, not yet stored
    try:
        for uid in uids:
            raw = _fetch_raw(conn, uid)
            batch.append((uid, raw))
            if len(batch) >= BATCH or sum(len(r or b"") for _uid, r in batch) >= BATCH_BYTES:
                _store_batch(mailbox, session, batch, results)
                batch = []
    finally:  # also when a fetch failed: what was fetched before it is stored and marked
        if batch:
            _store_batch(mailbox, session, batch, results)
    return results


def _store_batch(
    mailbox: Mailbox, session: Session, batch: list[tuple[int, bytes | None]], results: list[IngestResult]
) -> None:
    """Store and handle a batch of fetched mails (`intake.ingest_many`: the raw mails are committed first),
    then mark each on the server and advance the mailbox's last UID past them."""
    mails = [RawMail(raw, session.uidvalidity, uid) for uid, raw in batch if raw is not None]
    results += ingest_many(mailbox, mails, batch=len(mails) or 1)  # committed: now they may be marked
    for mail in mails:
        assert mail.imap_uid is not None
        _mark_handled(session, mail.imap_uid)
    mailbox.imap_last_uid = batch[-1][0]
    Mailbox.objects.filter(pk=mailbox.pk).update(imap_last_uid=mailbox.imap_last_uid)


def _fetch_raw(conn: imaplib.IMAP4, uid: int) -> bytes | None:
    typ, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        raise _refused(f"UID FETCH {uid}", data)
    for part in data:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None  # expunged by someone else meanwhile


def _mark_handled(session: Session, uid: int) -> None:
    conn, folder = session.conn, session.processed
    if not folder:
        _ok(conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen)"), f"UID STORE {uid} \\Seen")
    elif "MOVE" in session.capabilities:
        _ok(conn.uid("MOVE", str(uid), _quoted(folder)), f"UID MOVE {uid} {folder}")
    else:
        _ok(conn.uid("COPY", str(uid), _quoted(folder)), f"UID COPY {uid} {folder}")
        _ok(conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen \Deleted)"), f"UID STORE {uid} \\Deleted")
        if "UIDPLUS" in session.capabilities:  # else the \Deleted copy waits for the next expunge
            _ok(conn.uid("EXPUNGE", str(uid)), f"UID EXPUNGE {uid}")


def _ok(answer: tuple[str, Sequence[object]], command: str) -> None:
    typ, data = answer
    if typ != "OK":
        raise _refused(command, data)


def _refused(command: str, answer: Sequence[object] | str) -> FetchFailed:
    error = answer if isinstance(answer, str) else _text(answer)
    return FetchFailed(
        _("De IMAP-opdracht %(command)s mislukte: %(error)s") % {"command": command, "error": error}
    )


def _record(mailbox: Mailbox, error: str) -> None:
    now = timezone.now()
    mailbox.fetched_at, mailbox.fetch_error = now, error
    Mailbox.objects.filter(pk=mailbox.pk).update(fetched_at=now, fetch_error=error)


def _describe(error: BaseException) -> str:
    """The error for people: a server's answer without b'...' around it, a network error with its kind."""
    first = error.args[0] if len(error.args) == 1 else None
    if isinstance(first, bytes):
        return first.decode("utf-8", "replace")
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"{type(error).__name__}: {text}" if isinstance(error, OSError) else str(text)


def fetch_once(mailbox: Mailbox) -> FetchReport:
    """Connect, fetch what is there, disconnect. Errors are recorded on the mailbox and returned, never
    raised (a mail that was stored before the error stays stored)."""
    report = FetchReport(mailbox.name)
    session = None
    try:
        session = session_open(mailbox)
        fetch_new(mailbox, session, into=report.results)
    except Exception as error:  # recorded and reported: one mailbox never stops the others
        report.error = _failed(mailbox, error)
    else:
        _record(mailbox, "")
    finally:
        if session is not None:
            session.close()
    return report


def _failed(mailbox: Mailbox, error: BaseException) -> str:
    text = _describe(error)
    logger.warning("Mailbox %s: IMAP intake failed: %s", mailbox.name, text, exc_info=error)
    try:
        _record(mailbox, text)
    except Exception:
        logger.exception("Mailbox %s: could not record the IMAP error.", mailbox.name)
    return text


# -- waiting for mail ----------------------------------------------------------------------------------


def idle_wait(conn: imaplib.IMAP4, stop: threading.Event, seconds: float) -> bool:
    """IDLE until the folder changes, `seconds` pass or `stop` is set; True when the server told of a
    change (new mail, an expunge)."""
    reader = conn.file
    assert isinstance(reader, _Reader)
    tag = conn._new_tag()
    conn.tagged_commands.pop(tag, None)
    conn.send(tag + b" IDLE\r\n")
    changed = False
    while True:  # untagged lines may come before the continuation
        line = conn._get_line()
        if line.startswith(b"+"):
            break
        if line.startswith(tag):
            raise _refused("IDLE", line.decode("utf-8", "replace"))
        changed = changed or _tells_change(line)
    deadline = time.monotonic() + seconds
    while not changed and not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if reader.waiting(min(left, _WAKE_SECONDS)):
            line = conn._get_line()
            if line.startswith(b"* BYE"):
                raise conn.abort(line.decode("utf-8", "replace"))
            changed = _tells_change(line)
    conn.send(b"DONE\r\n")
    while True:
        line = conn._get_line()
        if line.startswith(tag):
            if not line[len(tag) :].lstrip().upper().startswith(b"OK"):
                raise _refused("IDLE", line.decode("utf-8", "replace"))
            return changed
        changed = changed or _tells_change(line)


def _tells_change(line: bytes) -> bool:
    words = line.upper().split()
    return len(words) >= 3 and words[0] == b"*" and words[2] in (b"EXISTS", b"RECENT", b"EXPUNGE")


def watch(
    mailbox_id: int,
    stop: threading.Event,
    *,
    report: Report | None = None,
    poll_seconds: float | None = None,
    retry_first: float = RETRY_FIRST_SECONDS,
    retry_max: float | None = None,
    tidy: Callable[[], None] = lambda: None,
) -> None:
    """Keep reading one mailbox until `stop` is set (or the mailbox is made inactive or loses its IMAP
    URL). Never raises: errors are recorded, reported and retried after a back-off. `tidy` runs after
    each connection (a thread of its own drops a broken database connection there)."""
    poll = float(settings.GEZIEN_MAIL_POLL_SECONDS if poll_seconds is None else poll_seconds)
    longest = float(settings.GEZIEN_MAIL_RETRY_MAX_SECONDS if retry_max is None else retry_max)
    failures = 0
    while not stop.is_set():
        mailbox = Mailbox.objects.filter(pk=mailbox_id, active=True).exclude(imap_url="").first()
        if mailbox is None:
            return
        session = None
        try:
            session = session_open(mailbox)
            while not stop.is_set():
                _round(mailbox, session, report)
                _record(mailbox, "")
                failures = 0
                _wait(session, stop, poll)
                if _changed(mailbox):
                    break  # connect again with the new URL, or stop when it was switched off or removed
        except Exception as error:  # recorded, reported, retried
            failures += 1
            failed = FetchReport(mailbox.name, error=_failed(mailbox, error))
            if report is not None:
                report(failed)
            stop.wait(min(retry_first * 2 ** (failures - 1), longest))
        finally:
            if session is not None:
                session.close()
            tidy()


def _watch_thread(mailbox_id: int, stop: threading.Event, **options: Any) -> None:
    try:
        watch(mailbox_id, stop, tidy=close_old_connections, **options)
    except Exception:
        logger.exception("The IMAP intake of mailbox %s stopped.", mailbox_id)
    finally:
        connection.close()


def _round(mailbox: Mailbox, session: Session, report: Report | None) -> None:
    fetched = FetchReport(mailbox.name)
    try:
        fetch_new(mailbox, session, into=fetched.results)
    finally:  # what was stored before an error is reported too
        if fetched.results and report is not None:
            report(fetched)


def _changed(mailbox: Mailbox) -> bool:
    """Whether an admin changed the mailbox's IMAP URL, switched it off or removed it meanwhile."""
    now = Mailbox.objects.filter(pk=mailbox.pk).values_list("imap_url", "active").first()
    return now != (mailbox.imap_url, True)


def _wait(session: Session, stop: threading.Event, poll: float) -> None:
    if "IDLE" in session.capabilities:
        # Renewed every poll interval (at most every 25 minutes): a changed or switched-off mailbox is
        # noticed in that time.
        idle_wait(session.conn, stop, min(poll, IDLE_MAX_SECONDS))
    else:
        stop.wait(poll)
        if not stop.is_set():
            _ok(session.conn.noop(), "NOOP")


def watch_all(
    stop: threading.Event,
    *,
    name: str = "",
    report: Report | None = None,
    poll_seconds: float | None = None,
    retry_first: float = RETRY_FIRST_SECONDS,
) -> None:
    """One `watch` thread per active mailbox with an IMAP URL (or only `name`), until `stop` is set;
    mailboxes added or switched on meanwhile are picked up every poll interval."""
    poll = float(settings.GEZIEN_MAIL_POLL_SECONDS if poll_seconds is None else poll_seconds)
    threads: dict[int, threading.Thread] = {}
    try:
        while not stop.is_set():
            wanted = Mailbox.objects.filter(active=True).exclude(imap_url="")
            if name:
                wanted = wanted.filter(name=name)
            for mailbox_id, mailbox_name in wanted.values_list("pk", "name"):
                running = threads.get(mailbox_id)
                if running is not None and running.is_alive():
                    continue
                thread = threading.Thread(
                    target=_watch_thread,
                    args=(mailbox_id, stop),
                    kwargs={"report": report, "poll_seconds": poll, "retry_first": retry_first},
                    name=f"imap-{mailbox_name}",
                    daemon=True,
                )
                thread.start()
                threads[mailbox_id] = thread
            close_old_connections()
            stop.wait(poll)
    finally:
        connection.close()
        for thread in threads.values():
            thread.join(timeout=COMMAND_TIMEOUT_SECONDS)


def watch_all_start(report: Report | None = None) -> tuple[threading.Event, threading.Thread]:
    """`watch_all` on a daemon thread (for `gezien worker`); set the event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=watch_all, args=(stop,), kwargs={"report": report}, name="imap-intake", daemon=True
    )
    thread.start()
    return stop, thread
