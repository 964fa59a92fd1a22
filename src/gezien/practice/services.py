"""Writes of the practice room: scenarios, sessions and their turns, the finish read, assignments.

Keyword-only and atomic. A turn is taken under a lock on its session, so two posts at once cannot both
answer; a session that is finished, or that the customer ended, refuses turns (Conflict, 409).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import mean
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.coaching.habits import Turn, read_conversation
from gezien.core.errors import Conflict, Forbidden, Invalid, NotFound
from gezien.practice import selectors
from gezien.practice.customer import CustomerState, Reaction, respond
from gezien.practice.models import Assignment, PracticeSession, PracticeTurn, Scenario
from gezien.practice.scenarios import BUILTIN, REACTIONS, ScenarioSpec

TEXT_CHARS = 4000  # one turn: a chat message or a spoken sentence, not a letter's worth
SCENARIO_TEXT_CHARS = 4000
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$")
WORDS_MAX = 50  # calm, anger and help words of one scenario, each
LINES_MAX = 20  # reply lines per reaction, hints


def _text(value: str, field: str, *, limit: int = SCENARIO_TEXT_CHARS, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(_("Vul dit veld in."), field=field)
    if len(value) > limit:
        raise Invalid(_("Dit is te lang (hoogstens %(n)s tekens).") % {"n": limit}, field=field)
    return value


def _words(values: Sequence[str], field: str) -> list[str]:
    words = [w.strip().lower() for w in values if w and w.strip()]
    if len(words) > WORDS_MAX or any(len(w) > 80 for w in words):
        raise Invalid(_("Te veel of te lange woorden (hoogstens %(n)s).") % {"n": WORDS_MAX}, field=field)
    return list(dict.fromkeys(words))


def scenario_create(
    *,
    actor: User,
    slug: str,
    title: str,
    situation: str,
    opening: str,
    register: str = "formal",
    start_tension: int = 60,
    calms: str = "",
    angers: str = "",
    hints: Sequence[str] = (),
    need: str = "",
    calm_words: Sequence[str] = (),
    strict: bool = False,
    anger_words: Sequence[str] = (),
    help_words: Sequence[str] = (),
    replies: Mapping[str, Sequence[str]] | None = None,
) -> Scenario:
    """A team lead's own scenario. Its code may not be a built-in one's; reactions without lines of their
    own get the generic ones."""
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug):
        raise Invalid(_("Een code is 3 tot 40 kleine letters, cijfers en streepjes."), field="slug")
    if slug in BUILTIN:
        raise Conflict(_("Deze code is van een ingebouwd scenario."), field="slug")
    if register not in ("formal", "informal"):
        raise Invalid(_("Kies u (formal) of je (informal)."), field="register")
    if not 0 <= start_tension <= 100:
        raise Invalid(_("De spanning ligt tussen 0 en 100."), field="start_tension")
    lines: dict[str, list[str]] = {}
    for reaction, given in (replies or {}).items():
        if reaction not in REACTIONS:
            raise Invalid(_("Onbekende reactie: %(r)s") % {"r": reaction[:20]}, field="replies")
        kept = [_text(line, "replies", limit=1000) for line in given if line and line.strip()]
        if len(kept) > LINES_MAX:
            raise Invalid(_("Te veel zinnen (hoogstens %(n)s).") % {"n": LINES_MAX}, field="replies")
        if kept:
            lines[reaction] = kept
    kept_hints = [_text(h, "hints", limit=500) for h in hints if h and h.strip()]
    if len(kept_hints) > LINES_MAX:
        raise Invalid(_("Te veel tips (hoogstens %(n)s).") % {"n": LINES_MAX}, field="hints")
    row = Scenario(
        slug=slug,
        title=_text(title, "title", limit=120),
        situation=_text(situation, "situation"),
        opening=_text(opening, "opening"),
        register=register,
        start_tension=start_tension,
        calms=_text(calms, "calms", required=False),
        angers=_text(angers, "angers", required=False),
        hints=kept_hints,
        need=_text(need, "need", limit=500, required=False),
        calm_words=_words(calm_words, "calm_words"),
        strict=bool(strict and calm_words),
        anger_words=_words(anger_words, "anger_words"),
        help_words=_words(help_words, "help_words"),
        replies=lines,
        author=actor,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise Conflict(_("Er is al een scenario met deze code."), field="slug") from exc
    return row


@transaction.atomic
def session_start(*, actor: User, scenario: str) -> PracticeSession:
    """A new attempt: the scenario copied in, the customer's opening as turn 0, linked to the agent's open
    assignment for the scenario when there is one."""
    spec = selectors.scenario(scenario)
    state = CustomerState.start(spec)
    session = PracticeSession.objects.create(
        agent=actor,
        scenario=spec.slug,
        spec=spec.to_json(),
        state=state.to_json(),
        assignment=Assignment.objects.filter(agent=actor, scenario=spec.slug, done_at__isnull=True).first(),
    )
    PracticeTurn.objects.create(
        session=session, index=0, author="customer", text=spec.opening, tension=state.tension
    )
    return session


@dataclass(frozen=True)
class TurnResult:
    session: PracticeSession
    agent_turn: PracticeTurn
    customer_turn: PracticeTurn
    reaction: Reaction


def _own_open(actor: User, session_id: int) -> PracticeSession:
    """The session, locked, if it is `actor`'s own; a session you may only watch refuses (403)."""
    session = selectors.session_for(actor, session_id)
    if session.agent_id != actor.pk:
        raise Forbidden(_("Alleen wie oefent, kan in deze sessie praten."))
    locked = PracticeSession.objects.select_for_update().select_related("agent").get(pk=session.pk)
    return locked


