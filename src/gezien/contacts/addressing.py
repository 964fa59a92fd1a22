"""How to address the customer of a contact: "u" or "je", and why.

Remembered first (an agent recorded it on the gezien-kaart), then what the customer's own words in this
contact show (the register `gezien.analysis` found, with the words that showed it), then the Dutch
customer-service default "u", which never offends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from gezien.contacts.models import Contact, MessageSignals
from gezien.customers.models import DetailKind, RememberedDetail

Address = Literal["u", "je"]
Source = Literal["remembered", "detected", "default"]
_FROM_REGISTER: dict[str, Address] = {"formal": "u", "informal": "je"}


@dataclass(frozen=True)
class Cite:
    """The words behind a hint: `words` in message `message_id` made `gezien.analysis` raise `signal`."""

    signal: str
    words: str
    message_id: int | None = None
    rule: str = ""


@dataclass(frozen=True)
class AddressChoice:
    address: Address
    source: Source
    name: str  # how to call the customer ("mevrouw Jansen", "Samira"); "" when unknown
    evidence: tuple[Cite, ...] = field(default_factory=tuple)

    @property
    def known(self) -> bool:
        return self.source != "default"


def register_evidence(signals: Iterable[MessageSignals], register: str) -> tuple[Cite, ...]:
    """The formal or informal cues (`register`: "formal"|"informal") in the given messages' signals."""
    cites = []
    for row in signals:
        for signal, _start, _end, words, rule in row.data.get("evidence", []):
            if signal == register:
                cites.append(Cite(signal, words, row.message_id, rule))
    return tuple(cites)


def detected_address(signals: Iterable[MessageSignals]) -> tuple[Address | None, tuple[Cite, ...]]:
    """The form the customer used in these (customer-role) signals: the newest message with a clear
    register decides; "mixed" and "unknown" messages say nothing."""
    rows = [row for row in signals if row.role == "customer"]
    for row in sorted(rows, key=lambda r: r.message_id, reverse=True):
        address = _FROM_REGISTER.get(row.register)
        if address is not None:
            return address, register_evidence([row], row.register)
    return None, ()


def contact_address(
    contact: Contact,
    *,
    details: Iterable[RememberedDetail] | None = None,
    signals: Iterable[MessageSignals] | None = None,
) -> AddressChoice:
    """How to address the customer of `contact`. Pass `details` (the customer's remembered details) and
    `signals` (this contact's message signals) when already loaded, to save the queries."""
    customer = contact.customer
    if details is None:
        details = RememberedDetail.objects.filter(customer=customer) if customer is not None else []
    addressing = next((d for d in details if d.kind == DetailKind.ADDRESSING), None)
    name = addressing.text.strip() if addressing is not None else ""
    if not name and customer is not None:
        name = customer.full_name
    if addressing is not None and addressing.register in ("u", "je"):
        return AddressChoice(addressing.register, "remembered", name)  # type: ignore[arg-type]
    if signals is None:
        signals = MessageSignals.objects.filter(message__contact=contact, role="customer")
    found, evidence = detected_address(signals)
    if found is not None:
        return AddressChoice(found, "detected", name, evidence)
    return AddressChoice("u", "default", name)
