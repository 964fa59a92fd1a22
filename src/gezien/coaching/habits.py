"""The five empathy habits of seed 003, read from one conversation: rules only, every score with its moments.

    from gezien.coaching.habits import Turn, read_conversation
    read = read_conversation([Turn("customer", "Mijn man is overleden ..."), Turn("agent", "Gecondoleerd")])
    read.to_json()  # {"habits": [{"habit", "applies", "score", "certainty", "moments": [...]}, ...]}

Pure Python on top of `gezien.analysis` (no Django): the coaching app stores what this returns, the practice
room reads a rehearsal with it. Each habit says whether it applies to this conversation at all (no questions
score on a one-line thank-you), a score 0..100 where it does, how sure the read is (0..1) and the moments that
show it: the turn, its time in a call, the words, good or not, and why in Dutch.

The habits (docs/coaching.md):
- `uitpraten`: the agent lets the customer finish (transcript offsets: an agent turn starting before the
  customer's ended; the voice analysis's `let_finish` and `overtalk` when given).
- `vragen`: the agent asks questions, open ones, before giving the solution.
- `rustig`: the agent stays calm under the customer's anger (no capitals, exclamations, counter-attack or
  blame; the voice's loudness and pace when given).
- `terugkoppelen`: paraphrase, checking back, and naming the customer's feeling.
- `collegas`: comparing with colleagues on the same reason; one conversation cannot show it, so it never
  applies here (the coaching app fills it in from the agent's contacts beside their colleagues').
- `eerst_luisteren`: acknowledge (or at least signpost) before asking for data or solving.
- `register`: follow the customer's form of address (u or je).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any, Literal

from gezien.analysis import Analysis, Analyzer, analyze
from gezien.analysis.result import NEGATIVE_EMOTIONS

Author = Literal["agent", "customer"]
HabitName = Literal[
    "uitpraten", "vragen", "rustig", "terugkoppelen", "collegas", "eerst_luisteren", "register"
]
HABITS: tuple[HabitName, ...] = (
    "uitpraten",
    "vragen",
    "rustig",
    "terugkoppelen",
    "collegas",
    "eerst_luisteren",
    "register",
)
# The Dutch names the desk shows (the coaching app translates them through gettext).
HABIT_LABELS: dict[str, str] = {
    "uitpraten": "Laat de klant uitpraten",
    "vragen": "Stel vragen",
    "rustig": "Blijf rustig",
    "terugkoppelen": "Koppel terug",
    "collegas": "Leer van collega's",
    "eerst_luisteren": "Eerst luisteren, dan oplossen",
    "register": "Volg de aanspreekvorm",
}
READ_VERSION = "habits-1"

OVERLAP_S = 0.25  # an agent who starts this much before the customer's end talks over them (not a hand-over)
OVERTALK_S = 0.5  # a voice overtalk this long counts (shorter: a "hm-hm")
QUOTE_MAX = 160
FEELING_AT = 0.35  # a customer's negative emotion this strong asks to be acknowledged
ANGER_AT = 0.4
SUBSTANCE_WORDS = 8  # a customer turn with this many words tells something (not "ja", "dank u")

_WORD = re.compile(r"\w+", re.UNICODE)
_EXCLAIM = re.compile(r"!")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
_CUT_OFF = re.compile(r"(?:-{1,2}|—|–|\.\.\.|…)\s*$")
# Counter-attack and blame: the agent turns on the customer. Lowercased phrases, matched on word boundaries.
_BLAME = tuple(
    re.compile(r"\b" + re.escape(p) + r"\b")
    for p in (
        "eigen schuld",
        "uw schuld",
        "jouw schuld",
        "je eigen fout",
        "uw eigen fout",
        "had u maar",
        "had je maar",
        "u had moeten",
        "je had moeten",
        "had u moeten",
        "had je moeten",
        "u moet niet zo",
        "je moet niet zo",
        "niet zo schreeuwen",
        "niet schreeuwen",
        "doe normaal",
        "doe eens normaal",
        "rustig aan",
        "kalm aan",
        "zo praat u niet",
        "zo praat je niet",
        "niet mijn probleem",
        "niet mijn schuld",
        "daar kan ik niks aan doen",
        "daar kan ik niets aan doen",
        "u luistert niet",
        "je luistert niet",
        "zoals ik al zei",
        "zoals ik al eerder zei",
        "dat heb ik al gezegd",
        "dat zei ik al",
        "ligt aan u",
        "ligt aan jou",
        "your own fault",
        "calm down",
        "as i already said",
        "not my problem",
    )
)
# Checking back: the agent asks whether they understood.
_CHECK_BACK = tuple(
    re.compile(r"\b" + re.escape(p) + r"\b")
    for p in (
        "klopt dat",
        "klopt het dat",
        "begrijp ik het goed",
        "heb ik het goed begrepen",
        "heb ik dat goed begrepen",
        "als ik het goed begrijp",
        "als ik u goed begrijp",
        "als ik je goed begrijp",
        "bedoelt u",
        "bedoel je",
        "is dat zo",
        "did i get that right",
        "do you mean",
        "is that right",
    )
)
# Words that name a feeling (the customer's, when the agent says them).
_FEELINGS = re.compile(
    r"\b(boos|boosheid|kwaad|teleurgesteld|teleurstelling|vervelend|frustrerend|frustratie|gefrustreerd|"
    r"verdrietig|verdriet|zorgen|ongerust|bezorgd|geschrokken|schrikken|schrik|gestrest|stress|"
    r"onzeker|radeloos|wanhopig|moe|zat|balen|baalt|baal|irritant|geïrriteerd|ergernis|ergerlijk|"
    r"overstuur|moeilijk|zwaar|rot|pijnlijk|begrijpelijk|schrikt|schok|geschokt|voel|voelt|gevoel|"
    r"ongerustheid|ongemak|gedoe|klote|balen|jammer|naar voor|verlies|gecondoleerd|condoleances|"
    r"angry|upset|frustrated|frustrating|disappointed|disappointing|worried|sad|sorry for your loss|"
    r"annoying|stressful|understandable)\b"
)
_EMPATHY_ACTS = frozenset({"acknowledgement", "paraphrase", "apology"})
# "I understand that ..." frames a feeling word as the customer's.
_UNDERSTAND = re.compile(
    r"\b(snap|begrijp|begrijpelijk|voorstellen|logisch dat|kan me|i understand|i can imagine)\b"
)


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn of a conversation: who spoke or wrote, the words, and in a call its time (seconds)."""

    author: Author
    text: str
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True, slots=True)
class Moment:
    """One place in the conversation that shows a habit: the turn's index, its time in a call, the words."""

    turn: int | None
    at_s: float | None
    quote: str
    good: bool
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"turn": self.turn, "at_s": self.at_s, "quote": self.quote, "good": self.good, "why": self.why}


