"""The weekly digest, delivered to a real SMTP server on 127.0.0.1 and read back there."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import date, datetime
from email.message import EmailMessage
from email.policy import default
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from gezien.accounts.models import Department
from gezien.insights.retention.digest import digest_send, digests_send_week
from gezien.insights.retention.models import DigestLog
from gezien.insights.retention.periodic import digests_tick

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


class Inbox:
    def __init__(self) -> None:
        self.delivered: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        self.delivered.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_TIMEOUT = 10
    try:
        yield inbox
    finally:
        controller.stop()


def test_the_digest_reaches_the_owners_with_counts_and_the_problem(
    smtp: Inbox, department_week: Any, week: date, settings: Any
) -> None:
    settings.GEZIEN_BASE_URL = "https://desk.voorbeeld.nl"
    result = digest_send(department_week.department, week, NOW)
    assert result.sent
    (recipients, message), *_ = smtp.delivered
    assert len(smtp.delivered) == 1
    assert sorted(recipients) == ["lisa@logistiek.example", "team@logistiek.example"]
    assert message["Subject"] == "Weekoverzicht klantenservice voor Logistiek: week van 16 november 2026"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "3 contacten" in text
    assert "- Levering vertraagd: 3 (1, 0, 0, 0)" in text  # this week, then the four weeks before
    assert "Wacht op jullie antwoord" in text
    assert "Vertraging <magazijn> & Tilburg (nieuw): 3 contacten, 1 klant" in text
    assert "Factuur" not in text  # another department's reason
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Vertraging &lt;magazijn&gt; &amp; Tilburg" in html
    assert "<magazijn>" not in html
    assert "<img" not in html and "https://desk.voorbeeld.nl/insights/problems/" in html


def test_a_week_is_sent_once(smtp: Inbox, department_week: Any, week: date) -> None:
    assert digest_send(department_week.department, week, NOW).sent
    again = digest_send(department_week.department, week, NOW)
    assert not again.sent and "al verstuurd" in again.message
    assert digests_tick(NOW) == 0  # the tick finds last week done
    assert len(smtp.delivered) == 1
    assert DigestLog.objects.get().recipients == ["lisa@logistiek.example", "team@logistiek.example"]


def test_a_department_without_addresses_sends_nothing_and_says_so(smtp: Inbox, db: None, week: date) -> None:
    empty = Department.objects.create(code="voorraad", name="Voorraad")
    result = digest_send(empty, week, NOW)
    assert not result.sent
    assert "Voorraad: geen eigenaar met e-mailadres" in result.message
    assert smtp.delivered == [] and not DigestLog.objects.exists()


def test_the_command_dry_run_sends_nothing(
    smtp: Inbox, department_week: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("insights_digest", "--week", "2026-11-18", "--dry-run")
    out = capsys.readouterr().out
    assert "Logistiek: proef, niet verstuurd" in out and "Levering vertraagd: 3" in out
    assert smtp.delivered == [] and not DigestLog.objects.exists()
    results = digests_send_week(date(2026, 11, 18), NOW)
    assert [r.sent for r in results] == [True]
    assert len(smtp.delivered) == 1


def test_the_tick_sends_last_weeks_digest_on_monday_morning(smtp: Inbox, department_week: Any) -> None:
    assert digests_tick(datetime(2026, 11, 23, 6, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))) == 0  # too early
    assert digests_tick(NOW) == 1
    assert DigestLog.objects.get().week_start == date(2026, 11, 16)
