"""/api/mailboxes and /api/mail: mailboxes and the quarantine (admins), marking a contact as spam (agents)."""

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, DbId, contact_or_404, find_or_404, team_by_name
from gezien.api.input import In
from gezien.audit.log import audit_from_request
from gezien.mail import selectors, services
from gezien.mail.models import BlockedSender, InboundMail, Mailbox
from gezien.mail.reasons import reason_text

router = Router(tags=["mail"])

Url = str  # checked by the service (gezien.mail.servers.server_parse)
OutcomeLiteral = Literal[
    "pending",
    "contact",
    "message",
    "bounce",
    "auto_reply",
    "complaint",
    "receipt",
    "duplicate",
    "quarantined",
]


class MailboxIn(In):
    name: str = Field(max_length=60, description="a slug: letters, digits, - and _")
    address: str = Field(max_length=320)
    imap_url: Url = Field(
        default="", max_length=500, description="e.g. imaps://user@host:993/INBOX; empty: none"
    )
    smtp_url: Url = Field(default="", max_length=500, description="e.g. smtp+starttls://user@host:587")
    team: str | None = Field(default=None, max_length=100, description="the team's name")
    signature: str = Field(default="", max_length=5000)
    auto_acknowledge: bool = False
    active: bool = True


class MailboxPatchIn(In):
    address: str | None = Field(default=None, max_length=320)
    imap_url: Url | None = Field(default=None, max_length=500, description="the shown form keeps the secret")
    smtp_url: Url | None = Field(default=None, max_length=500, description="the shown form keeps the secret")
    team: str | None = Field(default=None, max_length=100, description='the team\'s name; "" for none')
    signature: str | None = Field(default=None, max_length=5000)
    auto_acknowledge: bool | None = None
    active: bool | None = None


class MailboxOut(Schema):
    id: int
    name: str
    address: str
    imap_url: str = Field(description="without its password or token")
    smtp_url: str = Field(description="without its password or token")
    team: str | None
    signature: str
    auto_acknowledge: bool
    active: bool
    fetched_at: datetime | None
    fetch_error: str
    quarantined: int = Field(description="mails of this mailbox waiting in the quarantine")

    @staticmethod
    def resolve_imap_url(obj: Mailbox) -> str:
        return services.server_display(obj.imap_url, kind="imap", mailbox=obj.name)

    @staticmethod
    def resolve_smtp_url(obj: Mailbox) -> str:
        return services.server_display(obj.smtp_url, kind="smtp", mailbox=obj.name)

    @staticmethod
    def resolve_team(obj: Mailbox) -> str | None:
        return obj.team.name if obj.team else None

    @staticmethod
    def resolve_quarantined(obj: Mailbox) -> int:
        return int(getattr(obj, "quarantined", 0))


class InboundOut(Schema):
    id: int
    mailbox: str
    header_id: str = Field(description="its Message-ID without <>")
    from_address: str
    from_name: str
    cc: list[str]
    subject: str
    size: int
    outcome: OutcomeLiteral
    reason: str
    reason_text: str = Field(description="the reason (a quarantined mail's: its error) as a phrase")
    error: str
    attempts: int
    contact_id: int | None
    message_id: int | None
    duplicate_of: int | None
    received_at: datetime
    processed_at: datetime | None

    @staticmethod
    def resolve_mailbox(obj: InboundMail) -> str:
        return obj.mailbox.name

    @staticmethod
    def resolve_reason_text(obj: InboundMail) -> str:
        return reason_text(obj.outcome, obj.reason, obj.error)

    @staticmethod
    def resolve_cc(obj: InboundMail) -> list[str]:
        return [address for _name, address in obj.cc]

    @staticmethod
    def resolve_duplicate_of(obj: InboundMail) -> int | None:
        return obj.duplicate_of_id


class InboundFilter(In):
    outcome: OutcomeLiteral | None = Field(default=None, description="e.g. quarantined: the quarantine")
    mailbox: str | None = Field(default=None, max_length=60, description="a mailbox's name")


