"""Coaching's writes: each closed contact's habit read (on close, and again on demand), an agent's comment
on their own read, and the policy (per-agent scores on or off)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.coaching.habits import HABITS, READ_VERSION, read_conversation
from gezien.coaching.models import CoachingPolicy, CoachingSession, ContactRead, ReadComment, StaleRead
from gezien.coaching.selectors import POLICY_CACHE_KEY, agent_for, conversations, read_for
from gezien.contacts.models import Contact, Status
from gezien.core.errors import Forbidden, Invalid, NotFound
from gezien.core.prepared import IdsQuery
from gezien.core.stale import stale_drain, stale_mark

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

log = logging.getLogger(__name__)

COMMENT_MAX = 2000
BATCH = 200

# The voice analysis of a contact's recording, where one exists: the recordings feature registers where
# to find it (`voice_from`); without one, calls are read from their transcript's offsets alone.
VoiceProvider = Callable[[list[int]], dict[int, dict[str, Any]]]
_voice_providers: list[VoiceProvider] = []


def voice_from(provider: VoiceProvider) -> None:
    """Register `provider(contact_ids) -> {contact_id: voice analysis JSON}` (an app above, in ready())."""
    _voice_providers.append(provider)


_CLOSED_WITH_AGENT = IdsQuery(
    lambda ids: Contact.objects.filter(
        pk__in=ids, status=Status.CLOSED, assigned_agent__isnull=False
    ).values_list("pk", "assigned_agent_id", "closed_at")
)
_READ_STATE = IdsQuery(
    lambda ids: ContactRead.objects.filter(pk__in=ids).values_list("pk", "closed_at", "version", "agent_id")
)


def contacts_follow(contact_ids: list[int]) -> None:
    """Listener (contacts changed): the closed ones get their read."""
    reads_refresh(contact_ids)


def reads_refresh(contact_ids: Iterable[int], *, force: bool = False) -> int:
    """Read the closed contacts that have no read yet, or an older one (closed
    again, another agent, an older rules version); `force` reads them again anyway. Returns how many."""
    closed = _CLOSED_WITH_AGENT.rows(contact_ids)
    if not closed:
        return 0
    if not force:
        known = {
            pk: (at, version, agent) for pk, at, version, agent in _READ_STATE.rows(c[0] for c in closed)
        }
        closed = [c for c in closed if known.get(c[0]) != (c[2], READ_VERSION, c[1])]
        if not closed:
            return 0
    ids = [c[0] for c in closed]
    turns = conversations(ids)
    voices: dict[int, dict[str, Any]] = {}
    for provider in _voice_providers:
        voices.update(provider(ids))
    now = timezone.now()
    reads = []
    for contact_id, agent_id, closed_at in closed:
        assert closed_at is not None  # a closed contact has it (a database constraint)
        found = read_conversation(turns.get(contact_id, []), voice=voices.get(contact_id))
        scores = {h.habit: (h.score if h.applies else None) for h in found.habits}
        reads.append(
            ContactRead(
                contact_id=contact_id,
                agent_id=agent_id,
                closed_at=closed_at,
                data=found.to_json(),
                version=found.version,
                updated_at=now,
                **scores,
            )
        )
    ContactRead.objects.bulk_create(
        reads,
        update_conflicts=True,
        unique_fields=["contact"],
        update_fields=["agent", "closed_at", "data", "version", "updated_at", *HABITS],
    )
    return len(reads)


def reads_mark_stale(contact_ids: list[int]) -> None:
    """Listener (a contact's recordings changed, inside that transaction): its read is made again by
    the tick, with the recording's voice analysis, never in the request that brought the recording."""
    stale_mark(StaleRead, contact_ids)


def reads_catch_up(now: datetime | None = None, *, limit: int | None = None) -> int:
    """The periodic job: read again the contacts marked stale (a closed one only; an open one is read
    when it closes). Returns how many marks were drained."""
    return stale_drain(StaleRead, lambda ids: reads_refresh(ids, force=True), limit=limit, batch=BATCH)


def reads_backfill(*, since: datetime | None = None, force: bool = False, progress: Any = None) -> int:
    """Read every closed contact (closed since `since`) that has no current read; in batches. Returns how
    many were read."""
    contacts = Contact.objects.filter(status=Status.CLOSED, assigned_agent__isnull=False)
    if since is not None:
        contacts = contacts.filter(closed_at__gte=since)
    ids = list(contacts.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            done += reads_refresh(ids[start : start + BATCH], force=force)
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return done


def comment_add(
    *, actor: User | AnonymousUser, contact_id: int, text: str, habit: str = "", disagree: bool = False
) -> ReadComment:
    """The agent whose read it is comments on it or disagrees (with one habit, or "" for the whole read).
    Only the read's own agent comments; the team lead sees it."""
    read = read_for(actor, contact_id)
    if read.agent_id != actor.pk:
        raise Forbidden(_("Alleen de medewerker van dit contact reageert op de eigen beoordeling."))
    if not isinstance(text, str) or not text.strip():
        raise Invalid(_("Schrijf een reactie."), field="text")
    text = text.strip()
    if len(text) > COMMENT_MAX or "\x00" in text:
        raise Invalid(_("Hooguit %(n)d tekens.") % {"n": COMMENT_MAX}, field="text")
    if habit not in ("", *HABITS):
        raise Invalid(_("Onbekende gewoonte."), field="habit")
    return ReadComment.objects.create(
        read=read, author=actor, habit=habit, disagree=bool(disagree), text=text
    )


def policy_save(*, actor: User | AnonymousUser, per_agent_scores: bool) -> CoachingPolicy:
    """A manager switches per-agent scores on or off (team figures stay either way)."""
    if not actor.has_perm("coaching.manage_coaching_policy"):
        raise Forbidden(_("Alleen managers wijzigen het coachingbeleid."))
    if not isinstance(per_agent_scores, bool):
        raise Invalid(_("Kies ja of nee."), field="per_agent_scores")
    with transaction.atomic():
        current = CoachingPolicy.objects.select_for_update().order_by("pk").first()
        if current is None:
            current = CoachingPolicy()
        current.per_agent_scores = per_agent_scores
        current.save()
    cache.delete(POLICY_CACHE_KEY)
    return current


# --- coaching sessions ----------------------------------------------------------------------------------

AGREEMENTS_MAX = 4000
EXAMPLES_MAX = 10


def _session_habits(habits: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(habits))
    if not chosen or len(chosen) > 2 or any(h not in HABITS or h == "collegas" for h in chosen):
        raise Invalid(_("Kies één of twee gewoonten."), field="habits")
    return chosen


def _session_examples(agent_id: int, examples: list[int]) -> list[int]:
    ids = list(dict.fromkeys(int(e) for e in examples))
    if len(ids) > EXAMPLES_MAX:
        raise Invalid(_("Hooguit %(n)d voorbeelden.") % {"n": EXAMPLES_MAX}, field="examples")
    known = set(ContactRead.objects.filter(pk__in=ids, agent_id=agent_id).values_list("pk", flat=True))
    if set(ids) - known:
        raise Invalid(_("Een voorbeeld is geen beoordeeld contact van deze medewerker."), field="examples")
    return ids


def _lead_of(actor: User | AnonymousUser, agent_id: int) -> User:
    """The agent, when `actor` leads them (their team lead with per-agent scores on, or a manager)."""
    if actor.pk == agent_id:
        raise Forbidden(_("Een coachgesprek plant de teamleider."))
    return agent_for(actor, agent_id)


def session_plan(
    *,
    actor: User | AnonymousUser,
    agent_id: int,
    habits: list[str],
    planned_for: datetime,
    examples: list[int] | None = None,
) -> CoachingSession:
    """A team lead (or manager) plans a coaching conversation with an agent on one or two habits."""
    agent = _lead_of(actor, agent_id)
    chosen = _session_habits(habits)
    ids = _session_examples(agent.pk, examples or [])
    if timezone.is_naive(planned_for):
        raise Invalid(_("Geef een datum en tijd."), field="planned_for")
    lead = actor if isinstance(actor, User) else None
    return CoachingSession.objects.create(
        agent=agent, lead=lead, habits=chosen, planned_for=planned_for, examples=ids
    )


def session_record(
    *,
    actor: User | AnonymousUser,
    session_id: int,
    agreements: str,
    follow_up_on: date | None = None,
    examples: list[int] | None = None,
    held_at: datetime | None = None,
) -> CoachingSession:
    """The lead records the conversation as held: the agreements, a follow-up date, the examples discussed."""
    session = CoachingSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("Dit coachgesprek bestaat niet."))
    try:
        _lead_of(actor, session.agent_id)
    except NotFound as exc:
        raise NotFound(_("Dit coachgesprek bestaat niet.")) from exc
    if not isinstance(agreements, str) or len(agreements) > AGREEMENTS_MAX or "\x00" in agreements:
        raise Invalid(_("Hooguit %(n)d tekens.") % {"n": AGREEMENTS_MAX}, field="agreements")
    when = held_at or timezone.now()
    if follow_up_on is not None and follow_up_on < timezone.localtime(when).date():
        raise Invalid(_("De vervolgdatum ligt na het gesprek."), field="follow_up_on")
    if examples is not None:
        session.examples = _session_examples(session.agent_id, examples)
    session.held_at = when
    session.agreements = agreements.strip()
    session.follow_up_on = follow_up_on
    session.save()
    return session
