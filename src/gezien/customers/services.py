"""Writes for customers, identities and remembered details. Every function is atomic."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.core.errors import Conflict, Invalid
from gezien.core.timebounds import check_moment
from gezien.customers.identities import NormalisedIdentity, normalise
from gezien.customers.models import Customer, DetailKind, Identity, IdentityKind, RememberedDetail

if TYPE_CHECKING:
    from gezien.accounts.models import User

MAX_NAME = 100


def _clean_name(value: str, field: str, limit: int = MAX_NAME) -> str:
    if not isinstance(value, str):
        raise Invalid(_("Een naam is tekst."), field=field)
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        raise Invalid(_("Deze naam is te lang (maximaal %(n)d tekens).") % {"n": limit}, field=field)
    if any(ord(ch) < 32 for ch in cleaned):
        raise Invalid(_("Deze naam bevat onzichtbare tekens."), field=field)
    return cleaned


def _search_name(first: str, last: str) -> str:
    return f"{first} {last}".strip().casefold()


def _customer_number_taken(number: str) -> bool:
    return (
        Customer.objects.filter(customer_number=number).exists()
        or Identity.objects.filter(kind=IdentityKind.CUSTOMER_NUMBER, value=number).exists()
    )


def _free_customer_number() -> str:
    # Random rather than sequential: numbers are told over the phone and must not reveal volumes.
    for _attempt in range(100):
        number = f"K{secrets.randbelow(9_000_000) + 1_000_000}"
        if not _customer_number_taken(number):
            return number
    raise Conflict(_("Geen vrij klantnummer gevonden; probeer het opnieuw."), field="customer_number")


@transaction.atomic
def customer_create(
    *,
    first_name: str = "",
    last_name: str = "",
    identities: Iterable[tuple[str, str]] = (),
    customer_number: str | None = None,
    actor: User | None = None,
) -> Customer:
    """Create a customer with its identities; fail whole if any identity is invalid or taken."""
    first = _clean_name(first_name, "first_name")
    last = _clean_name(last_name, "last_name", 150)
    if not first and not last:
        raise Invalid(_("Geef minstens een voornaam of achternaam."), field="last_name")
    normalised = [normalise(kind, raw) for kind, raw in identities]
    given = [n.value for n in normalised if n.kind == IdentityKind.CUSTOMER_NUMBER]
    if customer_number:
        given.insert(0, normalise(IdentityKind.CUSTOMER_NUMBER, customer_number).value)
    number = given[0] if given else _free_customer_number()
    taken = Conflict(_("Klantnummer %(n)s bestaat al.") % {"n": number}, field="customer_number")
    if given and _customer_number_taken(number):  # a generated number was checked as it was drawn
        raise taken
    try:
        with transaction.atomic():  # a savepoint: a concurrent create with this number is a Conflict
            customer = Customer.objects.create(
                customer_number=number,
                first_name=first,
                last_name=last,
                search_name=_search_name(first, last),
            )
    except IntegrityError as exc:
        raise taken from exc
    if not any(n.kind == IdentityKind.CUSTOMER_NUMBER and n.value == number for n in normalised):
        normalised.append(NormalisedIdentity(IdentityKind.CUSTOMER_NUMBER, number, number))
    for item in normalised:
        identity_attach(customer=customer, identity=item, actor=actor)
    return customer


@transaction.atomic
def customer_update(
    *,
    customer: Customer,
    first_name: str | None = None,
    last_name: str | None = None,
    actor: User | None = None,
) -> Customer:
    if first_name is not None:
        customer.first_name = _clean_name(first_name, "first_name")
    if last_name is not None:
        customer.last_name = _clean_name(last_name, "last_name", 150)
    if not customer.first_name and not customer.last_name:
        raise Invalid(_("Geef minstens een voornaam of achternaam."), field="last_name")
    customer.search_name = _search_name(customer.first_name, customer.last_name)
    customer.save(update_fields=["first_name", "last_name", "search_name", "updated_at"])
    return customer


def identity_attach(*, customer: Customer, identity: NormalisedIdentity, actor: User | None) -> Identity:
    owner = (
        Identity.objects.filter(kind=identity.kind, value=identity.value).select_related("customer").first()
    )
    if owner is not None:
        if owner.customer_id == customer.pk:
            return owner
        raise Conflict(
            _("%(display)s hoort al bij klant %(number)s.")
            % {"display": identity.display, "number": owner.customer.customer_number},
            field="value",
        )
    try:
        with transaction.atomic():
            return Identity.objects.create(
                customer=customer,
                kind=identity.kind,
                value=identity.value,
                display=identity.display,
                created_by=actor,
            )
    except IntegrityError as exc:  # a concurrent request took it between the check and the insert
        raise Conflict(
            _("%(display)s hoort al bij een andere klant.") % {"display": identity.display}
        ) from exc


@transaction.atomic
def identity_add(*, customer: Customer, kind: str, value: str, actor: User | None = None) -> Identity:
    return identity_attach(customer=customer, identity=normalise(kind, value), actor=actor)


@transaction.atomic
def identity_remove(*, identity: Identity, actor: User | None = None) -> None:
    if identity.kind == IdentityKind.CUSTOMER_NUMBER and identity.value == identity.customer.customer_number:
        raise Invalid(_("Het klantnummer zelf kan niet worden verwijderd."), field="identity")
    identity.delete()


def _clean_detail_text(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Invalid(_("Schrijf op wat we moeten onthouden."), field="text")
    if "\x00" in text:
        raise Invalid(_("De tekst bevat een ongeldig teken (NUL)."), field="text")
    cleaned = text.strip()
    if len(cleaned) > 2000:
        raise Invalid(_("Maximaal 2000 tekens."), field="text")
    return cleaned


def _detail_fields(kind: str, register: str, due_at: datetime | None) -> tuple[str, datetime | None]:
    if kind not in DetailKind.values:
        raise Invalid(_("Onbekende soort detail: %(kind)s") % {"kind": str(kind)[:20]}, field="kind")
    if kind == DetailKind.ADDRESSING:
        if register not in ("u", "je"):
            raise Invalid(_("Kies u of je."), field="register")
    elif register:
        raise Invalid(_("Een aanspreekvorm hoort alleen bij de soort 'aanspreekvorm'."), field="register")
    if kind == DetailKind.PROMISE:
        if due_at is None:
            raise Invalid(_("Een toezegging heeft een uiterste datum."), field="due_at")
        due_at = check_moment(due_at, field="due_at")
    elif due_at is not None:
        raise Invalid(_("Alleen een toezegging heeft een uiterste datum."), field="due_at")
    return register, due_at


@transaction.atomic
def detail_add(
    *,
    customer: Customer,
    kind: str,
    text: str,
    register: str = "",
    due_at: datetime | None = None,
    actor: User | None = None,
    at: datetime | None = None,
) -> RememberedDetail:
    cleaned = _clean_detail_text(text)
    register, due_at = _detail_fields(kind, register, due_at)
    detail = RememberedDetail.objects.create(
        customer=customer,
        kind=kind,
        text=cleaned,
        register=register,
        due_at=due_at,
        created_by=actor,
        updated_by=actor,
    )
    if at is not None:  # demo data and imports keep the original time
        RememberedDetail.objects.filter(pk=detail.pk).update(created_at=at, updated_at=at)
        detail.created_at = detail.updated_at = at
    return detail


@transaction.atomic
def detail_update(
    *,
    detail: RememberedDetail,
    text: str | None = None,
    register: str | None = None,
    due_at: datetime | None = None,
    done: bool | None = None,
    actor: User | None = None,
) -> RememberedDetail:
    if text is not None:
        detail.text = _clean_detail_text(text)
    detail.register, detail.due_at = _detail_fields(
        detail.kind,
        detail.register if register is None else register,
        due_at if due_at is not None else detail.due_at,
    )
    if done is not None:
        if detail.kind != DetailKind.PROMISE:
            raise Invalid(_("Alleen een toezegging kan worden nagekomen."), field="done")
        detail.done_at = (detail.done_at or timezone.now()) if done else None
    detail.updated_by = actor
    detail.save(update_fields=["text", "register", "due_at", "done_at", "updated_by", "updated_at"])
    return detail


@transaction.atomic
def detail_remove(*, detail: RememberedDetail, actor: User | None = None) -> None:
    detail.delete()
