"""The one place that moves orders between states, recording every move."""

from __future__ import annotations

from shop.models import Order, OrderEvent, OrderStatus

S = OrderStatus
ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING_PAYMENT: frozenset({S.PAID, S.CANCELLED, S.EXPIRED}),
    # A payment can still succeed after the shop gave up waiting for it.
    S.EXPIRED: frozenset({S.PAID}),
    S.CANCELLED: frozenset({S.PAID}),
    S.PAID: frozenset({S.PACKED, S.CANCELLED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.PACKED: frozenset({S.SHIPPED, S.CANCELLED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.SHIPPED: frozenset({S.DELIVERED, S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.DELIVERED: frozenset({S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset(
        {S.PACKED, S.SHIPPED, S.DELIVERED, S.REFUNDED, S.PARTIALLY_REFUNDED}
    ),
    S.REFUNDED: frozenset(),
}


class InvalidTransition(Exception):
    """An order asked to move to a state it cannot reach from where it is."""

    def __init__(self, current: OrderStatus, wanted: OrderStatus) -> None:
        super().__init__(f"cannot move an order from {current} to {wanted}")
        self.current = current
        self.wanted = wanted


def can_move(order: Order, to: OrderStatus) -> bool:
    """Whether the order may move to `to` from its current state."""
    return to in ALLOWED[order.status]


def move(order: Order, to: OrderStatus, *, actor: str, note: str = "") -> None:
    """Move the order to `to` and append the history row; the caller commits."""
    if not can_move(order, to):
        raise InvalidTransition(order.status, to)
    note_only(order, actor=actor, note=note, to=to)
    order.status = to


def note_only(order: Order, *, actor: str, note: str, to: OrderStatus | None = None) -> None:
    """Append a history row without changing the state (e.g. "awaiting bank transfer")."""
    order.events.append(
        OrderEvent(
            from_status=str(order.status) if order.status else None,
            to_status=str(to or order.status),
            actor=actor,
            note=note,
        )
    )
