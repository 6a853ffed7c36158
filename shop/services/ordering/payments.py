"""Acting on payment events: once per event, in any order, checked against the order.

Every event is applied in one unit of work that holds its order's row (`status.lock`): the
event is recorded as seen in the same transaction as what it changed, so a webhook answered
2xx was applied, and an error rolls both back for the provider to send it again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, select, text, update

from shop.database import begin_write, commit_keeping
from shop.extensions import db
from shop.gateways.payments import PaymentEvent
from shop.models import Cart, CartLine, Order, OrderStatus, ProcessedPaymentEvent
from shop.services import counters
from shop.services.money import from_minor_units
from shop.services.ordering import refunds, shipping
from shop.services.ordering import status as order_status
from shop.services.quotes import payments as quote_payments

PAID_OUTCOMES = ("paid", "on hold")
# Written out (the same on both databases) and built once: the dialects' ON CONFLICT
# constructs have no cache key, and were compiled again for every event.
_RECORD_EVENT = text(
    "INSERT INTO processed_payment_event (provider, event_id, event_type, order_id, received_at)"
    " VALUES (:provider, :event_id, :event_type, :order_id, :received_at)"
    " ON CONFLICT (event_id) DO NOTHING RETURNING id"
).bindparams(bindparam("received_at", type_=ProcessedPaymentEvent.__table__.c.received_at.type))


def order_id_for(event: PaymentEvent) -> int | None:
    """The id of the order the event is about: metadata first, then the session or payment."""
    if event.order_id is not None and db.session.get(Order, event.order_id) is not None:
        return event.order_id
    if event.session_id:
        found = db.session.scalar(
            select(Order.id).where(Order.payment_session_id == event.session_id)
        )
        if found is not None:
            return found
    if event.payment_intent:
        return db.session.scalar(
            select(Order.id).where(Order.payment_intent == event.payment_intent).limit(1)
        )
    return None


def _locked_order(event: PaymentEvent) -> Order | None:
    """The event's order (as `order_id_for` finds it), locked and fresh; None if unknown.

    The metadata's order is locked straight away: looking it up first would read it twice.
    """
    if event.order_id is not None:
        order = order_status.lock(event.order_id)
        if order is not None:
            return order
    order_id = order_id_for(event)
    return order_status.lock(order_id) if order_id is not None else None


def _first_time(provider: str, event: PaymentEvent, order_id: int | None) -> bool:
    """Record the event id in this transaction; False if it was applied (or is being
    applied, by a delivery of the same event at the same moment) before.

    One INSERT … ON CONFLICT DO NOTHING: the unique event id decides, on either database,
    without a read first or a savepoint to recover from the duplicate.
    """
    recorded = db.session.execute(
        _RECORD_EVENT,
        {"provider": provider, "event_id": event.id, "event_type": event.type[:80],
         "order_id": order_id, "received_at": datetime.now(UTC)},
    )  # fmt: skip
    return recorded.scalar_one_or_none() is not None


def _amount_matches(order: Order, event: PaymentEvent) -> bool:
    if event.amount_minor is None or (event.currency or "").upper() != order.currency:
        return False
    try:
        return from_minor_units(event.amount_minor, order.currency) == order.total_idr
    except ValueError:
        return False


def _store_details(order: Order, event: PaymentEvent) -> None:
    """Keep the payment reference and the address the payment page collected, whole."""
    if event.payment_intent:
        order.payment_intent = event.payment_intent[:255]
    address = event.shipping_address
    if address:
        order.ship_name, order.ship_line1, order.ship_line2 = (
            address.name, address.line1, address.line2
        )  # fmt: skip
        order.ship_city, order.ship_state, order.ship_postal_code = (
            address.city, address.state, address.postal_code
        )  # fmt: skip
        order.ship_country = (address.country or "").upper()[:2]


def _address_matches_price(order: Order) -> bool:
    """Whether the collected country ships in the zone the order's shipping was priced for."""
    if not order.ship_country:
        return False  # nothing collected: staff must ask the buyer
    if order.ship_country == order.shipping_country:
        return True
    return shipping.zone_of(order.ship_country) == order.shipping_zone


