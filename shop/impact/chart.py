"""Geometry of /impact's chart: wages promised and paid out per month, as paired bars."""

from __future__ import annotations

from dataclasses import dataclass

from shop.services.impact.public import MonthTotal

WIDTH = 640
HEIGHT = 200
LABEL_SPACE = 24  # below the bars, for the month labels


@dataclass(frozen=True)
class MonthBars:
    """A month's two bars (promised, paid out) in the chart's own coordinates."""

    x: int
    slot: int
    bar_width: int
    promised_y: int
    promised_height: int
    paid_y: int
    paid_height: int
    total: MonthTotal


@dataclass(frozen=True)
class WageChart:
    """The bars and the drawing size."""

    width: int
    height: int
    base: int  # the y of the bars' baseline
    months: list[MonthBars]
    max_idr: int


def _tall(amount: int, top: int, height: int) -> int:
    tall = max(amount, 0) * height // top if top else 0
    return 1 if amount > 0 and not tall else tall  # a small amount still shows


def wage_chart(months: list[MonthTotal], width: int = WIDTH, height: int = HEIGHT) -> WageChart:
    """Scale each month's wages promised and paid out; the largest reaches the top."""
    top = max((max(m.amounts.wages_idr, m.amounts.paid_idr) for m in months), default=0)
    base = height - LABEL_SPACE
    slot = width // max(len(months), 1)
    bar = max(min(slot // 3, 48), 2)
    bars = []
    for i, month in enumerate(months):
        promised = _tall(month.amounts.wages_idr, top, base - 4)
        paid = _tall(month.amounts.paid_idr, top, base - 4)
        x = i * slot + (slot - 2 * bar) // 2
        bars.append(MonthBars(x, slot, bar, base - promised, promised, base - paid, paid, month))
    return WageChart(width, height, base, bars, top)
