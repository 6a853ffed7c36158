"""What one order pays the makers, per workshop, as the buyer sees it on every surface.

The confirmation page, the order page, the order mails and the invoice all call
`order_impact`, which reads the order through the same ledger as the staff's revenue split
report. Each line pays the maker share it promised when sold (`OrderLine.maker_share_pct`).
A refund is taken off the goods pro rata to each line's total (`revenue.spread_refund`: the
rupiah left over by rounding go to the lines with the largest fractions, and a refund larger
than the goods, i.e. one that also returned the shipping, stops at the goods). Each
workshop's wages are floored to the rupiah once, over all its lines in the order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, OrderStatus, WorkshopTranslation
from shop.services.reporting import ledger
from shop.services.reporting.revenue import spread_refund

# An order shows what it pays once it is placed and until it is paid back in full; a
# cancelled or expired order paid nothing.
SHOWN_STATUSES = (OrderStatus.PENDING_PAYMENT, *ledger.REPORT_STATUSES)


@dataclass(frozen=True)
class WorkshopImpact:
    """What one workshop's makers earn from the order."""

    workshop_id: int | None  # None: made to order, no workshop on record
    name: str
    slug: str | None  # for the link to the workshop's story
    wages_idr: int


@dataclass(frozen=True)
class OrderImpact:
    """The order's wages per workshop (named workshops first, by name), net of refunds."""

    workshops: list[WorkshopImpact]
    refunded: bool  # some money was paid back, and taken off the wages

    @property
    def total_idr(self) -> int:
        """All the wages the order pays."""
        return sum(entry.wages_idr for entry in self.workshops)


def workshop_names(ids: Iterable[int], locale: str) -> dict[int, str]:
    """Translated names of these workshops in `locale`, where staff gave one."""
    wanted = set(ids)
    if not wanted or locale == "en":
        return {}
    rows = db.session.execute(
        select(WorkshopTranslation.workshop_id, WorkshopTranslation.name).where(
            WorkshopTranslation.workshop_id.in_(wanted), WorkshopTranslation.locale == locale
        )
    )
    return {workshop_id: name for workshop_id, name in rows if name and name.strip()}


def order_impact(order: Order, locale: str = "en") -> OrderImpact | None:
    """What the order pays the makers of each workshop; None when it pays nothing to show."""
    if order.status not in SHOWN_STATUSES:
        return None
    rows = list(ledger.order_line_rows(order.id))
    if not rows:
        return None
    nets = spread_refund([int(row.line_total) for row in rows], order.refunded_idr)
    weighted: dict[int | None, int] = {}
    named: dict[int | None, tuple[str, str | None]] = {}
    for row, net in zip(rows, nets, strict=True):
        weighted[row.workshop_id] = weighted.get(row.workshop_id, 0) + net * row.maker_share_pct
        named[row.workshop_id] = (row.workshop_name or "", row.workshop_slug)
    translated = workshop_names((key for key in weighted if key is not None), locale)
    entries = [
        WorkshopImpact(key, translated.get(key or 0, named[key][0]), named[key][1], total // 100)
        for key, total in weighted.items()
    ]
    entries.sort(key=lambda entry: (entry.workshop_id is None, entry.name.lower()))
    return OrderImpact(entries, refunded=order.refunded_idr > 0)
