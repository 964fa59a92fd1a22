"""Agents, teams, roles and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
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


# Department owners stand beside customer service, not in it: the role is the lowest, and its
# permissions are not included in the agent's. Roles are auth groups named after the role.
ROLE_ORDER: list[str] = [Role.DEPARTMENT, Role.AGENT, Role.TEAMLEAD, Role.MANAGER, Role.ADMIN]
# The roles of people who work in the desk (and so can be routed contacts).
DESK_ROLES: list[str] = [Role.AGENT, Role.TEAMLEAD, Role.MANAGER, Role.ADMIN]


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


class User(AbstractUser):
    """Someone who signs in: an agent, a team lead, a manager, an administrator or a department owner.
    The role is the auth group they are in (see accounts.roles); the team is theirs alone."""

    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name=_("team")
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        permissions = [("manage_users", "Manage agents, roles and other people's API tokens")]

    @property
    def display_name(self) -> str:
        """The name people see: the full name, else the username."""
        return self.get_full_name() or self.get_username()

    @property
    def role(self) -> str | None:
        """The highest role this user holds (a `Role` value), or None. Uses prefetched groups when there."""
        names = {group.name for group in self.groups.all()}
        return next((role for role in reversed(ROLE_ORDER) if role in names), None)

    @property
    def is_agent(self) -> bool:
        return self.role == Role.AGENT

    @property
    def is_teamlead(self) -> bool:
        return self.role == Role.TEAMLEAD

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_department_owner(self) -> bool:
        return self.role == Role.DEPARTMENT

    @property
    def works_in_desk(self) -> bool:
        """An active account with a role in the desk (agent or higher): someone who can be scheduled,
        signed off, routed to."""
        return self.is_active and self.role in DESK_ROLES


def every_scope() -> list[str]:
    """A token's scopes when none are named (and those of tokens made before scopes existed)."""
    return ["*"]


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token in lists")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # None: never (only an administrator's token may go without an expiry; accounts.tokens).
    expires_at = models.DateTimeField(null=True, blank=True)
    # What the token may do beyond its owner's role never: "<area>:read" / "<area>:write" (write includes
    # read), or "*" for everything the owner may (accounts.tokens.SCOPE_ALL).
    scopes = models.JSONField(default=every_scope)
    # Requests allowed per window, e.g. "1200/min"; blank: GEZIEN_TOKEN_RATE.
    rate = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class SignOnIdentity(models.Model):
    """Who a person is at an OpenID provider (accounts.oidc): the issuer and its subject, never reused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ons")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="sign_on_issuer_subject")]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class SecondFactor(models.Model):
    """A person's authenticator app (TOTP, RFC 6238): the shared secret, usable once confirmed with a
    first code. `last_step` is the time step of the last code accepted, so that no code works twice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor"
    )
    secret = models.CharField(max_length=64)  # base32, as authenticator apps take it
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tweestapsverificatie")
        verbose_name_plural = _("tweestapsverificaties")

    def __str__(self) -> str:
        return f"2FA {self.user_id}"


class RecoveryCode(models.Model):
    """One of the ten codes that sign in once without the app (a lost phone); only a hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("herstelcode")
        verbose_name_plural = _("herstelcodes")

    def __str__(self) -> str:
        return f"herstelcode {self.pk}"


class Passkey(models.Model):
    """A passkey or security key (WebAuthn) registered by its person: a second factor instead of the
    authenticator app's code, or (a discoverable credential) a sign-in of its own. Only the public key is
    kept; `sign_count` is the authenticator's counter at its last use (a copied key shows a lower one)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(max_length=80)
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url, as the browser sends it
    public_key = models.BinaryField()  # COSE
    sign_count = models.BigIntegerField(default=0)
    user_handle = models.CharField(max_length=128)  # base64url of the random user.id the key was made for
    transports = models.CharField(max_length=200, blank=True)  # ','-separated hints for the browser
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"passkey {self.pk} ({self.user_id})"