@dataclass(slots=True)
class HabitScore:
    """One habit's read: whether it applies, its score (0..100, None where not), how sure, the moments."""

    habit: HabitName
    applies: bool
    score: int | None
    certainty: float
    moments: list[Moment] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "habit": self.habit,
            "applies": self.applies,
            "score": self.score,
            "certainty": round(self.certainty, 2),
            "moments": [m.to_json() for m in self.moments],
        }


@dataclass(slots=True)
class HabitRead:
    """The seven habits' reads of one conversation, in the order of `HABITS`."""

    habits: list[HabitScore]
    version: str = READ_VERSION

    def to_json(self) -> dict[str, Any]:
        return {"habits": [h.to_json() for h in self.habits], "version": self.version}

    def habit(self, name: str) -> HabitScore:
        for h in self.habits:
            if h.habit == name:
                return h
        raise KeyError(name)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HabitRead:
        """A stored read back (the shape `to_json` wrote)."""
        habits = [
            HabitScore(
                habit=h["habit"],
                applies=bool(h["applies"]),
                score=h["score"],
                certainty=float(h["certainty"]),
                moments=[Moment(**m) for m in h.get("moments", [])],
            )
            for h in data.get("habits", [])
        ]
        return cls(habits=habits, version=str(data.get("version", READ_VERSION)))


