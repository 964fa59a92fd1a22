"""Macros ("standaardantwoorden"): reply texts in a u and a je variant, shared or an agent's own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import ContactReason


class Macro(models.Model):
    title = models.CharField(_("titel"), max_length=120)
    body_u = models.TextField(_("tekst met u"), blank=True)
    body_je = models.TextField(_("tekst met je"), blank=True)
    tags = models.JSONField(_("labels"), default=list, blank=True)
    reasons = models.ManyToManyField(
        ContactReason, blank=True, related_name="macros", verbose_name=_("contactredenen")
    )
    # Null: shared with everyone (team leads and up keep those); otherwise one agent's own.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="macros"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived = models.BooleanField(_("gearchiveerd"), default=False)
    # Case-folded title, labels and both texts, for a search that works the same on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("standaardantwoord")
        verbose_name_plural = _("standaardantwoorden")
        permissions = [("manage_shared_macros", "Create, edit and archive macros shared with everyone")]
        indexes = [models.Index(fields=["owner", "archived"], name="macro_owner_archived")]
        constraints = [
            models.CheckConstraint(condition=~Q(body_u="") | ~Q(body_je=""), name="macro_has_a_text"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shared(self) -> bool:
        return self.owner_id is None
