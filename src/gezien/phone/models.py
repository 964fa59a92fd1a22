"""Calls as the telephone system tells of them (issue 18, CTI): one `Call` per call id, folded from its
events (`CallEvent`, one per kind of event and call: a repeated event is the same event)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import Contact
from gezien.customers.models import Customer


class Direction(models.TextChoices):
    IN = "in", _("Inkomend")
    OUT = "out", _("Uitgaand")


class CallState(models.TextChoices):
    RINGING = "ringing", _("Gaat over")
    ANSWERED = "answered", _("In gesprek")
    ENDED = "ended", _("Beëindigd")
    ABANDONED = "abandoned", _("Opgehangen voor opname")


class EventKind(models.TextChoices):
    NEW_CALL = "newCall", _("Nieuw gesprek")
    ANSWER = "answer", _("Aangenomen")
    HANGUP = "hangup", _("Opgehangen")


class Call(models.Model):
    call_id = models.CharField(max_length=200, unique=True)  # the telephone system's id of the call
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.IN)
    from_raw = models.CharField(max_length=100, blank=True)  # as the telephone system typed it
    to_raw = models.CharField(max_length=100, blank=True)
    from_number = models.CharField(max_length=32, blank=True)  # E.164, "" when it is no phone number
    to_number = models.CharField(max_length=32, blank=True)
    queue = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=9, choices=CallState.choices, default=CallState.RINGING)
    rang_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    cause = models.CharField(max_length=100, blank=True)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # who answered (inbound) or called (outbound)
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ended_recorded = models.BooleanField(default=False)  # the hangup is on the contact (once)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-rang_at", "-id"]
        indexes = [
            models.Index(fields=["state", "rang_at"], name="phone_call_state"),
            models.Index(fields=["rang_at"], name="phone_call_rang"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=CallState.values), name="phone_call_state_valid"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="phone_call_direction"),
        ]

    def __str__(self) -> str:
        return f"call {self.call_id} {self.state}"

    @property
    def number(self) -> str:
        """The customer's side of the call, normalised ("" when unknown)."""
        return self.from_number if self.direction == Direction.IN else self.to_number

    @property
    def number_raw(self) -> str:
        return self.from_raw if self.direction == Direction.IN else self.to_raw

    @property
    def duration_s(self) -> int | None:
        if self.answered_at is None or self.ended_at is None:
            return None
        return max(0, int((self.ended_at - self.answered_at).total_seconds()))

    @property
    def waited_s(self) -> int | None:
        end = self.answered_at or self.ended_at
        return None if end is None else max(0, int((end - self.rang_at).total_seconds()))


class CallEvent(models.Model):
    """The log: every event as it came, once per (call_id, event); a repeat is refused by the constraint."""

    call_id = models.CharField(max_length=200)
    event = models.CharField(max_length=8, choices=EventKind.choices)
    at = models.DateTimeField()  # the event's own time ("at"), else when it arrived
    arrived_at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField(default=dict, blank=True)  # from, to, direction, queue, user, cause as sent

    class Meta:
        ordering = ["call_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call_id", "event"], name="phone_event_once"),
            models.CheckConstraint(condition=Q(event__in=EventKind.values), name="phone_event_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.call_id}"


def recording_path(instance: Recording, filename: str) -> str:
    """Where a recording is kept in the storage: by contact, under a name of our own."""
    return f"recordings/{instance.contact_id}/{filename}"


class RecordingFormat(models.TextChoices):
    WAV = "wav", "WAV"
    FLAC = "flac", "FLAC"
    OPUS = "opus", "Opus"


class RecordingSource(models.TextChoices):
    UPLOAD = "upload", _("Via de API")
    DESK = "desk", _("In de desk geüpload")
    ADAPTER = "adapter", _("Van de telefooncentrale")


class AgentChannel(models.TextChoices):
    LEFT = "left", _("Links")
    RIGHT = "right", _("Rechts")


class AnalysisState(models.TextChoices):
    PENDING = "pending", _("Wordt geanalyseerd")
    DONE = "done", _("Geanalyseerd")
    FAILED = "failed", _("Analyse mislukt")


class TranscriptState(models.TextChoices):
    NONE = "", _("Niet uitgeschreven")
    PENDING = "pending", _("Wordt uitgeschreven")
    DONE = "done", _("Uitgeschreven")
    FAILED = "failed", _("Uitschrijven mislukt")


class Recording(models.Model):
    """A stereo recording of a phone contact (agent and customer each on a channel) and its voice
    analysis (`gezien.voice`): personal data, kept through Django's storage API under the data folder
    like attachments, listened to only through the audited views (`phone.recordings`)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="recordings")
    file = models.FileField(upload_to=recording_path, max_length=500)
    filename = models.CharField(max_length=255)  # the sender's name, made safe; only shown
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    format = models.CharField(max_length=4, choices=RecordingFormat.choices)
    duration_s = models.FloatField()
    channels = models.PositiveSmallIntegerField()
    samplerate = models.PositiveIntegerField()
    agent_channel = models.CharField(max_length=5, choices=AgentChannel.choices, default=AgentChannel.LEFT)
    source = models.CharField(max_length=7, choices=RecordingSource.choices, default=RecordingSource.UPLOAD)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    analysis_state = models.CharField(
        max_length=7, choices=AnalysisState.choices, default=AnalysisState.PENDING
    )
    analysis = models.JSONField(null=True, blank=True)  # VoiceAnalysis.to_json()
    analysis_version = models.CharField(max_length=20, blank=True)
    analysis_error = models.CharField(max_length=300, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    # speech-to-text (the `stt` extra), run on the task queue / the tick (`phone.transcripts`)
    transcript_state = models.CharField(
        max_length=7, choices=TranscriptState.choices, default=TranscriptState.NONE, blank=True
    )
    transcript_error = models.CharField(max_length=300, blank=True)
    transcript_requested_at = models.DateTimeField(null=True, blank=True)
    transcript_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    created_now = False  # not stored: True on the recording `phone.recordings.recording_attach` just made

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("opname")
        verbose_name_plural = _("opnames")
        permissions = [
            ("listen_recording", "Can listen to call recordings and see their analysis"),
        ]
        indexes = [
            models.Index(fields=["analysis_state", "created_at"], name="phone_recording_state"),
            models.Index(fields=["created_at"], name="phone_recording_created"),
        ]
        constraints = [
            # The same file twice on one contact is one recording.
            models.UniqueConstraint(fields=["contact", "sha256"], name="phone_recording_once"),
            models.CheckConstraint(
                condition=Q(format__in=RecordingFormat.values), name="phone_recording_format"
            ),
            models.CheckConstraint(
                condition=Q(agent_channel__in=AgentChannel.values), name="phone_recording_agent_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"recording {self.pk} of contact {self.contact_id}"


class Extension(models.Model):
    """Which phone a desk person answers (issue 18): the telephone system's extension ("201") and the
    interface its events and commands name ("PJSIP/201"). One each way: a person has one phone here."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    extension = models.CharField(max_length=40, unique=True)
    interface = models.CharField(max_length=100, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["extension"]

    def __str__(self) -> str:
        return f"{self.extension} ({self.interface})"
