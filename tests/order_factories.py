"""Orders built straight in the database, at any status, for back-office tests."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from shop.extensions import db
from shop.models import Order, OrderLine, OrderStatus, Variant
from shop.services.ordering import invoices
from shop.services.ordering import status as order_status

SHIPPING_IDR = 50_000


def make_order(
    variant: Variant,
    *,
    quantity: int = 2,
    status: OrderStatus = OrderStatus.PAID,
    email: str = "aiko@example.jp",
    country: str = "JP",
    created_at: datetime | None = None,
    payment_intent: str | None = "pi_test_1",
    gateway: str = "stripe",
) -> Order:
    """An order for `quantity` pieces of the variant, taken from its stock; commit."""
    created = created_at or datetime.now(UTC)
    subtotal = variant.price_idr * quantity
    variant.stock -= quantity
    order = Order(
        token=secrets.token_urlsafe(24), email=email, locale="en", status=status, currency="IDR",
        subtotal_idr=subtotal, shipping_idr=SHIPPING_IDR, total_idr=subtotal + SHIPPING_IDR,
        shipping_country=country, shipping_zone="EA", ship_name="Aiko Tanaka",
        ship_line1="1-2-3 Jingumae", ship_city="Tokyo", ship_postal_code="150-0001",
        payment_gateway=gateway, payment_intent=payment_intent, created_at=created,
        paid_at=None if status == OrderStatus.PENDING_PAYMENT else created,
        lines=[OrderLine(variant_id=variant.id, product_name=variant.product.name,
                         option_label=variant.option_label, sku=variant.sku,
                         unit_price_idr=variant.price_idr, quantity=quantity,
                         reserved_quantity=quantity, weight_g=variant.weight_g,
                         maker_share_pct=variant.product.maker_share_pct)],
    )  # fmt: skip
    db.session.add(order)
    db.session.flush()
    order.number = f"KB-{created:%y%m}-{order.id:06d}"
    if order.paid_at is not None:  # as status.pay numbers every paid order's invoice
        invoices.assign(order, order.paid_at)
    order_status.note_only(order, actor="customer", note="Order placed")
    db.session.commit()
    return order


REFUND_REASON = "Damaged in transit"


def staff_refund(
    order: Any, amount_idr: int, gateway: Any, actor: Any, *, token: str | None = None
) -> Any:
    """Refund as staff do through the order page's form: a fresh form token and a reason."""
    from shop.services.ordering import refunds

    return refunds.refund(
        order.id, amount_idr, token=token or refunds.new_token(), reason=REFUND_REASON,
        gateway=gateway, actor=actor,
    )  # fmt: skip