def read_conversation(
    turns: Sequence[Turn], *, voice: dict[str, Any] | None = None, analyzer: Analyzer | None = None
) -> HabitRead:
    """The habits' read of a conversation. `voice` is the voice analysis's JSON of its recording where there
    is one (`let_finish`, `overtalk`, `sides`); `analyzer` the desk's analyser (default: shipped rules)."""
    for n, turn in enumerate(turns):
        if turn.author not in ("agent", "customer"):
            raise ValueError(f"turn {n}: author must be 'agent' or 'customer', not {turn.author!r}")
        if not isinstance(turn.text, str):
            raise TypeError(f"turn {n}: text must be a str")
    ctx = _Context(list(turns), voice or {}, analyzer)
    return HabitRead(
        habits=[
            _uitpraten(ctx),
            _vragen(ctx),
            _rustig(ctx),
            _terugkoppelen(ctx),
            _collegas(),
            _eerst_luisteren(ctx),
            _register(ctx),
        ]
    )


class _Context:
    """The turns with their analyses (each turn read with its author's role), and the voice analysis."""

    def __init__(self, turns: list[Turn], voice: dict[str, Any], analyzer: Analyzer | None) -> None:
        self.turns = turns
        self.voice = voice
        run = analyzer.analyze if analyzer is not None else analyze
        self.analyses: list[Analysis] = [run(t.text, role=t.author) for t in turns]
        self.agent = [n for n, t in enumerate(turns) if t.author == "agent"]
        self.customer = [n for n, t in enumerate(turns) if t.author == "customer"]
        # What an agent's words would weigh as abuse (their own analysis reads acts and tone only).
        self._agent_abuse: dict[int, float] = {}
        self._run = run

    def words(self, n: int) -> int:
        return len(_WORD.findall(self.turns[n].text))

    def moment(self, n: int, good: bool, why: str, quote: str | None = None) -> Moment:
        text = quote if quote is not None else self.turns[n].text
        start = self.turns[n].start_s
        at_s = None if start is None else round(float(start), 2)
        return Moment(turn=n, at_s=at_s, quote=_quote(text), good=good, why=why)

    def quote_of(self, n: int, signals: set[str]) -> str | None:
        """The sentence of turn `n` holding the words that raised one of `signals` (the first such
        evidence), if any: enough to recognise the moment, not the whole e-mail."""
        text = self.turns[n].text
        for e in self.analyses[n].evidence:
            if e.signal in signals:
                if text[e.start : e.end] != e.text:
                    return e.text
                start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, e.start)), default=0)
                after = _SENTENCE_END.search(text, e.end)
                return text[start : after.end() if after else len(text)].strip()
        return None

    def negative(self, n: int) -> float:
        a = self.analyses[n]
        return max((a.emotions[e] for e in NEGATIVE_EMOTIONS), default=0.0)

    def anger(self, n: int) -> float:
        a = self.analyses[n]
        return max(a.emotions["anger"], a.abuse)

    def agent_abuse(self, n: int) -> float:
        if n not in self._agent_abuse:
            self._agent_abuse[n] = self._run(self.turns[n].text, role="customer").abuse
        return self._agent_abuse[n]

    def troubled(self, n: int) -> bool:
        """A customer turn that shows a feeling to acknowledge: a negative emotion, a life event, abuse,
        or that they have contacted us before."""
        a = self.analyses[n]
        return self.negative(n) >= FEELING_AT or bool(a.life_events) or a.repeat >= 0.5 or a.abuse >= 0.3

    def problem(self, n: int) -> bool:
        """A customer turn that brings a problem (troubled, or clearly negative words), not a question."""
        return self.troubled(n) or (self.analyses[n].sentiment <= -0.5 and self.words(n) >= SUBSTANCE_WORDS)

    def substantive(self, n: int) -> bool:
        """A customer turn that tells something: long enough, or a feeling, or a life event."""
        a = self.analyses[n]
        return self.words(n) >= SUBSTANCE_WORDS or self.negative(n) >= FEELING_AT or bool(a.life_events)

    def thanks_only(self) -> bool:
        """The customer only thanks or confirms: no negative feeling and little said."""
        if not self.customer:
            return True
        total = sum(self.words(n) for n in self.customer)
        negative = max(self.negative(n) for n in self.customer)
        pleased = max(
            max(self.analyses[n].emotions["appreciation"], self.analyses[n].emotions["satisfaction"])
            for n in self.customer
        )
        return negative < 0.3 and (total < 12 or (pleased >= 0.5 and total < 25))

    def turn_at(self, at_s: float, side: Author | None = None) -> int | None:
        """The turn (of `side`) at a time in the call: the one holding it, else the one starting nearest."""
        timed = [
            n
            for n, t in enumerate(self.turns)
            if t.start_s is not None and (side is None or t.author == side)
        ]
        if not timed:
            return None
        for n in timed:
            t = self.turns[n]
            if t.start_s is not None and t.end_s is not None and t.start_s <= at_s <= t.end_s:
                return n
        return min(timed, key=lambda n: abs((self.turns[n].start_s or 0.0) - at_s))


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1].rstrip() + "…"


