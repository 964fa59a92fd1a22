"""The outbox of contact changes: one row in the transaction of the change, handled in batches off the
request; every listener hears of a batch once; nothing is lost when a draining process is killed."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gezien.contacts import analysing, outbox
from gezien.contacts.models import MessageSignals, OutboxEntry
from gezien.contacts.outbox import _claim, outbox_drain, outbox_thread_start, outbox_thread_stop
from gezien.contacts.services import contact_open
from tests.gezien_server import sqlite_data_dir

BIN = Path(sys.executable).parent


@pytest.fixture
def worker_mode(settings: Any, fake_analyser: Any) -> None:
    """As with `gezien worker`: nothing is handled at the commit, the outbox waits for a drain."""
    settings.GEZIEN_ANALYSIS_INLINE = False


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[list[int]]]:
    """A listener on changed contacts and one on new signals that write down what they hear."""
    calls: dict[str, list[list[int]]] = {"changed": [], "signals": []}
    monkeypatch.setattr(outbox, "_listeners", [*outbox._listeners, calls["changed"].append])
    monkeypatch.setattr(analysing, "_listeners", [*analysing._listeners, calls["signals"].append])
    return calls


@pytest.mark.django_db(transaction=True)
def test_opening_a_contact_is_one_transaction_with_one_outbox_row(worker_mode: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        contact = contact_open(channel="chat", text="Ik ben boos").contact
    statements = [q["sql"].split()[0] for q in queries]
    assert statements[0].startswith("BEGIN") and statements[-1] == "COMMIT"
    assert statements.count("COMMIT") == 1
    assert sum("contacts_outboxentry" in q["sql"] for q in queries) == 1
    (entry,) = OutboxEntry.objects.all()
    assert entry.contact_ids == str(contact.pk)
    assert entry.message_ids == str(contact.messages.get().pk)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_outbox_row(worker_mode: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        contact_open(channel="chat", text="Ik ben boos")
        raise RuntimeError("the request failed after storing")
    assert not OutboxEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_each_listener_hears_of_a_batch_once_with_all_its_contacts(
    worker_mode: None, heard: dict[str, list[list[int]]]
) -> None:
    # Plain questions: nothing for routing to decide (a decision would be a change, in a batch of its own).
    ids = [contact_open(channel="chat", text=f"Waar blijft pakket {n}?").contact.pk for n in range(3)]
    assert heard == {"changed": [], "signals": []}  # nothing before the drain
    assert outbox_drain() == 3
    assert heard == {"changed": [sorted(ids)], "signals": [sorted(ids)]}
    assert MessageSignals.objects.count() == 3
    assert not OutboxEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_listener_is_logged_and_the_others_still_hear(
    worker_mode: None,
    heard: dict[str, list[list[int]]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(contact_ids: list[int]) -> None:
        raise RuntimeError("a listener broke")

    monkeypatch.setattr(outbox, "_listeners", [broken, *outbox._listeners])
    contact = contact_open(channel="chat", text="Waar blijft mijn pakket?").contact
    with caplog.at_level(logging.ERROR, logger="gezien.contacts.outbox"):
        outbox_drain()
    assert "A listener on changed contacts failed" in caplog.text
    assert heard["changed"] == [[contact.pk]]
    assert not OutboxEntry.objects.exists()  # a broken listener does not block the outbox


@pytest.mark.django_db(transaction=True)
def test_rows_another_drain_holds_wait_until_its_claim_runs_out(
    worker_mode: None, heard: dict[str, list[list[int]]]
) -> None:
    contact = contact_open(channel="chat", text="Waar blijft mijn pakket?").contact
    assert len(_claim(10)) == 1  # a drain took the row, then stopped (killed) before handling it
    assert outbox_drain() == 0
    OutboxEntry.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert outbox_drain() == 1
    assert heard["changed"] == [[contact.pk]]


def _left(model: Any) -> bool:
    """Whether rows are left; the tests' in-memory SQLite (shared cache) refuses a read while the drain
    thread writes the table instead of waiting, so such a moment counts as "still there"."""
    try:
        return bool(model.objects.exists())
    except OperationalError:
        return True


@pytest.mark.django_db(transaction=True)
def test_the_drain_thread_handles_each_commit_off_the_committing_thread(
    settings: Any, fake_analyser: Any, heard: dict[str, list[list[int]]]
) -> None:
    outbox_thread_start()
    try:
        contact = contact_open(channel="chat", text="Ik ben boos").contact
        deadline = time.monotonic() + 10
        while _left(OutboxEntry) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        outbox_thread_stop()
    assert not OutboxEntry.objects.exists()
    assert heard["signals"] == [[contact.pk]]
    assert MessageSignals.objects.get(message__contact=contact).top_emotion == "anger"


# --- the server's drain thread paces itself beside the requests ------------------------------------------


class Recording(outbox._Pacer):
    """A real pacer that also writes down when it was asked to rest (what the listeners had heard then)."""

    def __init__(self, heard: dict[str, list[list[int]]] | None = None) -> None:
        super().__init__()
        self.heard = heard
        self.rests: list[int] = []

    def rest(self) -> None:
        self.rests.append(len(self.heard["changed"]) if self.heard is not None else 0)
        super().rest()


def _busy(seconds: float) -> None:
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_the_pacer_rests_three_times_as_long_as_the_step_it_follows_took() -> None:
    pacer = outbox._Pacer(share=0.25, budget_s=1.0)
    _busy(0.004)
    started = time.monotonic()
    pacer.rest()
    assert time.monotonic() - started >= 3 * 0.004  # its share of the time: a quarter
    assert 1.0 - pacer.budget_s >= 3 * 0.004
    left = pacer.budget_s
    pacer.rest()  # nothing done since: no rest
    assert pacer.budget_s == left


def test_the_pacer_rests_no_longer_than_its_budget_in_all() -> None:
    pacer = outbox._Pacer(share=0.25, budget_s=0.005)
    _busy(0.004)
    started = time.monotonic()
    pacer.rest()  # 12 ms wanted, 5 ms allowed
    assert pacer.budget_s == 0
    assert time.monotonic() - started >= 0.005
    _busy(0.004)
    started = time.monotonic()
    pacer.rest()  # the budget is spent: the drain goes on at once
    assert time.monotonic() - started < 0.012  # it would have rested 12 ms


@pytest.mark.django_db(transaction=True)
def test_a_paced_drain_rests_between_its_steps_but_never_inside_a_transaction(
    worker_mode: None, heard: dict[str, list[list[int]]]
) -> None:
    for n in range(3):
        contact_open(channel="chat", text=f"Waar blijft pakket {n}?")
    pacer = Recording(heard)
    assert outbox_drain(pacer=pacer) == 3
    # after the claim, after the analysis, after each listener and after the delete
    assert len(pacer.rests) >= 3 + len(outbox._listeners)
    outbox._local.pacer = pacer
    try:
        with transaction.atomic():  # SQLite's write lock is this thread's here: no resting with it
            outbox.outbox_rest()
        assert len(pacer.rests) >= 3 + len(outbox._listeners)
        before = len(pacer.rests)
        outbox.outbox_rest()
        assert len(pacer.rests) == before + 1
    finally:
        outbox._local.pacer = None


@pytest.mark.django_db(transaction=True)
def test_a_drain_catching_up_on_a_backlog_stops_resting_after_its_first_full_batch(
    worker_mode: None, heard: dict[str, list[list[int]]]
) -> None:
    for n in range(5):
        contact_open(channel="chat", text=f"Waar blijft pakket {n}?")
    pacer = Recording(heard)
    assert outbox_drain(batch=2, pacer=pacer) == 5
    assert len(heard["changed"]) == 3  # three batches: 2, 2, 1
    assert pacer.rests and max(pacer.rests) <= 1  # it rested in the first batch only


@pytest.mark.django_db(transaction=True)
def test_the_servers_drain_thread_is_paced(
    settings: Any, fake_analyser: Any, heard: dict[str, list[list[int]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[Recording] = []

    def recording() -> Recording:
        made.append(Recording())
        return made[-1]

    monkeypatch.setattr(outbox, "_Pacer", recording)
    outbox_thread_start()
    try:
        contact_open(channel="chat", text="Ik ben boos")
        deadline = time.monotonic() + 10
        while _left(OutboxEntry) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        outbox_thread_stop()
    assert not OutboxEntry.objects.exists()
    assert any(pacer.rests for pacer in made)


# --- a draining process killed halfway ------------------------------------------------------------------

CONTACTS, BATCH = 25, 10
OPEN_SCRIPT = f"""
import django
django.setup()
from gezien.contacts.services import contact_open
for n in range({CONTACTS}):
    contact_open(channel="chat", text=f"Waar blijft mijn pakket {{n}}?")
