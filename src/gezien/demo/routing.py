"""Routing in the demo organisation: skills and experience for the demo's people, so that contacts about a
death, an angry or abusive customer or a third call about one matter have somewhere to go, and the
demo's queue shows what routing decided for the contacts waiting in it."""

from __future__ import annotations

from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.analysing import analyser, messages_analyse
from gezien.contacts.models import Contact, Message
from gezien.contacts.selectors import QUEUE_STATUSES
from gezien.core.calendar import default_calendar
from gezien.routing.models import RoutingProfile, Skill
from gezien.routing.services import agent_skills_set, contact_route

SENSITIVE, COMPLAINTS, TECHNICAL = "gevoelige_gesprekken", "klachten", "techniek"
# Seeded by a migration, but a database flushed since (as test runs do) no longer has them.
SKILLS = {SENSITIVE: "Gevoelige gesprekken", COMPLAINTS: "Klachten en boze klanten", TECHNICAL: "Techniek"}

# username -> (skills, experience). Every team has someone for sensitive conversations and someone
# experienced with complaints; the agents with a blunt or loose style are not the ones for them.
DEMO_SKILLS: dict[str, tuple[tuple[str, ...], str]] = {
    "agent": ((COMPLAINTS,), "medior"),
    "teamlead": ((SENSITIVE, COMPLAINTS), "senior"),
    "fatima.elamrani": ((SENSITIVE, COMPLAINTS), "senior"),
    "mark.vandijk": ((TECHNICAL,), "medior"),
    "daan.visser": ((TECHNICAL,), "junior"),
    "naomi.pinas": ((SENSITIVE,), "medior"),
    "bas.vermeulen": ((SENSITIVE, COMPLAINTS), "senior"),
    "emre.yilmaz": ((COMPLAINTS,), "senior"),
    "shanti.ramdin": ((SENSITIVE,), "senior"),
    "joyce.martina": ((SENSITIVE, COMPLAINTS), "medior"),
    "lotte.brouwer": ((TECHNICAL,), "junior"),
    "tim.hoekstra": ((TECHNICAL,), "medior"),
    "sevda.aksoy": ((SENSITIVE, COMPLAINTS), "senior"),
    "youssef.benali": ((COMPLAINTS, TECHNICAL), "senior"),
    "anouk.smit": ((SENSITIVE,), "medior"),
    "mehmet.demir": ((TECHNICAL,), "medior"),
}
# At the desk while the demo loads, so that routing has someone to give contacts to (up to her
# capacity; the rest keep a flag in the queue). Everyone else counts as away until they open the desk.
PRESENT_AT_LOAD = ("fatima.elamrani",)


def routing_demo_load(users: dict[str, User]) -> int:
    """Give the demo's people their skills, then route the contacts waiting in the queue with nobody on
    them (their messages are analysed first: routing reads the signals). Returns how many were routed."""
    admin = users["admin"]
    for code, name in SKILLS.items():
        Skill.objects.get_or_create(code=code, defaults={"name": name})
    for username, (skills, experience) in DEMO_SKILLS.items():
        if username in users:
            agent_skills_set(user=users[username], skills=skills, experience=experience, actor=admin)
    now = timezone.now()
    # Loaded while the desk is closed, nobody is at it: the queue waits for the morning (issue 20).
    closed = default_calendar().open_since(now) is None
    present = [] if closed else [users[u].pk for u in PRESENT_AT_LOAD if u in users]
    RoutingProfile.objects.filter(user_id__in=present).update(last_seen_at=now)
    waiting = list(
        Contact.objects.filter(status__in=QUEUE_STATUSES, assigned_agent__isnull=True)
        .order_by("waiting_since", "id")
        .values_list("pk", flat=True)
    )
    messages = list(Message.objects.filter(contact_id__in=waiting, signals__isnull=True))
    messages_analyse(messages, using=analyser("off"), replace=False)
    routed = 0
    for contact_id in waiting:
        routed += contact_route(contact=contact_id, now=now) is not None
    return routed