def _not_applicable(habit: HabitName) -> HabitScore:
    return HabitScore(habit=habit, applies=False, score=None, certainty=0.0)


def _clamp(value: float) -> int:
    return max(0, min(100, round(value)))


# --- 1. uitpraten -----------------------------------------------------------------------------------------


def _uitpraten(ctx: _Context) -> HabitScore:
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
        return _not_applicable("uitpraten")
    return _uitpraten_score(chances, interrupts, moments, certainty=0.4)


def _uitpraten_voice(ctx: _Context) -> HabitScore:
    moments: list[Moment] = []
    chances = interrupts = 0
    for item in ctx.voice.get("let_finish") or []:
        at = _float(item.get("at_s"))
        if at is None:
            continue
        chances += 1
        n = ctx.turn_at(at, "agent")
        gap = _float(item.get("gap_s"))
        if item.get("finished"):
            if gap is not None and gap >= 0.3:
                moments.append(_voice_moment(ctx, n, at, True, "U wachtte tot de klant klaar was."))
        else:
            interrupts += 1
            moments.append(_voice_moment(ctx, n, at, False, "U begon te praten voordat de klant klaar was."))
    for item in ctx.voice.get("overtalk") or []:
        if item.get("by") != "agent":
            continue
        start, duration = _float(item.get("start_s")), _float(item.get("duration_s"))
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
        return _not_applicable("uitpraten")
    return _uitpraten_score(chances, interrupts, moments, certainty=0.9)


def _voice_moment(ctx: _Context, n: int | None, at: float, good: bool, why: str) -> Moment:
    quote = ctx.turns[n].text if n is not None else ""
    return Moment(turn=n, at_s=round(at, 2), quote=_quote(quote), good=good, why=why)


def _uitpraten_score(chances: int, interrupts: int, moments: list[Moment], *, certainty: float) -> HabitScore:
    chances = max(chances, interrupts)
    if not chances:
        return _not_applicable("uitpraten")
    score = 100 * (1 - interrupts / chances)
    sure = certainty * min(1.0, 0.5 + chances / 6)
    return HabitScore("uitpraten", True, _clamp(score), sure, _ordered(moments))


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _ordered(moments: list[Moment]) -> list[Moment]:
    """Moments in the conversation's order; the ones to improve first where they share a turn."""
    return sorted(moments, key=lambda m: (m.turn if m.turn is not None else 10**9, m.good))


# --- 2. vragen --------------------------------------------------------------------------------------------


