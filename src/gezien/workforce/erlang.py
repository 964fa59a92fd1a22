"""Erlang B and Erlang C: the blocking and the waiting probability of a group of servers.

Both come from one stable recurrence on the Erlang B value (no factorials, no powers):

    B(0, A) = 1,    B(k, A) = A·B(k-1, A) / (k + A·B(k-1, A))

Each step damps a relative error by k / (k + A·B) < 1, so the recurrence is stable for any number of
servers; B only underflows to 0 where it is below 1e-308 anyway. Erlang C follows from it:

    C(n, A) = n·B(n, A) / (n - A·(1 - B(n, A)))          for n > A
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from gezien.workforce import inputs

# Below this many values a plain Python loop beats numpy's per-call overhead.
_SCALAR_LIMIT = 4


def erlang_b(agents: int, erlangs: float) -> float:
    """Blocking probability of `agents` servers offered `erlangs` of traffic (Erlang's loss formula).

    `agents` is a whole number >= 0 and `erlangs` (arrival rate x mean handling time) >= 0. With no
    servers every arrival is blocked (1.0); with no traffic and at least one server none is (0.0).
    """
    servers = inputs.count("agents", agents)
    load = inputs.number("erlangs", erlangs)
    return erlang_b_scalar(servers, load)


def erlang_c(agents: int, erlangs: float) -> float:
    """Probability that an arrival has to wait for one of `agents` servers (Erlang's delay formula).

    Where the traffic is at least the number of agents (`erlangs >= agents`, with traffic > 0) the queue
    grows without bound and Erlang C has no steady state; this returns 1.0 there, the limit as the agents
    approach the traffic from above (every caller waits). `erlang_c_metrics` says so in its `stable`
    field; Erlang A (`erlang_a_metrics`) still gives an answer for such a queue.
    """
    servers = inputs.count("agents", agents)
    load = inputs.number("erlangs", erlangs)
    if load == 0.0:
        return 0.0
    if servers <= load:
        return 1.0
    blocking = erlang_b_scalar(servers, load)
    return _erlang_c_from_b(servers, load, blocking)


def _erlang_c_from_b(servers: float, load: float, blocking: float) -> float:
    return servers * blocking / (servers - load + load * blocking)


def erlang_b_scalar(servers: int, load: float) -> float:
    """Erlang B by its recurrence, unchecked (the public `erlang_b` checks its arguments)."""
    blocking = 1.0
    for k in range(1, servers + 1):
        carried = load * blocking
        blocking = carried / (k + carried)
    return blocking


def erlang_b_array(servers: NDArray[np.int64], loads: NDArray[np.float64]) -> NDArray[np.float64]:
    """Erlang B for many (servers, load) pairs at once (1-d arrays of one length).

    The values are sorted by their number of servers, largest first, so that step k of the recurrence
    touches only the prefix that still needs it: the work is the largest server count times a few numpy
    calls, plus the sum of the server counts in element operations.
    """
    size = servers.shape[0]
    if size <= _SCALAR_LIMIT:
        return np.array([erlang_b_scalar(int(n), float(a)) for n, a in zip(servers, loads, strict=True)])
    order = np.argsort(-servers, kind="stable")
    ordered_servers = servers[order]
    ordered_loads = loads[order]
    blocking = np.ones(size)
    carried = np.empty(size)
    denominator = np.empty(size)
    top = int(ordered_servers[0]) if size else 0
    # prefix[k - 1]: how many values need step k (those with at least k servers).
    prefix = np.searchsorted(-ordered_servers, -np.arange(1, top + 1), side="right").tolist()
    for k, count in enumerate(prefix, start=1):
        part = blocking[:count]
        part_carried = carried[:count]
        np.multiply(ordered_loads[:count], part, out=part_carried)
        np.add(part_carried, k, out=denominator[:count])
        np.divide(part_carried, denominator[:count], out=part)
    result = np.empty(size)
    result[order] = blocking
    return result
