"""Fixtures for routing: the seeded skills, people with skills who are (or are not) at the desk, and
contacts opened the way a channel opens them, analysed inline right after the commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from gezien.accounts.models import User
from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.routing.models import EXPERIENCE_CODES, RoutingProfile, Skill

SEEDED = {
    "gevoelige_gesprekken": "Gevoelige gesprekken",
    "klachten": "Klachten en boze klanten",
    "techniek": "Techniek",
}
BEREAVEMENT = "Mijn man is vorige week overleden. Ik wil zijn abonnement stopzetten."


@pytest.fixture(autouse=True)
def _dutch_and_fresh(db: None, settings: Any) -> Iterator[None]:
    """The seeded skills (a transactional test elsewhere may have flushed them), an empty cache (the
    assist caches the reason tree by id) and Dutch (the whys are compared word for word)."""
    for code, name in SEEDED.items():
        Skill.objects.get_or_create(code=code, defaults={"name": name})
    cache.clear()
    with translation.override("nl"):
        yield
    cache.clear()


@pytest.fixture
def inline(settings: Any) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True


def give_skills(
    user: User, skills: Iterable[str], experience: str = "medior", *, seen: datetime | None = None
) -> RoutingProfile:
    profile, _created = RoutingProfile.objects.get_or_create(user=user)
    profile.skills.set(Skill.objects.filter(code__in=list(skills)))
    profile.experience = EXPERIENCE_CODES[experience]
    profile.last_seen_at = seen
    profile.save()
    return profile


@pytest.fixture
def skilled(make_user: Callable[..., User]) -> Callable[..., User]:
    """A person with these skills and experience, at the desk now (or `away`)."""

    def make(
        username: str,
        skills: Iterable[str] = ("gevoelige_gesprekken",),
        experience: str = "medior",
        *,
        away: bool = False,
        role: str = "agent",
        **kwargs: Any,
    ) -> User:
        user = make_user(username, role, **kwargs)
        give_skills(user, skills, experience, seen=None if away else timezone.now() - timedelta(minutes=1))
        return user

    return make


@pytest.fixture
def open_contact(inline: None, django_capture_on_commit_callbacks: Any) -> Callable[..., Contact]:
    """Open a contact as a channel does; its message is analysed (and routed) after the commit."""

    def open_(
        text: str, *, channel: str = "chat", identities: Iterable[tuple[str, str]] = (), **kw: Any
    ) -> Contact:
        with django_capture_on_commit_callbacks(execute=True):
            contact = contact_open(channel=channel, identities=list(identities), text=text, **kw).contact
        return Contact.objects.select_related("assigned_agent").get(pk=contact.pk)

    return open_
