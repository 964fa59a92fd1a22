"""How the desk shows a message's signals: a few words ("boos (sterk)"), badges, and the message text
with the evidence words marked.

A customer's message shows how it came across (emotions, "wil opzeggen", "herhaald contact", life
events). The agent's own messages never carry those customer signals: they show what the agent did
(greeting, acknowledgement, promise: the conversation acts) and the tone (u or je), nothing else.

The text is the customer's own input: the highlighted HTML is built from escaped pieces only, so
nothing the customer types can become markup, whatever the evidence spans say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.analysis.pii import pii_find
from gezien.contacts.models import Message, SignalCorrection
from gezien.contacts.selectors import loaded_signals
from gezien.contacts.vocabulary import (
    EMOTION_LABELS,
    LIFE_EVENT_LABELS,
    REGISTER_LABELS,
    SCALAR_LABELS,
    THRESHOLD,
    label,
    strength,
    valence,
)

# The conversation acts of an agent's text (the analysis' names), as the desk shows them.
ACT_LABELS: dict[str, Promise] = {
    "greeting": gettext_lazy("begroeting"),
    "acknowledgement": gettext_lazy("erkenning"),
    "apology": gettext_lazy("excuses"),
    "paraphrase": gettext_lazy("terugkoppeling"),
    "signposting": gettext_lazy("kondigt aan"),
    "open_question": gettext_lazy("open vraag"),
    "data_request": gettext_lazy("vraagt gegevens"),
    "solution": gettext_lazy("oplossing"),
    "promise": gettext_lazy("toezegging"),
    "closing": gettext_lazy("afsluiting"),
    "upsell": gettext_lazy("verkoop"),
}
# The tone of an agent's text: the register it used.
TONE_LABELS: dict[str, Promise] = {"formal": gettext_lazy("u-vorm"), "informal": gettext_lazy("je-vorm")}

# Numbers the customer should not have typed, hidden in the desk (gezien.analysis.pii).
PII_LABELS: dict[str, Promise] = {
    "iban": gettext_lazy("rekeningnummer (IBAN)"),
    "card": gettext_lazy("kaartnummer"),
    "bsn": gettext_lazy("burgerservicenummer"),
}
PII_SHOWN = "████"

SHOWN_EMOTIONS = 3
# Emotions this close below the threshold are offered as "wel …" in the correction menu.
SUGGEST_FROM = 0.2


@dataclass
class Shown:
    """One signal as the agent sees it."""

    signal: str
    label: str
    strength: str = ""  # "licht", "duidelijk", "sterk" for emotions
    score: float | None = None
    valence: str = ""
    corrected: str = ""  # "wel" or "niet" when someone corrected it, else ""
    corrected_by: str = ""


@dataclass
class Choice:
    """A ready-made correction in the message's menu: "niet boos", "wel teleurgesteld"."""

    signal: str
    value: str  # "wel" | "niet"
    text: str


@dataclass
class MessageSignalsView:
    message: Message
    analysed: bool
    emotions: list[Shown] = field(default_factory=list)
    badges: list[Shown] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    corrections: list[SignalCorrection] = field(default_factory=list)
    text_html: SafeString = field(default_factory=lambda: SafeString(""))
    # An agent's message: what the agent did and the tone, instead of the customer signals above.
    acts: list[str] = field(default_factory=list)
    tone: str = ""


def _corrections(message: Message) -> list[SignalCorrection]:
    cache: dict[str, Any] = getattr(message, "_prefetched_objects_cache", {})
    found = cache.get("signal_corrections")
    return list(found) if found is not None else []


def _who(correction: SignalCorrection) -> str:
    person = correction.corrected_by
    return person.display_name if person else ""


def message_view(message: Message) -> MessageSignalsView:
    """What to show of `message`'s signals, its corrections applied (the latest say per signal)."""
    signals = loaded_signals(message)
    corrections = _corrections(message)
    view = MessageSignalsView(message, analysed=signals is not None, corrections=corrections)
    data: dict[str, Any] = signals.data if signals is not None else {}
    if message.author == "agent":
        return _agent_view(view, data)
    view.text_html = highlight(message.text, data.get("evidence") or [])
    emotions: dict[str, float] = data.get("emotions") or {}
    for name, score in sorted(emotions.items(), key=lambda item: -item[1]):
        if score >= THRESHOLD and len(view.emotions) < SHOWN_EMOTIONS:
            view.emotions.append(Shown(name, label(name), strength(score), score, valence(name)))
    for name in SCALAR_LABELS:
        if float(data.get(name) or 0) >= THRESHOLD:
            view.badges.append(Shown(name, label(name), score=float(data[name]), valence="neg"))
    for name in data.get("life_events") or []:
        view.badges.append(Shown(name, label(name), valence="life"))
    _apply(view, corrections)
    view.choices = _choices(view, emotions)
    return view


