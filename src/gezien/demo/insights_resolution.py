"""Demo data for honest resolution: matters for the loaded demo contacts, and the customers of the
logistics wave (week -3) who contacted us about their late parcel and came back on another channel two
working days later because it still had not come: callers by chat or e-mail, writers by phone. Their
first contact counts as solved for the naive "no callback" figure (nobody came back on the same
channel) but not for honest first-contact resolution, so the two figures differ visibly for
"levering vertraagd".

Expects the demo organisation to be loaded (`demo.loader.load_demo`): the reason
`levering_vertraagd`, recognised contacts about it in week -3 whose customers have an identity on
another channel. Idempotent: the follow-ups carry external ids, and contacts that have a matter
are left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from gezien.contacts.analysing import analyser, messages_reanalyse
from gezien.contacts.models import (
    Author,
    Channel,
    Contact,
    ContactEvent,
    ContactReason,
    Message,
    MessageKind,
    Recognition,
    Status,
)
from gezien.core.calendar import default_calendar
from gezien.customers.models import Identity
from gezien.demo.clock import AMS, dutch_date
from gezien.insights.resolution.services import matters_backfill, matters_settle

if TYPE_CHECKING:
    from gezien.accounts.models import User

SUFFIX = "-terug"  # external id of a follow-up: the call's own external id + this
SKIP_EVERY = 3  # of the wave's customers, all but one in three come back


def _texts(channel: str, name: str, called: date, agent: str) -> tuple[str, str, str]:
    day = dutch_date(called)
    if channel == Channel.PHONE:
        return (
            "Belt na eerder contact: pakket nog niet geleverd",
            f"Goedemiddag, ik heb {day} een bericht gestuurd over mijn bestelling. Ik kreeg antwoord dat hij "
            "onderweg was, maar hij is er nog steeds niet. Ik begin me echt zorgen te maken.",
            "Wat vervelend dat u daarvoor nu ook nog moet bellen. Door de storing bij de vervoerder ligt uw "
            "pakket nog in ons magazijn in Tilburg. Ik laat het met voorrang versturen; u krijgt vandaag de "
            "track & trace.",
        )
    if channel == Channel.CHAT:
        return (
            "Pakket nog steeds niet binnen",
            f"Hoi, ik heb {day} gebeld over mijn bestelling. Er werd gezegd dat hij over twee dagen zou "
            "komen, maar er is nog steeds niks. Track & trace staat al dagen op 'in sortering'. Wat is er "
            "aan de hand?",
            "Vervelend dat je hiervoor opnieuw contact moet opnemen. Je pakket ligt nog in ons magazijn in "
            "Tilburg door de storing bij de vervoerder. Ik heb het met voorrang laten versturen; je krijgt "
            "vandaag nog een nieuwe track & trace.",
        )
    return (
        "Bestelling nog niet geleverd na telefonisch contact",
        f"Geachte heer/mevrouw,\n\nOp {day} heb ik telefonisch contact gehad over mijn bestelling. Mij werd "
        "verzekerd dat deze binnen twee dagen geleverd zou worden, maar ik heb nog steeds niets ontvangen. "
        f"Graag hoor ik wat er aan de hand is.\n\nMet vriendelijke groet,\n{name}",
        f"Beste {name},\n\nExcuses dat u hiervoor opnieuw contact moet opnemen. Door een storing bij de "
        "vervoerder en ons magazijn in Tilburg is uw pakket vertraagd. We hebben het inmiddels met voorrang "
        f"verzonden; u ontvangt vandaag de track & trace.\n\nMet vriendelijke groet,\n{agent}",
    )


def _messages(
    contact: Contact, agent: User | None, asked: str, answered: str, opened: datetime, replied: datetime
) -> list[Message]:
    if contact.channel == Channel.PHONE:  # the call as transcript turns, with offsets
        return [
            Message(
                contact=contact,
                author=Author.CUSTOMER,
                kind=MessageKind.TRANSCRIPT,
                text=asked,
                start_s=0.0,
                end_s=38.0,
                sent_at=opened,
            ),
            Message(
                contact=contact,
                author=Author.AGENT,
                kind=MessageKind.TRANSCRIPT,
                agent=agent,
                text=answered,
                start_s=38.0,
                end_s=164.0,
                sent_at=opened,
            ),
        ]
    return [
        Message(contact=contact, author=Author.CUSTOMER, text=asked, sent_at=opened),
        Message(contact=contact, author=Author.AGENT, agent=agent, text=answered, sent_at=replied),
    ]


def _wave_calls(reason: ContactReason, now: datetime) -> list[Contact]:
    start = timezone.localtime(now).date() - timedelta(days=21)
    monday = start - timedelta(days=start.weekday())
    begin = datetime.combine(monday, time(0), tzinfo=AMS)
    calls = (
        Contact.objects.filter(
            reason=reason,
            status=Status.CLOSED,
            customer__isnull=False,
            opened_at__gte=begin,
            opened_at__lt=begin + timedelta(days=8),
        )
        .exclude(external_id__endswith=SUFFIX)
        .select_related("customer", "assigned_agent", "team")
        .order_by("opened_at", "pk")
    )
    return [c for c in calls if c.pk % SKIP_EVERY]


def _follow_ups(reason: ContactReason, now: datetime) -> int:
    calls = _wave_calls(reason, now)
    wanted = {f"{c.external_id or c.pk}{SUFFIX}": c for c in calls}
    done = set(Contact.objects.filter(external_id__in=list(wanted)).values_list("external_id", flat=True))
    identities: dict[tuple[int, str], Identity] = {}
    for known in Identity.objects.filter(
        customer_id__in=[c.customer_id for c in calls], kind__in=["phone", "chat", "email"]
    ).order_by("pk"):
        identities.setdefault((known.customer_id, known.kind), known)
    calendar = default_calendar()
    made = 0
    for external_id, call in wanted.items():
        if external_id in done or call.customer is None or call.customer_id is None:
            continue
        if call.channel != Channel.PHONE:
            channel = Channel.PHONE
        else:
            channel = Channel.CHAT if (call.customer_id, "chat") in identities else Channel.EMAIL
        identity = identities.get((call.customer_id, str(channel)))
        if identity is None:
            continue
        called = timezone.localtime(call.opened_at).date()
        day = calendar.add_working_days(called, 2)
        opened = datetime.combine(day, time(9 + call.pk % 8, (call.pk * 7) % 60), tzinfo=AMS)
        replied = opened + timedelta(minutes={"phone": 1, "chat": 4}.get(channel, 95))
        closed = replied + timedelta(minutes=2)
        if closed > now - timedelta(hours=1):
            continue
        agent = call.assigned_agent
        agent_name = agent.get_full_name() if agent else "Klantenservice"
        subject, asked, answered = _texts(channel, call.customer.full_name, called, agent_name)
        with transaction.atomic():
            contact = Contact.objects.create(
                customer=call.customer,
                channel=channel,
                status=Status.CLOSED,
                recognition=Recognition.RECOGNISED,
                identity_kind=identity.kind,
                identity_value=identity.value,
                identity_raw=identity.display or identity.value,
                subject=subject,
                summary="Komt terug na telefoontje: pakket nog niet geleverd (storing vervoerder/magazijn)",
                reason=reason,
                assigned_agent=agent,
                team=call.team,
                external_id=external_id,
                opened_at=opened,
                closed_at=closed,
            )
            Message.objects.bulk_create(_messages(contact, agent, asked, answered, opened, replied))
            ContactEvent.objects.create(
                contact=contact,
                kind=ContactEvent.Kind.STATUS,
                actor=agent,
                at=closed,
                data={"previous": "open", "status": "closed"},
            )
        made += 1
    return made


def load_resolution_demo(now: datetime | None = None) -> dict[str, int]:
    """Add the wave's follow-ups, give every recognised demo contact with a reason its matter (replayed
    in order, as live attaching would), and settle what has passed. Returns what it did."""
    now = now or timezone.now()
    reason = ContactReason.objects.filter(code="levering_vertraagd").first()
    follow_ups = _follow_ups(reason, now) if reason is not None else 0
    if follow_ups:
        messages_reanalyse(scope="missing", using=analyser("off"))
    matters = matters_backfill(now)
    settled = len(matters_settle(now))
    return {"terugkomers": follow_ups, "kwesties": matters, "kwesties_afgerond": settled}
