"""Erlang A figures against two independent mpmath references, identities, limits and large queues."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gezien.workforce import ErlangAMetrics, erlang_a_metrics, erlang_a_metrics_many, erlang_c_metrics
from tests.workforce.reference import Reference, erlang_a_first_principles, erlang_a_reference

FIELDS = {
    "p_wait": "p_wait",
    "p_abandon": "p_abandon",
    "service_level_offered": "service_level",
    "service_level_answered": "service_level_answered",
    "service_level_virtual": "service_level_virtual",
    "asa_s": "asa_s",
    "mean_wait_s": "mean_wait_s",
    "occupancy": "occupancy",
}


def _close(metrics: ErlangAMetrics, reference: Reference, tolerance: float) -> None:
    for ours, theirs in FIELDS.items():
        expected = getattr(reference, theirs)
        assert getattr(metrics, ours) == pytest.approx(expected, rel=tolerance, abs=tolerance), ours


@pytest.mark.parametrize(
    "case",
    [
        (100, 1800, 180, 120, 10, 20),  # the callcentrehelper queue with callers hanging up after 2 min
        (20, 900, 300, 60, 3, 30),  # heavily overloaded: 6.7 erlangs on 3 agents
        (40, 900, 240, 200, 8, 0),  # target 0 s: answered at once
    ],
)
def test_matches_the_birth_and_death_chain_from_first_principles(case: tuple[float, ...]) -> None:
    _close(erlang_a_metrics(*case), erlang_a_first_principles(*case), 1e-12)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    calls=st.floats(1.0, 2_000.0),
    aht=st.floats(30.0, 900.0),
    patience=st.floats(5.0, 1_800.0),
    share=st.floats(0.3, 1.6),
    target=st.floats(0.0, 300.0),
)
def test_matches_the_incomplete_gamma_formulas(
    calls: float, aht: float, patience: float, share: float, target: float
) -> None:
    agents = max(1, round(share * calls * aht / 1800))
    metrics = erlang_a_metrics(calls, 1800, aht, patience, agents, target)
    _close(metrics, erlang_a_reference(calls, 1800, aht, patience, agents, target), 1e-9)


def test_the_2880_calls_an_hour_example_of_mandelbaum_and_zeltyn() -> None:
    # The Palm/Erlang-A paper's running example (also on zinnov.com): 2,880 calls an hour, 1 minute
    # of service, 2 minutes of patience, 50 agents. Erlang C is stable only from 49 agents.
    metrics = erlang_a_metrics(2880, 3600, 60, 120, 50, 20)
    _close(metrics, erlang_a_reference(2880, 3600, 60, 120, 50, 20), 1e-10)
    assert erlang_c_metrics(2880, 3600, 60, 48, 20).stable is False
    assert erlang_c_metrics(2880, 3600, 60, 49, 20).stable is True


@pytest.mark.parametrize("agents", [3_600, 4_345, 5_100])
def test_a_queue_of_100000_calls_an_hour(agents: int) -> None:
    metrics = erlang_a_metrics(100_000, 3600, 180, 120, agents, 20)
    _close(metrics, erlang_a_reference(100_000, 3600, 180, 120, agents, 20), 1e-10)


def test_more_traffic_than_agents_still_has_an_answer() -> None:
    metrics = erlang_a_metrics(100, 1800, 180, 120, 8, 20)  # 10 erlangs on 8 agents
    assert not erlang_c_metrics(100, 1800, 180, 8, 20).stable
    assert metrics.stable
    assert 0.25 < metrics.p_abandon < 0.27 and 0.39 < metrics.service_level_offered < 0.41
    assert math.isfinite(metrics.asa_s)
    # Everyone is busy nearly all the time and the agents carry what the impatient leave behind.
    assert metrics.occupancy * 8 == pytest.approx(10 * (1 - metrics.p_abandon), rel=1e-12)


def test_infinite_patience_turns_into_erlang_c() -> None:
    erlang_c = erlang_c_metrics(100, 1800, 180, 12, 20)
    patient = erlang_a_metrics(100, 1800, 180, 1e9, 12, 20)
    assert patient.p_wait == pytest.approx(erlang_c.p_wait, abs=1e-6)
    assert patient.service_level_offered == pytest.approx(erlang_c.service_level, abs=1e-6)
    assert patient.service_level_virtual == pytest.approx(erlang_c.service_level, abs=1e-6)
    assert patient.asa_s == pytest.approx(erlang_c.asa_s, rel=1e-5)
    assert patient.p_abandon < 1e-6


@settings(max_examples=40, deadline=None)
@given(
    calls=st.floats(1.0, 500.0),
    aht=st.floats(30.0, 900.0),
    patience=st.floats(5.0, 900.0),
    target=st.floats(0.0, 200.0),
)
def test_the_service_levels_are_ordered_and_the_identities_hold(
    calls: float, aht: float, patience: float, target: float
) -> None:
    erlangs = calls * aht / 900
    agents = np.arange(1, math.ceil(erlangs * 1.4) + 4)
    many = erlang_a_metrics_many(calls, 900, aht, patience, agents, target)
    # The virtual wait of everyone is at least the real wait of those answered within the target.
    assert (many.service_level_offered <= many.service_level_virtual + 1e-9).all()
    assert (many.service_level_offered <= many.service_level_answered + 1e-9).all()
    # Little's law for the queue: mean wait of all callers = P(abandon) x mean patience.
    assert many.mean_wait_s == pytest.approx(many.p_abandon * patience, rel=1e-12, abs=1e-12)
    # More agents: better on every figure.
    for name in ("service_level_offered", "service_level_answered", "service_level_virtual"):
        # Rounding noise of ~1e-12 where a level is all but 0 (heavy overload) is not a step back.
        assert (np.diff(getattr(many, name)) >= -1e-9).all(), name
    for name in ("p_abandon", "p_wait", "occupancy", "asa_s"):
        assert (np.diff(getattr(many, name)) <= 1e-9).all(), name


def test_no_agents_and_no_calls() -> None:
    nobody = erlang_a_metrics(10, 900, 300, 60, 0, 20)
    assert (nobody.p_abandon, nobody.service_level_offered, nobody.mean_wait_s) == (1.0, 0.0, 60.0)
    quiet = erlang_a_metrics(0, 900, 300, 60, 2, 20)
    assert (quiet.p_wait, quiet.service_level_offered, quiet.asa_s, quiet.occupancy) == (0.0, 1.0, 0.0, 0.0)


def test_chats_at_once_are_servers() -> None:
    chat = erlang_a_metrics(60, 900, 360, 300, 3, 60, concurrency=3)
    single = erlang_a_metrics(60, 900, 360, 300, 9, 60)
    assert chat.service_level_offered == single.service_level_offered and chat.agents == 3


def test_many_intervals_give_what_each_gives_alone() -> None:
    calls = np.array([5.0, 50.0, 500.0, 0.0, 80.0])
    agents = np.array([1, 6, 40, 3, 0])
    many = erlang_a_metrics_many(calls, 900, 240, 90, agents, 20)
    for index in range(calls.size):
        assert many.at(index) == erlang_a_metrics(float(calls[index]), 900, 240, 90, int(agents[index]), 20)


def test_bad_patience_is_refused() -> None:
    with pytest.raises(ValueError, match="patience_s"):
        erlang_a_metrics(10, 900, 300, 0, 2, 20)
