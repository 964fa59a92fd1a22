"""Erlang A (Palm's M/M/n+M): callers hang up after an exponential patience with mean `patience_s`.

Notation: λ = calls / interval_s, μ = 1 / aht_s, θ = 1 / patience_s, n = agents x concurrency servers,
x = nμ/θ, y = λ/θ, T = target_s. An arriving caller who finds all servers busy and k callers waiting
ahead (k = 0, 1, ...) sees that state with probability q_k / S, where

    q_k = Π_{i=1..k} y / (x + i),     S = Σ_k q_k = x·e^y·y^(-x)·γ(x, y)      (γ: lower incomplete gamma)

With k ahead, the caller moves up at rate nμ + iθ while i are ahead and hangs up at rate θ. So, per k:
P(answered) = x / (x + k + 1), the wait of an answered caller is a sum of exponentials with rates
θ(x + 1 + i), i = 0..k, and the virtual wait (until a server would be free) one with rates θ(x + i).
Summed over k this gives the Palm / Mandelbaum–Zeltyn closed forms (docs/workforce-maths.md derives
them); with B = Erlang B(n, λ/μ):

    P(wait)                     = S·B / (1 + (S - 1)·B)
    P(abandon | wait)           = Σ q_k (k+1)/(x+k+1) / S                = 1 - x/y + x/(y·S)
    P(V > T | wait)             = e^(-θTx + y(1 - e^(-θT))) · M_x(z) / S  = γ(x, z) / γ(x, y)
    P(answered, W > T | wait)   = e^(-θT(x+1) + y(1 - e^(-θT))) · x·Σ_k p_k/(x+k+1) / S
    E[W; answered | wait]       = (1/θ) · Σ_k q_k · x/(x+k+1) · Σ_{i=0..k} 1/(x+1+i) / S

where z = y·e^(-θT), p_k = Π_{i=1..k} z/(x+i) and M_x(z) = Σ_k p_k. The sums are taken in log space
(shifted by their largest term), up to k = max(0, y - x) + 12√y + 30, past which the terms are below
e^-72 of the largest: no factorials, no overflow, any traffic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gezien.workforce import inputs
from gezien.workforce.erlang import erlang_b_array

# Rows x series terms per block of work: bounds the memory of the padded 2-d sums (8 bytes each).
_BLOCK_ELEMENTS = 1 << 20

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ErlangAMetrics:
    """Erlang A figures for one interval. Probabilities are fractions, times seconds.

    - `p_wait`: share of callers who find every agent busy.
    - `p_abandon`: share of callers who hang up while waiting.
    - `service_level_offered`: share of all callers answered within the target.
    - `service_level_answered`: share of the answered callers answered within the target.
    - `service_level_virtual`: probability that the virtual wait (until an agent would be free) is
      within the target.
    - `asa_s`: mean wait of the answered callers; `mean_wait_s`: mean wait of all callers, those who
      hang up included (= p_abandon x patience_s).
    - `occupancy`: share of the agents' time spent handling contacts.
    """

    agents: int
    erlangs: float
    p_wait: float
    p_abandon: float
    service_level_offered: float
    service_level_answered: float
    service_level_virtual: float
    asa_s: float
    mean_wait_s: float
    occupancy: float
    concurrency: int = 1

    @property
    def stable(self) -> bool:
        """Always True: callers who hang up keep an Erlang A queue finite."""
        return True


@dataclass(frozen=True, slots=True)
class ErlangAMetricsMany:
    """Erlang A figures for many intervals: numpy arrays of the broadcast input shape."""

    agents: NDArray[np.int64]
    erlangs: FloatArray
    p_wait: FloatArray
    p_abandon: FloatArray
    service_level_offered: FloatArray
    service_level_answered: FloatArray
    service_level_virtual: FloatArray
    asa_s: FloatArray
    mean_wait_s: FloatArray
    occupancy: FloatArray
    concurrency: int = 1

    def __len__(self) -> int:
        return int(self.agents.size)

    def at(self, index: Any = ()) -> ErlangAMetrics:
        """The figures of one interval (an index into the arrays)."""
        return ErlangAMetrics(
            agents=int(self.agents[index]),
            erlangs=float(self.erlangs[index]),
            p_wait=float(self.p_wait[index]),
            p_abandon=float(self.p_abandon[index]),
            service_level_offered=float(self.service_level_offered[index]),
            service_level_answered=float(self.service_level_answered[index]),
            service_level_virtual=float(self.service_level_virtual[index]),
            asa_s=float(self.asa_s[index]),
            mean_wait_s=float(self.mean_wait_s[index]),
            occupancy=float(self.occupancy[index]),
            concurrency=self.concurrency,
        )


@dataclass(frozen=True, slots=True)
class AbandonmentFigures:
    """The kernel's answer on 1-d arrays."""

    p_wait: FloatArray
    p_abandon: FloatArray
    service_level_offered: FloatArray
    service_level_answered: FloatArray
    service_level_virtual: FloatArray
    asa_s: FloatArray
    mean_wait_s: FloatArray
    occupancy: FloatArray


