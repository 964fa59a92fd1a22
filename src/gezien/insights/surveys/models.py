"""Surveys after a closed contact: an invitation (a signed, expiring link), at most one answer per
invitation, and a record of why no survey went out when the desk decided not to send one."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import Contact
from gezien.customers.models import Customer

COMMENT_CHARS = 2000


class SurveyKind(models.TextChoices):
    NPS = "nps", _("NPS (0–10)")
    CSAT = "csat", _("Tevredenheid (1–5)")


class SurveyLanguage(models.TextChoices):
    NL = "nl", _("Nederlands")
    EN = "en", _("Engels")


class SentVia(models.TextChoices):
    EMAIL = "email", _("E-mail door Gezien")
    API = "api", _("Door de organisatie zelf (API)")
    CHAT = "chat", _("In de chat")


class SurveyInvitation(models.Model):
    """One survey about one contact. The link's token signs the id and a random nonce, so no token can
    be made from ids alone; `expires_at` decides how long the link works."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="survey_invitation")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="survey_invitations")
    kind = models.CharField(max_length=4, choices=SurveyKind.choices)
    language = models.CharField(max_length=2, choices=SurveyLanguage.choices, default=SurveyLanguage.NL)
    nonce = models.CharField(max_length=32, editable=False)
    sent_via = models.CharField(max_length=5, choices=SentVia.choices)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)  # the e-mail went out, or the chat showed the link
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enquête-uitnodiging")
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="survey_customer_recent"),
            models.Index(fields=["created_at"], name="survey_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SurveyKind.values), name="survey_kind_valid"),
            models.CheckConstraint(
                condition=Q(language__in=SurveyLanguage.values), name="survey_language_valid"
            ),
            models.CheckConstraint(condition=Q(sent_via__in=SentVia.values), name="survey_sent_via_valid"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="survey_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} survey for contact {self.contact_id}"


class SurveyResponse(models.Model):
    """The customer's answer: one per invitation (the database refuses a second)."""

    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.CASCADE, related_name="response")
    kind = models.CharField(max_length=4, choices=SurveyKind.choices)  # the invitation's, for the check
    score = models.SmallIntegerField(_("score"))
    # "Is uw vraag helemaal opgelost?" ja / nee, or not answered.
    resolved = models.BooleanField(_("opgelost"), null=True, blank=True)
    comment = models.TextField(_("toelichting"), max_length=COMMENT_CHARS, blank=True)
    comment_analysis = models.JSONField(null=True, blank=True)  # gezien.analysis Analysis.to_dict()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["-answered_at", "-id"]
        verbose_name = _("enquête-antwoord")
        indexes = [models.Index(fields=["answered_at"], name="survey_answered")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="nps", score__gte=0, score__lte=10)
                | Q(kind="csat", score__gte=1, score__lte=5),
                name="survey_score_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"answer {self.score} to invitation {self.invitation_id}"


class SkipReason(models.TextChoices):
    BEREAVEMENT = "bereavement", _("rouwprotocol")
    ILLNESS = "illness", _("ernstige ziekte")
    ABUSE = "abuse", _("grof taalgebruik")
    UNIDENTIFIED = "unidentified", _("klant niet herkend")
    QUIET = "quiet", _("klant kreeg onlangs al een enquête")
    NO_EMAIL = "no_email", _("geen e-mailadres bekend")
    NO_CONVERSATION = "empty", _("geen gesprek in dit contact")


class SurveySkip(models.Model):
    """Why no survey went out after this contact ("Geen enquête: rouwprotocol")."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="survey_skip")
    reason = models.CharField(max_length=14, choices=SkipReason.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("overgeslagen enquête")
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=SkipReason.values), name="survey_skip_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"no survey for contact {self.contact_id}: {self.reason}"
