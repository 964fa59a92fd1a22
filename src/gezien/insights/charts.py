"""Server-side SVG charts for the dashboards: pure functions that return safe markup, no JavaScript.

Every text that goes into a chart (titles, series names, labels) is escaped here, and only the SVG
built here is marked safe, so a contact reason called `<script>` is drawn as text. Each chart is an
`<svg role="img">` with an `aria-label` and a `<title>`; colours come with a dash pattern or a marker
per series so a chart also reads on a black-and-white print. Sizes are in viewBox units: the SVG
scales to its container (`.chart` in desk.css).

    line_chart(x_labels, [Series("Emotie bij einde", values)], title=..., y_range=(0, 1))
    bar_chart([("Levering", 0.4), ...], title=..., value_format=percent)
    scatter_chart([Point("Levering", x, y, size), ...], title=..., x_label=..., y_label=...)
    sparkline(values, title=...)

A value of None is a gap (a day without data), never drawn as 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Distinguishable in colour and in grey (with the dashes and markers below).
COLOURS = ("#1f5fa8", "#c2571a", "#2e7d32", "#7b3fa0", "#a0203b", "#5b6770")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")

Format = Callable[[float], str]


def number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


def percent(value: float) -> str:
    return f"{100 * value:.0f}%"


@dataclass(frozen=True)
class Series:
    """One line: its name and a value (or None) per x label."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Point:
    """One point of a scatter: its label, x, y, and a size (e.g. contacts; drawn by area)."""

    label: str
    x: float
    y: float
    size: float = 1.0


def _f(value: float) -> str:
    return f"{value:.1f}"


def _open(width: int, height: int, title: str, css: str, desc: str = "") -> list[str]:
    t = escape(title)
    parts = [
        f'<svg class="chart {css}" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{t}</title>",
    ]
    if desc:
        parts.append(f"<desc>{escape(desc)}</desc>")
    return parts


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in `parts` went through escape()


def _range(values: Sequence[float], given: tuple[float, float] | None) -> tuple[float, float]:
    if given is not None:
        lo, hi = given
    elif values:
        lo, hi = min(min(values), 0.0), max(values)
    else:
        lo, hi = 0.0, 1.0
    if hi - lo < 1e-9:
        hi = lo + 1.0
    return lo, hi


def _ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    return [lo + (hi - lo) * i / count for i in range(count + 1)]


