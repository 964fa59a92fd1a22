"""Writes of agent states. Agents set their own (a break, lunch, signing off); the desk follows their work:
taking a call or chat puts them in contact, the last one closing starts after-contact work, which ends by
itself; signing in to the desk makes them available, and someone not seen for a while is signed off.

One open span per person (a partial unique index); each change closes it and opens the next in one
transaction, with the person's open span locked, so two changes at once cannot both open one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.assist.models import Incident
from gezien.contacts.models import Contact, ContactEvent
from gezien.core.errors import Conflict, Forbidden, Invalid
from gezien.core.prepared import IdsQuery
from gezien.desksettings.store import desk_setting
from gezien.presence.models import BreakKind, State, StateSpan
from gezien.presence.selectors import after_contact_seconds, idle_after, live_held

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)

MAX_BREAK_MINUTES = 240
# States an agent chooses; in contact and after-contact work follow their contacts.
CHOSEN_STATES = (State.AVAILABLE, State.BREAK, State.OFFLINE)
SetBy = StateSpan.SetBy


def can_set_state_of(actor: User | AnonymousUser, user: User) -> bool:
    """Anyone sets their own state; a team lead may sign off someone of their team (e.g. gone home)."""
    if not actor.is_authenticated:
        return False
    if actor.pk == user.pk:
        return actor.has_perm("presence.set_own_state")
    if actor.has_perm("presence.view_live_all_teams"):
        return True
    if not actor.has_perm("presence.view_live"):
        return False
    own = getattr(actor, "team_id", None)
    return own is not None and own == getattr(user, "team_id", None)


def _open_span(user_id: int) -> StateSpan | None:
    spans = StateSpan.objects.select_for_update(of=("self",))
    return spans.filter(user_id=user_id, ended_at__isnull=True).first()


def _change(
    user_id: int,
    state: str,
    now: datetime,
    *,
    break_kind: str = "",
    planned_end: datetime | None = None,
    contact_id: int | None = None,
    set_by: str = SetBy.AGENT,
    expect: Iterable[str] | None = None,
) -> StateSpan | None:
    """Close the open span at `now` and open `state`. With `expect`, only when the open state is one of
    these (None for "no open span"); returns None when nothing changed. Call inside a transaction."""
    current = _open_span(user_id)
    if expect is not None and (current.state if current else None) not in set(expect):
        return None
    if current is not None:
        if current.state == state and current.break_kind == break_kind:
            if planned_end != current.planned_end and state == State.BREAK:
                current.planned_end = planned_end
                current.save(update_fields=["planned_end"])
            return current
        current.ended_at = max(now, current.started_at)
        current.save(update_fields=["ended_at"])
        now = current.ended_at
    try:
        with transaction.atomic():
            return StateSpan.objects.create(
                user_id=user_id,
                state=state,
                break_kind=break_kind,
                started_at=now,
                planned_end=planned_end,
                contact_id=contact_id,
                set_by=set_by,
            )
    except IntegrityError as exc:  # another request opened a span a moment ago
        raise Conflict(_("Uw status is net al gewijzigd; probeer het opnieuw."), field="state") from exc


def state_set(
    *,
    user: User,
    state: str,
    actor: User | AnonymousUser,
    break_kind: str = "",
    minutes: int | None = None,
    now: datetime | None = None,
) -> StateSpan:
    """An agent (or their team lead) sets a state: available, a break (short, lunch, decompression,
    other; optionally for `minutes`), or signed off. In contact and after-contact work follow contacts."""
    if not can_set_state_of(actor, user):
        raise Forbidden(_("U mag de status van deze medewerker niet wijzigen."))
    if actor.pk != user.pk and state != State.OFFLINE:
        # A lead signs off someone who left; breaks and coming back are the agent's own (never ended
        # for them: "even bijkomen" is theirs).
        raise Forbidden(_("Een teamleider kan een medewerker alleen afmelden."))
    if actor.pk != user.pk and not user.works_in_desk:
        raise Invalid(_("%(name)s werkt niet in de desk.") % {"name": user.get_username()}, field="user")
    if state not in CHOSEN_STATES:
        raise Invalid(_("Kies beschikbaar, pauze of afgemeld."), field="state")
    if state == State.BREAK:
        break_kind = break_kind or BreakKind.SHORT
        if break_kind not in BreakKind.values:
            raise Invalid(_("Onbekende soort pauze."), field="break_kind")
    elif break_kind:
        raise Invalid(_("Alleen een pauze heeft een soort."), field="break_kind")
    if minutes is not None and (
        state != State.BREAK or isinstance(minutes, bool) or not 1 <= minutes <= MAX_BREAK_MINUTES
    ):
        raise Invalid(_("Een pauze duurt 1 tot 240 minuten."), field="minutes")
    now = now or timezone.now()
    planned_end = now + timedelta(minutes=minutes) if minutes else None
    set_by = SetBy.AGENT if actor.pk == user.pk else SetBy.LEAD
    with transaction.atomic():
        if state == State.AVAILABLE and live_held([user.pk]).get(user.pk):
            state = State.IN_CONTACT  # back from a break with a call or chat still open
        span = _change(user.pk, state, now, break_kind=break_kind, planned_end=planned_end, set_by=set_by)
    assert span is not None
    return span


# When someone was last seen in the desk is kept by routing, which gives contacts only to people who are
# there; it registers a keeper here, so that presence need not know routing above it.
@dataclass(frozen=True)
class SeenKeeper:
    note: Callable[..., bool]  # note(user=...): True when written (at most once a minute per person)
    read: Callable[[list[int]], dict[int, datetime | None]]  # last seen per user id


_seen_keeper: SeenKeeper | None = None


def seen_kept_by(keeper: SeenKeeper) -> None:
    global _seen_keeper
    _seen_keeper = keeper


def desk_seen(*, user: User) -> bool:
    """Note that `user` is at the desk now. True when it was written (at most once a minute)."""
    return _seen_keeper is not None and bool(_seen_keeper.note(user=user))


def signed_in(*, user: User, now: datetime | None = None) -> StateSpan | None:
    """Someone opened the desk: available (in contact with a call or chat open), unless they chose a state
    themselves (a break, signing off) or are already working. A break planned for N minutes that has run
    its time is over once they are back at the desk (the incident break said "pauze tot .."). Returns the
    new span, or None when nothing changed."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _open_span(user.pk)
        signed_off_for_away = (
            current is not None and current.state == State.OFFLINE and current.set_by == SetBy.AUTO
        )
        break_over = current is not None and current.state == State.BREAK and _planned_over(current, now)
        if current is not None and not (signed_off_for_away or break_over):
            return None
        held = live_held([user.pk]).get(user.pk)
        if held:
            return _change(user.pk, State.IN_CONTACT, now, contact_id=held[0], set_by=SetBy.AUTO)
        return _change(user.pk, State.AVAILABLE, now, set_by=SetBy.AUTO)


