"""The peer side of `make bench-mail`: django-helpdesk's own e-mail intake of the same corpus.

Run with bench/.peer-venv/bin/python from this folder, PEER_HELPDESK_DB pointing at a fresh copy of
the template database (bench/peer_helpdesk/setup_peer.py). Copies every `.eml` file of CORPUS_DIR into
a folder of its own, points a queue at it as a "local" mailbox and times django-helpdesk's intake of
ROUNDS copies of the corpus: what `helpdesk.email.process_queue` does for a local mailbox, file by file
(read, `extract_email_metadata`: parse, make a ticket or a follow-up, delete the file), except that a mail
it fails on is counted and left (process_queue itself stops at the first mail it fails on: django-helpdesk
2.6.1 raises a TypeError on some HTML mails and a UnicodeDecodeError on 8-bit mail that is not UTF-8, as
it opens the files as text; here the bytes are decoded as its `force_str(..., errors="replace")` intends).
Prints one JSON object: {"messages": n, "seconds": s, "cpu_seconds": c, "tickets": t, "followups": f,
"failed": n, "left": files not handled}.

    python mail_intake.py CORPUS_DIR [ROUNDS]
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    corpus = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    import django

    django.setup()

    from django.utils.encoding import force_str
    from helpdesk.email import extract_email_metadata
    from helpdesk.exceptions import DeleteIgnoredTicketException, IgnoreTicketException
    from helpdesk.models import FollowUp, Queue, Ticket

    files = sorted(corpus.rglob("*.eml"))
    inbox = Path(tempfile.mkdtemp(prefix="peer-mail-"))
    for round_ in range(rounds):
        for index, path in enumerate(files):
            shutil.copyfile(path, inbox / f"{round_:03}-{index:05}.eml")
    queue, _ = Queue.objects.update_or_create(
        slug="mail",
        defaults={
            "title": "Mail",
            "email_box_type": "local",
            "email_box_local_dir": str(inbox),
            "allow_email_submission": True,
            "email_address": "klantenservice@example.nl",
        },
    )
    logger = logging.getLogger("peer-mail")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    failed = 0
    cpu = time.process_time()
    started = time.perf_counter()
    for path in sorted(inbox.iterdir()):
        message = force_str(path.read_bytes(), errors="replace")
        try:
            ticket = extract_email_metadata(message=message, queue=queue, logger=logger)
        except IgnoreTicketException:
            continue
        except DeleteIgnoredTicketException:
            path.unlink()
            continue
        except Exception:  # a mail django-helpdesk cannot handle: left in the folder, as process_queue would
            failed += 1
            continue
        if ticket:
            path.unlink()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    result = {
        "messages": len(files) * rounds,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "tickets": Ticket.objects.filter(queue=queue).count(),
        "followups": FollowUp.objects.filter(ticket__queue=queue).count(),
        "failed": failed,
        "left": len(list(inbox.iterdir())),
    }
    shutil.rmtree(inbox, ignore_errors=True)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
