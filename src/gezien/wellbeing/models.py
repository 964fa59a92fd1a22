"""Agents' wellbeing (R17): the organisation's policy, the emotional load of each handled contact, the
protection an agent gets after an abusive contact or a run of heavy ones, and the alerts a team lead gets
when someone works too long without a break. As care, never as a score: nothing here ranks people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import Contact


class WellbeingPolicy(models.Model):
    """One row: when the desk prompts a break, alerts the team lead, and protects an agent. Read through
    `wellbeing.selectors.policy()` (the defaults while none is saved)."""

    continuous_minutes = models.PositiveIntegerField(_("aaneengesloten werken (minuten)"), default=120)
    daily_queue_minutes = models.PositiveIntegerField(_("per dag op de wachtrij (minuten)"), default=420)
    min_break_minutes = models.PositiveIntegerField(_("kortste pauze die telt (minuten)"), default=5)
    lunch_only_minutes = models.PositiveIntegerField(
        _("alleen lunchpauze: signaleren vanaf (minuten op de wachtrij)"), default=240
    )
    heavy_load_at = models.FloatField(_("zwaar contact vanaf"), default=0.6)
    heavy_run = models.PositiveSmallIntegerField(_("zware contacten op rij"), default=3)
    heavy_window_minutes = models.PositiveIntegerField(_("binnen (minuten)"), default=90)
    protect_minutes = models.PositiveIntegerField(_("beschermd (minuten)"), default=60)
    decompression_minutes = models.PositiveIntegerField(_("even bijkomen (minuten)"), default=10)
    per_agent_views = models.BooleanField(_("overzicht per medewerker voor teamleiders"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("welzijnsbeleid")
        constraints = [
            models.CheckConstraint(
                condition=Q(heavy_load_at__gt=0) & Q(heavy_load_at__lte=1), name="wellbeing_heavy_range"
            ),
        ]
        permissions = [
            ("view_own_wellbeing", "See one's own wellbeing page"),
            ("view_team_wellbeing", "See the wellbeing of one's own team's agents"),
            ("view_all_wellbeing", "See the wellbeing of every team's agents"),
            ("manage_wellbeing_policy", "Change the wellbeing policy"),
        ]

    def __str__(self) -> str:
        return "wellbeing policy"


class ContactLoad(models.Model):
    """How heavy one handled contact was for the agent who closed it, from the customer's signals
    (`wellbeing.load`). Written when the contact closes and again when its signals arrive later."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, primary_key=True, related_name="load")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_loads"
    )
    closed_at = models.DateTimeField()
    load = models.FloatField()  # 0..1, the strongest weighted part below
    abuse = models.FloatField(default=0.0)
    anger = models.FloatField(default=0.0)
    distress = models.FloatField(default=0.0)  # sadness or stress
    disappointment = models.FloatField(default=0.0)
    life_event = models.CharField(max_length=20, blank=True)  # the heavy life event named, if any
    abusive = models.BooleanField(default=False)
    analysed = models.PositiveSmallIntegerField(default=0)  # customer messages with signals
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-closed_at", "-contact_id"]
        verbose_name = _("belasting van een contact")
        indexes = [models.Index(fields=["agent", "closed_at"], name="wellbeing_load_agent_day")]
        constraints = [
            models.CheckConstraint(condition=Q(load__gte=0) & Q(load__lte=1), name="wellbeing_load_range"),
        ]

    def __str__(self) -> str:
        return f"load {self.load:.2f} of contact {self.contact_id}"


class Protection(models.Model):
    """After an abusive contact, an incident, or a run of heavy contacts: routing passes the agent by for
    heavy contacts until `ends_at`, and the agent is offered a decompression break. One per agent and
    contact that caused it."""

    class Trigger(models.TextChoices):
        ABUSE = "abuse", _("Grof taalgebruik")
        INCIDENT = "incident", _("Incident")
        HEAVY_RUN = "heavy_run", _("Zware contacten op rij")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="protections")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    reason = models.CharField(_("reden"), max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    decompression_minutes = models.PositiveSmallIntegerField(default=10)
    break_taken_at = models.DateTimeField(null=True, blank=True)
    ended_early_at = models.DateTimeField(null=True, blank=True)
    ended_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("bescherming")
        indexes = [models.Index(fields=["user", "-ends_at"], name="wellbeing_protection_user")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "contact"], condition=Q(contact__isnull=False), name="wellbeing_protect_once"
            ),
            models.CheckConstraint(
                condition=Q(trigger__in=["abuse", "incident", "heavy_run"]), name="wellbeing_trigger_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="wellbeing_protect_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"protection of {self.user_id} until {self.ends_at:%H:%M}"


class WellbeingAlert(models.Model):
    """Something a team lead should act on: someone working too long without a break (once per stretch),
    too long on the queue in one day, or a day with no break but lunch (once per person, day and kind)."""

    class Kind(models.TextChoices):
        CONTINUOUS = "continuous", _("Lang aan één stuk")
        DAILY_QUEUE = "daily_queue", _("Lange dag op de wachtrij")
        LUNCH_ONLY = "lunch_only", _("Geen pauze behalve de lunch")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_alerts"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    day = models.DateField()  # the local day it happened on
    key = models.CharField(max_length=40)  # the stretch's start (continuous) or the day (the others)
    minutes = models.PositiveIntegerField()  # how long, when raised
    since = models.DateTimeField(null=True, blank=True)  # a stretch's start
    text = models.CharField(max_length=300)
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("welzijnssignaal")
        indexes = [
            models.Index(fields=["day", "kind"], name="wellbeing_alert_day"),
            models.Index(fields=["acknowledged_at", "-raised_at"], name="wellbeing_alert_open"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="wellbeing_alert_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["continuous", "daily_queue", "lunch_only"]),
                name="wellbeing_alert_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id} on {self.day}"
