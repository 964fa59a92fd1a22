"""The practice room's rows: team leads' own scenarios, practice sessions with their turns, assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scenario(models.Model):
    """A scenario a team lead wrote (the built-in ones live in code: `practice.scenarios.BUILTIN`)."""

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("titel"), max_length=120)
    situation = models.TextField(_("situatie"))
    opening = models.TextField(_("openingszin van de klant"))
    register = models.CharField(_("aanspreekvorm"), max_length=8, default="formal")
    start_tension = models.PositiveSmallIntegerField(_("spanning bij de start"), default=60)
    calms = models.TextField(_("wat de klant kalmeert"), blank=True)
    angers = models.TextField(_("wat de klant boos maakt"), blank=True)
    hints = models.JSONField(_("tips"), default=list, blank=True)
    need = models.TextField(_("wat de klant eerst nodig heeft"), blank=True)
    calm_words = models.JSONField(default=list, blank=True)
    strict = models.BooleanField(default=False)
    anger_words = models.JSONField(default=list, blank=True)
    help_words = models.JSONField(default=list, blank=True)
    replies = models.JSONField(default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("oefenscenario")
        verbose_name_plural = _("oefenscenario's")
        permissions = [
            ("practise", "Practise conversations in the practice room"),
            ("manage_practice", "Write practice scenarios, assign them and see the team's progress"),
        ]

    def __str__(self) -> str:
        return self.title


class PracticeSession(models.Model):
    """One attempt of one agent at one scenario. The scenario is copied in (`spec`) when it starts, so a
    scenario changed or removed later leaves the attempt as it was practised."""

    class Status(models.TextChoices):
        OPEN = "open", _("bezig")
        ENDED = "ended", _("klant beëindigde het gesprek")
        FINISHED = "finished", _("afgerond")

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scenario = models.CharField(max_length=40, db_index=True)
    spec = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=10, blank=True)  # "", resolved, abused, hung_up
    state = models.JSONField()  # practice.customer.CustomerState
    habit_read = models.JSONField(null=True, blank=True)  # HabitRead.to_json() once finished
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # mean of the applicable habits
    assignment = models.ForeignKey(
        "Assignment", null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["agent", "scenario", "status"], name="practice_agent_scenario")]

    def __str__(self) -> str:
        return f"{self.scenario} #{self.pk}"


class PracticeTurn(models.Model):
    """One turn: the customer's (index 0 is the opening) or the agent's with the customer's reaction."""

    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="turns")
    index = models.PositiveIntegerField()
    author = models.CharField(max_length=8)  # agent, customer
    text = models.TextField()
    # On a customer's turn: the reaction to the agent's turn before it, the tension after it, the feedback.
    reaction = models.CharField(max_length=16, blank=True)
    tension = models.PositiveSmallIntegerField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "index"]
        constraints = [models.UniqueConstraint(fields=["session", "index"], name="practice_turn_once")]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class Assignment(models.Model):
    """A team lead asks an agent to practise a scenario; done when the agent finishes an attempt at it."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scenario = models.CharField(max_length=40)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "scenario"],
                condition=models.Q(done_at__isnull=True),
                name="practice_assignment_open_once",
            )
        ]

    def __str__(self) -> str:
        return self.scenario
