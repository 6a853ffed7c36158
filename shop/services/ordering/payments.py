"""Acting on payment events: once per event, in any order, checked against the order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.extensions import db
from shop.gateways.payments import PaymentEvent
from shop.models import Cart, Order, OrderStatus, ProcessedPaymentEvent
from shop.services.money import from_minor_units
from shop.services.ordering import orders
from shop.services.ordering import status as order_status
from shop.services.quotes import payments as quote_payments
from shop.services.reporting import audit

PAID_OR_LATER = {
    OrderStatus.PAID,
    OrderStatus.PACKED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.REFUNDED,
    OrderStatus.PARTIALLY_REFUNDED,
}


def _first_time(provider: str, event: PaymentEvent) -> ProcessedPaymentEvent | None:
    """Record the event id; None if it was handled before."""
    record = ProcessedPaymentEvent(provider=provider, event_id=event.id, event_type=event.type)
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        return None
    return record


def _find_order(event: PaymentEvent) -> Order | None:
    if event.order_id is not None:
        order = db.session.get(Order, event.order_id)
        if order is not None:
            return order
    if event.session_id:
        order = db.session.scalar(select(Order).where(Order.payment_session_id == event.session_id))
        if order is not None:
            return order
    if event.payment_intent:
        return db.session.scalar(select(Order).where(Order.payment_intent == event.payment_intent))
    return None


def _amount_matches(order: Order, event: PaymentEvent) -> bool:
    if event.amount_minor is None or (event.currency or "").upper() != order.currency:
        return False
    try:
        return from_minor_units(event.amount_minor, order.currency) == order.total_idr
    except ValueError:
        return False


def _store_details(order: Order, event: PaymentEvent) -> None:
    if event.payment_intent:
        order.payment_intent = event.payment_intent
    address = event.shipping_address
    if address:
        order.ship_name, order.ship_line1, order.ship_line2 = (
            address.name, address.line1, address.line2
        )  # fmt: skip
        order.ship_city, order.ship_state, order.ship_postal_code = (
            address.city, address.state, address.postal_code
        )  # fmt: skip


def _mark_paid(order: Order, event: PaymentEvent, actor: str) -> str:
    if order.status in PAID_OR_LATER:
        return "already paid"
    if not _amount_matches(order, event):
        order_status.note_only(
            order, actor=actor,
            note=f"Payment of {event.amount_minor} {event.currency} does not match the order "
            f"total; not marked paid. Check the payment with the provider.",
        )  # fmt: skip
        return "amount mismatch"
    note = "Payment received"
    if order.status in (OrderStatus.EXPIRED, OrderStatus.CANCELLED):
        if not orders.reserve_again(order):
            note += " after the order had lapsed; some stock is gone: make or refund"
    order_status.move(order, OrderStatus.PAID, actor=actor, note=note)
    order.paid_at = datetime.now(UTC)
    if order.cart_id:
        cart = db.session.get(Cart, order.cart_id)
        if cart is not None:
            cart.lines.clear()
    return "paid"


def _refunded(order: Order, event: PaymentEvent, actor: str) -> str:
    if event.amount_minor is None or (event.currency or "").upper() != order.currency:
        return "ignored"
    refunded = min(from_minor_units(event.amount_minor, order.currency), order.total_idr)
    if refunded <= order.refunded_idr:
        return "already recorded"
    order.refunded_idr = refunded
    to = OrderStatus.REFUNDED if refunded >= order.total_idr else OrderStatus.PARTIALLY_REFUNDED
    if order_status.can_move(order, to):
        order_status.move(order, to, actor=actor, note=f"Refunded {refunded} IDR in total")
    else:
        order_status.note_only(order, actor=actor, note=f"Refund of {refunded} IDR recorded")
    return "refunded"


def handle_event(
    event: PaymentEvent,
    provider: str,
    *,
    on_paid: Callable[[Order], None] | None = None,
) -> str:
    """Apply a verified provider event to its order once; return what happened; commit."""
    record = _first_time(provider, event)
    if record is None:
        db.session.rollback()
        return "duplicate"
    order = _find_order(event)
    if order is None:
        db.session.commit()
        return "no matching order"
    actor = f"gateway:{provider}"
    outcome = "ignored"
    if event.type == "checkout.session.completed":
        _store_details(order, event)
        if event.payment_status == "paid":
            outcome = _mark_paid(order, event, actor)
        elif order.status == OrderStatus.PENDING_PAYMENT:
            order_status.note_only(order, actor=actor, note="Awaiting a delayed payment")
            outcome = "awaiting payment"
    elif event.type == "checkout.session.async_payment_succeeded":
        _store_details(order, event)
        outcome = _mark_paid(order, event, actor)
    elif event.type == "checkout.session.async_payment_failed":
        if orders.give_up(order, OrderStatus.CANCELLED, actor=actor, note="Payment failed"):
            outcome = "cancelled"
    elif event.type == "checkout.session.expired":
        if orders.give_up(order, OrderStatus.EXPIRED, actor=actor, note="Payment page expired"):
            outcome = "expired"
    elif event.type == "charge.refunded":
        outcome = _refunded(order, event, actor)
    record.order_id = order.id
    if outcome == "paid":
        quote_payments.follow_order(order, actor)
    db.session.commit()
    if outcome == "paid" and on_paid is not None:
        on_paid(order)
    return outcome


class BankTransferRefused(Exception):
    """A bank transfer that cannot be recorded; `key` says why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key  # "not_waiting", "reference", "amount"


MAX_REFERENCE = 120


def record_bank_transfer(
    order: Order, reference: str, amount_idr: int, *, actor: audit.Actor
) -> None:
    """Mark an order paid by a bank transfer staff saw arrive, with its reference; commit.

    The amount must be the order's total to the rupiah: a short or extra payment is settled
    with the buyer first, not recorded as paid.
    """
    reference = " ".join((reference or "").split())
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise BankTransferRefused("not_waiting")
    if not reference or len(reference) > MAX_REFERENCE:
        raise BankTransferRefused("reference")
    if amount_idr != order.total_idr:
        raise BankTransferRefused("amount")
    audit.record(actor, "order.paid", target_type="order", target_id=order.id,
                 label=order.number or f"#{order.id}",
                 changes={"status": [str(order.status), str(OrderStatus.PAID)],
                          "amount_idr": amount_idr, "reference": reference})  # fmt: skip
    actor = audit.actor_email(actor)
    order_status.move(
        order, OrderStatus.PAID, actor=actor, note=f"Bank transfer received, reference {reference}"
    )
    order.payment_gateway = order.payment_gateway or "bank"
    order.payment_intent = f"bank:{reference}"[:255]
    order.paid_at = datetime.now(UTC)
    quote_payments.follow_order(order, actor)
    db.session.commit()