class RetryIn(In):
    release: bool = Field(
        default=False, description="let a mail held as spam or from a blocked sender through"
    )


class IngestOut(Schema):
    outcome: OutcomeLiteral
    contact_id: int | None
    message_id: int | None
    reason: str


class RetryManyIn(In):
    ids: list[DbId] | None = Field(
        default=None, description="these mails (1 to 500); without: the quarantined mails of the filter"
    )
    reason: Literal["error", "spam", "blocked"] | None = Field(
        default=None, description="without ids: only quarantined mails held for this reason"
    )
    mailbox: str | None = Field(default=None, max_length=60, description="without ids: only this mailbox")
    release: bool = Field(
        default=False, description="let mails held as spam or from a blocked sender through"
    )


class RetriedOut(IngestOut):
    inbound_id: int


class RetryManyOut(Schema):
    results: list[RetriedOut]
    handled: int = Field(description="how many of these left the quarantine")
    quarantined: int = Field(description="how many mails still wait in the quarantine (all of them)")


class BlockedOut(Schema):
    id: int
    address: str
    reason: str
    blocked_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_blocked_by(obj: BlockedSender) -> str | None:
        return obj.blocked_by.get_username() if obj.blocked_by else None


class SpamIn(In):
    block: bool = Field(default=True, description="block the sender: their next mails wait in the quarantine")


class SpamOut(Schema):
    contact_id: int
    status: str
    blocked: str | None = Field(description="the address now blocked")


def _mailbox(mailbox_id: int) -> Mailbox:
    return find_or_404(selectors.mailboxes(), mailbox_id, _("Deze mailbox bestaat niet."))


def _inbound(inbound_id: int, found: QuerySet[InboundMail]) -> InboundMail:
    return find_or_404(found, inbound_id, _("Deze e-mail bestaat niet."))


@router.get("/mailboxes", response=list[MailboxOut])
def list_mailboxes(request: HttpRequest) -> list[Mailbox]:
    """Every mailbox, with its servers shown without secrets (admins)."""
    require_perm(request, "mail.view_mailbox")
    return list(selectors.mailboxes())


@router.post("/mailboxes", response={201: MailboxOut})
def create_mailbox(request: HttpRequest, payload: MailboxIn) -> Status[Any]:
    require_perm(request, "mail.add_mailbox")
    mailbox = services.mailbox_add(
        name=payload.name,
        address=payload.address,
        imap_url=payload.imap_url,
        smtp_url=payload.smtp_url,
        team=team_by_name(payload.team),
        signature=payload.signature,
        auto_acknowledge=payload.auto_acknowledge,
        active=payload.active,
        actor=current_user(request),
    )
    audit_from_request(
        request,
        action="settings.change",
        object_type="mailbox",
        object_id=mailbox.pk,
        details={"change": "create"},
    )
    return Status(201, _mailbox(mailbox.pk))


@router.get("/mailboxes/{mailbox_id}", response=MailboxOut)
def read_mailbox(request: HttpRequest, mailbox_id: DbId) -> Mailbox:
    require_perm(request, "mail.view_mailbox")
    return _mailbox(mailbox_id)


@router.patch("/mailboxes/{mailbox_id}", response=MailboxOut)
def change_mailbox(request: HttpRequest, mailbox_id: DbId, payload: MailboxPatchIn) -> Mailbox:
    """Change the fields given. A URL sent back as it was shown keeps its stored password."""
    require_perm(request, "mail.change_mailbox")
    mailbox = _mailbox(mailbox_id)
    services.mailbox_update(
        mailbox=mailbox,
        address=payload.address,
        imap_url=payload.imap_url,
        smtp_url=payload.smtp_url,
        team=team_by_name(payload.team),
        clear_team=payload.team == "",
        signature=payload.signature,
        auto_acknowledge=payload.auto_acknowledge,
        active=payload.active,
        actor=current_user(request),
    )
    audit_from_request(
        request,
        action="settings.change",
        object_type="mailbox",
        object_id=mailbox_id,
        details={"change": "update"},
    )
    return _mailbox(mailbox_id)


