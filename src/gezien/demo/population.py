"""The customers and agents of the demo organisation, with unique channel identities (pure Python)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from gezien.demo import content, people
from gezien.demo.content import City
from gezien.demo.people import Person
from gezien.demo.plan import AgentPlan, DetailPlan, IdentityPlan

# --- customers ---------------------------------------------------------------------------------------------


@dataclass
class DemoCustomer:
    key: str
    person: Person
    register: str
    team: str
    business: bool
    city: City
    postcode: str  # as typed
    house: int
    suffix: str
    phones: list[tuple[str, str]]  # (as typed, national significant number); the first is the main one
    email: str | None
    chat: str | None
    customer_number: str
    weight: float
    showcase: bool = False
    life_event: str = ""
    partner: str = ""
    kid: str = ""
    in_chain: bool = False
    last_agent: str | None = None
    details: list[DetailPlan] = field(default_factory=list)

    def identities(self) -> tuple[IdentityPlan, ...]:
        ids = [IdentityPlan("phone", typed) for typed, _ in self.phones]
        if self.email:
            ids.append(IdentityPlan("email", self.email))
        if self.chat:
            ids.append(IdentityPlan("chat", self.chat))
        ids.append(IdentityPlan("customer_number", self.customer_number))
        ids.append(IdentityPlan("address", f"{self.postcode}|{self.house}|{self.suffix}"))
        return tuple(ids)

    def has_channel(self, channel: str) -> bool:
        if channel == "chat":
            return self.chat is not None
        if channel == "email":
            return self.email is not None
        return True

    def channel_identity(self, channel: str, rng: random.Random) -> IdentityPlan:
        if channel == "phone":
            # caller ID arrives in international format; the customer record keeps what was typed
            _, nsn = self.phones[0] if rng.random() < 0.8 else rng.choice(self.phones)
            return IdentityPlan("phone", people.e164(nsn))
        if channel == "chat" and self.chat:
            return IdentityPlan("chat", self.chat)
        if self.email:
            return IdentityPlan("email", self.email)
        return IdentityPlan("customer_number", self.customer_number)


class Uniques:
    """Keeps every identity unique after normalisation, across customers and unknown contacts."""

    def __init__(self) -> None:
        self.phones: set[str] = set()
        self.emails: set[str] = set()
        self.chats: set[str] = set()
        self.numbers: set[str] = set()
        self.postcodes: set[str] = set()

    def mobile(self, rng: random.Random) -> tuple[str, str]:
        while True:
            nsn = people.mobile_digits(rng)
            if nsn not in self.phones:
                self.phones.add(nsn)
                return people.format_mobile(rng, nsn), nsn

    def landline(self, rng: random.Random, city: City) -> tuple[str, str]:
        while True:
            nsn = people.landline_digits(rng, city.area_code)
            if nsn not in self.phones:
                self.phones.add(nsn)
                return people.format_landline(rng, nsn, city.area_code), nsn

    def email(self, rng: random.Random, person: Person, business: bool = False) -> str:
        for attempt in range(50):
            address = people.make_email(rng, person.first_name, person.last_name, person.generation, business)
            if attempt > 10:
                local, _, domain = address.partition("@")
                address = f"{local}{rng.randint(2, 99)}@{domain}"
            if address.lower() not in self.emails:
                self.emails.add(address.lower())
                return address
        raise RuntimeError("could not invent a unique e-mail address")

    def chat(self, rng: random.Random) -> str:
        while True:
            value = "portal-" + "".join(rng.choice("0123456789abcdef") for _ in range(8))
            if value not in self.chats:
                self.chats.add(value)
                return value

    def customer_number(self, rng: random.Random) -> str:
        while True:
            value = f"K{rng.randint(100000, 999999)}"
            if value not in self.numbers:
                self.numbers.add(value)
                return value

    def postcode(self, rng: random.Random, city: City) -> tuple[str, int]:
        while True:
            number = rng.randint(city.postcode_lo, city.postcode_hi)
            letters = people.postcode_letters(rng)
            if f"{number}{letters}" not in self.postcodes:
                self.postcodes.add(f"{number}{letters}")
                return people.type_postcode(rng, number, letters), number


def showcase_people() -> list[tuple[str, Person, str, str, str, str]]:
    """(key, person, register, city, channels, partner) of the showcase customers (organisation.toml)."""
    return [
        (f"c{index:04d}", Person(c.first_name, c.last_name, c.gender, c.generation, c.background), c.register,
         c.city, " ".join(c.channels), c.partner)
        for index, c in enumerate(content.organisation().showcase, start=1)
    ]  # fmt: skip


def _register_for(rng: random.Random, generation: str, business: bool) -> str:
    p_formal = {"old": 0.92, "mid": 0.55, "young": 0.12}[generation]
    if business:
        p_formal = max(p_formal, 0.6)
    return "u" if rng.random() < p_formal else "je"


def _make_customer(
    rng: random.Random,
    uniq: Uniques,
    key: str,
    person: Person,
    register: str,
    city: City,
    channels: str,
    business: bool = False,
) -> DemoCustomer:
    postcode, number = uniq.postcode(rng, city)
    house, suffix = people.house_number(rng)
    phones: list[tuple[str, str]] = []
    if "mobile" in channels:
        phones.append(uniq.mobile(rng))
    if "landline" in channels:
        phones.insert(0 if person.generation == "old" else len(phones), uniq.landline(rng, city))
    return DemoCustomer(
        key=key,
        person=person,
        register=register,
        team="Team Zakelijk" if business else people.team_for_postcode(number),
        business=business,
        city=city,
        postcode=postcode,
        house=house,
        suffix=suffix,
        phones=phones,
        email=uniq.email(rng, person, business) if "email" in channels else None,
        chat=uniq.chat(rng) if "chat" in channels else None,
        customer_number=uniq.customer_number(rng),
        weight=min(4.0, rng.lognormvariate(0.0, 0.5)),
    )


def build_customers(rng: random.Random, uniq: Uniques, count: int) -> list[DemoCustomer]:
    by_name = {city.name: city for city in people.CITIES}
    customers: list[DemoCustomer] = []
    for key, person, register, city_name, channels, partner in showcase_people():
        cust = _make_customer(rng, uniq, key, person, register, by_name[city_name], channels)
        cust.showcase = True
        cust.partner = partner
        customers.append(cust)
    for i in range(len(customers) + 1, count + 1):
        person = people.random_person(rng)
        business = person.generation != "old" and rng.random() < 0.08
        city = rng.choices(people.CITIES, people.CITY_WEIGHTS)[0]
        gen = person.generation
        wanted: list[str] = []
        if gen != "old" or rng.random() < 0.7:
            wanted.append("mobile")
        if not wanted or rng.random() < {"old": 0.6, "mid": 0.3, "young": 0.05}[gen]:
            wanted.append("landline")
        if rng.random() < {"old": 0.55, "mid": 0.9, "young": 0.96}[gen] or business:
            wanted.append("email")
        if rng.random() < {"old": 0.12, "mid": 0.5, "young": 0.78}[gen]:
            wanted.append("chat")
        register = _register_for(rng, gen, business)
        cust = _make_customer(rng, uniq, f"c{i:04d}", person, register, city, " ".join(wanted), business)
        partner_pool = people.PARTNER_NAMES_M if person.gender == "f" else people.PARTNER_NAMES_F
        cust.partner = rng.choice(partner_pool)
        cust.kid = rng.choice(people.BABY_NAMES)
        customers.append(cust)
    return customers


# --- agents ----------------------------------------------------------------------------------------------


class Agents:
    def __init__(self) -> None:
        self.plans = [AgentPlan(u, f, ln, role, team) for u, f, ln, role, team in people.AGENTS]
        self.by_username = {p.username: p for p in self.plans}
        self.handlers = [p for p in self.plans if p.role in ("agent", "teamlead")]
        self.weights = [
            1.5 if p.username == "agent" else 1.0 if p.role == "agent" else 0.15 for p in self.handlers
        ]

    def pick(self, rng: random.Random, team: str | None, style: str = "good") -> AgentPlan:
        tendency = [p for p in self.handlers if people.AGENT_TENDENCY.get(p.username) == style]
        if tendency and rng.random() < 0.6:
            return rng.choice(tendency)
        pool = [
            (p, w) for p, w in zip(self.handlers, self.weights, strict=True) if team is None or p.team == team
        ]
        if not pool or rng.random() < 0.12:  # overflow: any team helps out
            pool = list(zip(self.handlers, self.weights, strict=True))
        return rng.choices([p for p, _ in pool], [w for _, w in pool])[0]
