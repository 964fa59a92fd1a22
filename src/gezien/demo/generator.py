"""Deterministic generator of the demo organisation "Voorbeeld Telecom" (pure Python, no Django).

`build_plan(seed, now)` returns an `OrgPlan`: teams, agents, the contact-reason tree, 300 customers
with channel identities and remembered details, and about 2,000 contacts over the ten weeks before
`now`. The contacts are rendered from the hand-written scripts in `scenarios_*`: everyday questions,
a stock wave (week -6) and a logistics wave (week -3), repeat chains about the same late delivery or
broken modem, a widow cancelling her late husband's subscription, rude callers, informal Saturday
chats, formal complaint letters, and a queue of open work in the last two days.

Same seed and same `now` give an identical plan: all randomness comes from one `random.Random(seed)`
and nothing iterates over a set.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from gezien.demo import people
from gezien.demo.clock import MONTHS, normalise_now
from gezien.demo.plan import CustomerPlan, DetailPlan, OrgPlan, ReasonPlan, TeamPlan
from gezien.demo.population import Agents, DemoCustomer, Uniques, build_customers
from gezien.demo.rendering import Renderer
from gezien.demo.timeline import SCRIPTS, WINDOW_DAYS, Planner

__all__ = ["ORG_NAME", "REASONS", "SCRIPTS", "SHOWCASE", "build_plan"]

ORG_NAME = "Voorbeeld Telecom"
N_CUSTOMERS = 300

SHOWCASE: dict[str, str] = {
    "widow": "c0001",  # mevrouw Johanna Jansen: late husband Henk, badly handled cancellation, queue callback
    "fifth_contact": "c0002",  # Samira Aarab: fifth contact about the same late delivery, open chat now
    "rude_caller": "c0003",  # Ronald Kramer: abusive calls, warning script, a call ended by the agent
    "saturday_chatter": "c0004",  # Fleur Dijkstra: informal Saturday-morning chats with emoji
    "formal_complainer": "c0005",  # Gerard van der Heijden: formal complaint letters, "u"
    "callback_after_17": "c0006",  # Ayşe Kaya: works days, "Bel liever na 17:00", open promise
    "churn_risk": "c0007",  # Jeroen de Groot: repeated faults, "ik stap over", retention offer pending
    "hospital": "c0008",  # mevrouw Annie Verbeek: in hospital, technician visit moved
    "broken_modem": "c0009",  # Rajesh Ramcharan: fifth contact about the same broken modem
}

REASONS: tuple[ReasonPlan, ...] = (
    ReasonPlan("levering", "Levering"),
    ReasonPlan("levering_vertraagd", "Levering vertraagd", "levering"),
    ReasonPlan("levering_beschadigd", "Beschadigd of onvolledig geleverd", "levering"),
    ReasonPlan("levering_retour", "Retour en herroeping", "levering"),
    ReasonPlan("voorraad", "Voorraad"),
    ReasonPlan("voorraad_niet_leverbaar", "Tijdelijk niet leverbaar", "voorraad"),
    ReasonPlan("factuur", "Factuur en betaling"),
    ReasonPlan("factuur_dubbel_afgeschreven", "Dubbel afgeschreven", "factuur"),
    ReasonPlan("factuur_hoger", "Hogere factuur dan verwacht", "factuur"),
    ReasonPlan("factuur_betalingsregeling", "Betalingsregeling", "factuur"),
    ReasonPlan("storing", "Storing"),
    ReasonPlan("storing_internet", "Storing internet", "storing"),
    ReasonPlan("storing_tv", "Storing televisie", "storing"),
    ReasonPlan("storing_mobiel", "Storing mobiel en bellen", "storing"),
    ReasonPlan("product", "Product en toestel"),
    ReasonPlan("product_instellen", "Installeren en instellen", "product"),
    ReasonPlan("abonnement", "Abonnement"),
    ReasonPlan("abonnement_opzeggen", "Opzeggen", "abonnement"),
    ReasonPlan("abonnement_wijzigen", "Abonnement wijzigen", "abonnement"),
    ReasonPlan("abonnement_overzetten", "Tenaamstelling wijzigen", "abonnement"),
    ReasonPlan("verhuizing", "Verhuizing"),
    ReasonPlan("klacht", "Klacht"),
    ReasonPlan("klacht_bejegening", "Klacht over bejegening", "klacht"),
    ReasonPlan("compliment", "Compliment"),
    ReasonPlan("overig", "Overig"),
)


# --- remembered details that do not come from a script ------------------------------------------------------

EXTRA_PREFERENCES = (
    "Bel liever na 17:00",
    "Wil alles per e-mail bevestigd",
    "Liever geen telefonische aanbiedingen",
    "Slechthorend: rustig en duidelijk praten",
    "Bereikbaar op mobiel; de vaste lijn wordt zelden opgenomen",
    "Monteursafspraken alleen op woensdag of vrijdag",
    "Chat het liefst; bellen lukt overdag niet",
    "Wil vooraf gebeld worden voordat een monteur komt",
    "Geen post meer, alles digitaal",
    "Dochter regelt ingewikkelde zaken mee (machtiging aanwezig)",
    "Werkt in ploegendienst; 's ochtends niet bellen",
)
EXTRA_NOTES = (
    "Klant sinds 2009; altijd op tijd betaald",
    "Werkt thuis als zzp'er; afhankelijk van stabiel internet",
    "Heeft eerder dit jaar compensatie gekregen voor een storing",
    "Gebruikt een hoortoestel; ondertiteling op de tv-box staat aan",
    "Woont op een vakantiepark; matige dekking binnen",
    "Heeft een VT WiFi-punt op zolder voor de thuiswerkplek",
    "Zoon regelt de techniek; klant zelf niet handig met de computer",
    "Twee kinderen die online lessen volgen; stabiel internet is belangrijk",
    "Heeft een alarmsysteem dat via de vaste lijn belt",
)
EXTRA_LIFE_EVENTS = (  # (text, months from the moment it was recorded)
    ("Is net met pensioen", 0),
    ("Verhuist in {maand} naar Utrecht", 2),
    ("Studeert in Groningen; woont op kamers", 0),
    ("Heeft in {maand} een baby gekregen", -1),
    ("Begint binnenkort een eigen bedrijf aan huis", 0),
)


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
    planner = Planner(rng, now, customers, uniq, agents)
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