def _marker(kind: str, x: float, y: float, colour: str, r: float = 2.6) -> str:
    if kind == "square":
        size = _f(2 * r)
        return f'<rect x="{_f(x - r)}" y="{_f(y - r)}" width="{size}" height="{size}" fill="{colour}"/>'
    if kind == "diamond":
        pts = (
            f"{_f(x)},{_f(y - r - 1)} {_f(x + r + 1)},{_f(y)} {_f(x)},{_f(y + r + 1)} {_f(x - r - 1)},{_f(y)}"
        )
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if kind == "triangle":
        pts = f"{_f(x)},{_f(y - r - 1)} {_f(x + r + 1)},{_f(y + r)} {_f(x - r - 1)},{_f(y + r)}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{colour}"/>'


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    y_range: tuple[float, float] | None = None,
    y_format: Format = number,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Several lines over the same x labels (periods), with a legend, y grid and a marker per value."""
    left, right, top, bottom = 48, 12, 12, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for s in series for v in s.values if v is not None]
    lo, hi = _range(known, y_range)
    n = max(len(x_labels), 1)

    def px(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        v = max(lo, min(hi, v))
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    parts = _open(width, height, title, "chart-line")
    parts.append('<g class="axis" font-size="10" fill="#555">')
    for tick in _ticks(lo, hi):
        y = py(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(y)}" y2="{_f(y)}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{_f(y + 3)}" text-anchor="end">{escape(y_format(tick))}</text>'
        )
    step = max(1, -(-len(x_labels) // 12))  # at most ~12 labels under the axis
    for i, label in enumerate(x_labels):
        if i % step == 0:
            parts.append(
                f'<text x="{_f(px(i))}" y="{height - bottom + 13}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append("</g>")
    for k, one in enumerate(series):
        colour, dash, marker = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)], MARKERS[k % len(MARKERS)]
        parts.append(f'<g class="series series-{k}"><title>{escape(one.name)}</title>')
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(one.values[: len(x_labels)]):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((px(i), py(value)))
        for run in runs:
            if len(run) > 1:
                pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in run)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>'
                )
        if len(x_labels) <= 60:
            parts.extend(_marker(marker, x, y, colour) for run in runs for x, y in run)
        else:  # too many points for markers: keep the single ones visible
            parts.extend(_marker(marker, x, y, colour) for run in runs if len(run) == 1 for x, y in run)
        parts.append("</g>")
    _legend(parts, [s.name for s in series], left, height - 14, width - left - right)
    return _close(parts)


def _legend(parts: list[str], names: Sequence[str], x0: float, y: float, room: float) -> None:
    per = room / max(len(names), 1)
    parts.append('<g class="legend" font-size="10" fill="#222">')
    for k, name in enumerate(names):
        x = x0 + k * per
        colour, dash, marker = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)], MARKERS[k % len(MARKERS)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{_f(x)}" x2="{_f(x + 18)}" y1="{_f(y)}" y2="{_f(y)}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
        )
        parts.append(_marker(marker, x + 9, y, colour))
        parts.append(f'<text x="{_f(x + 22)}" y="{_f(y + 3)}">{escape(name)}</text>')
    parts.append("</g>")


def bar_chart(
    bars: Sequence[tuple[str, float | None]],
    *,
    title: str,
    value_format: Format = number,
    x_range: tuple[float, float] | None = None,
    width: int = 640,
    bar_height: int = 18,
) -> SafeString:
    """Horizontal bars, one per (label, value), each labelled with its value ("–" for None).
    Negative values grow to the left of zero."""
    label_w, right = 170, 56
    height = 8 + len(bars) * (bar_height + 6) + 4
    plot_w = width - label_w - right
    known = [v for _label, v in bars if v is not None]
    lo, hi = _range(known, x_range)
    lo = min(lo, 0.0)

    def px(v: float) -> float:
        return label_w + plot_w * (max(lo, min(hi, v)) - lo) / (hi - lo)

    parts = _open(width, height, title, "chart-bar")
    zero = px(0.0)
    parts.append(f'<g font-size="11" fill="#222"><title>{escape(title)}</title>')
    for i, (label, value) in enumerate(bars):
        y = 8 + i * (bar_height + 6)
        text = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{_f(y + bar_height * 0.7)}" text-anchor="end">{escape(text)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{_f(zero + 4)}" y="{_f(y + bar_height * 0.7)}" fill="#777">–</text>')
            continue
        x0, x1 = sorted((zero, px(value)))
        parts.append(
            f'<rect x="{_f(x0)}" y="{y}" width="{_f(max(x1 - x0, 1.0))}" height="{bar_height}" '
            f'fill="{COLOURS[0]}"><title>{escape(label)}: {escape(value_format(value))}</title></rect>'
        )
        parts.append(
            f'<text x="{_f(max(x1, zero) + 4)}" y="{_f(y + bar_height * 0.7)}">'
            f"{escape(value_format(value))}</text>"
        )
    parts.append(f'<line x1="{_f(zero)}" x2="{_f(zero)}" y1="4" y2="{height - 2}" stroke="#888"/>')
    parts.append("</g>")
    return _close(parts)


def scatter_chart(
    points: Sequence[Point],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    x_format: Format = number,
    y_format: Format = number,
    width: int = 640,
    height: int = 320,
) -> SafeString:
    """Labelled points; the area of each point follows its `size` (the largest gets radius 16)."""
    left, right, top, bottom = 52, 16, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    lo_x, hi_x = _range([p.x for p in points], x_range)
    lo_y, hi_y = _range([p.y for p in points], y_range)
    biggest = max((p.size for p in points), default=1.0) or 1.0

    def px(v: float) -> float:
        return left + plot_w * (max(lo_x, min(hi_x, v)) - lo_x) / (hi_x - lo_x)

    def py(v: float) -> float:
        return top + plot_h * (1 - (max(lo_y, min(hi_y, v)) - lo_y) / (hi_y - lo_y))

    parts = _open(width, height, title, "chart-scatter")
    parts.append('<g class="axis" font-size="10" fill="#555">')
    for tick in _ticks(lo_y, hi_y):
        y = py(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(y)}" y2="{_f(y)}" stroke="#e2e2e2"/>'
            f'<text x="{left - 4}" y="{_f(y + 3)}" text-anchor="end">{escape(y_format(tick))}</text>'
        )
    for tick in _ticks(lo_x, hi_x):
        x = px(tick)
        parts.append(
            f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{top}" y2="{top + plot_h}" stroke="#eee"/>'
            f'<text x="{_f(x)}" y="{top + plot_h + 13}" text-anchor="middle">{escape(x_format(tick))}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" fill="#222">'
        f"{escape(x_label)}</text>"
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" fill="#222" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    parts.append("</g>")
    parts.append('<g class="points" font-size="10" fill="#222">')
    for p in sorted(points, key=lambda q: -q.size):  # big ones first, so small ones stay on top
        r = max(3.0, 16.0 * (max(p.size, 0.0) / biggest) ** 0.5)
        x, y = px(p.x), py(p.y)
        tip = f"{p.label}: {x_label} {x_format(p.x)}, {y_label} {y_format(p.y)}"
        parts.append(
            f'<g><title>{escape(tip)}</title><circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" '
            f'fill="{COLOURS[0]}" fill-opacity="0.35" stroke="{COLOURS[0]}"/>'
            f'<text x="{_f(x + r + 2)}" y="{_f(y + 3)}">{escape(p.label[:30])}</text></g>'
        )
    parts.append("</g>")
    return _close(parts)


def sparkline(
    values: Sequence[float | None],
    *,
    title: str,
    y_range: tuple[float, float] = (0.0, 1.0),
    width: int = 80,
    height: int = 18,
) -> SafeString:
    """A tiny line without axes (e.g. distress per message), with a dot at the last value."""
    lo, hi = y_range if y_range[1] > y_range[0] else (0.0, 1.0)
    n = len(values)
    pad = 2.0

    def px(i: int) -> float:
        return pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)

    def py(v: float) -> float:
        return pad + (height - 2 * pad) * (1 - (max(lo, min(hi, v)) - lo) / (hi - lo))

    parts = _open(width, height, title, "sparkline")
    pts = [(px(i), py(v)) for i, v in enumerate(values) if v is not None]
    if len(pts) > 1:
        joined = " ".join(f"{_f(x)},{_f(y)}" for x, y in pts)
        parts.append(f'<polyline points="{joined}" fill="none" stroke="{COLOURS[0]}" stroke-width="1.5"/>')
    if pts:
        x, y = pts[-1]
        parts.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="2" fill="{COLOURS[1]}"/>')
    return _close(parts)
