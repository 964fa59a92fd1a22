"""/api/skills, /api/agents/{id}/skills and /api/contacts/{id}/routing: skills-based routing (R21)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, StrictInt

from gezien.accounts.http import current_user
from gezien.accounts.models import User
from gezien.accounts.roles import desk_people
from gezien.api.auth import require_perm
from gezien.api.common import DbId, find_or_404, get_or_404
from gezien.api.input import In
from gezien.api.schemas import ChannelLiteral, PersonOut
from gezien.audit.log import audit_from_request
from gezien.contacts.models import Contact
from gezien.routing import selectors, services
from gezien.routing.models import EXPERIENCE_OF_LEVEL, RoutingProfile, Skill
from gezien.routing.reasons import need_why, needs_why
from gezien.routing.services import MAX_CAPACITY

router = Router(tags=["routing"])

ExperienceLiteral = Literal["junior", "medior", "senior"]
SkillCode = Annotated[str, Field(min_length=1, max_length=60)]


class SkillOut(Schema):
    id: int
    code: str
    name: str


class SkillIn(In):
    code: SkillCode = Field(description="lower-case letters, digits, - and _, e.g. 'techniek'")
    name: str = Field(min_length=1, max_length=120)


Capacity = Annotated[StrictInt, Field(ge=0, le=MAX_CAPACITY)]


class AgentSkillsIn(In):
    skills: list[SkillCode] = Field(max_length=50, description="skill codes; the agent gets exactly these")
    experience: ExperienceLiteral
    capacity: dict[ChannelLiteral, Capacity] | None = Field(
        None,
        description="contacts per channel at once, e.g. {'phone': 1, 'chat': 3}; 0: not on that channel; "
        "a channel left out takes the organisation's default; omitted: unchanged",
    )


class AgentSkillsOut(Schema):
    user_id: int
    username: str
    full_name: str
    team: str | None
    experience: ExperienceLiteral
    skills: list[SkillOut]
    last_seen_at: datetime | None = Field(description="last seen in the desk (written at most once a minute)")
    capacity: dict[ChannelLiteral, int] = Field(description="contacts per channel at once (own or default)")


class RoutingReasonOut(Schema):
    code: str = Field(description="signal, protocol, abuse_history or repeat")
    params: dict[str, Any] = Field(
        description="signal: {signal, words}; protocol: {protocol}; abuse_history: {n}; "
        "repeat: {n, reason, days, words} (words: the customer's own, at most two)"
    )


class NeedOut(Schema):
    code: str = Field(description="the rule: sensitive, abuse, anger or repeat")
    skill: str
    experience: ExperienceLiteral = Field(description="the least experience that will do")
    flag: str
    why: str = Field(description="the reasons in the request's language, with the customer's words")
    reasons: list[RoutingReasonOut] = Field(description="why, as data")


class RoutingOut(Schema):
    contact_id: int
    outcome: Literal["assigned", "flagged", "none"] = Field(
        description="assigned to a skilled agent, flagged in the normal queue, or none: no special needs"
    )
    agent: PersonOut | None
    skills: list[str]
    experience: ExperienceLiteral | None
    flags: list[str]
    why: str = Field(description="why, in the request's language, with the customer's words")
    needs: list[NeedOut]
    decided_at: datetime | None


def _agent_out(user: User, profile: RoutingProfile | None) -> dict[str, Any]:
    return {
        "user_id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "team": user.team.name if user.team else None,
        "experience": EXPERIENCE_OF_LEVEL[profile.experience] if profile else "junior",
        "skills": list(profile.skills.all()) if profile else [],
        "last_seen_at": profile.last_seen_at if profile else None,
        "capacity": selectors.capacities(profile or RoutingProfile(user=user)),
    }


def _routing_out(contact_id: int) -> dict[str, Any]:
    routing = selectors.routing_for_contact(contact_id)
    if routing is None:
        return {
            "contact_id": contact_id,
            "outcome": "none",
            "agent": None,
            "skills": [],
            "experience": None,
            "flags": [],
            "why": "",
            "needs": [],
            "decided_at": None,
        }
    decision = routing.decision
    return {
        "contact_id": contact_id,
        "outcome": decision.outcome,
        "agent": decision.agent,
        "skills": decision.skills,
        "experience": EXPERIENCE_OF_LEVEL.get(decision.experience, "junior"),
        "flags": decision.flags,
        "why": needs_why(decision.needs),
        "needs": [
            {
                **need,
                "experience": EXPERIENCE_OF_LEVEL.get(need.get("experience", 1), "junior"),
                "why": need_why(need),
                "reasons": need.get("reasons", []),
            }
            for need in decision.needs
        ],
        "decided_at": decision.decided_at,
    }


def _person(user_id: int) -> User:
    people = desk_people().select_related("team")
    return find_or_404(people, user_id, _("Deze medewerker bestaat niet."))


@router.get("/skills", response=list[SkillOut])
def list_skills(request: HttpRequest) -> list[Skill]:
    require_perm(request, "routing.view_skill")
    return selectors.skills()


@router.post("/skills", response={201: SkillOut})
def create_skill(request: HttpRequest, payload: SkillIn) -> Status[Any]:
    """A new skill (team lead and up)."""
    require_perm(request, "routing.add_skill")
    result = Status(201, services.skill_create(code=payload.code, name=payload.name))
    audit_from_request(
        request, action="settings.change", object_type="skill", object_id="", details={"change": "create"}
    )
    return result


@router.get("/agents/{user_id}/skills", response=AgentSkillsOut)
def read_agent_skills(request: HttpRequest, user_id: DbId) -> dict[str, Any]:
    require_perm(request, "routing.view_skill")
    user = _person(user_id)
    return _agent_out(user, selectors.profile_of(user))


@router.put("/agents/{user_id}/skills", response=AgentSkillsOut)
def set_agent_skills(request: HttpRequest, user_id: DbId, payload: AgentSkillsIn) -> dict[str, Any]:
    """Give the agent exactly these skills and this experience: team leads for their own team, managers
    and admins for everyone."""
    require_perm(request, "routing.manage_skills")
    user = _person(user_id)
    services.agent_skills_set(
        user=user,
        skills=payload.skills,
        experience=payload.experience,
        capacity={str(c): n for c, n in payload.capacity.items()} if payload.capacity is not None else None,
        actor=current_user(request),
    )
    audit_from_request(
        request,
        action="settings.change",
        object_type="agent_skills",
        object_id=user_id,
        details={"change": "update"},
    )
    return _agent_out(user, selectors.profile_of(user))


@router.get("/contacts/{contact_id}/routing", response=RoutingOut)
def read_routing(request: HttpRequest, contact_id: DbId) -> dict[str, Any]:
    """What routing decided for the contact and why: the needs (with the customer's words), and the
    agent it went to or the flag it carries in the normal queue."""
    require_perm(request, "contacts.view_contact")
    contact = get_or_404(Contact, contact_id)
    return _routing_out(contact.pk)


@router.post("/contacts/{contact_id}/route", response=RoutingOut)
def route_contact(request: HttpRequest, contact_id: DbId) -> dict[str, Any]:
    """Run routing for an open contact nobody holds yet, now (e.g. when a skilled colleague came in)."""
    require_perm(request, "routing.route_contact")
    contact = get_or_404(Contact, contact_id)
    services.contact_route(contact=contact, actor=current_user(request))
    return _routing_out(contact.pk)