@router.get("/mail/inbound", response=list[InboundOut])
@paginate(BoundedLimitOffset)
def list_inbound(request: HttpRequest, filters: Query[InboundFilter]) -> object:
    """Mails that came in, newest first; `outcome=quarantined` is the quarantine (admins)."""
    require_perm(request, "mail.view_inboundmail")
    return selectors.inbound_mails(outcome=filters.outcome, mailbox=filters.mailbox)


# Before `/mail/inbound/{inbound_id}`, which would take "retry" for an id.
@router.post("/mail/inbound/retry", response=RetryManyOut)
def retry_inbound_many(request: HttpRequest, payload: RetryManyIn) -> dict[str, Any]:
    """Run many quarantined mails through the intake again ("Geselecteerde opnieuw" in the quarantine):
    the mails `ids`, or the oldest 500 quarantined ones of `reason` and `mailbox` (none: all reasons and
    mailboxes). Each in a transaction of its own; each answers the ingest line and its id."""
    require_perm(request, "mail.change_inboundmail")
    results, left = services.inbound_retry_many(
        ids=payload.ids, reason=payload.reason, mailbox=payload.mailbox, release=payload.release
    )
    return {
        "results": [result.as_json() | {"inbound_id": pk} for pk, result in results],
        "handled": sum(1 for _pk, result in results if result.outcome != "quarantined"),
        "quarantined": left,
    }


@router.get("/mail/inbound/{inbound_id}", response=InboundOut)
def read_inbound(request: HttpRequest, inbound_id: DbId) -> InboundMail:
    require_perm(request, "mail.view_inboundmail")
    return _inbound(inbound_id, selectors.inbound_mails())


@router.get("/mail/inbound/{inbound_id}/raw", response={200: None})
def download_raw(request: HttpRequest, inbound_id: DbId) -> HttpResponse:
    """The mail exactly as it arrived (`message/rfc822`, as a download)."""
    require_perm(request, "mail.view_inboundmail")
    inbound = _inbound(inbound_id, InboundMail.objects.all())
    return selectors.raw_response(inbound)


@router.post("/mail/inbound/{inbound_id}/retry", response=IngestOut)
def retry_inbound(request: HttpRequest, inbound_id: DbId, payload: RetryIn | None = None) -> Any:
    """Run a quarantined mail through the intake again; its outcome as `gezien mail ingest` prints it."""
    require_perm(request, "mail.change_inboundmail")
    inbound = _inbound(inbound_id, InboundMail.objects.all())
    release = payload.release if payload is not None else False
    return services.inbound_retry(inbound=inbound, release=release).as_json()


@router.post("/contacts/{contact_id}/spam", response=SpamOut)
def mark_spam(request: HttpRequest, contact_id: DbId, payload: SpamIn | None = None) -> dict[str, Any]:
    """An e-mail contact is spam: it is closed and (by default) its sender blocked (agents)."""
    require_perm(request, "mail.add_blockedsender")
    contact = contact_or_404(contact_id)
    blocked = services.contact_mark_spam(
        contact=contact, actor=current_user(request), block=payload.block if payload is not None else True
    )
    contact.refresh_from_db()
    return {
        "contact_id": contact.pk,
        "status": contact.status,
        "blocked": blocked.address if blocked else None,
    }


@router.get("/mail/blocked", response=list[BlockedOut])
@paginate(BoundedLimitOffset)
def list_blocked(request: HttpRequest) -> object:
    """The blocked senders: their mail waits in the quarantine (admins)."""
    require_perm(request, "mail.view_blockedsender")
    return selectors.blocked_senders()


@router.delete("/mail/blocked/{blocked_id}", response={204: None})
def unblock(request: HttpRequest, blocked_id: DbId) -> Status[None]:
    """Unblock a sender: their next mails become contacts again (held ones: retry them)."""
    require_perm(request, "mail.delete_blockedsender")
    blocked = find_or_404(BlockedSender.objects.all(), blocked_id, _("Deze afzender is niet geblokkeerd."))
    services.sender_unblock(blocked=blocked, actor=current_user(request))
    return Status(204, None)
