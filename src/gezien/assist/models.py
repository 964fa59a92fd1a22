"""What the assist remembers: what agents did with its hints, protocols a contact switched to, incidents
of abuse and the team leads told about them, and warm transfers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import Contact


class HintAction(models.Model):
    """An agent dismissed a hint ("niet nuttig"), unfolded the solutions before acknowledging, or used a
    suggested sentence. Stored per contact and person: it is how the product learns what helps."""

    class Action(models.TextChoices):
        DISMISSED = "dismissed", _("Weggeklikt")
        UNFOLDED = "unfolded", _("Oplossingen opengeklapt")
        USED = "used", _("Gebruikt")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="hint_actions")
    hint = models.CharField(
        _("hint"), max_length=80
    )  # a stable key, e.g. "listen_first", "known_problem:levering"
    action = models.CharField(max_length=12, choices=Action.choices)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    # What the hint said and cited when it was acted on: the hint may read differently later.
    shown = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contact_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "hint", "action", "user"], name="hint_action_once"),
            models.CheckConstraint(
                condition=Q(action__in=["dismissed", "unfolded", "used"]), name="hint_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.hint} on contact {self.contact_id}"


class Protocol(models.TextChoices):
    BEREAVEMENT = "bereavement", _("Overlijden")
    ILLNESS = "illness", _("Ernstige ziekte")
    ABUSE = "abuse", _("Grof taalgebruik")


# Contacts under these protocols get no survey and no offers (R8, R9).
NO_SURVEY_PROTOCOLS = frozenset({Protocol.BEREAVEMENT, Protocol.ILLNESS, Protocol.ABUSE})


class ContactProtocol(models.Model):
    """A contact switched to a protocol, because the analysis saw it (with the words) or an agent said so."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="protocols")
    protocol = models.CharField(max_length=20, choices=Protocol.choices)
    evidence = models.JSONField(default=list, blank=True)  # [[signal, words, message_id], ...]
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # null: the desk saw it in the customer's words
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["contact_id", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "protocol"], name="protocol_once_per_contact"),
            models.CheckConstraint(condition=Q(protocol__in=Protocol.values), name="protocol_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.protocol} on contact {self.contact_id}"


class Incident(models.Model):
    """Abuse of an agent (R9): logged by the desk when abuse goes on after the warning, or reported by the
    agent. The team lead is told; the agent is offered a short break."""

    class Source(models.TextChoices):
        DETECTED = "detected", _("Door Gezien vastgelegd")
        REPORTED = "reported", _("Gemeld door medewerker")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="incidents")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )  # who bore it: the contact's agent
    source = models.CharField(max_length=10, choices=Source.choices)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    evidence = models.JSONField(default=list, blank=True)  # [[signal, words, message_id], ...]
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    break_taken_at = models.DateTimeField(null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agent", "-created_at"], name="incident_agent_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=["detected", "reported"]), name="incident_source_valid"
            ),
            # The desk logs one incident per contact by itself; agents may add reports of their own.
            models.UniqueConstraint(
                fields=["contact"], condition=Q(source="detected"), name="incident_detected_once"
            ),
        ]

    def __str__(self) -> str:
        return f"incident {self.pk} on contact {self.contact_id}"


class WarmTransfer(models.Model):
    """R10: announce the caller to a colleague, wait until they acknowledge, then connect."""

    class State(models.TextChoices):
        ANNOUNCED = "announced", _("Aangekondigd")
        ACKNOWLEDGED = "acknowledged", _("Collega is klaar")
        CONNECTED = "connected", _("Doorverbonden")
        CANCELLED = "cancelled", _("Geannuleerd")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="warm_transfers")
    from_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warm_transfers_in"
    )
    note = models.CharField(_("wat de collega moet weten"), max_length=500)
    state = models.CharField(max_length=12, choices=State.choices, default=State.ANNOUNCED)
    announced_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)  # connected or cancelled

    class Meta:
        ordering = ["-announced_at", "-id"]
        indexes = [models.Index(fields=["to_agent", "state"], name="transfer_inbox")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["announced", "acknowledged", "connected", "cancelled"]),
                name="transfer_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="announced") | Q(acknowledged_at__isnull=False) | Q(state="cancelled"),
                name="transfer_connect_needs_ack",
            ),
            # One live warm transfer per contact at a time.
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(state__in=["announced", "acknowledged"]),
                name="transfer_one_live",
            ),
        ]

    def __str__(self) -> str:
        return f"warm transfer of contact {self.contact_id}: {self.state}"
