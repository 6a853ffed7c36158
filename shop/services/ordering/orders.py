"""Placing orders: snapshot the cart, reserve stock atomically, hand over to payment."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from shop.extensions import db
from shop.gateways.payments import (
    CheckoutLine,
    CheckoutRequest,
    PaymentError,
    PaymentGateway,
    ShippingOption,
)
from shop.models import Cart, Order, OrderLine, OrderStatus, Variant
from shop.services.catalog.version import bump_catalog_version
from shop.services.ordering import cart as carts
from shop.services.ordering import shipping
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


def _number(order: Order) -> str:
    return f"KB-{order.created_at:%y%m}-{order.id:06d}"


def _snapshot(summary: carts.CartSummary) -> list[OrderLine]:
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
        )
        for v in summary.lines
    ]


def _reserve(order: Order, made_to_order: dict[int, bool]) -> None:
    """Take each line's pieces from stock with one conditional UPDATE per line."""
    # Lock rows in one global order so two checkouts never wait on each other in a cycle.
    for line in sorted(order.lines, key=lambda ln: ln.variant_id or 0):
        wanted = line.quantity
        if made_to_order.get(line.variant_id or 0):
            in_stock = db.session.scalar(select(Variant.stock).where(Variant.id == line.variant_id))
            wanted = min(wanted, in_stock or 0)
        if wanted == 0:
            continue
        taken = db.session.execute(
            update(Variant)
            .where(Variant.id == line.variant_id, Variant.stock >= wanted)
            .values(stock=Variant.stock - wanted)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 1:
            line.reserved_quantity = wanted
        elif not made_to_order.get(line.variant_id or 0):
            raise StockChanged(line.sku)


def place_order(
    cart: Cart,
    *,
    email: str,
    country: str,
    locale: str,
    card_limit_idr: int,
    customer_id: int | None = None,
) -> Order:
    """Turn the cart into an order awaiting payment, holding its stock; commit.

    The destination is remembered on the cart only with the order: a refused checkout
    rolls back and leaves the cart exactly as it was. `customer_id` is the signed-in
    buyer's account, whose order list then shows it.
    """
    try:
        return _place_order(cart, email, country, locale, card_limit_idr, customer_id)
    except Exception:
        db.session.rollback()
        raise


def _place_order(
    cart: Cart, email: str, country: str, locale: str, card_limit_idr: int, customer_id: int | None
) -> Order:
    cart.shipping_country = country.upper()[:2] or None
    summary = carts.summarize(cart)
    if not summary.lines:
        raise EmptyCart()
    if not summary.can_checkout:
        raise CartNeedsAttention()
    if summary.shipping is None:
        raise ShippingNotAvailable()
    total = summary.subtotal_idr + summary.shipping.fee_idr
    if total > card_limit_idr:
        raise AboveCardLimit(card_limit_idr)
    quote = summary.shipping
    order = Order(
        token=secrets.token_urlsafe(24), email=email, locale=locale,
        status=OrderStatus.PENDING_PAYMENT, currency="IDR",
        subtotal_idr=summary.subtotal_idr, shipping_idr=quote.fee_idr, total_idr=total,
        shipping_country=quote.country, shipping_zone=quote.zone_code,
        delivery_min_days=quote.min_days, delivery_max_days=quote.max_days,
        cart_id=cart.id, customer_id=customer_id, created_at=datetime.now(UTC),
        lines=_snapshot(summary),
    )  # fmt: skip
    made_to_order = {v.variant.id: v.product.made_to_order for v in summary.lines}
    db.session.add(order)
    db.session.flush()
    order.number = _number(order)
    _reserve(order, made_to_order)
    order_status.note_only(order, actor="customer", note="Order placed")
    if any(line.reserved_quantity for line in order.lines):
        bump_catalog_version()  # stock moved through Core statements
    db.session.commit()
    return order


def release_stock(order: Order) -> None:
    """Put the order's reserved pieces back on the shelf; the caller commits."""
    released = False
    for line in order.lines:
        if line.reserved_quantity and line.variant_id:
            released = True
            db.session.execute(
                update(Variant)
                .where(Variant.id == line.variant_id)
                .values(stock=Variant.stock + line.reserved_quantity)
                .execution_options(synchronize_session=False)
            )
            line.reserved_quantity = 0
    if released:
        bump_catalog_version()


def reserve_again(order: Order) -> bool:
    """Try to hold stock again for a late payment; say whether every line got its pieces."""
    made_to_order: dict[int, bool] = {}
    for line in order.lines:
        variant = db.session.get(Variant, line.variant_id) if line.variant_id else None
        made_to_order[line.variant_id or 0] = bool(variant and variant.product.made_to_order)
    try:
        with db.session.begin_nested():
            _reserve(order, made_to_order)
    except StockChanged:
        return False
    bump_catalog_version()
    return True


def give_up(order: Order, to: OrderStatus, *, actor: str, note: str) -> bool:
    """Cancel or expire an order still awaiting payment and free its stock; commit."""
    if order.status != OrderStatus.PENDING_PAYMENT:
        return False
    order_status.move(order, to, actor=actor, note=note)
    release_stock(order)
    db.session.commit()
    return True


def cancel_payment(order: Order, gateway: PaymentGateway, *, actor: str, note: str) -> bool:
    """The buyer left the payment page: cancel the order, free its stock, close the page.

    The page is closed after the commit and only as a courtesy: if the provider refuses (it
    was paid a moment ago, or cannot be reached), the payment event still arrives and the
    paid-after-cancel path handles it.
    """
    if not give_up(order, OrderStatus.CANCELLED, actor=actor, note=note):
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
                            ln.unit_price_idr, ln.quantity) for ln in order.lines],
        shipping=ShippingOption(f"Shipping ({order.shipping_zone})", order.shipping_idr,
                                order.delivery_min_days, order.delivery_max_days),
        allowed_countries=[order.shipping_country] + [
            c for c in shipping.allowed_countries() if c != order.shipping_country],
        locale=order.locale, success_url=success_url, cancel_url=cancel_url,
        expires_at=expires, idempotency_key=f"kb-checkout-{order.number}",
    )  # fmt: skip
    try:
        session = gateway.create_checkout(request)
    except PaymentError:
        give_up(order, OrderStatus.CANCELLED, actor="system", note="Payment page unavailable")
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
    return db.session.scalar(select(Order).where(Order.token == token))


def find_by_payment_session(session_id: str, gateway: str) -> Order | None:
    """Return the order paid through this provider session, or None."""
    if not session_id or len(session_id) > 255:
        return None
    query = select(Order).where(
        Order.payment_session_id == session_id, Order.payment_gateway == gateway
    )
    return db.session.scalar(query)


def expire_overdue(now: datetime | None = None) -> int:
    """Expire orders whose payment window closed without a payment; return how many."""
    now = now or datetime.now(UTC)
    overdue = db.session.scalars(
        select(Order).where(
            Order.status == OrderStatus.PENDING_PAYMENT, Order.payment_expires_at < now
        )
    ).all()
    for order in overdue:
        give_up(order, OrderStatus.EXPIRED, actor="system", note="Payment window closed")
    return len(overdue)
