"""Wage payouts to workshops, recorded by admins, and what is still owed per month.

A payout says which workshop was paid, for which month's sales, when, how much and under
which bank transfer reference; a scan of the receipt may be kept, checked and stripped like
every upload (pictures are decoded and re-encoded without metadata, a PDF must open as one)
and stored privately. The revenue split report compares the wages promised in a month (its
maker share) with the payouts for that month: what is still owed, and whether the month is
overdue, i.e. still owed 45 days after the month closed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from shop.extensions import db
from shop.media import MediaStorage
from shop.models import User, WagePayout, Workshop
from shop.services.quotes import files as upload_checks
from shop.services.reporting import audit
from shop.services.reporting.revenue import RevenueReport, add_months, month_of

OVERDUE_AFTER_DAYS = 45
MAX_REFERENCE = 120


class InvalidPayout(ValueError):
    """A payout that cannot be recorded; `field` names the input, `reason` what is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason  # "missing", "range", "future", "format", "damaged", …


@dataclass(frozen=True)
class PayoutDetails:
    """What the admin typed: workshop, month paid for, day paid, amount, transfer reference."""

    workshop_id: int
    period: date
    paid_on: date
    amount_idr: int
    reference: str


@dataclass(frozen=True)
class WageStatus:
    """One workshop's wages for one month: promised, paid out, still owed, and overdue."""

    promised_idr: int
    paid_idr: int
    overdue: bool

    @property
    def owed_idr(self) -> int:
        """What is still to pay (never below zero: an overpayment owes nothing)."""
        return max(self.promised_idr - self.paid_idr, 0)


def overdue_from(month: date) -> date:
    """The first day a month's unpaid wages count as overdue: 45 days after it closed."""
    return add_months(month_of(month), 1) + timedelta(days=OVERDUE_AFTER_DAYS)


def _check(details: PayoutDetails, today: date) -> Workshop:
    workshop = db.session.get(Workshop, details.workshop_id)
    if workshop is None:
        raise InvalidPayout("workshop_id", "missing")
    if details.amount_idr <= 0:
        raise InvalidPayout("amount_idr", "range")
    if month_of(details.period) > month_of(today):
        raise InvalidPayout("period", "future")
    if details.paid_on > today:
        raise InvalidPayout("paid_on", "future")
    reference = details.reference.strip()
    if not reference or len(reference) > MAX_REFERENCE:
        raise InvalidPayout("reference", "missing")
    return workshop


def record_payout(
    details: PayoutDetails,
    receipt: upload_checks.Upload | None,
    storage: MediaStorage,
    actor: User,
    today: date,
) -> WagePayout:
    """Check and record a payout (with its receipt scan, if any), audit-logged; commit."""
    workshop = _check(details, today)
    with upload_checks.all_or_nothing(storage) as staged:
        name, kind = None, ""
        if receipt is not None:
            try:
                stored = upload_checks.store(receipt, staged)
            except upload_checks.InvalidFile as error:
                raise InvalidPayout("receipt", error.reason) from None
            name, kind = stored.storage_name, stored.content_type
        payout = WagePayout(
            workshop_id=workshop.id, period=month_of(details.period), paid_on=details.paid_on,
            amount_idr=details.amount_idr, reference=details.reference.strip(),
            receipt_name=name, receipt_type=kind, recorded_by=actor.email,
            created_at=datetime.now(UTC),
        )  # fmt: skip
        try:
            db.session.add(payout)
            db.session.flush()
            audit.record(
                actor, "payout.recorded", target_type="payout", target_id=payout.id,
                label=f"{workshop.name} · {payout.period:%Y-%m}",
                changes={"amount_idr": payout.amount_idr, "paid_on": payout.paid_on,
                         "reference": payout.reference, "receipt": bool(name)},
            )  # fmt: skip
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return payout


def payouts_between(first: date, last: date) -> list[WagePayout]:
    """Payouts for the months from `first` to `last`, latest month and payment first."""
    return list(
        db.session.scalars(
            select(WagePayout)
            .where(WagePayout.period >= month_of(first), WagePayout.period <= month_of(last))
            .order_by(WagePayout.period.desc(), WagePayout.paid_on.desc(), WagePayout.id.desc())
        )
    )


def paid_per_month(first: date, last: date) -> dict[tuple[date, int], int]:
    """Rupiah paid out per (month, workshop id) for the months from `first` to `last`."""
    rows = db.session.execute(
        select(WagePayout.period, WagePayout.workshop_id, func.sum(WagePayout.amount_idr))
        .where(WagePayout.period >= month_of(first), WagePayout.period <= month_of(last))
        .group_by(WagePayout.period, WagePayout.workshop_id)
    )
    return {(period, workshop_id): int(total) for period, workshop_id, total in rows}


def wage_ledger(report: RevenueReport, today: date) -> dict[tuple[date, int | None], WageStatus]:
    """Promised, paid and owed per (month, workshop) of the report, with overdue months."""
    paid = paid_per_month(report.first_month, report.last_month)
    promised: dict[tuple[date, int | None], int] = defaultdict(int)
    for month in report.months:
        for row in month.rows:
            promised[(month.month, row.workshop_id)] += row.split.maker_share_idr
    for key in paid:
        promised.setdefault(key, 0)  # paid for a month without sales: still shown
    ledger = {}
    for (month, workshop_id), amount in promised.items():
        given = paid.get((month, workshop_id), 0) if workshop_id is not None else 0
        late = workshop_id is not None and today >= overdue_from(month) and amount > given
        ledger[(month, workshop_id)] = WageStatus(amount, given, late)
    return ledger


def month_overdue(ledger: dict[tuple[date, int | None], WageStatus], month: date) -> bool:
    """Whether any workshop's wages for the month are overdue."""
    return any(status.overdue for (key, _), status in ledger.items() if key == month)


def workshops() -> list[Workshop]:
    """Every workshop, by name, for the payout form."""
    return list(db.session.scalars(select(Workshop).order_by(Workshop.name)))
