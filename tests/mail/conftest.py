"""Mail tests: a mailbox, raw mails written as a mail client would send them (bytes, CRLF), and a real
SMTP server on 127.0.0.1 (aiosmtpd) collecting what it received, able to answer the next mails with a
temporary or permanent refusal."""

from __future__ import annotations

import asyncio
import base64
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from gezien.mail.models import Mailbox
from gezien.mail.services import mailbox_add
from tests.mail.dovecot import dovecot, imap_account  # noqa: F401 (the Dovecot IMAP server fixtures)


@dataclass(frozen=True)
class Received:
    """One mail as the server took it: the envelope and the bytes, and the bytes parsed."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    mail: EmailMessage


@dataclass
class SmtpReceiver:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    # The answers to give to the next DATA commands instead of "250" (e.g. "451 4.3.0 Probeer later";
    # "" takes that mail as usual).
    answers: list[str] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    delay_s: float = 0.0  # how long the server takes before it answers a mail's DATA (a slow server)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """The mails received, once there are at least `count` (the server runs on its own thread)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return list(self.received)


class _Handler:
    def __init__(self, receiver: SmtpReceiver) -> None:
        self.receiver = receiver

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.receiver.delay_s:
            await asyncio.sleep(self.receiver.delay_s)
        answer = self.receiver.answers.pop(0) if self.receiver.answers else ""
        if answer:
            return answer
        raw = bytes(envelope.original_content or envelope.content)
        mail = BytesParser(policy=policy.default).parsebytes(raw)
        self.receiver.received.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), raw, mail)  # type: ignore[arg-type]
        )
        return "250 2.0.0 Ok: queued"

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        """SASL XOAUTH2 (Microsoft 365, Google): the initial response is `user=..^Aauth=Bearer ..^A^A`."""
        if len(args) < 2:  # ["XOAUTH2", initial response]: the client sends it at once
            return AuthResult(success=False, handled=False)
        decoded = base64.b64decode(args[1]).decode()
        self.receiver.logins.append(("xoauth2", decoded))
        return AuthResult(success="\x01auth=Bearer good-token\x01" in decoded, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _authenticator(receiver: SmtpReceiver) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            receiver.logins.append((data.login.decode(), data.password.decode()))
            return AuthResult(success=data.password == b"geheim")
        return AuthResult(success=False)

    return check


@pytest.fixture
def smtp_receiver() -> Iterator[SmtpReceiver]:
    """An SMTP server on 127.0.0.1 (any free port) for one test; `.url` for a mailbox's smtp_url."""
    receiver = SmtpReceiver("127.0.0.1", _free_port())
    controller = Controller(
        _Handler(receiver),
        hostname=receiver.host,
        port=receiver.port,
        authenticator=_authenticator(receiver),
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield receiver
    finally:
        controller.stop()


@pytest.fixture
def mailbox(db: None, team: Any) -> Mailbox:
    return mailbox_add(
        name="klantenservice",
        address="klantenservice@voorbeeld.nl",
        smtp_url="file:///tmp/gezien-test-uit",
        team=team,
    )


def eml(
    *,
    subject: str = "Mijn bestelling is niet aangekomen",
    body: str = "Hallo,\n\nMijn bestelling 12345 is nog niet aangekomen. Kunt u kijken?\n\nGroet,\nAnnie",
    sender: str = "Annie Jansen <a.jansen@ziggo.nl>",
    message_id: str | None = "<m1@ziggo.nl>",
    headers: dict[str, str] | None = None,
    to: str = "klantenservice@voorbeeld.nl",
    content_type: str = "text/plain; charset=utf-8",
) -> bytes:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", "Date: Mon, 7 Dec 2026 09:00:00 +0100"]
    if message_id:
        lines.append(f"Message-ID: {message_id}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines += ["MIME-Version: 1.0", f"Content-Type: {content_type}", "Content-Transfer-Encoding: 8bit", ""]
    return ("\r\n".join(lines) + "\r\n" + body.replace("\n", "\r\n") + "\r\n").encode()


@pytest.fixture
def make_eml() -> Callable[..., bytes]:
    return eml