def _planned_over(span: StateSpan, now: datetime) -> bool:
    return span.planned_end is not None and now >= span.planned_end


# Prepared (`IdsQuery`): both run after every batch of changed contacts.
_AGENTS_OF = IdsQuery(
    lambda ids: Contact.objects.filter(pk__in=ids, assigned_agent__isnull=False).values_list(
        "assigned_agent_id"
    )
)
_IN_CONTACT_WITH = IdsQuery(
    lambda ids: StateSpan.objects.filter(
        ended_at__isnull=True, state=State.IN_CONTACT, contact_id__in=ids
    ).values_list("user_id")
)


def follow_contacts(contact_ids: list[int]) -> None:
    """After contacts changed: move their agents between available, in contact and after-contact work."""
    agents = set(_AGENTS_OF.column(contact_ids))
    # A transfer or a close can leave the previous holder with nothing: look at everyone in contact with
    # one of these contacts too.
    agents |= set(_IN_CONTACT_WITH.column(contact_ids))
    if agents:
        agents_follow_contacts(agents)


def agents_follow_contacts(user_ids: Iterable[int], now: datetime | None = None) -> int:
    """Bring these people's states in line with the live contacts they hold. Returns how many changed."""
    now = now or timezone.now()
    ids = sorted(set(user_ids))
    held = live_held(ids)
    changed = 0
    for user_id in ids:
        with transaction.atomic():
            changed += _follow(user_id, held.get(user_id, []), now)
    return changed


