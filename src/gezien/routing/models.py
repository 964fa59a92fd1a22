"""Skills-based routing (R21): what agents can handle, and what routing decided for a contact and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import Contact


class Skill(models.Model):
    """Something an agent is good at: "gevoelige_gesprekken", "klachten", "techniek"."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("vaardigheid")
        verbose_name_plural = _("vaardigheden")
        permissions = [
            ("manage_skills", "Set skills and experience of the agents in one's own team; add skills"),
            ("manage_skills_all_teams", "Set skills and experience of agents in every team"),
            ("route_contact", "Run routing for a contact again"),
        ]

    def __str__(self) -> str:
        return str(self.name)


class Experience(models.IntegerChoices):
    """Ordered: a need for "at least medior" is met by medior and senior."""

    JUNIOR = 1, _("Junior")
    MEDIOR = 2, _("Medior")
    SENIOR = 3, _("Senior")


# How the API and the forms name the levels.
EXPERIENCE_CODES: dict[str, int] = {
    "junior": Experience.JUNIOR,
    "medior": Experience.MEDIOR,
    "senior": Experience.SENIOR,
}
EXPERIENCE_OF_LEVEL: dict[int, str] = {level: code for code, level in EXPERIENCE_CODES.items()}


class RoutingProfile(models.Model):
    """What routing knows about one person: skills, experience, when they were last seen in the desk and
    when routing last gave them a contact, and how many contacts per channel they hold at once. Agent states
    live in `presence`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routing")
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="profiles", verbose_name=_("vaardigheden")
    )
    experience = models.PositiveSmallIntegerField(
        _("ervaring"), choices=Experience.choices, default=Experience.JUNIOR
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)  # in the desk; at most once a minute
    last_routed_at = models.DateTimeField(null=True, blank=True)  # routing's tie-breaker: longest ago first
    # How many contacts of each channel this person holds at once, e.g. {"phone": 1, "chat": 3}; a channel
    # left out takes the organisation's default (GEZIEN_CAPACITY), 0 means "not on this channel".
    capacity = models.JSONField(_("capaciteit per kanaal"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("routeringsprofiel")
        indexes = [models.Index(fields=["last_seen_at"], name="routing_profile_seen")]
        constraints = [
            models.CheckConstraint(
                condition=Q(experience__in=Experience.values), name="routing_experience_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"routing profile of {self.user_id}"


class RoutingDecision(models.Model):
    """What routing decided for a contact with needs: given to a skilled agent, or flagged in the normal
    queue because nobody with the skill was available. One per contact, updated when routed again."""

    class Outcome(models.TextChoices):
        ASSIGNED = "assigned", _("Toegewezen op vaardigheid")
        FLAGGED = "flagged", _("In de wachtrij met vlag")

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="routing")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # who got it (ASSIGNED; null again if that user is ever deleted)
    skills = models.JSONField(default=list)  # the skill codes needed, e.g. ["gevoelige_gesprekken"]
    experience = models.PositiveSmallIntegerField(choices=Experience.choices, default=Experience.JUNIOR)
    # [{code, skill, experience, flag, reasons: [{code, params}]}, ...] (needs.Need): the why as data,
    # worded in the reader's language when shown (routing.reasons)
    needs = models.JSONField(default=list)
    flags = models.JSONField(default=list)  # short Dutch labels for the queue: ["gevoelig", "boze klant"]
    decided_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("routeringsbeslissing")
        indexes = [models.Index(fields=["outcome", "-decided_at"], name="routing_decision_outcome")]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["assigned", "flagged"]), name="routing_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} contact {self.contact_id}"

    @property
    def flagged(self) -> bool:
        return self.outcome == self.Outcome.FLAGGED
