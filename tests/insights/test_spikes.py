"""Spike detection: the pure statistics against known distributions, and `spikes_detect` on stored
contacts: a real wave fires with a plain Dutch explanation; a normal Monday peak does not."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from gezien.contacts.models import Contact, ContactReason
from gezien.insights.facts import facts_refresh
from gezien.insights.rootcause.detection import spikes_detect, window_counts
from gezien.insights.rootcause.models import Spike
from gezien.insights.rootcause.spikes import (
    WindowCounts,
    benjamini_hochberg,
    binomial_upper_tail,
    chance_phrase,
    explain,
    rate_test,
    spikes_test,
)

AMS = ZoneInfo("Europe/Amsterdam")
# A Thursday noon; the waves below happen in the three days before it.
NOW = datetime(2026, 11, 19, 12, 0, tzinfo=AMS)


# --- the statistics ---------------------------------------------------------------------------------


def test_the_binomial_tail_matches_exact_values() -> None:
    assert binomial_upper_tail(10, 5, 0.5) == pytest.approx(638 / 1024)
    assert binomial_upper_tail(10, 10, 0.5) == pytest.approx(1 / 1024)
    assert binomial_upper_tail(10, 0, 0.3) == 1.0
    assert binomial_upper_tail(10, 11, 0.3) == 0.0
    # Against a direct sum for a larger n (no overflow in log space).
    n, k, p = 400, 120, 0.2
    direct = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))
    assert binomial_upper_tail(n, k, p) == pytest.approx(direct, rel=1e-9)


def test_the_rate_test_is_uniform_under_the_null_hypothesis() -> None:
    """With equal Poisson rates the p-value is (conservatively) at most alpha alpha of the time."""
    rng = random.Random(7)

    def poisson(mean: float) -> int:
        limit, k, product = math.exp(-mean), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        return k

    trials = 2000
    rejected = sum(rate_test(poisson(6.0), [poisson(6.0) for _ in range(4)]) < 0.05 for _ in range(trials))
    assert rejected / trials <= 0.05


def test_benjamini_hochberg_on_a_textbook_example() -> None:
    p = [0.01, 0.04, 0.03, 0.005]
    assert benjamini_hochberg(p) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert benjamini_hochberg([]) == []


def test_a_wave_fires_and_a_seasonal_peak_does_not() -> None:
    wave = WindowCounts(1, 72, 38, (6, 5, 7, 6))
    monday = WindowCounts(2, 24, 61, (58, 63, 55, 60))  # a busy Monday, as busy as earlier Mondays
    few = WindowCounts(3, 24, 5, (0, 0, 0, 0))  # unusual but too few to bother a department
    tests = spikes_test([wave, monday, few], alpha=0.01, min_count=8)
    assert [t.fired for t in tests] == [True, False, False]
    assert tests[0].p_adjusted < 1e-4


def test_the_explanation_says_why_in_plain_dutch() -> None:
    (test,) = spikes_test([WindowCounts(1, 72, 38, (6, 5, 7, 6))])
    text = explain("Levering vertraagd", test)
    assert text.startswith("Levering vertraagd: 38 contacten in de laatste 3 dagen, normaal rond 6 op deze")
    assert "komt bij toeval minder dan 1 op de miljoen keer voor" in text
    assert chance_phrase(5e-5) == "minder dan 1 op de 10.000 keer"
    assert chance_phrase(0.2) == "ongeveer 1 op de 5 keer"


# --- on stored contacts -----------------------------------------------------------------------------


def _contacts(reason: ContactReason, times: list[datetime]) -> None:
    made = Contact.objects.bulk_create(
        [Contact(channel="phone", recognition="unidentified", reason=reason, opened_at=t) for t in times]
    )
    facts_refresh([c.pk for c in made])


def _weekly(reason: ContactReason, per_day: dict[int, int], weeks: int) -> None:
    """`per_day[weekday]` contacts at 10:00..15:00 on that weekday, for `weeks` weeks before NOW's week."""
    times = []
    for week in range(1, weeks + 1):
        for day in range(7):
            date = (NOW - timedelta(weeks=week, days=NOW.weekday() - day)).date()
            for i in range(per_day.get(day, 0)):
                times.append(datetime(date.year, date.month, date.day, 10 + i % 6, i % 60, tzinfo=AMS))
    _contacts(reason, times)


@pytest.fixture
def delivery(db: None) -> ContactReason:
    return ContactReason.objects.create(code="levering_vertraagd", name="Levering vertraagd")


def test_a_real_wave_is_stored_with_its_explanation_once(delivery: ContactReason) -> None:
    _weekly(delivery, {0: 2, 1: 2, 2: 2, 3: 2, 4: 2}, weeks=5)
    wave = [NOW - timedelta(hours=h) for h in range(1, 61, 2)]  # 30 contacts in the last 60 hours
    _contacts(delivery, wave)

    (spike,) = spikes_detect(NOW)

    assert spike.reason == delivery and spike.observed >= 30
    assert spike.explanation.startswith("Levering vertraagd: ")
    assert "bij toeval" in spike.explanation
    assert spikes_detect(NOW + timedelta(minutes=20)) == [spike]  # the same hour: the same row
    spikes_detect(NOW + timedelta(hours=1))  # an hour later the running spike moves along
    assert Spike.objects.count() == 1


def test_a_normal_monday_peak_is_not_a_spike(delivery: ContactReason) -> None:
    monday_noon = NOW - timedelta(days=NOW.weekday())  # this week's Monday, 12:00
    # Every Monday is busy (30), other days quiet (2): this Monday's 30 is what Mondays are like.
    _weekly(delivery, {0: 30, 1: 2, 2: 2, 3: 2, 4: 2}, weeks=5)
    start = monday_noon.replace(hour=10, minute=0)
    _contacts(delivery, [start + timedelta(minutes=10 * i) for i in range(30)])

    assert spikes_detect(monday_noon.replace(hour=18)) == []


def test_window_counts_read_the_same_weekday_hours_of_earlier_weeks(delivery: ContactReason) -> None:
    _weekly(delivery, {3: 4}, weeks=4)  # four Thursdays before this one, four contacts each (10-14h)
    (counts,) = window_counts(NOW.replace(hour=16), 24, weeks=4)
    assert counts.baseline == (4, 4, 4, 4) and counts.observed == 0


def test_a_spike_made_into_a_signal_stays_on_the_board_until_the_signal_is_solved(
    delivery: ContactReason,
) -> None:
    """Issue 20: the board said "Geen open pieken" while "Levering vertraagd" was up 892 %: the spike had
    become a signal and dropped off the list."""
    from gezien.core.period import Period
    from gezien.insights.rootcause.board import board
    from gezien.insights.rootcause.models import Problem
    from gezien.insights.rootcause.services import problem_from_spike
    from gezien.insights.scope import Scope

    _weekly(delivery, {0: 2, 1: 2, 2: 2, 3: 2, 4: 2}, weeks=5)
    _contacts(delivery, [NOW - timedelta(hours=h) for h in range(1, 61, 2)])
    (spike,) = spikes_detect(NOW)
    problem = problem_from_spike(spike=spike)
    period = Period(NOW.date() - timedelta(days=6), NOW.date())
    shown = board(Scope(everything=True), period)
    assert [s.pk for s in shown.spikes] == [spike.pk]
    assert next(r for r in shown.reasons if r.reason == delivery).trend == "up"
    Problem.objects.filter(pk=problem.pk).update(status="opgelost")
    assert board(Scope(everything=True), period).spikes == []
