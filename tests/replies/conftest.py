"""Macros need people in every role, customers who write formally and informally, and contacts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts.analysing import analyser, messages_analyse
from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from gezien.customers.services import customer_create
from gezien.replies.models import Macro
from gezien.replies.services import macro_create


@pytest.fixture
def teamlead(make_user: Callable[..., User]) -> User:
    return make_user("karin", "teamlead", first_name="Karin", last_name="Postma")


@pytest.fixture
def colleague(make_user: Callable[..., User]) -> User:
    return make_user("mark", "agent", first_name="Mark", last_name="van Dijk")


def analysed(contact: Contact) -> Contact:
    """The contact with its messages analysed by the rules, as after commit on a live desk (tests run
    inside a transaction that never commits, on SQLite and PostgreSQL alike)."""
    messages_analyse(list(contact.messages.all()), using=analyser("off"))
    return contact


@pytest.fixture
def open_contact(db: None) -> Callable[..., Contact]:
    def make(customer: Customer | None, text: str, **kwargs: Any) -> Contact:
        identities = []
        if customer is not None:
            identities = [("customer_number", customer.customer_number)]
        return analysed(
            contact_open(
                channel=kwargs.pop("channel", "chat"), identities=identities, text=text, **kwargs
            ).contact
        )

    return make


@pytest.fixture
def informal_customer(db: None) -> Customer:
    return customer_create(first_name="Samira", last_name="El Idrissi", identities=[("phone", "0687654321")])


@pytest.fixture
def formal_contact(open_contact: Callable[..., Contact], customer: Customer) -> Contact:
    return open_contact(
        customer,
        "Geachte heer, mevrouw, kunt u mij laten weten wanneer bestelling VT1514680 wordt geleverd? "
        "Met vriendelijke groet, A. Jansen",
    )


@pytest.fixture
def informal_contact(open_contact: Callable[..., Contact], informal_customer: Customer) -> Contact:
    return open_contact(
        informal_customer, "hoi! kun je even kijken waar mijn bestelling vt2345678 blijft? thx"
    )


@pytest.fixture
def shared_macro(teamlead: User) -> Macro:
    return macro_create(
        actor=teamlead,
        title="Bevestiging levering",
        body_u="Beste {naam}, uw bestelling {ordernummer} wordt {datum} bezorgd. Groet, {medewerker}",
        body_je="Hoi {naam}! Je bestelling {ordernummer} komt {datum}. Groetjes, {medewerker}",
        tags=["levering"],
        shared=True,
    )
