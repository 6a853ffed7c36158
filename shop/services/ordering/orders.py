"""Placing orders: snapshot the cart, reserve stock atomically, hand over to payment."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, select

from shop.database import begin_write, commit_keeping
from shop.extensions import db
from shop.gateways.payments import (
    CheckoutDiscount,
    CheckoutLine,
    CheckoutRequest,
    PaymentError,
    PaymentGateway,
    ShippingOption,
)
from shop.models import Cart, Order, OrderLine, OrderStatus
from shop.services import counters
from shop.services.catalog import lead_times
from shop.services.ordering import cart_summary, discounts, gifts, reservations, shipping
from shop.services.ordering import status as order_status

log = logging.getLogger(__name__)

# Stripe wants expires_at at least 30 minutes after it receives the request: keep a margin.
PAYMENT_WINDOW = timedelta(minutes=40)


class CheckoutError(Exception):
    """A reason the cart cannot become an order right now."""


class EmptyCart(CheckoutError):
    """Nothing to buy."""


class CartNeedsAttention(CheckoutError):
    """Some lines are sold out, unavailable or above the stock left."""


class StockChanged(CheckoutError):
    """Another buyer took the last pieces while this order was being placed."""

    def __init__(self, sku: str) -> None:
        super().__init__(sku)
        self.sku = sku


class AboveCardLimit(CheckoutError):
    """The total is above what card payment accepts; it must go through a quote."""

    def __init__(self, limit_idr: int) -> None:
        super().__init__(limit_idr)
        self.limit_idr = limit_idr


class ShippingNotAvailable(CheckoutError):
    """No shipping to the chosen country."""


class DiscountNotAvailable(CheckoutError):
    """The cart's discount code no longer applies (expired, used up, paused, …)."""

    def __init__(self, refused: discounts.DiscountRefused) -> None:
        super().__init__(refused.reason)
        self.refused = refused


def _number(order: Order) -> str:
    return f"KB-{order.created_at:%y%m}-{order.id:06d}"


def _snapshot(summary: cart_summary.CartSummary, discount: dict[int, int]) -> list[OrderLine]:
    return [
        OrderLine(
            variant_id=v.variant.id,
            product_name=v.product.name,
            option_label=v.variant.option_label,
            sku=v.variant.sku,
            unit_price_idr=v.unit_price_idr,
            quantity=v.line.quantity,
            weight_g=v.variant.weight_g,
            maker_share_pct=v.product.maker_share_pct,
            discount_idr=discount.get(v.line.id, 0),
            reserved_quantity=0,
        )
        for v in summary.lines
    ]


def place_order(
    cart: Cart,
    *,
    email: str,
    country: str,
    locale: str,
    card_limit_idr: int,
    customer_id: int | None = None,
    gift_wrap_price_idr: int = 0,
) -> Order:
    """Turn the cart into an order awaiting payment, holding its stock; commit.

    The destination is remembered on the cart only with the order: a refused checkout
    rolls back and leaves the cart exactly as it was. `customer_id` is the signed-in
    buyer's account, whose order list then shows it. The cart's gift choice goes with the
    order, its wrap priced at `gift_wrap_price_idr`.
    """
    try:
        begin_write(db.session)  # SQLite: hold the write lock before reading the stock
        order = _place_order(
            cart, email, country, locale, card_limit_idr, customer_id, gift_wrap_price_idr
        )
    except reservations.StockChanged as gone:
        db.session.rollback()
        raise StockChanged(gone.sku) from None
    except discounts.DiscountRefused as refused:
        db.session.rollback()
        raise DiscountNotAvailable(refused) from None
    except Exception:
        db.session.rollback()
        raise
    counters.ORDERS_PLACED.inc()
    return order


def _place_order(
    cart: Cart, email: str, country: str, locale: str, card_limit_idr: int,
    customer_id: int | None, gift_wrap_price_idr: int,
) -> Order:  # fmt: skip
    db.session.refresh(cart)  # read once, fresh under the lock, before it is changed
    cart.shipping_country = country.upper()[:2] or None
    summary = cart_summary.summarize(cart, gift_wrap_price_idr=gift_wrap_price_idr, photos=False)
    if not summary.lines:
        raise EmptyCart()
    if not summary.can_checkout:
        raise CartNeedsAttention()
    if summary.shipping is None:
        raise ShippingNotAvailable()
    applied = _locked_discount(cart, summary)
    discount = applied.amount_idr if applied else 0
    total = summary.subtotal_idr - discount + summary.shipping.fee_idr + summary.gift_wrap_idr
    if total > card_limit_idr:
        raise AboveCardLimit(card_limit_idr)
    quote = summary.shipping
    by_line = dict(zip([v.line.id for v in summary.lines], applied.line_amounts, strict=True)) \
        if applied else {}  # fmt: skip
    # The promise is stored with the order: making time (if any) and the zone's transit.
    delivery = lead_times.window(summary.lead_time_days, quote.min_days, quote.max_days)
    order = Order(
        token=secrets.token_urlsafe(24), email=email, locale=locale,
        status=OrderStatus.PENDING_PAYMENT, currency="IDR",
        subtotal_idr=summary.subtotal_idr, shipping_idr=quote.fee_idr, total_idr=total,
        discount_idr=discount, discount_code=applied.label if applied else "",
        discount_code_id=applied.code.id if applied else None,
        is_gift=cart.is_gift, gift_message=cart.gift_message if cart.is_gift else "",
        gift_wrap_idr=summary.gift_wrap_idr,
        shipping_country=quote.country, shipping_zone=quote.zone_code,
        delivery_min_days=delivery.min_days, delivery_max_days=delivery.max_days,
        lead_time_days=delivery.lead_days,
        cart_id=cart.id, customer_id=customer_id, created_at=datetime.now(UTC),
        lines=_snapshot(summary, by_line),
    )  # fmt: skip
    made_to_order = {v.variant.id: v.product.made_to_order for v in summary.lines}
    db.session.add(order)
    # The stock is taken before the order is written, so each line is written once, with
    # the pieces it holds.
    with db.session.no_autoflush:
        if applied is not None:
            discounts.take_use(order, applied.code)  # the code's row first, then the variants'
        reservations.reserve(order, made_to_order)
    db.session.flush()
    order.number = _number(order)
    order_status.note_only(order, actor="customer", note="Order placed")
    commit_keeping(db.session, [order, *order.lines])  # the payment page is made from them
    return order


