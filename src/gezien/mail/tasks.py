"""Background work of outgoing mail (run by `gezien worker`)."""

from __future__ import annotations

from django_tasks import task

from gezien.mail.delivery import delivery_send


@task()
def mail_send_task(delivery_id: int) -> str | None:
    """One attempt at a queued mail; a lost task is made good by the periodic job `mail_deliveries`."""
    return delivery_send(delivery_id)
