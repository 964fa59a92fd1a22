"""E-mail as a channel: the mailboxes the desk reads and sends from, every mail that came in (raw, kept
before anything else happens to it) and every mail that went out."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.accounts.models import Team
from gezien.contacts.models import Contact, Message


class Mailbox(models.Model):
    """An address customers write to. IMAP to read it (or none: mail is piped in with `gezien mail
    ingest`), SMTP to answer from it. URLs like `imaps://user:pass@host:993/INBOX` and
    `smtp+starttls://user:pass@host:587`; credentials may come from the environment instead."""

    name = models.SlugField(_("naam"), max_length=60, unique=True)
    address = models.EmailField(_("adres"), max_length=320, unique=True)
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mailboxes",
        verbose_name=_("team"),
    )
    imap_url = models.CharField(_("IMAP"), max_length=500, blank=True)
    smtp_url = models.CharField(_("SMTP"), max_length=500, blank=True)
    signature = models.TextField(_("ondertekening"), blank=True)
    auto_acknowledge = models.BooleanField(_("ontvangstbevestiging"), default=False)
    active = models.BooleanField(_("actief"), default=True)
    # IMAP intake state: what was read last, so a restart neither loses nor repeats a mail.
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True)
    imap_last_uid = models.BigIntegerField(default=0)
    fetched_at = models.DateTimeField(null=True, blank=True)
    fetch_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxen")

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class Outcome(models.TextChoices):
    """What became of a mail that came in (the `outcome` of `gezien mail ingest`)."""

    PENDING = "pending", _("Nog niet verwerkt")
    CONTACT = "contact", _("Nieuw contact")
    MESSAGE = "message", _("Bij een bestaand contact")
    BOUNCE = "bounce", _("Onbestelbaar-melding")
    AUTO_REPLY = "auto_reply", _("Automatisch antwoord")
    COMPLAINT = "complaint", _("Klacht over spam")
    RECEIPT = "receipt", _("Leesbevestiging")
    DUPLICATE = "duplicate", _("Dubbel")
    QUARANTINED = "quarantined", _("In quarantaine")


class InboundMail(models.Model):
    """One mail as it arrived, stored before it is parsed: nothing a customer sent is lost. A mail that
    cannot be handled stays here in quarantine, with the error, until an admin retries it."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="inbound")
    raw = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    header_id = models.CharField(max_length=998, blank=True)  # its Message-ID without <>; "" when none
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True)
    imap_uid = models.BigIntegerField(null=True, blank=True)
    from_address = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=300, blank=True)  # fills the customer the agent creates
    cc = models.JSONField(default=list, blank=True)  # [[name, address], ...] as the sender wrote them
    subject = models.CharField(max_length=998, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)  # why it is in quarantine
    attempts = models.PositiveIntegerField(default=0)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_mails"
    )
    message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_mail"
    )
    # For a duplicate: the first copy of this mail (same Message-ID in the same mailbox).
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    # What the desk shows of a mail that became a message, kept at intake so that a contact's page does not
    # parse the raw mail again on every view: its whole text, and whether there is more in it than the
    # message's words (quoted history, a signature). None: not kept (a mail handled before they were).
    text = models.TextField(null=True, blank=True)  # noqa: DJ001 -- None (not kept) differs from ""
    folded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("binnengekomen e-mail")
        verbose_name_plural = _("binnengekomen e-mails")
        indexes = [
            models.Index(fields=["header_id"], name="inbound_header_id"),
            models.Index(fields=["outcome", "received_at"], name="inbound_outcome"),
            models.Index(fields=["from_address", "received_at"], name="inbound_sender"),
            models.Index(fields=["sha256"], name="inbound_sha256"),  # a copy of a mail without Message-ID
        ]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="inbound_outcome_valid"),
            models.UniqueConstraint(
                fields=["mailbox", "imap_uidvalidity", "imap_uid"],
                condition=Q(imap_uid__isnull=False),
                name="inbound_imap_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mailbox.name}: {self.subject[:40]} ({self.outcome})"


class OutgoingMail(models.Model):
    """The mail form of an outgoing message (its delivery status is `contacts.Delivery`): the headers
    that thread the customer's answer back, and the bytes handed to the SMTP server."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Antwoord")
        ACKNOWLEDGEMENT = "ack", _("Ontvangstbevestiging")

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="outgoing_mail")
    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="outgoing")
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.REPLY)
    header_id = models.CharField(max_length=998, unique=True)  # its Message-ID, without <>
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)  # space-separated, without <>
    to_address = models.CharField(max_length=320)
    cc = models.JSONField(default=list, blank=True)  # addresses
    subject = models.CharField(max_length=998)
    raw = models.BinaryField(blank=True)  # as handed to the server, once built
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("verzonden e-mail")
        indexes = [models.Index(fields=["to_address", "kind", "created_at"], name="outgoing_to")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address}: {self.subject[:40]}"


class BlockedSender(models.Model):
    """An address whose mail no longer becomes a contact (an agent marked its mail as spam)."""

    address = models.CharField(max_length=320, unique=True)
    reason = models.CharField(max_length=300, blank=True)
    blocked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("geblokkeerde afzender")

    def __str__(self) -> str:
        return self.address
