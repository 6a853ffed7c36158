"""The one door every order status change goes through, with the stock that moves with it.

A unit of work that may change an order starts with `lock(order_id)`: the order's row is
locked (SELECT … FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite, which locks the
database) and re-read, so two events for one order — a payment and the expiry sweep, two
webhooks, a double-clicked refund — take turns and the second sees what the first did.
`move` then writes the status with a conditional UPDATE (`WHERE status = <the one read>`):
even a caller that forgot the lock cannot overwrite a move it did not see, and learns it
lost (TransitionLost). The stock a move frees is returned in the same transaction, and so is
the discount code use of an order that lapses unpaid.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from shop.database import begin_write
from shop.extensions import db
from shop.models import Order, OrderEvent, OrderStatus
from shop.services.ordering import discounts, invoices, reservations

S = OrderStatus
ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.ON_HOLD, S.CANCELLED, S.EXPIRED}),
    # A payment can still succeed after the shop gave up waiting for it.
    S.EXPIRED: frozenset({S.PAID, S.ON_HOLD}),
    S.CANCELLED: frozenset({S.PAID, S.ON_HOLD}),
    S.PAID: frozenset({S.PACKED, S.CANCELLED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    # Staff release it to packing once settled, or cancel or refund it.
    S.ON_HOLD: frozenset({S.PAID, S.CANCELLED, S.REFUNDED}),
    S.PACKED: frozenset({S.SHIPPED, S.CANCELLED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.DELIVERED: frozenset({S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset(
        {S.PACKED, S.SHIPPED, S.DELIVERED, S.REFUNDED, S.PARTIALLY_REFUNDED}
    ),
    S.REFUNDED: frozenset(),
}
# Money was taken and (at least partly) kept.
PAID_STATES = frozenset({S.PAID, S.ON_HOLD, S.PACKED, S.SHIPPED, S.DELIVERED, S.PARTIALLY_REFUNDED})
# Moves that put the order's pieces back on the shelf: it lapsed, or was refunded unsent.
_RELEASES = {
    S.CANCELLED: frozenset(ALLOWED),
    S.EXPIRED: frozenset(ALLOWED),
    S.REFUNDED: frozenset({S.PAID, S.ON_HOLD, S.PACKED}),
}
HOLD_REASONS = ("stock", "address")


class InvalidTransition(Exception):
    """An order asked to move to a state it cannot reach from where it is."""

    def __init__(self, current: OrderStatus, wanted: OrderStatus) -> None:
        super().__init__(f"cannot move an order from {current} to {wanted}")
        self.current = current
        self.wanted = wanted


class TransitionLost(InvalidTransition):
    """Another event moved the order between reading it and writing the move."""


# Built once: every change of an order's status runs these two.
_LOCK = (
    select(Order)
    .where(Order.id == bindparam("order_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)
# The guarded door: the move happens only from the status the caller saw.
_MOVE = (
    update(Order)
    .where(Order.id == bindparam("order_id"), Order.status == bindparam("current"))
    .values(status=bindparam("to"), updated_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)


def lock(order_id: int) -> Order | None:
    """Begin the unit of work that may change this order and return it, locked and fresh."""
    begin_write(db.session)
    return db.session.scalar(_LOCK, {"order_id": order_id})


def can_move(order: Order, to: OrderStatus) -> bool:
    """Whether the order may move to `to` from its current state."""
    return to in ALLOWED[order.status]


def move(order: Order, to: OrderStatus, *, actor: str, note: str = "") -> None:
    """Move the order to `to`, append the history row and move its stock; the caller commits."""
    current = order.status
    if to not in ALLOWED[current]:
        raise InvalidTransition(current, to)
    now = datetime.now(UTC)
    moved = db.session.execute(
        _MOVE, {"order_id": order.id, "current": current, "to": to, "now": now}
    ).rowcount
    if moved != 1:
        raise TransitionLost(current, to)
    set_committed_value(order, "status", to)
    set_committed_value(order, "updated_at", now)
    _history(order, current, to, actor, note)
    # The code's row before the variants' rows, as placing an order locks them: no cycle.
    if current == S.PENDING_PAYMENT and to in (S.CANCELLED, S.EXPIRED):
        discounts.give_back(order)  # lapsed unpaid: its discount code use is free again
    if current in _RELEASES.get(to, ()):
        reservations.release(order)


def pay(order: Order, *, actor: str, note: str, address_ok: bool = True) -> OrderStatus:
    """Record a payment: paid, or on hold when its pieces are gone or the address is wrong.

    An order that lapsed (expired, cancelled) before the payment arrived holds its pieces
    again when they are still there; when not, it is paid but on hold for staff to make
    or refund, never paid without its stock.
    """
    lapsed = order.status in (S.EXPIRED, S.CANCELLED)
    # The code's use first, then the stock: the lock order of placing an order.
    if lapsed and not discounts.take_again(order):
        note += f"; discount code {order.discount_code} is now used more often than its limit"
    reason = None
    if lapsed and not reservations.reserve_again(order):
        reason = "stock"
    elif not address_ok:
        reason = "address"
    order.hold_reason = reason
    order.paid_at = datetime.now(UTC)
    if reason == "stock":
        note += "; the order had lapsed and its pieces are gone: make them or refund"
    elif reason == "address":
        note += "; the shipping address is outside the zone the shipping was priced for"
    to = S.ON_HOLD if reason else S.PAID
    # The address, the time paid and the invoice number go in one write, after the move.
    with db.session.no_autoflush:
        move(order, to, actor=actor, note=note)
        invoices.assign(order, order.paid_at)  # in this transaction: rolled back with the move
    return to


def release_hold(order: Order, *, actor: str, note: str = "") -> bool:
    """Send an order on hold to packing once staff settled it; False if its pieces are missing."""
    if order.status != S.ON_HOLD:
        raise InvalidTransition(order.status, S.PAID)
    if order.hold_reason == "stock" and not reservations.reserve_again(order):
        return False
    order.hold_reason = None
    move(order, S.PAID, actor=actor, note=note or "Released to packing")
    return True


def note_only(order: Order, *, actor: str, note: str) -> None:
    """Append a history row without changing the state (e.g. "awaiting bank transfer")."""
    _history(order, order.status, order.status, actor, note)


def _history(
    order: Order, current: OrderStatus | None, to: OrderStatus, actor: str, note: str
) -> None:
    event = OrderEvent(
        from_status=str(current) if current else None, to_status=str(to), actor=actor, note=note
    )
    # Set from the event's side, the row joins `order.events` without the whole history
    # being read first (appending to the list would load it): one SELECT less per move.
    event.order = order
    db.session.add(event)
