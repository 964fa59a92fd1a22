"""Agents, teams, roles and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Servicemedewerker")
    TEAMLEAD = "teamlead", _("Teamleider")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Beheerder")
    # Owns a department (logistiek, voorraad, facturatie, IT, product) outside customer service: sees
    # the root causes customer service absorbs for them, answers problems, gets the weekly digest.
    DEPARTMENT = "department", _("Afdelingseigenaar")


class Team(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department outside customer service that owns contact reasons (and so the problems behind
    them): logistiek owns "levering", facturatie owns "factuur". Its owners see its board and digest."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="departments")
    # Where the weekly digest goes besides the owners' own addresses (e.g. a team mailbox).
    digest_email = models.EmailField(_("e-mail voor het weekoverzicht"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelingen")

    def __str__(self) -> str:
        return self.name


class AgentProfile(models.Model):
    """What Gezien knows about a user beyond Django's auth: the team. Roles are auth groups."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__username"]
        permissions = [("manage_users", "Manage agents, roles and other people's API tokens")]

    def __str__(self) -> str:
        return str(self.user)


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token in lists")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
