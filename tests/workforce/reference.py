"""High-precision references for the workforce maths, in mpmath (tests only).

Two independent routes to every figure:

- `erlang_c_reference` / `erlang_a_reference`: the closed forms with incomplete gamma functions
  (Erlang B as the Poisson probability over the Poisson distribution function, Q(n+1, A); Erlang A after
  Palm and Mandelbaum & Zeltyn, docs/workforce-maths.md), evaluated with mpmath's `gammainc` at 40+
  digits; the ASA of answered callers through the derivative of log γ(a, y) in a.
- `erlang_a_first_principles`: the birth-and-death chain of M/M/n+M solved state by state (truncated
  far into the tail), and for every state an arrival can find, the exact distribution of its wait: a
  sum of exponentials (hypoexponential, with the explicit partial-fraction formula, which needs the
  high precision). Nothing of the library's series or of the closed forms is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp


@dataclass(frozen=True)
class Reference:
    p_wait: float
    service_level: float
    asa_s: float
    occupancy: float
    p_abandon: float = 0.0
    service_level_answered: float = 0.0
    service_level_virtual: float = 0.0
    mean_wait_s: float = 0.0


def erlang_b_reference(servers: int, erlangs: float, digits: int = 40) -> mp.mpf:
    with mp.workdps(digits):
        load = mp.mpf(erlangs)
        if servers == 0:
            return mp.mpf(1)
        pmf = mp.exp(servers * mp.log(load) - load - mp.loggamma(servers + 1))
        return pmf / mp.gammainc(servers + 1, load, regularized=True)


def erlang_c_reference(
    calls: float, interval_s: float, aht_s: float, servers: int, target_s: float
) -> Reference:
    with mp.workdps(40):
        load = mp.mpf(calls) * aht_s / interval_s
        blocking = erlang_b_reference(servers, calls * aht_s / interval_s)
        wait = servers * blocking / (servers - load * (1 - blocking))
        level = 1 - wait * mp.exp(-(servers - load) * mp.mpf(target_s) / aht_s)
        asa = wait * aht_s / (servers - load)
        return Reference(float(wait), float(level), float(asa), float(load / servers))


def erlang_a_reference(
    calls: float, interval_s: float, aht_s: float, patience_s: float, servers: int, target_s: float
) -> Reference:
    with mp.workdps(50):
        rate = mp.mpf(calls) / interval_s
        theta = 1 / mp.mpf(patience_s)
        x = servers * patience_s / mp.mpf(aht_s)
        y = rate / theta
        z = y * mp.exp(-theta * target_s)

        def gamma(a: mp.mpf, upper: mp.mpf) -> mp.mpf:
            return mp.gammainc(a, 0, upper)

        s_value = x * mp.exp(y) * y ** (-x) * gamma(x, y)
        blocking = erlang_b_reference(servers, float(rate * aht_s), 50)
        p_wait = s_value * blocking / (1 + (s_value - 1) * blocking)
        abandon_if_wait = 1 - x / y + x / (y * s_value)
        p_abandon = p_wait * abandon_if_wait
        virtual_tail = gamma(x, z) / gamma(x, y)
        answered_in_time_if_wait = (gamma(x + 1, y) - gamma(x + 1, z)) / (y * gamma(x, y))
        offered = (1 - p_wait) + p_wait * answered_in_time_if_wait
        slope = mp.diff(lambda a: mp.log(gamma(a, y)), x + 1)
        wait_if_answered = (gamma(x + 1, y) / (y * gamma(x, y))) * (mp.log(y) - slope) / theta
        served = 1 - p_abandon
        return Reference(
            p_wait=float(p_wait),
            service_level=float(offered),
            asa_s=float(p_wait * wait_if_answered / served),
            occupancy=float(rate * aht_s * served / servers),
            p_abandon=float(p_abandon),
            service_level_answered=float(offered / served),
            service_level_virtual=float(1 - p_wait * virtual_tail),
            mean_wait_s=float(p_abandon / theta),
        )


def _hypoexponential_cdf(rates: list[mp.mpf], t: mp.mpf) -> mp.mpf:
    """P(sum of independent exponentials with these distinct rates <= t)."""
    tail = mp.mpf(0)
    for i, rate in enumerate(rates):
        weight = mp.mpf(1)
        for j, other in enumerate(rates):
            if j != i:
                weight *= other / (other - rate)
        tail += weight * mp.exp(-rate * t)
    return 1 - tail


def erlang_a_first_principles(
    calls: float,
    interval_s: float,
    aht_s: float,
    patience_s: float,
    servers: int,
    target_s: float,
    states: int = 40,
) -> Reference:
    """For small queues only: `states` waiting places, far past any probability that matters."""
    with mp.workdps(60):
        rate = mp.mpf(calls) / interval_s
        mu = 1 / mp.mpf(aht_s)
        theta = 1 / mp.mpf(patience_s)
        weights = [mp.mpf(1)]
        for j in range(1, servers + states):
            weights.append(weights[-1] * rate / (min(j, servers) * mu + max(j - servers, 0) * theta))
        total = mp.fsum(weights)
        probability = [w / total for w in weights]
        p_wait = mp.fsum(probability[servers:])
        t = mp.mpf(target_s)
        abandon = offered = virtual = waited = mp.mpf(0)
        for ahead in range(states - 1):
            found = probability[servers + ahead]
            # Moving up at n·mu + i·theta with i ahead; hanging up at theta.
            up = [servers * mu + i * theta for i in range(ahead, -1, -1)]
            answered = mp.fprod(u / (u + theta) for u in up)
            abandon += found * (1 - answered)
            offered += found * answered * _hypoexponential_cdf([u + theta for u in up], t)
            virtual += found * _hypoexponential_cdf(up, t)
            waited += found * answered * mp.fsum(1 / (u + theta) for u in up)
        served = 1 - abandon
        offered += 1 - p_wait
        return Reference(
            p_wait=float(p_wait),
            service_level=float(offered),
            asa_s=float(waited / served),
            occupancy=float(rate / mu * served / servers),
            p_abandon=float(abandon),
            service_level_answered=float(offered / served),
            service_level_virtual=float(1 - p_wait + virtual),
            mean_wait_s=float(abandon * patience_s),
        )
