"""Write the demo organisation to the database. Idempotent: a second run changes nothing.

Customers, identities and details go through the services (so the demo proves normalisation and
the identity constraint). Contacts and messages are bulk-inserted: going through `contact_open` per
message would make `make demo` take minutes for ~20,000 messages. Recognition still runs on the
channel identity exactly as for a live contact. The messages are then analysed in batches, as
`gezien analysis reanalyse --missing` would (a run after an interrupted one fills in what is missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gezien.accounts.models import Team, User
from gezien.accounts.services import agent_create, team_ensure
from gezien.coaching.services import reads_backfill
from gezien.contacts.analysing import analyser, messages_reanalyse
from gezien.contacts.models import (
    Contact,
    ContactEvent,
    ContactReason,
    Matter,
    Message,
    MessageSignals,
    Recognition,
    Status,
)
from gezien.contacts.outbox import outbox_waiting_contacts
from gezien.customers.identities import normalise
from gezien.customers.models import Customer
from gezien.customers.selectors import identity_owners
from gezien.customers.services import customer_create, detail_add
from gezien.demo.chat import load_chat_demo
from gezien.demo.generator import build_plan
from gezien.demo.insights import insights_demo_missing, load_insights_demo
from gezien.demo.knowledge import load_knowledge
from gezien.demo.mail import load_mail_demo
from gezien.demo.plan import ContactPlan, OrgPlan
from gezien.demo.recordings import load_recordings_demo, recordings_demo_count
from gezien.demo.replies import load_demo_macros
from gezien.demo.routing import routing_demo_load
from gezien.demo.workforce import load_workforce_demo
from gezien.insights.facts import facts_refresh
from gezien.insights.rollups import insights_catch_up
from gezien.insights.rootcause.models import Problem
from gezien.insights.surveys.models import SurveyResponse

DEMO_LOGINS = ("agent", "teamlead", "manager", "admin", "logistiek")


@dataclass
class LoadReport:
    created: bool
    password: str
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        head = (
            "Demo-organisatie geladen."
            if self.created
            else "Demo-organisatie was al geladen; niets gewijzigd."
        )
        lines = [head]
        lines += [f"  {name}: {count}" for name, count in self.counts.items()]
        lines.append("Inloggen (gebruiker / wachtwoord):")
        lines += [f"  {login:9} / {self.password}" for login in DEMO_LOGINS]
        return "\n".join(lines)


def _external_id(index: int, contact: ContactPlan) -> str:
    return contact.external_id or f"demo-{index:05d}"


def _counts() -> dict[str, int]:
    return {
        "teams": Team.objects.count(),
        "medewerkers": User.objects.count(),
        "klanten": Customer.objects.count(),
        "contacten": Contact.objects.count(),
        "berichten": Message.objects.count(),
        "geanalyseerd": MessageSignals.objects.count(),
        "kwesties": Matter.objects.count(),
        "signalen": Problem.objects.count(),
        "enquêteantwoorden": SurveyResponse.objects.count(),
        "gespreksopnames": recordings_demo_count(),
    }


def _already_loaded(plan: OrgPlan) -> bool:
    """The demo's first customer number is fixed by the seed: if it exists, the demo is there."""
    first = plan.customers[0]
    number = next(i.value for i in first.identities if i.kind == "customer_number")
    return Customer.objects.filter(customer_number=normalise("customer_number", number).value).exists()


def load_demo(*, password: str, plan: OrgPlan | None = None) -> LoadReport:
    """Load the demo organisation as it stands at the desk's clock (`timezone.now()`): its history leads
    up to that moment, and the floor, the queue and the live calls are those of that hour and day."""
    if plan is None:
        plan = build_plan(now=timezone.now().replace(second=0, microsecond=0))
    if _already_loaded(plan):
        _analyse()  # nothing to do unless an earlier load was cut short
        if insights_demo_missing():
            load_insights_demo()
        if load_mail_demo(plan):  # a demo loaded before the mailbox existed gets it now
            _analyse()
        if load_chat_demo():  # likewise the chat widget and its waiting chats
            _analyse()
        load_recordings_demo()  # and the recorded calls
        reads_backfill()  # a demo loaded before coaching existed gets its habit reads now
        return LoadReport(created=False, password=password, counts=_counts())
    with transaction.atomic():
        _load(plan, password)
    _analyse()  # the insights demo reads the signals
    load_insights_demo()
    load_workforce_demo()
    load_mail_demo(plan)  # the mailbox, and a few mails through the real intake
    load_chat_demo()  # the website's chat widget, and a few chats waiting in the queue
    load_recordings_demo()  # a few recorded calls (synthetic voices) with their analysis
    # Last: the live contacts the workforce demo opens are analysed after their commit, on the queue
    # where one is configured; the demo does not wait for a worker.
    _analyse()
    _figures_current()
    reads_backfill()  # the habit reads of the closed contacts (rules only), for the coaching queue
    return LoadReport(created=True, password=password, counts=_counts())