def _vragen(ctx: _Context) -> HabitScore:
    """Questions that show interest (not a request for the postcode), open ones, before the solution."""
    if ctx.thanks_only() or not ctx.agent:
        return _not_applicable("vragen")
    told = [n for n in ctx.customer if ctx.substantive(n)]
    if not (any(ctx.problem(n) for n in ctx.customer) or (told and len(ctx.customer) >= 2)):
        return _not_applicable("vragen")  # one plain question, answered: nothing to ask about
    moments: list[Moment] = []
    questions = open_q = 0
    before_solution = False
    solution_at: int | None = None
    for n in ctx.agent:
        if n < ctx.customer[0]:
            continue  # the greeting before the customer spoke ("waarmee kan ik u helpen?")
        acts = ctx.analyses[n].acts
        if "open_question" in acts or ("closed_question" in acts and "data_request" not in acts):
            questions += 1
            is_open = "open_question" in acts
            open_q += is_open
            if solution_at is None:
                before_solution = True
            quote = ctx.quote_of(n, {"open_question", "closed_question"})
            why = (
                "Open vraag: de klant kan in eigen woorden vertellen."
                if is_open
                else "Gesloten vraag: u checkt iets bij de klant."
            )
            moments.append(ctx.moment(n, True, why, quote))
        if "solution" in acts and solution_at is None:
            solution_at = n
            if not questions:
                moments.append(
                    ctx.moment(
                        n,
                        False,
                        "U gaf een oplossing zonder eerst een vraag te stellen.",
                        ctx.quote_of(n, {"solution"}),
                    )
                )
    if not questions:
        if not any(not m.good for m in moments):
            first = next((n for n in ctx.agent if n > ctx.customer[0]), ctx.agent[-1])
            moments.append(ctx.moment(first, False, "U stelde de klant geen enkele vraag."))
        score = 0
    else:
        score = 40 + (25 if before_solution else 0) + (25 if open_q else 0) + (10 if questions > 1 else 0)
    sure = min(0.9, 0.45 + 0.1 * len(ctx.agent))
    return HabitScore("vragen", True, _clamp(score), sure, _ordered(moments))


# --- 3. rustig --------------------------------------------------------------------------------------------


def _rustig(ctx: _Context) -> HabitScore:
    """Under the customer's anger: no capitals, no exclamations, no counter-attack or blame, and in a call
    no raised voice or racing pace. Capitals and blame count wherever they are."""
    angry_from = next((n for n in ctx.customer if ctx.anger(n) >= ANGER_AT), None)
    moments: list[Moment] = []
    bad = calm = 0
    for n in ctx.agent:
        text = ctx.turns[n].text
        lowered = text.lower()
        under_anger = angry_from is not None and n > angry_from
        reasons: list[tuple[str, str]] = []
        shout = ctx.quote_of(n, {"shouting"})
        if shout:
            reasons.append((shout, "Hoofdletters lezen als schreeuwen."))
        blame = next((m.group(0) for p in _BLAME if (m := p.search(lowered))), None)
        if blame:
            reasons.append((blame, "Dit klinkt als een tegenaanval of de schuld bij de klant leggen."))
        elif ctx.agent_abuse(n) >= 0.5:
            reasons.append((text, "Dit klinkt als een tegenaanval."))
        if under_anger and len(_EXCLAIM.findall(text)) >= 1 and not reasons:
            reasons.append((text, "Uitroeptekens tegenover een boze klant maken het feller."))
        if reasons:
            bad += 1
            quote, why = reasons[0]
            moments.append(ctx.moment(n, False, why, quote))
        elif under_anger and n - 1 in ctx.customer and ctx.anger(n - 1) >= ANGER_AT:
            calm += 1
            if _EMPATHY_ACTS & ctx.analyses[n].acts:
                moments.append(ctx.moment(n, True, "U bleef rustig en erkende de boosheid van de klant."))
            else:
                moments.append(ctx.moment(n, True, "U bleef rustig, ook toen de klant boos was."))
    voice_bad = _rustig_voice(ctx, moments)
    bad += voice_bad
    if angry_from is None and not bad:
        return _not_applicable("rustig")
    chances = max(1, bad + calm)
    score = 100 * (1 - bad / chances) if calm else max(0, 100 - 40 * bad)
    sure = 0.85 if ctx.voice.get("sides") else 0.7
    if angry_from is None:
        sure = 0.5  # capitals or blame without an angry customer: clear, but less at stake
    return HabitScore("rustig", True, _clamp(score), sure, _ordered(moments))


