"""GoEmotions labels in Gezien's terms: which of our emotions (if any) each label stands for.

GoEmotions (Demszky et al. 2020, "GoEmotions: A Dataset of Fine-Grained Emotions", ACL; Apache-2.0)
labels English Reddit comments with 27 emotions plus neutral. A customer-service desk asks narrower
questions: is this customer angry, stressed, in a hurry, disappointed, sad, reassured, trusting,
appreciative, satisfied? The mapping below says which GoEmotions label is evidence of which of ours.
It is a definition, fixed before any training or scoring (never tuned on dev scores), and both the
learned heads (`gezien_lab.training`) and the evaluation (`gezien_lab.evaluation`) use it.

Our emotion, the GoEmotions labels that map onto it, and why:

- anger <- anger, annoyance, disgust. At a desk, "ergernis" (annoyance) is the everyday form of anger
  and disgust ("walgelijk hoe jullie met klanten omgaan") is anger at a company's conduct.
- disappointment <- disappointment. Expectations not met ("ik had meer verwacht").
  Not disapproval: in GoEmotions it is mostly disagreement in a debate ("that's not how it works"),
  a judgement rather than a feeling about being let down; it counts as negative sentiment only.
- sadness <- sadness, grief. Grief is the sadness of bereavement, which a desk must recognise.
  Not remorse: it is the writer's own "sorry", an apology rather than a state to respond to.
- stress <- nervousness, fear. Worry and anxiety ("ik maak me zorgen", "ik ben bang dat ...").
  Not embarrassment: rare and a different need.
- haste: no GoEmotions label. There is no head for it; the rules alone decide.
- reassurance <- relief. The customer is put at ease ("gelukkig", "wat een opluchting"). Not caring:
  that is the writer caring for someone else ("hope you feel better"), which is the agent's part.
- trust <- optimism. GoEmotions has no trust label; optimism ("I'm sure it will work out", "hopefully
  ...") is the nearest: confidence that things will turn out well. A proxy, and the weakest mapping.
- appreciation <- gratitude, admiration. Thanks and praise aimed at someone ("bedankt", "top geholpen").
- satisfaction <- joy, love, excitement. Pleasure with how things are ("fijn, het werkt weer", "I love
  it"). Not approval: mostly agreement with another commenter ("agree", "this"), not contentment.
- no emotion of ours (None): amusement, approval, caring, confusion, curiosity, desire, disapproval,
  embarrassment, pride, realization, remorse, surprise. Such rows count as "none" in evaluation and
  as negatives for every emotion head in training.

GOEMOTIONS_SENTIMENT is the grouping of the GoEmotions paper itself (positive / negative / ambiguous).
"""

from __future__ import annotations

from gezien.analysis.result import EMOTIONS

GOEMOTIONS_LABELS: tuple[str, ...] = (
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
)

GOEMOTIONS_TO_GEZIEN: dict[str, str | None] = {
    "admiration": "appreciation",
    "amusement": None,
    "anger": "anger",
    "annoyance": "anger",
    "approval": None,
    "caring": None,
    "confusion": None,
    "curiosity": None,
    "desire": None,
    "disappointment": "disappointment",
    "disapproval": None,
    "disgust": "anger",
    "embarrassment": None,
    "excitement": "satisfaction",
    "fear": "stress",
    "gratitude": "appreciation",
    "grief": "sadness",
    "joy": "satisfaction",
    "love": "satisfaction",
    "nervousness": "stress",
    "optimism": "trust",
    "pride": None,
    "realization": None,
    "relief": "reassurance",
    "remorse": None,
    "sadness": "sadness",
    "surprise": None,
}

# Demszky et al. (2020), section 3.3 / figure 2: the sentiment group of each emotion.
GOEMOTIONS_SENTIMENT: dict[str, str] = {
    "admiration": "positive",
    "amusement": "positive",
    "approval": "positive",
    "caring": "positive",
    "desire": "positive",
    "excitement": "positive",
    "gratitude": "positive",
    "joy": "positive",
    "love": "positive",
    "optimism": "positive",
    "pride": "positive",
    "relief": "positive",
    "anger": "negative",
    "annoyance": "negative",
    "disappointment": "negative",
    "disapproval": "negative",
    "disgust": "negative",
    "embarrassment": "negative",
    "fear": "negative",
    "grief": "negative",
    "nervousness": "negative",
    "remorse": "negative",
    "sadness": "negative",
    "confusion": "ambiguous",
    "curiosity": "ambiguous",
    "realization": "ambiguous",
    "surprise": "ambiguous",
}

# The Gezien emotions that have a GoEmotions source, hence a learned head (haste has none).
MAPPED_EMOTIONS: tuple[str, ...] = tuple(e for e in EMOTIONS if e in GOEMOTIONS_TO_GEZIEN.values())
