"""Mail coming in: stored raw first, then parsed, classified, threaded and recognised."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from gezien.mail.models import InboundMail, Mailbox, Outcome


@dataclass(frozen=True)
class IngestResult:
    """One mail's outcome: what `gezien mail ingest` prints as one JSON line."""

    outcome: str
    contact_id: int | None
    message_id: int | None
    reason: str
    inbound_id: int

    def as_json(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "contact_id": self.contact_id,
            "message_id": self.message_id,
            "reason": self.reason,
        }


def ingest(
    mailbox: Mailbox, raw: bytes, *, imap_uidvalidity: int | None = None, imap_uid: int | None = None
) -> IngestResult:
    """Keep the raw mail (committed before anything else happens to it), then handle it."""
    inbound = _store(mailbox, raw, imap_uidvalidity=imap_uidvalidity, imap_uid=imap_uid)
    if inbound is None:
        return IngestResult(Outcome.DUPLICATE, None, None, "imap uid seen before", 0)
    return process(inbound)


def _store(
    mailbox: Mailbox, raw: bytes, *, imap_uidvalidity: int | None, imap_uid: int | None
) -> InboundMail | None:
    try:
        with transaction.atomic():
            return InboundMail.objects.create(
                mailbox=mailbox,
                raw=raw,
                size=len(raw),
                sha256=hashlib.sha256(raw).hexdigest(),
                imap_uidvalidity=imap_uidvalidity,
                imap_uid=imap_uid,
                received_at=timezone.now(),
            )
    except IntegrityError:
        return None  # the same IMAP UID under the same UIDVALIDITY: stored before


def process(inbound: InboundMail) -> IngestResult:
    """Parse, classify, thread and recognise a stored mail (built by the mail intake work)."""
    return IngestResult(inbound.outcome, inbound.contact_id, inbound.message_id, inbound.reason, inbound.pk)
