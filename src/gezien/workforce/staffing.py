"""The smallest number of agents that meets every target, and the headcount that puts them on the line.

Erlang C (no `patience_s`): the service level rises with every agent once the agents outnumber the
traffic, and the occupancy falls, so the search walks up from the smallest stable count,
floor(A / concurrency) + 1, and stops at the first count that meets every target. Nothing below that
start can meet a target (Erlang C has no steady state there), so no answer is skipped. (pyworkforce
0.5.1 starts at round(A + 1), one agent too high whenever A has a fraction of one half or more.)

Erlang A (`patience_s` given): every target improves with every agent (the offered, answered and
virtual service level rise, abandonment and occupancy fall; docs/workforce-maths.md sketches why), so
the search starts at a proven lower bound, gallops up by doubling steps until a count meets every
target, and bisects between the last count that failed and the first that met. The bound: answered
callers are at most the agents' capacity, so the offered service level is at most n / A and
abandonment at least 1 - n / A. Tests check the answer against a walk from one agent up.

Targets are met within 1e-12 (a computed 0.7999999999999999 meets 80%). When there are calls there is at
least one agent; with no calls the answer is 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gezien.workforce import inputs
from gezien.workforce.abandonment import (
    AbandonmentFigures,
    ErlangAMetrics,
    ErlangAMetricsMany,
    abandonment_figures,
    erlang_a_metrics_many,
)
from gezien.workforce.delay import (
    ErlangCMetrics,
    ErlangCMetricsMany,
    delay_figures,
    delay_figures_scalar,
)
from gezien.workforce.erlang import erlang_b_array, erlang_b_scalar

ServiceLevelKind = Literal["offered", "answered", "virtual"]
_KINDS = ("offered", "answered", "virtual")

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Staffing:
    """The answer for one interval: agents on the line, the headcount to schedule, and their figures."""

    agents: int
    headcount: int
    metrics: ErlangCMetrics | ErlangAMetrics


@dataclass(frozen=True, slots=True)
class StaffingMany:
    """The answers for many intervals: arrays of the broadcast input shape."""

    agents: IntArray
    headcount: IntArray
    metrics: ErlangCMetricsMany | ErlangAMetricsMany

    def __len__(self) -> int:
        return int(self.agents.size)

    def at(self, index: Any = ()) -> Staffing:
        """The answer of one interval (an index into the arrays)."""
        return Staffing(
            agents=int(self.agents[index]),
            headcount=int(self.headcount[index]),
            metrics=self.metrics.at(index),
        )


def required_agents(
    calls: float,
    interval_s: float,
    aht_s: float,
    target_s: float,
    target_sl: float,
    *,
    max_occupancy: float | None = None,
    patience_s: float | None = None,
    max_abandon: float | None = None,
    shrinkage: float = 0.0,
    concurrency: int = 1,
    service_level: ServiceLevelKind = "offered",
) -> Staffing:
    """The smallest number of agents that answers `target_sl` of the calls within `target_s` seconds.

    `calls` arrive in `interval_s` seconds and take `aht_s` seconds on average. Further targets, all of
    which the answer meets: `max_occupancy` (fraction of the agents' time busy), and with `patience_s`
    (mean seconds a caller waits before hanging up; Erlang A instead of Erlang C) `max_abandon` (share
    of callers who hang up). `service_level` picks which Erlang A service level `target_sl` applies to
    (default "offered": answered within the target out of all callers). An agent handles `concurrency`
    contacts at once (chat); `aht_s` is then the handling time of one contact as it runs beside the
    others. `headcount` = ceil(agents / (1 - shrinkage)).
    """
    if service_level not in _KINDS:
        raise ValueError(f"service_level must be one of {', '.join(_KINDS)}, not {service_level!r}")
    if (
        patience_s is None
        and max_abandon is None
        and inputs.is_scalar(calls, interval_s, aht_s, target_s, target_sl, max_occupancy, shrinkage)
    ):
        return _required_agents_delay(
            calls, interval_s, aht_s, target_s, target_sl, max_occupancy, shrinkage, concurrency
        )
    return required_agents_many(
        calls,
        interval_s,
        aht_s,
        target_s,
        target_sl,
        max_occupancy=max_occupancy,
        patience_s=patience_s,
        max_abandon=max_abandon,
        shrinkage=shrinkage,
        concurrency=concurrency,
        service_level=service_level,
    ).at()


def required_agents_many(
    calls: ArrayLike,
    interval_s: ArrayLike,
    aht_s: ArrayLike,
    target_s: ArrayLike,
    target_sl: ArrayLike,
    *,
    max_occupancy: ArrayLike | None = None,
    patience_s: ArrayLike | None = None,
    max_abandon: ArrayLike | None = None,
    shrinkage: ArrayLike = 0.0,
    concurrency: int = 1,
    service_level: ServiceLevelKind = "offered",
) -> StaffingMany:
    """`required_agents` over arrays (broadcast against each other): one search for all intervals."""
    if service_level not in _KINDS:
        raise ValueError(f"service_level must be one of {', '.join(_KINDS)}, not {service_level!r}")
    if max_abandon is not None and patience_s is None:
        raise ValueError("max_abandon needs patience_s: abandonment is an Erlang A figure")
    per_agent = inputs.concurrency(concurrency)
    occupancy_cap = 1.0 if max_occupancy is None else max_occupancy
    abandon_cap = 1.0 if max_abandon is None else max_abandon
    given = [
        inputs.floats("calls", calls),
        inputs.floats("interval_s", interval_s, positive=True),
        inputs.floats("aht_s", aht_s, positive=True),
        inputs.floats("target_s", target_s),
        inputs.fraction("target_sl", target_sl, low_open=False, high_open=True),
        inputs.fraction("shrinkage", shrinkage, low_open=False, high_open=True),
        inputs.fraction("max_occupancy", occupancy_cap, low_open=True, high_open=False),
        inputs.floats("patience_s", 1.0 if patience_s is None else patience_s, positive=True),
        inputs.fraction("max_abandon", abandon_cap, low_open=True, high_open=False),
    ]
    shape, arrays = inputs.broadcast(*given)
    calls_a, interval_a, aht_a, target_a, sl_a, shrink_a, occupancy_a, patience_a, abandon_a = arrays
    rate = calls_a / interval_a
    targets = _Targets(
        service_level=sl_a,
        occupancy=occupancy_a if max_occupancy is not None else None,
        abandon=abandon_a if max_abandon is not None else None,
    )
    metrics: ErlangCMetricsMany | ErlangAMetricsMany
    if patience_s is None:
        erlangs = rate * aht_a
        agents, blocking = _search_delay(erlangs, aht_a, target_a, targets, per_agent)
        p_wait, level, asa_s, occupancy, stable = delay_figures(
            agents * per_agent, erlangs, aht_a, target_a, blocking
        )
        metrics = ErlangCMetricsMany(
            agents=agents.reshape(shape),
            erlangs=erlangs.reshape(shape),
            p_wait=p_wait.reshape(shape),
            service_level=level.reshape(shape),
            asa_s=asa_s.reshape(shape),
            occupancy=occupancy.reshape(shape),
            stable=stable.reshape(shape),
            concurrency=per_agent,
        )
    else:
        queue = _Queue(rate, aht_a, patience_a, target_a, per_agent, service_level)
        agents = _search_abandon(queue, targets)
        metrics = erlang_a_metrics_many(
            calls_a.reshape(shape),
            interval_a.reshape(shape),
            aht_a.reshape(shape),
            patience_a.reshape(shape),
            agents.reshape(shape),
            target_a.reshape(shape),
            concurrency=per_agent,
        )
    return StaffingMany(
        agents=agents.reshape(shape),
        headcount=_headcount(agents, shrink_a).reshape(shape),
        metrics=metrics,
    )


def _required_agents_delay(
    calls: float,
    interval_s: float,
    aht_s: float,
    target_s: float,
    target_sl: float,
    max_occupancy: float | None,
    shrinkage: float,
    concurrency: int,
) -> Staffing:
    """Erlang C for one interval in plain Python: the walk of `_search_delay` without numpy overhead."""
    per_agent = inputs.concurrency(concurrency)
    aht = inputs.number("aht_s", aht_s, positive=True)
    load = inputs.number("calls", calls) * aht / inputs.number("interval_s", interval_s, positive=True)
    target = inputs.number("target_s", target_s)
    wanted = inputs.share("target_sl", target_sl, low_open=False, high_open=True) - inputs.TOLERANCE
    share = inputs.share("shrinkage", shrinkage, low_open=False, high_open=True)
    cap = None
    if max_occupancy is not None:
        cap = inputs.share("max_occupancy", max_occupancy, low_open=True, high_open=False)
    agents = 0
    blocking = None
    if load > 0:
        agents = math.floor(load / per_agent) + 1
        if cap is not None:
            agents = max(agents, math.floor(load / (per_agent * cap)))
        servers = agents * per_agent
        blocking = erlang_b_scalar(servers, load)
        while True:
            gap = servers - load
            waiting = servers * blocking / (gap + load * blocking)
            if 1.0 - waiting * math.exp(-gap * target / aht) >= wanted and (
                cap is None or load / servers <= cap + inputs.TOLERANCE
            ):
                break
            for _ in range(per_agent):
                servers += 1
                carried = load * blocking
                blocking = carried / (servers + carried)
            agents += 1
    return Staffing(
        agents=agents,
        headcount=headcount(agents, share),
        metrics=delay_figures_scalar(agents, per_agent, load, aht, target, blocking),
    )


def headcount(agents: int, shrinkage: float) -> int:
    """People to schedule so that `agents` are on the line when `shrinkage` of the paid time goes to
    breaks, training, absence: ceil(agents / (1 - shrinkage)). 14 agents at 30% shrinkage are 20."""
    count = inputs.count("agents", agents)
    share = inputs.share("shrinkage", shrinkage, low_open=False, high_open=True)
    # Rounded to 9 decimals first: 21 / (1 - 0.3) is 30.000000000000004 in binary floating point.
    return math.ceil(round(count / (1.0 - share), 9))


def headcount_many(agents: ArrayLike, shrinkage: ArrayLike) -> IntArray:
    """`headcount` over arrays."""
    count = inputs.whole("agents", agents)
    share = inputs.fraction("shrinkage", shrinkage, low_open=False, high_open=True)
    return _headcount(count, share)


def _headcount(agents: IntArray, shrinkage: FloatArray) -> IntArray:
    # Rounded to 9 decimals first: 21 / (1 - 0.3) is 30.000000000000004 in binary floating point.
    return np.ceil(np.round(agents / (1.0 - shrinkage), 9)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class _Targets:
    service_level: FloatArray
    occupancy: FloatArray | None
    abandon: FloatArray | None

    def rows(self, rows: NDArray[np.intp]) -> _Targets:
        return _Targets(
            service_level=self.service_level[rows],
            occupancy=None if self.occupancy is None else self.occupancy[rows],
            abandon=None if self.abandon is None else self.abandon[rows],
        )


def _search_delay(
    erlangs: FloatArray, aht_s: FloatArray, target_s: FloatArray, targets: _Targets, per_agent: int
) -> tuple[IntArray, FloatArray]:
    """Erlang C: walk up from the smallest stable agent count, Erlang B carried along by its recurrence.
    The answer, and Erlang B at the answer (for its figures)."""
    size = erlangs.shape[0]
    answer = np.zeros(size, dtype=np.int64)
    found_blocking = np.zeros(size)
    rows = np.flatnonzero(erlangs > 0)
    if not rows.size:
        return answer, found_blocking
    load = erlangs[rows]
    agents = np.floor(load / per_agent).astype(np.int64) + 1
    if targets.occupancy is not None:
        # A conservative floor of load / (per_agent x cap): the walk checks the cap exactly.
        floor = np.floor(load / (per_agent * targets.occupancy[rows])).astype(np.int64)
        agents = np.maximum(agents, floor)
    servers = agents * per_agent
    blocking = erlang_b_array(servers, load)
    rate_out = target_s[rows] / aht_s[rows]
    wanted = targets.rows(rows)
    while True:
        count = servers.astype(np.float64)
        gap = count - load
        waiting = count * blocking / (gap + load * blocking)
        met = 1.0 - waiting * np.exp(-gap * rate_out) >= wanted.service_level - inputs.TOLERANCE
        if wanted.occupancy is not None:
            met &= load / count <= wanted.occupancy + inputs.TOLERANCE
        if met.any():
            answer[rows[met]] = agents[met]
            found_blocking[rows[met]] = blocking[met]
            if met.all():
                return answer, found_blocking
            keep = ~met
            rows, agents, servers, blocking, load, rate_out = (
                rows[keep], agents[keep], servers[keep], blocking[keep], load[keep], rate_out[keep]
            )  # fmt: skip
            wanted = wanted.rows(np.flatnonzero(keep))
        for _ in range(per_agent):
            servers = servers + 1
            carried = load * blocking
            blocking = carried / (servers + carried)
        agents = agents + 1


@dataclass(frozen=True, slots=True)
class _Queue:
    rate: FloatArray
    aht_s: FloatArray
    patience_s: FloatArray
    target_s: FloatArray
    per_agent: int
    kind: ServiceLevelKind

    def figures(self, rows: NDArray[np.intp], agents: IntArray) -> AbandonmentFigures:
        servers = agents * self.per_agent
        rate, aht_s, patience_s = self.rate[rows], self.aht_s[rows], self.patience_s[rows]
        return abandonment_figures(servers, rate, aht_s, patience_s, self.target_s[rows])


def _search_abandon(queue: _Queue, targets: _Targets) -> IntArray:
    """Erlang A: from a proven lower bound, gallop up and bisect."""
    answer = np.zeros(queue.rate.shape[0], dtype=np.int64)
    rows = np.flatnonzero(queue.rate > 0)
    if not rows.size:
        return answer
    load = queue.rate[rows] * queue.aht_s[rows]
    low = np.ones(rows.size, dtype=np.int64)
    if queue.kind == "offered":
        # Answered callers never exceed the servers: offered service level <= servers / load.
        bound = (targets.service_level[rows] - inputs.TOLERANCE) * load / queue.per_agent
        low = np.maximum(low, np.floor(bound).astype(np.int64))
    if targets.abandon is not None:
        # Likewise abandonment >= 1 - servers / load.
        bound = (1.0 - targets.abandon[rows] - inputs.TOLERANCE) * load / queue.per_agent
        low = np.maximum(low, np.floor(bound).astype(np.int64))

    def meets(subset: NDArray[np.intp], agents: IntArray) -> NDArray[np.bool_]:
        return _meets(queue, targets, rows[subset], agents)

    answer[rows] = _gallop_and_bisect(meets, low, load / queue.per_agent)
    return answer


def _meets(queue: _Queue, targets: _Targets, rows: NDArray[np.intp], agents: IntArray) -> NDArray[np.bool_]:
    figures = queue.figures(rows, agents)
    level = {
        "offered": figures.service_level_offered,
        "answered": figures.service_level_answered,
        "virtual": figures.service_level_virtual,
    }[queue.kind]
    met = level >= targets.service_level[rows] - inputs.TOLERANCE
    if targets.occupancy is not None:
        met &= figures.occupancy <= targets.occupancy[rows] + inputs.TOLERANCE
    if targets.abandon is not None:
        met &= figures.p_abandon <= targets.abandon[rows] + inputs.TOLERANCE
    return met


Meets = Callable[[NDArray[np.intp], IntArray], NDArray[np.bool_]]


def _gallop_and_bisect(meets: Meets, low: IntArray, load_per_agent: FloatArray) -> IntArray:
    """The smallest count >= `low` that meets monotone targets: double a step up until one does, then
    bisect between the last count that failed and the first that met."""
    size = low.shape[0]
    high = low.copy()
    failed = np.full(size, -1, dtype=np.int64)  # a count known to fail (-1: none yet)
    step = np.maximum(1, np.ceil(np.sqrt(load_per_agent))).astype(np.int64)
    active = np.arange(size)
    while active.size:
        met = meets(active, high[active])
        missed = active[~met]
        failed[missed] = high[missed]
        high[missed] += step[missed]
        step[missed] *= 2
        active = missed
    active = np.flatnonzero(high - failed > 1)
    active = active[failed[active] >= 0]
    while active.size:
        middle = (failed[active] + high[active]) // 2
        met = meets(active, middle)
        high[active[met]] = middle[met]
        failed[active[~met]] = middle[~met]
        active = active[high[active] - failed[active] > 1]
    return high
