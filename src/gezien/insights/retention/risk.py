"""Churn risk per customer (R18): a transparent score from four parts, explained in words.

Each part is a number 0..1 measured over the customer's recent history (`GEZIEN_CHURN_WINDOW_DAYS`),
where every piece of evidence counts less as it ages: it is multiplied by 0.5 ** (age in days /
`GEZIEN_CHURN_HALF_LIFE_DAYS`).

- intent: the strongest churn intent in the customer's own words (`MessageSignals.churn`, role customer).
- emotion: the peak distress (`ContactFact.emotion_peak`) of the latest contact with emotion, or the
  mean over the last 5 such contacts when that is higher (how the customer feels now, or has felt
  lately).
- repeats: an open matter with n ≥ 2 contacts gives min(1, (n − 1) / 3); the customer's own words that
  it is not the first time (`MessageSignals.repeat`) count as well; the larger of the two.
- problems: a contact linked to an open problem ("signaal") gives 1; one solved within the window 0.4.

They combine as score = 1 − Π(1 − wᵢ·partᵢ) with weights intent 0.7, emotion 0.5, repeats 0.5 and
problems 0.35: each part alone can raise the risk up to its weight, together they add up without ever
passing 1. Level: hoog from 0.55, middel from 0.3, else laag. So an explicit, fresh "ik zeg op" alone
is hoog; anger alone (however often) stays middel, as does one unresolved repeat alone; anger over the
last contacts together with an unresolved repeat or a known problem is hoog. Reasons that add less
than 0.05 to the score are left out of the words.

A contact in which the customer tells of a death (a bereavement life event in their words) is no
retention case: a cancellation there follows the bereavement protocol, and grief is no distress with us.
Its churn, repeat and emotion evidence is left out (`_mourning`); the customer's other contacts count.

Risks are kept current like the figures: contacts that change or get signals mark their customer stale
(`StaleRisk`), and `risks_catch_up()` recomputes those in batches (a fixed number of queries per batch)
before the retention list is read, or in a worker. When a customer's level rises to hoog, the team
leads of the team that handled their latest contact are told once (not again until it fell and rose).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gezien.contacts.models import Author, Contact, Matter, MessageSignals
from gezien.contacts.vocabulary import EMOTION_LABELS, NEGATIVE_EMOTIONS
from gezien.core.prepared import IdsQuery
from gezien.core.stale import stale_drain, stale_mark
from gezien.customers.models import Customer
from gezien.insights.models import ContactFact
from gezien.insights.retention.alerts import risks_alert
from gezien.insights.retention.models import CustomerRisk, RiskLevel, StaleRisk
from gezien.insights.retention.tasks import risks_catch_up_task
from gezien.insights.rollups import insights_catch_up
from gezien.insights.rootcause.models import OPEN_STATUSES, ProblemContact, ProblemStatus

logger = logging.getLogger(__name__)

WEIGHTS: dict[str, float] = {"intent": 0.7, "emotion": 0.5, "repeats": 0.5, "problems": 0.35}
HIGH_FROM = 0.55
MEDIUM_FROM = 0.3
SIGNAL_FROM = 0.5  # a churn or repeat score counts from here (the analysis' own threshold)
EMOTION_CONTACTS = 5
SOLVED_PROBLEM = 0.4
BATCH = 500
QUOTE_CHARS = 120
MIN_REASON = 0.05  # a reason adding less than this to the score is not worth a line


def decay(at: datetime, now: datetime) -> float:
    """How much a piece of evidence from `at` still counts at `now` (1 today, 0.5 after a half-life)."""
    days = max(0.0, (now - at).total_seconds() / 86400.0)
    return float(0.5 ** (days / max(1, settings.GEZIEN_CHURN_HALF_LIFE_DAYS)))


def combine(parts: dict[str, float]) -> float:
    """score = 1 − Π(1 − wᵢ·partᵢ)."""
    keep = 1.0
    for name, weight in WEIGHTS.items():
        keep *= 1.0 - weight * max(0.0, min(1.0, parts.get(name, 0.0)))
    return round(1.0 - keep, 4)


def level_of(score: float) -> str:
    if score >= HIGH_FROM:
        return RiskLevel.HIGH
    if score >= MEDIUM_FROM:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def _day(at: datetime) -> str:
    return date_format(timezone.localtime(at), "j b")


def _quote(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= QUOTE_CHARS else words[: QUOTE_CHARS - 1] + "…"


@dataclass
class _Reason:
    kind: str
    text: str
    weight: float  # what this reason adds to the score on its own (wᵢ·partᵢ)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    says: dict[str, Any] = field(default_factory=dict)  # what `text` says, as data: the desk words it

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "weight": round(self.weight, 4),
            "evidence": self.evidence,
            "says": self.says,
        }


@dataclass
class _Customer:
    parts: dict[str, float] = field(default_factory=dict)
    reasons: list[_Reason] = field(default_factory=list)
    last_contact_at: datetime | None = None
    latest_contact: tuple[int | None, int | None, int] | None = None  # team, agent, contact id
    open_matters: int = 0

    def offer(self, part: str, value: float, reason: _Reason | None) -> None:
        """Keep the strongest evidence per part; its reason explains it."""
        if value <= self.parts.get(part, 0.0):
            return
        self.parts[part] = value
        self.reasons = [r for r in self.reasons if r.kind != part]
        if reason is not None:
            self.reasons.append(reason)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around the span text[start:end], cut to about QUOTE_CHARS around the span."""
    if not (0 <= start < end <= len(text)):
        return ""
    left = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    rights = [i for i in (text.find(mark, end) for mark in ".!?\n") if i != -1]
    right = min(rights) + 1 if rights else len(text)
    cut_left = cut_right = False
    if right - left > QUOTE_CHARS:
        room = max(0, (QUOTE_CHARS - (end - start)) // 2)
        cut_left, cut_right = start - room > left, end + room < right
        left, right = max(left, start - room), min(right, end + room)
    words = " ".join(text[left:right].split())
    return ("…" if cut_left else "") + words + ("…" if cut_right else "")


def _evidence(signal: str, data: dict[str, Any], text: str) -> str:
    """The customer's sentence that raised `signal` (or the span itself)."""
    for name, start, end, words, _rule in data.get("evidence", []):
        if name == signal and words:
            return _sentence(text, int(start), int(end)) or _quote(str(words))
    for name, _start, _end, words, _rule in data.get("evidence", []):
        if name == f"model:{signal}":
            return _quote(text or str(words))
    return ""


def _mourning(ids: list[int], since: datetime) -> set[int]:
    """Contacts of these customers in which the customer told of a death (one query)."""
    return set(
        MessageSignals.objects.filter(
            role="customer",
            message__author=Author.CUSTOMER,
            message__contact__customer_id__in=ids,
            message__sent_at__gte=since,
            life_events__contains="bereavement",
        ).values_list("message__contact_id", flat=True)
    )


def _signals(
    found: dict[int, _Customer], ids: list[int], since: datetime, now: datetime, mourning: set[int]
) -> dict[int, str]:
    """Churn intent and repeat words (one query); returns the dominant negative emotion per contact.
    Contacts in `mourning` are left out."""
    rows = (
        MessageSignals.objects.filter(
            role="customer",
            message__author=Author.CUSTOMER,
            message__contact__customer_id__in=ids,
            message__sent_at__gte=since,
        )
        .exclude(message__contact_id__in=mourning)
        .filter(Q(churn__gte=SIGNAL_FROM) | Q(repeat__gte=SIGNAL_FROM) | Q(top_emotion__in=NEGATIVE_EMOTIONS))
        .values_list(
            "message_id", "message__contact_id", "message__contact__customer_id", "message__sent_at",
            "churn", "repeat", "top_emotion", "data", "message__text",
        )
    )  # fmt: skip
    emotions: dict[int, Counter[str]] = defaultdict(Counter)
    for message_id, contact_id, customer_id, sent_at, churn, repeat, top, data, body in rows:
        who = found[customer_id]
        if top in NEGATIVE_EMOTIONS:
            emotions[contact_id][top] += 1
        for part, score, signal in (("intent", churn, "churn"), ("repeats", repeat, "repeat")):
            if score < SIGNAL_FROM:
                continue
            value = score * decay(sent_at, now)
            words = _evidence(signal, data, body)
            said = f"'{words}'" if words else _("(zonder aanhaalbare woorden)")
            if part == "intent":
                text = _("Zei op %(day)s: %(words)s") % {"day": _day(sent_at), "words": said}
            else:
                text = _("Zei op %(day)s dat het niet de eerste keer is: %(words)s") % {
                    "day": _day(sent_at),
                    "words": said,
                }
            evidence = {
                "contact_id": contact_id,
                "message_id": message_id,
                "words": words,
                "at": sent_at.isoformat(),
            }
            says = {
                "what": "said" if part == "intent" else "said_again",
                "at": sent_at.isoformat(),
                "words": words,
            }
            who.offer(part, value, _Reason(part, text, WEIGHTS[part] * value, [evidence], says))
    return {cid: counts.most_common(1)[0][0] for cid, counts in emotions.items()}


def _emotion(
    found: dict[int, _Customer],
    ids: list[int],
    since: datetime,
    now: datetime,
    moods: dict[int, str],
    mourning: set[int],
) -> None:
    facts = (
        ContactFact.objects.filter(customer_id__in=ids, opened_at__gte=since, emotion_peak__isnull=False)
        .exclude(contact_id__in=mourning)
        .order_by("customer_id", "-opened_at", "-contact_id")
        .values_list("customer_id", "contact_id", "opened_at", "emotion_peak", "negative")
    )
    recent: dict[int, list[tuple[int, datetime, float, bool]]] = defaultdict(list)
    for customer_id, contact_id, opened_at, peak, negative in facts:
        if customer_id is None or peak is None:
            continue
        if len(recent[customer_id]) < EMOTION_CONTACTS:
            recent[customer_id].append((contact_id, opened_at, peak, negative))
    for customer_id, rows in recent.items():
        mean = sum(peak * decay(at, now) for _cid, at, peak, _neg in rows) / len(rows)
        value = max(mean, rows[0][2] * decay(rows[0][1], now))
        streak = 0
        for _cid, _at, _peak, negative in rows:
            if not negative:
                break
            streak += 1
        negatives = [r for r in rows if r[3]]
        if not negatives:
            found[customer_id].offer("emotion", value, None)
            continue
        words = Counter(moods[r[0]] for r in negatives if r[0] in moods)
        emotion = words.most_common(1)[0][0] if words else ""
        mood = str(EMOTION_LABELS[emotion]) if emotion else _("negatief")
        if streak >= 2:
            text = _("Laatste %(n)s contacten vooral %(mood)s") % {"n": streak, "mood": mood}
        else:
            text = _("%(n)s van de laatste %(of)s contacten %(mood)s, het laatst op %(day)s") % {
                "n": len(negatives),
                "of": len(rows),
                "mood": mood,
                "day": _day(negatives[0][1]),
            }
        evidence = [
            {"contact_id": cid, "at": at.isoformat(), "peak": round(peak, 3)}
            for cid, at, peak, _n in negatives
        ]
        says = {
            "what": "streak" if streak >= 2 else "negatives",
            "n": streak if streak >= 2 else len(negatives),
            "of": len(rows),
            "emotion": emotion,
            "at": negatives[0][1].isoformat(),
        }
        found[customer_id].offer(
            "emotion", value, _Reason("emotion", text, WEIGHTS["emotion"] * value, evidence, says)
        )


def _matters(found: dict[int, _Customer], ids: list[int], now: datetime) -> None:
    matters = (
        Matter.objects.filter(customer_id__in=ids, state=Matter.State.OPEN)
        .annotate(n=Count("contacts"))
        .values_list("pk", "customer_id", "n", "title", "reason__name", "last_contact_at")
    )
    for matter_id, customer_id, n, title, reason, last_at in matters:
        who = found[customer_id]
        who.open_matters += 1
        if n < 2:
            continue
        value = min(1.0, (n - 1) / 3.0) * decay(last_at, now)
        text = _("%(n)s contacten over dezelfde kwestie (%(what)s), nog niet opgelost") % {
            "n": n,
            "what": reason or title or _("zonder reden"),
        }
        evidence = {"matter_id": matter_id, "contacts": n, "at": last_at.isoformat()}
        says = {"what": "matter", "n": n, "about": reason or title or ""}
        who.offer("repeats", value, _Reason("repeats", text, WEIGHTS["repeats"] * value, [evidence], says))


def _problems(found: dict[int, _Customer], ids: list[int], since: datetime, now: datetime) -> None:

    links = (
        ProblemContact.objects.filter(contact__customer_id__in=ids)
        .filter(
            Q(problem__status__in=OPEN_STATUSES)
            | Q(problem__status=ProblemStatus.SOLVED, problem__solved_at__gte=since)
        )
        .values_list(
            "contact__customer_id",
            "contact_id",
            "problem_id",
            "problem__title",
            "problem__status",
            "problem__solved_at",
        )
    )
    for customer_id, contact_id, problem_id, title, status, solved_at in links:
        is_open = status in OPEN_STATUSES
        value = 1.0 if is_open else SOLVED_PROBLEM * decay(solved_at or now, now)
        label = str(ProblemStatus(status).label).lower()
        text = _("Geraakt door signaal '%(title)s' (%(status)s)") % {"title": title, "status": label}
        evidence = {"problem_id": problem_id, "contact_id": contact_id, "status": status}
        found[customer_id].offer(
            "problems",
            value,
            _Reason(
                "problems",
                text,
                WEIGHTS["problems"] * value,
                [evidence],
                {"what": "problem", "title": title, "status": status},
            ),
        )


def _contacts(found: dict[int, _Customer], ids: list[int]) -> None:
    """The latest contact of each customer (for the list and for whom to alert): one query."""
    latest = Contact.objects.filter(customer_id__in=ids).values("customer_id").annotate(at=Max("opened_at"))
    newest = {row["customer_id"]: row["at"] for row in latest}
    if not newest:
        return
    rows = Contact.objects.filter(
        customer_id__in=list(newest), opened_at__in=set(newest.values())
    ).values_list("customer_id", "opened_at", "team_id", "assigned_agent_id", "pk")
    for customer_id, opened_at, team_id, agent_id, contact_id in rows:
        if opened_at == newest.get(customer_id):
            found[customer_id].last_contact_at = opened_at
            found[customer_id].latest_contact = (team_id, agent_id, contact_id)


def risks_refresh(customer_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Compute the risk of these customers again (a fixed number of queries per 500 customers), and
    alert team leads about customers that just became hoog. Returns the number written."""
    ids = sorted({int(i) for i in customer_ids if i is not None})
    now = now or timezone.now()
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _refresh_batch(ids[start : start + BATCH], now)
    return written


def _refresh_batch(ids: list[int], now: datetime) -> int:

    ids = list(Customer.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if not ids:
        return 0
    since = now - timedelta(days=settings.GEZIEN_CHURN_WINDOW_DAYS)
    found: dict[int, _Customer] = defaultdict(_Customer)
    mourning = _mourning(ids, since)
    moods = _signals(found, ids, since, now, mourning)
    _emotion(found, ids, since, now, moods, mourning)
    _matters(found, ids, now)
    _problems(found, ids, since, now)
    _contacts(found, ids)
    with transaction.atomic():
        before = dict(CustomerRisk.objects.filter(pk__in=ids).values_list("pk", "high_since"))
        levels = dict(CustomerRisk.objects.filter(pk__in=ids).values_list("pk", "level"))
        risks, risen = [], []
        for customer_id in ids:
            who = found[customer_id]
            score = combine(who.parts)
            level = level_of(score)
            high_since = before.get(customer_id) if level == RiskLevel.HIGH else None
            if level == RiskLevel.HIGH and levels.get(customer_id) != RiskLevel.HIGH:
                high_since = now
                risen.append((customer_id, who))
            reasons = sorted((r for r in who.reasons if r.weight >= MIN_REASON), key=lambda r: -r.weight)
            risks.append(
                CustomerRisk(
                    customer_id=customer_id,
                    score=score,
                    level=level,
                    reasons=[r.as_json() for r in reasons],
                    components={k: round(v, 4) for k, v in who.parts.items()},
                    last_contact_at=who.last_contact_at,
                    open_matters=who.open_matters,
                    high_since=high_since,
                    computed_for=now,
                )
            )
        CustomerRisk.objects.bulk_create(
            risks,
            update_conflicts=True,
            unique_fields=["customer"],
            update_fields=[
                "score", "level", "reasons", "components", "last_contact_at", "open_matters",
                "high_since", "computed_for", "updated_at",
            ],
        )  # fmt: skip
        if risen:
            risks_alert([(cid, who.latest_contact, who.reasons) for cid, who in risen])
    return len(risks)


def risks_mark_stale(customer_ids: Sequence[int]) -> None:
    stale_mark(StaleRisk, customer_ids)


_CUSTOMERS_OF = IdsQuery(
    lambda ids: Contact.objects.filter(pk__in=ids, customer__isnull=False).values_list("customer_id")
)  # prepared: it runs after every batch of new messages


def contacts_mark_stale(contact_ids: list[int]) -> None:
    """Listener on changed contacts and new signals: their customers' risks must be computed again."""
    customers = set(_CUSTOMERS_OF.column(contact_ids))
    if not customers:
        return
    risks_mark_stale(sorted(customers))
    if not settings.GEZIEN_ANALYSIS_INLINE:
        try:
            risks_catch_up_task.enqueue()
        except Exception:  # the stale rows stay; the next list read catches up
            logger.exception("Could not enqueue the churn risk catch-up.")


def _problems_changed() -> None:
    """Customers of problems changed since the newest risk (a status set by the department reaches no
    contact, so no listener hears it): two small queries."""
    newest = CustomerRisk.objects.aggregate(at=Max("updated_at"))["at"]
    if newest is None:
        return
    customers = (
        ProblemContact.objects.filter(problem__updated_at__gt=newest, contact__customer__isnull=False)
        .values_list("contact__customer_id", flat=True)
        .distinct()
    )
    risks_mark_stale(list(customers))


def risks_catch_up(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Compute the risks of stale customers, oldest first. A customer that changes again meanwhile stays
    stale, so no change is lost. Cheap when nothing changed. The facts (emotion) are brought up to date
    first, as every dashboard does."""
    insights_catch_up()
    _problems_changed()
    return stale_drain(StaleRisk, lambda ids: risks_refresh(ids, now=now), limit=limit, batch=BATCH)


def risks_refresh_all(*, now: datetime | None = None) -> int:
    """Every customer with a contact in the window, and every customer with a risk now (decay lowers a
    risk as time passes without new contacts: run this daily)."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.GEZIEN_CHURN_WINDOW_DAYS)
    recent = set(
        Contact.objects.filter(opened_at__gte=since, customer__isnull=False).values_list(
            "customer_id", flat=True
        )
    )
    known = set(CustomerRisk.objects.exclude(level=RiskLevel.LOW).values_list("pk", flat=True))
    return risks_refresh(recent | known, now=now)


def high_risk_condition() -> Q:
    """On a query of facts: the fact's customer is hoog on the retention list."""
    return Q(Exists(CustomerRisk.objects.filter(customer_id=OuterRef("customer_id"), level=RiskLevel.HIGH)))
