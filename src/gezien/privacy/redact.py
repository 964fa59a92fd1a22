"""Redacting part of a message (a card number the customer typed, a name that should not be there):
the words are replaced by "[verwijderd]" in the message and everywhere the desk had copied them, and
the original is not kept anywhere.

Followed: the message's text; the contact's subject and summary; the signals (deleted and analysed
again from the redacted text through the outbox, so protocols, figures and churn risk hear of it);
evidence words of protocols and incidents; the mail the message came in as or went out as (its kept
text redacted, its raw bytes dropped, since encoded words cannot be found in them reliably); webhook
events that quote it; the churn risk (computed again). Exports read the message, so they follow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gezien.analysis.pii import MASK, spans_mask
from gezien.assist.models import ContactProtocol, Incident
from gezien.contacts.changes import contacts_changed
from gezien.contacts.models import Contact, Message, MessageSignals
from gezien.core.errors import Invalid, NotFound
from gezien.insights.retention.models import CustomerRisk
from gezien.mail.models import InboundMail, OutgoingMail
from gezien.privacy.audited import Actor, audit
from gezien.webhooks.models import WebhookEvent


@dataclass(frozen=True)
class Redaction:
    message: Message
    spans: int  # how many places were masked
    chars: int  # how many characters they had


def _spans(text: str, start: int | None, end: int | None, words: str | None) -> list[tuple[int, int]]:
    if words is not None:
        if start is not None or end is not None:
            raise Invalid(_("Geef de tekst of de posities, niet allebei."), field="text")
        if not words.strip():
            raise Invalid(_("Geef de tekst die onleesbaar moet worden."), field="text")
        spans, at = [], text.find(words)
        while at >= 0:
            spans.append((at, at + len(words)))
            at = text.find(words, at + len(words))
        if not spans:
            raise Invalid(_("Deze tekst staat niet in het bericht."), field="text")
        return spans
    if start is None or end is None:
        raise Invalid(_("Geef de tekst, of het begin en het einde."), field="start")
    if not 0 <= start < end <= len(text):
        raise Invalid(
            _("Begin en einde liggen binnen het bericht (0 tot %(n)d), het begin voor het einde.")
            % {"n": len(text)},
            field="end",
        )
    return [(start, end)]


def _masked(value: str, pieces: list[str]) -> str:
    for piece in sorted(pieces, key=len, reverse=True):
        value = value.replace(piece, MASK)
    return value


def _evidence(evidence: list[Any], message_id: int, pieces: list[str]) -> list[Any]:
    """Evidence items [[signal, words, message_id], ...]: words of this message redacted."""
    out = []
    for item in evidence:
        if isinstance(item, list) and len(item) >= 3 and item[2] == message_id and isinstance(item[1], str):
            words = item[1]
            hidden = any(words in piece for piece in pieces)
            item = [item[0], MASK if hidden else _masked(words, pieces), *item[2:]]
        out.append(item)
    return out


@transaction.atomic
def message_redact(
    *,
    message_id: int,
    actor: Actor,
    start: int | None = None,
    end: int | None = None,
    text: str | None = None,
) -> Redaction:
    """Mask `text` (every place it occurs) or the characters [start, end) of the message."""
    message = Message.objects.select_for_update().filter(pk=message_id).first()
    if message is None:
        raise NotFound(_("Dit bericht bestaat niet."), field="message")
    spans = _spans(message.text, start, end, text)
    pieces = sorted({message.text[s:e] for s, e in spans})
    message.text = spans_mask(message.text, spans)
    Message.objects.filter(pk=message.pk).update(text=message.text)
    contact = Contact.objects.select_for_update().get(pk=message.contact_id)
    subject, summary = _masked(contact.subject, pieces), _masked(contact.summary, pieces)
    if (subject, summary) != (contact.subject, contact.summary):
        Contact.objects.filter(pk=contact.pk).update(subject=subject[:300], summary=summary[:300])
    MessageSignals.objects.filter(message_id=message.pk).delete()
    protocols = list(ContactProtocol.objects.filter(contact_id=contact.pk).only("pk", "evidence"))
    for protocol in protocols:
        protocol.evidence = _evidence(protocol.evidence, message.pk, pieces)
    ContactProtocol.objects.bulk_update(protocols, ["evidence"])
    incidents = list(Incident.objects.filter(contact_id=contact.pk).only("pk", "evidence"))
    for incident in incidents:
        incident.evidence = _evidence(incident.evidence, message.pk, pieces)
    Incident.objects.bulk_update(incidents, ["evidence"])
    for mail in InboundMail.objects.filter(message_id=message.pk).only("pk", "text"):
        mail.text = _masked(mail.text, pieces) if mail.text is not None else None
        mail.raw = b""
        mail.save(update_fields=["text", "raw"])
    OutgoingMail.objects.filter(message_id=message.pk).update(raw=b"")
    escaped = [json.dumps(piece, ensure_ascii=False)[1:-1] for piece in pieces]
    for event in WebhookEvent.objects.filter(contact_id=contact.pk).only("pk", "body"):
        body = _masked(event.body, escaped)
        if body != event.body:
            WebhookEvent.objects.filter(pk=event.pk).update(body=body)
    if contact.customer_id is not None:
        CustomerRisk.objects.filter(customer_id=contact.customer_id).delete()
    contacts_changed([contact.pk], analyse=[message])  # analysed again; listeners hear of it
    chars = sum(e - s for s, e in spans)
    audit(
        actor,
        action="message.redact",
        object_type="message",
        object_id=message.pk,
        customer_id=contact.customer_id,
        details={"contact": contact.pk, "spans": len(spans), "chars": chars},
    )
    return Redaction(message, len(spans), chars)
