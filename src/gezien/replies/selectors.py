"""Reads for macros: who may see and change which, the list an agent picks from, and a macro written
out for one contact (placeholders filled in, in the u or je variant that fits the customer)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from gezien.contacts.addressing import AddressChoice, contact_address
from gezien.contacts.models import Author, Contact, ContactReason, Message, MessageSignals
from gezien.contacts.selectors import loaded_signals
from gezien.replies.models import Macro
from gezien.replies.wording import render

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from gezien.accounts.models import User

    Person = User | AnonymousUser

log = logging.getLogger(__name__)

Variant = Literal["u", "je"]
MANAGE_SHARED = "replies.manage_shared_macros"
QUERY_CHARS = 200
# How many of a contact's newest customer messages are searched for an order number.
ORDER_SEARCH_MESSAGES = 50
# Titles agents record before a surname ("Mevrouw Jansen"); written lower-case inside a sentence.
_TITLES = ("mevrouw ", "meneer ", "mijnheer ", "de heer ", "mevr. ", "dhr. ")


# --- who may do what ---------------------------------------------------------------------------------------


def can_see(macro: Macro, user: Person) -> bool:
    """Shared macros are everyone's; a personal one is its owner's alone."""
    return macro.owner_id is None or macro.owner_id == user.pk


def can_edit(macro: Macro, user: Person) -> bool:
    """Agents change their own; team leads and up also the shared ones; nobody another's own."""
    if not user.has_perm("replies.change_macro"):
        return False
    if macro.owner_id is None:
        return user.has_perm(MANAGE_SHARED)
    return macro.owner_id == user.pk


def can_share(user: Person) -> bool:
    return user.has_perm(MANAGE_SHARED)


# --- the list ----------------------------------------------------------------------------------------------


def _reason_ids(reason: ContactReason | None) -> list[int]:
    if reason is None:
        return []
    return [reason.pk] if reason.parent_id is None else [reason.pk, reason.parent_id]


def _linked_to(reason_ids: list[int]) -> Exists:
    return Exists(
        Macro.reasons.through.objects.filter(macro_id=OuterRef("pk"), contactreason_id__in=reason_ids)
    )


def search_terms(query: str) -> list[str]:
    text = " ".join(query.replace("\x00", " ").split())[:QUERY_CHARS]
    return [term for term in text.casefold().split(" ") if term]


def macros_for(
    user: Person,
    *,
    contact: Contact | None = None,
    query: str = "",
    reason: ContactReason | None = None,
    archived: bool = False,
) -> QuerySet[Macro]:
    """The macros `user` can use: their own and the shared ones, not archived (or only the archived ones).

    With `contact`, those linked to its reason (or that reason's parent) come first. `query` keeps the
    macros whose title, labels or texts contain every word of it; `reason` keeps those linked to that
    reason or its parent.
    """
    macros = Macro.objects.filter(Q(owner__isnull=True) | Q(owner_id=user.pk), archived=archived)
    for term in search_terms(query):
        macros = macros.filter(search_text__contains=term)
    if reason is not None:
        macros = macros.filter(_linked_to(_reason_ids(reason)))
    order = ["title", "id"]
    contact_reason = contact.reason if contact is not None and contact.reason_id else None
    if contact_reason is not None:
        macros = macros.annotate(fits_reason=_linked_to(_reason_ids(contact_reason)))
        order.insert(0, "-fits_reason")
    return macros.select_related("owner").prefetch_related("reasons").order_by(*order)


# --- values for the placeholders ---------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _order_pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        log.error("GEZIEN_ORDER_NUMBER_PATTERN %r is not a regular expression", pattern)
        return None


def order_number_pattern() -> re.Pattern[str] | None:
    """The configured order-number pattern, or None when it does not compile (`manage.py check` says so)."""
    return _order_pattern(settings.GEZIEN_ORDER_NUMBER_PATTERN)


def _prefetched_messages(contact: Contact) -> list[Message] | None:
    cache = getattr(contact, "_prefetched_objects_cache", {})
    return list(cache["messages"]) if "messages" in cache else None


def newest_order_number(texts_newest_first: list[str]) -> str:
    """The order number mentioned last: in the newest message that has one, its last mention."""
    pattern = order_number_pattern()
    if pattern is None:
        return ""
    for text in texts_newest_first:
        found = [match.group(0) for match in pattern.finditer(text)]
        if found:
            return found[-1].upper()
    return ""


def _customer_texts(contact: Contact, loaded: list[Message] | None) -> list[str]:
    if loaded is not None:
        mine = [m for m in loaded if m.author == Author.CUSTOMER]
        mine.sort(key=lambda m: (m.sent_at, m.pk), reverse=True)
        return [m.text for m in mine[:ORDER_SEARCH_MESSAGES]]
    return list(
        Message.objects.filter(contact=contact, author=Author.CUSTOMER)
        .order_by("-sent_at", "-id")
        .values_list("text", flat=True)[:ORDER_SEARCH_MESSAGES]
    )