@transaction.atomic
def session_turn(*, actor: User, session_id: int, text: str) -> TurnResult:
    """The agent says `text`; the simulated customer answers, with the feedback on the turn."""
    session = _own_open(actor, session_id)
    if session.status != PracticeSession.Status.OPEN:
        raise Conflict(_("Dit gesprek is afgelopen: start een nieuwe poging."))
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Typ eerst wat u tegen de klant zegt."), field="text")
    if len(text) > TEXT_CHARS:
        raise Invalid(
            _("Dit is te lang voor één beurt (hoogstens %(n)s tekens).") % {"n": TEXT_CHARS}, field="text"
        )
    spec = ScenarioSpec.from_json(session.spec)
    state = CustomerState.from_json(session.state)
    reaction = respond(spec, state, text)
    last = session.turns.order_by("-index").values_list("index", flat=True).first() or 0
    agent_turn = PracticeTurn.objects.create(session=session, index=last + 1, author="agent", text=text)
    customer_turn = PracticeTurn.objects.create(
        session=session,
        index=last + 2,
        author="customer",
        text=reaction.reply,
        reaction=reaction.reaction,
        tension=reaction.tension,
        feedback=reaction.feedback,
    )
    session.state = state.to_json()
    if reaction.ended:
        session.status = PracticeSession.Status.ENDED
        session.outcome = reaction.outcome
    session.save(update_fields=["state", "status", "outcome"])
    return TurnResult(session=session, agent_turn=agent_turn, customer_turn=customer_turn, reaction=reaction)


def overall(read: Mapping[str, Any]) -> int | None:
    """The attempt's score: the mean of the habits that applied (None when none did)."""
    scores = [h["score"] for h in read["habits"] if h["applies"] and h["score"] is not None]
    return round(mean(scores)) if scores else None


@transaction.atomic
def session_finish(*, actor: User, session_id: int) -> PracticeSession:
    """End the attempt: the five-habit read of the conversation (as real contacts get it), its score, and
    the assignment done. An attempt is finished once (Conflict after)."""
    session = _own_open(actor, session_id)
    if session.status == PracticeSession.Status.FINISHED:
        raise Conflict(_("Deze poging is al afgerond."))
    turns = [
        Turn("agent" if t.author == "agent" else "customer", t.text) for t in selectors.turns_of(session)
    ]
    if not any(t.author == "agent" for t in turns):
        raise Invalid(_("Zeg eerst iets tegen de klant voordat u afrondt."), field="text")
    read = read_conversation(turns).to_json()
    session.habit_read = read
    session.score = overall(read)
    session.status = PracticeSession.Status.FINISHED
    session.finished_at = timezone.now()
    session.save(update_fields=["habit_read", "score", "status", "finished_at"])
    Assignment.objects.filter(agent=actor, scenario=session.scenario, done_at__isnull=True).update(
        done_at=session.finished_at
    )
    return session


def assignment_create(
    *, actor: User, agent_id: int, scenario: str, note: str = ""
) -> tuple[Assignment, bool]:
    """Ask an agent the team lead follows to practise `scenario`; (the open assignment, created)."""
    spec = selectors.scenario(scenario)
    agent = selectors.team_members(actor).filter(pk=agent_id).first()
    if agent is None:
        raise NotFound(_("Deze medewerker volgt u niet."), field="agent")
    note = _text(note, "note", limit=500, required=False)
    with transaction.atomic():
        found = Assignment.objects.filter(agent=agent, scenario=spec.slug, done_at__isnull=True).first()
        if found is not None:
            return found, False
        row = Assignment.objects.create(agent=agent, scenario=spec.slug, assigned_by=actor, note=note)
    return row, True
