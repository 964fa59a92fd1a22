"""The peer side of `make bench-mail`: django-helpdesk's own e-mail intake of the same corpus.

Run with bench/.peer-venv/bin/python from this folder, PEER_HELPDESK_DB pointing at a fresh copy of
the template database (bench/peer_helpdesk/setup_peer.py). Copies every `.eml` file of CORPUS_DIR into
a folder of its own, points a queue at it as a "local" mailbox (django-helpdesk's maildir-less intake:
`helpdesk.email.process_queue` reads each file, makes a ticket or a follow-up, and deletes the file)
and times `process_queue` for ROUNDS copies of the corpus. Prints one JSON object:
{"messages": n, "seconds": s, "tickets": t, "followups": f, "left": files not handled}.

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

    from helpdesk.email import process_queue
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
    started = time.perf_counter()
    process_queue(queue, logger=logger)
    seconds = time.perf_counter() - started
    result = {
        "messages": len(files) * rounds,
        "seconds": seconds,
        "tickets": Ticket.objects.filter(queue=queue).count(),
        "followups": FollowUp.objects.filter(ticket__queue=queue).count(),
        "left": len(list(inbox.iterdir())),
    }
    shutil.rmtree(inbox, ignore_errors=True)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
