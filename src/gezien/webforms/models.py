"""The public contact form: what came in through it, besides the contact it opened."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import Contact


class FormSubmission(models.Model):
    """One post of the form: who it came from as the form asked (the name, the e-mail address and phone
    number as typed), the language, and a keyed hash of the client's address for the rate limit (never
    the address itself). `contact` is null for a post the honeypot caught."""

    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="form_submission"
    )
    name = models.CharField(_("naam"), max_length=100, blank=True)
    email = models.CharField(_("e-mail"), max_length=320, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    language = models.CharField(max_length=5, default="nl")
    via = models.CharField(max_length=10, default="form")  # form, embed or api
    client = models.CharField(max_length=64, blank=True)  # HMAC-SHA256 of the client's address
    caught = models.BooleanField(default=False)  # the honeypot was filled in: nothing was opened
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webformulier-inzending")
        indexes = [models.Index(fields=["client", "created_at"], name="webform_client_recent")]

    def __str__(self) -> str:
        return f"form submission {self.pk} ({self.via})"
