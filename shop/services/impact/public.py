"""The figures /impact publishes: per workshop and approved month, folded and totalled.

Only approved months are read, from the figures frozen at approval. Wages paid out are the
payouts recorded for those months (they only grow). So that no maker can be singled out, a
workshop's month with fewer than `min_sales` orders is not shown alone: it is folded into
that workshop's next approved month, until the sum reaches `min_sales`; months still below
it at the end are not shown yet, and are left out of the running total too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from shop.extensions import db
from shop.models import ImpactMonth, Workshop
from shop.services.impact import payouts
from shop.services.impact.orders import workshop_names
from shop.services.impact.publication import approved_months

CSV_HEADER = (
    "month", "workshop", "months_included", "pieces", "wages_promised_idr", "wages_paid_idr",
    "state_share_idr", "corrects_month",
)  # fmt: skip


@dataclass
class Amounts:
    """Pieces sold, wages promised and paid out, the state's share."""

    pieces: int = 0
    wages_idr: int = 0
    paid_idr: int = 0
    pnbp_idr: int = 0

    def add(self, other: Amounts) -> None:
        """Add another's figures to these."""
        self.pieces += other.pieces
        self.wages_idr += other.wages_idr
        self.paid_idr += other.paid_idr
        self.pnbp_idr += other.pnbp_idr


@dataclass
class PublicRow:
    """A workshop's shown figures in a month; `months` lists every month folded into it."""

    month: date
    workshop_id: int | None
    workshop_name: str
    months: list[date]
    amounts: Amounts
    corrects_month: date | None = None  # set on a correction row
    workshop_slug: str | None = None  # for the link to the workshop's story


@dataclass
class MonthTotal:
    """Everything shown for a month (for the chart and its table)."""

    month: date
    amounts: Amounts = field(default_factory=Amounts)


@dataclass
class PublicReport:
    """What /impact shows: rows, corrections, month totals and the running total."""

    rows: list[PublicRow]
    corrections: list[PublicRow]
    months: list[MonthTotal]
    total: Amounts
    first_month: date | None
    # Approved but not shown yet: months still below the minimum, waiting for the next one.
    # Not published (that would single them out), but shown + held back = the staff report.
    held_back: Amounts = field(default_factory=Amounts)


@dataclass
class _Bucket:
    orders: int = 0
    months: list[date] = field(default_factory=list)
    amounts: Amounts = field(default_factory=Amounts)


def _own_rows(
    months: list[ImpactMonth], paid: dict[tuple[date, int], int], min_sales: int
) -> tuple[list[PublicRow], Amounts]:
    buckets: dict[int | None, _Bucket] = {}
    names: dict[int | None, str] = {}
    rows = []
    for entry in months:
        seen: set[int | None] = set()
        for figure in entry.figures:
            if figure.corrects_month is not None:
                continue
            key = figure.workshop_id
            seen.add(key)
            names[key] = figure.workshop_name
            bucket = buckets.setdefault(key, _Bucket())
            bucket.orders += figure.orders
            bucket.amounts.add(Amounts(figure.pieces, figure.maker_share_idr, 0, figure.pnbp_idr))
        for (month, workshop_id), amount in paid.items():
            if month == entry.month:
                seen.add(workshop_id)
                buckets.setdefault(workshop_id, _Bucket()).amounts.paid_idr += amount
        for key in sorted(seen, key=lambda k: (k is None, k or 0)):
            bucket = buckets[key]
            bucket.months.append(entry.month)
            if bucket.orders >= min_sales:
                rows.append(PublicRow(entry.month, key, names.get(key, ""), bucket.months,
                                      bucket.amounts))  # fmt: skip
                buckets[key] = _Bucket()
    held = Amounts()
    for bucket in buckets.values():
        held.add(bucket.amounts)
    return rows, held


def public_report(min_sales: int, locale: str = "en") -> PublicReport:
    """The published figures, with small months folded into the next, and their totals."""
    months = approved_months()
    if not months:
        return PublicReport([], [], [], Amounts(), None)
    paid = payouts.paid_per_month(months[0].month, months[-1].month)
    rows, held = _own_rows(months, paid, max(min_sales, 1))
    corrections = [
        PublicRow(entry.month, figure.workshop_id, figure.workshop_name, [entry.month],
                  Amounts(figure.pieces, figure.maker_share_idr, 0, figure.pnbp_idr),
                  corrects_month=figure.corrects_month)
        for entry in months for figure in entry.figures if figure.corrects_month is not None
    ]  # fmt: skip
    ids = {row.workshop_id for row in rows + corrections if row.workshop_id is not None}
    translated = workshop_names(ids, locale)
    slugs = _slugs(ids)
    totals = {entry.month: MonthTotal(entry.month) for entry in months}
    total = Amounts()
    for row in rows + corrections:
        row.workshop_name = translated.get(row.workshop_id or 0, row.workshop_name)
        row.workshop_slug = slugs.get(row.workshop_id or 0)
        totals[row.month].amounts.add(row.amounts)
        total.add(row.amounts)
    rows.sort(key=lambda row: (row.month, row.workshop_id is None, row.workshop_name.lower()))
    return PublicReport(rows, corrections, list(totals.values()), total, months[0].month, held)


def _slugs(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Workshop.id, Workshop.slug).where(Workshop.id.in_(ids)))
    return {workshop_id: slug for workshop_id, slug in rows}


def report_csv(report: PublicReport, made_to_order: str) -> Iterator[list[object]]:
    """Yield the CSV header, then one row per shown workshop and month, then corrections."""
    yield list(CSV_HEADER)
    for row in report.rows + report.corrections:
        yield [
            f"{row.month:%Y-%m}", _text(row.workshop_name or made_to_order),
            " ".join(f"{month:%Y-%m}" for month in row.months), row.amounts.pieces,
            row.amounts.wages_idr, row.amounts.paid_idr, row.amounts.pnbp_idr,
            f"{row.corrects_month:%Y-%m}" if row.corrects_month else "",
        ]  # fmt: skip


def _text(value: str) -> str:
    """Keep spreadsheet programs from running text that looks like a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
