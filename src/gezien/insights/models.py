"""One row of figures per contact, and daily rollups of them per team, agent, channel, reason and
department: what every dashboard reads, so none of them scans messages or contacts per request."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Outcome(models.TextChoices):
    """For a yes/no figure that may not be known yet (a matter can still come back)."""

    YES = "yes"
    NO = "no"
    PENDING = "pending"


class ContactFact(models.Model):
    """The figures of one contact. Rebuilt by `facts.facts_refresh` from the contact and from what the
    insight modules contribute (`facts.fact_contributor`); never edited by hand.

    Emotion is measured as distress: the strongest negative emotion (anger, stress, haste,
    disappointment, sadness) in a customer message, 0..1. Gain = start − end: > 0 means the customer
    left calmer than they came.
    """

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, primary_key=True, related_name="fact"
    )
    day = models.DateField()  # the local (Europe/Amsterdam) day the contact opened
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=20)
    priority = models.CharField(max_length=10, default="normal")
    team_id = models.IntegerField(null=True, blank=True)
    agent_id = models.IntegerField(null=True, blank=True)
    reason_id = models.IntegerField(null=True, blank=True)
    department_id = models.IntegerField(null=True, blank=True)
    customer_id = models.IntegerField(null=True, blank=True)
    matter_id = models.IntegerField(null=True, blank=True)

    # Emotion (cx): null when the customer wrote nothing analysed.
    customer_messages = models.IntegerField(default=0)
    emotion_start = models.FloatField(null=True, blank=True)
    emotion_peak = models.FloatField(null=True, blank=True)
    emotion_end = models.FloatField(null=True, blank=True)
    emotion_gain = models.FloatField(null=True, blank=True)
    negative = models.BooleanField(default=False)  # the peak distress reached 0.5
    churn = models.FloatField(default=0.0)  # the strongest churn intent in the customer's words
    abuse = models.BooleanField(default=False)

    # Effort: the agent time this contact took, in seconds (`resolution` decides how per channel).
    handling_seconds = models.IntegerField(null=True, blank=True)

    # Resolution (resolution): the naive "no callback on this channel within 5 working days", and the
    # honest first-contact resolution of its matter; whether this contact is a repeat about a matter.
    naive_resolved = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    honest_resolved = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    first_of_matter = models.BooleanField(default=True)
    is_repeat = models.BooleanField(default=False)

    # Service levels (sla): seconds in opening hours, and whether the target was met.
    first_response_seconds = models.IntegerField(null=True, blank=True)
    resolution_seconds = models.IntegerField(null=True, blank=True)
    sla_first_response = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    sla_resolution = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    # (YES = met, NO = breached, PENDING = still running or no policy applies)

    # Surveys: the answer to the survey about this contact, if any.
    nps = models.SmallIntegerField(null=True, blank=True)  # 0..10
    csat = models.SmallIntegerField(null=True, blank=True)  # 1..5

    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "contact_id"]
        indexes = [
            models.Index(fields=["day"], name="fact_day"),
            models.Index(fields=["customer_id", "day"], name="fact_customer"),
            models.Index(fields=["reason_id", "day"], name="fact_reason"),
            models.Index(fields=["department_id", "day"], name="fact_department"),
            # The service-level "now" figures count the open contacts (per team) on every read.
            models.Index(fields=["team_id"], name="fact_open_team", condition=Q(closed_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__gte=0, nps__lte=10), name="fact_nps"
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=5), name="fact_csat"
            ),
        ]

    def __str__(self) -> str:
        return f"fact of contact {self.contact_id}"


class Dimension(models.TextChoices):
    ALL = "all"
    TEAM = "team"
    AGENT = "agent"
    CHANNEL = "channel"
    REASON = "reason"
    DEPARTMENT = "department"
    PRIORITY = "priority"
    # Team leads see their own team only: per channel and per reason within a team ("3:chat", "3:12").
    TEAM_CHANNEL = "team_channel"
    TEAM_REASON = "team_reason"
    TEAM_AGENT = "team_agent"  # an agent's contacts for this team only (agents move between teams)


class DailyRollup(models.Model):
    """Sums of the facts of one day for one value of one dimension (team 3, channel "chat", ...; `key`
    is "" for ALL and for facts without that dimension). Means and rates are sums over counts, so any
    period is a sum of days. The pair sums (x = emotion at the end, y = the score) give Pearson's r
    between emotion and NPS or CSAT for any period and dimension."""

    day = models.DateField()
    dim = models.CharField(max_length=12, choices=Dimension.choices)
    key = models.CharField(max_length=40, blank=True)

    contacts = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    customers = models.IntegerField(default=0)  # distinct customers that day (not additive over days)
    emotion_n = models.IntegerField(default=0)
    emotion_start_sum = models.FloatField(default=0)
    emotion_peak_sum = models.FloatField(default=0)
    emotion_end_sum = models.FloatField(default=0)
    emotion_gain_sum = models.FloatField(default=0)
    calmer = models.IntegerField(default=0)  # gain > 0.1 and the last customer message not upset
    negative = models.IntegerField(default=0)
    churn_risk = models.IntegerField(default=0)  # churn ≥ 0.5
    abuse = models.IntegerField(default=0)
    handling_n = models.IntegerField(default=0)
    handling_sum = models.BigIntegerField(default=0)
    repeats = models.IntegerField(default=0)
    naive_n = models.IntegerField(default=0)  # decided (yes or no)
    naive_yes = models.IntegerField(default=0)
    honest_n = models.IntegerField(default=0)  # first contacts of a matter whose outcome is decided
    honest_yes = models.IntegerField(default=0)
    sla_fr_n = models.IntegerField(default=0)
    sla_fr_breached = models.IntegerField(default=0)
    first_response_sum = models.BigIntegerField(default=0)
    sla_res_n = models.IntegerField(default=0)
    sla_res_breached = models.IntegerField(default=0)
    nps_n = models.IntegerField(default=0)
    nps_promoters = models.IntegerField(default=0)
    nps_detractors = models.IntegerField(default=0)
    nps_sum = models.IntegerField(default=0)
    csat_n = models.IntegerField(default=0)
    csat_sum = models.IntegerField(default=0)
    csat_satisfied = models.IntegerField(default=0)  # 4 or 5
    # Pairs of (emotion at the end, score) for contacts with both.
    nps_pair_n = models.IntegerField(default=0)
    nps_x = models.FloatField(default=0)
    nps_y = models.FloatField(default=0)
    nps_xx = models.FloatField(default=0)
    nps_yy = models.FloatField(default=0)
    nps_xy = models.FloatField(default=0)
    csat_pair_n = models.IntegerField(default=0)
    csat_x = models.FloatField(default=0)
    csat_y = models.FloatField(default=0)
    csat_xx = models.FloatField(default=0)
    csat_yy = models.FloatField(default=0)
    csat_xy = models.FloatField(default=0)

    class Meta:
        ordering = ["day", "dim", "key"]
        constraints = [models.UniqueConstraint(fields=["dim", "key", "day"], name="rollup_unique")]
        indexes = [models.Index(fields=["dim", "day"], name="rollup_dim_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.dim}={self.key or '*'}"


class StaleFact(models.Model):
    """A contact whose fact must be rebuilt (it changed, got signals, a survey answer, ...)."""

    contact_id = models.IntegerField(primary_key=True)
    since = models.DateTimeField()

    class Meta:
        ordering = ["since"]

    def __str__(self) -> str:
        return f"stale fact of contact {self.contact_id}"


class StaleDay(models.Model):
    """A day whose rollups must be rebuilt because one of its facts changed."""

    day = models.DateField(primary_key=True)
    since = models.DateTimeField()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"stale day {self.day}"
