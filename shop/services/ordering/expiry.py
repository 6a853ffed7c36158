"""Orders whose payment window closed unpaid: expired, and their stock back on the shelf."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, OrderStatus
from shop.services.ordering.orders import give_up

WINDOW_CLOSED = "Payment window closed"
SWEEP_SECONDS = 60  # the expiry sweep's cadence, in the worker and without one
_last_sweep = 0.0


def expire_if_overdue(order: Order, now: datetime | None = None) -> bool:
    """Expire this one order if its payment window has closed (as Stripe's page refuses a
    session past its expiry, whether or not a sweep ran yet); True if it did."""
    closes = order.payment_expires_at
    if closes is None or order.status != OrderStatus.PENDING_PAYMENT:
        return False
    if closes.tzinfo is None:
        closes = closes.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    if closes >= (now or datetime.now(UTC)):
        return False
    return give_up(order.id, OrderStatus.EXPIRED, actor="system", note=WINDOW_CLOSED)


def expire_overdue_now_and_then(every: float = SWEEP_SECONDS) -> int:
    """The sweep where no worker runs it: at most once per `every` seconds per process, the
    worker's own cadence; a checkout then pays one statement a minute, not one each."""
    global _last_sweep
    if time.monotonic() - _last_sweep < every:
        return 0
    _last_sweep = time.monotonic()
    return expire_overdue()


def expire_overdue(now: datetime | None = None) -> int:
    """Expire orders whose payment window closed without a payment; return how many."""
    now = now or datetime.now(UTC)
    overdue = db.session.scalars(
        select(Order.id).where(
            Order.status == OrderStatus.PENDING_PAYMENT, Order.payment_expires_at < now
        )
    ).all()
    # Each order in a unit of work of its own: a sweep running at the same moment, or a
    # payment arriving, finds it already moved and leaves it be.
    return sum(give_up(oid, OrderStatus.EXPIRED, actor="system", note=WINDOW_CLOSED)
               for oid in overdue)  # fmt: skip
