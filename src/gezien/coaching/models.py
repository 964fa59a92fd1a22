"""What coaching keeps: the organisation's policy (per-agent scores on or off), each closed contact's habit
read (`habits.read_conversation`'s JSON with one score column per habit, for the figures) and the comments
an agent writes on their own read (shown to their team lead)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.coaching.habits import HABITS
from gezien.contacts.models import Contact


class CoachingPolicy(models.Model):
    """One row: whether team leads and managers see each agent's scores (else only the team's figures).
    Read through `coaching.selectors.policy()` (the defaults while none is saved)."""

    per_agent_scores = models.BooleanField(
        _("scores per medewerker zichtbaar voor teamleiders"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coachingbeleid")
        permissions = [
            ("view_own_reads", "See the habit reads of one's own contacts and comment on them"),
            ("view_team_reads", "See the coaching queue and reads of one's own team's agents"),
            ("view_all_reads", "See the coaching queue and reads of every team's agents"),
            ("manage_coaching_policy", "Switch per-agent coaching scores on or off"),
        ]

    def __str__(self) -> str:
        return "coaching policy"


class ContactRead(models.Model):
    """The habits' read of one closed contact, for the agent who closed it. Written when the contact
    closes (and again by `gezien coaching reanalyse`); a score column is null where its habit did not
    apply."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, primary_key=True, related_name="habit_read"
    )
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habit_reads")
    closed_at = models.DateTimeField()
    data = models.JSONField(default=dict)
    version = models.CharField(max_length=40)
    uitpraten = models.PositiveSmallIntegerField(null=True, blank=True)
    vragen = models.PositiveSmallIntegerField(null=True, blank=True)
    rustig = models.PositiveSmallIntegerField(null=True, blank=True)
    terugkoppelen = models.PositiveSmallIntegerField(null=True, blank=True)
    collegas = models.PositiveSmallIntegerField(null=True, blank=True)
    eerst_luisteren = models.PositiveSmallIntegerField(null=True, blank=True)
    register = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["agent", "closed_at"], name="coaching_read_agent_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{h}__isnull": True}) | Q(**{f"{h}__lte": 100}), name=f"coaching_{h}_range"
            )
            for h in HABITS
        ]

    def __str__(self) -> str:
        return f"read of contact {self.contact_id}"


class ReadComment(models.Model):
    """An agent's word on their own read: a comment, or that they disagree (with one habit or the whole)."""

    read = models.ForeignKey(ContactRead, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    habit = models.CharField(max_length=20, blank=True, default="")  # "": the read as a whole
    disagree = models.BooleanField(default=False)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(habit__in=["", *HABITS]), name="coaching_comment_habit_valid"),
        ]

    def __str__(self) -> str:
        return f"comment on read {self.read_id}"


class CoachingSession(models.Model):
    """A coaching conversation a team lead plans with an agent on one or two habits, then records as held:
    the example contacts discussed, the agreements, a follow-up date. Whether the habit moved afterwards is
    read from the reads (`selectors.session_moves`). The agent sees their own log."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_sessions"
    )
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    habits = models.JSONField(default=list)  # habit names, one or two
    planned_for = models.DateTimeField()
    examples = models.JSONField(default=list)  # contact ids discussed
    held_at = models.DateTimeField(null=True, blank=True)
    agreements = models.TextField(max_length=4000, blank=True, default="")
    follow_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_for", "-id"]
        indexes = [models.Index(fields=["agent", "-planned_for"], name="coaching_session_agent")]

    def __str__(self) -> str:
        return f"coaching session {self.pk} with {self.agent_id}"


class StaleRead(models.Model):
    """A contact whose read must be made again off the request (a recording of it arrived or was
    analysed after it closed, or was deleted): drained by the tick (`services.reads_catch_up`)."""

    contact_id = models.IntegerField(primary_key=True)
    since = models.DateTimeField()

    class Meta:
        ordering = ["since"]

    def __str__(self) -> str:
        return f"stale read of contact {self.contact_id}"


class CalibrationScore(models.Model):
    """A team lead's hand score of one habit on one contact that has a read (calibration): 0..100 on the
    read's scale, or null for "niet van toepassing". The read's score and version at that moment are kept
    beside it, so the comparison and the export stay what the lead saw even after the read is redone."""

    read = models.ForeignKey(ContactRead, on_delete=models.CASCADE, related_name="calibrations")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    habit = models.CharField(max_length=20)
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # null: niet van toepassing
    read_score = models.PositiveSmallIntegerField(null=True, blank=True)  # null: the read said n.v.t.
    read_version = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["read", "lead", "habit"], name="coaching_calibration_once"),
            models.CheckConstraint(condition=Q(habit__in=list(HABITS)), name="coaching_calibration_habit"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="coaching_calibration_range"
            ),
        ]

    def __str__(self) -> str:
        return f"calibration of {self.habit} on contact {self.read_id}"


class GoodExample(models.Model):
    """A moment of a contact marked as exemplary ("Zo kan het ook") by a team lead or the agent, with a
    situation (boos, rouw, vijfde-contact, grof, formele-klacht or a free label) and why. The excerpt is
    stored anonymised for the customer (`coaching.anonymise`); the contact link is dropped when the
    contact goes, the example stays."""

    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    turn = models.PositiveIntegerField()  # the marked turn's index in the conversation (as in a read)
    habit = models.CharField(max_length=20, blank=True, default="")
    situation = models.CharField(max_length=40)
    excerpt = models.JSONField(default=list)  # [{"author": "customer"|"agent", "text": ...}], anonymised
    why = models.TextField(max_length=500)
    search_text = models.TextField(default="", editable=False)  # excerpt, why and situation, lowercased
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["situation", "-created_at"], name="coaching_example_situation")]
        constraints = [
            models.CheckConstraint(condition=Q(habit__in=["", *HABITS]), name="coaching_example_habit"),
        ]

    def __str__(self) -> str:
        return f"example {self.pk} ({self.situation})"
