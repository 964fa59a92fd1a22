"""The habit rules that read the call's timing and the voice: `uitpraten` and the voice half of `rustig`.

`uitpraten` (let the customer finish) reads interruptions from the voice analysis's `let_finish` and
`overtalk` when given, else from the transcript's offsets, else from customer turns that break off;
`rustig_voice` adds to `rustig` the seconds the agent was much louder than usual and a racing pace. The
other habits read the words and live in `gezien.coaching.habits`, which calls these.
"""

from __future__ import annotations

import re
from statistics import median

from gezien.coaching.habit_context import (
    Context,
    HabitScore,
    Moment,
    as_float,
    clamp,
    in_order,
    not_applicable,
    short_quote,
)

OVERLAP_S = 0.25  # an agent who starts this much before the customer's end talks over them (not a hand-over)
OVERTALK_S = 0.5  # a voice overtalk this long counts (shorter: a "hm-hm")

_CUT_OFF = re.compile(r"(?:-{1,2}|—|–|\.\.\.|…)\s*$")


def uitpraten(ctx: Context) -> HabitScore:
    """Interruptions from the voice analysis when given, else from the transcript's offsets, else from
    customer turns that break off mid-sentence ("--", "…") with the agent's turn right after."""
    if ctx.voice.get("let_finish") or ctx.voice.get("overtalk"):
        return _uitpraten_voice(ctx)
    moments: list[Moment] = []
    chances = interrupts = 0
    last_customer: int | None = None
    timed = False
    for n, turn in enumerate(ctx.turns):
        if turn.author == "customer":
            last_customer = n
            continue
        if last_customer is None:
            continue
        before = ctx.turns[last_customer]
        if turn.start_s is not None and before.end_s is not None:
            timed = True
            chances += 1
            overlap = before.end_s - turn.start_s
            if overlap >= OVERLAP_S:
                interrupts += 1
                moments.append(
                    ctx.moment(
                        n,
                        False,
                        f"U begon {overlap:.1f} s voordat de klant was uitgesproken.".replace(".", ",", 1),
                    )
                )
            elif ctx.substantive(last_customer):
                moments.append(ctx.moment(n, True, "U liet de klant uitpraten voordat u reageerde."))
        last_customer = None
    if timed:
        return _uitpraten_score(chances, interrupts, moments, certainty=0.8)
    # Without times: a customer turn that breaks off, answered straight away by the agent.
    for n in ctx.agent:
        if n > 0 and ctx.turns[n - 1].author == "customer":
            chances += 1
            if _CUT_OFF.search(ctx.turns[n - 1].text.strip()):
                interrupts += 1
                moments.append(ctx.moment(n, False, "De klant brak af midden in een zin en u nam het over."))
    if not interrupts:
        return not_applicable("uitpraten")
    return _uitpraten_score(chances, interrupts, moments, certainty=0.4)


def _uitpraten_voice(ctx: Context) -> HabitScore:
    moments: list[Moment] = []
    chances = interrupts = 0
    for item in ctx.voice.get("let_finish") or []:
        at = as_float(item.get("at_s"))
        if at is None:
            continue
        chances += 1
        n = ctx.turn_at(at, "agent")
        gap = as_float(item.get("gap_s"))
        if item.get("finished"):
            if gap is not None and gap >= 0.3:
                moments.append(_voice_moment(ctx, n, at, True, "U wachtte tot de klant klaar was."))
        else:
            interrupts += 1
            moments.append(_voice_moment(ctx, n, at, False, "U begon te praten voordat de klant klaar was."))
    for item in ctx.voice.get("overtalk") or []:
        if item.get("by") != "agent":
            continue
        start, duration = as_float(item.get("start_s")), as_float(item.get("duration_s"))
        if start is None or duration is None or duration < OVERTALK_S:
            continue
        if not ctx.voice.get("let_finish"):
            chances += 1
            interrupts += 1
        n = ctx.turn_at(start, "agent")
        why = f"U praatte {duration:.1f} s door de klant heen.".replace(".", ",", 1)
        if not any(m.at_s is not None and abs(m.at_s - start) < 1.0 and not m.good for m in moments):
            moments.append(_voice_moment(ctx, n, start, False, why))
    if not chances:
        return not_applicable("uitpraten")
    return _uitpraten_score(chances, interrupts, moments, certainty=0.9)


def _voice_moment(ctx: Context, n: int | None, at: float, good: bool, why: str) -> Moment:
    quote = ctx.turns[n].text if n is not None else ""
    return Moment(turn=n, at_s=round(at, 2), quote=short_quote(quote), good=good, why=why)


def _uitpraten_score(chances: int, interrupts: int, moments: list[Moment], *, certainty: float) -> HabitScore:
    chances = max(chances, interrupts)
    if not chances:
        return not_applicable("uitpraten")
    score = 100 * (1 - interrupts / chances)
    sure = certainty * min(1.0, 0.5 + chances / 6)
    return HabitScore("uitpraten", True, clamp(score), sure, in_order(moments))


def rustig_voice(ctx: Context, moments: list[Moment]) -> int:
    """Seconds the agent was much louder than their own usual level, and a racing pace, from the voice."""
    agent = (ctx.voice.get("sides") or {}).get("agent") or {}
    bad = 0
    loudness = [v for v in agent.get("loudness_db") or [] if as_float(v) is not None and v > -60]
    if len(loudness) >= 10:
        usual = median(loudness)
        loud = [
            s
            for s, v in enumerate(agent.get("loudness_db") or [])
            if as_float(v) is not None and v >= usual + 9
        ]
        if loud:
            bad += 1
            n = ctx.turn_at(float(loud[0]), "agent")
            moments.append(
                _voice_moment(
                    ctx, n, float(loud[0]), False, "Uw stem werd hier duidelijk luider dan gewoonlijk."
                )
            )
    rate = as_float(agent.get("speaking_rate"))
    if rate is not None and rate > 6.0:
        bad += 1
        moments.append(
            Moment(
                turn=None,
                at_s=None,
                quote="",
                good=False,
                why=f"U sprak snel ({rate:.1f} lettergrepen per seconde); rustiger praten ontspant.".replace(
                    ".", ",", 1
                ),
            )
        )
    return bad
