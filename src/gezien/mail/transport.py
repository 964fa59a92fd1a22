"""Handing a built mail to a mailbox's SMTP server (or, for `file://`, writing it to a folder), and
telling a temporary failure (try again later) from a permanent one (the server refused it for good)."""

from __future__ import annotations

import functools
import os
import re
import smtplib
import socket
import ssl
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings

from gezien.mail.servers import MailServer, xoauth2_string


class SendFailure(Exception):
    """The mail did not leave. `permanent`: the server refused it for good (5xx); else try again later."""

    def __init__(self, answer: str, *, permanent: bool) -> None:
        super().__init__(answer)
        self.answer = answer
        self.permanent = permanent


def _answer(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {message}".strip()


def _failure(code: int, text: bytes | str) -> SendFailure:
    return SendFailure(_answer(code, text), permanent=500 <= code < 600)


def _file_name(header_id: str) -> str:
    """`<Message-ID>.eml`, safe as a file name on every system."""
    return re.sub(r"[^A-Za-z0-9@._+=-]", "_", header_id)[:200] + ".eml"


def sent_file(folder: str | Path, header_id: str) -> Path:
    """Where `file_send` wrote (or would write) the mail with this Message-ID."""
    return Path(folder) / _file_name(header_id)


def file_send(folder: str, header_id: str, raw: bytes) -> Path:
    """Write the mail into `folder` as `<Message-ID>.eml`, atomically (a reader never sees half a mail)."""
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target, prefix=".sending-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(raw)
                out.flush()
                os.fsync(out.fileno())
            path = target / _file_name(header_id)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise SendFailure(f"{folder}: {error.strerror or error}", permanent=False) from error
    return path


def _login(client: smtplib.SMTP, server: MailServer) -> None:
    if server.auth == "none":
        return
    if server.auth == "xoauth2":
        token = xoauth2_string(server.user, server.password).decode()
        client.ehlo_or_helo_if_needed()
        client.auth("XOAUTH2", lambda challenge=None: token, initial_response_ok=True)
        return
    client.login(server.user, server.password)


@functools.cache
def _local_hostname() -> str:
    """The name we greet servers with (smtplib would look it up again for every connection)."""
    return socket.getfqdn()


def _connect(server: MailServer) -> smtplib.SMTP:
    timeout = settings.GEZIEN_MAIL_SMTP_TIMEOUT
    client: smtplib.SMTP
    if server.security == "ssl":
        client = smtplib.SMTP_SSL(
            server.host,
            server.port,
            local_hostname=_local_hostname(),
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        client = smtplib.SMTP(server.host, server.port, local_hostname=_local_hostname(), timeout=timeout)
    try:
        if server.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        _login(client, server)
    except BaseException:
        client.close()
        raise
    return client


class Connections:
    """SMTP connections kept open for a batch of mails, one per server (the periodic job sends a backlog
    over one connection rather than one each). `close()` when the batch is done."""

    def __init__(self) -> None:
        self._open: dict[MailServer, smtplib.SMTP] = {}

    def sendmail(
        self, server: MailServer, sender: str, recipients: Sequence[str], raw: bytes
    ) -> dict[str, Any]:
        client = self._open.pop(server, None)
        if client is not None:
            try:
                refused = client.sendmail(sender, list(recipients), raw)
            except smtplib.SMTPServerDisconnected:  # it closed the idle line: once more on a new one
                client.close()
            else:
                self._open[server] = client
                return refused
        client = _connect(server)
        try:
            refused = client.sendmail(sender, list(recipients), raw)
        except smtplib.SMTPResponseException:  # refused, and the line still usable for the next mail
            self._open[server] = client
            raise
        except BaseException:
            client.close()
            raise
        self._open[server] = client
        return refused

    def close(self) -> None:
        for client in self._open.values():
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()
        self._open.clear()


def smtp_send(
    server: MailServer,
    *,
    sender: str,
    recipients: Sequence[str],
    raw: bytes,
    connections: Connections | None = None,
) -> str:
    """Send through SMTP (over `connections` when given, else a connection of its own). Returns "" when
    every recipient was accepted, else the refusals of the ones that were not (the mail did leave for
    the others). Raises `SendFailure`."""
    own = connections is None
    pool = Connections() if connections is None else connections
    try:
        refused = pool.sendmail(server, sender, recipients, raw)
    except smtplib.SMTPRecipientsRefused as error:  # nobody took it: the first refusal decides
        code, text = next(iter(error.recipients.values()))
        raise _failure(code, text) from error
    except smtplib.SMTPResponseException as error:
        raise _failure(error.smtp_code, error.smtp_error) from error
    except (smtplib.SMTPException, OSError) as error:  # refused connection, timeout, dropped line
        raise SendFailure(f"{server.host}:{server.port}: {error}", permanent=False) from error
    finally:
        if own:
            pool.close()
    return "; ".join(f"{address}: {_answer(code, text)}" for address, (code, text) in refused.items())


def mail_send(
    server: MailServer,
    *,
    sender: str,
    recipients: Sequence[str],
    header_id: str,
    raw: bytes,
    connections: Connections | None = None,
) -> str:
    """Hand the mail to the server (SMTP, or the `file://` folder). See `smtp_send`."""
    if server.security == "file":
        file_send(server.folder, header_id, raw)
        return ""
    return smtp_send(server, sender=sender, recipients=recipients, raw=raw, connections=connections)
