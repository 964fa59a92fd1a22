"""Background work of webhooks (run by `gezien worker`)."""

from __future__ import annotations

from django_tasks import task

from gezien.webhooks.delivery import delivery_attempt


@task()
def webhook_deliver_task(delivery_id: int) -> str | None:
    """One attempt at a pending delivery; the periodic job `webhook_deliveries` makes a lost task good."""
    return delivery_attempt(delivery_id)
