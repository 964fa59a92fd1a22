"""Writes for e-mail: mailboxes (admins), retrying the quarantine, marking a contact as spam."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import Team
from gezien.contacts.handling import contact_set_status
from gezien.contacts.models import Channel, Contact, Status
from gezien.contacts.services import contact_event_add
from gezien.core.errors import Conflict, Invalid
from gezien.mail.intake import BLOCKED, ERROR, SPAM, SPAM_EVENT, IngestResult, mail_retry
from gezien.mail.models import BlockedSender, InboundMail, Mailbox, Outcome
from gezien.mail.servers import Kind, server_parse

if TYPE_CHECKING:
    from gezien.accounts.models import User

MAX_SIGNATURE = 5_000


def server_display(url: str, *, kind: Kind, mailbox: str) -> str:
    """A stored server URL as people may see it: never with its password or token."""
    if not url:
        return ""
    try:
        return server_parse(url, kind=kind, mailbox=mailbox).display()
    except Invalid:
        return _("(ongeldig adres)")


def _name(value: str) -> str:
    name = value.strip().lower()
    try:
        validate_slug(name)
    except ValidationError:
        raise Invalid(_("Een naam bestaat uit letters, cijfers, - en _."), field="name") from None
    if len(name) > 60:
        raise Invalid(_("Een naam is hoogstens 60 tekens."), field="name")
    return name


def _address(value: str) -> str:
    address = value.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise Invalid(_("Dit is geen geldig e-mailadres."), field="address") from None
    return address


def _url(value: str, *, kind: Kind, name: str, kept: str = "") -> str:
    """A server URL checked by `server_parse`; the shown form of the stored one keeps the stored one (so
    that saving a form that showed it does not lose its password)."""
    url = value.strip()
    if not url:
        return ""
    if kept and url == server_display(kept, kind=kind, mailbox=name):
        return kept
    server_parse(url, kind=kind, mailbox=name)
    return url


def _signature(value: str) -> str:
    text = value.replace("\r\n", "\n").strip()
    if "\x00" in text or len(text) > MAX_SIGNATURE:
        raise Invalid(_("De ondertekening is te lang of bevat een ongeldig teken."), field="signature")
    return text


def _save(mailbox: Mailbox) -> Mailbox:
    try:
        with transaction.atomic():
            mailbox.save()
    except IntegrityError:
        taken = Mailbox.objects.filter(name=mailbox.name).exclude(pk=mailbox.pk).exists()
        field = "name" if taken else "address"
        raise Conflict(
            _("Er is al een mailbox met deze naam.") if taken else _("Er is al een mailbox met dit adres."),
            field=field,
        ) from None
    return mailbox


@transaction.atomic
def mailbox_add(
    *,
    name: str,
    address: str,
    imap_url: str = "",
    smtp_url: str = "",
    team: Team | None = None,
    signature: str = "",
    auto_acknowledge: bool = False,
    active: bool = True,
    actor: User | None = None,
) -> Mailbox:
    """A new mailbox. URLs are checked (`servers.server_parse`); secrets may come from the environment."""
    clean = _name(name)
    mailbox = Mailbox(
        name=clean,
        address=_address(address),
        imap_url=_url(imap_url, kind="imap", name=clean),
        smtp_url=_url(smtp_url, kind="smtp", name=clean),
        team=team,
        signature=_signature(signature),
        auto_acknowledge=auto_acknowledge,
        active=active,
    )
    return _save(mailbox)


@transaction.atomic
def mailbox_update(
    *,
    mailbox: Mailbox,
    address: str | None = None,
    imap_url: str | None = None,
    smtp_url: str | None = None,
    team: Team | None = None,
    clear_team: bool = False,
    signature: str | None = None,
    auto_acknowledge: bool | None = None,
    active: bool | None = None,
    actor: User | None = None,
) -> Mailbox:
    """Change what is given (None: unchanged). A URL given as it was shown keeps its stored secret."""
    mailbox = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
    if address is not None:
        mailbox.address = _address(address)
    if imap_url is not None:
        mailbox.imap_url = _url(imap_url, kind="imap", name=mailbox.name, kept=mailbox.imap_url)
        if mailbox.imap_url != Mailbox.objects.get(pk=mailbox.pk).imap_url:
            mailbox.imap_uidvalidity, mailbox.imap_last_uid, mailbox.fetch_error = None, 0, ""
    if smtp_url is not None:
        mailbox.smtp_url = _url(smtp_url, kind="smtp", name=mailbox.name, kept=mailbox.smtp_url)
    if team is not None or clear_team:
        mailbox.team = team
    if signature is not None:
        mailbox.signature = _signature(signature)
    if auto_acknowledge is not None:
        mailbox.auto_acknowledge = auto_acknowledge
    if active is not None:
        mailbox.active = active
    return _save(mailbox)


def inbound_retry(*, inbound: InboundMail, release: bool = False) -> IngestResult:
    """An admin runs a quarantined mail again; `release` lets one held as spam or blocked through."""
    return mail_retry(inbound, release=release)


RETRY_MANY_MAX = 500  # quarantined mails one bulk retry runs at most (the rest: call again)
QUARANTINE_REASONS = (ERROR, SPAM, BLOCKED)


def inbound_retry_many(
    *,
    ids: Sequence[int] | None = None,
    reason: str | None = None,
    mailbox: str | None = None,
    release: bool = False,
) -> tuple[list[tuple[int, IngestResult]], int]:
    """An admin runs many quarantined mails again: the mails `ids` (each must exist; one handled before is
    left alone and answers its outcome), or else every quarantined mail, oldest first, of that `reason`
    (error, spam, blocked) and `mailbox` (a name), at most RETRY_MANY_MAX. Each runs in a transaction of
    its own, as `inbound_retry`. Returns (inbound id, result) for each, and how many still wait in the
    quarantine afterwards (all of them, whatever the filter)."""
    if reason is not None and reason not in QUARANTINE_REASONS:
        raise Invalid(_("Onbekende reden: %(r)s") % {"r": str(reason)[:20]}, field="reason")
    if ids is not None:
        wanted = list(dict.fromkeys(int(i) for i in ids))
        if not wanted or len(wanted) > RETRY_MANY_MAX:
            raise Invalid(_("Geef 1 tot %(n)s e-mails op.") % {"n": RETRY_MANY_MAX}, field="ids")
        found = InboundMail.objects.in_bulk(wanted)
        missing = [i for i in wanted if i not in found]
        if missing:
            raise Invalid(
                _("Deze e-mails bestaan niet: %(ids)s") % {"ids": ", ".join(map(str, missing[:10]))},
                field="ids",
            )
        mails = [found[i] for i in wanted]
    else:
        queryset = InboundMail.objects.filter(outcome=Outcome.QUARANTINED).order_by("received_at", "pk")
        if reason is not None:
            queryset = queryset.filter(reason=reason)
        if mailbox:
            queryset = queryset.filter(mailbox__name=mailbox)
        mails = list(queryset[:RETRY_MANY_MAX])
    results = [(inbound.pk, mail_retry(inbound, release=release)) for inbound in mails]
    return results, InboundMail.objects.filter(outcome=Outcome.QUARANTINED).count()


@transaction.atomic
def contact_mark_spam(*, contact: Contact, actor: User | None, block: bool = True) -> BlockedSender | None:
    """An agent says an e-mail contact is spam: it is closed, and its sender blocked (their next mails go
    to the quarantine with reason "blocked", where an admin can still let one through)."""
    if contact.channel != Channel.EMAIL or contact.identity_kind != "email" or not contact.identity_value:
        raise Invalid(
            _("Alleen een e-mail met een afzender kan als spam gemarkeerd worden."), field="contact"
        )
    blocked = None
    if block:
        blocked, _created = BlockedSender.objects.get_or_create(
            address=contact.identity_value,
            defaults={"reason": f"contact {contact.pk}", "blocked_by": actor, "created_at": timezone.now()},
        )
    contact_event_add(contact=contact, kind=SPAM_EVENT, actor=actor, address=contact.identity_value)
    if contact.status != Status.CLOSED:
        contact_set_status(contact=contact, status=Status.CLOSED, actor=actor)
    return blocked


@transaction.atomic
def sender_unblock(*, blocked: BlockedSender, actor: User | None = None) -> None:
    BlockedSender.objects.filter(pk=blocked.pk).delete()
