"""The SVG charts: labels escaped, accessible, gaps stay gaps, readable (no tiny or overlapping labels),
a value on hover, nothing drawn without data, numbers in the reader's language."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.utils import translation

from gezien.web.charts import (
    CHAR,
    FONT,
    Point,
    Series,
    bar_chart,
    line_chart,
    scatter_chart,
    sparkline,
)

EVIL = '<script>alert("x")</script>'


def test_every_chart_escapes_its_texts():
    charts = [
        line_chart(["ma", EVIL], [Series(EVIL, [0.1, 0.2])], title=EVIL),
        bar_chart([(EVIL, 0.3)], title=EVIL),
        scatter_chart([Point(EVIL, 0.2, 30, 10)], title=EVIL, x_label=EVIL, y_label=EVIL),
        sparkline([0.1, 0.5], title=EVIL),
    ]
    for svg in charts:
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg


def test_charts_are_accessible_images_with_a_title():
    svg = line_chart(["1", "2"], [Series("Onrust", [0.4, 0.2])], title="Emotie per week")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="Emotie per week"' in svg
    assert "<title>Emotie per week</title>" in svg
    assert "<script" not in svg and "onload" not in svg


def test_a_missing_value_is_a_gap_not_zero():
    svg = line_chart(
        ["1", "2", "3", "4"], [Series("NPS", [10.0, 20.0, None, 30.0])], title="t", y_range=(0, 40)
    )
    # Two runs: a line over the first two points, and the lone last point as a marker only.
    assert len(re.findall(r"<polyline", svg)) == 1
    assert svg.count("<circle") == 3 + 1  # three values and the legend's marker


def test_values_outside_the_range_stay_inside_the_plot():
    svg = line_chart(["a", "b"], [Series("x", [-5.0, 5.0])], title="t", y_range=(0.0, 1.0))
    ys = [float(y) for y in re.findall(r'cy="([0-9.]+)"', svg)]
    assert all(0 <= y <= 260 for y in ys)


def test_bars_show_their_value_and_a_dash_for_none():
    svg = bar_chart(
        [("Levering", 0.42), ("Factuur", None)], title="t", value_format=lambda v: f"{100 * v:.0f}%"
    )
    assert "42%" in svg and "–" in svg


def test_scatter_points_grow_with_their_size():
    svg = scatter_chart(
        [Point("klein", 0.2, 10, 1), Point("groot", 0.8, -20, 100)], title="t", x_label="x", y_label="y"
    )
    radii = [float(r) for r in re.findall(r'<circle cx="[0-9.]+" cy="[0-9.]+" r="([0-9.]+)"', svg)]
    assert max(radii) == 16.0 and min(radii) < 16.0


def _texts(svg: str, css: str | None = None) -> list[tuple[float, float, str, str]]:
    """(x, y, anchor, text) of the <text> elements (with class `css` when given)."""
    pattern = (
        r'<text (?:class="([^"]*)" )?x="([0-9.-]+)" y="([0-9.-]+)"(?: text-anchor="(\w+)")?[^>]*>([^<]*)<'
    )
    return [
        (float(x), float(y), anchor or "start", text)
        for cls, x, y, anchor, text in re.findall(pattern, svg)
        if css is None or cls == css
    ]


def _boxes_overlap(texts: list[tuple[float, float, str, str]]) -> bool:
    boxes = []
    for x, y, anchor, text in texts:
        w = len(text) * CHAR * 0.8  # a real glyph is narrower than the safe estimate the chart uses
        x0 = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
        boxes.append((x0, y - FONT, x0 + w, y))
    return any(
        a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def test_no_text_is_smaller_than_eleven_units():
    svg = line_chart(["1", "2"], [Series("a", [0.1, 0.2])], title="t")
    sizes = [int(size) for size in re.findall(r'font-size="(\d+)"', svg)]
    assert sizes and min(sizes) >= 11


def test_a_year_of_days_keeps_its_x_labels_apart():
    days = [(date(2026, 1, 1) + timedelta(days=i)).isoformat() for i in range(365)]
    svg = line_chart(days, [Series("NPS", [float(i % 50) for i in range(365)])], title="t")
    labels = _texts(svg, "x-label")
    assert 3 <= len(labels) < 12
    assert not _boxes_overlap(labels)


def test_a_long_legend_wraps_instead_of_overlapping():
    names = [f"Contactreden met een lange naam {k}" for k in range(8)]
    svg = line_chart(["a", "b"], [Series(n, [0.1, 0.2]) for n in names], title="t")
    legend = svg[svg.index('class="legend"') :]
    texts = _texts(legend)
    assert len(texts) == 8 and len({y for _x, y, _a, _t in texts}) > 1
    assert not _boxes_overlap(texts)


def test_crowded_scatter_labels_do_not_overlap_and_every_point_keeps_its_hover_title():
    points = [Point(f"Reden {k}", 0.5 + k / 1000, 10 + k / 10, 5) for k in range(12)]
    svg = scatter_chart(
        points, title="t", x_label="Onrust", y_label="NPS", x_range=(0, 1), y_range=(-100, 100)
    )
    assert not _boxes_overlap(_texts(svg, "point-label"))
    assert svg.count("<title>Reden") == 12


def test_every_value_of_a_line_has_a_hover_title_with_its_figure():
    with translation.override("nl"):
        svg = line_chart(["wk 1", "wk 2"], [Series("NPS", [12.5, None])], title="t")
    assert "<title>NPS · wk 1: 12,5</title>" in svg
    assert "wk 2:" not in svg  # a gap has nothing to hover


def test_numbers_follow_the_language():
    with translation.override("en"):
        svg = bar_chart([("Levering", 0.425)], title="t", value_format=lambda v: f"{v:.3f}")
        english = line_chart(["a"], [Series("x", [1.5])], title="t")
    assert "1.5</title>" in english
    with translation.override("nl"):
        assert "1,5</title>" in line_chart(["a"], [Series("x", [1.5])], title="t")
    assert "0.425" in svg


@translation.override("nl")
def test_a_chart_without_data_is_not_drawn_but_says_so():
    for chart in (
        line_chart(["a", "b"], [Series("NPS", [None, None])], title="NPS per periode"),
        line_chart([], [], title="NPS per periode"),
        bar_chart([("Levering", None)], title="NPS per periode"),
        scatter_chart([], title="NPS per periode", x_label="x", y_label="y"),
    ):
        assert "<svg" not in chart
        assert "NPS per periode" in chart and "Geen gegevens" in chart
    with translation.override("en"):
        assert "No data" in line_chart([], [], title="t")


def test_the_axis_counts_in_round_steps():
    with translation.override("nl"):
        svg = line_chart(["a", "b"], [Series("x", [0.1, 0.2])], title="t", y_range=(-0.5, 1.0))
    axis = svg[svg.index('class="axis"') : svg.index("x-label")]
    assert re.findall(r">([^<]+)</text>", axis) == ["-0,5", "0", "0,5", "1"]
