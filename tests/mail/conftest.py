"""Mail tests: a mailbox, and raw mails written as a mail client would send them (bytes, CRLF)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gezien.mail.models import Mailbox
from gezien.mail.services import mailbox_add
from tests.mail.dovecot import dovecot, imap_account  # noqa: F401 (the Dovecot IMAP server fixtures)


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
