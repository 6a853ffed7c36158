"""Staff work on paid orders: pack, ship, deliver, cancel, release a hold; find and export.

Every action re-reads the order under its lock (`status.lock`), checks the move with the
status door, and commits or rolls back as a whole: a refused action leaves the order
exactly as it was. Refunds are in `refunds`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.models import Order, OrderStatus, User
from shop.services.ordering import refunds
from shop.services.ordering import status as order_status
from shop.services.ordering.status import InvalidTransition
from shop.services.quotes import payments as quote_payments
from shop.services.reporting import audit

__all__ = ["InvalidShipment", "InvalidTransition", "StockStillMissing"]

S = OrderStatus
MAX_CARRIER = 80
MAX_TRACKING = 120
MAX_NOTE = 500
MAX_ACTOR = 254
MAX_SEARCH = 254
CSV_HEADER = (
    "number", "created_at", "status", "email", "country", "subtotal_idr", "shipping_idr",
    "total_idr", "refunded_idr", "items", "carrier", "tracking", "gift_wrap_idr", "gift",
)  # fmt: skip
CSV_BATCH = 500

T = TypeVar("T")
Actor = User | str  # the staff account, or its email address


class InvalidShipment(Exception):
    """The carrier or tracking number is missing or too long; `field` says which."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason  # "missing" or "too_long"


class StockStillMissing(Exception):
    """An order on hold for stock can't go to packing: its pieces are still not on the shelf."""


# A partial refund hides how far the parcel got; the history still knows.
_NEXT_STEP = {S.PAID: S.PACKED, S.PACKED: S.SHIPPED, S.SHIPPED: S.DELIVERED}
_STAGES = frozenset({S.PAID, S.PACKED, S.SHIPPED, S.DELIVERED})


def next_steps(order: Order) -> frozenset[OrderStatus]:
    """The moves staff may make now: packed, shipped, delivered or cancelled."""
    if order.status == S.ON_HOLD:
        return frozenset({S.CANCELLED})  # or release it (`release_hold`), or refund it
    if order.status != S.PARTIALLY_REFUNDED:
        wanted = (S.PACKED, S.SHIPPED, S.DELIVERED, S.CANCELLED)
        return frozenset(to for to in wanted if order_status.can_move(order, to))
    stages = [S(e.to_status) for e in order.events if e.to_status in _STAGES]
    step = _NEXT_STEP.get(stages[-1]) if stages else None
    return frozenset({step}) if step else frozenset()


