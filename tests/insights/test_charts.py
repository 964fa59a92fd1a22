"""The SVG charts: labels escaped, accessible, gaps stay gaps."""

from __future__ import annotations

import re

from gezien.insights.charts import Point, Series, bar_chart, line_chart, scatter_chart, sparkline

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
    assert all(0 <= y <= 240 for y in ys)


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
