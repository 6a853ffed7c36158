"""Paying for an accepted quote through an ordinary order, and keeping the quote in step.

The order has one made-to-order line at the offer's price, so payment, bank transfers,
shipping and refunds work exactly as for cart orders.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, date, datetime

from shop.extensions import db
from shop.gateways.payments import PaymentError, PaymentGateway
from shop.models import (
    Order,
    OrderLine,
    OrderStatus,
    Product,
    QuoteOffer,
    QuoteRequest,
    QuoteStatus,
)
from shop.services import clock
from shop.services.ordering import shipping
from shop.services.ordering import status as order_status
from shop.services.quotes import acceptance
from shop.services.quotes import status as flow
from shop.services.quotes.requests import (
    DEFAULT_MAKER_SHARE,
    ORDER_PAID,
    QuoteError,
    current_offer_for_payment,
    quote_for_order,
)

log = logging.getLogger(__name__)
Q = QuoteStatus
SHIPPED_OR_LATER = {OrderStatus.SHIPPED, OrderStatus.DELIVERED}


def payment_order(
    quote: QuoteRequest, gateway: PaymentGateway, *, card_limit_idr: int, today: date | None = None
) -> Order:
    """The order that pays the accepted offer; commit.

    A paid quote is never charged twice. A card payment page still open is closed and a
    fresh order made (a provider page cannot be reopened); an order waiting for a bank
    transfer (above the card limit) is kept, so its reference stays the same.
    """
    try:
        flow.lock(quote.id)  # two payment pages opened at once make one order, not two
        order, stale_session = _payment_order(quote, card_limit_idr, today or clock.shop_today())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if stale_session:  # a courtesy after the commit: its order is cancelled either way
        try:
            gateway.expire_checkout(stale_session)
        except PaymentError as exc:
            log.warning("could not close the old payment page of quote %s: %s", quote.number, exc)
    return order


def _payment_order(
    quote: QuoteRequest, card_limit_idr: int, today: date
) -> tuple[Order, str | None]:
    """The order to pay with, and the provider page of the one it replaces; the caller commits."""
    if quote.status in (Q.PAID, Q.IN_PRODUCTION, Q.SHIPPED):
        raise QuoteError("already_paid")
    if quote.status != Q.ACCEPTED:
        raise QuoteError("not_accepted")
    offer = current_offer_for_payment(quote, today)
    existing = order_of(quote)
    if existing is not None and existing.status in ORDER_PAID:
        raise QuoteError("already_paid")
    stale_session = None
    if existing is not None and existing.status == OrderStatus.PENDING_PAYMENT:
        if needs_bank_transfer(existing, card_limit_idr) and existing.total_idr == offer.total_idr:
            acceptance.copy_to_order(quote, existing)  # the buyer may have corrected them
            return existing, None
        if existing.bank_received_idr:  # money arrived for it: staff settle a revised price
            raise QuoteError("part_paid")
        note = "A new payment was started"
        order_status.move(existing, OrderStatus.CANCELLED, actor="buyer", note=note)
        stale_session = existing.payment_session_id
    order = _new_order(quote, offer)
    db.session.add(order)
    db.session.flush()
    order.number = f"KB-{order.created_at:%y%m}-{order.id:06d}"
    quote.order_id = order.id
    order_status.note_only(order, actor="buyer", note=f"Order for quote {quote.number}")
    return order, stale_session


def order_of(quote: QuoteRequest) -> Order | None:
    """The order the quote is (being) paid through, or None before the first payment."""
    return db.session.get(Order, quote.order_id) if quote.order_id else None


def needs_bank_transfer(order: Order, card_limit_idr: int) -> bool:
    """Whether the order is above what card payment takes and is paid by bank transfer."""
    return order.total_idr > card_limit_idr


def _new_order(quote: QuoteRequest, offer: QuoteOffer) -> Order:
    try:
        zone = shipping.quote(quote.country, 0)
    except shipping.ShippingUnavailable:
        raise QuoteError("country") from None
    share = DEFAULT_MAKER_SHARE
    if quote.product_id:
        product = db.session.get(Product, quote.product_id)
        share = product.maker_share_pct if product else share
    line = OrderLine(
        variant_id=None,
        product_name=f"{quote.aircraft_type} — {quote.livery}"[:200],
        option_label=f"{quote.scale} · {quote.number}"[:120],
        sku=f"QUOTE-{quote.number}"[:64],
        unit_price_idr=offer.unit_price_idr,
        quantity=offer.quantity,
        maker_share_pct=share,
    )
    order = Order(
        token=secrets.token_urlsafe(32), email=quote.email, locale=quote.locale,
        status=OrderStatus.PENDING_PAYMENT, subtotal_idr=offer.subtotal_idr,
        shipping_idr=offer.shipping_idr, total_idr=offer.total_idr,
        shipping_country=quote.country, shipping_zone=zone.zone_code,
        customer_id=quote.customer_id, created_at=datetime.now(UTC), lines=[line],
    )  # fmt: skip
    acceptance.copy_to_order(quote, order)
    return order


def follow_order(order: Order, actor: str) -> None:
    """Move the quote an order pays for along with it (paid, shipped); the caller commits."""
    quote = quote_for_order(order)
    if quote is None:
        return
    if order.status in ORDER_PAID and quote.status in (Q.ACCEPTED, Q.EXPIRED):
        flow.move(quote, Q.PAID, actor=actor, note=f"Paid (order {order.number})")
    elif order.status in ORDER_PAID and quote.status in (Q.ANSWERED, Q.DECLINED):
        # Paid on a page opened before the quote was revised: staff settle it with the buyer.
        note = f"Order {order.number} was paid for an earlier version of this quote"
        flow.note_only(quote, actor=actor, note=note + ": agree with the buyer what to do")
    if order.status in SHIPPED_OR_LATER and flow.can_move(quote, Q.SHIPPED):
        note = "Shipped"
        if order.carrier:
            note += f" with {order.carrier}, tracking number {order.tracking_number}"
        flow.move(quote, Q.SHIPPED, actor=actor, note=note)
