"""The staffing answer as a Dutch table for people: the agents around the answer and what each gives.

`staffing_report` computes (no I/O), `format_staffing` writes the text; `gezien staffing` prints it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gezien.workforce.abandonment import ErlangAMetrics, erlang_a_metrics_many
from gezien.workforce.delay import ErlangCMetrics, erlang_c_metrics_many
from gezien.workforce.staffing import Staffing, required_agents

# The rows shown: from two below the answer to three above it.
_BELOW, _ABOVE = 2, 3


@dataclass(frozen=True, slots=True)
class StaffingQuestion:
    """A staffing question for one interval (seconds, fractions)."""

    calls: float
    interval_s: float
    aht_s: float
    target_s: float
    target_sl: float
    patience_s: float | None = None
    shrinkage: float = 0.0
    concurrency: int = 1
    max_occupancy: float | None = None
    max_abandon: float | None = None


@dataclass(frozen=True, slots=True)
class StaffingReport:
    question: StaffingQuestion
    answer: Staffing
    rows: tuple[ErlangCMetrics | ErlangAMetrics, ...]


def staffing_report(question: StaffingQuestion) -> StaffingReport:
    """The answer to `question` and the figures for the agent counts around it."""
    answer = required_agents(
        question.calls,
        question.interval_s,
        question.aht_s,
        question.target_s,
        question.target_sl,
        max_occupancy=question.max_occupancy,
        patience_s=question.patience_s,
        max_abandon=question.max_abandon,
        shrinkage=question.shrinkage,
        concurrency=question.concurrency,
    )
    counts = np.arange(max(0, answer.agents - _BELOW), answer.agents + _ABOVE + 1)
    if question.patience_s is None:
        many_c = erlang_c_metrics_many(
            question.calls, question.interval_s, question.aht_s, counts, question.target_s,
            concurrency=question.concurrency,
        )  # fmt: skip
        rows: tuple[ErlangCMetrics | ErlangAMetrics, ...] = tuple(many_c.at(i) for i in range(len(counts)))
    else:
        many_a = erlang_a_metrics_many(
            question.calls, question.interval_s, question.aht_s, question.patience_s, counts,
            question.target_s, concurrency=question.concurrency,
        )  # fmt: skip
        rows = tuple(many_a.at(i) for i in range(len(counts)))
    return StaffingReport(question=question, answer=answer, rows=rows)


def format_staffing(report: StaffingReport) -> str:
    """The report as a Dutch text table; the answer's row is marked with an arrow."""
    question = report.question
    erlang_a = question.patience_s is not None
    headers = ["Agenten", "Servicelevel", "Wachtkans"]
    if erlang_a:
        headers.append("Opgehangen")
    headers += ["Gem. wachttijd", "Bezetting"]
    table = [headers]
    unstable = False
    for row in report.rows:
        cells = [_count(row.agents)]
        if isinstance(row, ErlangCMetrics) and not row.stable:
            unstable = True
            cells += ["instabiel", _percent(1.0), "∞", _percent(1.0)]
        elif isinstance(row, ErlangAMetrics):
            level = row.service_level_offered
            cells += [_percent(level), _percent(row.p_wait), _percent(row.p_abandon)]
            cells += [_seconds(row.asa_s), _percent(row.occupancy)]
        else:
            cells += [_percent(row.service_level), _percent(row.p_wait)]
            cells += [_seconds(row.asa_s), _percent(row.occupancy)]
        table.append(cells)
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    lines = [*_heading(question), ""]
    for index, cells in enumerate(table):
        marked = index > 0 and report.rows[index - 1].agents == report.answer.agents
        text = "  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True))
        lines.append(("→ " if marked else "  ") + text + ("  ← antwoord" if marked else ""))
    lines.append("")
    if unstable:
        lines.append(
            "instabiel: niet meer agenten dan het verkeer; de wachtrij groeit dan zonder eind (Erlang C)."
        )
    if erlang_a:
        lines.append("Servicelevel: aandeel van alle bellers dat binnen de doeltijd wordt opgenomen;")
        lines.append(
            "gem. wachttijd: van de beantwoorde bellers; opgehangen: wie ophangt tijdens het wachten."
        )
    lines += _conclusion(report)
    return "\n".join(lines) + "\n"


def _heading(question: StaffingQuestion) -> list[str]:
    load = question.calls * question.aht_s / question.interval_s
    lines = [
        f"Personeelsbehoefte voor {_number(question.calls)} contacten per {_duration(question.interval_s)}, "
        f"gemiddelde afhandeltijd {_duration(question.aht_s)}",
        f"Doel: {_percent_given(question.target_sl)} binnen {_duration(question.target_s)}"
        + "".join(_limits(question)),
    ]
    if question.patience_s is None:
        model = "Erlang C: bellers wachten tot ze geholpen worden"
    else:
        model = f"Erlang A: bellers hangen op na gemiddeld {_duration(question.patience_s)} wachten"
    lines.append(f"Verkeer: {_decimal(load, 2)} erlang · {model}")
    if question.concurrency > 1:
        lines.append(
            f"Gelijktijdigheid: {question.concurrency} contacten tegelijk per agent "
            "(afhandeltijd per contact, naast de andere gemeten)"
        )
    return lines


def _limits(question: StaffingQuestion) -> list[str]:
    limits = []
    if question.max_occupancy is not None:
        limits.append(f", bezetting hoogstens {_percent_given(question.max_occupancy)}")
    if question.max_abandon is not None:
        limits.append(f", hoogstens {_percent_given(question.max_abandon)} opgehangen")
    return limits


def _conclusion(report: StaffingReport) -> list[str]:
    answer = report.answer
    metrics = answer.metrics
    level = metrics.service_level_offered if isinstance(metrics, ErlangAMetrics) else metrics.service_level
    agents = "agent" if answer.agents == 1 else "agenten"
    lines = [
        f"Antwoord: {_count(answer.agents)} {agents} op de lijn "
        f"(servicelevel {_percent(level)}, bezetting {_percent(metrics.occupancy)})."
    ]
    if report.question.shrinkage > 0:
        lines.append(
            f"Met {_percent_given(report.question.shrinkage)} shrinkage: "
            f"{_count(answer.headcount)} medewerkers inroosteren."
        )
    return lines


def _percent(value: float) -> str:
    return f"{_decimal(100 * value, 1)}%"


def _percent_given(value: float) -> str:
    """A percentage someone typed: 80%, 30%, 12,5%."""
    text = _decimal(100 * value, 1)
    return f"{text.removesuffix(',0')}%"


def _decimal(value: float, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _count(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _number(value: float) -> str:
    return _count(int(value)) if float(value).is_integer() else _decimal(value, 1)


def _seconds(value: float) -> str:
    if math.isinf(value):
        return "∞"
    if value < 60:
        return f"{_decimal(value, 1)} s"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes} min {seconds:02d} s"


def _duration(seconds: float) -> str:
    if seconds > 0 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)} uur"
    if seconds > 0 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{_number(seconds)} s"
