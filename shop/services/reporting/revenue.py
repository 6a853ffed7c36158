"""Where the money went: sales per workshop and month, split into wages, PNBP and the rest.

Sales are what buyers paid for the lines: a discount code's part of a line is taken off it,
so the maker share is computed on the price actually paid. Money is whole rupiah. Each
(workshop, month) cell floors the maker share and the PNBP once, and the remainder takes
what is left, so the three parts always add up to the sales exactly.
Months run midnight to midnight in the shop's time zone, by the moment the order was paid.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from sqlalchemy import Result, Row, select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.models import Order, RevenueSplitRate, User
from shop.services.reporting import audit, ledger

REPORT_STATUSES = ledger.REPORT_STATUSES
DEFAULT_MONTHS = 12
MAX_MONTHS = 120
CSV_HEADER = (
    "month", "workshop", "orders", "sales_idr", "maker_share_idr", "pnbp_pct", "pnbp_idr",
    "remainder_idr",
)  # fmt: skip


class InvalidRate(Exception):
    """A rate an admin cannot set: `field` names the input, `reason` says what is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason  # "range" or "sum"


# Months ---------------------------------------------------------------------------------


def month_of(day: date) -> date:
    """The first day of the day's month."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included, oldest first."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, i) for i in range(max(count, 0))]


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    this_month = month_of(today)
    return add_months(this_month, 1 - DEFAULT_MONTHS), this_month


def _utc_start(month: date, tz: tzinfo) -> datetime:
    return datetime.combine(month, time.min, tzinfo=tz).astimezone(UTC)


def _local_month(moment: datetime, tz: tzinfo) -> date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return month_of(moment.astimezone(tz).date())


# Rates ----------------------------------------------------------------------------------


def list_rates() -> list[RevenueSplitRate]:
    """Every rate, the latest month first."""
    return list(
        db.session.scalars(
            select(RevenueSplitRate).order_by(RevenueSplitRate.effective_from.desc())
        )
    )


class RateBook:
    """The rates, answering which one is in force in a given month."""

    def __init__(self, rates: Iterable[RevenueSplitRate]) -> None:
        self._rates = sorted(rates, key=lambda rate: rate.effective_from)
        self._starts = [rate.effective_from for rate in self._rates]

    def in_force(self, month: date) -> RevenueSplitRate | None:
        """The latest rate effective on or before the month's first day, if any."""
        index = bisect.bisect_right(self._starts, month_of(month))
        return self._rates[index - 1] if index else None


def rate_in_force(month: date) -> RevenueSplitRate | None:
    """The rate that applies to the month (e.g. its default maker share for new products)."""
    return db.session.scalar(
        select(RevenueSplitRate)
        .where(RevenueSplitRate.effective_from <= month_of(month))
        .order_by(RevenueSplitRate.effective_from.desc())
        .limit(1)
    )


def _check_rate(pnbp_pct: int, default_maker_share_pct: int) -> None:
    if not 0 <= pnbp_pct <= 100:
        raise InvalidRate("pnbp_pct", "range")
    if not 0 <= default_maker_share_pct <= 100:
        raise InvalidRate("default_maker_share_pct", "range")
    if pnbp_pct + default_maker_share_pct > 100:
        raise InvalidRate("default_maker_share_pct", "sum")


_RATE_FIELDS = ("pnbp_pct", "default_maker_share_pct")


def set_rate(
    month: date, pnbp_pct: int, default_maker_share_pct: int, actor: User | str | None
) -> RevenueSplitRate:
    """Set the rates in force from `month` on, replacing that month's rate if any; commit."""
    _check_rate(pnbp_pct, default_maker_share_pct)
    month = month_of(month)
    try:
        # Read the actor first: reloading an expired account would flush a half-filled rate.
        set_by = (actor.email if isinstance(actor, User) else actor) or audit.SYSTEM
        rate = db.session.scalar(
            select(RevenueSplitRate).where(RevenueSplitRate.effective_from == month)
        )
        before = audit.snapshot(rate, _RATE_FIELDS) if rate else dict.fromkeys(_RATE_FIELDS)
        values = {
            "pnbp_pct": pnbp_pct,
            "default_maker_share_pct": default_maker_share_pct,
            "set_by": set_by,
            "created_at": datetime.now(UTC),
        }
        if rate is None:
            rate = RevenueSplitRate(effective_from=month, **values)
            db.session.add(rate)
        else:
            for name, value in values.items():
                setattr(rate, name, value)
        db.session.flush()
        audit.record(
            actor, "revenue_rate.set", target_type="revenue_rate", target_id=rate.id,
            label=f"{month:%Y-%m}", changes=audit.diff(before, audit.snapshot(rate, _RATE_FIELDS)),
        )  # fmt: skip
        db.session.commit()
    except IntegrityError as error:  # another admin set the same month meanwhile
        db.session.rollback()
        raise InvalidRate("effective_from", "conflict") from error
    except Exception:
        db.session.rollback()
        raise
    return rate


# The report -----------------------------------------------------------------------------


@dataclass
class Split:
    """Sales of a workshop (or of everyone) in a month, and how they divide up."""

    orders: int = 0
    sales_idr: int = 0
    maker_share_idr: int = 0
    pnbp_idr: int = 0
    remainder_idr: int = 0
    pieces: int = 0  # pieces of lines not refunded in full

    def add(self, other: Split) -> None:
        """Add another split's figures to this one."""
        self.orders += other.orders
        self.pieces += other.pieces
        self.sales_idr += other.sales_idr
        self.maker_share_idr += other.maker_share_idr
        self.pnbp_idr += other.pnbp_idr
        self.remainder_idr += other.remainder_idr


