"""Orders across workshops, paid in a given month, for the makers' wages tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from shop.extensions import db
from shop.models import Order, OrderLine, OrderStatus, Variant
from tests.factories import make_category, make_product, make_workshop

_numbers = itertools.count(1)


def shop_of_two_workshops() -> dict[str, Variant]:
    """A woodcraft workshop (bowl Rp100.001 at 33%, plane Rp250.000 at 40%) and a rattan one
    (basket Rp50.000 at 50%)."""
    category = make_category()
    wood = make_workshop("woodcraft", "Woodcraft workshop")
    rattan = make_workshop("rattan", "Rattan workshop")

    def variant(name: str, workshop, price: int, share: int) -> Variant:
        product = make_product(name, category=category, workshop=workshop, prices=(price,))
        product.maker_share_pct = share
        return product.variants[0]

    found = {
        "bowl": variant("Teak bowl", wood, 100_001, 33),
        "plane": variant("Boeing 737 model", wood, 250_000, 40),
        "basket": variant("Rattan basket", rattan, 50_000, 50),
    }
    db.session.commit()
    return found


def paid_order(
    lines: list[tuple[Variant, int]],
    paid_at: datetime,
    *,
    refunded: int = 0,
    status: OrderStatus = OrderStatus.PAID,
    locale: str = "en",
) -> Order:
    """A paid order of (variant, quantity) lines, each promising its product's share; commit."""
    n = next(_numbers)
    subtotal = sum(variant.price_idr * quantity for variant, quantity in lines)
    order = Order(
        number=f"KB-IM-{n:05d}", token=f"impact-token-{n}-{paid_at:%y%m%d}",
        email=f"buyer{n}@example.com", locale=locale, status=status, subtotal_idr=subtotal,
        shipping_idr=50_000, total_idr=subtotal + 50_000, refunded_idr=refunded,
        shipping_country="JP", shipping_zone="EA", ship_name="Aiko Tanaka", paid_at=paid_at,
        created_at=paid_at, invoice_number=f"KB-{paid_at:%Y}-IM{n}",
        lines=[
            OrderLine(variant_id=v.id, product_name=v.product.name, option_label=v.option_label,
                      sku=v.sku, unit_price_idr=v.price_idr, quantity=q,
                      maker_share_pct=v.product.maker_share_pct)
            for v, q in lines
        ],
    )  # fmt: skip
    db.session.add(order)
    db.session.commit()
    return order


def utc(*args: int) -> datetime:
    """A moment in UTC."""
    return datetime(*args, tzinfo=UTC)