def _step(
    order: Order,
    to: OrderStatus,
    *,
    actor: Actor,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    """Make one staff move and log it ("order.shipped"); refuse any the order cannot make."""
    if to not in next_steps(order):
        raise InvalidTransition(order.status, to)
    moved = {"status": [str(order.status), str(to)]}
    order_status.move(order, to, actor=_actor(actor), note=note)
    quote_payments.follow_order(order, _actor(actor))
    _audit(actor, f"order.{to}", order, moved | (changes or {}))


def _audit(actor: Actor, action: str, order: Order, changes: dict[str, Any]) -> None:
    label = order.number or f"#{order.id}"
    audit.record(
        actor, action, target_type="order", target_id=order.id, label=label, changes=changes
    )


def _locked(order: Order) -> None:
    """Re-read the order under its lock, so two staff (or a staff and an event) take turns."""
    if order_status.lock(order.id) is None:
        raise InvalidTransition(order.status, order.status)


def _atomically(order: Order, action: Callable[[], T]) -> T:
    """Run `action` on the locked order and commit, or roll everything back and re-raise."""
    try:
        _locked(order)
        result = action()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def _actor(actor: Actor) -> str:
    """The email address the order's history names."""
    email = actor.email if isinstance(actor, User) else actor
    return email[:MAX_ACTOR]


def mark_packed(order: Order, actor: Actor) -> None:
    """Record that the order is packed and ready to go; commit."""
    _atomically(order, lambda: _step(order, S.PACKED, actor=actor))


def _clean(value: str | None, field: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise InvalidShipment(field, "missing")
    if len(text) > limit:
        raise InvalidShipment(field, "too_long")
    return text


def mark_shipped(order: Order, carrier: str, tracking_number: str, actor: Actor) -> None:
    """Record the carrier and tracking number and mark the order shipped; commit."""
    carrier = _clean(carrier, "carrier", MAX_CARRIER)
    tracking_number = _clean(tracking_number, "tracking_number", MAX_TRACKING)

    def ship() -> None:
        note = f"Shipped with {carrier}, tracking number {tracking_number}"
        changes = {
            "carrier": [order.carrier, carrier],
            "tracking_number": [order.tracking_number, tracking_number],
        }
        order.carrier, order.tracking_number = carrier, tracking_number
        order.shipped_at = datetime.now(UTC)
        _step(order, S.SHIPPED, actor=actor, note=note, changes=changes)

    _atomically(order, ship)


def mark_delivered(order: Order, actor: Actor) -> None:
    """Record that the parcel reached the customer; commit."""
    _atomically(order, lambda: _step(order, S.DELIVERED, actor=actor))


def cancel(order: Order, actor: Actor, note: str = "") -> None:
    """Cancel the order and put its reserved stock back; say in the history if money is due."""

    def cancel_now() -> None:
        due = refunds.refundable_idr(order)
        text = " ".join((note or "").split())[:MAX_NOTE]
        parts = ["Cancelled by staff", text]
        if due:
            parts.append(f"Paid: a refund of {due} IDR is still due")
        changes = {"reason": text} if text else {}
        if due:
            changes["refund_due_idr"] = due
        _step(order, S.CANCELLED, actor=actor, note=". ".join(filter(None, parts)), changes=changes)

    _atomically(order, cancel_now)


def release_hold(order: Order, actor: Actor, note: str = "") -> None:
    """Send an order on hold to packing once staff settled it with the buyer; commit."""

    def release() -> None:
        text = " ".join((note or "").split())[:MAX_NOTE]
        reason = order.hold_reason
        if not order_status.release_hold(order, actor=_actor(actor), note=text):
            raise StockStillMissing()
        _audit(actor, "order.released", order,
               {"status": [str(S.ON_HOLD), str(S.PAID)], "hold_reason": reason})  # fmt: skip

    _atomically(order, release)


@dataclass(frozen=True)
class OrderFilter:
    """What the staff searched for; empty fields match every order."""

    status: OrderStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""


def _conditions(filters: OrderFilter, tz: tzinfo) -> list[ColumnElement[bool]]:
    """SQL conditions for the filter, with days running midnight to midnight in `tz`."""
    found: list[ColumnElement[bool]] = []
    if filters.status is not None:
        found.append(Order.status == filters.status)
    if filters.date_from is not None:
        start = datetime.combine(filters.date_from, time.min, tzinfo=tz).astimezone(UTC)
        found.append(Order.created_at >= start)
    if filters.date_to is not None:
        end_day = filters.date_to + timedelta(days=1)
        found.append(
            Order.created_at < datetime.combine(end_day, time.min, tzinfo=tz).astimezone(UTC)
        )
    q = filters.q.strip()[:MAX_SEARCH]
    if q:
        pattern = (
            "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        found.append(
            or_(
                func.lower(Order.number).like(pattern, escape="\\"),
                func.lower(Order.email).like(pattern, escape="\\"),
            )
        )
    return found


def _query(filters: OrderFilter, tz: tzinfo) -> Select[tuple[Order]]:
    return (
        select(Order)
        .where(*_conditions(filters, tz))
        .options(selectinload(Order.lines))
        .order_by(Order.created_at.desc(), Order.id.desc())
    )


def search_orders(filters: OrderFilter, tz: tzinfo, page: int = 1, per_page: int = 50) -> Any:
    """Return one page of matching orders, newest first, lines loaded (three queries)."""
    return db.paginate(
        _query(filters, tz), page=max(page, 1), per_page=per_page, error_out=False, max_per_page=200
    )


def items_summary(order: Order) -> str:
    """The order's lines as "SKU×qty; SKU×qty"."""
    return "; ".join(f"{line.sku}×{line.quantity}" for line in order.lines)


def _cell(value: object) -> object:
    """Keep spreadsheet programs from running text that looks like a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _row(order: Order, tz: tzinfo) -> list[object]:
    created = order.created_at
    if created.tzinfo is None:  # SQLite hands back naive UTC
        created = created.replace(tzinfo=UTC)
    values: list[object] = [
        order.number or "", created.astimezone(tz).isoformat(timespec="seconds"),
        str(order.status), order.email, order.shipping_country, order.subtotal_idr,
        order.shipping_idr, order.total_idr, order.refunded_idr, items_summary(order),
        order.carrier, order.tracking_number, order.gift_wrap_idr, "gift" if order.is_gift else "",
    ]  # fmt: skip
    return [_cell(value) for value in values]


def orders_csv(filters: OrderFilter, tz: tzinfo) -> Iterator[list[object]]:
    """Yield the CSV header, then one row per matching order, newest first, in batches."""
    yield list(CSV_HEADER)
    offset = 0
    while True:
        batch = db.session.scalars(_query(filters, tz).limit(CSV_BATCH).offset(offset)).all()
        for order in batch:
            yield _row(order, tz)
        if len(batch) < CSV_BATCH:
            return
        offset += CSV_BATCH


def find_order(order_id: int) -> Order | None:
    """Return the order with this id, or None."""
    return db.session.get(Order, order_id)