def erlang_a_metrics(
    calls: float,
    interval_s: float,
    aht_s: float,
    patience_s: float,
    agents: int,
    target_s: float,
    *,
    concurrency: int = 1,
) -> ErlangAMetrics:
    """Erlang A figures for `calls` arriving in `interval_s` seconds, handled in `aht_s` seconds on
    average by `agents` agents (each handling `concurrency` contacts at once), callers hanging up after
    `patience_s` seconds of waiting on average (exponential patience), service levels against answering
    within `target_s` seconds. Defined for any traffic, also where it exceeds the agents."""
    return erlang_a_metrics_many(
        calls, interval_s, aht_s, patience_s, agents, target_s, concurrency=concurrency
    ).at()


def erlang_a_metrics_many(
    calls: ArrayLike,
    interval_s: ArrayLike,
    aht_s: ArrayLike,
    patience_s: ArrayLike,
    agents: ArrayLike,
    target_s: ArrayLike,
    *,
    concurrency: int = 1,
) -> ErlangAMetricsMany:
    """`erlang_a_metrics` over arrays (broadcast against each other): arrays in, arrays out."""
    per_agent = inputs.concurrency(concurrency)
    shape, (calls_a, interval_a, aht_a, patience_a, agents_a, target_a) = inputs.broadcast(
        inputs.floats("calls", calls),
        inputs.floats("interval_s", interval_s, positive=True),
        inputs.floats("aht_s", aht_s, positive=True),
        inputs.floats("patience_s", patience_s, positive=True),
        inputs.whole("agents", agents),
        inputs.floats("target_s", target_s),
    )
    rate = calls_a / interval_a
    figures = abandonment_figures(agents_a * per_agent, rate, aht_a, patience_a, target_a)
    return ErlangAMetricsMany(
        agents=agents_a.reshape(shape),
        erlangs=(rate * aht_a).reshape(shape),
        p_wait=figures.p_wait.reshape(shape),
        p_abandon=figures.p_abandon.reshape(shape),
        service_level_offered=figures.service_level_offered.reshape(shape),
        service_level_answered=figures.service_level_answered.reshape(shape),
        service_level_virtual=figures.service_level_virtual.reshape(shape),
        asa_s=figures.asa_s.reshape(shape),
        mean_wait_s=figures.mean_wait_s.reshape(shape),
        occupancy=figures.occupancy.reshape(shape),
        concurrency=per_agent,
    )


def abandonment_figures(
    servers: NDArray[np.int64],
    rate: FloatArray,
    aht_s: FloatArray,
    patience_s: FloatArray,
    target_s: FloatArray,
) -> AbandonmentFigures:
    """Erlang A on 1-d arrays: servers, arrivals per second, handling time, mean patience, target."""
    size = servers.shape[0]
    figures = AbandonmentFigures(
        p_wait=np.zeros(size),
        p_abandon=np.zeros(size),
        service_level_offered=np.ones(size),
        service_level_answered=np.ones(size),
        service_level_virtual=np.ones(size),
        asa_s=np.zeros(size),
        mean_wait_s=np.zeros(size),
        occupancy=np.zeros(size),
    )
    # No servers for a queue with callers: everybody waits until they hang up.
    unserved = (servers == 0) & (rate > 0)
    for field, value in (
        ("p_wait", 1.0),
        ("p_abandon", 1.0),
        ("service_level_offered", 0.0),
        ("service_level_answered", 0.0),
        ("service_level_virtual", 0.0),
        ("asa_s", math.inf),
    ):
        getattr(figures, field)[unserved] = value
    figures.mean_wait_s[unserved] = patience_s[unserved]
    busy = np.flatnonzero((servers > 0) & (rate > 0))
    if busy.size:
        _queue(figures, busy, servers[busy], rate[busy], aht_s[busy], patience_s[busy], target_s[busy])
    return figures