def _mark_paid(order: Order, event: PaymentEvent, actor: str) -> str:
    if order.paid_at is not None or order.status in order_status.PAID_STATES:
        return "already paid"
    if order.status == OrderStatus.REFUNDED:
        return "already paid"
    if not _amount_matches(order, event):
        order_status.note_only(
            order, actor=actor,
            note=f"Payment of {event.amount_minor} {event.currency} does not match the order "
            f"total; not marked paid. Check the payment with the provider.",
        )  # fmt: skip
        return "amount mismatch"
    moved = order_status.pay(
        order, actor=actor, note="Payment received", address_ok=_address_matches_price(order)
    )
    if order.cart_id:
        _empty_paid_cart(order.cart_id)
    # A refund the provider reported before this payment (events come in any order).
    refunds.settle(order, actor=actor)
    quote_payments.follow_order(order, actor)
    return "on hold" if moved == OrderStatus.ON_HOLD else "paid"


def _empty_paid_cart(cart_id: int) -> None:
    """Empty the cart the order was placed from, and drop its discount code.

    Two statements rather than reading the cart and every line to delete them one by one.
    """
    db.session.execute(_EMPTY_CART, {"cart_id": cart_id})
    db.session.execute(_DROP_CODE, {"cart_id": cart_id})


_EMPTY_CART = delete(CartLine).where(CartLine.cart_id == bindparam("cart_id"))
_DROP_CODE = (
    update(Cart)
    .where(Cart.id == bindparam("cart_id"), Cart.discount_code.is_not(None))
    .values(discount_code=None)
)


def _refunded(order: Order, event: PaymentEvent, actor: str) -> str:
    if event.amount_minor is None or (event.currency or "").upper() != order.currency:
        return "ignored"
    try:
        reported = from_minor_units(event.amount_minor, order.currency)
    except ValueError:
        return "ignored"
    reported = min(reported, order.total_idr)
    if reported <= order.provider_refunded_idr:
        return "already recorded"
    order.provider_refunded_idr = reported
    return "refunded" if refunds.settle(order, actor=actor) else "already recorded"


def _apply(order: Order, event: PaymentEvent, actor: str) -> str:
    """Change the order as the event says; the caller commits."""
    kind = event.type
    if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
        _store_details(order, event)
        if event.payment_status == "paid" or kind.endswith("async_payment_succeeded"):
            return _mark_paid(order, event, actor)
        if order.status == OrderStatus.PENDING_PAYMENT:
            order_status.note_only(order, actor=actor, note="Awaiting a delayed payment")
            return "awaiting payment"
        return "ignored"
    lapses = {
        "checkout.session.async_payment_failed": (OrderStatus.CANCELLED, "Payment failed"),
        "checkout.session.expired": (OrderStatus.EXPIRED, "Payment page expired"),
    }
    if kind in lapses:
        if order.status != OrderStatus.PENDING_PAYMENT:
            return "ignored"
        to, note = lapses[kind]
        order_status.move(order, to, actor=actor, note=note)
        return str(to)
    if kind == "charge.refunded":
        return _refunded(order, event, actor)
    return "ignored"


def handle_event(
    event: PaymentEvent,
    provider: str,
    *,
    on_paid: Callable[[Order], None] | None = None,
) -> str:
    """Apply a verified provider event to its order once; return what happened; commit.

    Raises (after rolling back) when it could not be applied, so the webhook answers 5xx and
    the provider sends it again. `on_paid` runs after the commit, for the mail.
    """
    try:
        begin_write(db.session)
        order = _locked_order(event)
        if not _first_time(provider, event, order.id if order else None):
            db.session.rollback()
            counters.payment_event("duplicate")
            return "duplicate"
        outcome = (
            "no matching order" if order is None else _apply(order, event, f"gateway:{provider}")
        )
        # A paid order was read under the lock and written here: its mails need not read it
        # (or its lines) back.
        paid = [order, *order.lines] if order is not None and outcome in PAID_OUTCOMES else []
        commit_keeping(db.session, paid)
    except Exception:
        db.session.rollback()
        raise
    counters.payment_event(outcome)
    if outcome in PAID_OUTCOMES:
        counters.ORDERS_PAID.inc()
    elif outcome == "refunded":
        counters.REFUNDS.inc()
    if order is not None and outcome in PAID_OUTCOMES and on_paid is not None:
        on_paid(order)
    return outcome
