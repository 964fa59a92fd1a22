"""IMAP intake against a real Dovecot on 127.0.0.1: a mail appended to the folder is stored, and only then
flagged \\Seen (or moved); nothing is stored twice; a failing server or mailbox stops nothing else."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from email.utils import make_msgid
from pathlib import Path

import pytest
from django.db import connection

from gezien.cli import main
from gezien.contacts.models import Contact
from gezien.customers.services import customer_create
from gezien.mail import imap
from gezien.mail.imap import FetchReport, fetch_once, watch
from gezien.mail.intake import IngestResult, RawMail
from gezien.mail.models import InboundMail, Mailbox
from tests.gezien_server import sqlite_data_dir
from tests.mail.dovecot import Account, Dovecot

BIN = Path(sys.executable).parent


def customer_mail(subject: str = "Mijn factuur klopt niet", *, message_id: str = "") -> bytes:
    message_id = message_id or make_msgid(domain="klant.example")
    return (
        "From: Anna de Vries <anna@klant.example>\r\n"
        "To: Klantenservice <support@gezien.example>\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: {message_id}\r\n"
        "Date: Mon, 07 Dec 2026 09:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Goedemorgen,\r\n\r\nMijn factuur van november is twee keer afgeschreven.\r\n\r\nAnna\r\n"
    ).encode()


def mailbox_for(account: Account, name: str = "support", **url: str) -> Mailbox:
    return Mailbox.objects.create(name=name, address=f"{name}@gezien.example", imap_url=account.url(**url))


def test_a_customers_mail_appended_over_imap_becomes_a_contact_and_is_then_flagged_seen(
    db: None, imap_account: Account
) -> None:
    raw = customer_mail()
    uid = imap_account.append(raw)
    mailbox = mailbox_for(imap_account)
    assert r"\Seen" not in imap_account.flags(uid)

    report = fetch_once(mailbox)

    assert report.error == ""
    assert [result.outcome for result in report.results] == ["contact"]
    assert report.line() == "support: 1 mail(s) (contact 1)"
    inbound = InboundMail.objects.get()
    assert bytes(inbound.raw) == raw
    contact = Contact.objects.get(pk=report.results[0].contact_id)
    assert (contact.channel, inbound.contact_id) == ("email", contact.pk)
    assert "twee keer afgeschreven" in contact.messages.get().text
    assert (inbound.mailbox_id, inbound.imap_uid) == (mailbox.pk, uid)
    mailbox.refresh_from_db()
    assert inbound.imap_uidvalidity == mailbox.imap_uidvalidity is not None
    assert mailbox.imap_last_uid == uid
    assert mailbox.fetch_error == "" and mailbox.fetched_at is not None
    assert r"\Seen" in imap_account.flags(uid)


def test_a_known_customers_mail_is_recognised_by_the_address(db: None, imap_account: Account) -> None:
    known = customer_create(last_name="de Vries", identities=[("email", "Anna@Klant.example")])
    imap_account.append(customer_mail())

    report = fetch_once(mailbox_for(imap_account))

    contact = Contact.objects.get(pk=report.results[0].contact_id)
    assert contact.customer == known


def test_a_mail_fetched_twice_is_stored_once(db: None, imap_account: Account) -> None:
    uid = imap_account.append(customer_mail())
    mailbox = mailbox_for(imap_account)
    assert len(fetch_once(mailbox).results) == 1
    assert fetch_once(mailbox).results == []  # nothing new above the last UID
    # As if the process stopped after storing the mail but before it wrote down the UID:
    Mailbox.objects.filter(pk=mailbox.pk).update(imap_last_uid=0)
    mailbox.refresh_from_db()

    again = fetch_once(mailbox)

    assert [result.outcome for result in again.results] == ["duplicate"]
    assert InboundMail.objects.count() == 1
    assert r"\Seen" in imap_account.flags(uid)


def test_a_mail_that_could_not_be_stored_stays_unseen_and_is_fetched_next_time(
    db: None, imap_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = imap_account.append(customer_mail("Eerste vraag"))
    second = imap_account.append(customer_mail("Tweede vraag"))
    third = imap_account.append(customer_mail("Derde vraag"))
    mailbox = mailbox_for(imap_account)
    real_ingest_many = imap.ingest_many

    def failing_on_the_second(box: Mailbox, mails: list[RawMail], **options: int) -> list[IngestResult]:
        if any(b"Tweede vraag" in mail.raw for mail in mails):
            raise ConnectionError("database went away")
        return real_ingest_many(box, mails, **options)

    monkeypatch.setattr(imap, "BATCH", 1)  # a batch a mail: the first is stored before the second fails
    monkeypatch.setattr(imap, "ingest_many", failing_on_the_second)

    report = fetch_once(mailbox)

    assert len(report.results) == 1 and "database went away" in report.error
    mailbox.refresh_from_db()
    assert mailbox.imap_last_uid == first
    assert "database went away" in mailbox.fetch_error
    assert r"\Seen" in imap_account.flags(first)
    assert r"\Seen" not in imap_account.flags(second)
    assert r"\Seen" not in imap_account.flags(third)
    assert InboundMail.objects.count() == 1

    monkeypatch.setattr(imap, "ingest_many", real_ingest_many)
    monkeypatch.setattr(imap, "BATCH", 50)  # both in one batch now
    report = fetch_once(mailbox)

    assert len(report.results) == 2 and report.error == ""
    assert sorted(InboundMail.objects.values_list("imap_uid", flat=True)) == [first, second, third]
    assert all(r"\Seen" in imap_account.flags(uid) for uid in (second, third))
    mailbox.refresh_from_db()
    assert (mailbox.imap_last_uid, mailbox.fetch_error) == (third, "")


def test_a_changed_uidvalidity_reads_the_folder_again(db: None, imap_account: Account) -> None:
    imap_account.create("Klanten")
    raw = customer_mail("Verhuizing")
    imap_account.append(raw, folder="Klanten")
    mailbox = mailbox_for(imap_account, folder="Klanten")
    assert len(fetch_once(mailbox).results) == 1
    mailbox.refresh_from_db()
    validity_before = mailbox.imap_uidvalidity
    # The folder is rebuilt (a server migration, a restore): the same mail comes back under a new
    # UIDVALIDITY with UID 1 again, beside a new one.
    imap_account.delete("Klanten")
    imap_account.create("Klanten")
    imap_account.append(raw, folder="Klanten")
    new_uid = imap_account.append(customer_mail("Nieuwe vraag"), folder="Klanten")

    report = fetch_once(mailbox)

    mailbox.refresh_from_db()
    assert mailbox.imap_uidvalidity != validity_before
    assert mailbox.imap_last_uid == new_uid == 2
    # The mail read before is recognised by its Message-ID; the new one becomes a contact.
    assert [result.outcome for result in report.results] == ["duplicate", "contact"]
    assert Contact.objects.count() == 2
    assert all(r"\Seen" in imap_account.flags(uid, folder="Klanten") for uid in (1, 2))


def test_processed_mail_moves_to_the_folder_named_in_the_url(db: None, imap_account: Account) -> None:
    imap_account.create("Verwerkt")
    uid = imap_account.append(customer_mail())
    mailbox = Mailbox.objects.create(
        name="support", address="support@gezien.example", imap_url=imap_account.url() + "?processed=Verwerkt"
    )

    assert len(fetch_once(mailbox).results) == 1

    assert imap_account.uids() == []
    assert len(imap_account.uids("Verwerkt")) == 1
    assert InboundMail.objects.get().imap_uid == uid


def test_imaps_and_starttls_with_the_servers_certificate(
    db: None, dovecot: Dovecot, imap_account: Account, settings: object
) -> None:
    if not dovecot.ca_file:
        pytest.skip("openssl is not installed: no certificate for the test server")
    settings.GEZIEN_MAIL_CA_FILE = dovecot.ca_file  # type: ignore[attr-defined]
    imap_account.append(customer_mail("Over TLS"))
    imap_account.append(customer_mail("Over STARTTLS"))
    over_ssl = Mailbox.objects.create(
        name="ssl", address="ssl@gezien.example", imap_url=imap_account.url(scheme="imaps")
    )
    assert len(fetch_once(over_ssl).results) == 2
    starttls = Mailbox.objects.create(
        name="starttls", address="starttls@gezien.example", imap_url=imap_account.url(scheme="imap+starttls")
    )
    starttls_report = fetch_once(starttls)
    assert starttls_report.error == "" and len(starttls_report.results) == 2


def test_an_untrusted_certificate_is_refused(db: None, dovecot: Dovecot, imap_account: Account) -> None:
    if not dovecot.ca_file:
        pytest.skip("openssl is not installed: no certificate for the test server")
    mailbox = Mailbox.objects.create(
        name="ssl", address="ssl@gezien.example", imap_url=imap_account.url(scheme="imaps")
    )
    report = fetch_once(mailbox)
    assert "CERTIFICATE_VERIFY_FAILED" in report.error
    assert InboundMail.objects.count() == 0


def test_fetch_once_prints_each_mailbox_and_a_wrong_password_stops_no_other(
    db: None, dovecot: Dovecot, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = dovecot.account(), dovecot.account()
    good.append(customer_mail())
    bad_uid = bad.append(customer_mail())
    Mailbox.objects.create(
        name="aaa-fout", address="fout@gezien.example", imap_url=bad.url(password="verkeerd")
    )
    Mailbox.objects.create(name="support", address="support@gezien.example", imap_url=good.url())

    assert main(["mail", "fetch", "--once"]) == 1

    out = capsys.readouterr().out
    assert "support: 1 mail(s)" in out
    assert "aaa-fout: 0 mail(s); error: Aanmelden geweigerd" in out
    failing = Mailbox.objects.get(name="aaa-fout")
    assert "[AUTHENTICATIONFAILED] Authentication failed." in failing.fetch_error
    assert "b'" not in failing.fetch_error and failing.fetched_at is not None
    assert InboundMail.objects.get().mailbox.name == "support"
    assert r"\Seen" not in bad.flags(bad_uid)

    assert main(["mail", "fetch", "--once", "--mailbox", "support"]) == 0
    assert capsys.readouterr().out.strip() == "support: 0 mail(s)"


def test_fetch_names_an_unknown_mailbox(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mail", "fetch", "--once", "--mailbox", "niemand"]) == 2
    assert "niemand" in capsys.readouterr().err


def test_the_loop_survives_a_wrong_password_and_retries_with_back_off(
    db: None, imap_account: Account
) -> None:
    imap_account.append(customer_mail())
    mailbox = Mailbox.objects.create(
        name="support", address="support@gezien.example", imap_url=imap_account.url(password="verkeerd")
    )
    stop = threading.Event()
    reports: list[FetchReport] = []

    def report(fetched: FetchReport) -> None:
        reports.append(fetched)
        if fetched.error:  # the admin fixes the password while the loop waits to try again
            Mailbox.objects.filter(pk=mailbox.pk).update(imap_url=imap_account.url())
        if fetched.results:
            stop.set()

    guard = threading.Timer(30, stop.set)
    guard.start()
    try:
        watch(mailbox.pk, stop, report=report, retry_first=0.2)
    finally:
        guard.cancel()

    assert "Aanmelden geweigerd" in reports[0].error
    assert len(reports[-1].results) == 1
    mailbox.refresh_from_db()
    assert mailbox.fetch_error == ""
    assert InboundMail.objects.count() == 1


def test_idle_brings_a_new_mail_in_within_seconds(db: None, imap_account: Account) -> None:
    imap_account.append(customer_mail("Eerste"))
    mailbox = mailbox_for(imap_account)
    stop = threading.Event()
    appended_at: list[float] = []
    arrived_at: list[float] = []

    def append_later() -> None:
        time.sleep(0.5)  # the loop is in IDLE by now
        appended_at.append(time.monotonic())
        imap_account.append(customer_mail("Tweede"))

    def report(fetched: FetchReport) -> None:
        assert fetched.error == ""
        arrived_at.append(time.monotonic())
        if len(arrived_at) == 1:
            threading.Thread(target=append_later).start()
        else:
            stop.set()

    guard = threading.Timer(30, stop.set)
    guard.start()
    try:
        watch(mailbox.pk, stop, report=report, poll_seconds=600)  # polling would take ten minutes
    finally:
        guard.cancel()

    assert len(arrived_at) == 2
    assert arrived_at[1] - appended_at[0] < 5
    assert InboundMail.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_fetch_keeps_running_until_sigterm(imap_account: Account, capsys: pytest.CaptureFixture[str]) -> None:
    mailbox_for(imap_account)
    imap_account.append(customer_mail())

    def stop_when_stored() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not InboundMail.objects.exists():
            time.sleep(0.1)
        connection.close()
        os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=stop_when_stored)
    killer.start()
    started = time.monotonic()
    assert main(["mail", "fetch"]) == 0
    killer.join()

    assert time.monotonic() - started < 20
    assert "support: 1 mail(s)" in capsys.readouterr().out
    assert InboundMail.objects.count() == 1


def test_without_idle_the_folder_is_polled(
    db: None, imap_account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = imap.session_open

    def without_idle(mailbox: Mailbox, **options: float) -> imap.Session:
        session = real_open(mailbox, **options)
        session.capabilities = session.capabilities - {"IDLE"}  # as a server that has no IDLE
        return session

    def no_idle(*_args: object) -> bool:
        raise AssertionError("IDLE used on a server without it")

    monkeypatch.setattr(imap, "session_open", without_idle)
    monkeypatch.setattr(imap, "idle_wait", no_idle)
    mailbox = mailbox_for(imap_account)
    stop = threading.Event()
    rounds: list[FetchReport] = []

    def report(fetched: FetchReport) -> None:
        rounds.append(fetched)
        stop.set()

    threading.Timer(0.5, imap_account.append, (customer_mail(),)).start()
    guard = threading.Timer(30, stop.set)
    guard.start()
    started = time.monotonic()
    try:
        watch(mailbox.pk, stop, report=report, poll_seconds=0.2)
    finally:
        guard.cancel()

    assert len(rounds) == 1 and len(rounds[0].results) == 1
    assert time.monotonic() - started < 5


@pytest.mark.slow
def test_the_worker_fetches_every_mailbox_and_stops_on_sigterm(
    tmp_path: Path, imap_account: Account, migrated_sqlite_template: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        GEZIEN_DATA_DIR=str(sqlite_data_dir(migrated_sqlite_template, tmp_path)),  # `gezien migrate`d
        GEZIEN_SECRET_KEY="test-imap-worker",
        GEZIEN_ANALYSIS_MODEL="off",
        GEZIEN_INSIGHTS_TICK_SECONDS="0",
    )
    run = {"env": env, "capture_output": True, "text": True, "timeout": 300}
    for command in (
        ["mailbox", "add", "support", "--address", "support@gezien.example", "--imap", imap_account.url()],
    ):
        done = subprocess.run([str(BIN / "gezien"), *command], **run)  # type: ignore[call-overload]
        assert done.returncode == 0, done.stderr
    imap_account.append(customer_mail())
    database = tmp_path / "gezien.sqlite3"

    worker = subprocess.Popen([str(BIN / "gezien"), "worker"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while _count(database, "SELECT COUNT(*) FROM mail_inboundmail WHERE outcome = 'contact'") == 0:
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            assert time.monotonic() < deadline, "the worker did not fetch the mail"
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            returncode = worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            raise
    assert returncode == 0
    assert r"\Seen" in imap_account.flags(1)
    assert _count(database, "SELECT imap_last_uid FROM mail_mailbox WHERE name = 'support'") == 1


def _count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute(sql).fetchone()[0])


def test_the_loop_stops_when_the_mailbox_is_switched_off(db: None, imap_account: Account) -> None:
    mailbox = mailbox_for(imap_account)
    stop = threading.Event()
    imap_account.append(customer_mail())

    def report(fetched: FetchReport) -> None:
        Mailbox.objects.filter(pk=mailbox.pk).update(active=False)
        threading.Timer(0.3, imap_account.append, (customer_mail("Na het uitzetten"),)).start()

    guard = threading.Timer(30, stop.set)
    guard.start()
    try:
        watch(mailbox.pk, stop, report=report)  # returns by itself: the mailbox is off
    finally:
        guard.cancel()

    assert not stop.is_set()
    assert InboundMail.objects.count() == 1


def test_a_server_that_cannot_be_reached_is_recorded_on_the_mailbox(db: None) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # free, and nothing listens on it
    mailbox = Mailbox.objects.create(
        name="weg", address="weg@gezien.example", imap_url=f"imap://kim:geheim@127.0.0.1:{port}/INBOX"
    )

    report = fetch_once(mailbox)

    assert "ConnectionRefusedError" in report.error
    mailbox.refresh_from_db()
    assert "ConnectionRefusedError" in mailbox.fetch_error and mailbox.fetched_at is not None
