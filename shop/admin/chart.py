"""Geometry of the dashboard's daily sales bar chart, drawn as inline SVG by the template."""

from __future__ import annotations

from dataclasses import dataclass

from shop.services.reporting.reports import DaySales

WIDTH = 600
HEIGHT = 160
GAP = 2


@dataclass(frozen=True)
class Bar:
    """One day's bar, in the chart's own coordinates."""

    x: int
    y: int
    width: int
    height: int
    sales: DaySales


@dataclass(frozen=True)
class BarChart:
    """The bars, the drawing size and the figures a reader needs around it."""

    width: int
    height: int
    bars: list[Bar]
    max_idr: int
    total_idr: int


def bar_chart(days: list[DaySales], width: int = WIDTH, height: int = HEIGHT) -> BarChart:
    """Scale each day's revenue to a bar; the best day reaches the top."""
    top = max((d.revenue_idr for d in days), default=0)
    slot = width // max(len(days), 1)
    bars = []
    for i, day in enumerate(days):
        tall = day.revenue_idr * height // top if top else 0
        if day.revenue_idr and not tall:
            tall = 1  # a small sale still shows
        bars.append(Bar(i * slot + GAP // 2, height - tall, slot - GAP, tall, day))
    return BarChart(width, height, bars, top, sum(d.revenue_idr for d in days))
