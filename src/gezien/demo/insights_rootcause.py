"""The root-cause board in the demo: departments that own the contact reasons (with owners who log in
with the demo password), the problem the late-delivery wave created (its contacts linked, a few "ik
zie dit ook", still "nieuw" so the logistics owner can answer it), and the Fairphone 6 stock problem,
solved with the stock department's answer. Idempotent.

Expects the demo organisation (`demo.loader.load_demo`): its reasons, the user `agent` (whose password
hash the owners share, so they log in with the same demo password), the `teamlead`, and the two waves
(`scenarios_waves`: stock in week -6, logistics in week -3).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from gezien.accounts.models import Department, Role, User
from gezien.accounts.services import agent_create
from gezien.contacts.models import Contact, ContactReason
from gezien.insights.facts import facts_refresh
from gezien.insights.rootcause.detection import spikes_detect
from gezien.insights.rootcause.models import Problem, ProblemStatus
from gezien.insights.rootcause.services import (
    problem_answer,
    problem_create,
    problem_link_contacts,
    problem_seen_too,
)

# department code, name, owner username, owner's first and last name, the top reasons it owns
DEPARTMENTS = (
    ("logistiek", "Logistiek", "logistiek", "Karin", "Verbeek", ("levering",)),
    ("voorraad", "Voorraad", "voorraad", "Youssef", "El Amrani", ("voorraad",)),
    ("facturatie", "Facturatie", "facturatie", "Ingrid", "Mulder", ("factuur",)),
    ("it", "IT", "it", "Daan", "Hoekstra", ("storing",)),
    ("product", "Product", "product", "Lotte", "Brouwer", ("product",)),
)

LOGISTICS_TITLE = "Pakketten vast bij vervoerder en magazijn Tilburg"
STOCK_TITLE = "Fairphone 6 uitverkocht terwijl de website 'op voorraad' toonde"
SEEN_TOO = (
    "Klant zegt: track & trace staat al vijf dagen op 'in sorteercentrum Tilburg'.",
    "Derde klant vandaag die zegt dat de bezorger 'niet thuis' meldde terwijl ze gewoon thuis was.",
    "Klant heeft twee pakketten besteld, allebei vast in Tilburg. Wil weten of ze moet annuleren.",
)


def _wave_monday(now: datetime, weeks_ago: int) -> datetime:
    day = timezone.localtime(now).date() - timedelta(days=7 * weeks_ago)
    monday = day - timedelta(days=day.weekday())
    return timezone.make_aware(datetime(monday.year, monday.month, monday.day))


def _owners(password_hash: str) -> dict[str, User]:
    owners = {}
    for _code, _name, username, first, last, _reasons in DEPARTMENTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = agent_create(
                username=username, password=None, role=Role.DEPARTMENT, first_name=first, last_name=last
            )
            user.password = password_hash
            user.save(update_fields=["password"])
        owners[username] = user
    return owners


def _departments(owners: dict[str, User]) -> dict[str, Department]:
    found = {}
    for code, name, username, _first, _last, reasons in DEPARTMENTS:
        department, _created = Department.objects.get_or_create(code=code, defaults={"name": name})
        department.owners.add(owners[username])
        ContactReason.objects.filter(code__in=reasons, department__isnull=True).update(department=department)
        found[code] = department
    return found


def _wave_contacts(reason_code: str, start: datetime, days: int) -> list[Contact]:
    return list(
        Contact.objects.filter(
            reason__code=reason_code, opened_at__gte=start, opened_at__lt=start + timedelta(days=days)
        ).order_by("opened_at")
    )


def _logistics(now: datetime, teamlead: User | None, agents: list[User]) -> Problem | None:
    reason = ContactReason.objects.filter(code="levering_vertraagd").first()
    contacts = _wave_contacts("levering_vertraagd", _wave_monday(now, 3), 9)
    if reason is None or not contacts:
        return None
    problem = problem_create(
        title=LOGISTICS_TITLE,
        description=(
            "Sinds maandag bellen en mailen veel klanten over pakketten die niet aankomen. Track & trace "
            "blijft hangen op het sorteercentrum in Tilburg; de vervoerder en ons magazijn wijzen naar "
            "elkaar. Klanten krijgen van ons steeds een nieuwe verwachte datum die niet uitkomt."
        ),
        reasons=[reason],
        actor=teamlead,
        at=contacts[min(len(contacts) - 1, 10)].opened_at,
    )
    problem_link_contacts(problem=problem, contacts=contacts, actor=teamlead, at=problem.created_at)
    voices: list[User | None] = [*agents] or [teamlead]
    for contact, note, who in zip(contacts[12::15], SEEN_TOO, voices * 3, strict=False):
        problem_seen_too(problem=problem, contact=contact, note=note, actor=who)
    _attach_spike(problem, reason, _wave_monday(now, 3) + timedelta(days=2, hours=18))
    return problem


def _attach_spike(problem: Problem, reason: ContactReason, at: datetime) -> None:
    """Run spike detection as it would have run in the middle of the wave; tie its spike to the problem."""

    # The loader bulk-inserts contacts without facts; the detection reads facts, so build those it needs.
    span = Contact.objects.filter(opened_at__gte=at - timedelta(weeks=6), opened_at__lt=at)
    facts_refresh(span.filter(reason__isnull=False).values_list("pk", flat=True), now=at)
    for spike in spikes_detect(at):
        if spike.reason_id == reason.pk and spike.problem_id is None:
            spike.problem = problem
            spike.save(update_fields=["problem"])
            problem.spike = spike
            problem.save(update_fields=["spike"])


def _stock(now: datetime, owner: User, teamlead: User | None) -> Problem | None:
    reason = ContactReason.objects.filter(code="voorraad_niet_leverbaar").first()
    monday = _wave_monday(now, 6)
    contacts = _wave_contacts("voorraad_niet_leverbaar", monday, 9)
    if reason is None or not contacts:
        return None
    problem = problem_create(
        title=STOCK_TITLE,
        description=(
            "De Fairphone 6 is veel vaker besteld dan verwacht. De website bleef 'op voorraad, morgen in "
            "huis' tonen, dus klanten bestelden en belden daarna waarom er niets kwam."
        ),
        reasons=[reason],
        actor=teamlead,
        at=contacts[min(len(contacts) - 1, 5)].opened_at,
    )
    problem_link_contacts(problem=problem, contacts=contacts, actor=teamlead, at=problem.created_at)
    problem_answer(
        problem=problem,
        actor=owner,
        status=ProblemStatus.ACKNOWLEDGED,
        text="Klopt: de voorraadkoppeling met de website liep een dag achter. Nieuwe levering is besteld.",
        at=problem.created_at + timedelta(days=1),
    )
    problem_answer(
        problem=problem,
        actor=owner,
        status=ProblemStatus.SOLVED,
        text=(
            "Nieuwe voorraad is binnen en alle openstaande bestellingen zijn verstuurd. De website leest "
            "de voorraad nu elk kwartier in plaats van één keer per nacht."
        ),
        at=monday + timedelta(days=17),
    )
    return problem


@transaction.atomic
def load_rootcause_demo(now: datetime | None = None) -> dict[str, int]:
    """Departments with owners, reasons owned, and the two wave problems. Returns what it made."""
    now = now or timezone.now()
    agent = User.objects.filter(username="agent").first()
    password_hash = agent.password if agent is not None else "!"
    owners = _owners(password_hash)
    departments = _departments(owners)
    teamlead = User.objects.filter(username="teamlead").first()
    agents = list(
        User.objects.filter(groups__name=Role.AGENT).exclude(username="agent").order_by("username")[:3]
    )
    made = 0
    if not Problem.objects.filter(title=LOGISTICS_TITLE).exists():
        made += _logistics(now, teamlead, agents) is not None
    if not Problem.objects.filter(title=STOCK_TITLE).exists():
        made += _stock(now, owners["voorraad"], teamlead) is not None
    return {"departments": len(departments), "owners": len(owners), "problems": made}
