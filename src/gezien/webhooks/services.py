"""Writes for webhook subscriptions: add, change, remove. Admins only (the views and endpoints check)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from gezien.core.errors import Invalid
from gezien.webhooks.models import EVENTS, WebhookSubscription

if TYPE_CHECKING:
    from gezien.accounts.models import User

SECRET_MIN = 16


def secret_new() -> str:
    return secrets.token_urlsafe(32)


def clean_url(value: Any) -> str:
    """An http(s) URL with a host and no user name or password in it."""
    text = str(value or "").strip()
    if not text or len(text) > 1000 or any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise Invalid(_("Geef een geldig webadres (http of https)."), field="url")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not one
    except ValueError:
        raise Invalid(_("Geef een geldig webadres (http of https)."), field="url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(_("Geef een geldig webadres (http of https)."), field="url")
    if parts.username or parts.password:
        raise Invalid(_("Zet geen gebruikersnaam of wachtwoord in het adres."), field="url")
    return text


def clean_events(values: Iterable[Any]) -> list[str]:
    names = [str(v) for v in values]
    unknown = [n for n in names if n not in EVENTS]
    if unknown:
        raise Invalid(
            _("Onbekende gebeurtenis: %(e)s. Kies uit: %(all)s.")
            % {"e": unknown[0][:40], "all": ", ".join(EVENTS)},
            field="events",
        )
    if not names:
        raise Invalid(_("Kies ten minste één gebeurtenis."), field="events")
    return [name for name in EVENTS if name in names]  # in the documented order, each once


def clean_secret(value: Any) -> str:
    text = str(value or "")
    if len(text) < SECRET_MIN or len(text) > 200 or not text.isprintable():
        raise Invalid(
            _("Het geheim is %(min)d tot 200 gewone tekens lang.") % {"min": SECRET_MIN}, field="secret"
        )
    return text


@transaction.atomic
def subscription_add(
    *,
    url: str,
    events: Iterable[str],
    secret: str | None = None,
    active: bool = True,
    description: str = "",
    actor: User | None = None,
) -> WebhookSubscription:
    """A new subscription; without a secret one is made (shown once, to whoever added it)."""
    return WebhookSubscription.objects.create(
        url=clean_url(url),
        events=clean_events(events),
        secret=secret_new() if secret is None else clean_secret(secret),
        active=bool(active),
        description=str(description).strip()[:200],
        created_by=actor,
    )


@transaction.atomic
def subscription_change(*, subscription: WebhookSubscription, **changes: Any) -> WebhookSubscription:
    """Change url, events, secret, active or description (what is given); a refused value changes nothing."""
    cleaners: dict[str, Callable[[Any], object]] = {
        "url": clean_url,
        "events": clean_events,
        "secret": clean_secret,
        "active": bool,
        "description": lambda v: str(v).strip()[:200],
    }
    cleaned = {name: cleaners[name](value) for name, value in changes.items() if name in cleaners}
    for name, value in cleaned.items():
        setattr(subscription, name, value)
    if cleaned:
        subscription.save(update_fields=[*cleaned, "updated_at"])
    return subscription


def subscription_remove(*, subscription: WebhookSubscription) -> None:
    """Remove a subscription with its deliveries and their log."""
    subscription.delete()
