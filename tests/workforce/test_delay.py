"""Erlang C figures: published worked examples, mpmath references, the unstable queue, arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gezien.workforce import erlang_c_metrics, erlang_c_metrics_many
from tests.workforce.reference import erlang_c_reference


def test_the_callcentrehelper_example_with_fourteen_agents() -> None:
    # Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example": 100 calls per
    # 30 minutes, AHT 180 s, 80% within 20 s. pyworkforce 0.5.1's tests print the same case (with a
    # target of 0.33 min): service level 0.888, occupancy 0.714, waiting probability 0.174.
    metrics = erlang_c_metrics(100, 1800, 180, 14, 20)
    assert metrics.erlangs == 10.0
    assert metrics.p_wait == pytest.approx(0.174132, abs=1e-6)
    assert metrics.service_level == pytest.approx(0.888350, abs=1e-6)
    assert metrics.asa_s == pytest.approx(7.835937, abs=1e-6)
    assert metrics.occupancy == pytest.approx(0.714286, abs=1e-6)
    assert round(erlang_c_metrics(100, 1800, 180, 14, 0.33 * 60).service_level, 3) == 0.888
    # The page's first step, 11 agents: 68.2% wait, 39% within 20 s, 122.8 s on average.
    eleven = erlang_c_metrics(100, 1800, 180, 11, 20)
    assert (round(eleven.p_wait, 4), round(eleven.service_level, 2), round(eleven.asa_s, 1)) == (
        0.6821,
        0.39,
        122.8,
    )


def test_the_westbay_example_of_360_calls_per_half_hour() -> None:
    # Westbay Engineers, "The Erlang-C formula": 360 calls per half hour, 4 minutes each, 55 agents,
    # target 15 s. Traffic 48 erlangs, occupancy 87.3%.
    metrics = erlang_c_metrics(360, 1800, 240, 55, 15)
    reference = erlang_c_reference(360, 1800, 240, 55, 15)
    assert metrics.erlangs == 48.0
    assert round(metrics.occupancy, 3) == 0.873
    for name in ("p_wait", "service_level", "asa_s"):
        assert getattr(metrics, name) == pytest.approx(getattr(reference, name), rel=1e-12)


@settings(max_examples=80, deadline=None)
@given(
    calls=st.floats(0.5, 3_000.0),
    aht=st.floats(10.0, 1_200.0),
    spare=st.integers(1, 60),
    target=st.floats(0.0, 600.0),
)
def test_every_figure_matches_the_mpmath_reference(
    calls: float, aht: float, spare: int, target: float
) -> None:
    erlangs = calls * aht / 1800
    agents = math.floor(erlangs) + spare
    metrics = erlang_c_metrics(calls, 1800, aht, agents, target)
    reference = erlang_c_reference(calls, 1800, aht, agents, target)
    assert metrics.stable
    assert metrics.p_wait == pytest.approx(reference.p_wait, abs=1e-12)
    assert metrics.service_level == pytest.approx(reference.service_level, abs=1e-12)
    assert metrics.asa_s == pytest.approx(reference.asa_s, rel=1e-9, abs=1e-12)
    assert metrics.occupancy == pytest.approx(reference.occupancy, rel=1e-14)


def test_a_queue_of_100000_calls_an_hour() -> None:
    metrics = erlang_c_metrics(100_000, 3600, 180, 5_013, 20)
    reference = erlang_c_reference(100_000, 3600, 180, 5_013, 20)
    assert metrics.service_level == pytest.approx(reference.service_level, abs=1e-12)
    assert metrics.p_wait == pytest.approx(reference.p_wait, abs=1e-12)
    assert metrics.asa_s == pytest.approx(reference.asa_s, rel=1e-10)


@pytest.mark.parametrize("agents", [10, 9, 0])
def test_traffic_at_or_above_the_agents_is_reported_unstable(agents: int) -> None:
    metrics = erlang_c_metrics(100, 1800, 180, agents, 20)
    assert not metrics.stable
    assert (metrics.p_wait, metrics.service_level, metrics.asa_s, metrics.occupancy) == (
        1.0,
        0.0,
        math.inf,
        1.0,
    )
    assert metrics.reason is not None and "no steady state" in metrics.reason
    assert erlang_c_metrics(100, 1800, 180, 11, 20).reason is None


def test_the_limits_join_the_stable_figures_continuously() -> None:
    # Just above the traffic, the figures approach the unstable limits.
    metrics = erlang_c_metrics(100, 1800, 179.99, 10, 20)
    assert metrics.stable and metrics.p_wait > 0.999 and metrics.service_level < 0.001 and metrics.asa_s > 1e5


def test_no_calls_means_no_waiting() -> None:
    metrics = erlang_c_metrics(0, 900, 300, 0, 20)
    assert metrics.stable and (metrics.p_wait, metrics.service_level, metrics.asa_s) == (0.0, 1.0, 0.0)


def test_an_agent_with_three_chats_is_three_servers() -> None:
    # Chat: each agent handles `concurrency` chats at once; `aht_s` is the chat's duration as it runs
    # beside the others. Three agents with three chats each serve like nine single servers.
    chat = erlang_c_metrics(60, 900, 360, 3, 60, concurrency=3)
    single = erlang_c_metrics(60, 900, 360, 9, 60)
    assert (chat.p_wait, chat.service_level, chat.asa_s, chat.occupancy) == (
        single.p_wait, single.service_level, single.asa_s, single.occupancy
    )  # fmt: skip
    assert chat.agents == 3 and chat.concurrency == 3
    assert not erlang_c_metrics(60, 900, 360, 2, 60, concurrency=3).stable  # 6 chat slots for 24 erlangs


def test_arrays_in_arrays_out() -> None:
    calls = np.array([[100.0, 200.0], [50.0, 0.0]])
    many = erlang_c_metrics_many(calls, 1800, 180, np.array([14, 25]), 20)
    assert many.service_level.shape == (2, 2) and len(many) == 4
    for index in np.ndindex(2, 2):
        one = erlang_c_metrics(float(calls[index]), 1800, 180, int([14, 25][index[1]]), 20)
        assert many.at(index) == one


@pytest.mark.parametrize(
    "args",
    [(-1, 1800, 180, 14, 20), (100, 0, 180, 14, 20), (100, 1800, 0, 14, 20), (100, 1800, 180, 1.5, 20),
     (100, 1800, 180, 14, -5), (float("inf"), 1800, 180, 14, 20)],
)  # fmt: skip
def test_bad_input_is_refused(args: tuple[float, ...]) -> None:
    with pytest.raises(ValueError):
        erlang_c_metrics(*args)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        erlang_c_metrics_many(*args)  # type: ignore[arg-type]
