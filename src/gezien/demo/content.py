"""The demo's written content, read from `gezien/demo/data/` and validated on load.

What the demo says lives in data files (TOML: Dutch prose reads well in it); how it is put together
lives in Python. `data/README.md` describes every file. Each loader below reads one kind of file, checks
it against its schema (`schema.Table`: types, choices, unknown fields, references to reasons, people
and slots) and returns frozen dataclasses; each is read once per process. `load_all()` reads them all,
which is what the test that every file validates calls. Pure Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gezien.demo.plan import ReasonPlan
from gezien.demo.scenarios import (
    AGENT,
    CHANNELS,
    CUSTOMER,
    DATE_SLOTS,
    SLOT_NAMES,
    STYLES,
    Remember,
    Script,
    Turn,
)
from gezien.demo.schema import DATA_DIR, DemoDataError, Table, check_slots, known, read_file

SCRIPT_FILES: tuple[str, ...] = (
    "scripts/phone.toml",
    "scripts/phone_everyday.toml",
    "scripts/sensitive.toml",
    "scripts/chat.toml",
    "scripts/mail.toml",
    "scripts/repeat.toml",
    "scripts/waves.toml",
)
OTHER_FILES: tuple[str, ...] = (
    "organisation.toml",
    "people.toml",
    "turns.toml",
    "knowledge.toml",
    "replies.toml",
)
ROLES = ("agent", "teamlead", "manager", "admin")
GENDERS = ("f", "m")
GENERATIONS = ("old", "mid", "young")
REGISTERS = ("u", "je")
REMEMBER_KINDS = ("preference", "life_event", "note", "promise")
SHOWCASE_CHANNELS = ("mobile", "landline", "email", "chat")


# --- organisation.toml ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Showcase:
    """A hand-composed demo customer (c0001, c0002, ... in file order) and the role their story plays."""

    role: str
    about: str
    first_name: str
    last_name: str
    gender: str
    generation: str
    background: str
    register: str
    city: str
    channels: tuple[str, ...]
    partner: str


@dataclass(frozen=True)
class SlotWords:
    number_words: tuple[str, ...]
    wait_times: tuple[str, ...]
    packages: tuple[str, ...]
    phones: tuple[str, ...]
    order_items: tuple[str, ...]  # the phones, then the other things people order
    tv_channels: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    name: str
    reasons: tuple[ReasonPlan, ...]
    showcase: tuple[Showcase, ...]
    everyday_weights: dict[str, float]
    unknown_caller_scenarios: tuple[str, ...]
    slots: SlotWords
    extra_preferences: tuple[str, ...]
    extra_notes: tuple[str, ...]
    extra_life_events: tuple[tuple[str, int], ...]  # (text with {maand}, months from when it was recorded)

    @property
    def reason_codes(self) -> frozenset[str]:
        return frozenset(reason.code for reason in self.reasons)


@cache
def organisation(data_dir: Path = DATA_DIR) -> Organisation:
    top = read_file("organisation.toml", data_dir)
    reasons: list[ReasonPlan] = []
    for row in top.tables("reason"):
        code = row.text("code")
        parent = row.text("parent", None) if row.has("parent") else None
        if parent is not None:
            known(row, "parent", parent, {r.code for r in reasons}, "reason (defined above)")
        if code in {r.code for r in reasons}:
            raise row.error("code", f"reason {code!r} is defined twice")
        reasons.append(ReasonPlan(code, row.text("name"), parent))
        row.done()
    cities = {city.name for city in people(data_dir).cities}
    showcase = []
    for row in top.tables("showcase"):
        channels = row.texts("channels")
        for channel in channels:
            known(row, "channels", channel, SHOWCASE_CHANNELS, "channel")
        showcase.append(
            Showcase(
                role=row.text("role"),
                about=row.text("about"),
                first_name=row.text("first_name"),
                last_name=row.text("last_name"),
                gender=row.text("gender", choices=GENDERS),
                generation=row.text("generation", choices=GENERATIONS),
                background=row.text("background"),
                register=row.text("register", choices=REGISTERS),
                city=known(row, "city", row.text("city"), cities, "city"),
                channels=channels,
                partner=row.text("partner", ""),
            )
        )
        row.done()
    weights_table = top.table("everyday_weights")
    weights = {name: weights_table.number(name) for name in weights_table.fields()}
    unknown = top.table("unknown_callers")
    slots = top.table("slots")
    phones = slots.texts("phones")
    words = SlotWords(
        number_words=slots.texts("number_words"),
        wait_times=slots.texts("wait_times"),
        packages=slots.texts("packages"),
        phones=phones,
        order_items=(*phones, *slots.texts("other_order_items")),
        tv_channels=slots.texts("tv_channels"),
    )
    extra = top.table("extra_details")
    life_events = []
    for item in extra.tables("life_events"):
        life_events.append((item.text("text"), item.whole("months")))
        check_slots(item, "text", [life_events[-1][0]], {"maand"})
        item.done()
    result = Organisation(
        name=top.text("name"),
        reasons=tuple(reasons),
        showcase=tuple(showcase),
        everyday_weights=weights,
        unknown_caller_scenarios=unknown.texts("scenarios"),
        slots=words,
        extra_preferences=extra.texts("preferences"),
        extra_notes=extra.texts("notes"),
        extra_life_events=tuple(life_events),
    )
    for table in (weights_table, unknown, slots, extra, top):
        table.done()
    return result


# --- people.toml ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str
    postcode_lo: int
    postcode_hi: int
    area_code: str  # "020"; 3-digit codes have 7-digit subscriber numbers, 4-digit codes 6


@dataclass(frozen=True)
class PeopleData:
    teams: tuple[str, ...]
    agents: tuple[tuple[str, str, str, str, str | None], ...]  # username, first, last name, role, team
    agent_tendency: dict[str, str]
    straight_to_business: frozenset[str]  # agents who skip the opening acknowledgement
    cities: tuple[City, ...]
    city_weights: tuple[float, ...]
    first_names: dict[str, tuple[tuple[str, str, str], ...]]  # background -> (name, gender, generation)
    last_names: dict[str, tuple[str, ...]]
    polish_last: tuple[tuple[str, str], ...]  # (male form, female form)
    other_names: tuple[tuple[str, str, str, str], ...]  # (first, last, gender, generation)
    backgrounds: tuple[tuple[str, float], ...]
    partner_names_m: tuple[str, ...]
    partner_names_f: tuple[str, ...]
    baby_names: tuple[str, ...]
    email_domains: tuple[tuple[str, float], ...]
    business_kinds: tuple[str, ...]
    house_suffixes: tuple[tuple[str, float], ...]


@cache
def people(data_dir: Path = DATA_DIR) -> PeopleData:
    top = read_file("people.toml", data_dir)
    teams = top.texts("teams")
    agents: list[tuple[str, str, str, str, str | None]] = []
    for row in top.tables("agent"):
        team = row.text("team", None) if row.has("team") else None
        if team is not None:
            known(row, "team", team, teams, "team")
        agents.append(
            (
                row.text("username"),
                row.text("first_name"),
                row.text("last_name"),
                row.text("role", choices=ROLES),
                team,
            )
        )
        row.done()
    usernames = {agent[0] for agent in agents}
    tendency_table = top.table("agent_tendency")
    tendency = {}
    for username in tendency_table.fields():
        known(tendency_table, username, username, usernames, "agent")
        tendency[username] = tendency_table.text(username, choices=STYLES)
    straight = top.texts("straight_to_business")
    for username in straight:
        known(top, "straight_to_business", username, usernames, "agent")
    cities, weights = [], []
    for row in top.tables("city"):
        postcodes = row.raw("postcodes", None)
        if not (
            isinstance(postcodes, list) and len(postcodes) == 2 and all(type(p) is int for p in postcodes)
        ):
            raise row.error("postcodes", "expected [lowest, highest] four-digit postcode numbers")
        cities.append(City(row.text("name"), postcodes[0], postcodes[1], row.text("area_code")))
        weights.append(row.number("weight"))
        row.done()
    names = top.table("names")
    first: dict[str, tuple[tuple[str, str, str], ...]] = {}
    last: dict[str, tuple[str, ...]] = {}
    polish_last: tuple[tuple[str, str], ...] = ()
    backgrounds_table = top.table("backgrounds")
    backgrounds = tuple((name, backgrounds_table.number(name)) for name in backgrounds_table.fields())
    for background, _weight in backgrounds:
        if background == "other":
            continue
        group = names.table(background)
        if background == "polish":
            polish_last = _name_pairs(group)
        else:
            last[background] = group.texts("last")
        rows = []
        for part in group.tables("first", []):
            gender, generation = (
                part.text("gender", choices=GENDERS),
                part.text("generation", choices=GENERATIONS),
            )
            rows += [(name, gender, generation) for name in part.text("names").split()]
            part.done()
        first[background] = tuple(rows)
        group.done()
    other = []
    for row in names.tables("other"):
        other.append(
            (
                row.text("first"),
                row.text("last"),
                row.text("gender", choices=GENDERS),
                row.text("generation", choices=GENERATIONS),
            )
        )
        row.done()
    result = PeopleData(
        teams=teams,
        agents=tuple(agents),
        agent_tendency=tendency,
        straight_to_business=frozenset(straight),
        cities=tuple(cities),
        city_weights=tuple(weights),
        first_names=first,
        last_names=last,
        polish_last=polish_last,
        other_names=tuple(other),
        backgrounds=backgrounds,
        partner_names_m=top.texts("partner_names_m"),
        partner_names_f=top.texts("partner_names_f"),
        baby_names=top.texts("baby_names"),
        email_domains=top.pairs("email_domains"),
        business_kinds=top.texts("business_kinds"),
        house_suffixes=top.pairs("house_suffixes"),
    )
    for table in (tendency_table, backgrounds_table, names, top):
        table.done()
    return result


def _name_pairs(group: Table) -> tuple[tuple[str, str], ...]:
    value = group.raw("last", None)
    if not isinstance(value, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(name, str) for name in pair)
        for pair in value
    ):
        raise group.error("last", "expected a list of [male form, female form] pairs")
    return tuple((pair[0], pair[1]) for pair in value)


# --- scripts/*.toml and turns.toml -------------------------------------------------------------------------


@cache
def shared_turns(data_dir: Path = DATA_DIR) -> dict[str, Turn]:
    top = read_file("turns.toml", data_dir)
    return {name: _turn(top.table(name)) for name in top.fields()}


def _turn(row: Table, shared: dict[str, Turn] | None = None) -> Turn:
    if shared is not None and row.has("use"):
        name = known(row, "use", row.text("use"), shared, "shared turn (turns.toml)")
        row.done()
        return shared[name]
    speakers = [who for who in (CUSTOMER, AGENT) if row.has(who)]
    if len(speakers) != 1:
        raise row.error(
            "", f"a turn has exactly one of {CUSTOMER} = ..., {AGENT} = ...{' or use = ...' * bool(shared)}"
        )
    author = speakers[0]
    variants = row.texts(author, one_allowed=True)
    check_slots(row, author, variants, SLOT_NAMES)
    hold = row.number("hold_s", 0.0)
    if hold < 0:
        raise row.error("hold_s", "must not be negative")
    turn = Turn(author, variants, interrupt=row.flag("interrupt", False), hold_s=hold)
    row.done()
    return turn


def _remember(row: Table) -> Remember:
    kind = row.text("kind", choices=REMEMBER_KINDS)
    text = row.text("text")
    check_slots(row, "text", [text], SLOT_NAMES)
    if kind == "promise":
        due_slot = row.text("due_slot", choices=DATE_SLOTS)
        due_hour = row.whole("due_hour", 12)
        if not 0 <= due_hour <= 23:
            raise row.error("due_hour", "must be an hour from 0 to 23")
        remember = Remember(kind, text, due_slot=due_slot, due_hour=due_hour)
    else:
        remember = Remember(kind, text)
    row.done()
    return remember


def _script(row: Table, reasons: frozenset[str], shared: dict[str, Turn]) -> Script:
    key = row.text("key")
    row.named(key)
    fields = {
        "subjects": row.texts("subject", one_allowed=True),
        "summaries": row.texts("summary", one_allowed=True),
        "notes": row.texts("note", (), one_allowed=True),
    }
    for field, texts in zip(("subject", "summary", "note"), fields.values(), strict=True):
        check_slots(row, field, texts, SLOT_NAMES)
    step = row.whole("step", 0)
    if step < 0:
        raise row.error("step", "must be 0 (not in a chain) or the position in the chain, from 1")
    script = Script(
        key=key,
        scenario=row.text("scenario"),
        channel=row.text("channel", choices=CHANNELS),
        reason=known(row, "reason", row.text("reason"), reasons, "contact reason (organisation.toml)"),
        register=row.text("register", choices=REGISTERS),
        turns=tuple(_turn(turn, shared) for turn in row.tables("turn")),
        remember=tuple(_remember(item) for item in row.tables("remember", [])),
        style=row.text("style", "good", choices=STYLES),
        step=step,
        life_event=row.flag("life_event", False),
        gender=row.text("gender", "", choices=("", *GENDERS)),
        **fields,
    )
    if not script.turns:
        raise row.error("turn", "a script needs at least one turn")
    row.done()
    return script


@cache
def scripts(data_dir: Path = DATA_DIR) -> tuple[Script, ...]:
    """Every conversation script, in file order (the generator's choices depend on it)."""
    reasons = organisation(data_dir).reason_codes
    shared = shared_turns(data_dir)
    found: list[Script] = []
    where: dict[str, str] = {}
    for name in SCRIPT_FILES:
        top = read_file(name, data_dir)
        for row in top.tables("script"):
            script = _script(row, reasons, shared)
            if script.key in where:
                raise row.error("key", f"script key {script.key!r} is already used in {where[script.key]}")
            where[script.key] = name
            found.append(script)
        top.done()
    scenarios = {script.scenario for script in found}
    everyday = organisation(data_dir).everyday_weights
    for scenario in (*everyday, *organisation(data_dir).unknown_caller_scenarios):
        if scenario not in scenarios:
            raise DemoDataError(
                "organisation.toml", "everyday_weights", f"no script plays scenario {scenario!r}"
            )
    return tuple(found)


# --- knowledge.toml ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticlePlan:
    title: str
    body: str
    text_u: str
    text_je: str
    tags: tuple[str, ...]
    reasons: tuple[str, ...]
    owner: str
    reviewed_days_ago: int
    archived: bool = False


@dataclass(frozen=True)
class Helped:
    """Closed demo contacts of `reason` get `yes` "heeft geholpen" marks, then `no` others, for an article."""

    article: str
    reason: str
    yes: int
    no: int


@dataclass(frozen=True)
class Knowledge:
    articles: tuple[ArticlePlan, ...]
    helped: tuple[Helped, ...]


def _codes(row: Table, field: str, allowed: frozenset[str], what: str) -> tuple[str, ...]:
    values = row.texts(field, ())
    for value in values:
        known(row, field, value, allowed, what)
    return values


@cache
def knowledge(data_dir: Path = DATA_DIR) -> Knowledge:
    top = read_file("knowledge.toml", data_dir)
    reasons = organisation(data_dir).reason_codes
    usernames = {agent[0] for agent in people(data_dir).agents}
    articles = []
    for row in top.tables("article"):
        row.named(row.text("title"))
        days = row.whole("reviewed_days_ago")
        if days < 0:
            raise row.error("reviewed_days_ago", "must not be negative")
        articles.append(
            ArticlePlan(
                title=row.text("title"),
                body=row.text("body"),
                text_u=row.text("text_u", ""),
                text_je=row.text("text_je", ""),
                tags=row.texts("tags", ()),
                reasons=_codes(row, "reasons", reasons, "contact reason"),
                owner=known(row, "owner", row.text("owner"), usernames, "agent (people.toml)"),
                reviewed_days_ago=days,
                archived=row.flag("archived", False),
            )
        )
        row.done()
    titles = [article.title for article in articles]
    if len(set(titles)) != len(titles):
        raise DemoDataError("knowledge.toml", "article", "two articles have the same title")
    helped = []
    for row in top.tables("helped", []):
        helped.append(
            Helped(
                article=known(row, "article", row.text("article"), titles, "article"),
                reason=known(row, "reason", row.text("reason"), reasons, "contact reason"),
                yes=row.whole("yes"),
                no=row.whole("no"),
            )
        )
        row.done()
    top.done()
    return Knowledge(tuple(articles), tuple(helped))


# --- replies.toml ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoMacro:
    title: str
    body_u: str
    body_je: str
    reasons: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Replies:
    shared: tuple[DemoMacro, ...]
    personal: dict[str, tuple[DemoMacro, ...]]  # username -> their own, in file order


def _macro(row: Table, reasons: frozenset[str]) -> DemoMacro:
    row.named(row.text("title"))
    macro = DemoMacro(
        title=row.text("title"),
        body_u=row.text("body_u", ""),
        body_je=row.text("body_je", ""),
        reasons=_codes(row, "reasons", reasons, "contact reason"),
        tags=row.texts("tags", ()),
    )
    if not (macro.body_u or macro.body_je):
        raise row.error("body_u", "a reply needs a body_u or a body_je")
    return macro


@cache
def replies(data_dir: Path = DATA_DIR) -> Replies:
    top = read_file("replies.toml", data_dir)
    reasons = organisation(data_dir).reason_codes
    usernames = {agent[0] for agent in people(data_dir).agents}
    shared = []
    for row in top.tables("shared"):
        shared.append(_macro(row, reasons))
        row.done()
    personal: dict[str, list[DemoMacro]] = {}
    for row in top.tables("personal", []):
        owner = known(row, "owner", row.text("owner"), usernames, "agent (people.toml)")
        personal.setdefault(owner, []).append(_macro(row, reasons))
        row.done()
    top.done()
    return Replies(tuple(shared), {owner: tuple(macros) for owner, macros in personal.items()})


def load_all(data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Read and validate every data file; returns how many items each kind holds."""
    return {
        "scripts": len(scripts(data_dir)),
        "articles": len(knowledge(data_dir).articles),
        "replies": len(replies(data_dir).shared) + sum(map(len, replies(data_dir).personal.values())),
        "agents": len(people(data_dir).agents),
        "reasons": len(organisation(data_dir).reasons),
    }


def data_files(data_dir: Path = DATA_DIR) -> list[str]:
    """Every data file in the directory, relative to it (a file no loader reads is a mistake too)."""
    return sorted(path.relative_to(data_dir).as_posix() for path in data_dir.rglob("*.toml"))
