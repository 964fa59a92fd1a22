"""The demo organisation generator: plain data, no database.

Builds the plan once for a fixed `now` and checks what the loader, the desk and the analysis rely on:
determinism, counts, unique identities after normalisation, coherent timelines, the seed scenarios.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import phonenumbers
import pytest

from gezien.demo.generator import REASONS, SCRIPTS, SHOWCASE, build_plan
from gezien.demo.plan import ContactPlan, CustomerPlan, IdentityPlan, OrgPlan
from gezien.demo.population import Agents, Uniques, build_customers
from gezien.demo.rendering import Renderer
from gezien.demo.scenarios import CHANNELS, SLOT_NAMES, all_texts, expand, slots_used
from gezien.demo.timeline import Episode, Planner

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2025, 11, 20, 14, 30, tzinfo=AMS)  # a Thursday afternoon
# Other moments the demo may be built at: a Monday morning right after the spring DST change, and a
# Sunday evening between Christmas and New Year.
OTHER_NOWS = (datetime(2026, 3, 30, 8, 5, tzinfo=AMS), datetime(2025, 12, 28, 21, 40, tzinfo=AMS))
DEMO_DIR = Path(__file__).resolve().parents[2] / "src" / "gezien" / "demo"
MY_MODULES = (
    "generator.py", "timeline.py", "stories.py", "rendering.py", "population.py", "clock.py", "people.py",
    "scenarios.py", "content.py", "schema.py",
)  # fmt: skip
REQUIRED_SCENARIOS = {
    "widow_cancel", "late_delivery_repeat", "rude_caller", "informal_saturday_chat",
    "formal_complaint_letter", "technical_fault_phone", "compliment", "stock_wave", "logistics_wave",
    "invoice_double_charge", "invoice_higher", "moving_house", "churn_cancel", "illness_hospital",
    "financial_hardship", "birth", "divorce", "callback_after_17", "agent_promise", "webform_question",
}  # fmt: skip
POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")


@pytest.fixture(scope="module", params=(NOW, *OTHER_NOWS), ids=("thursday", "monday-dst", "sunday-evening"))
def plan(request: pytest.FixtureRequest) -> OrgPlan:
    now: datetime = request.param
    return build_plan(seed=7, now=now)


# The plan the generator made before its content moved into data files (gezien/demo/data), as a
# fingerprint per moment: the demo shows the same situations, word for word. Changing the demo on purpose
# changes these; say why in the commit.
FINGERPRINTS = {
    NOW: "d9d18639126f4790",
    OTHER_NOWS[0]: "936902bd77e4d7bf",
    OTHER_NOWS[1]: "50b71e1ecd39043f",  # issue 20: nothing answered or closed after closing time
}


def _iso(value: object) -> str:
    assert isinstance(value, date | datetime)
    return value.isoformat()


def test_the_plan_is_the_one_the_code_made_before(plan: OrgPlan) -> None:
    dump = json.dumps(dataclasses.asdict(plan), default=_iso, ensure_ascii=False, sort_keys=True).encode()
    assert hashlib.sha256(dump).hexdigest()[:16] == FINGERPRINTS[plan.now]


# --- normalisation, mirroring gezien.customers.identities without importing Django -----------------------


def normalise(identity: IdentityPlan) -> str:
    value = identity.value.strip()
    if identity.kind == "phone":
        parsed = phonenumbers.parse(value, "NL")
        assert phonenumbers.is_valid_number(parsed), value
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if identity.kind == "email":
        return value.lower()
    if identity.kind == "customer_number":
        return value.upper().replace(" ", "")
    if identity.kind == "address":
        postcode, number, suffix = value.split("|")
        match = POSTCODE.match(postcode.strip())
        assert match, value
        return f"{match.group(1)}{match.group(2).upper()}|{int(number)}|{suffix.strip().upper()}"
    return value


def customer_identities(plan: OrgPlan) -> dict[tuple[str, str], str]:
    owner: dict[tuple[str, str], str] = {}
    for cust in plan.customers:
        for identity in cust.identities:
            owner[(identity.kind, normalise(identity))] = cust.key
    return owner


def contacts_of(plan: OrgPlan, key: str) -> list[ContactPlan]:
    return [c for c in plan.contacts if c.customer == key]


def customer(plan: OrgPlan, key: str) -> CustomerPlan:
    return next(c for c in plan.customers if c.key == key)


def text_of(contact: ContactPlan) -> str:
    return "\n".join(m.text for m in contact.messages)


# --- determinism and speed ----------------------------------------------------------------------------


def test_same_seed_and_now_give_an_identical_plan(plan: OrgPlan) -> None:
    assert build_plan(seed=7, now=plan.now) == plan
    other = build_plan(seed=8, now=plan.now)
    assert other.customers != plan.customers
    assert [c.opened_at for c in other.contacts] != [c.opened_at for c in plan.contacts]


def test_global_random_state_is_left_alone() -> None:
    random.seed(123)
    expected = random.random()
    random.seed(123)
    build_plan(seed=7, now=NOW)
    assert random.random() == expected


def test_default_now_is_aware_and_truncated_to_the_minute() -> None:
    plan = build_plan()
    assert plan.now.tzinfo is not None
    assert plan.now.utcoffset() == datetime.now(AMS).utcoffset()
    assert plan.now.second == 0 and plan.now.microsecond == 0
    assert abs(plan.now - datetime.now(AMS)) < timedelta(minutes=2)


def test_generator_modules_do_not_import_django() -> None:
    for name in MY_MODULES:
        tree = ast.parse((DEMO_DIR / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(alias.name.startswith("django") for alias in node.names), name
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("django"), name


# --- organisation -----------------------------------------------------------------------------------


def test_teams_agents_and_demo_logins(plan: OrgPlan) -> None:
    assert plan.name == "Voorbeeld Telecom"
    teams = [t.name for t in plan.teams]
    assert teams == ["Team Noord", "Team Zuid", "Team Zakelijk"]
    first = [(a.username, a.role) for a in plan.agents[:4]]
    assert first == [("agent", "agent"), ("teamlead", "teamlead"), ("manager", "manager"), ("admin", "admin")]
    assert plan.agents[0].team == "Team Noord"
    assert plan.agents[2].team is None and plan.agents[3].team is None
    assert 10 <= len(plan.agents) - 4 <= 16
    usernames = [a.username for a in plan.agents]
    assert len(set(usernames)) == len(usernames)
    assert "fatima.elamrani" in usernames
    for agent in plan.agents:
        assert agent.first_name and agent.last_name
        assert agent.team is None or agent.team in teams
        assert re.fullmatch(r"[a-z]+(\.[a-z]+)?", agent.username)
    for team in teams:
        assert any(a.team == team and a.role == "agent" for a in plan.agents)


def test_reason_tree(plan: OrgPlan) -> None:
    assert plan.reasons == list(REASONS)
    top = {r.code for r in plan.reasons if r.parent is None}
    assert top == {
        "levering", "voorraad", "factuur", "storing", "product", "abonnement", "verhuizing", "klacht",
        "compliment", "overig",
    }  # fmt: skip
    seen: set[str] = set()
    for reason in plan.reasons:
        assert re.fullmatch(r"[a-z_]+", reason.code)  # the loader stores codes in a SlugField
        assert reason.name[:1].isupper()
        assert reason.parent is None or reason.parent in seen  # parents come first
        seen.add(reason.code)
    children = {r.code: r.parent for r in plan.reasons if r.parent}
    for code, parent in {
        "factuur_dubbel_afgeschreven": "factuur",
        "storing_internet": "storing",
        "storing_tv": "storing",
        "abonnement_opzeggen": "abonnement",
        "levering_vertraagd": "levering",
        "levering_beschadigd": "levering",
    }.items():
        assert children[code] == parent


# --- customers and identities ---------------------------------------------------------------------------


def test_three_hundred_customers_with_the_identities_they_need(plan: OrgPlan) -> None:
    assert len(plan.customers) == 300
    keys = [c.key for c in plan.customers]
    assert len(set(keys)) == 300
    with_email = with_chat = 0
    for cust in plan.customers:
        kinds = Counter(i.kind for i in cust.identities)
        assert kinds["phone"] >= 1 and kinds["customer_number"] == 1 and kinds["address"] == 1
        number = next(i.value for i in cust.identities if i.kind == "customer_number")
        assert re.fullmatch(r"K[0-9]{6}", number)
        with_email += kinds["email"]
        with_chat += kinds["chat"]
        assert cust.first_name and cust.last_name
    assert with_email >= 220
    assert with_chat >= 90


def test_identities_are_unique_after_normalisation(plan: OrgPlan) -> None:
    seen: dict[tuple[str, str], str] = {}
    for cust in plan.customers:
        for identity in cust.identities:
            key = (identity.kind, normalise(identity))
            assert key not in seen, f"{key} of {cust.key} also belongs to {seen.get(key)}"
            seen[key] = cust.key
    postcodes = [
        normalise(i).split("|")[0] for c in plan.customers for i in c.identities if i.kind == "address"
    ]
    assert len(set(postcodes)) == len(postcodes)


def test_phone_numbers_are_valid_dutch_numbers_typed_in_many_ways(plan: OrgPlan) -> None:
    phones = [i.value for c in plan.customers for i in c.identities if i.kind == "phone"]
    kinds: Counter[int] = Counter()
    for value in phones:
        number = phonenumbers.parse(value, "NL")
        assert phonenumbers.is_valid_number(number), value
        assert phonenumbers.region_code_for_number(number) == "NL"
        kinds[phonenumbers.number_type(number)] += 1
    assert kinds[phonenumbers.PhoneNumberType.MOBILE] >= 200
    assert kinds[phonenumbers.PhoneNumberType.FIXED_LINE] >= 40
    assert any(v.startswith("06-") for v in phones)
    assert any(v.startswith("+31") for v in phones)
    assert any(re.match(r"^0[1-57-9][0-9]{1,2}-", v) for v in phones)  # landline with area code


def test_emails_and_addresses_are_typed_like_people_type(plan: OrgPlan) -> None:
    emails = [i.value for c in plan.customers for i in c.identities if i.kind == "email"]
    assert any(e != e.lower() for e in emails)  # "J.Jansen@Ziggo.nl"
    assert all(re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}", e) for e in emails)
    chats = [i.value for c in plan.customers for i in c.identities if i.kind == "chat"]
    assert all(v.startswith("portal-") for v in chats)
    addresses = [i.value for c in plan.customers for i in c.identities if i.kind == "address"]
    suffixes: Counter[str] = Counter()
    for value in addresses:
        postcode, number, suffix = value.split("|")
        match = POSTCODE.match(postcode)
        assert match, value
        assert match.group(2).upper() not in {"SA", "SD", "SS"}
        assert number.isdigit() and int(number) > 0
        suffixes[suffix] += 1
    assert suffixes[""] > 150 and len(suffixes) > 4


def test_names_reflect_dutch_society(plan: OrgPlan) -> None:
    last_names = {c.last_name for c in plan.customers}
    assert {"Jansen", "Aarab", "Kaya"} <= last_names
    assert len(last_names) > 120
    non_ascii = [c for c in plan.customers if not (c.first_name + c.last_name).isascii()]
    assert non_ascii  # Çelik, Öztürk, Ayşe ...


# --- contacts ---------------------------------------------------------------------------------------------


def test_contact_counts_and_channels(plan: OrgPlan) -> None:
    assert 1800 <= len(plan.contacts) <= 2300
    channels = Counter(c.channel for c in plan.contacts)
    assert set(channels) == set(CHANNELS)
    assert channels["phone"] > channels["chat"] > 0
    oldest = min(c.opened_at for c in plan.contacts)
    assert plan.now - timedelta(days=71) <= oldest <= plan.now - timedelta(days=63)
    opened = [c.opened_at for c in plan.contacts]
    assert opened == sorted(opened)


def test_contacts_refer_to_known_things(plan: OrgPlan) -> None:
    agents = {a.username for a in plan.agents}
    teams = {t.name for t in plan.teams}
    reasons = {r.code for r in plan.reasons}
    keys = {c.key for c in plan.customers}
    for contact in plan.contacts:
        assert contact.customer is None or contact.customer in keys
        assert contact.agent is None or contact.agent in agents
        assert contact.team is None or contact.team in teams
        assert contact.reason in reasons
        assert contact.channel in CHANNELS
        assert contact.subject
        for message in contact.messages:
            assert message.author in ("customer", "agent", "system")
            assert message.kind in ("message", "note", "transcript")
            assert (message.agent is not None) == (message.author == "agent")
            assert message.agent is None or message.agent in agents
            assert message.text.strip() == message.text and message.text
            assert not re.search(r"[\[\]{}]", message.text), message.text


def test_contact_identity_belongs_to_its_customer(plan: OrgPlan) -> None:
    owner = customer_identities(plan)
    for contact in plan.contacts:
        if contact.customer is None:
            continue
        assert owner[(contact.identity.kind, normalise(contact.identity))] == contact.customer
        if contact.channel == "chat":
            assert contact.identity.kind == "chat"
        if contact.channel == "email":
            assert contact.identity.kind == "email"


def test_about_three_percent_unidentified_and_nobody_we_know(plan: OrgPlan) -> None:
    owner = customer_identities(plan)
    unknown = [c for c in plan.contacts if c.customer is None]
    assert 0.02 <= len(unknown) / len(plan.contacts) <= 0.045
    assert {c.channel for c in unknown} >= {"phone", "email"}
    for contact in unknown:
        assert (contact.identity.kind, normalise(contact.identity)) not in owner


def test_email_contacts_have_unique_message_ids(plan: OrgPlan) -> None:
    ids = [c.external_id for c in plan.contacts if c.channel == "email"]
    assert all(i is not None and re.fullmatch(r"<[0-9a-f]+@[a-z0-9.\-]+>", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert all(c.external_id is None for c in plan.contacts if c.channel != "email")


def test_statuses_are_consistent(plan: OrgPlan) -> None:
    for contact in plan.contacts:
        assert contact.status in ("open", "waiting_customer", "waiting_us", "closed")
        assert (contact.status == "closed") == (contact.closed_at is not None)
        assert (contact.status == "closed") == bool(contact.summary)
        if contact.status in ("open", "waiting_us"):
            assert contact.agent is None
        else:
            assert contact.agent is not None
        if contact.status == "open":
            assert all(m.author != "agent" for m in contact.messages)
        if contact.summary:
            assert "\n" not in contact.summary and len(contact.summary) < 300


def test_message_times_lie_within_the_contact(plan: OrgPlan) -> None:
    for contact in plan.contacts:
        end = contact.closed_at or plan.now
        assert contact.messages
        if contact.messages[0].kind != "note":  # a call note is written when the call ends
            assert contact.messages[0].at == contact.opened_at
        assert contact.opened_at <= end <= plan.now
        previous = contact.opened_at
        for message in contact.messages:
            assert contact.opened_at <= message.at <= end
            assert message.at >= previous
            previous = message.at
        for moment in (contact.opened_at, contact.closed_at, *(m.at for m in contact.messages)):
            assert moment is None or moment.tzinfo == AMS


def test_phone_calls_have_a_transcript_or_a_note(plan: OrgPlan) -> None:
    transcripts = notes = interruptions = 0
    for contact in plan.contacts:
        if contact.channel != "phone":
            assert all(m.start_s is None and m.end_s is None for m in contact.messages)
            assert all(m.kind == "message" for m in contact.messages)
            continue
        kinds = {m.kind for m in contact.messages}
        if contact.status != "closed":  # a callback request with the voicemail
            assert kinds == {"message", "transcript"} and contact.messages[0].author == "system"
            continue
        if kinds == {"note"}:
            notes += 1
            assert len(contact.messages) == 1 and contact.messages[0].author == "agent"
            continue
        assert kinds == {"transcript"}
        transcripts += 1
        assert {m.author for m in contact.messages} == {"customer", "agent"}
        previous_start, previous_end = -1.0, 0.0
        for message in contact.messages:
            assert message.start_s is not None and message.end_s is not None
            assert message.end_s >= message.start_s > previous_start
            if message.start_s < previous_end:
                interruptions += 1
            assert abs((message.at - contact.opened_at).total_seconds() - message.start_s) < 1
            previous_start, previous_end = message.start_s, message.end_s
    assert transcripts > 300 and notes > 150
    assert interruptions > 50


def test_written_contacts_have_both_sides(plan: OrgPlan) -> None:
    for contact in plan.contacts:
        if contact.channel != "phone" and contact.status == "closed":
            assert {m.author for m in contact.messages} == {"customer", "agent"}


def test_opening_hours(plan: OrgPlan) -> None:
    for contact in plan.contacts:
        t = contact.opened_at
        if contact.channel not in ("phone", "chat") or contact.status != "closed":
            continue
        assert t.weekday() != 6, contact
        if t.weekday() == 5:
            assert 9 <= t.hour < 17, contact
        else:
            assert 8 <= t.hour < (21 if contact.channel == "phone" else 22), contact


# --- scenarios -------------------------------------------------------------------------------------------


def test_every_seed_scenario_is_present(plan: OrgPlan) -> None:
    present = Counter(c.scenario for c in plan.contacts)
    missing = REQUIRED_SCENARIOS - set(present)
    assert not missing
    assert present["widow_cancel"] >= 3
    assert present["rude_caller"] >= 4
    assert present["formal_complaint_letter"] >= 10
    assert present["technical_fault_phone"] >= 50


def test_many_distinct_conversations_per_common_scenario(plan: OrgPlan) -> None:
    by_scenario: dict[str, set[str]] = defaultdict(set)
    for contact in plan.contacts:
        if contact.status == "closed":
            by_scenario[contact.scenario].add(text_of(contact))
    counts = Counter(c.scenario for c in plan.contacts)
    for scenario, count in counts.items():
        if count >= 10:
            assert len(by_scenario[scenario]) >= 5, scenario


def test_the_script_library(plan: OrgPlan) -> None:
    keys = [s.key for s in SCRIPTS]
    assert len(set(keys)) == len(keys)
    assert len(keys) >= 60
    reasons = {r.code for r in plan.reasons}
    per_scenario = Counter(s.scenario for s in SCRIPTS)
    assert per_scenario["widow_cancel"] >= 3
    for s in SCRIPTS:
        assert s.channel in CHANNELS and s.register in ("u", "je") and s.reason in reasons
        assert s.turns and s.subjects and s.summaries
        assert s.style in ("good", "stiff", "loose", "blunt")
        for text in all_texts(s):
            assert slots_used(text) <= SLOT_NAMES, (s.key, slots_used(text) - SLOT_NAMES)
            assert text.count("[") == text.count("]"), (s.key, text)
        if s.channel == "phone" and s.scenario != "callback_request" and s.key != "widow_callback_voicemail":
            assert s.turns[0].author == "agent", s.key  # the agent picks up
        if s.channel != "phone":
            assert s.turns[0].author == "customer", s.key


def test_every_slot_can_be_filled() -> None:
    rng = random.Random(1)
    uniq = Uniques()
    customers = build_customers(rng, uniq, 30)
    agents = Agents()
    planner = Planner(rng, NOW, customers, uniq, agents)
    renderer = Renderer(planner)
    cust = next(c for c in customers if c.email and c.chat)
    for s in SCRIPTS:
        slots = renderer.slots(Episode(NOW - timedelta(days=3), s, s.channel, cust), agents.handlers[0])
        for name in SLOT_NAMES:
            assert slots[name], (s.key, name)
        for text in all_texts(s):
            expand(text, rng).format_map(slots)


def test_the_widow_calls(plan: OrgPlan) -> None:
    calls = [c for c in plan.contacts if c.scenario == "widow_cancel"]
    assert {c.channel for c in calls} == {"phone"}
    texts = [text_of(c) for c in calls if c.messages[0].kind == "transcript"]
    assert any(
        c.messages[2].text == "Wat is uw postcode en huisnummer?"
        for c in calls
        if c.messages[0].kind == "transcript"
    )
    assert sum("Gecondoleerd" in t or "gecondoleerd" in t for t in texts) >= 3
    assert any("Ik wil u graag helpen" in t and "pak ik" in t for t in texts)


def test_late_delivery_repeat_chains(plan: OrgPlan) -> None:
    chains: dict[str, list[ContactPlan]] = defaultdict(list)
    for contact in plan.contacts:
        if contact.scenario == "late_delivery_repeat":
            assert contact.customer is not None
            chains[contact.customer].append(contact)
    assert len(chains) >= 5
    for key, chain in chains.items():
        assert len(chain) >= 3, key
        times = [c.opened_at for c in chain]
        assert times == sorted(times) and len(set(times)) == len(times)
        assert timedelta(days=1.5 * (len(chain) - 1)) <= times[-1] - times[0] <= timedelta(days=17), key
        assert len({c.channel for c in chain}) >= 2, key
        orders = {m for c in chain for m in re.findall(r"VT[0-9]{7}", text_of(c))}
        assert len(orders) == 1, key  # the same order all along
        for step, contact in enumerate(chain, start=1):
            if contact.summary:
                assert contact.summary.startswith(f"{step}e contact"), contact.summary
    fifth = chains[SHOWCASE["fifth_contact"]]
    assert len(fifth) == 5
    assert fifth[-1].status == "open" and fifth[-1].channel == "chat"
    assert plan.now - fifth[-1].opened_at < timedelta(hours=1)
    assert "vijfde keer" in text_of(fifth[-1])
    assert any("klaar mee" in text_of(c) for c in plan.contacts if c.scenario == "late_delivery_repeat")


def test_waves_of_contacts(plan: OrgPlan) -> None:
    stock = [c for c in plan.contacts if c.scenario == "stock_wave"]
    logistics = [c for c in plan.contacts if c.scenario == "logistics_wave"]
    assert len(stock) >= 40 and len(logistics) >= 60
    assert all("Fairphone 6" in c.subject + text_of(c) for c in stock)
    assert sum("Tilburg" in text_of(c) for c in logistics) >= 30
    for wave, weeks_ago in ((stock, 6), (logistics, 3)):
        days = Counter((plan.now.date() - c.opened_at.date()).days // 7 for c in wave)
        assert days.most_common(1)[0][0] in (weeks_ago - 1, weeks_ago), days
        assert len({c.customer for c in wave}) >= 0.9 * len(wave)  # many customers, not a few
        peak_day = Counter(c.opened_at.date() for c in wave).most_common(1)[0][1]
        baseline = Counter(c.opened_at.date() for c in plan.contacts if c.scenario == "delivery_status")
        assert peak_day > 2 * max(baseline.values())


def test_informal_saturday_chats(plan: OrgPlan) -> None:
    chats = [c for c in plan.contacts if c.scenario == "informal_saturday_chat"]
    assert len(chats) >= 20
    for chat in chats:
        assert chat.channel == "chat"
        assert chat.opened_at.weekday() == 5 and 9 <= chat.opened_at.hour < 12
    emoji = [c for c in chats if re.search("[\U0001f300-\U0001faff\u2600-\u27bf]", text_of(c))]
    assert len(emoji) >= len(chats) / 2


def test_rude_callers_get_the_warning_script(plan: OrgPlan) -> None:
    calls = [c for c in plan.contacts if c.scenario == "rude_caller"]
    assert all(c.channel == "phone" for c in calls)
    transcripts = [text_of(c) for c in calls if c.messages[0].kind == "transcript"]
    assert transcripts and all("Zo gaan we niet met elkaar om" in t for t in transcripts)


def test_the_queue_has_work_on_every_channel(plan: OrgPlan) -> None:
    recent = [
        c for c in plan.contacts if c.status != "closed" and c.opened_at >= plan.now - timedelta(hours=48)
    ]
    assert 25 <= len(recent) <= 40
    assert {c.channel for c in recent} == set(CHANNELS)
    assert {c.status for c in recent} == {"open", "waiting_us", "waiting_customer"}
    older = [c for c in plan.contacts if c.opened_at < plan.now - timedelta(days=7)]
    assert all(c.status == "closed" for c in older)


def test_registers_follow_the_customer(plan: OrgPlan) -> None:
    register = {c.key: d.register for c in plan.customers for d in c.details if d.kind == "addressing"}
    assert set(register.values()) == {"u", "je"}
    for contact in plan.contacts:
        if contact.customer not in register:
            continue
        said = [m.text for m in contact.messages if m.author == "customer"]
        if register[contact.customer] == "je":
            assert not any("Geachte" in t for t in said), contact.subject
        else:
            assert not any(re.match(r"(?i)(hoi|hey|hallo)\b", t) for t in said), contact.subject


# --- details ------------------------------------------------------------------------------------------------


def test_remembered_details(plan: OrgPlan) -> None:
    agents = {a.username for a in plan.agents}
    with_details = [c for c in plan.customers if c.details]
    assert 0.25 <= len(with_details) / len(plan.customers) <= 0.6
    kinds = Counter(d.kind for c in plan.customers for d in c.details)
    assert set(kinds) == {"note", "preference", "addressing", "life_event", "promise"}
    overdue = done = 0
    for cust in plan.customers:
        for detail in cust.details:
            assert detail.created_by in agents
            assert detail.created_at <= plan.now and detail.created_at.tzinfo is not None
            assert (detail.register in ("u", "je")) == (detail.kind == "addressing")
            if detail.kind == "promise":
                assert detail.due_date is not None and detail.due_date > detail.created_at
                assert not detail.done or detail.due_date < plan.now
                overdue += detail.due_date < plan.now and not detail.done
                done += detail.done
            else:
                assert detail.due_date is None and not detail.done
    assert overdue >= 3 and done >= 10
    texts = {d.text for c in plan.customers for d in c.details}
    assert "Bel liever na 17:00" in texts


# --- the showcase ----------------------------------------------------------------------------------------


def test_showcase_customers(plan: OrgPlan) -> None:
    assert set(SHOWCASE.values()) <= {c.key for c in plan.customers}

    widow = customer(plan, SHOWCASE["widow"])
    assert (widow.first_name, widow.last_name) == ("Johanna", "Jansen")
    assert sum(i.kind == "phone" for i in widow.identities) == 1
    assert any(d.kind == "life_event" and "overleden" in d.text for d in widow.details)
    assert any(
        d.kind == "addressing" and d.text == "Mevrouw Jansen" and d.register == "u" for d in widow.details
    )
    history = contacts_of(plan, widow.key)
    assert [c.scenario for c in history][-3:] == ["widow_cancel", "widow_followup", "widow_followup"]
    assert "Wat is uw postcode en huisnummer?" in text_of(history[-3])
    assert history[-1].status == "open" and history[-1].channel == "phone"

    rude = contacts_of(plan, SHOWCASE["rude_caller"])
    assert sum(c.scenario == "rude_caller" for c in rude) >= 2

    saturday = contacts_of(plan, SHOWCASE["saturday_chatter"])
    assert sum(c.scenario == "informal_saturday_chat" for c in saturday) >= 3

    letters = contacts_of(plan, SHOWCASE["formal_complainer"])
    assert sum(c.scenario == "formal_complaint_letter" for c in letters) >= 2

    ayse = customer(plan, SHOWCASE["callback_after_17"])
    assert any(d.text == "Bel liever na 17:00" for d in ayse.details)
    assert any(
        d.kind == "promise" and d.due_date and d.due_date > plan.now and not d.done for d in ayse.details
    )

    churn = contacts_of(plan, SHOWCASE["churn_risk"])
    assert churn[-1].status == "waiting_customer" and churn[-1].scenario == "churn_cancel"

    hospital = customer(plan, SHOWCASE["hospital"])
    assert any(d.kind == "life_event" and "ziekenhuis" in d.text for d in hospital.details)

    modem = [c for c in contacts_of(plan, SHOWCASE["broken_modem"]) if c.scenario == "fault_repeat"]
    assert len(modem) == 5 and "vijf keer" in text_of(modem[-1])


def test_compliments_name_a_colleague(plan: OrgPlan) -> None:
    first_names = {a.first_name for a in plan.agents}
    compliments = [c for c in plan.contacts if c.scenario == "compliment"]
    assert compliments
    for contact in compliments:
        said = " ".join(m.text for m in contact.messages if m.author == "customer") + contact.summary
        assert any(re.search(rf"\b{name}\b", said) for name in first_names), said
