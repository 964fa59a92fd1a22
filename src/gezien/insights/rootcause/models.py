"""The root-cause board (R15): problems ("signalen") owned by departments, the contacts they cause, the
departments' answers, and spikes in contact reasons that may reveal a new problem."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.accounts.models import Department
from gezien.contacts.models import Contact, ContactReason


class ProblemStatus(models.TextChoices):
    NEW = "nieuw", _("Nieuw")
    ACKNOWLEDGED = "erkend", _("Erkend")
    IN_PROGRESS = "in_behandeling", _("In behandeling")
    SOLVED = "opgelost", _("Opgelost")
    NO_ACTION = "geen_actie", _("Geen actie")


# Problems agents can still link contacts to and that the desk shows as "known".
OPEN_STATUSES: tuple[str, ...] = (
    ProblemStatus.NEW,
    ProblemStatus.ACKNOWLEDGED,
    ProblemStatus.IN_PROGRESS,
)


class Spike(models.Model):
    """More contacts about one reason in a window than its own weekday×hour baseline explains.

    `expected` is the mean count of the same weekday-hours over the previous weeks; `p_value` the
    Poisson upper tail P(X ≥ observed), already corrected for testing many reasons at once."""

    reason = models.ForeignKey(ContactReason, on_delete=models.CASCADE, related_name="spikes")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    observed = models.IntegerField()
    expected = models.FloatField()
    p_value = models.FloatField()
    explanation = models.TextField()
    detected_at = models.DateTimeField()
    problem = models.ForeignKey(
        "Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="spikes_seen"
    )
    dismissed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-detected_at", "id"]
        verbose_name = _("piek")
        verbose_name_plural = _("pieken")
        constraints = [
            models.UniqueConstraint(
                fields=["reason", "window_start", "window_end"], name="spike_reason_window"
            ),
            models.CheckConstraint(condition=Q(window_end__gt=models.F("window_start")), name="spike_window"),
        ]
        indexes = [models.Index(fields=["dismissed", "detected_at"], name="spike_open")]

    def __str__(self) -> str:
        return f"spike {self.reason_id} {self.window_start:%Y-%m-%d}"


class Problem(models.Model):
    """A problem a department causes and customer service absorbs: late deliveries from one warehouse,
    a wrong invoice run. Agents link the contacts it causes; the department answers and sets a status."""

    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="problems"
    )
    reasons = models.ManyToManyField(ContactReason, blank=True, related_name="problems")
    status = models.CharField(
        _("status"), max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.NEW
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    # The spike the problem was made from ("maak een signaal"), if any.
    spike = models.ForeignKey(
        Spike, null=True, blank=True, on_delete=models.SET_NULL, related_name="problems_made"
    )
    contacts: models.ManyToManyField[Contact, ProblemContact] = models.ManyToManyField(
        Contact, through="ProblemContact", related_name="problems"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        permissions = [
            ("answer_problem", "Answer a problem of one's own department and set its status"),
            ("answer_any_problem", "Answer any problem and set its status"),
            ("link_problem", "Link contacts to a problem and add 'ik zie dit ook'"),
            ("manage_reasons", "Edit the contact reason tree and departments"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="problem_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ProblemStatus]), name="problem_status_valid"
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ProblemContact(models.Model):
    """A contact caused by a problem. `seen_too` is an agent's "ik zie dit ook" with an example."""

    class Kind(models.TextChoices):
        LINK = "link", _("Gekoppeld")
        SEEN_TOO = "seen_too", _("Ik zie dit ook")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="problem_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LINK)
    note = models.TextField(_("voorbeeld"), blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "contact"], name="problem_contact_unique"),
            models.CheckConstraint(condition=Q(kind__in=["link", "seen_too"]), name="problem_contact_kind"),
        ]
        indexes = [models.Index(fields=["contact"], name="problem_contact_contact")]

    def __str__(self) -> str:
        return f"problem {self.problem_id} contact {self.contact_id}"


class ProblemUpdate(models.Model):
    """A department's answer, a status change, or both. The status history is these rows in order."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ProblemStatus.choices, blank=True)
    text = models.TextField(_("antwoord"), blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["problem", "at"], name="problem_update_at")]

    def __str__(self) -> str:
        return f"update of problem {self.problem_id}"
