"""The `gezien` command for operators.

gezien serve                 serve the desk (PORT, default 8000; GEZIEN_BIND, default 127.0.0.1)
gezien migrate               create or update the database
gezien demo-data             load the demo organisation (idempotent)
gezien createuser NAME       create an agent (--role, --team, --password or prompt; the password policy)
gezien unlock NAME           let someone sign in again after too many failed attempts (--address IP)
gezien reset-2fa NAME        switch someone's two-factor sign-in off (a lost phone)
gezien token create --user NAME [--name LABEL] [--scopes S ...] [--days N] [--rate 600/min]   a new API token
gezien token list --user NAME / gezien token revoke ID
gezien worker                run background tasks (database queue, or RQ with GEZIEN_TASKS_URL), the contacts
                             outbox and the insights tick
gezien insights tick         the insights heartbeat once (for cron when no worker runs)
gezien insights digest       the weekly digest to departments (--week YYYY-MM-DD, --dry-run, --department)
gezien analysis reanalyse    analyse stored messages again (--missing, --all; default: missing or stale)
gezien analysis train        refit the learned layer's heads on the desk's corrections plus public data
gezien analysis eval ...     the evaluation harness (gezien_lab.evaluation)
gezien analyse FILE|-        signals for the texts in a JSONL or CSV file (or stdin), as JSONL
gezien staffing --calls 100 --interval 30m --aht 180s --target 80/20 [--patience 120s] [--shrinkage 30%]
                             agents needed for a queue (Erlang C, Erlang A with --patience), as a table
gezien mail fetch [--mailbox NAME] [--once]   IMAP intake until SIGTERM (--once: what is there now)
gezien mailbox add NAME --address ADDR [--imap URL] [--smtp URL] [--team TEAM]   a mailbox (docs/mail.md)
gezien mailbox list          the mailboxes, their servers shown without secrets
gezien mail ingest --mailbox NAME FILE|- [FILE ...]   raw mails (a mail server's pipe), one JSON line each
gezien cti replay FILE|- [--url URL --token T] [--speed X]   play call events (JSON lines, "delay" in s)
gezien cti ring [NUMBER] [--answer USER] [--ring-s 8] [--talk-s 30] [--url URL --token T]
                             a ringing call for the desk (default: the demo widow's number); docs/phone.md
gezien cti asterisk --ami tcp://USER:SECRET@HOST:5038 [--url URL --token T]   Asterisk's calls to the desk
gezien cti call NUMBER --user USER          click-to-call through the telephone system
gezien cti transfer CALL_ID --to-user USER  warm transfer of a call going on
gezien cti extension list | set USER EXT [--interface PJSIP/201] | remove USER   who answers which phone
gezien voice analyse FILE [--agent-channel left|right]   a stereo call recording's voice analysis as JSON
gezien voice transcribe FILE [--agent-channel left|right]   its Dutch speech as text turns (the stt extra)
gezien privacy export --customer ID [--out FILE]   everything about a customer as a zip (subject-access)
gezien privacy erase --customer ID --yes           erase a customer's personal data (docs/privacy.md)
gezien backup [--out FILE]   the database and the data folder's files in one archive (while serving)
gezien restore FILE --yes    put an archive of `gezien backup` back (stop the desk and workers first)
gezien audit list [--customer ID] [--actor ID] [--action A] [--since D] [--until D] [--limit N] [--json]
                             the audit log, newest first (docs/security.md "Audit")
gezien audit verify          check the audit log's hash chain (exit 1 when it is broken)
gezien settings show | set KEY VALUE | reset KEY   the desk's settings (README "Settings"; VALUE in JSON
                             for numbers, maps and lists: gezien settings set capacity '{"chat": 2}')
gezien coaching reanalyse    the habit reads of closed contacts without a current one (--all, --since D)
gezien coaching calibration export   team leads' hand scores beside the read, JSON lines (--since, -o)
gezien manage ...            any Django management command
"""

from __future__ import annotations

import argparse
import sys

from gezien.cli import (
    accounts,
    analysis,
    audit,
    coaching,
    mail,
    phone,
    privacy,
    server,
    settings,
    staffing,
    voice,
)
from gezien.core.files import private_umask


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gezien", description="Gezien customer-service desk")
    sub = parser.add_subparsers(dest="command", required=True)
    server.add(sub)
    accounts.add(sub)
    analysis.add(sub)
    staffing.add(sub)
    mail.add(sub)
    privacy.add(sub)
    phone.add(sub)
    voice.add(sub)
    audit.add(sub)
    coaching.add(sub)
    settings.add(sub)
    server.add_manage(sub)
    return parser


# Commands whose options belong to another parser: everything after the command goes to it as it is
# (argparse's REMAINDER would stop at a leading option such as `gezien analyse --format csv -`).
_PASS_THROUGH = {
    ("analyse",): analysis.cmd_analyse,
    ("analysis", "eval"): analysis.cmd_analysis_eval,
    ("analysis", "train"): analysis.cmd_analysis_train,
    ("worker",): server.cmd_worker,  # `gezien worker --burst` (RQ), `--batch` (the database queue)
}


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # this process is the command (not a caller of main(), e.g. a test)
        private_umask()  # the database, its WAL and mails on disk: the owner's only (docs/security.md)
    given = list(sys.argv[1:] if argv is None else argv)
    for prefix, command in _PASS_THROUGH.items():
        if tuple(given[: len(prefix)]) == prefix:
            return int(command(argparse.Namespace(rest=given[len(prefix) :])))
    args = build_parser().parse_args(given)
    return int(args.func(args))
