"""Closing and approving a month for /impact: its figures are frozen as they were approved.

Approving a month copies each workshop's row of the revenue split report (the same ledger
the staff read) into `ImpactFigure` rows. A refund made after a month was published changes
the live report for that month but never the published figures: the difference between the
live report and what was published for it (its own rows and earlier corrections) is added
to the next month approved, as correction rows naming the month they correct. So the public
running total always equals the live report over every approved month, to the rupiah, as of
the latest approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from shop.database import begin_write
from shop.extensions import db
from shop.models import ImpactFigure, ImpactMonth, User
from shop.services.reporting import audit, revenue
from shop.services.reporting.revenue import month_of

FIELDS = ("orders", "pieces", "sales_idr", "maker_share_idr", "pnbp_idr")
APPROVAL_LOCK = 170_017  # PostgreSQL advisory lock key: one approval at a time


class CannotApprove(Exception):
    """A month that cannot be approved: "open" (not over), "approved" (already), "order"
    (a later month is already approved)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Figures:
    """One workshop's figures (a month's own, or a correction)."""

    name: str
    orders: int = 0
    pieces: int = 0
    sales_idr: int = 0
    maker_share_idr: int = 0
    pnbp_idr: int = 0

    def values(self) -> tuple[int, ...]:
        """The numbers, in FIELDS order."""
        return tuple(getattr(self, name) for name in FIELDS)


def approved_months() -> list[ImpactMonth]:
    """Every approved month with its figures, oldest first."""
    return list(
        db.session.scalars(
            select(ImpactMonth)
            .options(selectinload(ImpactMonth.figures))
            .order_by(ImpactMonth.month)
        )
    )


def _live(first: date, last: date, tz: tzinfo) -> dict[tuple[date, int | None], Figures]:
    """The revenue split report's rows from `first` to `last`, per (month, workshop)."""
    report = revenue.revenue_split(first, last, tz)
    found = {}
    for month in report.months:
        for row in month.rows:
            split = row.split
            found[(month.month, row.workshop_id)] = Figures(
                row.workshop_name, split.orders, split.pieces, split.sales_idr,
                split.maker_share_idr, split.pnbp_idr,
            )  # fmt: skip
    return found


def _published(months: list[ImpactMonth]) -> dict[tuple[date, int | None], Figures]:
    """What has been published for each (month, workshop): its own rows plus corrections."""
    found: dict[tuple[date, int | None], Figures] = {}
    for entry in months:
        for figure in entry.figures:
            key = (figure.corrects_month or entry.month, figure.workshop_id)
            total = found.setdefault(key, Figures(figure.workshop_name))
            for name in FIELDS:
                setattr(total, name, getattr(total, name) + getattr(figure, name))
    return found


def _corrections(months: list[ImpactMonth], tz: tzinfo) -> list[ImpactFigure]:
    """Rows that bring every published month up to the live report."""
    if not months:
        return []
    live = _live(months[0].month, months[-1].month, tz)
    published = _published(months)
    approved = {entry.month for entry in months}
    rows = []
    for key in sorted(set(live) | set(published), key=lambda k: (k[0], k[1] or 0)):
        if key[0] not in approved:
            continue
        now = live.get(key) or Figures(published[key].name)
        before = published.get(key) or Figures(now.name)
        diff = [a - b for a, b in zip(now.values(), before.values(), strict=True)]
        if any(diff):
            rows.append(
                ImpactFigure(workshop_id=key[1], workshop_name=now.name or before.name,
                             corrects_month=key[0], **dict(zip(FIELDS, diff, strict=True)))
            )  # fmt: skip
    return rows


def _one_approval_at_a_time() -> None:
    """Serialize approvals, so two at once can't both pass the checks (same month, order).

    SQLite: the write lock up front (BEGIN IMMEDIATE). PostgreSQL: a transaction-level
    advisory lock; READ COMMITTED then shows each approval the one committed before it.
    """
    begin_write(db.session)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPROVAL_LOCK})


def approve_month(month: date, actor: User, tz: tzinfo, today: date) -> ImpactMonth:
    """Close and approve a month: freeze its figures and any corrections, audit-logged; commit."""
    month = month_of(month)
    if month >= month_of(today):
        raise CannotApprove("open")
    approved_by = actor.email  # read before the unit of work (begin_write ends the request's)
    try:
        return _approve(month, actor, approved_by, tz)
    except Exception:
        db.session.rollback()
        raise


def _approve(month: date, actor: User, approved_by: str, tz: tzinfo) -> ImpactMonth:
    _one_approval_at_a_time()
    earlier = approved_months()
    if any(entry.month == month for entry in earlier):
        raise CannotApprove("approved")
    if any(entry.month > month for entry in earlier):
        raise CannotApprove("order")
    own = _live(month, month, tz)
    figures = [
        ImpactFigure(workshop_id=key[1], workshop_name=row.name, corrects_month=None,
                     **dict(zip(FIELDS, row.values(), strict=True)))
        for key, row in own.items()
    ]  # fmt: skip
    figures += _corrections(earlier, tz)
    entry = ImpactMonth(
        month=month, approved_by=approved_by, approved_at=datetime.now(UTC), figures=figures
    )
    try:
        db.session.add(entry)
        db.session.flush()
        audit.record(
            actor, "impact.approved", target_type="impact_month", target_id=entry.id,
            label=f"{month:%Y-%m}",
            changes={"maker_share_idr": sum(f.maker_share_idr for f in figures),
                     "pnbp_idr": sum(f.pnbp_idr for f in figures),
                     "corrections": sum(1 for f in figures if f.corrects_month)},
        )  # fmt: skip
        db.session.commit()
    except IntegrityError as error:  # another admin approved the same month meanwhile
        db.session.rollback()
        raise CannotApprove("approved") from error
    return entry
