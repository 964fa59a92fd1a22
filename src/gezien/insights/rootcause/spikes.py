"""Spike detection for contact reasons: pure functions, no Django.

A reason's count in a recent window (the last 24 or 72 hours) is compared with the same window shifted
back one, two, ... N whole weeks: the same weekdays and hours, so a Monday-morning peak is compared
with earlier Monday mornings, not with a quiet Sunday. The test is the conditional test for two Poisson
rates: if the window and the N baseline windows share one rate, then given the total T = X + B, the
window's count X is Binomial(T, 1/(N+1)). Its upper tail P(X ≥ observed) is the p-value; unlike a
plain Poisson test against the baseline mean it accounts for the baseline itself being a noisy
estimate. Many reasons and windows are tested at once, so the p-values are corrected with
Benjamini–Hochberg (false discovery rate) before comparing with alpha, and a spike also needs a
minimum count: three contacts instead of none is not a problem worth a department's time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class WindowCounts:
    """The counts of one reason: `observed` in the window, `baseline` in each of the N earlier weeks'
    same windows (most recent first)."""

    key: int
    hours: int
    observed: int
    baseline: tuple[int, ...]

    @property
    def expected(self) -> float:
        return sum(self.baseline) / len(self.baseline) if self.baseline else 0.0


@dataclass(frozen=True)
class SpikeTest:
    counts: WindowCounts
    p_raw: float
    p_adjusted: float
    fired: bool


def binomial_upper_tail(n: int, k: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p), summed in log space (stable for n in the thousands)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    lg_n1 = math.lgamma(n + 1)
    terms = [
        lg_n1 - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q
        for i in range(k, n + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def rate_test(observed: int, baseline: Sequence[int]) -> float:
    """One-sided p-value that `observed` comes from the same Poisson rate as each of the `baseline`
    windows (conditional binomial test). With no baseline there is nothing to compare: 1.0."""
    weeks = len(baseline)
    if weeks == 0:
        return 1.0
    total = observed + sum(baseline)
    return binomial_upper_tail(total, observed, 1.0 / (weeks + 1))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Adjusted p-values (q-values) for the false discovery rate, in the input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted


def spikes_test(
    windows: Sequence[WindowCounts], *, alpha: float = 0.01, min_count: int = 8, min_ratio: float = 1.5
) -> list[SpikeTest]:
    """Test every window, correct for testing them all at once, and say which fired: adjusted p below
    `alpha`, at least `min_count` contacts, and at least `min_ratio` times the expected count."""
    raw = [rate_test(w.observed, w.baseline) for w in windows]
    adjusted = benjamini_hochberg(raw)
    return [
        SpikeTest(
            w,
            p,
            q,
            q < alpha and w.observed >= min_count and w.observed >= min_ratio * max(w.expected, 0.5),
        )
        for w, p, q in zip(windows, raw, adjusted, strict=True)
    ]


def chance_phrase(p: float) -> str:
    """How rare a p-value is, in words a department owner reads without statistics ("minder dan 1 op
    de 10.000 keer")."""
    for limit, words in (
        (1e-6, "minder dan 1 op de miljoen keer"),
        (1e-5, "minder dan 1 op de 100.000 keer"),
        (1e-4, "minder dan 1 op de 10.000 keer"),
        (1e-3, "minder dan 1 op de 1.000 keer"),
        (1e-2, "minder dan 1 op de 100 keer"),
    ):
        if p < limit:
            return words
    return f"ongeveer 1 op de {max(1, round(1 / p)) if p > 0 else 1} keer"


def period_phrase(hours: int) -> str:
    if hours % 24 == 0:
        days = hours // 24
        return "het laatste etmaal" if days == 1 else f"de laatste {days} dagen"
    return f"de laatste {hours} uur"


def explain(reason_name: str, test: SpikeTest) -> str:
    """Why a spike fired, in plain Dutch (stored with the spike, so it reads the same later)."""
    w = test.counts
    expected = w.expected
    usual = "vrijwel nooit" if expected < 0.5 else f"normaal rond {_round(expected)}"
    weeks = len(w.baseline)
    return (
        f"{reason_name}: {w.observed} contacten in {period_phrase(w.hours)}, {usual} op deze dagen en "
        f"uren (gemiddelde van dezelfde dagen en uren in de {weeks} weken ervoor); zo'n aantal komt bij "
        f"toeval {chance_phrase(test.p_adjusted)} voor."
    )


def _round(value: float) -> str:
    if value >= 10:
        return str(round(value))
    return f"{value:.1f}".replace(".", ",").replace(",0", "")