def _address(contact: Contact, loaded: list[Message] | None) -> AddressChoice:
    signals: list[MessageSignals] | None = None
    if loaded is not None and all(Message.signals.related.is_cached(m) for m in loaded):
        signals = [s for s in map(loaded_signals, loaded) if s is not None and s.role == "customer"]
    return contact_address(contact, signals=signals)


def salutation_name(choice: AddressChoice, contact: Contact) -> str:
    """How `{naam}` reads: the remembered form ("mevrouw Jansen"), else the first name for a customer
    we say je to, the full name for one we say u to."""
    name = choice.name
    customer = contact.customer
    if customer is not None and name == customer.full_name and choice.address == "je":
        name = customer.first_name or name
    for title in _TITLES:
        if name[: len(title)].casefold() == title:
            return title + name[len(title) :]
    return name


def dutch_date(day: date) -> str:
    """ "maandag 23 november": macros are Dutch whatever language the desk is shown in."""
    with translation.override("nl"):
        return formats.date_format(day, "l j F")


def macro_values(
    contact: Contact,
    agent: Person,
    *,
    today: date | None = None,
    choice: AddressChoice | None = None,
) -> dict[str, str]:
    """What each placeholder stands for in a reply to `contact` by `agent`; "" where it is not known."""
    loaded = _prefetched_messages(contact)
    if choice is None:
        choice = _address(contact, loaded)
    customer = contact.customer
    return {
        "naam": salutation_name(choice, contact),
        "ordernummer": newest_order_number(_customer_texts(contact, loaded)),
        "datum": dutch_date(today or timezone.localdate()),
        "medewerker": (getattr(agent, "first_name", "") or agent.get_username()).strip(),
        "klantnummer": customer.customer_number if customer is not None else "",
    }


# --- a macro written out for one contact -------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedMacro:
    text: str
    variant: Variant
    why: str
    missing: tuple[str, ...]
    macro: Macro | None = None


_PRONOUNS = frozenset({"u", "uw", "je", "jij", "jou", "jouw", "jullie"})


def _telling_words(choice: AddressChoice) -> str:
    """The customer's words that show the register best: ones with a pronoun ("kunt u") over a greeting."""
    words = [cite.words.strip()[:60] for cite in choice.evidence if cite.words.strip()]
    with_pronoun = [w for w in words if _PRONOUNS & set(w.casefold().split())]
    return (with_pronoun or words or [choice.address])[0]


def _why(choice: AddressChoice) -> str:
    if choice.source == "remembered":
        return _("onthouden: %(address)s") % {"address": choice.address}
    if choice.source == "detected":
        return _("klant schrijft '%(words)s'") % {"words": _telling_words(choice)}
    return _("standaard: u (nog niet bekend hoe de klant schrijft)")


def variant_for(macro: Macro, choice: AddressChoice) -> tuple[Variant, str]:
    """The variant of `macro` for a customer addressed as `choice` says, and why in Dutch."""
    wanted: Variant = choice.address
    other: Variant = "je" if wanted == "u" else "u"
    body = macro.body_u if wanted == "u" else macro.body_je
    if body.strip():
        return wanted, _why(choice)
    return other, _("alleen een %(have)s-versie; de toon past misschien niet (%(why)s)") % {
        "have": other,
        "why": _why(choice),
    }


def _rendered(macro: Macro, choice: AddressChoice, values: dict[str, str]) -> RenderedMacro:
    variant, why = variant_for(macro, choice)
    result = render(macro.body_u if variant == "u" else macro.body_je, values)
    return RenderedMacro(result.text, variant, why, result.missing, macro)


def render_for_contact(
    macro: Macro, contact: Contact, agent: Person, *, today: date | None = None
) -> RenderedMacro:
    """`macro` in the variant that fits the customer of `contact`, with the placeholders filled in."""
    loaded = _prefetched_messages(contact)
    choice = _address(contact, loaded)
    return _rendered(macro, choice, macro_values(contact, agent, today=today, choice=choice))


def rendered_macros_for_contact(
    contact: Contact, user: Person, limit: int = 8, *, query: str = "", today: date | None = None
) -> list[RenderedMacro]:
    """The first `limit` macros `user` can use for `contact` (those for its reason first), written out.

    A fixed number of queries whatever the count: the macros, their reasons, and what `contact_address`
    and the order number need (none of the latter when the contact came from `contact_with_thread`).
    """
    macros = list(macros_for(user, contact=contact, query=query)[: max(0, limit)])
    if not macros:
        return []
    choice = _address(contact, _prefetched_messages(contact))
    values = macro_values(contact, user, today=today, choice=choice)
    return [_rendered(macro, choice, values) for macro in macros]