@dataclass
class WorkshopMonth:
    """One workshop's row in a month."""

    workshop_id: int | None  # None: the product or variant is gone, so the workshop is unknown
    workshop_name: str
    split: Split


@dataclass
class MonthSplit:
    """A month: the rate in force, a row per workshop that sold, and the month's total."""

    month: date
    pnbp_pct: int | None  # None: no rate set for this month
    rows: list[WorkshopMonth] = field(default_factory=list)
    total: Split = field(default_factory=Split)


@dataclass
class RevenueReport:
    """The months of a period (oldest first) and the grand total."""

    first_month: date
    last_month: date
    months: list[MonthSplit]
    total: Split


@dataclass
class _Cell:
    """Running sums for one (workshop, month) before the shares are floored."""

    name: str
    orders: set[int] = field(default_factory=set)
    sales: int = 0
    maker_weighted: int = 0  # Σ net line sales × maker share %, divided by 100 once
    pieces: int = 0


def spread_refund(line_totals: Sequence[int], refunded_idr: int) -> list[int]:
    """Net sales of each line after taking the refund off in proportion to the line totals.

    The refund is capped at the item total (a refund that also covered shipping never takes
    sales below zero); rupiah left over by flooring go to the lines with the largest fractions.
    """
    items = sum(line_totals)
    refund = min(max(refunded_idr, 0), items)
    if not refund:
        return list(line_totals)
    shares = [refund * total // items for total in line_totals]
    fractions = sorted(
        range(len(line_totals)), key=lambda i: (-(refund * line_totals[i] % items), i)
    )
    for i in fractions[: refund - sum(shares)]:
        shares[i] += 1
    return [total - share for total, share in zip(line_totals, shares, strict=True)]


def _line_rows(first: date, last: date, tz: tzinfo) -> Result[Any]:
    """One row per order line of the period's paid orders, grouped by order (one query)."""
    return ledger.line_rows(
        Order.status.in_(REPORT_STATUSES),
        Order.paid_at >= _utc_start(first, tz),
        Order.paid_at < _utc_start(add_months(last, 1), tz),
    )


def _cells(first: date, last: date, tz: tzinfo) -> dict[tuple[date, int | None], _Cell]:
    """Sum net sales and weighted maker shares per (month, workshop)."""
    by_order: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in _line_rows(first, last, tz):
        by_order[row.order_id].append(row)
    cells: dict[tuple[date, int | None], _Cell] = {}
    for order_id, lines in by_order.items():
        month = _local_month(lines[0].paid_at, tz)
        totals = [int(line.line_total) for line in lines]
        for line, net in zip(lines, spread_refund(totals, int(lines[0].refunded_idr)), strict=True):
            cell = cells.setdefault((month, line.workshop_id), _Cell(line.workshop_name or ""))
            cell.orders.add(order_id)
            cell.sales += net
            cell.maker_weighted += net * int(line.maker_share_pct)
            cell.pieces += int(line.quantity) if net > 0 else 0
    return cells


def divide(sales_idr: int, maker_weighted: int, pnbp_pct: int | None) -> Split:
    """Floor the maker share and PNBP of a cell; the remainder absorbs the rounding."""
    maker = maker_weighted // 100
    pnbp = sales_idr * (pnbp_pct or 0) // 100
    return Split(0, sales_idr, maker, pnbp, sales_idr - maker - pnbp)


def revenue_split(first: date, last: date, tz: tzinfo) -> RevenueReport:
    """Sales per workshop and month from `first` to `last` (months), split into the shares."""
    first, last = month_of(first), month_of(last)
    book = RateBook(list_rates())
    cells = _cells(first, last, tz)
    months: list[MonthSplit] = []
    grand = Split()
    for month in months_between(first, last):
        rate = book.in_force(month)
        entry = MonthSplit(month, rate.pnbp_pct if rate else None)
        month_orders: set[int] = set()
        keys = sorted((k for k in cells if k[0] == month), key=lambda k: cells[k].name.lower())
        for key in keys:
            cell = cells[key]
            split = divide(cell.sales, cell.maker_weighted, entry.pnbp_pct)
            split.orders = len(cell.orders)
            split.pieces = cell.pieces
            month_orders |= cell.orders
            entry.rows.append(WorkshopMonth(key[1], cell.name, split))
            entry.total.add(split)
        entry.total.orders = len(month_orders)
        grand.add(entry.total)
        months.append(entry)
    return RevenueReport(first, last, months, grand)


def _text_cell(value: str) -> str:
    """Keep spreadsheet programs from running text that looks like a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def report_csv(report: RevenueReport, unknown_workshop: str) -> Iterator[list[object]]:
    """Yield the CSV header, then one row per workshop and month, oldest month first."""
    yield list(CSV_HEADER)
    for month in report.months:
        for row in month.rows:
            split = row.split
            yield [
                f"{month.month:%Y-%m}", _text_cell(row.workshop_name or unknown_workshop),
                split.orders, split.sales_idr, split.maker_share_idr,
                "" if month.pnbp_pct is None else month.pnbp_pct, split.pnbp_idr,
                split.remainder_idr,
            ]  # fmt: skip
