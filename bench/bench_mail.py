"""`make bench-mail`: e-mail in and out.

    .venv/bin/python bench/bench_mail.py                  # every part
    .venv/bin/python bench/bench_mail.py --part outgoing  # replies that leave only
    .venv/bin/python bench/bench_mail.py --mails 100      # fewer mails a run (a quick look)
    .venv/bin/python bench/bench_mail.py --part intake --rounds 2   # the intake only, 2 corpus rounds a run
    .venv/bin/python bench/bench_mail.py --write          # and the table into docs/performance.md

Intake (`bench_mail_intake.intake()`, its docstring says what is measured): the mail corpus through
`gezien.mail.intake.ingest` and the outbox drain, beside django-helpdesk's own intake of the same bytes
(target: at least 100 messages/s and 5 times the peer).

Outgoing (`outgoing()`): agents' replies on e-mail contacts (50 contacts, 300 replies a run), sent to a
local SMTP server (aiosmtpd on 127.0.0.1 in a process of its own, counting what it accepted), on SQLite
in a fresh folder:

- "sending" (the target, at least 50 mails/s): replies queued while no sender ran (their OutgoingMail and
  Delivery written in the reply's transaction), then sent by the periodic job
  (`gezien.mail.delivery.deliveries_due`): each mail claimed, built (MIME: text and HTML, signature,
  threading headers), handed over SMTP (one connection for the batch) and recorded as sent;
- "reply to sent": `contacts.services.message_add` for each reply, which sends its mail right after its
  commit (one SMTP connection per mail), as the desk does where no worker runs. This includes all of
  the desk's work for a reply besides the mail (the analysis of the reply, routing, figures), so it
  shows what an agent's "Versturen" costs in all; "reply without mail" is the same replies on chat
  contacts (no sender), so the difference is the mail's part. Neither has a target.

Each is run 3 times; the median is reported with the CPU time per mail of the sending process. Targets
are reported, never gated: the exit status is 0 whether they are met or not, 1 when a part could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_OUTGOING_PER_S = 50.0
RUNS = 3
CONTACTS = 50


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _django(data_dir: Path) -> None:
    """Set up Django on a fresh SQLite database in `data_dir` (before anything imports the settings)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "gezien.config.settings"
    os.environ["GEZIEN_DATA_DIR"] = str(data_dir)
    os.environ["GEZIEN_SQLITE_PATH"] = str(data_dir / "bench-mail.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("GEZIEN_LOG_LEVEL", "ERROR")
    os.environ["GEZIEN_ANALYSIS_MODEL"] = "off"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


RECEIVER = """
import sys
from aiosmtpd.controller import Controller

class Counter:
    count = 0
    size = 0

    async def handle_DATA(self, server, session, envelope):
        Counter.count += 1
        Counter.size += len(envelope.original_content or envelope.content)
        return "250 2.0.0 Ok: queued"

controller = Controller(Counter(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
for line in sys.stdin:
    print(Counter.count, Counter.size, flush=True)
controller.stop()
"""


class Receiver:
    """aiosmtpd on 127.0.0.1 in a process of its own (its work is not counted as ours), accepting every
    mail; `accepted()` asks it how many mails (and bytes) it took."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.process = subprocess.Popen(
            [sys.executable, "-c", RECEIVER, str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self._line() != "ready":
            raise RuntimeError("the SMTP receiver did not start")

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def accepted(self) -> tuple[int, int]:
        assert self.process.stdin is not None
        self.process.stdin.write("?\n")
        self.process.stdin.flush()
        count, size = self._line().split()
        return int(count), int(size)

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


Run = Callable[[], tuple[float, float]]  # (wall seconds, CPU seconds of this process)


def outgoing(mails: int = 300, runs: int = RUNS) -> dict[str, Any]:
    """Replies that leave: mails per second to a local SMTP server, median of `runs` runs."""
    from django.conf import settings
    from django.db import transaction

    from gezien.accounts.services import agent_create, team_ensure
    from gezien.contacts.models import Contact, Delivery
    from gezien.contacts.services import contact_open, message_add
    from gezien.customers.services import customer_create
    from gezien.mail.delivery import deliveries_due
    from gezien.mail.models import Mailbox

    receiver = Receiver()
    try:
        team = team_ensure(name="Team Mail")
        agent = agent_create(
            username="bench-mail", password="bench-wachtwoord-1", role="agent",  # noqa: S106
            first_name="Sanne", last_name="de Vries", team=team,
        )  # fmt: skip
        Mailbox.objects.create(
            name="klantenservice",
            address="klantenservice@voorbeeld.nl",
            team=team,
            smtp_url=f"smtp://127.0.0.1:{receiver.port}",
            signature="Klantenservice Voorbeeld Telecom\nma-vr 08:00-18:00",
        )
        contacts: list[Contact] = []
        for i in range(CONTACTS):
            address = f"klant{i}@voorbeeld-klant.nl"
            customer_create(first_name="Klant", last_name=str(i), identities=[("email", address)])
            contacts.append(
                contact_open(
                    channel="email", identities=[("email", address)], text="Mijn factuur klopt niet.",
                    subject=f"Factuur {i}", team=team,
                ).contact
            )  # fmt: skip
        text = (
            "Beste klant,\n\nDank voor uw bericht. We hebben de factuur nagekeken en passen hem aan; "
            "u ziet het bedrag terug op de volgende factuur.\n\nMet vriendelijke groet,"
        )
        settings.GEZIEN_ANALYSIS_INLINE = True  # no worker: the desk's own process sends after the commit

        chats = [
            contact_open(
                channel="chat", identities=[("email", f"klant{i}@voorbeeld-klant.nl")], text="Hallo?"
            ).contact
            for i in range(CONTACTS)
        ]

        def replies(on: list[Contact] = contacts) -> None:
            for i in range(mails):
                message_add(contact=on[i % CONTACTS], author="agent", text=text, agent=agent)

        def timed(work: Callable[[], None], expected: int | None = None) -> tuple[float, float]:
            before = receiver.accepted()[0]
            started, cpu = time.perf_counter(), time.process_time()
            work()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            if receiver.accepted()[0] - before != (mails if expected is None else expected):
                raise RuntimeError("the receiver did not get every mail")
            return seconds, cpu

        def send_backlog() -> None:
            sent = 0
            while sent < mails:
                done = deliveries_due()
                if done == 0:
                    raise RuntimeError("the periodic job found nothing to send")
                sent += done

        def sending() -> tuple[float, float]:
            with transaction.atomic():  # queued, and the commit's dispatch dropped: no sender ran yet
                replies()
                connection_callbacks_drop()
            return timed(send_backlog)

        def reply_to_sent() -> tuple[float, float]:
            return timed(replies)  # each reply returns once the server accepted its mail

        def reply_without_mail() -> tuple[float, float]:
            return timed(lambda: replies(chats), expected=0)  # the same replies on chat: no mail

        def measure(name: str, run: Run, target: float | None = TARGET_OUTGOING_PER_S) -> dict[str, Any]:
            rates, cpu_ms = [], []
            for number in range(runs):
                seconds, cpu = run()
                rates.append(mails / seconds)
                cpu_ms.append(cpu * 1000 / mails)
                log(f"outgoing, {name}, run {number + 1}: {mails} in {seconds:.2f} s, {rates[-1]:.0f}/s")
            median = statistics.median(rates)
            return {
                "mails_per_run": mails,
                "runs_per_s": [round(r, 1) for r in rates],
                "median_per_s": round(median, 1),
                "cpu_ms_per_mail": round(statistics.median(cpu_ms), 2),
                "target_per_s": target,
                "met": None if target is None else median >= target,
            }

        result: dict[str, Any] = {
            "sending": measure("sending (queued to accepted)", sending),
            "reply_to_sent": measure("reply to sent (with the desk's reply work)", reply_to_sent, None),
            "reply_without_mail": measure("the same replies on chat (no mail)", reply_without_mail, None),
        }
        result["all_sent"] = set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
        count, size = receiver.accepted()
        result["mean_mail_bytes"] = round(size / max(1, count))
        return result
    finally:
        receiver.stop()


def connection_callbacks_drop() -> None:
    """Forget the after-commit callbacks of the open transaction (the process "stopped" before them)."""
    from django.db import connection

    connection.run_on_commit = []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=("all", "outgoing", "intake"), default="all")
    parser.add_argument("--rounds", type=int, default=5, help="copies of the corpus a run (intake)")
    parser.add_argument("--write", action="store_true", help="write the table into docs/performance.md")
    parser.add_argument("--mails", type=int, default=300, help="mails a run (outgoing)")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    if args.part in ("all", "intake"):  # first: its Gezien side runs in processes of their own
        from bench_mail_intake import intake

        try:
            results["intake"] = intake(rounds=args.rounds)
        except Exception as error:
            log(f"intake could not run: {type(error).__name__}: {error}")
            results["intake"] = {"failed": str(error)}
    with tempfile.TemporaryDirectory(prefix="bench-mail-") as folder:
        _django(Path(folder))
        if args.part in ("all", "outgoing"):
            try:
                results["outgoing"] = outgoing(mails=args.mails)
            except Exception as error:  # reported, and the exit status says a part could not run
                log(f"outgoing could not run: {type(error).__name__}: {error}")
                results["outgoing"] = {"failed": str(error)}
    from bench_mail_intake import report, write_doc

    table = report(results)
    log(table)
    if args.write:
        write_doc(table)
    for part, found in results.items():
        if "failed" in found or part == "intake":
            continue
        for name, figures in found.items():
            if isinstance(figures, dict):
                line = f"{part} {name}: median {figures['median_per_s']}/s of 3 runs"
                line += f", {figures['cpu_ms_per_mail']} ms CPU a mail"
                if figures["target_per_s"] is not None:
                    verdict = "met" if figures["met"] else "NOT met"
                    line += f" (target >= {figures['target_per_s']:.0f}/s: {verdict})"
                log(line)
    print(json.dumps(results))
    return 1 if any("failed" in found for found in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
