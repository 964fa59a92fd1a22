"""Demo surveys: invitations and answers for the demo organisation's closed contacts, by the same rule
the desk applies (no survey after the widow's bereavement contact or Ronald Kramer's abuse, none to
unidentified customers or customers without an e-mail address, once per customer per quiet period).

The score follows how the customer felt at the end of the contact: calm customers mostly promote,
customers still angry mostly detract, with some noise, as real answers do. Comments are Dutch, in the
seeds' voice, and analysed like any comment. Deterministic (seeded per contact) and idempotent.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from gezien.assist.models import NO_SURVEY_PROTOCOLS, ContactProtocol, Protocol
from gezien.contacts.analysing import analyser
from gezien.contacts.models import Contact, MessageSignals, Status
from gezien.customers.models import DetailKind, Identity, IdentityKind, RememberedDetail
from gezien.desksettings.store import desk_setting
from gezien.insights.cx import distress
from gezien.insights.facts import facts_mark_stale
from gezien.insights.models import ContactFact
from gezien.insights.surveys.models import (
    SentVia,
    SkipReason,
    SurveyInvitation,
    SurveyKind,
    SurveyResponse,
    SurveySkip,
)
from gezien.insights.surveys.services import (
    ABUSIVE_AT,
    EVENT_REASONS,
    PROTOCOL_REASONS,
    REASON_ORDER,
    REMEMBERED_FOR_DAYS,
    survey_kind_for,
)

ANSWER_RATE = 0.4  # about four in ten customers answer

PRAISE = [
    "Heel vriendelijk geholpen en het werkt weer. Dank u wel!",
    "Snel opgelost, top!",
    "Fijn dat ik niet alles opnieuw hoefde uit te leggen.",
    "De medewerker nam echt de tijd voor me. Heel prettig.",
    "Netjes teruggebeld zoals beloofd, dat waardeer ik.",
    "Duidelijke uitleg, nu snap ik de factuur eindelijk.",
]
MIDDLE = [
    "Het is opgelost, maar het duurde wel lang voordat ik iemand aan de lijn had.",
    "Vriendelijk, maar ik moest twee keer mijn verhaal doen.",
    "Prima, al had ik liever meteen het goede antwoord gekregen.",
    "Op zich goed geholpen. De wachttijd was wel lang.",
]
COMPLAINT = [
    "Ik heb nu al drie keer gebeld en mijn pakket is er nog steeds niet. Ik ben het echt zat.",
    "Er zou teruggebeld worden, niemand heeft gebeld. Waardeloos.",
    "Belachelijk dat ik zo lang in de wacht stond en daarna nog niet geholpen ben.",
    "Mijn internet valt nog steeds steeds weg. Ik overweeg over te stappen.",
    "Ik voel me niet serieus genomen. Weer een standaardantwoord.",
]


def _score(kind: str, end: float, rng: random.Random) -> int:
    """A score from the distress at the end (0 calm .. 1 angry), with noise."""
    satisfaction = max(0.0, min(1.0, 1.0 - end + rng.gauss(0, 0.18)))
    if kind == SurveyKind.CSAT:
        return 1 + round(satisfaction * 4)
    # Calm customers land on 9-10, customers still upset below 7.
    return max(0, min(10, round(1 + satisfaction * 9.4)))


def _comment(kind: str, score: int, rng: random.Random) -> str:
    if rng.random() < 0.45:
        return ""
    promoter = score >= 9 if kind == SurveyKind.NPS else score >= 4
    detractor = score <= 6 if kind == SurveyKind.NPS else score <= 2
    pool = PRAISE if promoter else COMPLAINT if detractor else MIDDLE
    return rng.choice(pool)


def _resolved(score: int, kind: str, rng: random.Random) -> bool | None:
    if rng.random() < 0.2:
        return None
    good = score / (10 if kind == SurveyKind.NPS else 5)
    return rng.random() < good


def _end_distress(contact_ids: list[int]) -> dict[int, float]:
    """Distress at the end of each contact: the fact's column when filled, else the last customer
    message's signals."""
    facts = ContactFact.objects.filter(contact_id__in=contact_ids, emotion_end__isnull=False)
    found = {pk: float(end or 0.0) for pk, end in facts.values_list("contact_id", "emotion_end")}
    missing = [pk for pk in contact_ids if pk not in found]
    rows = (
        MessageSignals.objects.filter(message__contact_id__in=missing, role="customer")
        .order_by("message__contact_id", "message__sent_at", "message_id")
        .values_list("message__contact_id", "data")
    )
    for contact_id, data in rows:  # the last one per contact wins
        found[contact_id] = distress((data or {}).get("emotions"))
    return found


def _signals(contact_ids: list[int]) -> tuple[dict[int, set[str]], dict[int, str]]:
    reasons: dict[int, set[str]] = defaultdict(set)
    langs: dict[int, list[str]] = defaultdict(list)
    rows = MessageSignals.objects.filter(message__contact_id__in=contact_ids, role="customer").values_list(
        "message__contact_id", "life_events", "abuse", "lang"
    )
    for contact_id, life_events, abuse, lang in rows:
        reasons[contact_id] |= {EVENT_REASONS[e] for e in life_events.split() if e in EVENT_REASONS}
        if abuse >= ABUSIVE_AT:
            reasons[contact_id].add(SkipReason.ABUSE)
        langs[contact_id].append(lang)
    language = {pk: "en" if sum(x == "en" for x in ls) * 2 > len(ls) else "nl" for pk, ls in langs.items()}
    for contact_id, protocol in ContactProtocol.objects.filter(
        contact_id__in=contact_ids, protocol__in=NO_SURVEY_PROTOCOLS
    ).values_list("contact_id", "protocol"):
        reasons[contact_id].add(PROTOCOL_REASONS[Protocol(protocol)])
    return reasons, language


