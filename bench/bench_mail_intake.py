"""The intake half of `make bench-mail`: the mail corpus through Gezien's intake beside django-helpdesk's.

`intake()` (run by bench/bench_mail.py's main) takes every `.eml` of tests/mailparse/corpus (110 mails:
customers' mails in many charsets and MIME shapes, Outlook and Gmail quoting, bounces, out-of-office
replies, receipts, complaints, spam, broken mail), repeated ROUNDS times. Each round's copy gets its own
Message-IDs (every `<id>` of the corpus in a header gets the round's prefix, so the references between the
corpus' mails still hold within a round) and an `X-Bench-Round` header on top (so the mails without a
Message-ID differ too): no copy is a duplicate of another. Both sides get exactly these bytes.

- Gezien: a process of its own on a fresh SQLite database in a temporary folder (migrated, one mailbox
  `klantenservice@despaak.example`, a customer for every second distinct sender address of the corpus so
  that recognition finds half of them), hands the mails to `gezien.mail.intake.ingest_many(mailbox, mails)`
  as an IMAP round does (in batches of 50: the batch's raw mails stored and committed, then each parsed,
  classified, threaded, recognised, contact or message written, attachments stored, in a savepoint of its
  own; `BENCH_MAIL_BATCH=1`: one by one through `ingest`) and then drains the outbox
  (`contacts.outbox.outbox_drain`: the analysis of every new message, the routing and the other listeners),
  both timed with `time.perf_counter`. The analysis is the rules layer, as the SQLite default runs it
  (`GEZIEN_ANALYSIS_MODEL` off).
- django-helpdesk 2.6.1: `bench/peer_helpdesk/project/mail_intake.py` on a fresh copy of its template
  database: its own intake (`helpdesk.email.process_queue` on a local folder holding the same files),
  which parses each mail and makes a ticket or a follow-up.

Gezien and the peer run alternately, 3 times each; the median of the messages per second is reported.

    .venv/bin/python bench/bench_mail_intake.py --rounds 5      # this half alone, prints JSON
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "mailparse" / "corpus"
MAILBOX_ADDRESS = "klantenservice@despaak.example"
TARGET_INTAKE_PER_S = 100.0
TARGET_FACTOR = 5.0
RUNS = 3
ROUNDS = 5

_ANGLE_ID = re.compile(rb"<([^<>\s]+)>")
_MESSAGE_ID = re.compile(rb"^message-id:\s*<([^<>\s]+)>", re.IGNORECASE | re.MULTILINE)
_FROM = re.compile(rb"^from:.*?<?([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)>?\s*$", re.IGNORECASE | re.MULTILINE)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _split(raw: bytes) -> tuple[bytes, bytes, bytes]:
    """(header block, the blank line, body) of a raw mail, the line ends as they are."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        at = raw.find(separator)
        if at != -1:
            return raw[:at], separator, raw[at + len(separator) :]
    return raw, b"", b""


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.eml"))


def corpus_rounds(rounds: int) -> list[bytes]:
    """The corpus `rounds` times, each round's Message-IDs (and the references to them) its own."""
    originals = [path.read_bytes() for path in corpus_files()]
    known = {m.group(1) for raw in originals for m in _MESSAGE_ID.finditer(_split(raw)[0])}
    out = []
    for round_ in range(rounds):
        prefix = f"r{round_}.".encode()

        def renamed(match: re.Match[bytes], prefix: bytes = prefix) -> bytes:
            found = match.group(1)
            return b"<" + prefix + found + b">" if found in known else match.group(0)

        for raw in originals:
            head, separator, body = _split(raw)
            newline = b"\r\n" if b"\r\n" in head else b"\n"
            head = _ANGLE_ID.sub(renamed, head)
            out.append(b"X-Bench-Round: " + str(round_).encode() + newline + head + separator + body)
    return out


def corpus_senders() -> list[str]:
    """The distinct sender addresses of the corpus (lower case), in a fixed order."""
    found = []
    for path in corpus_files():
        match = _FROM.search(_split(path.read_bytes())[0])
        if match:
            found.append(match.group(1).decode("ascii", "replace").lower())
    return sorted(set(found))


# --- Gezien's side: one process per run (`--gezien-run FOLDER`), a fresh database each -------------------


