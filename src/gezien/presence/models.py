"""What each agent is doing, as spans of one state: the live view, occupancy, breaks and wellbeing all
read these. One open span (ended_at null) per person at most; a state change closes it and opens the next."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import Contact


class State(models.TextChoices):
    AVAILABLE = "available", _("Beschikbaar")
    IN_CONTACT = "in_contact", _("In contact")
    AFTER_CONTACT = "after_contact", _("Nawerk")
    BREAK = "break", _("Pauze")
    OFFLINE = "offline", _("Afgemeld")


class BreakKind(models.TextChoices):
    SHORT = "short", _("Korte pauze")
    LUNCH = "lunch", _("Lunch")
    DECOMPRESSION = "decompression", _("Even bijkomen")
    OTHER = "other", _("Overleg of training")


# States in which someone works the queue (for time on the queue and occupancy).
WORKING_STATES = (State.AVAILABLE, State.IN_CONTACT, State.AFTER_CONTACT)
# States in which routing may give someone a contact.
ROUTABLE_STATES = (State.AVAILABLE, State.IN_CONTACT)


class StateSpan(models.Model):
    class SetBy(models.TextChoices):
        AGENT = "agent", _("Zelf")
        AUTO = "auto", _("Automatisch")
        LEAD = "lead", _("Teamleider")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="state_spans")
    state = models.CharField(_("status"), max_length=14, choices=State.choices)
    break_kind = models.CharField(_("soort pauze"), max_length=14, choices=BreakKind.choices, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    planned_end = models.DateTimeField(null=True, blank=True)  # a break of N minutes, after-contact work
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the contact that put someone in contact or after-contact work
    set_by = models.CharField(max_length=5, choices=SetBy.choices, default=SetBy.AGENT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("status van een medewerker")
        indexes = [
            models.Index(fields=["user", "-started_at"], name="presence_span_user"),
            models.Index(fields=["started_at"], name="presence_span_started"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(ended_at__isnull=True), name="presence_one_open_span"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["available", "in_contact", "after_contact", "break", "offline"]),
                name="presence_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="presence_span_ordered",
            ),
        ]
        permissions = [
            ("set_own_state", "Set one's own agent state"),
            ("view_live", "See the live queue and the agents' states of one's own team"),
            ("view_live_all_teams", "See the live queue and the agents' states of every team"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.state} from {self.started_at:%Y-%m-%d %H:%M}"
