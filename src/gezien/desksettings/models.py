"""One row per setting changed in the desk; a setting without a row takes its environment default."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeskSetting(models.Model):
    """A value saved in the desk (`value`: the JSON of `registry.Definition.clean`'s answer); who saved it
    last is in the row and, with the old and new value, in the audit log."""

    key = models.CharField(_("sleutel"), max_length=64, unique=True)
    value = models.JSONField(_("waarde"))
    changed_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    changed_by_id = models.BigIntegerField(_("gewijzigd door (id)"), null=True, blank=True)
    changed_by_name = models.CharField(_("gewijzigd door"), max_length=150, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("instelling")
        verbose_name_plural = _("instellingen")

    def __str__(self) -> str:
        return self.key
