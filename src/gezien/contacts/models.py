"""Contacts (conversations) on every channel, their messages, and what happened to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from gezien.accounts.models import Department, Team
from gezien.core.kinds import KindRegistry
from gezien.customers.models import Customer

# What may happen to a contact: contacts' own kinds (ContactEvent.Kind) and those features register.
EVENT_KIND_MAX = 20
EVENT_KINDS = KindRegistry("contact event", max_length=EVENT_KIND_MAX)


class Channel(models.TextChoices):
    PHONE = "phone", _("Telefoon")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    WEBFORM = "webform", _("Webformulier")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING_CUSTOMER = "waiting_customer", _("Wacht op klant")
    WAITING_US = "waiting_us", _("Wacht op ons")
    CLOSED = "closed", _("Gesloten")


class Recognition(models.TextChoices):
    RECOGNISED = "recognised", _("Herkend")
    UNIDENTIFIED = "unidentified", _("Niet herkend")
    AMBIGUOUS = "ambiguous", _("Meerdere klanten mogelijk")
    LINKED = "linked", _("Gekoppeld door medewerker")


class ContactReason(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(default=True)
    # Which department causes (and so owns) contacts about this reason; a child without one inherits
    # its parent's (`insights` resolves that).
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="reasons"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("contactreden")
        verbose_name_plural = _("contactredenen")

    def __str__(self) -> str:
        return str(self.name)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normaal")
    HIGH = "high", _("Hoog")
    URGENT = "urgent", _("Spoed")


class Matter(models.Model):
    """What the customer contacts us about (a reason for a customer), across contacts and channels.

    Honest resolution (R14) is counted per matter: resolved when the customer confirms it, or when they
    do not come back about it on any channel within N working days (`gezien.insights.resolution`).
    """

    class State(models.TextChoices):
        OPEN = "open", _("Loopt nog")
        RESOLVED = "resolved", _("Opgelost")

    class Resolution(models.TextChoices):
        CONFIRMED = "confirmed", _("Klant bevestigde")
        NO_RETURN = "no_return", _("Klant kwam niet terug")

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="matters")
    reason = models.ForeignKey(
        ContactReason, null=True, blank=True, on_delete=models.PROTECT, related_name="matters"
    )
    title = models.CharField(_("onderwerp"), max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField()
    last_contact_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_contact_at", "-id"]
        verbose_name = _("kwestie")
        verbose_name_plural = _("kwesties")
        indexes = [
            models.Index(fields=["customer", "reason", "-last_contact_at"], name="matter_customer_reason"),
            models.Index(fields=["state", "last_contact_at"], name="matter_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["open", "resolved"]), name="matter_state_valid"),
            models.CheckConstraint(
                condition=(Q(state="resolved") & Q(resolved_at__isnull=False) & ~Q(resolution=""))
                | (Q(state="open") & Q(resolved_at__isnull=True) & Q(resolution="")),
                name="matter_resolved_iff_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"matter {self.pk} ({self.state})"


class Contact(models.Model):
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    recognition = models.CharField(max_length=20, choices=Recognition.choices)
    # The channel identity as it arrived (raw) and normalised, kept even after linking: it is evidence.
    identity_kind = models.CharField(max_length=20, blank=True)
    identity_value = models.CharField(max_length=320, blank=True)
    identity_raw = models.CharField(max_length=320, blank=True)
    # For AMBIGUOUS: the customer ids the identities pointed at, shown to the agent to choose from.
    candidate_ids = models.JSONField(default=list, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=300, blank=True)
    summary = models.CharField(_("samenvatting"), max_length=300, blank=True)
    reason = models.ForeignKey(
        ContactReason, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    assigned_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts")
    priority = models.CharField(
        _("prioriteit"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    matter = models.ForeignKey(
        Matter, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    external_id = models.CharField(max_length=300, null=True, blank=True, unique=True)
    opened_at = models.DateTimeField(_("geopend"))
    # Since when the customer waits for us; null while we wait for them or when closed.
    waiting_since = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("contact")
        permissions = [
            ("handle_contact", "Handle contacts in the desk"),
            ("supervise_queue", "Supervise the queue of a team"),
        ]
        indexes = [
            models.Index(fields=["status", "channel", "waiting_since"], name="contact_queue"),
            models.Index(fields=["customer", "-opened_at"], name="contact_customer_timeline"),
            models.Index(fields=["assigned_agent", "status"], name="contact_agent_status"),
            # GET /api/contacts?updated_after=...: what changed since a client last looked.
            models.Index(fields=["updated_at", "id"], name="contact_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="contact_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="contact_status_valid"),
            models.CheckConstraint(condition=Q(priority__in=Priority.values), name="contact_priority_valid"),
            models.CheckConstraint(
                condition=Q(recognition__in=Recognition.values), name="contact_recognition_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="contact_closed_iff_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(customer__isnull=False) | Q(recognition__in=["unidentified", "ambiguous"]),
                name="contact_customer_matches_recognition",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel} {self.status}"


class Author(models.TextChoices):
    CUSTOMER = "customer", _("Klant")
    AGENT = "agent", _("Medewerker")
    SYSTEM = "system", _("Systeem")


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Bericht")
    NOTE = "note", _("Gespreksnotitie")
    TRANSCRIPT = "transcript", _("Transcript")


class Message(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    kind = models.CharField(max_length=12, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    text = models.TextField()
    # Phone transcript turns: offsets in the call, so later work can see who interrupted whom.
    start_s = models.FloatField(null=True, blank=True)
    end_s = models.FloatField(null=True, blank=True)
    external_id = models.CharField(max_length=300, null=True, blank=True, unique=True)
    sent_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["contact", "sent_at"], name="message_thread")]
        constraints = [
            models.CheckConstraint(condition=Q(author__in=Author.values), name="message_author_valid"),
            models.CheckConstraint(condition=Q(kind__in=MessageKind.values), name="message_kind_valid"),
            models.CheckConstraint(
                condition=Q(start_s__isnull=True) | Q(start_s__gte=0), name="message_start_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(start_s__isnull=True) | Q(end_s__isnull=True) | Q(end_s__gte=models.F("start_s")),
                name="message_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="note") | Q(author="agent"), name="message_notes_are_by_agents"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class ContactEvent(models.Model):
    (
        """What happened to a contact besides messages: status, transfer, reason, linking. An audit trail.

    Opening is not an event: the contact itself says when it opened and how it was recognised.
    """
        ""
    )

    class Kind(models.TextChoices):
        """The kinds contacts writes itself; features above register theirs in `EVENT_KINDS` (routed,
        protocol, incident, warm transfer, problem, survey), so `kind` has no DB choices."""

        STATUS = "status", _("Status gewijzigd")
        TRANSFER = "transfer", _("Doorgezet")
        REASON = "reason", _("Reden gezet")
        LINKED = "linked", _("Klant gekoppeld")
        SUMMARY = "summary", _("Samenvatting gezet")
        ASSIGNED = "assigned", _("Toegewezen")
        OWNERSHIP = "ownership", _("Eigenaarschap genomen")
        PRIORITY = "priority", _("Prioriteit gezet")
        MATTER = "matter", _("Kwestie gekoppeld")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=EVENT_KIND_MAX)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["contact", "at"], name="event_contact_at")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self) -> str:
        return EVENT_KINDS.label(self.kind)


for _kind in ContactEvent.Kind:
    EVENT_KINDS.register(_kind.value, _kind.label)


class MessageSignals(models.Model):
    """What `gezien.analysis` found in one message: the full result, and columns the desk filters on.

    A table of its own, written after the message commits, so the message insert stays lean and an
    analysis that fails never touches the message. `gezien analysis reanalyse` rewrites rows in place.
    """

    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, primary_key=True, related_name="signals"
    )
    data = models.JSONField()  # gezien.analysis.Analysis.to_dict(): scores, evidence spans, layers
    role = models.CharField(max_length=10)
    lang = models.CharField(max_length=5)
    register = models.CharField(max_length=10)
    top_emotion = models.CharField(max_length=20, blank=True)  # "" when no emotion reaches 0.5
    top_score = models.FloatField()  # the strongest emotion's score, whether or not it reaches 0.5
    sentiment = models.FloatField()
    abuse = models.FloatField()
    churn = models.FloatField()
    repeat = models.FloatField()
    life_events = models.CharField(max_length=200, blank=True)  # space-separated, e.g. "bereavement moving"
    layers = models.CharField(max_length=60)  # "rules" or "rules+<model>"
    version = models.CharField(max_length=80)  # the analyser that wrote this row; reanalyse compares it
    analysed_at = models.DateTimeField()

    class Meta:
        ordering = ["message_id"]
        verbose_name = _("signalen van een bericht")
        indexes = [
            models.Index(fields=["role", "top_emotion"], name="signals_emotion"),
            models.Index(fields=["role", "sentiment"], name="signals_sentiment"),
            models.Index(fields=["abuse"], name="signals_abuse"),
            models.Index(fields=["churn"], name="signals_churn"),
            models.Index(fields=["repeat"], name="signals_repeat"),
            models.Index(fields=["register"], name="signals_register"),
            models.Index(fields=["analysed_at"], name="signals_analysed_at"),
            models.Index(fields=["version"], name="signals_version"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["customer", "agent"]), name="signals_role_valid"),
            models.CheckConstraint(
                condition=Q(sentiment__gte=-1) & Q(sentiment__lte=1), name="signals_sentiment_range"
            ),
            models.CheckConstraint(
                condition=Q(abuse__gte=0, abuse__lte=1)
                & Q(churn__gte=0, churn__lte=1)
                & Q(repeat__gte=0, repeat__lte=1)
                & Q(top_score__gte=0, top_score__lte=1),
                name="signals_scores_range",
            ),
        ]

    def __str__(self) -> str:
        return f"signals of message {self.message_id}: {self.top_emotion or '-'}"


class SignalCorrection(models.Model):
    """An agent or team lead says a signal on a message is wrong ("niet boos") or missing ("wel
    teleurgesteld"). One per person, signal and message; saying it again updates it. `gezien analysis
    train` learns from these."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="signal_corrections")
    signal = models.CharField(_("signaal"), max_length=30)
    value = models.BooleanField(_("klopt"))  # True: the signal is there ("wel"); False: it is not ("niet")
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="signal_corrections"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["message_id", "signal", "id"]
        verbose_name = _("correctie van een signaal")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "signal", "corrected_by"], name="correction_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{'wel' if self.value else 'niet'} {self.signal} on message {self.message_id}"


class OutboxEntry(models.Model):
    """What one transaction changed, for the apps that build on contacts: written in that transaction
    (so it commits or rolls back with the change), handled in batches off the request by
    `contacts.outbox`, and deleted once every listener has heard of it.

    Ids are kept as space-separated text: the row is written on the hot path by one plain INSERT."""

    contact_ids = models.TextField()
    message_ids = models.TextField(blank=True, default="")  # new messages, to be analysed
    created_at = models.DateTimeField(db_default=Now())
    # A drain handling the row holds it until then; a drain that stopped halfway lets go this way.
    claimed_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"outbox {self.pk}: contacts {self.contact_ids}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Where a file is kept in the storage: by contact, never under the name the sender chose alone."""
    return f"attachments/{instance.contact_id}/{filename}"


class Attachment(models.Model):
    """A file that came with a message or goes with a reply, on any channel. Kept through Django's
    storage API (files under the data folder by default); served only as a download, only to people
    who may see the contact (`contacts.attachments`)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=500)
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(max_length=150)  # what the content is, checked, not what was claimed
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    inline = models.BooleanField(default=False)  # an image shown in an e-mail's body
    content_id = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self) -> str:
        return self.filename


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt")
    BOUNCED = "bounced", _("Onbestelbaar")


class Delivery(models.Model):
    """How an outgoing message (an agent's reply, an acknowledgement) is getting to the customer, on
    any channel that sends: the channel's sender writes it in the reply's transaction and keeps it
    up to date; the desk and the API show it."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="delivery")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)  # the server's answer on the last failure or the bounce
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)  # failed for good, or bounced
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bezorging")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} for message {self.message_id}"
