"""The demo organisation as plain data: no Django here.

`build_plan(seed)` returns an `OrgPlan` that `gezien.demo.loader` writes to the database through the
services. Keeping the plan pure makes it deterministic and testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TeamPlan:
    name: str  # "Team Noord"


@dataclass(frozen=True)
class AgentPlan:
    username: str  # "agent", "teamlead", "manager", "admin", then "sanne.devries", ...
    first_name: str
    last_name: str
    role: str  # "agent" | "teamlead" | "manager" | "admin"
    team: str | None  # TeamPlan.name


@dataclass(frozen=True)
class IdentityPlan:
    kind: str  # "phone" | "email" | "chat" | "customer_number" | "address"
    value: str  # raw, as a person would type it: "06 12345678", "Jan@Example.nl", "1234 ab|12|A"


@dataclass(frozen=True)
class DetailPlan:
    kind: str  # "note" | "preference" | "addressing" | "life_event" | "promise"
    text: str
    created_by: str  # AgentPlan.username
    created_at: datetime  # timezone-aware
    register: str = ""  # for kind "addressing": "u" | "je"
    due_date: datetime | None = None  # for kind "promise"
    done: bool = False  # for kind "promise"


@dataclass(frozen=True)
class CustomerPlan:
    key: str  # stable key within the plan, e.g. "c0001"
    first_name: str
    last_name: str
    identities: tuple[IdentityPlan, ...]
    details: tuple[DetailPlan, ...] = ()


@dataclass(frozen=True)
class MessagePlan:
    author: str  # "customer" | "agent" | "system"
    kind: str  # "message" | "note" (agent call notes) | "transcript" (a phone turn)
    text: str
    at: datetime  # timezone-aware
    agent: str | None = None  # AgentPlan.username for agent messages and notes
    start_s: float | None = None  # transcript turns: offset in the call, seconds
    end_s: float | None = None


@dataclass(frozen=True)
class ContactPlan:
    customer: str | None  # CustomerPlan.key; None = the identity is unknown (unidentified contact)
    channel: str  # "phone" | "chat" | "email" | "webform"
    identity: IdentityPlan  # the channel identity the contact arrived with
    subject: str
    reason: str  # ReasonPlan.code
    status: str  # "open" | "waiting_customer" | "waiting_us" | "closed"
    opened_at: datetime
    closed_at: datetime | None
    agent: str | None  # AgentPlan.username (assigned)
    team: str | None
    summary: str  # one line, Dutch: what was discussed
    messages: tuple[MessagePlan, ...]
    scenario: str  # scenario key, e.g. "widow_cancel", "late_delivery_repeat", "rude_caller"
    external_id: str | None = None  # e-mail Message-ID for e-mail contacts


@dataclass(frozen=True)
class ReasonPlan:
    code: str  # "levering"
    name: str  # "Levering"
    parent: str | None = None  # parent code


@dataclass
class OrgPlan:
    name: str  # "Voorbeeld Telecom"
    now: datetime
    teams: list[TeamPlan] = field(default_factory=list)
    agents: list[AgentPlan] = field(default_factory=list)
    reasons: list[ReasonPlan] = field(default_factory=list)
    customers: list[CustomerPlan] = field(default_factory=list)
    contacts: list[ContactPlan] = field(default_factory=list)