def _rustig_voice(ctx: _Context, moments: list[Moment]) -> int:
    """Seconds the agent was much louder than their own usual level, and a racing pace, from the voice."""
    agent = (ctx.voice.get("sides") or {}).get("agent") or {}
    bad = 0
    loudness = [v for v in agent.get("loudness_db") or [] if _float(v) is not None and v > -60]
    if len(loudness) >= 10:
        usual = median(loudness)
        loud = [
            s
            for s, v in enumerate(agent.get("loudness_db") or [])
            if _float(v) is not None and v >= usual + 9
        ]
        if loud:
            bad += 1
            n = ctx.turn_at(float(loud[0]), "agent")
            moments.append(
                _voice_moment(
                    ctx, n, float(loud[0]), False, "Uw stem werd hier duidelijk luider dan gewoonlijk."
                )
            )
    rate = _float(agent.get("speaking_rate"))
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


# --- 4. terugkoppelen -------------------------------------------------------------------------------------


def _terugkoppelen(ctx: _Context) -> HabitScore:
    """Paraphrase and checking back; naming the customer's feeling where they showed one."""
    substantive = [n for n in ctx.customer if ctx.substantive(n)]
    if not substantive or not ctx.agent or ctx.thanks_only():
        return _not_applicable("terugkoppelen")
    feeling_turns = [n for n in ctx.customer if ctx.troubled(n)]
    told = sum(ctx.words(n) for n in ctx.customer)
    if not feeling_turns and (len(substantive) < 2 or told < 30):
        return _not_applicable("terugkoppelen")  # no feeling to name and no story to sum up
    moments: list[Moment] = []
    paraphrased = checked = named = acknowledged = False
    for n in ctx.agent:
        if n < substantive[0]:
            continue
        a = ctx.analyses[n]
        lowered = ctx.turns[n].text.lower()
        if "paraphrase" in a.acts:
            paraphrased = True
            moments.append(
                ctx.moment(
                    n,
                    True,
                    "U vatte in eigen woorden samen wat de klant zei.",
                    ctx.quote_of(n, {"paraphrase"}),
                )
            )
        check = next((m.group(0) for p in _CHECK_BACK if (m := p.search(lowered))), None)
        if check and "paraphrase" not in a.acts:
            checked = True
            moments.append(ctx.moment(n, True, "U vroeg na of u het goed begreep."))
        elif check:
            checked = True
        if feeling_turns and n > feeling_turns[0] and not named:
            if _FEELINGS.search(lowered) and (_EMPATHY_ACTS & a.acts or _UNDERSTAND.search(lowered)):
                moments.append(ctx.moment(n, True, "U benoemde het gevoel van de klant."))
                named = True
            elif _EMPATHY_ACTS & a.acts and not acknowledged:
                acknowledged = True
                moments.append(
                    ctx.moment(
                        n,
                        True,
                        "U erkende wat de klant overkwam; het gevoel zelf benoemen kan nog sterker.",
                        ctx.quote_of(n, set(_EMPATHY_ACTS)),
                    )
                )
    if feeling_turns and not (named or acknowledged):
        after = next((n for n in ctx.agent if n > feeling_turns[0]), None)
        if after is not None:
            moments.append(ctx.moment(after, False, "De klant liet een gevoel merken; u benoemde het niet."))
    if not feeling_turns and not (paraphrased or checked):
        first = next((n for n in ctx.agent if n > substantive[0]), None)
        if first is not None and not any(m.turn == first for m in moments):
            moments.append(
                ctx.moment(first, False, "U vatte niet samen en vroeg niet na of u het goed begreep.")
            )
    if feeling_turns:  # naming the feeling counts most; summing up or checking back adds to it
        score: float = (65 if named else 40 if acknowledged else 0) + (25 if paraphrased else 0)
        score += 10 if checked else 0
        if not named and (paraphrased or checked):
            score = max(score, 30)
    else:
        score = (70 if paraphrased else 0) + (30 if checked else 0)
    sure = 0.7 if feeling_turns else 0.55
    return HabitScore("terugkoppelen", True, _clamp(score), sure, _ordered(moments))


# --- 5. collegas ------------------------------------------------------------------------------------------


def _collegas() -> HabitScore:
    """One conversation shows nothing of learning from colleagues: the coaching app compares contacts."""
    return _not_applicable("collegas")


# --- eerst_luisteren --------------------------------------------------------------------------------------


