"""Prepare a fresh peer database: migrate, then create the API user, its token and a queue.

Run with bench/.peer-venv/bin/python from this folder, PEER_HELPDESK_DB pointing at the
database file to create. Prints one JSON object: {"token": ..., "queue_ids": [...], "username": ...}.
"""

from __future__ import annotations

import json
import os
import sys

QUEUES = (("support", "Support"), ("billing", "Billing"), ("sales", "Sales"))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from helpdesk.models import Queue
    from rest_framework.authtoken.models import Token

    call_command("migrate", interactive=False, verbosity=0)

    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username="bench",
        defaults={"email": "bench@example.invalid", "is_staff": True, "is_superuser": True},
    )
    user.set_password("bench-peer-password")
    user.save()
    token, _ = Token.objects.get_or_create(user=user)
    queue_ids = []
    for slug, title in QUEUES:
        queue, _ = Queue.objects.get_or_create(
            slug=slug, defaults={"title": title, "allow_public_submission": False}
        )
        queue_ids.append(queue.id)
    json.dump(
        {"token": token.key, "queue_ids": queue_ids, "username": user.username},
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