"""
# Drains in batches of BATCH; its listener stops dead in the second batch, after that batch's signals
# are stored and some listeners ran, and says so in a file: the test kills the process there.
KILLED_SCRIPT = f"""
import sys, time
from pathlib import Path
import django
django.setup()
from gezien.contacts.changes import on_contacts_changed
from gezien.contacts.outbox import outbox_drain
batches = []
def stall(contact_ids):
    batches.append(contact_ids)
    if len(batches) == 2:
        Path(sys.argv[1]).write_text("stalled")
        time.sleep(600)
on_contacts_changed(stall)
outbox_drain(batch={BATCH})
"""


def _count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute(sql).fetchone()[0])


def test_a_drain_killed_halfway_loses_nothing_and_the_restarted_worker_handles_every_contact(
    tmp_path: Path, migrated_sqlite_template: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="gezien.config.settings",
        GEZIEN_DATA_DIR=str(sqlite_data_dir(migrated_sqlite_template, tmp_path)),  # `gezien migrate`d
        GEZIEN_SECRET_KEY="test-outbox",
        GEZIEN_ANALYSIS_INLINE="0",  # nothing handled at the commit: the outbox fills
        GEZIEN_ANALYSIS_MODEL="off",
        GEZIEN_OUTBOX_LEASE_SECONDS="2",
        GEZIEN_INSIGHTS_TICK_SECONDS="0",
    )
    database = tmp_path / "gezien.sqlite3"
    run = {"env": env, "capture_output": True, "text": True, "timeout": 300}
    done = subprocess.run([sys.executable, "-c", OPEN_SCRIPT], **run)  # type: ignore[call-overload]
    assert done.returncode == 0, done.stderr
    assert _count(database, "SELECT COUNT(*) FROM contacts_outboxentry") == CONTACTS

    marker = tmp_path / "stalled"
    draining = subprocess.Popen([sys.executable, "-c", KILLED_SCRIPT, str(marker)], env=env)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert draining.poll() is None and time.monotonic() < deadline, "the drain never stalled"
            time.sleep(0.05)
        os.kill(draining.pid, signal.SIGKILL)
        draining.wait(10)
    finally:
        if draining.poll() is None:
            draining.kill()
    # The first batch was handled and removed; the second was halfway (its signals stored): it stays.
    assert _count(database, "SELECT COUNT(*) FROM contacts_outboxentry") == CONTACTS - BATCH
    assert _count(database, "SELECT COUNT(*) FROM contacts_messagesignals") == 2 * BATCH

    worker = subprocess.Popen(
        [str(BIN / "gezien"), "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while _count(database, "SELECT COUNT(*) FROM contacts_outboxentry"):
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            assert time.monotonic() < deadline, "the restarted worker did not drain the outbox"
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
    assert _count(database, "SELECT COUNT(*) FROM contacts_messagesignals") == CONTACTS
    assert _count(database, "SELECT COUNT(*) FROM insights_stalefact") == CONTACTS
    unhandled = "SELECT COUNT(*) FROM contacts_message m LEFT JOIN contacts_messagesignals s"
    assert _count(database, f"{unhandled} ON s.message_id = m.id WHERE s.message_id IS NULL") == 0