def _queue(
    figures: AbandonmentFigures,
    rows: NDArray[np.intp],
    servers: NDArray[np.int64],
    rate: FloatArray,
    aht_s: FloatArray,
    patience_s: FloatArray,
    target_s: FloatArray,
) -> None:
    count = servers.astype(np.float64)
    erlangs = rate * aht_s
    x = count * patience_s / aht_s
    y = rate * patience_s
    theta_t = target_s / patience_s
    z = y * np.exp(-theta_t)
    blocking = erlang_b_array(servers, erlangs)
    sums = _series_sums(x, y, z)
    # Everything per waiting caller is a ratio to S = e^shift_y · total; the shifts cancel in ratios.
    total = sums.total_y
    with np.errstate(over="ignore", under="ignore"):
        inverse_s = np.exp(-sums.shift_y) / total
        p_wait = blocking / (blocking + (1.0 - blocking) * inverse_s)
    abandon_if_wait = sums.abandon / total
    served_if_wait = x * sums.first / total
    log_e = -theta_t * x - y * np.expm1(-theta_t)
    with np.errstate(over="ignore", under="ignore"):
        ratio = np.exp(log_e + sums.shift_z - sums.shift_y) / total
    virtual_tail = np.minimum(ratio * sums.total_z, 1.0)
    served_late = np.minimum(ratio * np.exp(-theta_t) * x * sums.first_z, served_if_wait)
    p_abandon = np.clip(p_wait * abandon_if_wait, 0.0, 1.0)
    p_served = 1.0 - p_abandon
    in_time = np.clip((1.0 - p_wait) + p_wait * (served_if_wait - served_late), 0.0, 1.0)
    waited = p_wait * x * sums.harmonic / total * patience_s
    with np.errstate(divide="ignore", invalid="ignore"):
        answered = np.where(p_served > 0, np.minimum(in_time / p_served, 1.0), 0.0)
        asa_s = np.where(p_served > 0, waited / p_served, math.inf)
    figures.p_wait[rows] = p_wait
    figures.p_abandon[rows] = p_abandon
    figures.service_level_offered[rows] = in_time
    figures.service_level_answered[rows] = answered
    figures.service_level_virtual[rows] = np.clip(1.0 - p_wait * virtual_tail, 0.0, 1.0)
    figures.asa_s[rows] = asa_s
    figures.mean_wait_s[rows] = p_abandon * patience_s
    figures.occupancy[rows] = np.minimum(erlangs * p_served / count, 1.0)


@dataclass(frozen=True, slots=True)
class _Sums:
    """Scaled series sums per row: the true sum is e^shift times the value."""

    shift_y: FloatArray
    total_y: FloatArray  # Σ q_k
    abandon: FloatArray  # Σ q_k (k+1)/(x+k+1)
    first: FloatArray  # Σ q_k /(x+k+1)
    harmonic: FloatArray  # Σ q_k /(x+k+1) · Σ_{i<=k} 1/(x+1+i)
    shift_z: FloatArray
    total_z: FloatArray  # Σ p_k
    first_z: FloatArray  # Σ p_k /(x+k+1)


def _series_sums(x: FloatArray, y: FloatArray, z: FloatArray) -> _Sums:
    size = x.shape[0]
    out = _Sums(*(np.empty(size) for _ in range(8)))
    terms = np.ceil(np.maximum(y - x, 0.0) + 12.0 * np.sqrt(y) + 30.0).astype(np.int64)
    # Rows of like length together (lengths within a factor of two), in blocks of bounded memory.
    classes = np.ceil(np.log2(terms)).astype(np.int64)
    for length_class in np.unique(classes):
        members = np.flatnonzero(classes == length_class)
        length = int(terms[members].max())
        step = max(1, _BLOCK_ELEMENTS // length)
        for start in range(0, members.size, step):
            block = members[start : start + step]
            _block_sums(out, block, x[block], y[block], z[block], length)
    return out


def _block_sums(
    out: _Sums, rows: NDArray[np.intp], x: FloatArray, y: FloatArray, z: FloatArray, length: int
) -> None:
    k = np.arange(length, dtype=np.float64)
    # x + k + 1 for k = 0..length-1: the denominators of both the terms and the weights.
    denominators = x[:, None] + (k + 1.0)[None, :]
    log_denominators = np.log(denominators[:, :-1])
    weights = 1.0 / denominators
    shift_y, terms_y = _terms(y, log_denominators)
    weighted = terms_y * weights
    out.shift_y[rows] = shift_y
    out.total_y[rows] = terms_y.sum(axis=1)
    out.abandon[rows] = (weighted * (k + 1.0)[None, :]).sum(axis=1)
    out.first[rows] = weighted.sum(axis=1)
    out.harmonic[rows] = (weighted * np.cumsum(weights, axis=1)).sum(axis=1)
    shift_z, terms_z = _terms(z, log_denominators)
    out.shift_z[rows] = shift_z
    out.total_z[rows] = terms_z.sum(axis=1)
    out.first_z[rows] = (terms_z * weights).sum(axis=1)


def _terms(value: FloatArray, log_denominators: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Terms Π_{i=1..k} value/(x+i), k = 0.., divided by the largest, and the log of the largest."""
    rows, columns = log_denominators.shape
    logs = np.zeros((rows, columns + 1))
    with np.errstate(divide="ignore"):
        log_value = np.log(value)
    # A zero value gives -inf from k = 1 on, whose exponential is the exact 0.
    np.cumsum(log_value[:, None] - log_denominators, axis=1, out=logs[:, 1:])
    shift = logs.max(axis=1)
    return shift, np.exp(logs - shift[:, None])
