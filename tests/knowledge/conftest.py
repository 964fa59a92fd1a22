"""Fixtures for the kennisbank: a small tree of contact reasons, articles written through the services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts.handling import contact_set_reason
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.services import contact_open
from gezien.knowledge import semantic
from gezien.knowledge.models import Article
from gezien.knowledge.services import article_create


@pytest.fixture(autouse=True)
def _fresh_semantic_cache() -> Iterator[None]:
    """The per-process matrix and query cache must not carry one test's articles into the next."""
    semantic.forget()
    yield
    semantic.forget()


@pytest.fixture
def reasons(db: None) -> dict[str, ContactReason]:
    factuur = ContactReason.objects.create(code="factuur", name="Factuur en betaling")
    storing = ContactReason.objects.create(code="storing", name="Storing")
    return {
        "factuur": factuur,
        "factuur_dubbel_afgeschreven": ContactReason.objects.create(
            code="factuur_dubbel_afgeschreven", name="Dubbel afgeschreven", parent=factuur
        ),
        "factuur_hoger": ContactReason.objects.create(
            code="factuur_hoger", name="Hogere factuur dan verwacht", parent=factuur
        ),
        "storing": storing,
        "storing_internet": ContactReason.objects.create(
            code="storing_internet", name="Storing internet", parent=storing
        ),
        "abonnement_opzeggen": ContactReason.objects.create(code="abonnement_opzeggen", name="Opzeggen"),
    }


@pytest.fixture
def make_article(db: None) -> Callable[..., Article]:
    """Articles written by nobody in particular (pass `actor=`): most tests need no person, and making
    one (a password hash) is the slowest part of a test."""

    def make(title: str, body: str = "", **kwargs: Any) -> Article:
        return article_create(title=title, body=body or f"Uitleg: {title}", **kwargs)

    return make


@pytest.fixture
def make_contact(db: None) -> Callable[..., Contact]:
    def make(
        text: str, *, subject: str = "", reason: ContactReason | None = None, channel: str = "chat"
    ) -> Contact:
        contact = contact_open(channel=channel, identities=[], text=text, subject=subject).contact
        if reason is not None:
            contact = contact_set_reason(contact=contact, reason=reason)
        return contact

    return make


@pytest.fixture
def teamlead(make_user: Callable[..., User]) -> User:
    return make_user("tom", "teamlead", first_name="Tom", last_name="Bakker")