def _figures_current() -> None:
    """The figures of the contacts the last steps opened or changed through the desk's own services (the
    mail intake, the chats, the floor's calls), as the outbox's drain would write them. Where nothing
    drains it beside the load (PostgreSQL: `gezien worker` does, later) those contacts had no figures
    yet, and today's headline count was short of the raw contacts (issue 20). The worker's drain
    later writes the same again. Their wellbeing loads are left to the drain: written here they set off
    the load protection for the people the floor shows on a call (tests/test_demo_loader.py)."""
    waiting = outbox_waiting_contacts()
    facts_refresh(waiting)
    insights_catch_up()


def _analyse() -> int:
    """Signals for the demo's messages, by the rules alone: ~10,000 messages in seconds (the learned
    layer would take minutes; `gezien analysis reanalyse` brings it in later where it is installed)."""
    return messages_reanalyse(scope="missing", using=analyser("off"))


def _load(plan: OrgPlan, password: str) -> None:
    teams = {t.name: team_ensure(name=t.name) for t in plan.teams}
    users: dict[str, User] = {}
    hashed = make_password(password)  # one slow hash for all demo users, not eighteen
    for agent in plan.agents:
        existing = User.objects.filter(username=agent.username).first()
        if existing is None:
            existing = agent_create(
                username=agent.username,
                password=None,
                role=agent.role,
                first_name=agent.first_name,
                last_name=agent.last_name,
                team=teams.get(agent.team) if agent.team else None,
            )
            existing.password = hashed
            existing.save(update_fields=["password"])
        users[agent.username] = existing
    reasons: dict[str, ContactReason] = {}
    for reason in plan.reasons:  # parents come before children in the plan
        reasons[reason.code], _ = ContactReason.objects.get_or_create(
            code=reason.code, defaults={"name": reason.name, "parent": reasons.get(reason.parent or "")}
        )
    customers: dict[str, Customer] = {}
    for person in plan.customers:
        customers[person.key] = customer_create(
            first_name=person.first_name,
            last_name=person.last_name,
            identities=[(i.kind, i.value) for i in person.identities],
        )
        for detail in person.details:
            saved = detail_add(
                customer=customers[person.key],
                kind=detail.kind,
                text=detail.text,
                register=detail.register,
                due_at=detail.due_date,
                actor=users.get(detail.created_by),
                at=detail.created_at,
            )
            if detail.done and detail.due_date is not None:
                saved.done_at = detail.due_date
                saved.save(update_fields=["done_at"])
    _load_contacts(plan, users, teams, reasons)
    load_knowledge(users=users, reasons=reasons)  # the kennisbank, a few articles marked as helped
    routing_demo_load(users)  # skills; the waiting contacts routed by their needs
    load_demo_macros(users)  # standaardantwoorden: shared (u and je) and a few agents' own


def _load_contacts(
    plan: OrgPlan, users: dict[str, User], teams: dict[str, Team], reasons: dict[str, ContactReason]
) -> None:
    identities = [normalise(item.identity.kind, item.identity.value) for item in plan.contacts]
    # Recognition as for a live contact, but one query for all of them instead of one per contact.
    owner = {key: customer.pk for key, customer in identity_owners(identities).items()}
    contacts: list[Contact] = []
    for index, (item, identity) in enumerate(zip(plan.contacts, identities, strict=True)):
        customer_id = owner.get((identity.kind, identity.value))
        waiting = item.status in (Status.OPEN, Status.WAITING_US)
        last_at: datetime = item.messages[-1].at if item.messages else item.opened_at
        contacts.append(
            Contact(
                customer_id=customer_id,
                channel=item.channel,
                status=item.status,
                recognition=Recognition.RECOGNISED if customer_id else Recognition.UNIDENTIFIED,
                identity_kind=identity.kind,
                identity_value=identity.value,
                identity_raw=item.identity.value,
                subject=item.subject[:300],
                summary=item.summary[:300],
                reason=reasons.get(item.reason),
                assigned_agent=users.get(item.agent) if item.agent else None,
                team=teams.get(item.team) if item.team else None,
                external_id=_external_id(index, item),
                opened_at=item.opened_at,
                waiting_since=(item.opened_at if item.status == Status.OPEN else last_at)
                if waiting
                else None,
                closed_at=item.closed_at,
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=500)
    saved = dict(
        Contact.objects.filter(external_id__in=[c.external_id for c in contacts]).values_list(
            "external_id", "pk"
        )
    )
    messages: list[Message] = []
    events: list[ContactEvent] = []
    for contact, item in zip(contacts, plan.contacts, strict=True):
        pk = saved[contact.external_id]
        for message in item.messages:
            messages.append(
                Message(
                    contact_id=pk,
                    author=message.author,
                    kind=message.kind,
                    agent=users.get(message.agent) if message.agent else None,
                    text=message.text,
                    start_s=message.start_s,
                    end_s=message.end_s,
                    sent_at=message.at,
                )
            )
        if item.closed_at is not None:
            events.append(
                ContactEvent(
                    contact_id=pk,
                    kind=ContactEvent.Kind.STATUS,
                    at=item.closed_at,
                    actor=users.get(item.agent) if item.agent else None,
                    data={"previous": "open", "status": "closed"},
                )
            )
    Message.objects.bulk_create(messages, batch_size=1000)
    ContactEvent.objects.bulk_create(events, batch_size=1000)
