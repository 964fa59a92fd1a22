"""Reads for webhooks: the subscriptions and the delivery log."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from gezien.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


def subscriptions() -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.order_by("id")


def deliveries_of(subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    """The subscription's deliveries, newest first, each with its event and its attempts (three queries
    a page, however many attempts)."""
    return (
        WebhookDelivery.objects.filter(subscription=subscription)
        .select_related("event")
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number")))
        .order_by("-id")
    )
