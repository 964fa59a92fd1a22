"""Server-side SVG charts for the desk's dashboards: pure functions that return safe markup, no JavaScript
(decision 10: why no charting library).

Every text that goes into a chart (titles, series names, labels) is escaped here, and only the SVG
built here is marked safe, so a contact reason called `<script>` is drawn as text. Each chart is an
`<svg role="img">` with an `aria-label` and a `<title>`; colours come with a dash pattern or a marker
per series so a chart also reads on a black-and-white print. Every value drawn carries a `<title>`
(the browser shows it on hover, without JavaScript). Texts are FONT viewBox units high and the desk
never draws a chart narrower than its viewBox (desk.css), so labels stay at least 12 px at 1440 px;
labels that would overlap are thinned (x axis), wrapped (legend) or left to the hover title (scatter).
A chart without a single value is not drawn: `empty()` says "Geen gegevens" instead. Numbers are
written in the reader's language (`gezien.web.numbers`).

    line_chart(x_labels, [Series("Emotie bij einde", values)], title=..., y_range=(0, 1))
    bar_chart([("Levering", 0.4), ...], title=..., value_format=percent)
    scatter_chart([Point("Levering", x, y, size), ...], title=..., x_label=..., y_label=...)
    sparkline(values, title=...)

A value of None is a gap (a day without data), never drawn as 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gezien.web import numbers

# Distinguishable in colour and in grey (with the dashes and markers below).
COLOURS = ("#1f5fa8", "#c2571a", "#2e7d32", "#7b3fa0", "#a0203b", "#5b6770")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")

FONT = 12  # viewBox units; a chart is never drawn smaller than its viewBox on a desk screen
CHAR = 0.62 * FONT  # a generous estimate of one character's width, to keep labels apart

Format = Callable[[float], str]


def number(value: float) -> str:
    return numbers.trimmed(value)


def percent(value: float) -> str:
    return numbers.percent(value)


def text_width(text: str) -> float:
    """The width a label takes at FONT, estimated on the safe side."""
    return len(text) * CHAR


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


def empty(title: str) -> SafeString:
    """What the desk shows where a chart has nothing to draw: its title and "Geen gegevens"."""
    says = _("Geen gegevens in deze periode.")
    return mark_safe(  # noqa: S308 - both texts are escaped
        f'<div class="chart-empty" data-testid="chart-empty"><strong>{escape(title)}</strong>'
        f"<p>{escape(says)}</p></div>"
    )


def _open(width: int, height: float, title: str, css: str) -> list[str]:
    t = escape(title)
    return [
        f'<svg class="chart {css}" role="img" aria-label="{t}" viewBox="0 0 {width} {_f(height)}" '
        f'width="{width}" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{t}</title>",
        f'<text class="chart-title" x="0" y="{FONT + 2}" font-size="{FONT + 1}" font-weight="600" '
        f'fill="#222">{t}</text>',
    ]


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


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About `count` round steps (1, 2, 2.5 or 5 times a power of ten) inside [lo, hi]: 0,25 not 0,62."""
    raw = (hi - lo) / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw * 0.999)
    first = math.ceil(lo / step - 1e-9)
    ticks = [round(k * step, 10) for k in range(first, math.floor(hi / step + 1e-9) + 1)]
    return ticks if len(ticks) >= 2 else [lo, hi]