def _agent_view(view: MessageSignalsView, data: dict[str, Any]) -> MessageSignalsView:
    """An agent's message: its acts in the order of a conversation and its tone; no customer signal,
    no evidence marked as if it were the customer's feeling, nothing to correct."""
    acts = set(data.get("acts") or [])
    view.acts = [str(text) for name, text in ACT_LABELS.items() if name in acts]
    view.tone = str(TONE_LABELS.get(str(data.get("register") or ""), ""))
    view.text_html = highlight(view.message.text, [])
    return view


def _apply(view: MessageSignalsView, corrections: list[SignalCorrection]) -> None:
    latest: dict[str, SignalCorrection] = {}
    for correction in sorted(corrections, key=lambda c: c.updated_at):
        latest[correction.signal] = correction
    for signal, correction in latest.items():
        shown = next((s for s in [*view.emotions, *view.badges] if s.signal == signal), None)
        if shown is None and correction.value and signal not in REGISTER_LABELS:
            shown = Shown(signal, label(signal), valence=valence(signal) or "life")
            (view.emotions if signal in EMOTION_LABELS else view.badges).append(shown)
        if shown is not None:
            shown.corrected = "wel" if correction.value else "niet"
            shown.corrected_by = _who(correction)


def _choices(view: MessageSignalsView, emotions: dict[str, float]) -> list[Choice]:
    """'niet …' for what is shown, 'wel …' for emotions that nearly made it."""
    choices = [
        Choice(s.signal, "niet", _("niet %(signal)s") % {"signal": s.label})
        for s in [*view.emotions, *view.badges]
        if s.corrected != "niet"
    ]
    near = [
        name
        for name, score in sorted(emotions.items(), key=lambda item: -item[1])
        if SUGGEST_FROM <= score < THRESHOLD
    ]
    choices += [Choice(name, "wel", _("wel %(signal)s") % {"signal": label(name)}) for name in near[:2]]
    return choices


def correctable_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The signals an agent can correct, grouped for a <select>."""
    return [
        (_("Emoties"), [(k, str(v)) for k, v in EMOTION_LABELS.items()]),
        (_("Signalen"), [(k, str(v)) for k, v in SCALAR_LABELS.items()]),
        (_("Levensgebeurtenissen"), [(k, str(v)) for k, v in LIFE_EVENT_LABELS.items()]),
        (_("Aanspreekvorm"), [(k, str(v)) for k, v in REGISTER_LABELS.items()]),
    ]


def _spans(text: str, evidence: list[Any]) -> list[tuple[int, int, str]]:
    """Evidence spans that lie within `text`, as (start, end, title); the learned layer's whole-text
    evidence ("model:…") is left out, it marks nothing in particular."""
    spans = []
    for item in evidence:
        try:
            signal, start, end, _shown, rule = item
            start, end = int(start), int(end)
        except (TypeError, ValueError):
            continue
        signal = str(signal)
        if signal.startswith("model:") or not 0 <= start < end <= len(text):
            continue
        spans.append((start, end, f"{signal} · {rule}".replace("\n", " ")))
    return spans


def highlight(text: str, evidence: list[Any]) -> SafeString:
    """`text` as HTML with each evidence span in a <mark> whose title names the signal and the rule, and
    each IBAN, card number and BSN hidden behind a mask.

    Overlapping spans are cut at every boundary, so marks never nest or cross: each piece of text is
    marked with the titles of all spans covering it. Line breaks become <br>. One sweep over the
    boundaries: a long e-mail with thousands of spans stays fast.
    """
    spans = sorted(_spans(text, evidence), key=lambda span: span[0])
    hidden = [(m.start, m.end, m.kind) for m in pii_find(text)]
    cuts = sorted(
        {
            0,
            len(text),
            *(s for s, _, _ in spans),
            *(e for _, e, _ in spans),
            *(p for h in hidden for p in h[:2]),
        }
    )
    pieces: list[str] = []
    active: list[tuple[int, int, str]] = []
    following = 0
    for start, end in pairwise(cuts):
        masked = next((h for h in hidden if h[0] <= start < h[1]), None)
        if masked is not None:  # an IBAN, card number or BSN: shown once, as a mask
            if start == masked[0]:
                pieces.append(
                    format_html(
                        '<span class="pii" title="{}">{}</span>',
                        _("%(what)s verborgen") % {"what": PII_LABELS[masked[2]]},
                        PII_SHOWN,
                    )
                )
            continue
        while following < len(spans) and spans[following][0] <= start:
            active.append(spans[following])
            following += 1
        # Every span end is a cut, so a span still open at `start` covers all of [start, end).
        active = [span for span in active if span[1] > start]
        segment = _lines(text[start:end])
        if not active:
            pieces.append(segment)
            continue
        titles = list(dict.fromkeys(title for _, _, title in active))
        kind = valence(titles[0].split(" · ", 1)[0]) or "other"
        pieces.append(
            format_html('<mark class="ev ev-{}" title="{}">{}</mark>', kind, "; ".join(titles), segment)
        )
    # Every piece is escaped text, <br> or format_html's output: the whole is safe.
    return mark_safe("".join(pieces))  # noqa: S308


def _lines(segment: str) -> SafeString:
    lines = segment.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return mark_safe("<br>".join(str(escape(line)) for line in lines))  # noqa: S308
