"""Erlang B and Erlang C against mpmath (incomplete gamma) and against hand-checkable cases."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gezien.workforce import erlang_b, erlang_c
from tests.workforce.reference import erlang_b_reference


def test_erlang_b_of_small_groups_by_hand() -> None:
    # One server: B = A / (1 + A). Two servers, one erlang: (1/2) / (1 + 1 + 1/2) = 0.2.
    assert erlang_b(1, 3.0) == pytest.approx(0.75, abs=1e-15)
    assert erlang_b(2, 1.0) == pytest.approx(0.2, abs=1e-15)
    assert erlang_b(0, 4.0) == 1.0
    assert erlang_b(5, 0.0) == 0.0


def test_erlang_c_of_the_callcentrehelper_example() -> None:
    # 100 calls in 30 minutes at 180 s: 10 erlangs. With 11 agents 68.2% of callers wait, with 14 17.4%.
    assert erlang_c(11, 10.0) == pytest.approx(0.6821182, abs=1e-7)
    assert erlang_c(14, 10.0) == pytest.approx(0.1741319, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(servers=st.integers(0, 400), erlangs=st.floats(0.01, 450.0))
def test_erlang_b_matches_the_poisson_reference(servers: int, erlangs: float) -> None:
    assert erlang_b(servers, erlangs) == pytest.approx(float(erlang_b_reference(servers, erlangs)), rel=1e-12)


@pytest.mark.parametrize("servers,erlangs", [(5_013, 5_000.0), (30_000, 29_800.0), (2_000, 10.0)])
def test_erlang_b_and_c_do_not_overflow_for_large_groups(servers: int, erlangs: float) -> None:
    reference = float(erlang_b_reference(servers, erlangs))
    assert erlang_b(servers, erlangs) == pytest.approx(reference, rel=1e-11, abs=1e-300)
    assert 0.0 <= erlang_c(servers, erlangs) <= 1.0


def test_erlang_c_says_every_caller_waits_where_traffic_reaches_the_agents() -> None:
    assert erlang_c(10, 10.0) == 1.0
    assert erlang_c(8, 12.5) == 1.0
    assert erlang_c(0, 0.0) == 0.0  # no traffic, nobody waits


@pytest.mark.parametrize("agents,erlangs", [(-1, 2.0), (2.5, 2.0), (3, -1.0), (3, float("nan")), (True, 2.0)])
def test_bad_arguments_are_refused_clearly(agents: object, erlangs: object) -> None:
    with pytest.raises(ValueError):
        erlang_b(agents, erlangs)  # type: ignore[arg-type]


def test_the_library_imports_neither_django_nor_scipy() -> None:
    code = "import sys, gezien.workforce; print(sorted({'django', 'scipy'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
