"""Rendering episodes into contacts: slots, message timing per channel, and remembered details."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from gezien.demo import content, people
from gezien.demo.clock import (
    MONTHS,
    WEEKDAYS,
    add_workdays,
    dutch_date,
    euro,
    last_staffed,
    local_time,
    next_open,
    skip_sunday,
)
from gezien.demo.plan import AgentPlan, ContactPlan, DetailPlan, IdentityPlan, MessagePlan
from gezien.demo.population import DemoCustomer
from gezien.demo.scenarios import AGENT, CUSTOMER, Turn, expand, render
from gezien.demo.timeline import Episode, Planner, cut_turns

_WORDS = content.organisation().slots
NUMBER_WORDS, WAIT_TIMES, PACKAGES = _WORDS.number_words, _WORDS.wait_times, _WORDS.packages
PHONES, ORDER_ITEMS, CHANNELS_TV = _WORDS.phones, _WORDS.order_items, _WORDS.tv_channels

DATE_SLOTS = (
    "dag",
    "datum",
    "vorige_datum",
    "eerste_datum",
    "vorige_contact",
    "eerste_contact",
    "besteldatum",
    "verhuisdatum",
)


# How an agent who goes straight to business opens (people.toml `straight_to_business`): the
# acknowledgement skipped (the coaching queue shows it). The first sentence goes when it only acknowledges.
_ACKNOWLEDGING = re.compile(
    r"^(?:(?:hoi|hallo|beste|geachte)[^.!?,]*,\s*)?(?:wat (?:vervelend|naar|rot|een gedoe|balen|jammer)|"
    r"(?:dat|ik) (?:begrijp|snap)|snap (?:ik|dat)|ik kan me (?:voorstellen|indenken)|oei|och|sorry|excuses|"
    r"mijn excuses|wat fijn dat|goed dat|allereerst|dat had niet)[^.!?]*[.!?]+\s*",
    re.IGNORECASE,
)


def agent_words(text: str, author: str, agent: AgentPlan) -> str:
    """The text as `agent` says it: unchanged, except that some agents skip an opening acknowledgement."""
    if author != AGENT or agent.username not in people.STRAIGHT_TO_BUSINESS:
        return text
    found = _ACKNOWLEDGING.match(text)
    if found is None or " maar " in found.group(0):  # "Ik begrijp dat u boos bent, maar ...": a limit kept
        return text
    rest = text[found.end() :]
    return rest[:1].upper() + rest[1:] if rest.strip() else text


class Slots(dict[str, str]):
    """The slot values of one contact. Values that need chance are drawn when a text first asks for them,
    then kept, so every text of the contact (and the details recorded after it) agrees."""

    class Cached:
        def __init__(self, make: Callable[[], float]) -> None:
            self.make = make
            self.value: float | None = None

        def __call__(self) -> float:
            if self.value is None:
                self.value = self.make()
            return self.value

    def __init__(
        self,
        values: dict[str, str],
        lazy: dict[str, Callable[[], str]],
        lazy_dates: dict[str, Callable[[], date]],
        dates: dict[str, date],
    ) -> None:
        super().__init__(values)
        self.lazy = lazy
        self.lazy_dates = lazy_dates
        self.dates = dict(dates)

    def date(self, name: str) -> date:
        if name not in self.dates:
            self.dates[name] = self.lazy_dates[name]()
        return self.dates[name]

    def __missing__(self, key: str) -> str:
        if key in DATE_SLOTS:
            day = self.date(key)
            value = WEEKDAYS[day.weekday()] if key == "dag" else dutch_date(day)
        elif key in self.lazy:
            value = self.lazy[key]()
        else:
            raise KeyError(key)
        self[key] = value
        return value


# --- rendering ----------------------------------------------------------------------------------------------

SENSITIVE = frozenset(
    {
        "widow_cancel",
        "widow_followup",
        "rude_caller",
        "rude_returns",
        "illness_hospital",
        "late_delivery_repeat",
    }
)
HEATED = frozenset(
    {
        "rude_caller",
        "rude_returns",
        "late_delivery_repeat",
        "fault_repeat",
        "formal_complaint_letter",
        "churn_cancel",
    }
)
VOICEMAIL_INTRO = (
    "Terugbelverzoek via het keuzemenu; de beller heeft een bericht ingesproken.",
    "Terugbelverzoek: beller hing op in de wachtrij en sprak een bericht in.",
)


def _weekday_before(d: date) -> date:
    """The day itself, or the Saturday before when it is a Sunday (nothing is delivered on Sundays)."""
    return d - timedelta(days=1) if d.weekday() == 6 else d


def _house_text(house: int, suffix: str) -> str:
    if not suffix:
        return str(house)
    return f"{house}{suffix}" if len(suffix) == 1 else f"{house} {suffix}"


class Renderer:
    """Turns episodes into contacts with messages, and collects the details agents record."""

    def __init__(self, planner: Planner) -> None:
        self.p = planner
        self.rng = planner.rng
        self.now = planner.now
        self.agents = planner.agents
        self.external_ids: set[str] = set()

    def slots(self, ep: Episode, agent: AgentPlan) -> Slots:
        rng = self.rng
        d0 = ep.opened_at.date()
        cust = ep.customer
        if cust is not None:
            person = cust.person
            postcode, house, city = cust.postcode, _house_text(cust.house, cust.suffix), cust.city
            phone, email, number = cust.phones[0][0], cust.email or "", cust.customer_number
            partner, kid = cust.partner, cust.kid
        else:
            assert ep.anon is not None
            person = ep.anon.person
            postcode, house, city = ep.anon.postcode, str(ep.anon.house), ep.anon.city
            email = ep.anon.identity.value if ep.anon.identity.kind == "email" else ""
            phone = number = partner = kid = ""
        compact = postcode.replace(" ", "").upper()
        female = person.gender == "f"
        formal = people.formal_last_name(person.last_name)
        title = "mevrouw" if female else "meneer"
        hour = ep.opened_at.hour
        part_of_day = "Goedemorgen" if hour < 12 else "Goedemiddag" if hour < 18 else "Goedenavond"
        values = {
            "agent": agent.first_name,
            "agent_volledig": f"{agent.first_name} {agent.last_name}",
            "dagdeel": part_of_day,
            "dagdeel_l": part_of_day.lower(),
            "voornaam": person.first_name,
            "achternaam": person.last_name,
            "Achternaam": formal,
            "naam": f"{person.first_name} {person.last_name}",
            "aanspreek": f"{title} {formal}",
            "Aanspreek": f"{title.capitalize()} {formal}",
            "heer_mevrouw": title,
            "geachte": f"Geachte {'mevrouw' if female else 'heer'} {formal}",
            "huisnummer": house,
            "stad": city.name,
            "email": email,
            # the modem a household has does not change from one contact to the next
            "modem": "VT Box 4" if int(compact[:4]) % 3 == 0 else "VT Box 5",
            "partner_rol": "man" if female else "vrouw",
            "maand": MONTHS[(d0.month - 2) % 12],
        }
        if cust is not None:
            values.update(self.p.customer_slots.get(cust.key, {}))
        values.update(ep.text_slots)
        amount = Slots.Cached(lambda: rng.choice([rng.uniform(18, 95), rng.uniform(30, 140)]))
        lazy: dict[str, Callable[[], str]] = {
            "collega": lambda: self.colleague(cust, agent),
            "postcode": lambda: f"{compact[:4]} {compact[4:]}" if rng.random() < 0.8 else postcode,
            "klantnummer": lambda: number or f"K{rng.randint(100000, 999999)}",
            "telefoon": lambda: phone or people.format_mobile(rng, people.mobile_digits(rng)),
            "order": lambda: f"VT{rng.randint(1000000, 9999999)}",
            "product": lambda: rng.choice(ORDER_ITEMS),
            "toestel": lambda: rng.choice(PHONES),
            "bedrag": lambda: euro(round(amount(), 2)),
            "bedrag2": lambda: euro(round(amount() * rng.uniform(1.6, 2.4), 2)),
            "pakket": lambda: rng.choice(PACKAGES),
            "zender": lambda: rng.choice(CHANNELS_TV),
            "ticket": lambda: f"M-{rng.randint(100000, 999999)}",
            "maand_overlijden": lambda: MONTHS[(d0 - timedelta(days=rng.randint(9, 30))).month - 1],
            "week": lambda: f"week {(d0 + timedelta(days=rng.randint(12, 25))).isocalendar()[1]}",
            "dagen": lambda: rng.choice(NUMBER_WORDS),
            "wachttijd": lambda: rng.choice(WAIT_TIMES),
            "partner": lambda: partner or rng.choice(people.PARTNER_NAMES_M),
            "kind": lambda: kid or rng.choice(people.BABY_NAMES),
            "nieuwe_stad": lambda: rng.choice([c.name for c in people.CITIES if c.name != city.name]),
        }
        lazy_dates: dict[str, Callable[[], date]] = {
            "dag": lambda: add_workdays(d0, rng.randint(1, 3)),
            "datum": lambda: skip_sunday(d0 + timedelta(days=rng.randint(2, 7))),
            "vorige_datum": lambda: _weekday_before(d0 - timedelta(days=rng.randint(1, 4))),
            "vorige_contact": lambda: _weekday_before(d0 - timedelta(days=rng.randint(3, 9))),
            "eerste_contact": lambda: _weekday_before(d0 - timedelta(days=rng.randint(10, 16))),
            "eerste_datum": lambda: _weekday_before(d0 - timedelta(days=rng.randint(8, 14))),
            "besteldatum": lambda: d0 - timedelta(days=rng.randint(6, 14)),
            "verhuisdatum": lambda: skip_sunday(d0 + timedelta(days=rng.randint(20, 60))),
        }
        return Slots(values, lazy, lazy_dates, ep.date_slots)

    def colleague(self, cust: DemoCustomer | None, agent: AgentPlan) -> str:
        """The agent who handled this customer last time, or else any colleague."""
        if cust is not None and cust.last_agent and cust.last_agent != agent.username:
            return self.agents.by_username[cust.last_agent].first_name
        return self.rng.choice([p for p in self.agents.handlers if p.username != agent.username]).first_name

    # messages per channel; each returns the messages and the moment the contact ends
    def phone(
        self, ep: Episode, turns: tuple[Turn, ...], slots: dict[str, str], agent: AgentPlan
    ) -> tuple[list[MessagePlan], datetime]:
        rng = self.rng
        opened = ep.opened_at
        s = ep.script
        if ep.status != "closed":  # a callback request left in the queue
            messages = [MessagePlan("system", "message", rng.choice(VOICEMAIL_INTRO), opened)]
            t = round(rng.uniform(0.5, 2.0), 1)
            for turn in turns:
                text = render(turn.variants, rng, slots)
                end = round(t + max(1.0, len(text.split()) / 2.4), 1)
                at = opened + timedelta(seconds=t)
                messages.append(MessagePlan(CUSTOMER, "transcript", text, at, start_s=t, end_s=end))
                t = round(end + 0.8, 1)
            return messages, opened + timedelta(seconds=round(t))
        keep = ep.transcript
        if keep is None:
            keep = rng.random() < (0.85 if s.scenario in SENSITIVE else 0.6)
        if not keep:
            words = sum(len(t.variants[0].split()) for t in turns)
            duration = (
                words / 2.4 * rng.uniform(0.9, 1.3) + sum(t.hold_s for t in turns) + rng.uniform(20, 90)
            )
            at = opened + timedelta(seconds=round(duration))
            text = (
                render(s.notes, rng, slots)
                if s.notes
                else "Telefonisch contact: " + render(s.summaries, rng, slots)
            )
            return [MessagePlan(AGENT, "note", text, at, agent=agent.username)], at + timedelta(
                seconds=rng.randint(5, 60)
            )
        messages = []
        prev_start = prev_end = floor = 0.0
        hold = 0.0
        prev_author = ""
        for i, turn in enumerate(turns):
            text = agent_words(render(turn.variants, rng, slots), turn.author, agent)
            duration = max(0.8, len(text.split()) / rng.uniform(2.2, 2.9))
            chance = 0.03
            if turn.author == AGENT and s.style == "blunt":
                chance = 0.25
            elif turn.author == AGENT and people.AGENT_TENDENCY.get(agent.username) == "blunt":
                chance = 0.3  # a blunt agent talks over customers in any call (the coaching queue shows it)
            elif turn.author == CUSTOMER and s.scenario in HEATED:
                chance = 0.12
            interrupt = turn.interrupt or (i > 0 and turn.author != prev_author and rng.random() < chance)
            if i == 0:
                start = 0.0
            elif interrupt and prev_end - prev_start > 1.6 and hold == 0.0:
                start = prev_end - rng.uniform(0.4, min(2.2, (prev_end - prev_start) / 2))
            else:
                start = floor + rng.uniform(0.25, 1.3) + hold
            if i:
                start = max(start, prev_start + 0.4)
            start = round(start, 1)
            end = round(start + duration, 1)
            author = turn.author
            messages.append(
                MessagePlan(
                    author,
                    "transcript",
                    text,
                    opened + timedelta(seconds=start),
                    agent=agent.username if author == AGENT else None,
                    start_s=start,
                    end_s=end,
                )
            )
            hold = turn.hold_s * rng.uniform(0.7, 1.4)
            prev_start, prev_end, prev_author = start, end, author
            floor = max(floor, end)
        return messages, opened + timedelta(seconds=round(floor + rng.uniform(20, 120)))

    def chat(
        self, ep: Episode, turns: tuple[Turn, ...], slots: dict[str, str], agent: AgentPlan
    ) -> tuple[list[MessagePlan], datetime]:
        rng = self.rng
        at = ep.opened_at
        messages: list[MessagePlan] = []
        first_reply = True
        prev_author = ""
        for i, turn in enumerate(turns):
            text = agent_words(render(turn.variants, rng, slots), turn.author, agent)
            words = len(text.split())
            if i:
                if turn.author == AGENT:
                    # The first line within seconds (a greeting: a quick reply the agent picks), one in
                    # twelve at a busy moment after a minute or more; then typing as they go.
                    gap = (
                        _first_chat_reply(rng.uniform(0, 1)) if first_reply else rng.uniform(10, 50)
                    ) + words * rng.uniform(0.5, 1.0) * (0.2 if first_reply else 1)
                    first_reply = False
                elif prev_author == CUSTOMER:
                    gap = rng.uniform(4, 20) + words * rng.uniform(0.8, 1.5)
                else:
                    gap = rng.uniform(8, 40) + words * rng.uniform(0.9, 1.7)
                at = at + timedelta(seconds=round(gap))
            messages.append(self.message(turn.author, text, at, agent))
            prev_author = turn.author
        return messages, at + timedelta(seconds=rng.randint(45, 300))

    def mail(
        self, ep: Episode, turns: tuple[Turn, ...], slots: dict[str, str], agent: AgentPlan
    ) -> tuple[list[MessagePlan], datetime]:
        rng = self.rng
        at = ep.opened_at
        messages: list[MessagePlan] = []
        prev_author = ""
        for i, turn in enumerate(turns):
            text = agent_words(render(turn.variants, rng, slots), turn.author, agent)
            if i:
                if turn.author == AGENT and prev_author == AGENT:
                    at = at + timedelta(minutes=rng.randint(2, 20))
                elif turn.author == AGENT:  # answered within the hour while the desk is open
                    at = next_open(at + timedelta(minutes=rng.randint(5, 40)))
                    at = at + timedelta(minutes=rng.randint(0, 25), seconds=rng.randint(0, 59))
                else:
                    at = at + timedelta(minutes=rng.randint(25, 1500))
                    if ep.status != "closed":  # the customer's reply came in before now
                        room = max(0.0, (self.now - messages[-1].at).total_seconds() - 120)
                        at = min(at, messages[-1].at + timedelta(seconds=round(room * rng.uniform(0.2, 0.9))))
            messages.append(self.message(turn.author, text, at, agent))
            prev_author = turn.author
        if prev_author == AGENT:
            end = at + timedelta(minutes=rng.randint(1, 12))
        else:
            end = next_open(at + timedelta(minutes=rng.randint(30, 300))) + timedelta(
                minutes=rng.randint(1, 20)
            )
        return messages, end

    def message(self, author: str, text: str, at: datetime, agent: AgentPlan) -> MessagePlan:
        return MessagePlan(author, "message", text, at, agent=agent.username if author == AGENT else None)

    def external_id(self, identity: IdentityPlan) -> str:
        domain = identity.value.partition("@")[2].lower() or "example.nl"
        while True:
            local = "".join(self.rng.choice("0123456789abcdef") for _ in range(16))
            value = f"<{local}@mail.{domain}>"
            if value not in self.external_ids:
                self.external_ids.add(value)
                return value

    def contact(self, ep: Episode) -> ContactPlan:
        rng = self.rng
        s = ep.script
        cust = ep.customer
        team = cust.team if cust is not None else rng.choice(("Team Noord", "Team Zuid"))
        agent = self.agents.by_username[ep.agent] if ep.agent else self.agents.pick(rng, team, s.style)
        assigned = agent.username if ep.status in ("closed", "waiting_customer") else None
        slots = self.slots(ep, agent)
        turns = cut_turns(s.turns, ep.status)
        if ep.channel == "phone":
            messages, end = self.phone(ep, turns, slots, agent)
        elif ep.channel == "chat":
            messages, end = self.chat(ep, turns, slots, agent)
        else:
            messages, end = self.mail(ep, turns, slots, agent)
        opened = ep.opened_at
        # Nothing is answered or closed while the desk is closed (a demo loaded at night: issue 20).
        limit = last_staffed(self.now) - timedelta(minutes=1)
        if ep.status == "closed" and end > limit:  # finished just now: move the whole contact back
            shift = end - limit + timedelta(minutes=rng.randint(2, 30))
            messages = [_moved(m, m.at - shift) for m in messages]
            opened, end = opened - shift, end - shift
        elif ep.status != "closed":
            answered = any(m.author == AGENT for m in messages)
            if not answered:  # a customer may write at any hour
                limit = self.now - timedelta(minutes=1)
            elif opened >= limit:  # answered, so it came in before the desk closed
                shift = opened - limit + timedelta(minutes=rng.randint(5, 30))
                messages = [_moved(m, m.at - shift) for m in messages]
                opened = opened - shift
            last = max(m.at for m in messages)
            if last > limit and last > opened:  # squeeze the conversation so far into the time until now
                factor = max(0.0, (limit - opened) / (last - opened))
                messages = [_moved(m, opened + (m.at - opened) * factor) for m in messages]
            end = max(m.at for m in messages)
        identity = cust.channel_identity(ep.channel, rng) if cust is not None else _anon_identity(ep)
        contact = ContactPlan(
            customer=cust.key if cust is not None else None,
            channel=ep.channel,
            identity=identity,
            subject=render(s.subjects, rng, slots),
            reason=s.reason,
            status=ep.status,
            opened_at=opened,
            closed_at=end if ep.status == "closed" else None,
            agent=assigned,
            team=agent.team if assigned else team,
            summary=render(s.summaries, rng, slots) if ep.status == "closed" else "",
            messages=tuple(messages),
            scenario=s.scenario,
            external_id=self.external_id(identity) if ep.channel == "email" else None,
        )
        if cust is not None and assigned:
            cust.last_agent = assigned
            self.p.handled.setdefault(cust.key, []).append((end, assigned))
            self.remember(ep, cust, slots, assigned, end)
        return contact

    def remember(
        self,
        ep: Episode,
        cust: DemoCustomer,
        slots: Slots,
        by: str,
        at: datetime,
    ) -> None:
        for item in ep.script.remember:
            text = expand(item.text, self.rng).format_map(slots)
            # agents do not log everything: life events always, the rest often
            logged = item.kind == "life_event" or cust.showcase or ep.promise_done is not None
            if not logged and self.rng.random() < (0.5 if item.kind == "promise" else 0.45):
                continue
            if item.kind != "promise":
                cust.details.append(DetailPlan(item.kind, text, by, at))
                continue
            due_day = (
                slots.date(item.due_slot) if item.due_slot in DATE_SLOTS else at.date() + timedelta(days=1)
            )
            due = local_time(due_day, item.due_hour)
            if due <= at:
                due = local_time(at.date() + timedelta(days=1), item.due_hour)
            if ep.promise_done is not None:
                done = ep.promise_done
            else:
                done = due < self.now and self.rng.random() < 0.75
            cust.details.append(
                DetailPlan("promise", text, by, at, due_date=due, done=done and due < self.now)
            )


def _moved(m: MessagePlan, at: datetime) -> MessagePlan:
    return MessagePlan(m.author, m.kind, m.text, at, agent=m.agent, start_s=m.start_s, end_s=m.end_s)


def _anon_identity(ep: Episode) -> IdentityPlan:
    assert ep.anon is not None
    return ep.anon.identity


def _first_chat_reply(u: float) -> float:
    """Seconds until an agent's first line in a chat, from a uniform draw `u` in [0, 1): 4 to 40 seconds,
    and past the minute (one to four) for the last twelfth, a busy moment (issue 20: the demo's chat
    service level was 27 %; a demanding desk answers chat in seconds)."""
    busy = 11 / 12
    return 4 + 36 * u / busy if u < busy else 60 + (u - busy) * 12 * 180