def _follow(user_id: int, held: list[int], now: datetime) -> int:
    current = _open_span(user_id)
    state = current.state if current else None
    if held:
        if state in (State.AVAILABLE, State.AFTER_CONTACT) or (
            current is not None and state in (State.BREAK, State.OFFLINE) and _taken_since(held, current)
        ):
            _change(user_id, State.IN_CONTACT, now, contact_id=held[0], set_by=SetBy.AUTO)
            return 1
        if current is None:
            _change(user_id, State.IN_CONTACT, now, contact_id=held[0], set_by=SetBy.AUTO)
            return 1
        if state == State.IN_CONTACT and current.contact_id not in held:
            current.contact_id = held[0]
            current.save(update_fields=["contact"])
        return 0
    if current is not None and state == State.IN_CONTACT:
        seconds = after_contact_seconds()
        if seconds:
            _change(
                user_id,
                State.AFTER_CONTACT,
                now,
                planned_end=now + timedelta(seconds=seconds),
                contact_id=current.contact_id,
                set_by=SetBy.AUTO,
            )
        else:
            _change(user_id, State.AVAILABLE, now, set_by=SetBy.AUTO)
        return 1
    return 0


def _taken_since(held: list[int], span: StateSpan) -> bool:
    """Whether one of these contacts came to this person after their break or signing off began: then
    they are working again (a person on a break keeps the chat they left open)."""
    return (
        Contact.objects.filter(pk__in=held, opened_at__gte=span.started_at).exists()
        or ContactEvent.objects.filter(
            contact_id__in=held, kind=ContactEvent.Kind.ASSIGNED, at__gte=span.started_at
        ).exists()
    )


def presence_tick(now: datetime) -> dict[str, int]:
    """On the periodic tick: after-contact work that has run its time ends (available), contacts held
    are followed, and people not seen in the desk for a while are signed off (on a break: not seen for
    longer than the longest break one can pick, past its planned end)."""
    ended = 0
    for span in StateSpan.objects.filter(
        ended_at__isnull=True, state=State.AFTER_CONTACT, planned_end__lte=now
    ).only("user_id", "planned_end"):
        with transaction.atomic():
            at = span.planned_end or now
            if _change(span.user_id, State.AVAILABLE, at, set_by=SetBy.AUTO, expect=[State.AFTER_CONTACT]):
                ended += 1
    open_spans = {
        user_id: (state, started_at, planned_end)
        for user_id, state, started_at, planned_end in StateSpan.objects.filter(ended_at__isnull=True)
        .exclude(state=State.OFFLINE)
        .values_list("user_id", "state", "started_at", "planned_end")
    }
    working = list(open_spans)
    followed = agents_follow_contacts(working, now)
    seen = _seen_keeper.read(working) if _seen_keeper is not None else {}
    held = live_held(working)
    signed_off = 0
    longest_break = timedelta(minutes=MAX_BREAK_MINUTES)
    for user_id in working:
        state, started_at, planned_end = open_spans[user_id]
        # Last sign of life: a desk request, or the state change itself (e.g. set through the API).
        last = max(filter(None, (seen.get(user_id), started_at)))
        if held.get(user_id):
            continue
        if state == State.BREAK:
            # A break is not a sign of leaving, but one that went on past its plan (or began) longer than
            # any break one can pick, without a sign of life, was someone who went home: signed off.
            last = max(last, planned_end or started_at)
            if last > now - longest_break:
                continue
            expect = [State.BREAK]
        elif last > now - idle_after():
            continue
        else:
            expect = [State.AVAILABLE, State.AFTER_CONTACT, State.IN_CONTACT]
        with transaction.atomic():
            if _change(
                user_id, State.OFFLINE, min(now, last + idle_after()), set_by=SetBy.AUTO, expect=expect
            ):
                signed_off += 1
    return {"after_contact_ended": ended, "followed": followed, "signed_off": signed_off}


# --- a break after an incident (the assist offers it; presence records it) ----------------------------


def incident_break_take(*, incident: Incident, user: User, minutes: int | None = None) -> Incident:
    """The agent takes the short break the desk offered after an incident."""
    if incident.agent_id not in (None, user.pk) and incident.reported_by_id != user.pk:
        raise Forbidden(_("Deze pauze is voor een collega."))
    minutes = desk_setting("break_minutes") if minutes is None else minutes
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 60:
        raise Invalid(_("Een pauze duurt 1 tot 60 minuten."), field="minutes")
    with transaction.atomic():
        incident.break_taken_at = timezone.now()
        incident.break_minutes = minutes
        incident.save(update_fields=["break_taken_at", "break_minutes", "updated_at"])
        # The desk shows them on a break to bijkomen (the live view, wellbeing, routing all read it).
        state_set(
            user=user,
            state=State.BREAK,
            break_kind=BreakKind.DECOMPRESSION,
            minutes=minutes,
            actor=user,
            now=incident.break_taken_at,
        )
    return incident
