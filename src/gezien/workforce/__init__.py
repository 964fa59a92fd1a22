"""Workforce maths, no Django: Erlang B, C and A, and the staffing search.

    from gezien.workforce import erlang_b, erlang_c, erlang_c_metrics, erlang_a_metrics, required_agents

Every figure per interval also comes for many intervals at once (`*_many`: numpy arrays in, arrays
out). docs/workforce-maths.md has the formulas, their derivation and references.
"""

from gezien.workforce.abandonment import (
    ErlangAMetrics,
    ErlangAMetricsMany,
    erlang_a_metrics,
    erlang_a_metrics_many,
)
from gezien.workforce.delay import ErlangCMetrics, ErlangCMetricsMany, erlang_c_metrics, erlang_c_metrics_many
from gezien.workforce.erlang import erlang_b, erlang_c
from gezien.workforce.staffing import (
    ServiceLevelKind,
    Staffing,
    StaffingMany,
    headcount,
    headcount_many,
    required_agents,
    required_agents_many,
)

__all__ = [
    "ErlangAMetrics",
    "ErlangAMetricsMany",
    "ErlangCMetrics",
    "ErlangCMetricsMany",
    "ServiceLevelKind",
    "Staffing",
    "StaffingMany",
    "erlang_a_metrics",
    "erlang_a_metrics_many",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "erlang_c_metrics_many",
    "headcount",
    "headcount_many",
    "required_agents",
    "required_agents_many",
]
