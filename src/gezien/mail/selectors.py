"""Reads for e-mail: mailboxes, the mails that came in (the quarantine), the mail behind a message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse

from gezien.contacts.models import Contact
from gezien.mail.models import BlockedSender, InboundMail, Mailbox, Outcome
from gezien.mailparse import parse, split_quote


def mailboxes() -> QuerySet[Mailbox]:
    """Mailboxes with their team and the number of their mails waiting in the quarantine."""
    return Mailbox.objects.select_related("team").annotate(
        quarantined=Count("inbound", filter=Q(inbound__outcome=Outcome.QUARANTINED))
    )


def inbound_mails(*, outcome: str | None = None, mailbox: str | None = None) -> QuerySet[InboundMail]:
    """Mails that came in, newest first, without their raw bytes."""
    found = InboundMail.objects.select_related("mailbox").defer("raw").order_by("-received_at", "-pk")
    if outcome:
        found = found.filter(outcome=outcome)
    if mailbox:
        found = found.filter(mailbox__name=mailbox)
    return found


def blocked_senders() -> QuerySet[BlockedSender]:
    return BlockedSender.objects.select_related("blocked_by").order_by("address")


def raw_response(inbound: InboundMail) -> HttpResponse:
    """The mail exactly as it arrived, always as a download (never shown in the browser)."""
    response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="mail-{inbound.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@dataclass(frozen=True)
class MailView:
    """What the desk shows of the mail behind a message: the rest of its text, folded away, and its CC."""

    inbound_id: int
    sender: str  # "Name <address>" as the mail said it
    cc: list[str]
    full_text: str
    folded: bool  # whether there is more than the message's words to unfold


def mail_views(message_ids: Iterable[int]) -> dict[int, MailView]:
    """The mails behind these messages (one query), by message id."""
    found: dict[int, MailView] = {}
    rows = InboundMail.objects.filter(message_id__in=list(message_ids)).only(
        "pk", "message_id", "from_address", "from_name", "cc", "text", "folded"
    )
    for inbound in rows:
        assert inbound.message_id is not None
        text, folded = inbound.text, inbound.folded  # kept at intake
        if text is None:  # a mail handled before the intake kept them: parsed here (its raw read now)
            text, folded = _text_of(inbound.pk)
        cc = [f"{name} <{address}>" if name else address for name, address in inbound.cc]
        sender = (
            f"{inbound.from_name} <{inbound.from_address}>" if inbound.from_name else inbound.from_address
        )
        found[inbound.message_id] = MailView(inbound.pk, sender, cc, text, folded)
    return found


def _text_of(inbound_id: int) -> tuple[str, bool]:
    raw = InboundMail.objects.filter(pk=inbound_id).values_list("raw", flat=True).first()
    try:
        text = parse(bytes(raw or b"")).text.strip()
    except Exception:
        return "", False
    split = split_quote(text)
    return text, bool(split.quoted or split.signature)


def sender_of(contact_id: int | Contact) -> tuple[str, str]:
    """The display name and address of the first mail of an e-mail contact ("", "" when none)."""
    pk = contact_id.pk if isinstance(contact_id, Contact) else contact_id
    first = (
        InboundMail.objects.filter(contact_id=pk)
        .order_by("received_at", "pk")
        .values_list("from_name", "from_address")
        .first()
    )
    return (first[0], first[1]) if first else ("", "")
