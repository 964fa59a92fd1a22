"""What the scorer weighs and its readers share: a matcher's hit, the emotions' valence, a modifier's reach.

`Hit` is one match of the matcher (engine.py) as the scorer (scoring.py) and the rare-case readers
(sarcasm.py) take it; `VALENCE` is each emotion's signed weight in the sentiment, `POSITIVE_EMOTIONS` and
`NEGATIVE_EMOTIONS` split them; `PUNCT` and `MODIFIER_REACH` say how far back a negator or intensifier
still reaches a cue. Plain data only, compiled with the rest of the rules layer (native.py).
"""

from __future__ import annotations

from typing import Final

from gezien.analysis.lexicon import Entry

VALENCE: Final = {
    "anger": -0.9,
    "stress": -0.6,
    "haste": -0.25,
    "disappointment": -0.7,
    "sadness": -0.7,
    "reassurance": 0.6,
    "trust": 0.5,
    "appreciation": 0.8,
    "satisfaction": 0.8,
}
POSITIVE_EMOTIONS: Final = frozenset({"reassurance", "trust", "appreciation", "satisfaction"})
NEGATIVE_EMOTIONS: Final = tuple(e for e in VALENCE if e not in POSITIVE_EMOTIONS)
PUNCT: Final = frozenset(".!?;:,\n")
MODIFIER_REACH: Final = 3  # a negator up to three words before a cue still negates it ("niet echt heel blij")

# A match: (entry, first token, end token exclusive). A plain tuple: there are several per message.
Hit = tuple[Entry, int, int]
