"""Planning the demo: who contacts Voorbeeld Telecom when, on which channel, with which script.

The planner produces `Episode`s: a script, a customer (or an unknown person), a channel, a moment and a
status. `rendering` turns them into contacts. Story lines (the widow, repeat chains, the waves, the
queue of open work) are composed in `stories`; the rest is everyday traffic with a realistic weekly
rhythm.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from gezien.demo import content, people
from gezien.demo.clock import local_time, next_open
from gezien.demo.content import City
from gezien.demo.people import Person
from gezien.demo.plan import DetailPlan, IdentityPlan
from gezien.demo.population import Agents, DemoCustomer, Uniques
from gezien.demo.scenarios import AGENT, CUSTOMER, Script, Turn, needs_email

WINDOW_DAYS = 70  # ten weeks of history

SCRIPTS: tuple[Script, ...] = content.scripts()

# Relative weight of everyday scenarios within a channel, and the scenarios that suit a caller or writer
# who is not (yet) known to us (data/organisation.toml).
EVERYDAY_WEIGHTS: dict[str, float] = content.organisation().everyday_weights
ANON_SCENARIOS: tuple[str, ...] = content.organisation().unknown_caller_scenarios

# Hour weights per channel and kind of day (index 0 = first hour).
HourWeights = tuple[int, tuple[float, ...]]  # first hour, weight per hour from there
PHONE_WEEKDAY: HourWeights = (8, (6, 10, 10, 9, 7, 8, 9, 8, 7, 5, 4, 3, 2))
CHAT_WEEKDAY: HourWeights = (8, (3, 6, 7, 7, 6, 6, 7, 7, 6, 6, 7, 8, 7, 5))
SATURDAY: HourWeights = (9, (6, 8, 8, 7, 5, 4, 3, 2))
MAIL_ANY: HourWeights = (
    0,
    (1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 6, 7, 7, 6, 5, 6, 6, 6, 5, 4, 5, 6, 6, 5, 3, 2),
)
DAY_FACTOR = (1.3, 1.12, 1.0, 1.0, 0.92, 0.45, 0.12)  # Monday .. Sunday
BASE_PER_WEEKDAY = 26.0


# --- episodes: contacts before they are rendered ------------------------------------------------------------


@dataclass
class Anon:
    """Someone who is not (yet) a customer: a prospect, or a customer calling from a number we do not know."""

    person: Person
    identity: IdentityPlan
    postcode: str
    house: int
    city: City


@dataclass
class Episode:
    """A contact before it is rendered: who, what, when, on which channel, and how far it got."""

    opened_at: datetime
    script: Script
    channel: str
    customer: DemoCustomer | None = None
    anon: Anon | None = None
    status: str = "closed"
    agent: str | None = None  # forced agent username
    transcript: bool | None = None  # phone: keep a transcript (True) or only a call note (False)
    text_slots: dict[str, str] = field(default_factory=dict)
    date_slots: dict[str, date] = field(default_factory=dict)
    promise_done: bool | None = None


class Library:
    """All scripts, findable by scenario, channel, register, chain step and gender."""

    def __init__(self, scripts: tuple[Script, ...]) -> None:
        self.by_key = {s.key: s for s in scripts}
        if len(self.by_key) != len(scripts):
            raise ValueError("duplicate script keys")
        self.scripts = scripts

    def find(
        self,
        scenario: str,
        channel: str | None = None,
        register: str | None = None,
        step: int | None = None,
        gender: str | None = None,
    ) -> list[Script]:
        return [
            s
            for s in self.scripts
            if s.scenario == scenario
            and (channel is None or s.channel == channel)
            and (register is None or s.register == register)
            and (step is None or s.step == step)
            and (gender is None or s.gender in ("", gender))
        ]

    def pick(
        self,
        rng: random.Random,
        scenario: str,
        channel: str | None = None,
        register: str | None = None,
        step: int | None = None,
        gender: str | None = None,
    ) -> Script | None:
        found = self.find(scenario, channel, register, step, gender)
        return rng.choice(found) if found else None

    def key(self, key: str) -> Script:
        return self.by_key[key]


# --- planning ----------------------------------------------------------------------------------------------


class Planner:
    """Decides who contacts us when, on which channel, with which script."""

    def __init__(
        self, rng: random.Random, now: datetime, customers: list[DemoCustomer], uniq: Uniques, agents: Agents
    ) -> None:
        self.rng = rng
        self.now = now
        self.today = now.date()
        self.customers = customers
        self.by_key = {cust.key: cust for cust in customers}
        self.uniq = uniq
        self.agents = agents
        self.lib = Library(SCRIPTS)
        self.episodes: list[Episode] = []
        self.email_scripts = {s.key for s in SCRIPTS if needs_email(s)}
        self.pending_details: list[tuple[DemoCustomer, DetailPlan]] = []
        self.customer_slots: dict[str, dict[str, str]] = {}  # per customer, fixed across contacts
        self.handled: dict[str, list[tuple[datetime, str]]] = {}  # customer key -> (end, agent)
        self.pools: dict[tuple[str, str], tuple[list[DemoCustomer], list[float]]] = {}
        for register in ("u", "je"):
            for channel in ("phone", "chat", "email", "webform"):
                pool = [
                    cust
                    for cust in customers
                    if not cust.showcase and cust.register == register and cust.has_channel(channel)
                ]
                cum: list[float] = []
                total = 0.0
                for cust in pool:
                    total += cust.weight
                    cum.append(total)
                self.pools[(register, channel)] = (pool, cum)
        self.everyday: dict[str, tuple[list[Script], list[float]]] = {}
        for channel in ("phone", "chat", "email", "webform"):
            chosen = [
                s for s in SCRIPTS if s.channel == channel and s.scenario in EVERYDAY_WEIGHTS and not s.step
            ]
            counts: dict[str, int] = {}
            for s in chosen:
                counts[s.scenario] = counts.get(s.scenario, 0) + 1
            weights = [EVERYDAY_WEIGHTS[s.scenario] / counts[s.scenario] for s in chosen]
            self.everyday[channel] = (chosen, weights)

    # time
    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def time_on(self, day: date, channel: str) -> datetime | None:
        wd = day.weekday()
        if channel in ("email", "webform"):
            start, weights = MAIL_ANY
        elif wd == 6:
            return None
        elif wd == 5:
            start, weights = SATURDAY
        elif channel == "chat":
            start, weights = CHAT_WEEKDAY
        else:
            start, weights = PHONE_WEEKDAY
        hour = start + self.rng.choices(range(len(weights)), weights)[0]
        return local_time(day, hour, self.rng.randint(0, 59), self.rng.randint(0, 59))

    def at(self, days_ago: int, hour: int, minute: int) -> datetime:
        """A moment in a composed story line, kept inside opening hours whatever weekday it falls on."""
        day = self.day(days_ago)
        if day.weekday() == 6:  # the desk is closed on Sundays: the day before
            day -= timedelta(days=1)
        if day.weekday() == 5:
            hour = min(max(hour, 9), 16)
        return local_time(day, hour, minute, self.rng.randint(0, 59))

    # customers
    def customer_for(
        self, script: Script, channel: str, avoid: set[str] | None = None
    ) -> DemoCustomer | None:
        pool, cum = self.pools[(script.register, channel)]
        if not pool:
            return None
        for _ in range(40):
            cust = self.rng.choices(pool, cum_weights=cum)[0]
            if script.gender and cust.person.gender != script.gender:
                continue
            if cust.email is None and script.key in self.email_scripts:
                continue
            if script.life_event and cust.life_event:
                continue
            if script.scenario.startswith("widow") and cust.person.generation == "young":
                continue
            if avoid is not None and cust.key in avoid:
                continue
            return cust
        return None

    def add(
        self,
        cust: DemoCustomer | None,
        script: Script | str,
        opened_at: datetime,
        channel: str | None = None,
        *,
        status: str = "closed",
        agent: str | None = None,
        transcript: bool | None = None,
        anon: Anon | None = None,
        text_slots: dict[str, str] | None = None,
        date_slots: dict[str, date] | None = None,
        promise_done: bool | None = None,
    ) -> Episode:
        s = self.lib.key(script) if isinstance(script, str) else script
        ep = Episode(
            opened_at=opened_at,
            script=s,
            channel=channel or s.channel,
            customer=cust,
            anon=anon,
            status=status,
            agent=agent,
            transcript=transcript,
            text_slots=text_slots or {},
            date_slots=date_slots or {},
            promise_done=promise_done,
        )
        if cust is not None and s.life_event and not cust.life_event:
            cust.life_event = s.scenario
        self.episodes.append(ep)
        return ep

    def detail(
        self, cust: DemoCustomer, kind: str, text: str, by: str, at: datetime, register: str = ""
    ) -> None:
        self.pending_details.append((cust, DetailPlan(kind, text, by, at, register=register)))

    def anon(self, channel: str) -> Anon:
        rng = self.rng
        person = people.random_person(rng)
        city = rng.choices(people.CITIES, people.CITY_WEIGHTS)[0]
        if channel == "phone":
            _, nsn = self.uniq.mobile(rng) if rng.random() < 0.8 else self.uniq.landline(rng, city)
            identity = IdentityPlan("phone", people.e164(nsn))
        elif channel == "chat":
            identity = IdentityPlan("chat", self.uniq.chat(rng))
        else:
            identity = IdentityPlan("email", self.uniq.email(rng, person))
        postcode, _ = self.uniq.postcode(rng, city)
        house, _ = people.house_number(rng)
        return Anon(person, identity, postcode, house, city)

    def anon_scripts(self, channel: str) -> list[Script]:
        return [
            s
            for s in SCRIPTS
            if s.channel == channel
            and s.scenario in ANON_SCENARIOS
            and (channel != "phone" or s.turns[0].author == AGENT)
            and (channel in ("email", "webform") or s.key not in self.email_scripts)
        ]

    def queue_time(self, channel: str, status: str) -> datetime:
        rng = self.rng
        if channel == "chat":
            minutes = rng.uniform(3, 75)
        elif channel == "phone":  # a callback request left while the desk was open
            for _ in range(30):
                at = self.now - timedelta(minutes=rng.uniform(8, 24 * 60))
                if next_open(at) == at:
                    return at.replace(microsecond=0)
            minutes = rng.uniform(8, 600)
        elif status == "open":
            minutes = rng.uniform(25, 46 * 60)
        else:
            minutes = rng.uniform(6 * 60, 46 * 60)
        return (self.now - timedelta(minutes=minutes)).replace(microsecond=0)


def fits_status(s: Script, status: str) -> bool:
    """Whether a script can be cut off at the point this status implies."""
    authors = [t.author for t in s.turns]
    if status == "closed":
        return True
    if not authors or authors[0] != CUSTOMER:
        return False
    if status == "open":
        return True
    if AGENT not in authors:
        return False
    first_agent = authors.index(AGENT)
    if status == "waiting_customer":  # the agent asked the customer something
        asked = cut_turns(s.turns, status)[first_agent:]
        return any("?" in variant for turn in asked for variant in turn.variants)
    return CUSTOMER in authors[first_agent:]


def cut_turns(turns: tuple[Turn, ...], status: str) -> tuple[Turn, ...]:
    """The turns that have happened so far for a contact in this status."""
    if status == "closed":
        return turns
    authors = [t.author for t in turns]
    first_agent = authors.index(AGENT) if AGENT in authors else len(turns)
    if status == "open":
        return turns[:first_agent]
    end = first_agent
    while end < len(turns) and turns[end].author == AGENT:
        end += 1
    if status == "waiting_customer":
        return turns[:end]
    while end < len(turns) and turns[end].author == CUSTOMER:
        end += 1
    return turns[:end]
