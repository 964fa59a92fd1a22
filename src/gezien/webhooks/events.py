"""Recording events: in the transaction of the change they tell of (contacts' `on_happening`, surveys'
`on_survey_answering`), one `WebhookEvent` with its JSON body and one pending `WebhookDelivery` per
active subscription that wants it. Nothing is written when no subscription wants the event; the
deliveries are handed to the sender once the transaction commits (`delivery.dispatch`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
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


def _wanting(name: str) -> list[int]:
    """The active subscriptions that want event `name`. Plain SQL: it runs in every contact's open
    (the hot path), where the ORM's query costs twenty times as much as the statement."""
    meta, quote = WebhookSubscription._meta, connection.ops.quote_name
    sql = "SELECT {pk}, {events} FROM {table} WHERE {active}".format(  # noqa: S608 -- names only
        pk=quote(meta.pk.column),
        events=quote(meta.get_field("events").column),
        table=quote(meta.db_table),
        active=quote(meta.get_field("active").column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return [pk for pk, events in rows if name in (json.loads(events) if isinstance(events, str) else events)]


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
