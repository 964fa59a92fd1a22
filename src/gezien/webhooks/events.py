"""Recording events: in the transaction of the change they tell of (contacts' `on_happening`, surveys'
`on_survey_answering`), one `WebhookEvent` with its JSON body and one pending `WebhookDelivery` per
active subscription that wants it. Nothing is written when no subscription wants the event; the
deliveries are handed to the sender once the transaction commits (`delivery.dispatch`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from gezien.contacts.changes import Happening
from gezien.contacts.models import Contact, Message
from gezien.webhooks.delivery import dispatch
from gezien.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription

if TYPE_CHECKING:
    from gezien.insights.surveys.models import SurveyResponse


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def contact_data(contact: Contact) -> dict[str, Any]:
    """A contact as events tell of it (the fields of GET /api/contacts, ids instead of objects where
    telling the object would cost a query)."""
    agent = contact.assigned_agent
    return {
        "id": contact.pk,
        "channel": str(contact.channel),
        "status": str(contact.status),
        "recognition": str(contact.recognition),
        "customer_id": contact.customer_id,
        "identity_kind": contact.identity_kind,
        "identity_value": contact.identity_value,
        "subject": contact.subject,
        "summary": contact.summary,
        "assigned_agent": agent.get_username() if agent is not None else None,
        "team_id": contact.team_id,
        "external_id": contact.external_id,
        "opened_at": _moment(contact.opened_at),
        "waiting_since": _moment(contact.waiting_since),
        "closed_at": _moment(contact.closed_at),
        "updated_at": _moment(contact.updated_at),
    }


def message_data(message: Message) -> dict[str, Any]:
    agent = message.agent
    return {
        "id": message.pk,
        "contact_id": message.contact_id,
        "author": str(message.author),
        "kind": str(message.kind),
        "agent": agent.get_username() if agent is not None else None,
        "text": message.text,
        "sent_at": _moment(message.sent_at),
    }


_SUBSCRIPTIONS_SQL: list[str] = []


def _subscriptions() -> list[tuple[int, Any]]:
    """(id, events) of every active subscription. Plain SQL: it runs in every contact's open (the hot
    path), where the ORM's query costs twenty times as much as the statement."""
    if not _SUBSCRIPTIONS_SQL:
        meta, quote = WebhookSubscription._meta, connection.ops.quote_name
        _SUBSCRIPTIONS_SQL.append(
            "SELECT {pk}, {events} FROM {table} WHERE {active}".format(  # noqa: S608 -- names only
                pk=quote(meta.pk.column),
                events=quote(meta.get_field("events").column),
                table=quote(meta.db_table),
                active=quote(meta.get_field("active").column),
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(_SUBSCRIPTIONS_SQL[0])
        rows: list[tuple[int, Any]] = cursor.fetchall()
    return [(pk, json.loads(events) if isinstance(events, str) else events) for pk, events in rows]


class _Held(threading.local):
    """The active subscriptions as read once in the current transaction (a mail batch records an event
    for every new message: one query each before). Valid while `mark`, an on_commit callback registered
    when they were read, is still at `index` among the connection's callbacks: a commit runs it (it
    forgets them), a rollback drops it (and a savepoint's rollback drops or moves it), so any of those
    reads them again. A subscription saved or deleted in this process forgets them too
    (`subscriptions_forget`)."""

    rows: list[tuple[int, Any]] | None = None
    mark: Callable[[], None] | None = None
    index = -1
    connection: Any = None


_held = _Held()


def subscriptions_forget(**_kwargs: object) -> None:
    """Drop the subscriptions held for this transaction (connected to WebhookSubscription's post_save and
    post_delete)."""
    _held.rows, _held.mark, _held.index, _held.connection = None, None, -1, None


def _held_subscriptions() -> list[tuple[int, Any]]:
    real = connections[DEFAULT_DB_ALIAS]
    if not real.in_atomic_block:  # autocommit: nothing to hold them for
        return _subscriptions()
    pending = real.run_on_commit
    if (
        _held.rows is not None
        and _held.connection is real
        and _held.index < len(pending)
        and pending[_held.index][1] is _held.mark
    ):
        return _held.rows
    rows = _subscriptions()

    def mark() -> None:
        if _held.mark is mark:
            subscriptions_forget()

    transaction.on_commit(mark)
    _held.rows, _held.mark, _held.index, _held.connection = rows, mark, len(real.run_on_commit) - 1, real
    return rows


def _wanting(name: str) -> list[int]:
    """The active subscriptions that want event `name` (read once a transaction: `_Held`)."""
    return [pk for pk, events in _held_subscriptions() if name in events]


def event_record(
    name: str, data: dict[str, Any] | Callable[[], dict[str, Any]], *, contact_id: int | None = None
) -> WebhookEvent | None:
    """Record event `name` with `data` for every active subscription that wants it, in the caller's
    transaction; None (and nothing written) when none does. `data` may be a function that gives it,
    called only when some subscription wants the event (every contact's open asks, few are told)."""
    wanted = _wanting(name)
    if not wanted:
        return None
    if callable(data):
        data = data()
    now = timezone.now()
    event = WebhookEvent(name=name, contact_id=contact_id, created_at=now)
    payload = {"id": str(event.uuid), "event": name, "created_at": now.isoformat(), "data": data}
    event.body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    event.save()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(event=event, subscription_id=pk, next_attempt_at=now) for pk in wanted
    )
    ids = [d.pk for d in deliveries if d.pk is not None] or list(
        WebhookDelivery.objects.filter(event=event).values_list("pk", flat=True)
    )
    transaction.on_commit(partial(dispatch, ids))
    return event


def contact_happening(happening: Happening) -> None:
    """contacts' hook: contact.created, message.created, contact.assigned, contact.closed."""
    event_record(happening.kind, partial(_happening_data, happening), contact_id=happening.contact.pk)


def _happening_data(happening: Happening) -> dict[str, Any]:
    data: dict[str, Any] = {"contact": contact_data(happening.contact)}
    if happening.message is not None:
        data["message"] = message_data(happening.message)
    actor = happening.actor
    data["actor"] = actor.get_username() if actor is not None else None
    return data


def survey_answering(response: SurveyResponse) -> None:
    """surveys' hook: survey.answered."""
    invitation = response.invitation
    data = {
        "survey": {
            "id": response.pk,
            "kind": str(response.kind),
            "score": response.score,
            "resolved": response.resolved,
            "comment": response.comment,
            "answered_at": _moment(response.answered_at),
        },
        "contact": contact_data(invitation.contact),
    }
    event_record("survey.answered", data, contact_id=invitation.contact_id)
