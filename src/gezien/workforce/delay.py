"""Erlang C (M/M/n): callers wait as long as it takes. Service level, ASA and occupancy per interval.

With arrival rate λ = calls / interval_s, mean handling time h = aht_s, traffic A = λ·h erlangs and
n = agents x concurrency servers (n > A):

    P(wait)            = C(n, A)
    P(wait > t)        = C(n, A) · exp(-(n - A)·t / h)
    service level      = 1 - P(wait > target_s)
    ASA                = C(n, A) · h / (n - A)       (mean wait over all callers)
    occupancy          = A / n

Where A >= n (and A > 0) the queue has no steady state. The metrics then say `stable=False` and carry
the limits as n comes down to A: p_wait 1, service level 0, ASA infinite, occupancy 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gezien.workforce import inputs
from gezien.workforce.erlang import erlang_b_array, erlang_b_scalar


@dataclass(frozen=True, slots=True)
class ErlangCMetrics:
    """Erlang C figures for one interval. Probabilities are fractions (0.8 = 80%), times seconds."""

    agents: int
    erlangs: float
    p_wait: float
    service_level: float
    asa_s: float
    occupancy: float
    stable: bool
    concurrency: int = 1

    @property
    def reason(self) -> str | None:
        """Why the figures are limits rather than a steady state (None when stable)."""
        if self.stable:
            return None
        servers = self.agents * self.concurrency
        return (
            f"the traffic of {self.erlangs:.4g} erlangs is at least the {servers} servers: the queue grows "
            "without bound and Erlang C has no steady state"
        )


@dataclass(frozen=True, slots=True)
class ErlangCMetricsMany:
    """Erlang C figures for many intervals: numpy arrays of the broadcast input shape."""

    agents: NDArray[np.int64]
    erlangs: NDArray[np.float64]
    p_wait: NDArray[np.float64]
    service_level: NDArray[np.float64]
    asa_s: NDArray[np.float64]
    occupancy: NDArray[np.float64]
    stable: NDArray[np.bool_]
    concurrency: int = 1

    def __len__(self) -> int:
        return int(self.agents.size)

    def at(self, index: Any = ()) -> ErlangCMetrics:
        """The figures of one interval (an index into the arrays)."""
        return ErlangCMetrics(
            agents=int(self.agents[index]),
            erlangs=float(self.erlangs[index]),
            p_wait=float(self.p_wait[index]),
            service_level=float(self.service_level[index]),
            asa_s=float(self.asa_s[index]),
            occupancy=float(self.occupancy[index]),
            stable=bool(self.stable[index]),
            concurrency=self.concurrency,
        )


def erlang_c_metrics(
    calls: float, interval_s: float, aht_s: float, agents: int, target_s: float, *, concurrency: int = 1
) -> ErlangCMetrics:
    """Erlang C figures for `calls` arriving in `interval_s` seconds, handled in `aht_s` seconds on
    average by `agents` agents (each handling `concurrency` contacts at once), service level measured
    against answering within `target_s` seconds."""
    if not inputs.is_scalar(calls, interval_s, aht_s, agents, target_s):
        raise ValueError("erlang_c_metrics takes numbers; erlang_c_metrics_many takes arrays")
    per_agent = inputs.concurrency(concurrency)
    count = inputs.count("agents", agents)
    aht = inputs.number("aht_s", aht_s, positive=True)
    load = inputs.number("calls", calls) * aht / inputs.number("interval_s", interval_s, positive=True)
    return delay_figures_scalar(count, per_agent, load, aht, inputs.number("target_s", target_s))


def delay_figures_scalar(
    agents: int, per_agent: int, erlangs: float, aht_s: float, target_s: float, blocking: float | None = None
) -> ErlangCMetrics:
    """`delay_figures` for one interval in plain Python: no numpy overhead on the one-interval path."""
    servers = agents * per_agent
    if erlangs == 0:
        return ErlangCMetrics(agents, 0.0, 0.0, 1.0, 0.0, 0.0, True, per_agent)
    if servers <= erlangs:
        return ErlangCMetrics(agents, erlangs, 1.0, 0.0, math.inf, 1.0, False, per_agent)
    if blocking is None:
        blocking = erlang_b_scalar(servers, erlangs)
    gap = servers - erlangs
    p_wait = min(1.0, servers * blocking / (gap + erlangs * blocking))
    level = min(1.0, max(0.0, 1.0 - p_wait * math.exp(-gap * target_s / aht_s)))
    return ErlangCMetrics(
        agents, erlangs, p_wait, level, p_wait * aht_s / gap, erlangs / servers, True, per_agent
    )


def erlang_c_metrics_many(
    calls: ArrayLike,
    interval_s: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    target_s: ArrayLike,
    *,
    concurrency: int = 1,
) -> ErlangCMetricsMany:
    """`erlang_c_metrics` over arrays (broadcast against each other): arrays in, arrays out."""
    per_agent = inputs.concurrency(concurrency)
    shape, (calls_a, interval_a, aht_a, agents_a, target_a) = inputs.broadcast(
        inputs.floats("calls", calls),
        inputs.floats("interval_s", interval_s, positive=True),
        inputs.floats("aht_s", aht_s, positive=True),
        inputs.whole("agents", agents),
        inputs.floats("target_s", target_s),
    )
    erlangs = calls_a * aht_a / interval_a
    servers = agents_a * per_agent
    p_wait, service_level, asa_s, occupancy, stable = delay_figures(servers, erlangs, aht_a, target_a)
    return ErlangCMetricsMany(
        agents=agents_a.reshape(shape),
        erlangs=erlangs.reshape(shape),
        p_wait=p_wait.reshape(shape),
        service_level=service_level.reshape(shape),
        asa_s=asa_s.reshape(shape),
        occupancy=occupancy.reshape(shape),
        stable=stable.reshape(shape),
        concurrency=per_agent,
    )


def delay_figures(
    servers: NDArray[np.int64],
    erlangs: NDArray[np.float64],
    aht_s: NDArray[np.float64],
    target_s: NDArray[np.float64],
    blocking: NDArray[np.float64] | None = None,
) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]
]:
    """p_wait, service level, ASA, occupancy and stability on 1-d arrays (`blocking`: Erlang B if known)."""
    if blocking is None:
        blocking = erlang_b_array(servers, erlangs)
    count = servers.astype(np.float64)
    idle = erlangs == 0
    stable = idle | (count > erlangs)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = count - erlangs
        p_wait = np.where(idle, 0.0, count * blocking / (gap + erlangs * blocking))
        service_level = 1.0 - p_wait * np.exp(-gap * target_s / aht_s)
        asa_s = np.where(idle, 0.0, p_wait * aht_s / gap)
        occupancy = np.where(idle, 0.0, erlangs / count)
    p_wait = np.where(stable, np.clip(p_wait, 0.0, 1.0), 1.0)
    service_level = np.where(stable, np.clip(service_level, 0.0, 1.0), 0.0)
    asa_s = np.where(stable, asa_s, np.inf)
    occupancy = np.where(stable, occupancy, 1.0)
    return p_wait, service_level, asa_s, occupancy, stable
