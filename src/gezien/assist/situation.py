"""What the desk knows about a contact when it opens: the customer's feelings (with the words behind them),
repeat contacts about the same matter, life events, abuse, churn, and problems that may affect them.

`contact_situation` reads a contact whose thread is loaded (`contacts.selectors.contact_with_thread`) and
its gezien-kaart, and adds a fixed number of queries. The hints (`assist.hints`), the draft check and
routing all read this one picture, so they never disagree about what the customer said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from gezien.assist.models import ContactProtocol, HintAction, Incident
from gezien.contacts.addressing import AddressChoice, Cite, contact_address
from gezien.contacts.analysing import analyser
from gezien.contacts.models import Author, Contact, ContactReason, Message, MessageKind, MessageSignals
from gezien.contacts.selectors import Card, loaded_signals
from gezien.customers.models import DetailKind

UPSET_EMOTIONS = ("anger", "stress", "disappointment")
LISTEN_FIRST_AT = 0.6  # one of UPSET_EMOTIONS this strong: listen and acknowledge before solving
HIGH_ANGER_AT = 0.75  # routing: anger this strong wants an agent with the skill for it
PRESENT_AT = 0.5  # abuse, churn, repeat and life events count from here (as the analysis' own threshold)
SENSITIVE_EVENTS = ("bereavement", "illness", "hospital")


@dataclass(frozen=True)
class ProblemSource:
    """Where the assist reads known problems: a feature above the assist (the root-cause board)
    registers one with `known_problems_from`; without one the assist knows of no problems."""

    open_for_reasons: Callable[[set[int]], list[Any]]  # open problems about these reasons (or family)
    customers_of: Callable[[list[int]], dict[int, int]]  # distinct customers per problem id


_problem_source: ProblemSource | None = None


def known_problems_from(source: ProblemSource) -> None:
    global _problem_source
    _problem_source = source


@dataclass(frozen=True)
class Peak:
    """The strongest reading of one signal in this contact, with the words that raised it."""

    signal: str
    score: float
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class EarlierContact:
    contact: Contact
    last_agent_words: str


@dataclass(frozen=True)
class Matter:
    """Repeat contacts about the same matter (R7): this contact and the earlier ones of the same customer
    about the same reason family, on every channel, within the repeat window."""

    reason: ContactReason  # the family's root ("Levering")
    earlier: tuple[EarlierContact, ...]  # oldest first
    since: datetime  # when the first of them opened
    inferred: bool  # this contact has no reason yet: the matter is taken from the customer's words
    claim: tuple[Cite, ...]  # what the customer says about it ("de vijfde keer")

    @property
    def count(self) -> int:
        return len(self.earlier) + 1

    def days(self, now: datetime) -> int:
        return max(1, (timezone.localtime(now).date() - timezone.localtime(self.since).date()).days + 1)


@dataclass(frozen=True)
class KnownProblem:
    """An open problem on the root-cause board ("signaal") about a reason this customer contacted us
    about lately: the desk names it before the customer has to explain it (R20)."""

    reason: ContactReason  # the problem's reason in this customer's reason family
    customers: int  # distinct customers linked to the problem so far
    problem_id: int
    title: str
    status: str
    status_label: str
    answer: str  # the department's latest answer ("" when none yet)


@dataclass
class Situation:
    contact: Contact
    now: datetime
    address: AddressChoice
    lang: str  # the customer's language ("nl" | "en"), from their newest analysed message
    recognised: bool
    peaks: dict[str, Peak] = field(default_factory=dict)  # emotion / abuse / churn / repeat -> peak
    abusive_messages: list[Cite] = field(default_factory=list)  # one cite per abusive customer message
    abuse_history: int = 0  # earlier contacts of this customer with abuse or an incident
    life_events: dict[str, tuple[Cite, ...]] = field(default_factory=dict)  # detected in this contact
    remembered_events: list[str] = field(default_factory=list)  # remembered life-event texts
    matter: Matter | None = None
    known_problems: list[KnownProblem] = field(default_factory=list)
    protocols: set[str] = field(default_factory=set)
    acknowledged: bool = False  # an agent reply or note in this contact acknowledged the feeling
    agent_acts: set[str] = field(default_factory=set)  # acts in the agent's words in this contact
    last_customer_words: int = 0  # length in words of the customer's newest message
    dismissed: set[str] = field(default_factory=set)  # hint keys this user dismissed on this contact
    unfolded: bool = False  # this user unfolded the solutions deliberately

    @property
    def upset(self) -> Peak | None:
        """The strongest of anger, stress and disappointment when it calls for listening first."""
        found = [self.peaks[e] for e in UPSET_EMOTIONS if e in self.peaks]
        top = max(found, key=lambda p: p.score, default=None)
        return top if top is not None and top.score >= LISTEN_FIRST_AT else None

    @property
    def repeat(self) -> bool:
        return (self.matter is not None and self.matter.count >= 2) or self.score("repeat") >= PRESENT_AT

    @property
    def listen_first(self) -> bool:
        return self.upset is not None or self.repeat or bool(self.abusive_messages)

    @property
    def solutions_open(self) -> bool:
        """Solutions (articles, macros) unfold once the feeling is acknowledged, or on request."""
        return not self.listen_first or self.acknowledged or self.unfolded

    @property
    def sensitive_events(self) -> list[str]:
        return [e for e in SENSITIVE_EVENTS if e in self.life_events]

    @property
    def complaint(self) -> bool:
        reason = self.contact.reason
        in_complaint = reason is not None and (reason.code == "klacht" or reason.code.startswith("klacht_"))
        return in_complaint or self.upset is not None or self.repeat

    def score(self, signal: str) -> float:
        peak = self.peaks.get(signal)
        return peak.score if peak is not None else 0.0


def _cites(row: MessageSignals, signal: str) -> tuple[Cite, ...]:
    return tuple(
        Cite(s, words, row.message_id, rule)
        for s, _start, _end, words, rule in row.data.get("evidence", [])
        if s == signal
    )


def _peak(peaks: dict[str, Peak], row: MessageSignals, signal: str, score: float) -> None:
    if score >= PRESENT_AT * 0.5 and score > peaks.get(signal, Peak(signal, 0.0, ())).score:
        peaks[signal] = Peak(signal, score, _cites(row, signal) or _cites(row, f"model:{signal}"))


def _read_thread(situation: Situation, messages: list[Message]) -> None:
    last_customer: Message | None = None
    for message in messages:
        row = loaded_signals(message)
        if message.author == Author.CUSTOMER:
            last_customer = message
        if row is None:
            continue
        data = row.data
        if row.role == "agent":
            acts = set(data.get("acts", []))
            situation.agent_acts |= acts
            situation.acknowledged = situation.acknowledged or "acknowledgement" in acts
            continue
        situation.lang = row.lang or situation.lang
        for emotion, score in data.get("emotions", {}).items():
            _peak(situation.peaks, row, emotion, score)
        for signal in ("abuse", "churn", "repeat"):
            _peak(situation.peaks, row, signal, float(data.get(signal, 0.0)))
        if row.abuse >= PRESENT_AT:
            words = _cites(row, "abuse")
            situation.abusive_messages.append(words[0] if words else Cite("abuse", "", row.message_id))
        for event in data.get("life_events", []):
            situation.life_events[event] = situation.life_events.get(event, ()) + _cites(row, event)
    if last_customer is not None:
        situation.last_customer_words = len(last_customer.text.split())


def _family(reason: ContactReason | None, reasons: dict[int, ContactReason]) -> ContactReason | None:
    while reason is not None and reason.parent_id is not None and reason.parent_id in reasons:
        reason = reasons[reason.parent_id]
    return reason


REASONS_CACHE_KEY = "assist:reasons"


def reasons_by_id() -> dict[int, ContactReason]:
    """The whole (small) reason tree, cached for a minute: every contact view needs it. Saving or
    deleting a reason forgets it (`reasons_forget`)."""
    found: dict[int, ContactReason] | None = cache.get(REASONS_CACHE_KEY)
    if found is None:
        found = {r.pk: r for r in ContactReason.objects.all()}
        cache.set(REASONS_CACHE_KEY, found, 60)
    return found


def reasons_forget(**_kwargs: object) -> None:
    """Drop the cached reason tree (connected to ContactReason's post_save and post_delete)."""
    cache.delete(REASONS_CACHE_KEY)


def _matter(situation: Situation, card: Card) -> Matter | None:
    contact, now = situation.contact, situation.now
    reasons = reasons_by_id()
    if contact.matter_id is not None:  # an explicit kwestie (issue 5) wins over the guess below
        return _explicit_matter(situation, card, reasons)
    window = now - timedelta(days=settings.GEZIEN_REPEAT_WINDOW_DAYS)
    recent = [c for c in card.timeline if c.opened_at >= window]
    family = _family(reasons.get(contact.reason_id or 0), reasons)
    inferred = False
    if family is None:  # no reason yet: a repeat in the customer's words points at the newest matter
        if situation.score("repeat") < PRESENT_AT:
            return None
        family = next((_family(reasons.get(c.reason_id or 0), reasons) for c in recent if c.reason_id), None)
        inferred = True
    if family is None:
        return None
    same = [c for c in recent if _family(reasons.get(c.reason_id or 0), reasons) == family][::-1]
    claim = situation.peaks["repeat"].cites if "repeat" in situation.peaks else ()
    if not same:
        return Matter(family, (), contact.opened_at, inferred, claim)
    words = _last_agent_words([c.pk for c in same])
    earlier = tuple(EarlierContact(c, words.get(c.pk, "")) for c in same)
    return Matter(family, earlier, same[0].opened_at, inferred, claim)


def _explicit_matter(situation: Situation, card: Card, reasons: dict[int, ContactReason]) -> Matter | None:
    """The contact's kwestie as agents and `insights.resolution` linked it: its earlier contacts on every
    channel, however long ago; a contact an agent unlinked is no longer a repeat of it."""
    contact = situation.contact
    same = [c for c in card.timeline if c.matter_id == contact.matter_id and c.pk != contact.pk][::-1]
    family = _family(reasons.get(contact.reason_id or 0), reasons) or next(
        (_family(reasons.get(c.reason_id or 0), reasons) for c in same if c.reason_id), None
    )
    if family is None:
        return None
    claim = situation.peaks["repeat"].cites if "repeat" in situation.peaks else ()
    words = _last_agent_words([c.pk for c in same])
    earlier = tuple(EarlierContact(c, words.get(c.pk, "")) for c in same)
    since = same[0].opened_at if same else contact.opened_at
    return Matter(family, earlier, since, False, claim)


def _last_agent_words(contact_ids: list[int]) -> dict[int, str]:
    """The agent's last reply or call note in each contact: one query."""
    rows = (
        Message.objects.filter(
            contact_id__in=contact_ids, author=Author.AGENT, kind__in=[MessageKind.MESSAGE, MessageKind.NOTE]
        )
        .order_by("contact_id", "sent_at", "id")
        .values_list("contact_id", "text")
    )
    return dict(rows)  # the newest per contact wins: rows come oldest first


def _affecting(situation: Situation, card: Card) -> list[KnownProblem]:
    """Open board problems about a reason this customer contacted us about lately (or this contact is
    about), or linked to one of their contacts. Three queries."""
    if _problem_source is None:
        return []
    reasons = reasons_by_id()
    window = situation.now - timedelta(days=settings.GEZIEN_REPEAT_WINDOW_DAYS)
    theirs = {situation.contact.reason_id} | {c.reason_id for c in card.timeline if c.opened_at >= window}
    theirs.discard(None)
    families = {_family(reasons.get(r or 0), reasons) for r in theirs}
    problems = _problem_source.open_for_reasons({r for r in theirs if r is not None})
    problems += [p for p in card.problems if p.is_open and p.pk not in {q.pk for q in problems}]
    counts = _problem_source.customers_of([p.pk for p in problems])
    found = []
    for problem in problems:
        own = list(problem.reasons.all())
        reason = next((r for r in own if r.pk in theirs), None) or next(
            (r for r in own if _family(reasons.get(r.pk, r), reasons) in families), own[0] if own else None
        )
        if reason is None:
            continue
        found.append(
            KnownProblem(
                reason,
                counts.get(problem.pk, 0),
                problem.pk,
                problem.title,
                problem.status,
                str(problem.get_status_display()),
                getattr(problem, "latest_answer", None) or "",
            )
        )
    return found


# Plain SQL: every contact page counts this, and building it through the ORM (two joins, DISTINCT) cost
# more than running it.
# From the customer's contacts to their messages to each message's signals, every step by its index.
# Written as a join, SQLite chose the signals' `role` index and read every customer message's signals
# of the whole desk once per earlier contact (4.3 ms for 200 contacts on a small database, growing
# with the desk; nested it is 0.2 ms).
_ABUSE_HISTORY_SQL = (
    "SELECT COUNT(*) FROM {contact} c WHERE c.customer_id = %s AND c.id <> %s AND ("
    "EXISTS(SELECT 1 FROM {message} m WHERE m.contact_id = c.id AND EXISTS("
    "SELECT 1 FROM {signals} s WHERE s.message_id = m.id AND s.role = %s AND s.abuse >= %s))"
    " OR EXISTS(SELECT 1 FROM {incident} i WHERE i.contact_id = c.id))"
)


def _abuse_history(contact: Contact) -> int:
    """How many earlier contacts of this customer had abusive customer words or an incident."""
    if contact.customer_id is None:
        return 0
    sql = _ABUSE_HISTORY_SQL.format(
        contact=Contact._meta.db_table,
        message=Message._meta.db_table,
        signals=MessageSignals._meta.db_table,
        incident=Incident._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [contact.customer_id, contact.pk, Author.CUSTOMER.value, PRESENT_AT])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


REMEMBERED_FOR_DAYS = 365  # a death or illness remembered this recently still asks for care


def _remembered_sensitive(situation: Situation, card: Card, now: datetime) -> None:
    """A death or illness remembered on the card (e.g. "Echtgenoot Henk overleden in oktober") switches the
    contact to its protocol too, even when the customer does not mention it again: nobody should have to."""
    recent = [d for d in card.life_events if d.created_at >= now - timedelta(days=REMEMBERED_FOR_DAYS)]
    for detail in recent:
        for event in analyser().analyze(detail.text, role="customer").life_events:
            if event in SENSITIVE_EVENTS and event not in situation.life_events:
                situation.life_events[event] = (Cite(event, detail.text, None, "remembered"),)


def contact_situation(
    contact: Contact,
    card: Card | None,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
    present: frozenset[str] | None = None,
) -> Situation:
    """The picture of `contact` (its thread loaded, see `contact_with_thread`) for the assist.
    `card` is the customer's gezien-kaart (None for a contact not yet linked to a customer). `present`:
    which of "protocols" and "hint_actions" this contact has rows of (`assist.selectors.assist_rows`);
    None: read them anyway."""
    now = now or timezone.now()
    messages = list(contact.messages.all())
    signals = [row for m in messages if (row := loaded_signals(m)) is not None]
    details = (
        [*card.details, *card.life_events, *([card.addressing] if card.addressing else [])] if card else []
    )
    situation = Situation(
        contact=contact,
        now=now,
        address=contact_address(contact, details=details, signals=signals),
        lang="nl",
        recognised=contact.customer_id is not None,
    )
    _read_thread(situation, messages)
    if present is None or "protocols" in present:
        situation.protocols = set(
            ContactProtocol.objects.filter(contact=contact).values_list("protocol", flat=True)
        )
    if user_id is not None and (present is None or "hint_actions" in present):
        actions = HintAction.objects.filter(contact=contact, user_id=user_id).values_list("hint", "action")
        situation.dismissed = {hint for hint, action in actions if action == HintAction.Action.DISMISSED}
        situation.unfolded = any(action == HintAction.Action.UNFOLDED for _hint, action in actions)
    if card is not None:
        situation.remembered_events = [d.text for d in card.life_events if d.kind == DetailKind.LIFE_EVENT]
        _remembered_sensitive(situation, card, now)
        situation.matter = _matter(situation, card)
        situation.known_problems = _affecting(situation, card)
        situation.abuse_history = _abuse_history(contact)
    return situation
