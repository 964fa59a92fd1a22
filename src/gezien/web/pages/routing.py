"""The routing skills page (/desk/routing/skills/): the people a team lead manages with their skills,
experience and capacity, and whether routing can reach them now."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from django.conf import settings
from django.forms import Form
from django.utils import timezone

from gezien.accounts.models import Team, User
from gezien.contacts.models import Channel
from gezien.desksettings.store import desk_setting
from gezien.routing import selectors
from gezien.routing.models import EXPERIENCE_CODES, EXPERIENCE_OF_LEVEL, Experience, RoutingProfile, Skill
from gezien.web.pages.shapes import Choices

EXPERIENCE_CHOICES = [(code, Experience(level).label) for code, level in EXPERIENCE_CODES.items()]


class PersonRow(TypedDict):
    person: User
    team: Team | None
    skills: set[str]  # skill codes
    experience: str  # "junior", "medior" or "senior"
    seen: datetime | None  # last seen in the desk
    present: bool  # seen recently enough for routing
    on_break: bool
    open_contacts: int
    capacity: dict[str, int]  # per channel, own or the organisation's default
    own_capacity: dict[str, Any]  # what was set for this person


class SkillsPage(TypedDict):
    rows: list[PersonRow]
    skills: list[Skill]
    experience_choices: Choices
    skill_form: Form
    errors: dict[int, str]  # a person's id -> why their skills were not saved
    capacity: Any  # the organisation's default capacity per channel
    channels: Choices
    seen_minutes: int


def _rows(viewer: Any) -> list[PersonRow]:
    people = selectors.manageable_people(viewer)
    ids = [p.pk for p in people]
    now = timezone.now()
    counts, resting = selectors.open_contacts(ids), selectors.on_break(ids, now)
    present_from = selectors.seen_since(now)
    rows: list[PersonRow] = []
    for person in people:
        profile = getattr(person, "routing", None)
        seen = profile.last_seen_at if profile else None
        rows.append(
            {
                "person": person,
                "team": getattr(person, "team", None),
                "skills": {s.code for s in profile.skills.all()} if profile else set(),
                "experience": EXPERIENCE_OF_LEVEL[profile.experience] if profile else "junior",
                "seen": seen,
                "present": seen is not None and seen >= present_from,
                "on_break": person.pk in resting,
                "open_contacts": counts.get(person.pk, 0),
                "capacity": selectors.capacities(profile or RoutingProfile(user=person)),
                "own_capacity": (profile.capacity if profile else {}) or {},
            }
        )
    return rows


def skills_page(viewer: Any, skill_form: Form, errors: dict[int, str] | None = None) -> SkillsPage:
    """The people `viewer` manages, every skill, and the form for a new skill (refused, with its errors,
    or empty)."""
    return {
        "rows": _rows(viewer),
        "skills": selectors.skills(),
        "experience_choices": EXPERIENCE_CHOICES,
        "skill_form": skill_form,
        "errors": errors or {},
        "capacity": desk_setting("routing_capacity"),
        "channels": Channel.choices,
        "seen_minutes": settings.GEZIEN_ROUTING_SEEN_MINUTES,
    }
