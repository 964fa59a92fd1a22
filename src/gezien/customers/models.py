"""Customers, the identities they are recognised by, and what the desk remembers about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    customer_number = models.CharField(_("klantnummer"), max_length=20, unique=True)
    first_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    # Lower-cased "first last" for a search that works the same on SQLite and PostgreSQL.
    search_name = models.CharField(max_length=260, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("klant")
        verbose_name_plural = _("klanten")

    def __str__(self) -> str:
        return self.full_name or self.customer_number

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class IdentityKind(models.TextChoices):
    PHONE = "phone", _("Telefoon")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat/portaal-id")
    CUSTOMER_NUMBER = "customer_number", _("Klantnummer")
    ADDRESS = "address", _("Postcode + huisnummer")


class Identity(models.Model):
    """Something a channel tells us about who is contacting: a number, an address, a login.

    `value` is normalised (E.164, lower-case e-mail, "1234AB|12|A"); `display` is how people read it.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=20, choices=IdentityKind.choices)
    value = models.CharField(max_length=320)
    display = models.CharField(max_length=320)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("identiteit")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identity_belongs_to_one_customer"),
            models.CheckConstraint(condition=Q(kind__in=IdentityKind.values), name="identity_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.display}"


class DetailKind(models.TextChoices):
    NOTE = "note", _("Notitie")
    PREFERENCE = "preference", _("Voorkeur")
    ADDRESSING = "addressing", _("Aanspreekvorm")
    LIFE_EVENT = "life_event", _("Levensgebeurtenis")
    PROMISE = "promise", _("Toezegging")


class AddressForm(models.TextChoices):
    U = "u", _("u (formeel)")
    JE = "je", _("je (informeel)")


class RememberedDetail(models.Model):
    """R3: what the desk remembers so that the customer does not have to tell it again."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="details")
    kind = models.CharField(_("soort"), max_length=20, choices=DetailKind.choices)
    text = models.TextField(_("tekst"), max_length=2000)
    register = models.CharField(_("aanspreekvorm"), max_length=2, choices=AddressForm.choices, blank=True)
    due_at = models.DateTimeField(_("uiterlijk"), null=True, blank=True)
    done_at = models.DateTimeField(_("nagekomen op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("onthouden detail")
        indexes = [models.Index(fields=["customer", "kind"], name="detail_customer_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DetailKind.values), name="detail_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="addressing", register__in=["u", "je"])
                | (~Q(kind="addressing") & Q(register="")),
                name="detail_register_only_for_addressing",
            ),
            models.CheckConstraint(
                condition=Q(kind="promise", due_at__isnull=False)
                | (~Q(kind="promise") & Q(due_at__isnull=True, done_at__isnull=True)),
                name="detail_due_only_for_promises",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:40]}"