def gezien_run(folder: Path) -> dict[str, Any]:
    """Ingest the mails in `folder` (written by `intake`) on a fresh database; timed, in this process."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "gezien.config.settings"
    os.environ["GEZIEN_DATA_DIR"] = str(folder / "data")
    os.environ["GEZIEN_SQLITE_PATH"] = str(folder / "data" / "gezien.sqlite3")
    os.environ.setdefault("GEZIEN_SECRET_KEY", "bench-mail-intake-secret-key-0123456789abcdefghijkl")
    os.environ.pop("DATABASE_URL", None)
    os.environ["GEZIEN_LOG_LEVEL"] = "CRITICAL"
    os.environ["GEZIEN_ANALYSIS_MODEL"] = "off"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "src"))
    import logging

    import django

    django.setup()
    logging.disable(logging.CRITICAL)  # the quarantined corpus mails would log a warning each
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from gezien.accounts.services import team_ensure
    from gezien.contacts.analysing import analysis_warm_up
    from gezien.contacts.models import Contact, Message
    from gezien.contacts.outbox import outbox_drain, outbox_waiting
    from gezien.customers.services import customer_create
    from gezien.mail.intake import BATCH, ingest, ingest_many
    from gezien.mail.models import InboundMail, Mailbox

    team = team_ensure(name="Team Mail")
    mailbox = Mailbox.objects.create(name="klantenservice", address=MAILBOX_ADDRESS, team=team)
    senders = corpus_senders()
    known = senders[::2]
    for index, address in enumerate(known):
        try:
            customer_create(first_name="Klant", last_name=str(index), identities=[("email", address)])
        except Exception as error:  # an address the identities refuse: that sender stays unknown
            log(f"no customer for {address}: {error}")
    mails = [path.read_bytes() for path in sorted((folder / "mails").iterdir())]
    analysis_warm_up()
    settings.GEZIEN_ANALYSIS_INLINE = False  # the outbox waits for the drain below, as a worker's thread
    profile = None
    sampler = None
    if os.environ.get("BENCH_MAIL_PROFILE") == "pyinstrument":  # sampled; the tree to stderr
        from pyinstrument import Profiler

        sampler = Profiler(interval=0.0005)  # wall time: on a busy machine, the waits spread evenly
        sampler.start()
    elif os.environ.get("BENCH_MAIL_PROFILE"):  # cProfile of the timed part, to stderr
        import cProfile

        profile = cProfile.Profile(time.process_time)  # CPU time: the machine may be shared
        profile.enable()
    # Under `valgrind --tool=callgrind --instr-atstart=no`: count the instructions of the timed part only.
    callgrind = ["callgrind_control", "-i"] if os.environ.get("BENCH_MAIL_CALLGRIND") else None
    if callgrind:
        subprocess.run([*callgrind, "on", str(os.getpid())], check=True, capture_output=True)
    started = time.perf_counter()
    cpu = time.process_time()
    outcomes: dict[str, int] = {}
    trace = int(os.environ.get("BENCH_MAIL_TRACE", "0") or 0)  # print the SQL of mail number N
    # `ingest_many` in batches of BATCH, as an IMAP round takes them; BENCH_MAIL_BATCH=1: one by one through
    # `ingest` (as `gezien mail ingest` with one file), and so does BENCH_MAIL_TRACE.
    batch = int(os.environ.get("BENCH_MAIL_BATCH", "0") or 0) or BATCH
    if batch > 1 and not trace:
        for result in ingest_many(mailbox, mails, batch=batch):
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    for number, raw in enumerate(mails if batch == 1 or trace else ()):
        if trace and number == trace:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                result = ingest(mailbox, raw)
            for query in captured.captured_queries:
                log(query["sql"][:400])
            log(f"{len(captured.captured_queries)} queries: {result}")
        else:
            result = ingest(mailbox, raw)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    ingested = time.perf_counter()
    drained = outbox_drain()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    if callgrind:
        subprocess.run([*callgrind, "off", str(os.getpid())], check=True, capture_output=True)
    if sampler is not None:
        sampler.stop()
        log(sampler.output_text(unicode=True, show_all=False, timeline=False))
        if os.environ.get("BENCH_MAIL_PROFILE_SAVE"):  # the session, for `pyinstrument --load`
            sampler.last_session.save(os.environ["BENCH_MAIL_PROFILE_SAVE"])
    if profile is not None:
        import pstats

        profile.disable()
        if os.environ.get("BENCH_MAIL_PROFILE_SAVE"):  # for pstats (print_callers, ...)
            profile.dump_stats(os.environ["BENCH_MAIL_PROFILE_SAVE"])
        stats = pstats.Stats(profile, stream=sys.stderr)
        stats.sort_stats(os.environ["BENCH_MAIL_PROFILE"]).print_stats(70)
        if os.environ.get("BENCH_MAIL_CALLEES"):  # e.g. "_thread": what a function's time went to
            stats.print_callees(os.environ["BENCH_MAIL_CALLEES"])
    return {
        "messages": len(mails),
        "seconds": seconds,
        "ingest_seconds": ingested - started,
        "drain_seconds": seconds - (ingested - started),
        "cpu_seconds": cpu,
        "outcomes": outcomes,
        "outbox_rows": drained,
        "outbox_left": outbox_waiting(),
        "contacts": Contact.objects.count(),
        "recognised": Contact.objects.filter(customer__isnull=False).count(),
        "messages_stored": Message.objects.count(),
        "inbound_stored": InboundMail.objects.count(),
        "analysed": Message.objects.filter(signals__isnull=False).count(),
    }


# --- Both sides, alternately --------------------------------------------------------------------------


def _gezien(folder: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), str(Path(__file__).resolve()), "--gezien-run", str(folder)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"the Gezien run failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _peer(folder: Path, python: Path, template: str) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "bench"))
    from peer_helpdesk.setup_peer import PROJECT_DIR, fresh_database, project_env

    database = fresh_database(f"mail-{template}")
    env = dict(os.environ)
    env.update(project_env(database))
    completed = subprocess.run(
        [str(python), "mail_intake.py", str(folder / "mails"), "1"],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"the peer run failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def intake(rounds: int = ROUNDS, runs: int = RUNS) -> dict[str, Any]:
    """Messages per second through Gezien's intake and django-helpdesk's, median of `runs` alternate runs."""
    sys.path.insert(0, str(ROOT / "bench"))
    from peer_helpdesk.setup_peer import ensure_peer

    peer = ensure_peer()
    mails = corpus_rounds(rounds)
    gezien_rates: list[float] = []
    peer_rates: list[float] = []
    gezien_cpu: list[float] = []  # ms a mail, each run
    peer_cpu: list[float] = []
    gezien_last: dict[str, Any] = {}
    peer_last: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-mail-intake-") as tmp:
        for run in range(runs):
            folder = Path(tmp) / f"run{run}"
            (folder / "mails").mkdir(parents=True)
            for index, raw in enumerate(mails):
                (folder / "mails" / f"{index:05}.eml").write_bytes(raw)
            gezien_last = _gezien(folder)
            gezien_rates.append(gezien_last["messages"] / gezien_last["seconds"])
            gezien_cpu.append(gezien_last["cpu_seconds"] * 1000 / gezien_last["messages"])
            log(
                f"intake, gezien, run {run + 1}: {gezien_last['messages']} in "
                f"{gezien_last['seconds']:.2f} s, {gezien_rates[-1]:.0f}/s {gezien_last['outcomes']}"
            )
            peer_last = _peer(folder, peer.python, str(run))
            peer_rates.append(peer_last["messages"] / peer_last["seconds"])
            peer_cpu.append(peer_last["cpu_seconds"] * 1000 / peer_last["messages"])
            log(
                f"intake, django-helpdesk, run {run + 1}: {peer_last['messages']} in "
                f"{peer_last['seconds']:.2f} s, {peer_rates[-1]:.0f}/s"
            )
            shutil.rmtree(folder, ignore_errors=True)
    median, peer_median = statistics.median(gezien_rates), statistics.median(peer_rates)
    factor = median / peer_median if peer_median else float("inf")
    return {
        "corpus_files": len(corpus_files()),
        "rounds": rounds,
        "messages_per_run": len(mails),
        "gezien": {
            "runs_per_s": [round(r, 1) for r in gezien_rates],
            "median_per_s": round(median, 1),
            "cpu_ms_per_mail": round(statistics.median(gezien_cpu), 2),
            "target_per_s": TARGET_INTAKE_PER_S,
            "met": median >= TARGET_INTAKE_PER_S,
            "last_run": {k: round(v, 3) if isinstance(v, float) else v for k, v in gezien_last.items()},
        },
        "peer": {
            "name": f"django-helpdesk {peer.helpdesk_version}",
            "runs_per_s": [round(r, 1) for r in peer_rates],
            "median_per_s": round(peer_median, 1),
            "cpu_ms_per_mail": round(statistics.median(peer_cpu), 2),
            "last_run": {k: round(v, 3) if isinstance(v, float) else v for k, v in peer_last.items()},
        },
        "factor": round(factor, 1),
        "target_factor": TARGET_FACTOR,
        "factor_met": factor >= TARGET_FACTOR,
    }


# --- The table in docs/performance.md ------------------------------------------------------------------

DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- BEGIN GENERATED by `make bench-mail` (bench/bench_mail.py) -->"
END = "<!-- END GENERATED mail -->"


def report(results: dict[str, Any]) -> str:
    """The section `make bench-mail` writes: what was measured, one table, the machine's load."""
    import datetime
    import platform

    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"## E-mail in and out ({now})", ""]
    rounds = results.get("intake", {}).get("rounds", "several")
    out.append(
        "`make bench-mail` (`bench/bench_mail.py`). **Intake**: the 110 mails of `tests/mailparse/corpus` "
        "(customers' mails in many charsets and MIME shapes, quoting, bounces, out-of-office replies, "
        f"receipts, complaints, spam, broken mail) {rounds} times a run, each copy with Message-IDs "
        "of its own, in one process through `gezien.mail.intake.ingest_many` (in batches of 50 as an IMAP "
        "round takes them: the raw mails committed, then each "
        "parsed, "
        "classified, threaded, the sender recognised among customers whose address matches half the senders, "
        "contact or message and attachments written) and the outbox drained after it (each new message's "
        "analysis by the rules layer, routing and the other listeners), on a fresh SQLite database per run; "
        "beside it django-helpdesk's own e-mail intake (`extract_email_metadata`, a ticket or follow-up per "
        "mail, as `process_queue` does for a local folder) of the very same bytes, on a fresh copy of its "
        "database. The two run alternately, 3 times each; the median run counts. **Outgoing**: agents' "
        "replies sent to a local SMTP receiver (aiosmtpd in a process of its own), median of 3 runs. "
        "Wall-clock rates, and beside them the CPU time of the measuring process (the median "
        "of the runs): on a machine whose cores other work shares, the wall clock counts the waiting "
        "too, and mails per CPU-second is what one free core would do. Targets are reported, never gated."
    )
    out += [
        "",
        "| What | Runs (per s) | Median | CPU a mail | Mails per CPU-second | Target | Met |",
        "|---|---|---|---|---|---|---|",
    ]
    intake = results.get("intake", {})
    if "failed" in intake:
        out.append(f"| intake | could not run: {intake['failed']} | | | | | |")
    elif intake:
        ours, peer = intake["gezien"], intake["peer"]
        runs = ", ".join(f"{r:.0f}" for r in ours["runs_per_s"])
        cpu = ours["cpu_ms_per_mail"]
        out.append(
            f"| Intake, Gezien ({intake['messages_per_run']} mails a run) | {runs} | "
            f"**{ours['median_per_s']:.0f}/s** | {cpu:.1f} ms | {1000 / cpu:.0f} | "
            f"≥ {ours['target_per_s']:.0f}/s | "
            f"{'yes' if ours['met'] else 'no'} |"
        )
        ours_cpu = cpu
        runs = ", ".join(f"{r:.0f}" for r in peer["runs_per_s"])
        cpu = peer["cpu_ms_per_mail"]
        out.append(
            f"| Intake, {peer['name']} | {runs} | {peer['median_per_s']:.0f}/s | {cpu:.1f} ms | "
            f"{1000 / cpu:.0f} | | |"
        )
        cpu_factor = cpu / ours_cpu
        out.append(
            f"| Intake, Gezien ÷ peer | | **{intake['factor']:.1f}×** | | {cpu_factor:.1f}× | "
            f"≥ {intake['target_factor']:.0f}× | "
            f"{'yes' if intake['factor_met'] else 'no'} |"
        )
    for name, figures in results.get("outgoing", {}).items():
        if not isinstance(figures, dict):
            continue
        runs = ", ".join(f"{r:.0f}" for r in figures["runs_per_s"])
        target = figures.get("target_per_s")
        out.append(
            f"| Outgoing, {name.replace('_', ' ')} ({figures['mails_per_run']} mails a run) | {runs} | "
            f"**{figures['median_per_s']:.0f}/s** | {figures['cpu_ms_per_mail']:.1f} ms | "
            f"{1000 / figures['cpu_ms_per_mail']:.0f} | "
            + (f"≥ {target:.0f}/s | {'yes' if figures['met'] else 'no'} |" if target else " | |")
        )
    if intake and "failed" not in intake:
        last, peer_last = intake["gezien"]["last_run"], intake["peer"]["last_run"]
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(last["outcomes"].items()))
        out += [
            "",
            f"Gezien's last run: {outcomes}; {last['contacts']} contacts ({last['recognised']} recognised), "
            f"{last['analysed']} of {last['messages_stored']} messages analysed, "
            f"{last['outbox_left']} outbox rows left; ingest {last['ingest_seconds']:.2f} s, "
            f"drain {last['drain_seconds']:.2f} s. "
            f"django-helpdesk's: {peer_last['tickets']} tickets, {peer_last['failed']} mails it failed on "
            "(left in its folder).",
        ]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out += [
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average at the end {load}.",
        "",
    ]
    return "\n".join(out)


def write_doc(text: str) -> None:
    """Replace (or add) the generated section of docs/performance.md."""
    section = f"{BEGIN}\n\n{text}\n{END}\n"
    current = DOC.read_text(encoding="utf-8")
    if BEGIN in current and END in current:
        head = current[: current.index(BEGIN)]
        tail = current[current.index(END) + len(END) :].lstrip("\n")
        DOC.write_text(head + section + (("\n" + tail) if tail else ""), encoding="utf-8")
    else:
        DOC.write_text(current.rstrip("\n") + "\n\n" + section, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="copies of the corpus a run")
    parser.add_argument("--gezien-run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.gezien_run is not None:
        print(json.dumps(gezien_run(args.gezien_run)))
        return 0
    print(json.dumps(intake(rounds=args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