def label_step(labels: Sequence[str], room: float) -> int:
    """Draw every n-th x label so that none overlap: each takes its width plus a gap."""
    if not labels:
        return 1
    per = max(text_width(label) for label in labels) + CHAR
    fit = max(1, int(room // per))
    return max(1, math.ceil(len(labels) / fit))


def _marker(kind: str, x: float, y: float, colour: str, r: float = 3.0) -> str:
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


def _legend_rows(names: Sequence[str], room: float) -> list[list[tuple[int, str, float]]]:
    """The legend's entries (index, name, x offset) wrapped into rows that fit `room`."""
    rows: list[list[tuple[int, str, float]]] = [[]]
    x = 0.0
    for k, name in enumerate(names):
        shown = name if len(name) <= 40 else name[:39] + "…"
        need = 26 + text_width(shown) + 2 * CHAR
        if rows[-1] and x + need > room:
            rows.append([])
            x = 0.0
        rows[-1].append((k, shown, x))
        x += need
    return rows


def _y_axis(
    parts: list[str], ys: Sequence[float], texts: Sequence[str], left: int, right: int, grid: str
) -> None:
    """The y axis of a line or scatter chart: a horizontal grid line at each tick's height `ys`, from
    `left` to `right` in colour `grid`, with its label right-aligned just left of the plot."""
    for y, text in zip(ys, texts, strict=True):
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{_f(y)}" y2="{_f(y)}" stroke="{grid}"/>'
            f'<text x="{left - 5}" y="{_f(y + FONT * 0.35)}" text-anchor="end">{escape(text)}</text>'
        )


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    y_range: tuple[float, float] | None = None,
    y_format: Format = number,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Several lines over the same x labels (periods), with a legend, y grid and a marker per value;
    every value has a hover title ("Onrust bij einde · 2026-W48: 0,42")."""
    known = [v for s in series for v in s.values if v is not None]
    if not known or not x_labels:
        return empty(title)
    lo, hi = _range(known, y_range)
    tick_texts = [y_format(t) for t in _ticks(lo, hi)]
    left = int(max(text_width(t) for t in tick_texts) + 10)
    right, top = 12, FONT + 14
    legend = _legend_rows([s.name for s in series], width - left - right)
    total = height + (len(legend) - 1) * (FONT + 8)  # the x labels and one legend row fit `height`
    plot_w, plot_h = width - left - right, height - top - (2 * FONT + 30)
    n = max(len(x_labels), 1)

    def px(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        v = max(lo, min(hi, v))
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    parts = _open(width, total, title, "chart-line")
    parts.append(f'<g class="axis" font-size="{FONT}" fill="#444">')
    _y_axis(parts, [py(t) for t in _ticks(lo, hi)], tick_texts, left, width - right, "#ddd")
    step = label_step(x_labels, plot_w)
    base = top + plot_h + FONT + 10  # clear of the lowest y label, which sits on the bottom line
    for i, label in enumerate(x_labels):
        if i % step == 0:
            parts.append(
                f'<text class="x-label" x="{_f(px(i))}" y="{_f(base)}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    parts.append("</g>")
    for k, one in enumerate(series):
        colour, dash, marker = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)], MARKERS[k % len(MARKERS)]
        parts.append(f'<g class="series series-{k}">')
        runs: list[list[tuple[float, float, int, float]]] = [[]]
        for i, value in enumerate(one.values[: len(x_labels)]):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((px(i), py(value), i, value))
        for run in runs:
            if len(run) > 1:
                pts = " ".join(f"{_f(x)},{_f(y)}" for x, y, _i, _v in run)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>'
                )
        many = len(x_labels) > 60  # too many points for markers: keep the single ones visible
        for run in runs:
            for x, y, i, value in run:
                tip = escape(f"{one.name} · {x_labels[i]}: {y_format(value)}")
                shape = (
                    _marker(marker, x, y, colour)
                    if not many or len(run) == 1
                    else f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4" fill="transparent"/>'
                )
                parts.append(f"<g><title>{tip}</title>{shape}</g>")
        parts.append("</g>")
    _legend(parts, legend, left, top + plot_h + 2 * FONT + 18)
    return _close(parts)


def _legend(parts: list[str], rows: list[list[tuple[int, str, float]]], x0: float, y0: float) -> None:
    parts.append(f'<g class="legend" font-size="{FONT}" fill="#222">')
    for r, row in enumerate(rows):
        y = y0 + r * (FONT + 8)
        for k, name, offset in row:
            x = x0 + offset
            colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{_f(x)}" x2="{_f(x + 20)}" y1="{_f(y)}" y2="{_f(y)}" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/>'
            )
            parts.append(_marker(MARKERS[k % len(MARKERS)], x + 10, y, colour))
            parts.append(f'<text x="{_f(x + 26)}" y="{_f(y + FONT * 0.35)}">{escape(name)}</text>')
    parts.append("</g>")


def bar_chart(
    bars: Sequence[tuple[str, float | None]],
    *,
    title: str,
    value_format: Format = number,
    x_range: tuple[float, float] | None = None,
    width: int = 640,
    bar_height: int = 20,
) -> SafeString:
    """Horizontal bars, one per (label, value), each labelled with its value ("–" for None).
    Negative values grow to the left of zero."""
    known = [v for _label, v in bars if v is not None]
    if not known:
        return empty(title)
    longest = max(text_width(label) for label, _v in bars)
    label_w = int(min(240, max(80, longest + 12)))
    fits = int((label_w - 12) // CHAR)
    right = int(max(text_width(value_format(v)) for v in known) + 12)
    top = FONT + 12
    height = top + len(bars) * (bar_height + 6) + 4
    plot_w = width - label_w - right
    lo, hi = _range(known, x_range)
    lo = min(lo, 0.0)

    def px(v: float) -> float:
        return label_w + plot_w * (max(lo, min(hi, v)) - lo) / (hi - lo)

    parts = _open(width, height, title, "chart-bar")
    zero = px(0.0)
    parts.append(f'<g font-size="{FONT}" fill="#222">')
    for i, (label, value) in enumerate(bars):
        y = top + i * (bar_height + 6)
        text = label if len(label) <= fits else label[: fits - 1] + "…"
        text_y = _f(y + bar_height * 0.5 + FONT * 0.35)
        parts.append(
            f'<text x="{label_w - 6}" y="{text_y}" text-anchor="end"><title>{escape(label)}</title>'
            f"{escape(text)}</text>"
        )
        if value is None:
            parts.append(f'<text x="{_f(zero + 4)}" y="{text_y}" fill="#666">–</text>')
            continue
        x0, x1 = sorted((zero, px(value)))
        parts.append(
            f'<rect x="{_f(x0)}" y="{y}" width="{_f(max(x1 - x0, 1.0))}" height="{bar_height}" '
            f'fill="{COLOURS[0]}"><title>{escape(label)}: {escape(value_format(value))}</title></rect>'
        )
        parts.append(f'<text x="{_f(max(x1, zero) + 4)}" y="{text_y}">{escape(value_format(value))}</text>')
    parts.append(f'<line x1="{_f(zero)}" x2="{_f(zero)}" y1="{top - 4}" y2="{height - 2}" stroke="#888"/>')
    parts.append("</g>")
    return _close(parts)


Box = tuple[float, float, float, float]


def _overlaps(box: Box, placed: Sequence[Box]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in placed)


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
    height: int = 340,
) -> SafeString:
    """Labelled points; the area of each point follows its `size` (the largest gets radius 16). A label
    that would overlap another is left out; every point keeps its hover title with all its figures."""
    if not points:
        return empty(title)
    lo_x, hi_x = _range([p.x for p in points], x_range)
    lo_y, hi_y = _range([p.y for p in points], y_range)
    y_texts = [y_format(t) for t in _ticks(lo_y, hi_y)]
    left = int(max(text_width(t) for t in y_texts) + FONT + 16)
    right, top, bottom = 16, FONT + 14, 2 * FONT + 16
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max((p.size for p in points), default=1.0) or 1.0

    pad = 18.0  # the biggest point (radius 16) at the range's edge stays off the axes and their labels

    def px(v: float) -> float:
        return left + pad + (plot_w - 2 * pad) * (max(lo_x, min(hi_x, v)) - lo_x) / (hi_x - lo_x)

    def py(v: float) -> float:
        return top + pad + (plot_h - 2 * pad) * (1 - (max(lo_y, min(hi_y, v)) - lo_y) / (hi_y - lo_y))

    parts = _open(width, height, title, "chart-scatter")
    parts.append(f'<g class="axis" font-size="{FONT}" fill="#444">')
    _y_axis(parts, [py(t) for t in _ticks(lo_y, hi_y)], y_texts, left, width - right, "#e2e2e2")
    for tick in _ticks(lo_x, hi_x):
        x = px(tick)
        parts.append(
            f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{top}" y2="{top + plot_h}" stroke="#eee"/>'
            f'<text x="{_f(x)}" y="{top + plot_h + FONT + 3}" text-anchor="middle">'
            f"{escape(x_format(tick))}</text>"
        )
    mid = top + plot_h / 2
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" fill="#222">'
        f"{escape(x_label)}</text>"
        f'<text x="{FONT}" y="{mid:.1f}" text-anchor="middle" fill="#222" '
        f'transform="rotate(-90 {FONT} {mid:.1f})">{escape(y_label)}</text>'
    )
    parts.append("</g>")
    parts.append(f'<g class="points" font-size="{FONT}" fill="#222">')

    def radius(p: Point) -> float:
        return max(4.0, 16.0 * math.sqrt(max(p.size, 0.0) / biggest))

    # A label keeps clear of every other label and of every point but its own.
    circles = {
        id(p): (px(p.x) - radius(p), py(p.y) - radius(p), px(p.x) + radius(p), py(p.y) + radius(p))
        for p in points
    }
    placed: list[Box] = []
    for p in sorted(points, key=lambda q: -q.size):  # big ones first, so small ones stay on top
        r = radius(p)
        x, y = px(p.x), py(p.y)
        others = [box for key, box in circles.items() if key != id(p)]
        tip = f"{p.label}: {x_label} {x_format(p.x)}, {y_label} {y_format(p.y)}"
        shown = p.label if len(p.label) <= 30 else p.label[:29] + "…"
        w = text_width(shown)
        label = ""
        for lx, anchor in ((x + r + 3, "start"), (x - r - 3, "end")):
            box = (
                lx if anchor == "start" else lx - w,
                y - FONT * 0.75,
                lx + w if anchor == "start" else lx,
                y + FONT * 0.35,
            )
            if (
                box[0] >= left
                and box[2] <= width
                and not _overlaps(box, placed)
                and not _overlaps(box, others)
            ):
                placed.append(box)
                label = (
                    f'<text class="point-label" x="{_f(lx)}" y="{_f(y + FONT * 0.35)}" '
                    f'text-anchor="{anchor}">{escape(shown)}</text>'
                )
                break
        parts.append(
            f'<g><title>{escape(tip)}</title><circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" '
            f'fill="{COLOURS[0]}" fill-opacity="0.35" stroke="{COLOURS[0]}"/>{label}</g>'
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
    """A tiny line without axes (e.g. distress per message), with a dot at the last value; its title
    lists the values."""
    lo, hi = y_range if y_range[1] > y_range[0] else (0.0, 1.0)
    n = len(values)
    pad = 2.0

    def px(i: int) -> float:
        return pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)

    def py(v: float) -> float:
        return pad + (height - 2 * pad) * (1 - (max(lo, min(hi, v)) - lo) / (hi - lo))

    shown = " → ".join("–" if v is None else numbers.decimal(v, 2) for v in values)
    t = escape(f"{title}: {shown}")
    parts = [
        f'<svg class="chart sparkline" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{t}</title>",
    ]
    pts = [(px(i), py(v)) for i, v in enumerate(values) if v is not None]
    if len(pts) > 1:
        joined = " ".join(f"{_f(x)},{_f(y)}" for x, y in pts)
        parts.append(f'<polyline points="{joined}" fill="none" stroke="{COLOURS[0]}" stroke-width="1.5"/>')
    if pts:
        x, y = pts[-1]
        parts.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="2" fill="{COLOURS[1]}"/>')
    return _close(parts)