def _remembered(customer_ids: set[int]) -> dict[int, list[tuple[datetime, str]]]:
    """Deaths and illnesses remembered per customer, with when they were noted."""
    out: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    rows = RememberedDetail.objects.filter(customer_id__in=customer_ids, kind=DetailKind.LIFE_EVENT)
    read = analyser("off")
    for customer_id, text, created_at in rows.values_list("customer_id", "text", "created_at"):
        for event in read.analyze(text, role="customer").life_events:
            if event in EVENT_REASONS:
                out[customer_id].append((created_at, EVENT_REASONS[event]))
    return out


def load_surveys_demo(now: datetime) -> dict[str, int]:
    """Surveys for the demo's closed contacts up to `now`; returns counts. Contacts with a survey or a
    recorded skip already are left alone, so running it again adds nothing."""
    decided = set(SurveyInvitation.objects.values_list("contact_id", flat=True))
    decided |= set(SurveySkip.objects.values_list("contact_id", flat=True))
    contacts = [
        c
        for c in Contact.objects.filter(status=Status.CLOSED, closed_at__lte=now).order_by("closed_at", "pk")
        if c.pk not in decided
    ]
    ids = [c.pk for c in contacts]
    customer_ids = {c.customer_id for c in contacts if c.customer_id is not None}
    sensitive, language = _signals(ids)
    remembered = _remembered(customer_ids)
    with_email = set(
        Identity.objects.filter(customer_id__in=customer_ids, kind=IdentityKind.EMAIL).values_list(
            "customer_id", flat=True
        )
    )
    last_invited: dict[int, datetime] = dict(
        SurveyInvitation.objects.order_by("created_at").values_list("customer_id", "created_at")
    )
    quiet = timedelta(days=desk_setting("survey_quiet_days"))
    valid = timedelta(days=max(1, desk_setting("survey_valid_days")))
    skips: list[SurveySkip] = []
    invitations: list[SurveyInvitation] = []
    for contact in contacts:
        assert contact.closed_at is not None
        reasons = set(sensitive.get(contact.pk, set()))
        if contact.customer_id is not None:
            reasons |= {
                r
                for noted, r in remembered.get(contact.customer_id, [])
                if contact.closed_at - timedelta(days=REMEMBERED_FOR_DAYS) <= noted <= contact.closed_at
            }
        reason = next((r for r in REASON_ORDER if r in reasons), None)
        if reason is None and contact.customer_id is None:
            reason = SkipReason.UNIDENTIFIED
        previous = last_invited.get(contact.customer_id or 0)
        if reason is None and previous is not None and contact.closed_at - previous < quiet:
            reason = SkipReason.QUIET
        if reason is None and contact.customer_id not in with_email:
            reason = SkipReason.NO_EMAIL
        if reason is not None:
            skips.append(SurveySkip(contact=contact, reason=reason, created_at=contact.closed_at))
            continue
        assert contact.customer_id is not None
        created = contact.closed_at + timedelta(minutes=2)
        last_invited[contact.customer_id] = created
        invitations.append(
            SurveyInvitation(
                contact=contact,
                customer_id=contact.customer_id,
                kind=survey_kind_for(contact.channel),
                language=language.get(contact.pk, "nl"),
                nonce=secrets.token_urlsafe(18),
                sent_via=SentVia.EMAIL,
                created_at=created,
                expires_at=created + valid,
                sent_at=created + timedelta(minutes=1),
            )
        )
    ends = _end_distress([i.contact_id for i in invitations])
    read = analyser("off")
    responses: list[SurveyResponse] = []
    with transaction.atomic():
        SurveySkip.objects.bulk_create(skips)
        SurveyInvitation.objects.bulk_create(invitations)
        for invitation in SurveyInvitation.objects.filter(contact_id__in=[i.contact_id for i in invitations]):
            rng = random.Random(f"survey-{invitation.contact_id}")
            if rng.random() >= ANSWER_RATE:
                continue
            answered = invitation.created_at + timedelta(hours=rng.uniform(0.3, 60))
            if answered > now or answered >= invitation.expires_at:
                continue
            score = _score(invitation.kind, ends.get(invitation.contact_id, 0.3), rng)
            comment = _comment(invitation.kind, score, rng)
            responses.append(
                SurveyResponse(
                    invitation=invitation,
                    kind=invitation.kind,
                    score=score,
                    resolved=_resolved(score, invitation.kind, rng),
                    comment=comment,
                    comment_analysis=read.analyze(comment, role="customer").to_dict() if comment else None,
                    answered_at=answered,
                )
            )
            invitation.answered_at = answered
        SurveyResponse.objects.bulk_create(responses)
        SurveyInvitation.objects.bulk_update([r.invitation for r in responses], ["answered_at"])
    facts_mark_stale([r.invitation.contact_id for r in responses])
    counts: dict[str, Any] = {
        "invitations": len(invitations),
        "answers": len(responses),
        "skipped": len(skips),
    }
    for skip in skips:
        counts[f"skipped_{skip.reason}"] = counts.get(f"skipped_{skip.reason}", 0) + 1
    return counts
