"""Service-level targets per channel; the forecast, its edits and the schedule build on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ServiceTarget(models.Model):
    """How fast one channel should be answered, and what staffing it takes: "80 % binnen 20 seconden".

    `concurrency` is how many contacts of this channel one agent handles at once (1 call, or 3 chats);
    `patience_seconds` (mean time a customer waits before hanging up) switches the plan to Erlang A."""

    channel = models.CharField(_("kanaal"), max_length=10, unique=True)
    service_level = models.FloatField(_("servicelevel"), default=0.8)  # share answered within the target
    target_seconds = models.PositiveIntegerField(_("binnen (seconden)"), default=20)
    patience_seconds = models.PositiveIntegerField(_("geduld (seconden)"), null=True, blank=True)
    max_abandon = models.FloatField(_("hoogstens opgehangen"), null=True, blank=True)
    max_occupancy = models.FloatField(_("hoogstens bezetting"), null=True, blank=True)
    shrinkage = models.FloatField(_("uitval"), default=0.3)  # breaks, training, illness
    concurrency = models.PositiveSmallIntegerField(_("tegelijk per medewerker"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["channel"]
        verbose_name = _("servicedoel")
        verbose_name_plural = _("servicedoelen")
        constraints = [
            models.CheckConstraint(
                condition=Q(service_level__gt=0) & Q(service_level__lt=1), name="planning_sl_range"
            ),
            models.CheckConstraint(
                condition=Q(shrinkage__gte=0) & Q(shrinkage__lt=1), name="planning_shrink"
            ),
            models.CheckConstraint(condition=Q(concurrency__gte=1), name="planning_concurrency"),
            models.CheckConstraint(
                condition=Q(max_occupancy__isnull=True) | (Q(max_occupancy__gt=0) & Q(max_occupancy__lte=1)),
                name="planning_occupancy_range",
            ),
            models.CheckConstraint(
                condition=Q(max_abandon__isnull=True) | (Q(max_abandon__gte=0) & Q(max_abandon__lt=1)),
                name="planning_abandon_range",
            ),
        ]
        permissions = [
            ("view_plan", "See the forecast and the staffing plan of one's own team"),
            ("edit_forecast", "Edit the forecast and the schedule"),
            ("manage_targets", "Change the service-level targets per channel"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.service_level:.0%} in {self.target_seconds}s"


# Sensible starting targets (a data migration writes them): calls 80/20 with 30 % shrinkage, chats 80/60
# with three at once, e-mail and web forms within an hour.
DEFAULT_TARGETS: dict[str, dict[str, float | int | None]] = {
    "phone": {"service_level": 0.8, "target_seconds": 20, "patience_seconds": 120, "concurrency": 1},
    "chat": {"service_level": 0.8, "target_seconds": 60, "patience_seconds": 300, "concurrency": 3},
    "email": {"service_level": 0.9, "target_seconds": 3600, "patience_seconds": None, "concurrency": 1},
    "webform": {"service_level": 0.9, "target_seconds": 3600, "patience_seconds": None, "concurrency": 1},
}


class Source(models.TextChoices):
    """Where interval history comes from: the desk's own contacts, or a telephony platform's (ACD)
    interval export, which also counts the calls nobody logged."""

    CONTACTS = "contacts", _("Contacten in Gezien")
    IMPORT = "import", _("Geïmporteerd (telefonieplatform)")


class VolumeInterval(models.Model):
    """Offered contacts and handling time of one channel in one quarter of an hour (`start` is aligned
    to 15 minutes). The forecast reads these, never the contacts themselves. Per channel and day an
    imported day replaces what the desk counted itself."""

    channel = models.CharField(max_length=10)
    start = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices)
    offered = models.FloatField(default=0)  # an import of 30 minutes is spread over its quarters
    handled = models.FloatField(default=0)  # contacts whose handling time is known
    handled_seconds = models.FloatField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["channel", "start", "source"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "start", "source"], name="planning_interval_unique"),
            models.CheckConstraint(
                condition=Q(offered__gte=0) & Q(handled__gte=0) & Q(handled_seconds__gte=0),
                name="planning_interval_positive",
            ),
        ]
        indexes = [models.Index(fields=["channel", "start"], name="planning_interval_channel")]

    def __str__(self) -> str:
        return f"{self.channel} {self.start:%Y-%m-%d %H:%M} ({self.source}): {self.offered:g}"


class HistoryStaleDay(models.Model):
    """A local day whose contact-derived intervals must be counted again (its contacts changed)."""

    day = models.DateField(primary_key=True)
    since = models.DateTimeField()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"stale history {self.day}"


class AdjustmentKind(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    VOLUME = "volume", _("Aantal contacten")
    AHT = "aht", _("Afhandeltijd")


class ForecastAdjustment(models.Model):
    """A team lead's edit of the forecast for [start, end) of one channel: a percentage ("storing
    verwacht: +40 %"), the number of contacts expected over the whole range, or the handling time."""

    channel = models.CharField(_("kanaal"), max_length=10)
    start = models.DateTimeField(_("vanaf"))
    end = models.DateTimeField(_("tot"))
    kind = models.CharField(_("soort"), max_length=8, choices=AdjustmentKind.choices)
    value = models.FloatField(_("waarde"))
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "created_at", "id"]
        verbose_name = _("aanpassing van de prognose")
        verbose_name_plural = _("aanpassingen van de prognose")
        indexes = [models.Index(fields=["channel", "start"], name="planning_adjust_channel")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="planning_adjust_ordered"),
            models.CheckConstraint(
                condition=Q(kind__in=["percent", "volume", "aht"]), name="planning_adjust_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} {self.value:g} from {self.start:%Y-%m-%d %H:%M}"


class Shift(models.Model):
    """Someone scheduled on one or more channels from `start` to `end`. A person on two channels counts
    half on each in the plan."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts")
    channels = models.CharField(_("kanalen"), max_length=40)  # "phone" or "phone,chat"
    start = models.DateTimeField(_("begin"))
    end = models.DateTimeField(_("einde"))
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "user_id", "id"]
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")
        indexes = [
            models.Index(fields=["start"], name="planning_shift_start"),
            models.Index(fields=["user", "start"], name="planning_shift_user"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="planning_shift_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channels} {self.start:%Y-%m-%d %H:%M}-{self.end:%H:%M}"

    @property
    def channel_list(self) -> list[str]:
        return [c for c in self.channels.split(",") if c]


class CapacityNotice(models.Model):
    """A team lead was told about the gaps of `day` (today and tomorrow): at most once a day."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "recipient_id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="planning_notice_once_a_day")
        ]

    def __str__(self) -> str:
        return f"capacity notice {self.day} to {self.recipient_id}"
