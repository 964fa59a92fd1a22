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

This module is the read's documented interface (docs/coaching.md: `Turn`, `read_conversation`, `HabitRead`;
`Turn` is defined in `habit_context` and re-exported here as part of it) and holds the rules that read the
words. The conversation model and what the rules ask of a turn are in `gezien.coaching.habit_context`;
the rules that read the call's timing and the voice (`uitpraten`, the voice half of `rustig`) in
`gezien.coaching.habit_timing`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gezien.analysis import Analyzer
from gezien.coaching.habit_context import (
    FEELING_AT,
    Context,
    HabitName,
    HabitScore,
    Moment,
    clamp,
    in_order,
    not_applicable,
)
from gezien.coaching.habit_context import (
    Turn as Turn,
)
from gezien.coaching.habit_timing import rustig_voice, uitpraten

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

ANGER_AT = 0.4
_EXCLAIM = re.compile(r"!")
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
    ctx = Context(list(turns), voice or {}, analyzer)
    return HabitRead(
        habits=[
            uitpraten(ctx),
            _vragen(ctx),
            _rustig(ctx),
            _terugkoppelen(ctx),
            _collegas(),
            _eerst_luisteren(ctx),
            _register(ctx),
        ]
    )


# --- 2. vragen --------------------------------------------------------------------------------------------


def _vragen(ctx: Context) -> HabitScore:
    """Questions that show interest (not a request for the postcode), open ones, before the solution."""
    if ctx.thanks_only() or not ctx.agent:
        return not_applicable("vragen")
    told = [n for n in ctx.customer if ctx.substantive(n)]
    if not (any(ctx.problem(n) for n in ctx.customer) or (told and len(ctx.customer) >= 2)):
        return not_applicable("vragen")  # one plain question, answered: nothing to ask about
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
    return HabitScore("vragen", True, clamp(score), sure, in_order(moments))


# --- 3. rustig --------------------------------------------------------------------------------------------


def _rustig(ctx: Context) -> HabitScore:
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
    voice_bad = rustig_voice(ctx, moments)
    bad += voice_bad
    if angry_from is None and not bad:
        return not_applicable("rustig")
    chances = max(1, bad + calm)
    score = 100 * (1 - bad / chances) if calm else max(0, 100 - 40 * bad)
    sure = 0.85 if ctx.voice.get("sides") else 0.7
    if angry_from is None:
        sure = 0.5  # capitals or blame without an angry customer: clear, but less at stake
    return HabitScore("rustig", True, clamp(score), sure, in_order(moments))


def _terugkoppelen(ctx: Context) -> HabitScore:
    """Paraphrase and checking back; naming the customer's feeling where they showed one."""
    substantive = [n for n in ctx.customer if ctx.substantive(n)]
    if not substantive or not ctx.agent or ctx.thanks_only():
        return not_applicable("terugkoppelen")
    feeling_turns = [n for n in ctx.customer if ctx.troubled(n)]
    told = sum(ctx.words(n) for n in ctx.customer)
    if not feeling_turns and (len(substantive) < 2 or told < 30):
        return not_applicable("terugkoppelen")  # no feeling to name and no story to sum up
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
    return HabitScore("terugkoppelen", True, clamp(score), sure, in_order(moments))


# --- 5. collegas ------------------------------------------------------------------------------------------


def _collegas() -> HabitScore:
    """One conversation shows nothing of learning from colleagues: the coaching app compares contacts."""
    return not_applicable("collegas")


# --- eerst_luisteren --------------------------------------------------------------------------------------


def _eerst_luisteren(ctx: Context) -> HabitScore:
    """After the customer's first telling turn, does the agent acknowledge before asking for data or
    solving? Signposting the data request ("daarvoor pak ik uw gegevens erbij") is half way."""
    start = next((n for n in ctx.customer if ctx.problem(n)), None)
    if start is None:
        return not_applicable("eerst_luisteren")  # a plain question may be answered straight away
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
    return not_applicable("eerst_luisteren")


def _empathy_first(ctx: Context, n: int) -> bool:
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


def _register(ctx: Context) -> HabitScore:
    """The agent addresses the customer as the customer addresses them: u for u, je for je."""
    seen = {ctx.analyses[n].register for n in ctx.customer} - {"unknown"}
    if len(seen) != 1 or "mixed" in seen:
        return not_applicable("register")
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
        return not_applicable("register")
    score = 100 * match / (match + miss)
    sure = min(0.9, 0.4 + 0.15 * cues + 0.05 * (match + miss))
    return HabitScore("register", True, clamp(score), sure, in_order(moments))
