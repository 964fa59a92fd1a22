"""The signals of `gezien.analysis` as the desk names them in Dutch, and which of them can be corrected.

The names are the analysis library's own (English, stable: they are stored and sent through the API);
the labels are what an agent reads ("boos", "wil opzeggen"). Kept here rather than imported from the
library so that loading the desk does not load the analyser; a test checks both lists agree.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EMOTION_LABELS: dict[str, Promise] = {
    "anger": _("boos"),
    "stress": _("gestrest"),
    "haste": _("haastig"),
    "disappointment": _("teleurgesteld"),
    "sadness": _("verdrietig"),
    "reassurance": _("gerustgesteld"),
    "trust": _("vol vertrouwen"),
    "appreciation": _("waarderend"),
    "satisfaction": _("tevreden"),
}
NEGATIVE_EMOTIONS = frozenset({"anger", "stress", "haste", "disappointment", "sadness"})
SCALAR_LABELS: dict[str, Promise] = {
    "abuse": _("grof taalgebruik"),
    "churn": _("wil opzeggen"),
    "repeat": _("herhaald contact"),
}
LIFE_EVENT_LABELS: dict[str, Promise] = {
    "bereavement": _("overlijden"),
    "illness": _("ziekte"),
    "hospital": _("ziekenhuis"),
    "divorce": _("scheiding"),
    "job_loss": _("baan kwijt"),
    "financial_hardship": _("geldzorgen"),
    "moving": _("verhuizing"),
    "birth": _("geboorte"),
}
REGISTER_LABELS: dict[str, Promise] = {
    "formal": _("formeel (u)"),
    "informal": _("informeel (je)"),
}

# Everything an agent can say is, or is not, in a message.
CORRECTABLE: dict[str, Promise] = {**EMOTION_LABELS, **SCALAR_LABELS, **LIFE_EVENT_LABELS, **REGISTER_LABELS}

# A score of at least THRESHOLD counts as present (as Analysis.top_emotion does); the words say how much.
THRESHOLD = 0.5
_STRENGTHS: list[tuple[float, Promise]] = [(0.8, _("sterk")), (0.65, _("duidelijk")), (0.0, _("licht"))]


def label(signal: str) -> str:
    """The Dutch (or English) word for a signal; unknown names are shown as they are."""
    return str(CORRECTABLE.get(signal, signal))


def strength(score: float) -> str:
    """How strong a score is, as a word: "licht", "duidelijk", "sterk"."""
    return str(next(word for floor, word in _STRENGTHS if score >= floor))


def valence(signal: str) -> str:
    """ "neg", "pos" or "" (neither): the colour a signal is shown in."""
    if signal in NEGATIVE_EMOTIONS or signal in SCALAR_LABELS or signal == "negative":
        return "neg"
    if signal in EMOTION_LABELS or signal == "positive":
        return "pos"
    return ""