def _eerst_luisteren(ctx: _Context) -> HabitScore:
    """After the customer's first telling turn, does the agent acknowledge before asking for data or
    solving? Signposting the data request ("daarvoor pak ik uw gegevens erbij") is half way."""
    start = next((n for n in ctx.customer if ctx.problem(n)), None)
    if start is None:
        return _not_applicable("eerst_luisteren")  # a plain question may be answered straight away
    heavy = ctx.negative(start) >= FEELING_AT or bool(ctx.analyses[start].life_events)
    for n in ctx.agent:
        if n <= start:
            continue
        a = ctx.analyses[n]
        empathic = bool(_EMPATHY_ACTS & a.acts) or (
            "open_question" in a.acts and "data_request" not in a.acts
        )
        business = {"data_request", "solution"} & a.acts
        if empathic and _empathy_first(ctx, n):
            why = (
                "U erkende eerst wat de klant vertelde, pas daarna de zaak."
                if business
                else "U luisterde eerst en erkende wat de klant vertelde."
            )
            quote = ctx.quote_of(n, set(_EMPATHY_ACTS) | {"open_question"})
            return HabitScore(
                "eerst_luisteren", True, 100, 0.75 if heavy else 0.6, [ctx.moment(n, True, why, quote)]
            )
        if business:
            what = "gegevens" if "data_request" in business else "een oplossing"
            quote = ctx.quote_of(n, {"data_request", "solution"})
            if "signposting" in a.acts and "data_request" in business:
                why = "U legde uit waarom u gegevens vroeg, maar erkende niet eerst wat de klant vertelde."
                return HabitScore("eerst_luisteren", True, 55, 0.65, [ctx.moment(n, False, why, quote)])
            why = f"U vroeg meteen om {what} zonder eerst te erkennen wat de klant vertelde."
            if what == "een oplossing":
                why = "U gaf meteen een oplossing zonder eerst te erkennen wat de klant vertelde."
            if ctx.analyses[start].life_events:
                why += " De klant vertelde iets ingrijpends."
            score = 0 if heavy else 25
            return HabitScore(
                "eerst_luisteren", True, score, 0.8 if heavy else 0.6, [ctx.moment(n, False, why, quote)]
            )
    return _not_applicable("eerst_luisteren")


def _empathy_first(ctx: _Context, n: int) -> bool:
    """In one turn holding both, the acknowledgement comes before the data request or the solution."""
    first_empathy = min(
        (e.start for e in ctx.analyses[n].evidence if e.signal in _EMPATHY_ACTS | {"open_question"}),
        default=None,
    )
    first_business = min(
        (e.start for e in ctx.analyses[n].evidence if e.signal in {"data_request", "solution"}), default=None
    )
    return first_empathy is not None and (first_business is None or first_empathy <= first_business)


# --- register ---------------------------------------------------------------------------------------------


def _register(ctx: _Context) -> HabitScore:
    """The agent addresses the customer as the customer addresses them: u for u, je for je."""
    seen = {ctx.analyses[n].register for n in ctx.customer} - {"unknown"}
    if len(seen) != 1 or "mixed" in seen:
        return _not_applicable("register")
    customer = next(iter(seen))
    cues = sum(1 for n in ctx.customer for e in ctx.analyses[n].evidence if e.signal == customer)
    moments: list[Moment] = []
    match = miss = 0
    for n in ctx.agent:
        reg = ctx.analyses[n].register
        if reg == "unknown":
            continue
        if reg == customer:
            match += 1
            if match == 1:
                quote = ctx.quote_of(n, {customer})
                form = "u" if customer == "formal" else "je"
                moments.append(
                    ctx.moment(
                        n, True, f"U sprak de klant aan met '{form}', zoals de klant zelf deed.", quote
                    )
                )
        else:
            miss += 1
            quote = ctx.quote_of(n, {"formal", "informal"} - {customer})
            form, theirs = ("je", "u") if customer == "formal" else ("u", "je")
            moments.append(
                ctx.moment(n, False, f"U zei '{form}' terwijl de klant '{theirs}' gebruikt.", quote)
            )
    if not match + miss:
        return _not_applicable("register")
    score = 100 * match / (match + miss)
    sure = min(0.9, 0.4 + 0.15 * cues + 0.05 * (match + miss))
    return HabitScore("register", True, _clamp(score), sure, _ordered(moments))
