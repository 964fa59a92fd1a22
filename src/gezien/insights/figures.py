"""Figures from summed rollups: means, rates, NPS, Pearson's r. One place, so the dashboards, the
CSV exports and the API always say the same thing. A figure without data is None, never 0."""

from __future__ import annotations

import math
from collections.abc import Mapping

Totals = Mapping[str, float]


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def pearson(n: float, x: float, y: float, xx: float, yy: float, xy: float) -> float | None:
    """Pearson's r from running sums; None with fewer than 3 pairs or no spread."""
    if n < 3:
        return None
    cov = n * xy - x * y
    var_x = n * xx - x * x
    var_y = n * yy - y * y
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return max(-1.0, min(1.0, cov / math.sqrt(var_x * var_y)))


def nps_score(totals: Totals) -> float | None:
    """Net Promoter Score, −100..100: promoters (9–10) minus detractors (0–6), as a share of answers."""
    n = totals.get("nps_n", 0)
    if not n:
        return None
    return 100.0 * (totals.get("nps_promoters", 0) - totals.get("nps_detractors", 0)) / n


def figures(totals: Totals) -> dict[str, float | None]:
    """Every headline figure of a period for one group."""
    t = totals
    g = t.get
    naive = ratio(g("naive_yes", 0), g("naive_n", 0))
    honest = ratio(g("honest_yes", 0), g("honest_n", 0))
    return {
        "contacts": g("contacts", 0),
        "closed": g("closed", 0),
        "emotion_start": ratio(g("emotion_start_sum", 0), g("emotion_n", 0)),
        "emotion_peak": ratio(g("emotion_peak_sum", 0), g("emotion_n", 0)),
        "emotion_end": ratio(g("emotion_end_sum", 0), g("emotion_n", 0)),
        "emotion_gain": ratio(g("emotion_gain_sum", 0), g("emotion_n", 0)),
        "calmer_share": ratio(g("calmer", 0), g("emotion_n", 0)),
        "negative_share": ratio(g("negative", 0), g("emotion_n", 0)),
        "churn_risk_contacts": g("churn_risk", 0),
        "abuse_contacts": g("abuse", 0),
        "handling_minutes": (
            None if not g("handling_n", 0) else g("handling_sum", 0) / g("handling_n", 0) / 60.0
        ),
        "repeat_rate": ratio(g("repeats", 0), g("contacts", 0)),
        "naive_resolution": naive,
        "honest_fcr": honest,
        "resolution_gap": None if naive is None or honest is None else naive - honest,
        "first_response_breach_rate": ratio(g("sla_fr_breached", 0), g("sla_fr_n", 0)),
        "resolution_breach_rate": ratio(g("sla_res_breached", 0), g("sla_res_n", 0)),
        "first_response_minutes": (
            None if not g("sla_fr_n", 0) else g("first_response_sum", 0) / g("sla_fr_n", 0) / 60.0
        ),
        "nps": nps_score(t),
        "nps_answers": g("nps_n", 0),
        "csat": ratio(g("csat_sum", 0), g("csat_n", 0)),
        "csat_satisfied_share": ratio(g("csat_satisfied", 0), g("csat_n", 0)),
        "csat_answers": g("csat_n", 0),
        "emotion_nps_r": pearson(
            *(g(k, 0) for k in ("nps_pair_n", "nps_x", "nps_y", "nps_xx", "nps_yy", "nps_xy"))
        ),
        "emotion_csat_r": pearson(
            *(g(k, 0) for k in ("csat_pair_n", "csat_x", "csat_y", "csat_xx", "csat_yy", "csat_xy"))
        ),
    }
