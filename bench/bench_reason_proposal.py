"""Accuracy of the desk's contact-reason proposal (`insights.rootcause.proposal`) on the demo data.

    .venv/bin/python bench/bench_reason_proposal.py

The demo organisation (`gezien.demo.generator.build_plan`, in memory, no database) gives ~1,900
contacts with the customer's words, a subject and the reason an agent set. Its texts come from a few
hundred scripted scenarios, so a random split puts near-copies of a test contact in the training set;
three splits are reported:

- random 80/20 by contact (optimistic: same scripts on both sides);
- unseen scenarios: whole scenario keys held out (20% of them), the honest figure for new wording;
- seeds only: no history at all, the seed keywords per reason (a fresh installation).

Figures: top-1 accuracy over all test contacts, coverage (share where the proposal is confident
enough to be shown, p ≥ MIN_PROBABILITY), accuracy among those shown, and the majority-reason
baseline. The analysis' pseudo-words (life events, churn) are not used here (rules analysis of 1,900
contacts would dominate the run); the desk adds them.
"""

from __future__ import annotations

import os
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")


def main() -> int:
    import django

    django.setup()
    from gezien.demo.generator import build_plan
    from gezien.insights.rootcause.proposal import MIN_PROBABILITY, ReasonModel, features, seed

    plan = build_plan()
    reason_ids = {r.code: i for i, r in enumerate(plan.reasons, start=1)}
    rows = []
    for contact in plan.contacts:
        words = " ".join([contact.subject, *(m.text for m in contact.messages if m.author == "customer")])
        rows.append((contact.scenario, reason_ids[contact.reason], features(words)))

    def evaluate(
        train: list[tuple[str, int, list[str]]], test: list[tuple[str, int, list[str]]]
    ) -> dict[str, float]:
        model = ReasonModel()
        seed(model, reason_ids)
        for _scenario, reason, words in train:
            model.add(reason, words)
        right = shown = right_shown = 0
        for _scenario, reason, words in test:
            ranked = model.classify(words)
            if not ranked:
                continue
            top, p, _why = ranked[0]
            right += top == reason
            if p >= MIN_PROBABILITY:
                shown += 1
                right_shown += top == reason
        majority = Counter(r for _s, r, _w in train or test).most_common(1)[0][0]
        return {
            "n": len(test),
            "accuracy": right / len(test),
            "coverage": shown / len(test),
            "accuracy_shown": right_shown / shown if shown else 0.0,
            "majority": sum(r == majority for _s, r, _w in test) / len(test),
        }

    rng = random.Random(5)
    shuffled = rows[:]
    rng.shuffle(shuffled)
    cut = int(0.8 * len(shuffled))
    scenarios = sorted({s for s, _r, _w in rows})
    rng.shuffle(scenarios)
    held = set(scenarios[: max(1, len(scenarios) // 5)])
    results = {
        "random 80/20": evaluate(shuffled[:cut], shuffled[cut:]),
        "unseen scenarios": evaluate(
            [r for r in rows if r[0] not in held], [r for r in rows if r[0] in held]
        ),
        "seeds only": evaluate([], rows),
    }
    print(f"{'split':<18} {'n':>5} {'top-1':>7} {'shown':>7} {'right|shown':>12} {'majority':>9}")
    for name, r in results.items():
        print(
            f"{name:<18} {r['n']:>5} {r['accuracy']:>7.1%} {r['coverage']:>7.1%} "
            f"{r['accuracy_shown']:>12.1%} {r['majority']:>9.1%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