def _locked_discount(
    cart: Cart, summary: cart_summary.CartSummary
) -> discounts.AppliedDiscount | None:
    """The cart's discount code, its row locked and checked again, priced for the order."""
    if not cart.discount_code:
        return None
    if summary.discount is None:
        raise summary.discount_problem or discounts.DiscountRefused("not_applicable")
    code = discounts.lock(summary.discount.code.id)
    if code is None:
        raise discounts.DiscountRefused("unknown")
    discounts.check_open(code)
    lines = [discounts.PricedLine(v.product.category_id, v.line_total_idr) for v in summary.lines]
    return discounts.price(code, lines, summary.subtotal_idr)


def give_up(order_id: int, to: OrderStatus, *, actor: str, note: str) -> bool:
    """Cancel or expire an order still awaiting payment and free its stock; commit.

    False when the order had moved on meanwhile (paid, or given up by another request).
    """
    try:
        order = order_status.lock(order_id)
        if order is None or order.status != OrderStatus.PENDING_PAYMENT:
            db.session.rollback()
            return False
        order_status.move(order, to, actor=actor, note=note)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return True


def cancel_payment(order: Order, gateway: PaymentGateway, *, actor: str, note: str) -> bool:
    """The buyer left the payment page: cancel the order, free its stock, close the page.

    The page is closed after the commit and only as a courtesy: if the provider refuses (it
    was paid a moment ago, or cannot be reached), the payment event still arrives and the
    paid-after-cancel path handles it.
    """
    if not give_up(order.id, OrderStatus.CANCELLED, actor=actor, note=note):
        return False
    if order.payment_session_id:
        try:
            gateway.expire_checkout(order.payment_session_id)
        except PaymentError as exc:
            log.warning("could not close payment page of order %s: %s", order.number, exc)
    return True


def start_payment(
    order: Order,
    gateway: PaymentGateway,
    *,
    success_url: str,
    cancel_url: str,
    now: datetime | None = None,
) -> str:
    """Open the provider's payment page for the order and return its address; commit."""
    expires = (now or datetime.now(UTC)) + PAYMENT_WINDOW
    request = CheckoutRequest(
        order_id=order.id, order_number=order.number or "", email=order.email, currency="IDR",
        lines=[CheckoutLine(ln.product_name + " — " + ln.option_label, ln.sku,
                            ln.unit_price_idr, ln.quantity) for ln in order.lines]
        + ([CheckoutLine("Gift wrap", gifts.GIFT_WRAP_SKU, order.gift_wrap_idr, 1)]
           if order.gift_wrap_idr else []),
        shipping=ShippingOption(f"Shipping ({order.shipping_zone})", order.shipping_idr,
                                order.delivery_min_days, order.delivery_max_days),
        # Only the zone the shipping was priced for: an address elsewhere would cost more.
        allowed_countries=shipping.zone_countries(order.shipping_zone, order.shipping_country),
        locale=order.locale, success_url=success_url, cancel_url=cancel_url,
        expires_at=expires, idempotency_key=f"kb-checkout-{order.number}",
        discount=CheckoutDiscount(order.discount_code, order.discount_idr)
        if order.discount_idr else None,
    )  # fmt: skip
    try:
        session = gateway.create_checkout(request)
    except PaymentError:
        give_up(order.id, OrderStatus.CANCELLED, actor="system", note="Payment page unavailable")
        raise
    order.payment_gateway = gateway.name
    order.payment_session_id = session.id
    order.payment_expires_at = expires
    db.session.commit()
    return session.url


def find_by_token(token: str) -> Order | None:
    """Return the order with this private token, or None."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(_BY_TOKEN, {"token": token})


def find_by_payment_session(session_id: str, gateway: str) -> Order | None:
    """Return the order paid through this provider session, or None."""
    if not session_id or len(session_id) > 255:
        return None
    return db.session.scalar(_BY_PAYMENT_SESSION, {"session_id": session_id, "gateway": gateway})


# Built once: the confirmation page, the order page and every payment find their order so.
_BY_TOKEN = select(Order).where(Order.token == bindparam("token"))
_BY_PAYMENT_SESSION = select(Order).where(
    Order.payment_session_id == bindparam("session_id"),
    Order.payment_gateway == bindparam("gateway"),
)
