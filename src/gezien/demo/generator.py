"""Deterministic generator of the demo organisation "Voorbeeld Telecom" (pure Python, no Django).

`build_plan(seed, now)` returns an `OrgPlan`: teams, agents, the contact-reason tree, 300 customers
with channel identities and remembered details, and about 2,000 contacts over the ten weeks before
`now`. The contacts are rendered from the hand-written scripts in `data/scripts/*.toml`: everyday questions,
a stock wave (week -6) and a logistics wave (week -3), repeat chains about the same late delivery or
broken modem, a widow cancelling her late husband's subscription, rude callers, informal Saturday
chats, formal complaint letters, and a queue of open work in the last two days.

Same seed and same `now` give an identical plan: all randomness comes from one `random.Random(seed)`
and nothing iterates over a set.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from gezien.demo import content, people
from gezien.demo.clock import MONTHS, normalise_now
from gezien.demo.plan import CustomerPlan, DetailPlan, OrgPlan, ReasonPlan, TeamPlan
from gezien.demo.population import Agents, DemoCustomer, Uniques, build_customers
from gezien.demo.rendering import Renderer
from gezien.demo.stories import StoryPlanner
from gezien.demo.timeline import SCRIPTS, WINDOW_DAYS, Planner

__all__ = ["ORG_NAME", "REASONS", "SCRIPTS", "SHOWCASE", "build_plan"]

_ORG = content.organisation()
ORG_NAME = _ORG.name
N_CUSTOMERS = 300

# role -> customer key: "widow" -> "c0001", ... (data/organisation.toml says who they are and why)
SHOWCASE: dict[str, str] = {item.role: f"c{index:04d}" for index, item in enumerate(_ORG.showcase, start=1)}
REASONS: tuple[ReasonPlan, ...] = _ORG.reasons

# Remembered details that do not come from a script.
EXTRA_PREFERENCES = _ORG.extra_preferences
EXTRA_NOTES = _ORG.extra_notes
EXTRA_LIFE_EVENTS = _ORG.extra_life_events  # (text, months from the moment it was recorded)


def _extra_details(planner: Planner) -> None:
    """How to address a customer, preferences and notes that agents recorded at some earlier contact."""
    rng = planner.rng
    candidates = [cust for cust in planner.customers if not cust.showcase]
    with_details = [cust for cust in candidates if cust.details]
    addressed = rng.sample(with_details, min(len(with_details), N_CUSTOMERS // 7))
    bare = [cust for cust in candidates if not cust.details and cust not in addressed]
    rng.shuffle(bare)
    have = sum(1 for cust in planner.customers if cust.details) + len(addressed)
    for cust in addressed + bare[: max(0, N_CUSTOMERS // 3 - have)]:
        at, by = _recorded_at(planner, cust)
        kinds = (
            ["addressing"]
            if cust in addressed
            else [rng.choice(("preference", "preference", "note", "life_event"))]
        )
        if rng.random() < 0.2:
            kinds.append(rng.choice(("preference", "note")))
        for kind in kinds:
            if kind == "life_event" and cust.life_event:
                kind = "note"
            if kind == "preference":
                text = rng.choice(EXTRA_PREFERENCES)
            elif kind == "note":
                text = rng.choice(EXTRA_NOTES)
            elif kind == "life_event":
                template, months = rng.choice(EXTRA_LIFE_EVENTS)
                text = template.format(maand=MONTHS[(at.month + months - 1) % 12])
            elif cust.register == "u":
                title = "Mevrouw" if cust.person.gender == "f" else "Meneer"
                text = f"{title} {people.formal_last_name(cust.person.last_name)}"
            else:
                text = cust.person.first_name
            register = cust.register if kind == "addressing" else ""
            cust.details.append(DetailPlan(kind, text, by, at, register=register))


def _recorded_at(planner: Planner, cust: DemoCustomer) -> tuple[datetime, str]:
    """A moment an agent handled this customer, to date a detail; any moment in the window otherwise."""
    handled = planner.handled.get(cust.key)
    if handled:
        return planner.rng.choice(handled)
    at = planner.now - timedelta(
        days=planner.rng.randint(1, WINDOW_DAYS - 1), hours=planner.rng.randint(0, 8)
    )
    return at.replace(microsecond=0), planner.rng.choice(planner.agents.handlers).username


def build_plan(seed: int = 7, now: datetime | None = None) -> OrgPlan:
    """Build the demo organisation. Same `seed` and `now` give an identical plan."""
    now = normalise_now(now)
    rng = random.Random(seed)
    uniq = Uniques()
    customers = build_customers(rng, uniq, N_CUSTOMERS)
    agents = Agents()
    planner = StoryPlanner(rng, now, customers, uniq, agents)
    planner.showcase(SHOWCASE)
    planner.widows()
    planner.chains()
    planner.waves()
    planner.rude()
    planner.saturdays()
    planner.baseline()
    planner.queue()
    planner.unidentified()

    renderer = Renderer(planner)
    planner.episodes.sort(key=lambda ep: ep.opened_at)
    contacts = [renderer.contact(ep) for ep in planner.episodes]
    contacts.sort(key=lambda contact: contact.opened_at)
    for cust, detail in planner.pending_details:
        cust.details.append(detail)
    _extra_details(planner)

    customer_plans = []
    for cust in customers:
        seen: set[tuple[str, str]] = set()
        details = []
        for d in sorted(cust.details, key=lambda d: d.created_at):
            if (d.kind, d.text) not in seen:
                seen.add((d.kind, d.text))
                details.append(d)
        customer_plans.append(
            CustomerPlan(
                key=cust.key,
                first_name=cust.person.first_name,
                last_name=cust.person.last_name,
                identities=cust.identities(),
                details=tuple(details),
            )
        )
    return OrgPlan(
        name=ORG_NAME,
        now=now,
        teams=[TeamPlan(name) for name in people.TEAMS],
        agents=list(agents.plans),
        reasons=list(REASONS),
        customers=customer_plans,
        contacts=contacts,
    )
